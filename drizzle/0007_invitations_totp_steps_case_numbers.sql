CREATE TABLE "invitations" (
	"tenant_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"email" text NOT NULL,
	"display_name" text NOT NULL,
	"roles" jsonb NOT NULL,
	"token_hash" text NOT NULL,
	"invited_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"accepted_at" timestamp with time zone,
	"accepted_by" uuid,
	"revoked_at" timestamp with time zone,
	CONSTRAINT "invitations_tenant_id_id_pk" PRIMARY KEY("tenant_id","id"),
	CONSTRAINT "invitations_token_hash_unique" UNIQUE("token_hash")
);
--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "totp_last_step" bigint;--> statement-breakpoint
ALTER TABLE "invitations" ADD CONSTRAINT "invitations_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;
--> statement-breakpoint
SELECT komma_protect_tenant_table('invitations');
--> statement-breakpoint
-- Key rotation re-seals the feedback's sealed fields in place.
GRANT SELECT, UPDATE ON accessibility_feedback TO komma_app;
--> statement-breakpoint
-- Case numbers grow past four digits: lpad() cut the 10,000th number of a year to four
-- characters, which clashed with an earlier one and stopped all intake for the municipality.
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
  v_case := p_case_prefix || '-' || p_year::text || '-' || CASE WHEN v_number < 10000 THEN lpad(v_number::text, 4, '0') ELSE v_number::text END;

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
