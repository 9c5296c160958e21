-- Stores one complete report in a single call: the next case number of the municipality and
-- year, the sealed report, its sealed contact, URL evidence, the files of the reporter's draft,
-- the office's notification mails (case number only) and the audit entry.
--
-- Called on its own, the call is one implicit transaction and one round trip: either all of it
-- commits or nothing does. Its first act is to take on the application role and the tenant
-- (exactly what a tenant transaction does), so everything after runs as komma_app under
-- row-level security, whoever called it. Called inside a tenant transaction it joins that one.
-- Content arrives sealed: the database never sees a report in plaintext.
CREATE OR REPLACE FUNCTION komma_receive_report(
  p_tenant uuid,
  p_report uuid,
  p_case_prefix text,
  p_year integer,
  p_channel text,
  p_mode text,
  p_immediate_danger boolean,
  p_content text,
  p_language text,
  p_receipt_hash text,
  p_entered_by uuid,
  p_at timestamptz,
  p_contact text,
  p_urls jsonb,
  p_draft text,
  p_mail_subject text,
  p_mail_body text,
  p_placeholder text,
  p_audit_details jsonb,
  p_audit_hash text
) RETURNS TABLE (case_number text, mail_ids uuid[]) LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
  v_number integer;
  v_case text;
  v_mails uuid[];
BEGIN
  PERFORM set_config('app.tenant_id', p_tenant::text, true),
          set_config('app.user_id', coalesce(p_entered_by::text, ''), true),
          set_config('role', 'komma_app', true);

  -- The number's row lock is held until commit, which follows at once.
  INSERT INTO case_sequences AS s (tenant_id, year, last) VALUES (p_tenant, p_year, 1)
    ON CONFLICT (tenant_id, year) DO UPDATE SET last = s.last + 1
    RETURNING s.last INTO v_number;
  v_case := p_case_prefix || '-' || p_year::text || '-' || lpad(v_number::text, 4, '0');

  INSERT INTO reports (tenant_id, id, case_number, channel, mode, immediate_danger, content, language, receipt_hash, entered_by, created_at)
    VALUES (p_tenant, p_report, v_case, p_channel, p_mode, p_immediate_danger, p_content, p_language, p_receipt_hash, p_entered_by, p_at);

  IF p_contact IS NOT NULL THEN
    INSERT INTO report_contacts (tenant_id, report_id, contact) VALUES (p_tenant, p_report, p_contact);
  END IF;

  IF p_urls IS NOT NULL AND jsonb_array_length(p_urls) > 0 THEN
    INSERT INTO evidence (tenant_id, report_id, kind, meta, sha256, captured_at, received_at)
      SELECT p_tenant, p_report, 'url', u.meta, u.sha256, u.captured_at, p_at
      FROM jsonb_to_recordset(p_urls) AS u(meta text, sha256 text, captured_at timestamptz);
  END IF;

  IF p_draft IS NOT NULL THEN
    UPDATE evidence SET report_id = p_report, draft_id = NULL WHERE tenant_id = p_tenant AND draft_id = p_draft;
    DELETE FROM report_drafts WHERE tenant_id = p_tenant AND id = p_draft;
  END IF;

  WITH sent AS (
    INSERT INTO mail_outbox (recipient, subject, body)
      SELECT u.email, replace(p_mail_subject, p_placeholder, v_case), replace(p_mail_body, p_placeholder, v_case)
      FROM memberships m JOIN users u ON u.id = m.user_id
      WHERE m.tenant_id = p_tenant AND m.role = 'clearing_officer' AND u.status = 'active'
      RETURNING id)
  SELECT coalesce(array_agg(id), '{}') INTO v_mails FROM sent;

  PERFORM komma_audit_append(p_tenant, p_at, p_entered_by, 'report.received', 'report', p_report::text, p_audit_details, p_audit_hash);

  case_number := v_case;
  mail_ids := v_mails;
  RETURN NEXT;
END
$$;
--> statement-breakpoint
-- Only the owner calls it (the application's own connection); komma_app, the role requests run
-- as, does not need it.
REVOKE ALL ON FUNCTION komma_receive_report FROM PUBLIC;
