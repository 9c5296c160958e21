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
-- Deleting a case past its retention period. The application may not delete cases (it has no
-- DELETE on their tables); this function may, and only a case that is closed, past the
-- municipality's period, under no legal hold, and — unless it was closed as a duplicate or
-- abuse — with its statistics record written. It runs in the caller's tenant only.
CREATE OR REPLACE FUNCTION komma_purge_case(p_tenant uuid, p_case uuid, p_now timestamptz) RETURNS text
  LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  v_number text;
BEGIN
  IF p_tenant IS DISTINCT FROM komma_current_tenant() THEN
    RAISE EXCEPTION 'komma_purge_case: not the current tenant';
  END IF;
  SELECT c.number INTO v_number FROM cases c LEFT JOIN case_retention r ON r.tenant_id = c.tenant_id
   WHERE c.tenant_id = p_tenant AND c.id = p_case AND c.status = 'closed' AND c.closed_at IS NOT NULL
     AND c.closed_at < p_now - make_interval(months => CASE WHEN c.closed_reason IS NULL THEN coalesce(r.closed_months, 36) ELSE coalesce(r.dismissed_months, 12) END)
     AND NOT EXISTS (SELECT 1 FROM case_legal_holds h WHERE h.tenant_id = c.tenant_id AND h.case_id = c.id
                      AND h.lifted_at IS NULL AND h.until >= (p_now AT TIME ZONE 'Europe/Berlin')::date)
     AND (c.closed_reason IS NOT NULL OR EXISTS (SELECT 1 FROM case_statistics s WHERE s.tenant_id = c.tenant_id AND s.case_id = c.id))
   FOR UPDATE OF c;
  IF v_number IS NULL THEN
    RETURN NULL;
  END IF;
  DELETE FROM notifications n WHERE n.tenant_id = p_tenant
    AND (n.link = '/faelle/' || v_number OR n.link LIKE '/faelle/' || v_number || '#%'
         OR n.link IN (SELECT '/vermittlungen/' || f.id FROM case_referrals f WHERE f.tenant_id = p_tenant AND f.case_id = p_case));
  DELETE FROM case_disclosures d USING case_referrals f
    WHERE d.tenant_id = p_tenant AND f.tenant_id = p_tenant AND d.referral_id = f.id AND f.case_id = p_case;
  DELETE FROM case_referrals WHERE tenant_id = p_tenant AND case_id = p_case;
  DELETE FROM case_task_reminders m USING case_tasks t
    WHERE m.tenant_id = p_tenant AND t.tenant_id = p_tenant AND m.task_id = t.id AND t.case_id = p_case;
  DELETE FROM case_tasks WHERE tenant_id = p_tenant AND case_id = p_case;
  DELETE FROM case_assessments WHERE tenant_id = p_tenant AND case_id = p_case;
  DELETE FROM case_closures WHERE tenant_id = p_tenant AND case_id = p_case;
  DELETE FROM case_legal_holds WHERE tenant_id = p_tenant AND case_id = p_case;
  DELETE FROM case_notes WHERE tenant_id = p_tenant AND case_id = p_case;
  DELETE FROM case_reports WHERE tenant_id = p_tenant AND case_id = p_case;
  DELETE FROM cases WHERE tenant_id = p_tenant AND id = p_case;
  RETURN v_number;
END
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION komma_purge_case(uuid, uuid, timestamptz) FROM PUBLIC;--> statement-breakpoint
GRANT EXECUTE ON FUNCTION komma_purge_case(uuid, uuid, timestamptz) TO komma_app;--> statement-breakpoint
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
