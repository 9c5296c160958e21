CREATE TABLE "domain_events" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"name" text NOT NULL,
	"payload" jsonb NOT NULL,
	"occurred_at" timestamp with time zone NOT NULL,
	"settled_at" timestamp with time zone,
	"relay_lease_until" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "event_deliveries" (
	"tenant_id" uuid NOT NULL,
	"event_id" uuid NOT NULL,
	"handler" text NOT NULL,
	"status" text NOT NULL,
	"attempts" integer NOT NULL,
	"last_error" text,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "event_deliveries_event_id_handler_pk" PRIMARY KEY("event_id","handler")
);
--> statement-breakpoint
ALTER TABLE "domain_events" ADD CONSTRAINT "domain_events_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "event_deliveries" ADD CONSTRAINT "event_deliveries_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "domain_events_unsettled" ON "domain_events" USING btree ("occurred_at") WHERE "domain_events"."settled_at" is null;--> statement-breakpoint
CREATE INDEX "event_deliveries_failed" ON "event_deliveries" USING btree ("status") WHERE "event_deliveries"."status" <> 'done';--> statement-breakpoint
-- The application writes events and deliveries only for its tenant. The relay and the
-- operators' view of failed deliveries read across tenants on the owner's own connection: events
-- carry ids and categories, never content. Row-level security stays forced; a policy for the
-- owner role (not komma_app) lets it through.
SELECT komma_protect_tenant_table('domain_events', 'SELECT, INSERT');
--> statement-breakpoint
SELECT komma_protect_tenant_table('event_deliveries', 'SELECT, INSERT, UPDATE');
--> statement-breakpoint
DO $$
BEGIN
  EXECUTE format('CREATE POLICY relay ON domain_events TO %I USING (true) WITH CHECK (true)', current_user);
  EXECUTE format('CREATE POLICY relay ON event_deliveries TO %I USING (true) WITH CHECK (true)', current_user);
END
$$;
--> statement-breakpoint
DROP FUNCTION IF EXISTS komma_receive_report(uuid, uuid, text, integer, text, text, boolean, text, text, text, uuid, timestamptz, text, jsonb, text, text, text, text, jsonb, text);
--> statement-breakpoint
-- The intake of a report in one call and one transaction: the next case number, the report, its
-- contact, URLs, the draft's files, the audit entry and the event `report.received`, which
-- opens the case and notifies the clearing office (both in the handlers of that event).
-- One named argument record instead of twenty positional ones.
CREATE FUNCTION komma_receive_report(p jsonb) RETURNS TABLE (case_number text, event_id uuid) LANGUAGE plpgsql AS $$
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
                               'immediateDanger', (p->>'immediateDanger')::boolean, 'receivedAt', v_at),
            v_at);

  PERFORM komma_audit_append(v_tenant, v_at, v_entered_by, 'report.received', 'report', v_report::text, p->'auditDetails', p->>'auditHash');

  case_number := v_case;
  event_id := v_event;
  RETURN NEXT;
END
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION komma_receive_report(jsonb) FROM PUBLIC;
