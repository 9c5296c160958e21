CREATE TABLE "knowledge_assessments" (
	"tenant_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"questionnaire" smallint NOT NULL,
	"answers" jsonb NOT NULL,
	"scores" jsonb NOT NULL,
	"taken_by" uuid,
	"taken_at" timestamp with time zone NOT NULL,
	CONSTRAINT "knowledge_assessments_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
ALTER TABLE "knowledge_assessments" ADD CONSTRAINT "knowledge_assessments_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "knowledge_assessments" ADD CONSTRAINT "knowledge_assessments_taken_by_users_id_fk" FOREIGN KEY ("taken_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "knowledge_assessments_id" ON "knowledge_assessments" USING btree ("id");--> statement-breakpoint
CREATE INDEX "knowledge_assessments_taken" ON "knowledge_assessments" USING btree ("tenant_id","taken_at");--> statement-breakpoint
ALTER TABLE "knowledge_assessments" ADD CONSTRAINT "knowledge_assessments_shape" CHECK (jsonb_typeof("answers") = 'object' AND jsonb_typeof("scores") = 'object' AND "questionnaire" >= 1);
--> statement-breakpoint
-- A self-assessment is kept as it was taken: the next one is a new row.
SELECT komma_protect_tenant_table('knowledge_assessments', 'SELECT, INSERT');
--> statement-breakpoint
-- The national level reads every municipality's latest self-assessment to compute the medians that
-- municipalities compare themselves with; the application shows a median only from five
-- contributing municipalities on, and never one municipality's figures to another.
CREATE POLICY "national_read" ON "knowledge_assessments" FOR SELECT
  USING (EXISTS (SELECT 1 FROM tenants t WHERE t.id = komma_current_tenant() AND t.kind = 'national'));
