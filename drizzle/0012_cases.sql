CREATE TABLE "case_reports" (
	"tenant_id" uuid NOT NULL,
	"report_id" uuid NOT NULL,
	"case_id" uuid NOT NULL,
	"joined_at" timestamp with time zone NOT NULL,
	CONSTRAINT "case_reports_tenant_id_report_id_pk" PRIMARY KEY("tenant_id","report_id")
);
--> statement-breakpoint
CREATE TABLE "cases" (
	"tenant_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"number" text NOT NULL,
	"status" text DEFAULT 'received' NOT NULL,
	"assignee_id" uuid,
	"channel" text NOT NULL,
	"mode" text NOT NULL,
	"immediate_danger" boolean NOT NULL,
	"opened_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "cases_tenant_id_id_pk" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "cases_number" UNIQUE("tenant_id","number")
);
--> statement-breakpoint
ALTER TABLE "case_reports" ADD CONSTRAINT "case_reports_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cases" ADD CONSTRAINT "cases_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
SELECT komma_protect_tenant_table('cases', 'SELECT, INSERT, UPDATE');
--> statement-breakpoint
SELECT komma_protect_tenant_table('case_reports', 'SELECT, INSERT');
--> statement-breakpoint
-- Every report stored before cases existed opens its case, with the report's number and status.
-- Row-level security binds the owner too (FORCE), so it is lifted for these statements.
ALTER TABLE reports NO FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE cases NO FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE case_reports NO FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
INSERT INTO cases (tenant_id, id, number, status, channel, mode, immediate_danger, opened_at, updated_at)
  SELECT tenant_id, id, case_number, status, channel, mode, immediate_danger, created_at, created_at FROM reports;
--> statement-breakpoint
INSERT INTO case_reports (tenant_id, report_id, case_id, joined_at) SELECT tenant_id, id, id, created_at FROM reports;
--> statement-breakpoint
ALTER TABLE reports FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE cases FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE case_reports FORCE ROW LEVEL SECURITY;
