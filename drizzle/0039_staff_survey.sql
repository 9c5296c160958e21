CREATE TABLE "knowledge_survey_counts" (
	"tenant_id" uuid NOT NULL,
	"survey_id" uuid NOT NULL,
	"question" text NOT NULL,
	"option" text NOT NULL,
	"count" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "knowledge_survey_counts_tenant_id_survey_id_question_option_pk" PRIMARY KEY("tenant_id","survey_id","question","option")
);
--> statement-breakpoint
CREATE TABLE "knowledge_surveys" (
	"tenant_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"title" text NOT NULL,
	"questionnaire" smallint NOT NULL,
	"token_hash" text NOT NULL,
	"closes_at" timestamp with time zone NOT NULL,
	"closed_at" timestamp with time zone,
	"responses" integer DEFAULT 0 NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "knowledge_surveys_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
ALTER TABLE "knowledge_survey_counts" ADD CONSTRAINT "knowledge_survey_counts_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "knowledge_surveys" ADD CONSTRAINT "knowledge_surveys_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "knowledge_surveys" ADD CONSTRAINT "knowledge_surveys_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "knowledge_surveys_id" ON "knowledge_surveys" USING btree ("id");--> statement-breakpoint
CREATE UNIQUE INDEX "knowledge_surveys_token" ON "knowledge_surveys" USING btree ("token_hash");--> statement-breakpoint
ALTER TABLE "knowledge_survey_counts" ADD CONSTRAINT "knowledge_survey_counts_survey_fk" FOREIGN KEY ("tenant_id","survey_id") REFERENCES "public"."knowledge_surveys"("tenant_id","id");
--> statement-breakpoint
ALTER TABLE "knowledge_survey_counts" ADD CONSTRAINT "knowledge_survey_counts_count" CHECK ("count" >= 0);
--> statement-breakpoint
ALTER TABLE "knowledge_surveys" ADD CONSTRAINT "knowledge_surveys_shape" CHECK ("responses" >= 0 AND "questionnaire" >= 1 AND length("title") BETWEEN 3 AND 200);
--> statement-breakpoint
-- Surveys are tenant-isolated; an answer only counts up (no row per answer, nothing to delete).
SELECT komma_protect_tenant_table('knowledge_surveys', 'SELECT, INSERT, UPDATE');
--> statement-breakpoint
SELECT komma_protect_tenant_table('knowledge_survey_counts', 'SELECT, INSERT, UPDATE');
