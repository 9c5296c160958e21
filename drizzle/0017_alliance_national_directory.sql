CREATE TABLE "alliance_national_entries" (
	"tenant_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"land" text NOT NULL,
	"name" text NOT NULL,
	"kind" text NOT NULL,
	"services" text DEFAULT '' NOT NULL,
	"phone" text,
	"email" text,
	"web" text,
	"languages" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"accessibility" text DEFAULT '' NOT NULL,
	"hours" jsonb NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "alliance_national_entries_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
ALTER TABLE "alliance_partners" ADD COLUMN "national_entry_id" uuid;--> statement-breakpoint
ALTER TABLE "alliance_partners" ADD COLUMN "national_version" integer;--> statement-breakpoint
ALTER TABLE "alliance_national_entries" ADD CONSTRAINT "alliance_national_entries_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "alliance_national_entries_id" ON "alliance_national_entries" USING btree ("id");--> statement-breakpoint
ALTER TABLE "alliance_national_entries" ADD CONSTRAINT "alliance_national_entries_land" CHECK ("land" = 'bund' OR "land" ~ '^(0[1-9]|1[0-6])$');
--> statement-breakpoint
-- A copy in a municipality's alliance stays when the national entry goes; it is then no longer linked.
ALTER TABLE "alliance_partners" ADD CONSTRAINT "alliance_partners_national_entry_fk" FOREIGN KEY ("national_entry_id") REFERENCES "alliance_national_entries"("id") ON DELETE SET NULL;
--> statement-breakpoint
CREATE INDEX "alliance_partners_national_entry" ON "alliance_partners" ("national_entry_id") WHERE "national_entry_id" IS NOT NULL;
--> statement-breakpoint
SELECT komma_protect_tenant_table('alliance_national_entries');
--> statement-breakpoint
-- Tenant isolation, narrowed: written only in the national tenant's own transaction (a municipality's rows here would be
-- offered to every other municipality).
DROP POLICY tenant_isolation ON "alliance_national_entries";
--> statement-breakpoint
CREATE POLICY tenant_isolation ON "alliance_national_entries"
  USING ("tenant_id" = komma_current_tenant() AND EXISTS (SELECT 1 FROM tenants t WHERE t.id = "tenant_id" AND t.kind = 'national'))
  WITH CHECK ("tenant_id" = komma_current_tenant() AND EXISTS (SELECT 1 FROM tenants t WHERE t.id = "tenant_id" AND t.kind = 'national'));
--> statement-breakpoint
-- Public facts about help services: every tenant's transaction may read them, to offer and copy them.
CREATE POLICY national_directory_read ON "alliance_national_entries" FOR SELECT USING (true);
