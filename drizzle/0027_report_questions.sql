CREATE TABLE "report_questions" (
	"tenant_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"report_id" uuid NOT NULL,
	"topic" text NOT NULL,
	"note" text,
	"asked_by" uuid,
	"asked_at" timestamp with time zone NOT NULL,
	"answer" text,
	"answer_note" text,
	"answered_at" timestamp with time zone,
	"channel" text,
	"recorded_by" uuid,
	"seq" bigserial NOT NULL,
	CONSTRAINT "report_questions_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
ALTER TABLE "report_questions" ADD CONSTRAINT "report_questions_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "report_questions" ADD CONSTRAINT "report_questions_report_fk" FOREIGN KEY ("tenant_id","report_id") REFERENCES "public"."reports"("tenant_id","id");--> statement-breakpoint
ALTER TABLE "report_questions" ADD CONSTRAINT "report_questions_topic" CHECK ("topic" IN ('police', 'strafantrag', 'solidarity_statement', 'inform_leader', 'referral', 'closing'));--> statement-breakpoint
ALTER TABLE "report_questions" ADD CONSTRAINT "report_questions_answer" CHECK ("answer" IS NULL OR ("answer" IN ('agree', 'decline', 'ask_back') AND "answered_at" IS NOT NULL AND "channel" IN ('mailbox', 'phone', 'in_person', 'email', 'letter')));--> statement-breakpoint
SELECT komma_protect_tenant_table('report_questions', 'SELECT, INSERT, UPDATE');--> statement-breakpoint
GRANT USAGE ON SEQUENCE "report_questions_seq_seq" TO komma_app;
