CREATE TABLE "knowledge_measures" (
	"tenant_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"goal" text NOT NULL,
	"title" text NOT NULL,
	"owner" text NOT NULL,
	"due_on" date NOT NULL,
	"status" text DEFAULT 'planned' NOT NULL,
	"progress" text DEFAULT '' NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	"updated_by" uuid,
	"reminded_for" date,
	"overdue_for" date,
	CONSTRAINT "knowledge_measures_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
ALTER TABLE "knowledge_measures" ADD CONSTRAINT "knowledge_measures_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "knowledge_measures" ADD CONSTRAINT "knowledge_measures_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "knowledge_measures_id" ON "knowledge_measures" USING btree ("id");--> statement-breakpoint
CREATE INDEX "knowledge_measures_due" ON "knowledge_measures" USING btree ("tenant_id","due_on");--> statement-breakpoint
ALTER TABLE "knowledge_measures" ADD CONSTRAINT "knowledge_measures_shape" CHECK ("status" IN ('planned', 'in_progress', 'done', 'dropped')
  AND char_length("title") BETWEEN 3 AND 200 AND char_length("goal") BETWEEN 1 AND 300 AND char_length("owner") BETWEEN 1 AND 120 AND char_length("progress") <= 2000);
--> statement-breakpoint
SELECT komma_protect_tenant_table('knowledge_measures', 'SELECT, INSERT, UPDATE');
--> statement-breakpoint
-- The measures due by a day that are neither done nor dropped, across the municipalities, each read
-- under its own municipality (the daily reminder job).
CREATE OR REPLACE FUNCTION komma_due_strategy_measures(p_horizon date)
  RETURNS TABLE (tenant_id uuid, measure_id uuid) LANGUAGE plpgsql AS $$
DECLARE
  t uuid;
BEGIN
  FOR t IN SELECT id FROM tenants WHERE kind <> 'national' LOOP
    PERFORM set_config('app.tenant_id', t::text, true);
    RETURN QUERY SELECT m.tenant_id, m.id FROM knowledge_measures m
      WHERE m.tenant_id = t AND m.status IN ('planned', 'in_progress') AND m.due_on <= p_horizon;
  END LOOP;
  PERFORM set_config('app.tenant_id', '', true);
END
$$;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION komma_due_strategy_measures(date) TO komma_app;
