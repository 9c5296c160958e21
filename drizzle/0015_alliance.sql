CREATE TABLE "alliance_contacts" (
	"tenant_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"partner_id" uuid NOT NULL,
	"function" text DEFAULT '' NOT NULL,
	"name" text NOT NULL,
	"phone" text,
	"email" text,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "alliance_contacts_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
CREATE TABLE "alliance_partners" (
	"tenant_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"kind" text NOT NULL,
	"services" text DEFAULT '' NOT NULL,
	"phone" text,
	"email" text,
	"web" text,
	"region" text DEFAULT '' NOT NULL,
	"languages" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"accessibility" text DEFAULT '' NOT NULL,
	"hours" jsonb NOT NULL,
	"card_situations" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "alliance_partners_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
CREATE TABLE "alliance_settings" (
	"tenant_id" uuid PRIMARY KEY NOT NULL,
	"card_visibility" text DEFAULT 'public' NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "alliance_contacts" ADD CONSTRAINT "alliance_contacts_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "alliance_partners" ADD CONSTRAINT "alliance_partners_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "alliance_settings" ADD CONSTRAINT "alliance_settings_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
-- A contact person belongs to a partner of the same municipality.
ALTER TABLE "alliance_contacts" ADD CONSTRAINT "alliance_contacts_partner_fk" FOREIGN KEY ("tenant_id", "partner_id") REFERENCES "alliance_partners"("tenant_id", "id");
--> statement-breakpoint
CREATE INDEX "alliance_contacts_partner" ON "alliance_contacts" ("tenant_id", "partner_id");
--> statement-breakpoint
SELECT komma_protect_tenant_table('alliance_partners');
--> statement-breakpoint
SELECT komma_protect_tenant_table('alliance_contacts');
--> statement-breakpoint
SELECT komma_protect_tenant_table('alliance_settings', 'SELECT, INSERT, UPDATE');
