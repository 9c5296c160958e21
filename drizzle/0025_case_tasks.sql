CREATE TABLE "case_task_reminders" (
	"tenant_id" uuid NOT NULL,
	"task_id" uuid NOT NULL,
	"mark" text NOT NULL,
	"due_on" date NOT NULL,
	"sent_at" timestamp with time zone NOT NULL,
	CONSTRAINT "case_task_reminders_tenant_id_task_id_mark_due_on_pk" PRIMARY KEY("tenant_id","task_id","mark","due_on")
);
--> statement-breakpoint
CREATE TABLE "case_tasks" (
	"tenant_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"case_id" uuid NOT NULL,
	"measure" text NOT NULL,
	"owner_id" uuid,
	"status" text DEFAULT 'open' NOT NULL,
	"entitled" text,
	"from_on" date,
	"due_on" date,
	"note" text,
	"outcome" text,
	"created_by" uuid NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	"done_at" timestamp with time zone,
	"seq" bigserial NOT NULL,
	CONSTRAINT "case_tasks_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
ALTER TABLE "case_task_reminders" ADD CONSTRAINT "case_task_reminders_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_tasks" ADD CONSTRAINT "case_tasks_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "case_tasks_case" ON "case_tasks" USING btree ("tenant_id","case_id");--> statement-breakpoint
CREATE INDEX "case_tasks_open_due" ON "case_tasks" USING btree ("tenant_id","due_on") WHERE "case_tasks"."status" = 'open' and "case_tasks"."due_on" is not null;--> statement-breakpoint
ALTER TABLE "case_tasks" ADD CONSTRAINT "case_tasks_case_fk" FOREIGN KEY ("tenant_id","case_id") REFERENCES "public"."cases"("tenant_id","id");--> statement-breakpoint
ALTER TABLE "case_task_reminders" ADD CONSTRAINT "case_task_reminders_task_fk" FOREIGN KEY ("tenant_id","task_id") REFERENCES "public"."case_tasks"("tenant_id","id");--> statement-breakpoint
ALTER TABLE "case_tasks" ADD CONSTRAINT "case_tasks_measure" CHECK ("measure" IN ('criminal_complaint', 'strafantrag', 'safety_walkthrough', 'access_control', 'alarm_plan', 'house_ban', 'reassignment', 'register_block', 'victim_support', 'mobile_counselling', 'antidiscrimination_counselling', 'helpline', 'psychosocial_support', 'accident_report', 'platform_notice', 'solidarity_statement', 'monitoring_report', 'other'));--> statement-breakpoint
ALTER TABLE "case_tasks" ADD CONSTRAINT "case_tasks_status" CHECK ("status" IN ('open', 'done', 'cancelled'));--> statement-breakpoint
ALTER TABLE "case_tasks" ADD CONSTRAINT "case_tasks_entitled" CHECK (("measure" = 'strafantrag') = ("entitled" IS NOT NULL) AND "entitled" IN ('affected', 'superior'));--> statement-breakpoint
SELECT komma_protect_tenant_table('case_tasks', 'SELECT, INSERT, UPDATE');--> statement-breakpoint
SELECT komma_protect_tenant_table('case_task_reminders', 'SELECT, INSERT');--> statement-breakpoint
GRANT USAGE ON SEQUENCE "case_tasks_seq_seq" TO komma_app;--> statement-breakpoint
-- The daily deadline scan: each municipality's open tasks due by the horizon, one municipality
-- after the other under its own row-level security (the function sets the tenant for each, as a
-- tenant transaction does), in one call instead of one transaction per municipality. Ids only.
CREATE OR REPLACE FUNCTION komma_due_case_tasks(p_horizon date)
  RETURNS TABLE (tenant_id uuid, task_id uuid) LANGUAGE plpgsql AS $$
DECLARE
  t uuid;
BEGIN
  FOR t IN SELECT id FROM tenants WHERE kind <> 'national' LOOP
    PERFORM set_config('app.tenant_id', t::text, true);
    RETURN QUERY SELECT c.tenant_id, c.id FROM case_tasks c
      WHERE c.tenant_id = t AND c.status = 'open' AND c.due_on IS NOT NULL AND c.due_on <= p_horizon;
  END LOOP;
  PERFORM set_config('app.tenant_id', '', true);
END
$$;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION komma_due_case_tasks(date) TO komma_app;
