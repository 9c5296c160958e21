CREATE TABLE "case_assessments" (
	"tenant_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"case_id" uuid NOT NULL,
	"form" text NOT NULL,
	"criteria" jsonb NOT NULL,
	"proposed_level" smallint NOT NULL,
	"reasons" jsonb NOT NULL,
	"level" smallint NOT NULL,
	"justification" text,
	"assessed_by" uuid NOT NULL,
	"assessed_at" timestamp with time zone NOT NULL,
	"seq" bigserial NOT NULL,
	CONSTRAINT "case_assessments_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
CREATE TABLE "case_procedures" (
	"tenant_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"definition" jsonb NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "case_procedures_tenant_id_version_pk" PRIMARY KEY("tenant_id","version")
);
--> statement-breakpoint
CREATE TABLE "notifications" (
	"tenant_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"params" jsonb NOT NULL,
	"link" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"read_at" timestamp with time zone,
	CONSTRAINT "notifications_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "stage" text DEFAULT 'intake' NOT NULL;--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "risk_level" smallint;--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "procedure_version" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "case_assessments" ADD CONSTRAINT "case_assessments_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_procedures" ADD CONSTRAINT "case_procedures_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notifications" ADD CONSTRAINT "notifications_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notifications" ADD CONSTRAINT "notifications_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "notifications_unread" ON "notifications" USING btree ("tenant_id","user_id","created_at");--> statement-breakpoint
ALTER TABLE "case_assessments" ADD CONSTRAINT "case_assessments_case_fk" FOREIGN KEY ("tenant_id","case_id") REFERENCES "public"."cases"("tenant_id","id");--> statement-breakpoint
ALTER TABLE "case_assessments" ADD CONSTRAINT "case_assessments_levels" CHECK ("level" BETWEEN 0 AND 3 AND "proposed_level" BETWEEN 0 AND 3);--> statement-breakpoint
ALTER TABLE "cases" ADD CONSTRAINT "cases_risk_level" CHECK ("risk_level" BETWEEN 0 AND 3);--> statement-breakpoint
ALTER TABLE "cases" ADD CONSTRAINT "cases_stage" CHECK ("stage" IN ('intake', 'assessment', 'measures', 'aftercare', 'closure'));--> statement-breakpoint
-- A case taken on before stages existed is being assessed; a closed one is at its end.
-- Row-level security binds the owner too (FORCE), so it is lifted for this statement.
ALTER TABLE cases NO FORCE ROW LEVEL SECURITY;--> statement-breakpoint
UPDATE "cases" SET "stage" = CASE "status" WHEN 'in_progress' THEN 'assessment' WHEN 'closed' THEN 'closure' ELSE 'intake' END;--> statement-breakpoint
ALTER TABLE cases FORCE ROW LEVEL SECURITY;--> statement-breakpoint
SELECT komma_protect_tenant_table('case_assessments', 'SELECT, INSERT');--> statement-breakpoint
SELECT komma_protect_tenant_table('case_procedures', 'SELECT, INSERT');--> statement-breakpoint
SELECT komma_protect_tenant_table('notifications', 'SELECT, INSERT, UPDATE');
--> statement-breakpoint
GRANT USAGE ON SEQUENCE "case_assessments_seq_seq" TO komma_app;
