CREATE TABLE "case_disclosures" (
	"tenant_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"referral_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"categories" text[] NOT NULL,
	"at" timestamp with time zone NOT NULL,
	CONSTRAINT "case_disclosures_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
CREATE TABLE "case_referrals" (
	"tenant_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"case_id" uuid NOT NULL,
	"partner_id" uuid NOT NULL,
	"categories" text[] NOT NULL,
	"purpose" text NOT NULL,
	"valid_until" date NOT NULL,
	"status" text NOT NULL,
	"consent_question_id" uuid,
	"consent_at" timestamp with time zone,
	"consent_channel" text,
	"outcome" text,
	"created_by" uuid NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	"seq" bigserial NOT NULL,
	CONSTRAINT "case_referrals_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
ALTER TABLE "report_questions" ADD COLUMN "details" jsonb;--> statement-breakpoint
ALTER TABLE "report_questions" ADD COLUMN "revoked_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "case_disclosures" ADD CONSTRAINT "case_disclosures_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_referrals" ADD CONSTRAINT "case_referrals_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "case_disclosures_referral" ON "case_disclosures" USING btree ("tenant_id","referral_id");--> statement-breakpoint
CREATE INDEX "case_referrals_partner" ON "case_referrals" USING btree ("tenant_id","partner_id");--> statement-breakpoint
ALTER TABLE "case_referrals" ADD CONSTRAINT "case_referrals_case_fk" FOREIGN KEY ("tenant_id","case_id") REFERENCES "public"."cases"("tenant_id","id");--> statement-breakpoint
ALTER TABLE "case_referrals" ADD CONSTRAINT "case_referrals_status" CHECK ("status" IN ('awaiting_consent', 'no_consent', 'offered', 'accepted', 'declined', 'done', 'revoked'));--> statement-breakpoint
ALTER TABLE "case_referrals" ADD CONSTRAINT "case_referrals_categories" CHECK ("categories" <@ ARRAY['summary', 'evidence', 'contact', 'identity']::text[] AND cardinality("categories") > 0);--> statement-breakpoint
ALTER TABLE "case_disclosures" ADD CONSTRAINT "case_disclosures_referral_fk" FOREIGN KEY ("tenant_id","referral_id") REFERENCES "public"."case_referrals"("tenant_id","id");--> statement-breakpoint
SELECT komma_protect_tenant_table('case_referrals', 'SELECT, INSERT, UPDATE');--> statement-breakpoint
SELECT komma_protect_tenant_table('case_disclosures', 'SELECT, INSERT');--> statement-breakpoint
GRANT USAGE ON SEQUENCE "case_referrals_seq_seq" TO komma_app;
