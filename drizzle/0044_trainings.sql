CREATE TABLE "training_feedback_counts" (
	"tenant_id" uuid NOT NULL,
	"session_id" uuid NOT NULL,
	"question" text NOT NULL,
	"option" text NOT NULL,
	"count" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "training_feedback_counts_tenant_id_session_id_question_option_pk" PRIMARY KEY("tenant_id","session_id","question","option")
);
--> statement-breakpoint
CREATE TABLE "training_formats" (
	"tenant_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"title" text NOT NULL,
	"summary" text NOT NULL,
	"topics" text[] DEFAULT '{}' NOT NULL,
	"audience" text NOT NULL,
	"minutes" integer NOT NULL,
	"mode" text NOT NULL,
	"trainer_name" text DEFAULT '' NOT NULL,
	"dimensions" text[] DEFAULT '{}' NOT NULL,
	"practice_ids" uuid[] DEFAULT '{}' NOT NULL,
	"archived" boolean DEFAULT false NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "training_formats_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
CREATE TABLE "training_registrations" (
	"tenant_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"session_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"home_tenant_id" uuid NOT NULL,
	"role" text NOT NULL,
	"status" text NOT NULL,
	"queued_at" timestamp with time zone NOT NULL,
	"cancelled_at" timestamp with time zone,
	"attended" boolean,
	"reminded_at" timestamp with time zone,
	"feedback_given" boolean DEFAULT false NOT NULL,
	CONSTRAINT "training_registrations_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
CREATE TABLE "training_sessions" (
	"tenant_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"format_id" uuid NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone NOT NULL,
	"place" text DEFAULT '' NOT NULL,
	"online_link" text,
	"seats" integer NOT NULL,
	"trainer_id" uuid,
	"status" text DEFAULT 'scheduled' NOT NULL,
	"sequence" integer DEFAULT 0 NOT NULL,
	"reminded_at" timestamp with time zone,
	"attendance_taken_at" timestamp with time zone,
	"feedback_responses" integer DEFAULT 0 NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "training_sessions_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
ALTER TABLE "mail_outbox" ADD COLUMN "calendar" text;--> statement-breakpoint
ALTER TABLE "training_feedback_counts" ADD CONSTRAINT "training_feedback_counts_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "training_formats" ADD CONSTRAINT "training_formats_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "training_formats" ADD CONSTRAINT "training_formats_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "training_registrations" ADD CONSTRAINT "training_registrations_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "training_registrations" ADD CONSTRAINT "training_registrations_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "training_registrations" ADD CONSTRAINT "training_registrations_home_tenant_id_tenants_id_fk" FOREIGN KEY ("home_tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "training_sessions" ADD CONSTRAINT "training_sessions_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "training_sessions" ADD CONSTRAINT "training_sessions_trainer_id_users_id_fk" FOREIGN KEY ("trainer_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "training_sessions" ADD CONSTRAINT "training_sessions_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "training_formats_id" ON "training_formats" USING btree ("id");--> statement-breakpoint
CREATE UNIQUE INDEX "training_registrations_once" ON "training_registrations" USING btree ("tenant_id","session_id","user_id");--> statement-breakpoint
CREATE INDEX "training_registrations_user" ON "training_registrations" USING btree ("user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "training_sessions_id" ON "training_sessions" USING btree ("id");--> statement-breakpoint
CREATE INDEX "training_sessions_starts" ON "training_sessions" USING btree ("starts_at");--> statement-breakpoint
ALTER TABLE "training_sessions" ADD CONSTRAINT "training_sessions_format_fk" FOREIGN KEY ("tenant_id","format_id") REFERENCES "public"."training_formats"("tenant_id","id");
--> statement-breakpoint
ALTER TABLE "training_registrations" ADD CONSTRAINT "training_registrations_session_fk" FOREIGN KEY ("tenant_id","session_id") REFERENCES "public"."training_sessions"("tenant_id","id");
--> statement-breakpoint
ALTER TABLE "training_feedback_counts" ADD CONSTRAINT "training_feedback_counts_session_fk" FOREIGN KEY ("tenant_id","session_id") REFERENCES "public"."training_sessions"("tenant_id","id");
--> statement-breakpoint
ALTER TABLE "training_formats" ADD CONSTRAINT "training_formats_shape" CHECK (
  char_length("title") BETWEEN 3 AND 200 AND char_length("summary") BETWEEN 1 AND 2000 AND char_length("trainer_name") <= 200
  AND "minutes" BETWEEN 15 AND 2880 AND "mode" IN ('on_site', 'online', 'hybrid')
  AND "audience" IN ('leaders', 'public_contact', 'all_staff', 'clearing', 'admins') AND cardinality("practice_ids") <= 20);
--> statement-breakpoint
ALTER TABLE "training_sessions" ADD CONSTRAINT "training_sessions_shape" CHECK (
  "ends_at" > "starts_at" AND "seats" BETWEEN 1 AND 500 AND "status" IN ('scheduled', 'cancelled') AND "sequence" >= 0
  AND "feedback_responses" >= 0 AND char_length("place") <= 300 AND char_length(coalesce("online_link", '')) <= 500);
--> statement-breakpoint
ALTER TABLE "training_registrations" ADD CONSTRAINT "training_registrations_shape" CHECK ("status" IN ('registered', 'waiting', 'cancelled'));
--> statement-breakpoint
ALTER TABLE "training_feedback_counts" ADD CONSTRAINT "training_feedback_counts_count" CHECK ("count" >= 0);
--> statement-breakpoint
CREATE INDEX "training_registrations_queue" ON "training_registrations" ("tenant_id", "session_id", "status", "queued_at");
--> statement-breakpoint
-- Formats and sessions are kept (a session is cancelled, a format archived, never deleted: the reach figures point at them).
SELECT komma_protect_tenant_table('training_formats', 'SELECT, INSERT, UPDATE');
--> statement-breakpoint
SELECT komma_protect_tenant_table('training_sessions', 'SELECT, INSERT, UPDATE');
--> statement-breakpoint
SELECT komma_protect_tenant_table('training_registrations', 'SELECT, INSERT, UPDATE');
--> statement-breakpoint
-- Feedback only counts up: no row per answer, nothing to delete.
SELECT komma_protect_tenant_table('training_feedback_counts', 'SELECT, INSERT, UPDATE');
--> statement-breakpoint
-- Sessions that start before a time and have not been reminded of, across the tenants, each read
-- under its own tenant (the reminder job).
CREATE OR REPLACE FUNCTION komma_due_training_sessions(p_from timestamptz, p_until timestamptz)
  RETURNS TABLE (tenant_id uuid, session_id uuid) LANGUAGE plpgsql AS $$
DECLARE
  t uuid;
BEGIN
  FOR t IN SELECT id FROM tenants LOOP
    PERFORM set_config('app.tenant_id', t::text, true);
    RETURN QUERY SELECT s.tenant_id, s.id FROM training_sessions s
      WHERE s.tenant_id = t AND s.status = 'scheduled' AND s.reminded_at IS NULL AND s.starts_at > p_from AND s.starts_at <= p_until;
  END LOOP;
  PERFORM set_config('app.tenant_id', '', true);
END
$$;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION komma_due_training_sessions(timestamptz, timestamptz) TO komma_app;
