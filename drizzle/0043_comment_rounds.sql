CREATE TABLE "knowledge_comment_rounds" (
	"tenant_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"version" integer NOT NULL,
	"title" text NOT NULL,
	"closes_at" timestamp with time zone NOT NULL,
	"closed_at" timestamp with time zone,
	"summary" text,
	"summary_version" integer,
	"created_by" uuid,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "knowledge_comment_rounds_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
CREATE TABLE "knowledge_round_comments" (
	"tenant_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"round_id" uuid NOT NULL,
	"group_id" uuid NOT NULL,
	"section" text NOT NULL,
	"body" text NOT NULL,
	"signature" text,
	"status" text DEFAULT 'pending' NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"moderated_by" uuid,
	"moderated_at" timestamp with time zone,
	CONSTRAINT "knowledge_round_comments_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
CREATE TABLE "knowledge_round_groups" (
	"tenant_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"round_id" uuid NOT NULL,
	"name" text NOT NULL,
	"token_hash" text NOT NULL,
	CONSTRAINT "knowledge_round_groups_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
ALTER TABLE "knowledge_comment_rounds" ADD CONSTRAINT "knowledge_comment_rounds_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "knowledge_comment_rounds" ADD CONSTRAINT "knowledge_comment_rounds_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "knowledge_round_comments" ADD CONSTRAINT "knowledge_round_comments_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "knowledge_round_comments" ADD CONSTRAINT "knowledge_round_comments_moderated_by_users_id_fk" FOREIGN KEY ("moderated_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "knowledge_round_groups" ADD CONSTRAINT "knowledge_round_groups_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "knowledge_comment_rounds_id" ON "knowledge_comment_rounds" USING btree ("id");--> statement-breakpoint
CREATE INDEX "knowledge_round_comments_round" ON "knowledge_round_comments" USING btree ("tenant_id","round_id");--> statement-breakpoint
CREATE UNIQUE INDEX "knowledge_round_groups_token" ON "knowledge_round_groups" USING btree ("token_hash");--> statement-breakpoint
ALTER TABLE "knowledge_comment_rounds" ADD CONSTRAINT "knowledge_comment_rounds_version_fk" FOREIGN KEY ("tenant_id","version") REFERENCES "public"."knowledge_strategy_versions"("tenant_id","version");
--> statement-breakpoint
ALTER TABLE "knowledge_comment_rounds" ADD CONSTRAINT "knowledge_comment_rounds_shape" CHECK (char_length("title") BETWEEN 3 AND 200 AND ("summary" IS NULL OR char_length("summary") <= 5000));
--> statement-breakpoint
ALTER TABLE "knowledge_round_groups" ADD CONSTRAINT "knowledge_round_groups_round_fk" FOREIGN KEY ("tenant_id","round_id") REFERENCES "public"."knowledge_comment_rounds"("tenant_id","id");
--> statement-breakpoint
ALTER TABLE "knowledge_round_groups" ADD CONSTRAINT "knowledge_round_groups_shape" CHECK (char_length("name") BETWEEN 2 AND 120);
--> statement-breakpoint
ALTER TABLE "knowledge_round_comments" ADD CONSTRAINT "knowledge_round_comments_round_fk" FOREIGN KEY ("tenant_id","round_id") REFERENCES "public"."knowledge_comment_rounds"("tenant_id","id");
--> statement-breakpoint
ALTER TABLE "knowledge_round_comments" ADD CONSTRAINT "knowledge_round_comments_group_fk" FOREIGN KEY ("tenant_id","group_id") REFERENCES "public"."knowledge_round_groups"("tenant_id","id");
--> statement-breakpoint
ALTER TABLE "knowledge_round_comments" ADD CONSTRAINT "knowledge_round_comments_shape" CHECK ("status" IN ('pending', 'approved', 'rejected')
  AND "section" IN ('situation', 'goals', 'fields', 'responsibilities', 'resources', 'participation')
  AND (("status" = 'pending') = ("moderated_at" IS NULL)));
--> statement-breakpoint
SELECT komma_protect_tenant_table('knowledge_comment_rounds', 'SELECT, INSERT, UPDATE');
--> statement-breakpoint
SELECT komma_protect_tenant_table('knowledge_round_groups', 'SELECT, INSERT, UPDATE');
--> statement-breakpoint
SELECT komma_protect_tenant_table('knowledge_round_comments', 'SELECT, INSERT, UPDATE');
