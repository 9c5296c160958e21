CREATE TABLE "knowledge_strategy_versions" (
	"tenant_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"title" text NOT NULL,
	"situation" text DEFAULT '' NOT NULL,
	"goals" text DEFAULT '' NOT NULL,
	"fields" text DEFAULT '' NOT NULL,
	"responsibilities" text DEFAULT '' NOT NULL,
	"resources" text DEFAULT '' NOT NULL,
	"participation" text DEFAULT '' NOT NULL,
	"note" text DEFAULT '' NOT NULL,
	"saved_by" uuid,
	"saved_at" timestamp with time zone NOT NULL,
	"visibility" text,
	"published_at" timestamp with time zone,
	CONSTRAINT "knowledge_strategy_versions_tenant_id_version_pk" PRIMARY KEY("tenant_id","version")
);
--> statement-breakpoint
ALTER TABLE "knowledge_strategy_versions" ADD CONSTRAINT "knowledge_strategy_versions_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "knowledge_strategy_versions" ADD CONSTRAINT "knowledge_strategy_versions_saved_by_users_id_fk" FOREIGN KEY ("saved_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "knowledge_strategy_versions" ADD CONSTRAINT "knowledge_strategy_versions_shape" CHECK ("version" >= 1 AND length("title") BETWEEN 3 AND 200 AND ("visibility" IS NULL) = ("published_at" IS NULL));
--> statement-breakpoint
-- Versions are added, and published once; never deleted.
SELECT komma_protect_tenant_table('knowledge_strategy_versions', 'SELECT, INSERT, UPDATE');
--> statement-breakpoint
-- A published version is read from every tenant's transaction (one for the network only by the people of
-- the network's municipalities and the national level), a public one also without a tenant.
CREATE POLICY "published_read" ON "knowledge_strategy_versions" FOR SELECT
  USING ("published_at" IS NOT NULL AND ("visibility" = 'public' OR ("visibility" = 'network' AND komma_current_tenant() IS NOT NULL
    AND EXISTS (SELECT 1 FROM memberships m WHERE m.user_id = komma_current_user()
                 AND m.role IN ('municipal_admin', 'clearing_officer', 'leader', 'staff', 'national_admin', 'advisory_board')))));
