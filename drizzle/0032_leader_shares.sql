CREATE TABLE "case_leader_shares" (
	"tenant_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"case_id" uuid NOT NULL,
	"leader_id" uuid NOT NULL,
	"summary" text NOT NULL,
	"valid_until" date NOT NULL,
	"status" text NOT NULL,
	"consent_question_id" uuid,
	"created_by" uuid NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "case_leader_shares_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
ALTER TABLE "case_leader_shares" ADD CONSTRAINT "case_leader_shares_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "case_leader_shares_leader" ON "case_leader_shares" USING btree ("tenant_id","leader_id");--> statement-breakpoint
ALTER TABLE "case_leader_shares" ADD CONSTRAINT "case_leader_shares_case_fk" FOREIGN KEY ("tenant_id","case_id") REFERENCES "public"."cases"("tenant_id","id");--> statement-breakpoint
ALTER TABLE "case_leader_shares" ADD CONSTRAINT "case_leader_shares_status" CHECK ("status" IN ('awaiting_consent', 'no_consent', 'active', 'revoked', 'ended'));--> statement-breakpoint
SELECT komma_protect_tenant_table('case_leader_shares', 'SELECT, INSERT, UPDATE');
