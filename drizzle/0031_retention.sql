CREATE TABLE "case_legal_holds" (
	"tenant_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"case_id" uuid NOT NULL,
	"reason" text NOT NULL,
	"until" date NOT NULL,
	"placed_by" uuid NOT NULL,
	"placed_at" timestamp with time zone NOT NULL,
	"lifted_by" uuid,
	"lifted_at" timestamp with time zone,
	CONSTRAINT "case_legal_holds_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
CREATE TABLE "case_notes" (
	"tenant_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"case_id" uuid NOT NULL,
	"body" text NOT NULL,
	"author_id" uuid NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"seq" bigserial NOT NULL,
	CONSTRAINT "case_notes_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
CREATE TABLE "case_retention" (
	"tenant_id" uuid PRIMARY KEY NOT NULL,
	"closed_months" integer NOT NULL,
	"dismissed_months" integer NOT NULL,
	"updated_by" uuid,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "closed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "case_legal_holds" ADD CONSTRAINT "case_legal_holds_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_notes" ADD CONSTRAINT "case_notes_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_retention" ADD CONSTRAINT "case_retention_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "case_legal_holds_case" ON "case_legal_holds" USING btree ("tenant_id","case_id");--> statement-breakpoint
CREATE INDEX "case_notes_case" ON "case_notes" USING btree ("tenant_id","case_id");--> statement-breakpoint
ALTER TABLE "case_notes" ADD CONSTRAINT "case_notes_case_fk" FOREIGN KEY ("tenant_id","case_id") REFERENCES "public"."cases"("tenant_id","id");--> statement-breakpoint
SELECT komma_protect_tenant_table('case_notes', 'SELECT, INSERT');--> statement-breakpoint
GRANT USAGE ON SEQUENCE "case_notes_seq_seq" TO komma_app;--> statement-breakpoint
-- A case's timeline reads the audit entries of the case, its reports and their evidence.
CREATE INDEX "audit_log_object" ON "audit_log" USING btree ("tenant_id","object_id");
--> statement-breakpoint
ALTER TABLE "case_legal_holds" ADD CONSTRAINT "case_legal_holds_case_fk" FOREIGN KEY ("tenant_id","case_id") REFERENCES "public"."cases"("tenant_id","id");--> statement-breakpoint
ALTER TABLE "case_legal_holds" ADD CONSTRAINT "case_legal_holds_lifted" CHECK ("lifted_at" IS NULL OR "lifted_by" IS NOT NULL);--> statement-breakpoint
SELECT komma_protect_tenant_table('case_legal_holds', 'SELECT, INSERT, UPDATE');--> statement-breakpoint
ALTER TABLE "case_retention" ADD CONSTRAINT "case_retention_months" CHECK ("closed_months" BETWEEN 1 AND 120 AND "dismissed_months" BETWEEN 1 AND 120);--> statement-breakpoint
SELECT komma_protect_tenant_table('case_retention', 'SELECT, INSERT, UPDATE');--> statement-breakpoint
CREATE INDEX "cases_closed" ON "cases" USING btree ("tenant_id","closed_at") WHERE "status" = 'closed';--> statement-breakpoint
-- Acute danger nobody has responded to yet: on top of the inbox, whatever it is sorted by.
CREATE INDEX "cases_urgent" ON "cases" USING btree ("tenant_id","opened_at") WHERE "immediate_danger" AND "first_response_at" IS NULL AND "status" <> 'closed';--> statement-breakpoint
-- Cases closed before this column: closed when released, or at their last change.
ALTER TABLE cases NO FORCE ROW LEVEL SECURITY;--> statement-breakpoint
UPDATE cases c SET closed_at = coalesce(
  (SELECT max(x.decided_at) FROM case_closures x WHERE x.tenant_id = c.tenant_id AND x.case_id = c.id AND x.decision = 'released'), c.updated_at)
  WHERE c.status = 'closed';--> statement-breakpoint
ALTER TABLE cases FORCE ROW LEVEL SECURITY;--> statement-breakpoint
-- The deletion of a case past its retention (komma_purge_case) is defined in 0034_related_cases,
-- once every table it clears exists.
-- The reports of a deleted case, with everything that hangs on them (the Meldestelle's part of
-- the deletion): only reports whose case is gone.
CREATE OR REPLACE FUNCTION komma_purge_reports(p_tenant uuid, p_reports uuid[]) RETURNS integer
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  v_ids uuid[];
BEGIN
  IF p_tenant IS DISTINCT FROM komma_current_tenant() THEN
    RAISE EXCEPTION 'komma_purge_reports: not the current tenant';
  END IF;
  SELECT array_agg(r.id) INTO v_ids FROM reports r
   WHERE r.tenant_id = p_tenant AND r.id = ANY (p_reports) AND r.status = 'closed'
     AND NOT EXISTS (SELECT 1 FROM case_reports x WHERE x.tenant_id = p_tenant AND x.report_id = r.id);
  IF v_ids IS NULL THEN
    RETURN 0;
  END IF;
  DELETE FROM report_feedback WHERE tenant_id = p_tenant AND report_id = ANY (v_ids);
  DELETE FROM report_questions WHERE tenant_id = p_tenant AND report_id = ANY (v_ids);
  DELETE FROM report_messages WHERE tenant_id = p_tenant AND report_id = ANY (v_ids);
  DELETE FROM evidence WHERE tenant_id = p_tenant AND report_id = ANY (v_ids);
  DELETE FROM report_contacts WHERE tenant_id = p_tenant AND report_id = ANY (v_ids);
  DELETE FROM reports WHERE tenant_id = p_tenant AND id = ANY (v_ids);
  RETURN array_length(v_ids, 1);
END
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION komma_purge_reports(uuid, uuid[]) FROM PUBLIC;--> statement-breakpoint
GRANT EXECUTE ON FUNCTION komma_purge_reports(uuid, uuid[]) TO komma_app;
