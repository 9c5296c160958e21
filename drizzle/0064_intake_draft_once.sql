ALTER TABLE "report_drafts" ADD COLUMN "sent" boolean DEFAULT false NOT NULL;

--> statement-breakpoint
-- The intake function as before (0063_intake_confirmation), taking the draft first: a draft is
-- sent once, also when its last step is sent twice at the same moment (a double click on a slow
-- connection). Before, both calls stored a report and the note left at the draft's address
-- failed for the later one. The note is now marked (`sent`), so that the intake never takes it.
CREATE OR REPLACE FUNCTION komma_receive_report(p jsonb)
  RETURNS TABLE (case_number text, event_id uuid, limit_total bigint, limit_expires timestamptz, confirm boolean) LANGUAGE plpgsql AS $$
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
  v_count record;
BEGIN
  -- The client's count first, as the owner (the application role may not touch the counts):
  -- over its limit, the count stays and nothing else is stored.
  IF p ? 'rateLimit' THEN
    SELECT c.total, c.expires_at INTO v_count FROM komma_count(p->'rateLimit'->'count') c;
    limit_total := v_count.total;
    limit_expires := v_count.expires_at;
    IF v_count.total > (p->'rateLimit'->>'max')::bigint THEN
      RETURN NEXT;
      RETURN;
    END IF;
  END IF;
  -- A confirmation to the address given: only the first few a day (taken, or nothing counted).
  IF p ? 'confirmation' THEN
    confirm := EXISTS (SELECT 1 FROM komma_count(p->'confirmation'));
  END IF;

  PERFORM set_config('app.tenant_id', v_tenant::text, true),
          set_config('app.user_id', coalesce(v_entered_by::text, ''), true),
          set_config('role', 'komma_app', true);

  -- A draft is sent once: the first call takes it (its row lock makes a second, concurrent call
  -- wait and then find it gone). A call that finds it gone or sent fails with KM001, and with it
  -- goes everything counted above: nothing is stored.
  IF v_draft IS NOT NULL THEN
    DELETE FROM report_drafts WHERE tenant_id = v_tenant AND id = v_draft AND NOT sent;
    IF NOT FOUND THEN
      RAISE EXCEPTION 'the draft was sent already or is gone' USING ERRCODE = 'KM001';
    END IF;
  END IF;

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
  END IF;

  INSERT INTO domain_events (id, tenant_id, name, payload, occurred_at)
    VALUES (v_event, v_tenant, 'report.received',
            jsonb_build_object('reportId', v_report, 'caseNumber', v_case, 'channel', p->>'channel', 'mode', p->>'mode',
                               'immediateDanger', (p->>'immediateDanger')::boolean, 'receivedAt', v_at,
                               'forms', coalesce(p->'forms', '[]'::jsonb), 'motives', coalesce(p->'motives', '[]'::jsonb),
                               'place', p->'place', 'affectedFunction', p->'affectedFunction'),
            v_at);

  PERFORM komma_audit_append(v_tenant, v_at, v_entered_by, 'report.received', 'report', v_report::text, p->'auditDetails', p->>'auditHash');

  -- The reporter's confirmation, where the count allowed it: its recipient sealed by the caller,
  -- its subject and text with the case number filled in (they hold nothing else of the report).
  IF confirm AND p ? 'confirmationMail' THEN
    INSERT INTO mail_outbox (id, recipient, subject, body)
      VALUES ((p->'confirmationMail'->>'id')::uuid, p->'confirmationMail'->>'recipient',
              replace(p->'confirmationMail'->>'subject', '{{caseNumber}}', v_case),
              replace(p->'confirmationMail'->>'body', '{{caseNumber}}', v_case));
  END IF;

  case_number := v_case;
  event_id := v_event;
  RETURN NEXT;
END
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION komma_receive_report(jsonb) FROM PUBLIC;
