CREATE TABLE "knowledge_poll_options" (
	"tenant_id" uuid NOT NULL,
	"poll_id" uuid NOT NULL,
	"position" smallint NOT NULL,
	"label" text NOT NULL,
	"count" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "knowledge_poll_options_tenant_id_poll_id_position_pk" PRIMARY KEY("tenant_id","poll_id","position")
);
--> statement-breakpoint
CREATE TABLE "knowledge_polls" (
	"tenant_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"question" text NOT NULL,
	"code_hash" text NOT NULL,
	"votes" integer DEFAULT 0 NOT NULL,
	"closed_at" timestamp with time zone,
	"created_by" uuid,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "knowledge_polls_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
ALTER TABLE "knowledge_poll_options" ADD CONSTRAINT "knowledge_poll_options_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "knowledge_polls" ADD CONSTRAINT "knowledge_polls_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "knowledge_polls" ADD CONSTRAINT "knowledge_polls_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "knowledge_polls_id" ON "knowledge_polls" USING btree ("id");--> statement-breakpoint
CREATE UNIQUE INDEX "knowledge_polls_code" ON "knowledge_polls" USING btree ("code_hash");--> statement-breakpoint
ALTER TABLE "knowledge_poll_options" ADD CONSTRAINT "knowledge_poll_options_poll_fk" FOREIGN KEY ("tenant_id","poll_id") REFERENCES "public"."knowledge_polls"("tenant_id","id");
--> statement-breakpoint
ALTER TABLE "knowledge_poll_options" ADD CONSTRAINT "knowledge_poll_options_shape" CHECK ("count" >= 0 AND "position" BETWEEN 0 AND 5 AND char_length("label") BETWEEN 1 AND 120);
--> statement-breakpoint
ALTER TABLE "knowledge_polls" ADD CONSTRAINT "knowledge_polls_shape" CHECK ("votes" >= 0 AND char_length("question") BETWEEN 3 AND 300);
--> statement-breakpoint
SELECT komma_protect_tenant_table('knowledge_polls', 'SELECT, INSERT, UPDATE');
--> statement-breakpoint
SELECT komma_protect_tenant_table('knowledge_poll_options', 'SELECT, INSERT, UPDATE');
