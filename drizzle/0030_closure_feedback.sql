CREATE TABLE "case_closures" (
	"tenant_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"case_id" uuid NOT NULL,
	"outcome" text NOT NULL,
	"conversation" text NOT NULL,
	"conversation_on" date,
	"note" text,
	"requested_by" uuid NOT NULL,
	"requested_at" timestamp with time zone NOT NULL,
	"decision" text,
	"decided_by" uuid,
	"decided_at" timestamp with time zone,
	"return_reason" text,
	"seq" bigserial NOT NULL,
	CONSTRAINT "case_closures_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
CREATE TABLE "case_statistics" (
	"tenant_id" uuid NOT NULL,
	"case_id" uuid NOT NULL,
	"opened_month" date NOT NULL,
	"closed_month" date NOT NULL,
	"channel" text NOT NULL,
	"mode" text NOT NULL,
	"forms" text[] NOT NULL,
	"motives" text[] NOT NULL,
	"place" text,
	"affected_function" text,
	"level" smallint,
	"measures" text[] NOT NULL,
	"first_response_minutes" integer,
	"outcome" text NOT NULL,
	"feedback_supported" smallint,
	"feedback_superiors" smallint,
	"feedback_colleagues" smallint,
	"feedback_office" smallint,
	"feedback_partners" smallint,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "case_statistics_tenant_id_case_id_pk" PRIMARY KEY("tenant_id","case_id")
);
--> statement-breakpoint
CREATE TABLE "report_feedback" (
	"tenant_id" uuid NOT NULL,
	"report_id" uuid NOT NULL,
	"asked_at" timestamp with time zone NOT NULL,
	"given_at" timestamp with time zone,
	"channel" text,
	"supported" smallint,
	"superiors" smallint,
	"colleagues" smallint,
	"office" smallint,
	"partners" smallint,
	"comment" text,
	"recorded_by" uuid,
	CONSTRAINT "report_feedback_tenant_id_report_id_pk" PRIMARY KEY("tenant_id","report_id")
);
--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "place" text;--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "affected_function" text;--> statement-breakpoint
ALTER TABLE "case_closures" ADD CONSTRAINT "case_closures_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_statistics" ADD CONSTRAINT "case_statistics_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "report_feedback" ADD CONSTRAINT "report_feedback_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "case_closures_case" ON "case_closures" USING btree ("tenant_id","case_id");--> statement-breakpoint
ALTER TABLE "case_closures" ADD CONSTRAINT "case_closures_case_fk" FOREIGN KEY ("tenant_id","case_id") REFERENCES "public"."cases"("tenant_id","id");--> statement-breakpoint
ALTER TABLE "case_closures" ADD CONSTRAINT "case_closures_outcome" CHECK ("outcome" IN ('supported', 'referred', 'proceedings', 'protected', 'no_further_wish', 'unreachable', 'other'));--> statement-breakpoint
ALTER TABLE "case_closures" ADD CONSTRAINT "case_closures_conversation" CHECK ("conversation" IN ('held', 'declined', 'unreachable', 'anonymous') AND ("conversation" <> 'held' OR "conversation_on" IS NOT NULL));--> statement-breakpoint
ALTER TABLE "case_closures" ADD CONSTRAINT "case_closures_decision" CHECK ("decision" IS NULL OR ("decision" IN ('released', 'returned') AND "decided_by" IS NOT NULL AND "decided_at" IS NOT NULL));--> statement-breakpoint
SELECT komma_protect_tenant_table('case_closures', 'SELECT, INSERT, UPDATE');--> statement-breakpoint
GRANT USAGE ON SEQUENCE "case_closures_seq_seq" TO komma_app;--> statement-breakpoint
-- No reference to the case: the statistics record outlives it, with no free text and nothing that identifies.
ALTER TABLE "case_statistics" ADD CONSTRAINT "case_statistics_scores" CHECK (
  ("feedback_supported" IS NULL OR "feedback_supported" BETWEEN 1 AND 5) AND ("feedback_superiors" IS NULL OR "feedback_superiors" BETWEEN 1 AND 5) AND
  ("feedback_colleagues" IS NULL OR "feedback_colleagues" BETWEEN 1 AND 5) AND ("feedback_office" IS NULL OR "feedback_office" BETWEEN 1 AND 5) AND
  ("feedback_partners" IS NULL OR "feedback_partners" BETWEEN 1 AND 5));--> statement-breakpoint
SELECT komma_protect_tenant_table('case_statistics', 'SELECT, INSERT, UPDATE');--> statement-breakpoint
ALTER TABLE "report_feedback" ADD CONSTRAINT "report_feedback_report_fk" FOREIGN KEY ("tenant_id","report_id") REFERENCES "public"."reports"("tenant_id","id");--> statement-breakpoint
ALTER TABLE "report_feedback" ADD CONSTRAINT "report_feedback_scores" CHECK (
  ("supported" IS NULL OR "supported" BETWEEN 1 AND 5) AND ("superiors" IS NULL OR "superiors" BETWEEN 1 AND 5) AND
  ("colleagues" IS NULL OR "colleagues" BETWEEN 1 AND 5) AND ("office" IS NULL OR "office" BETWEEN 1 AND 5) AND
  ("partners" IS NULL OR "partners" BETWEEN 1 AND 5) AND ("given_at" IS NULL OR "channel" IN ('mailbox', 'phone', 'in_person', 'email', 'letter')));--> statement-breakpoint
SELECT komma_protect_tenant_table('report_feedback', 'SELECT, INSERT, UPDATE');--> statement-breakpoint
-- The intake function as before (0026_case_inbox), its event also carrying where it happened and
-- the affected person's function, as codes, for the statistics record.
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
                               'forms', coalesce(p->'forms', '[]'::jsonb), 'motives', coalesce(p->'motives', '[]'::jsonb),
                               'place', p->'place', 'affectedFunction', p->'affectedFunction'),
            v_at);

  PERFORM komma_audit_append(v_tenant, v_at, v_entered_by, 'report.received', 'report', v_report::text, p->'auditDetails', p->>'auditHash');

  case_number := v_case;
  event_id := v_event;
  RETURN NEXT;
END
$$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION komma_receive_report(jsonb) FROM PUBLIC;
