ALTER TABLE "cases" ADD COLUMN "forms" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "motives" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "tags" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "respond_by" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "first_response_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "next_due_on" date;--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "closed_reason" text;--> statement-breakpoint
CREATE INDEX "cases_inbox" ON "cases" USING btree ("tenant_id","opened_at");--> statement-breakpoint
ALTER TABLE "cases" ADD CONSTRAINT "cases_closed_reason" CHECK ("closed_reason" IN ('duplicate', 'abuse'));--> statement-breakpoint
-- Cases opened before: their response target after the default 24 hours (at once for acute
-- danger), answered when someone took them on, their next due date from their open tasks.
ALTER TABLE cases NO FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE case_tasks NO FORCE ROW LEVEL SECURITY;--> statement-breakpoint
UPDATE cases c SET
  respond_by = CASE WHEN c.immediate_danger THEN c.opened_at ELSE c.opened_at + interval '24 hours' END,
  first_response_at = CASE WHEN c.status <> 'received' THEN c.updated_at END,
  next_due_on = (SELECT min(t.due_on) FROM case_tasks t WHERE t.tenant_id = c.tenant_id AND t.case_id = c.id AND t.status = 'open');--> statement-breakpoint
ALTER TABLE cases FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE case_tasks FORCE ROW LEVEL SECURITY;--> statement-breakpoint
-- The intake function as before (0011_domain_events), its event now carrying the report's
-- categories (forms and perceived motives, as codes) for the case and the statistics.
CREATE OR REPLACE FUNCTION komma_receive_report(p jsonb) RETURNS TABLE (case_number text, event_id uuid) LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
  v_tenant uuid := (p->>'tenant')::uuid;
  v_report uuid := (p->>'report')::uuid;
  v_year integer := (p->>'year')::integer;
  v_at timestamptz := (p->>'at')::timestamptz;
  v_entered_by uuid := nullif(p->>'enteredBy', '')::uuid;
  v_draft text := p->>'draft';
  v_number integer;
  v_case text;
  v_event uuid := gen_random_uuid();
BEGIN
  PERFORM set_config('app.tenant_id', v_tenant::text, true),
          set_config('app.user_id', coalesce(v_entered_by::text, ''), true),
          set_config('role', 'komma_app', true);

  -- The number's row lock is held until commit, which follows at once.
  INSERT INTO case_sequences AS s (tenant_id, year, last) VALUES (v_tenant, v_year, 1)
    ON CONFLICT (tenant_id, year) DO UPDATE SET last = s.last + 1
    RETURNING s.last INTO v_number;
  v_case := (p->>'casePrefix') || '-' || v_year::text || '-' || CASE WHEN v_number < 10000 THEN lpad(v_number::text, 4, '0') ELSE v_number::text END;

  INSERT INTO reports (tenant_id, id, case_number, channel, mode, immediate_danger, content, language, receipt_hash, entered_by, created_at)
    VALUES (v_tenant, v_report, v_case, p->>'channel', p->>'mode', (p->>'immediateDanger')::boolean, p->>'content', p->>'language',
            p->>'receiptHash', v_entered_by, v_at);

  IF p->>'contact' IS NOT NULL THEN
    INSERT INTO report_contacts (tenant_id, report_id, contact) VALUES (v_tenant, v_report, p->>'contact');
  END IF;

  IF jsonb_array_length(coalesce(p->'urls', '[]'::jsonb)) > 0 THEN
    INSERT INTO evidence (tenant_id, report_id, kind, meta, sha256, captured_at, received_at)
      SELECT v_tenant, v_report, 'url', u.meta, u.sha256, u.captured_at, v_at
      FROM jsonb_to_recordset(p->'urls') AS u(meta text, sha256 text, captured_at timestamptz);
  END IF;

  IF v_draft IS NOT NULL THEN
    UPDATE evidence SET report_id = v_report, draft_id = NULL WHERE tenant_id = v_tenant AND draft_id = v_draft;
    DELETE FROM report_drafts WHERE tenant_id = v_tenant AND id = v_draft;
  END IF;

  INSERT INTO domain_events (id, tenant_id, name, payload, occurred_at)
    VALUES (v_event, v_tenant, 'report.received',
            jsonb_build_object('reportId', v_report, 'caseNumber', v_case, 'channel', p->>'channel', 'mode', p->>'mode',
                               'immediateDanger', (p->>'immediateDanger')::boolean, 'receivedAt', v_at,
                               'forms', coalesce(p->'forms', '[]'::jsonb), 'motives', coalesce(p->'motives', '[]'::jsonb)),
            v_at);

  PERFORM komma_audit_append(v_tenant, v_at, v_entered_by, 'report.received', 'report', v_report::text, p->'auditDetails', p->>'auditHash');

  case_number := v_case;
  event_id := v_event;
  RETURN NEXT;
END
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION komma_receive_report(jsonb) FROM PUBLIC;
