CREATE TABLE "alliance_agreements" (
	"tenant_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"partner_id" uuid NOT NULL,
	"title" text NOT NULL,
	"valid_from" date NOT NULL,
	"valid_until" date,
	"file_id" uuid,
	"reminded_at" timestamp with time zone,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "alliance_agreements_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
CREATE TABLE "stored_files" (
	"tenant_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"purpose" text NOT NULL,
	"name" text NOT NULL,
	"media_type" text NOT NULL,
	"size" integer NOT NULL,
	"sha256" text NOT NULL,
	"data" text NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "stored_files_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
ALTER TABLE "alliance_agreements" ADD CONSTRAINT "alliance_agreements_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stored_files" ADD CONSTRAINT "stored_files_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stored_files" ADD CONSTRAINT "stored_files_size" CHECK ("size" >= 0);
--> statement-breakpoint
SELECT komma_protect_tenant_table('stored_files', 'SELECT, INSERT, UPDATE, DELETE');
--> statement-breakpoint
ALTER TABLE "alliance_agreements" ADD CONSTRAINT "alliance_agreements_partner_fk" FOREIGN KEY ("tenant_id", "partner_id") REFERENCES "alliance_partners"("tenant_id", "id") ON DELETE CASCADE;
--> statement-breakpoint
ALTER TABLE "alliance_agreements" ADD CONSTRAINT "alliance_agreements_file_fk" FOREIGN KEY ("tenant_id", "file_id") REFERENCES "stored_files"("tenant_id", "id");
--> statement-breakpoint
ALTER TABLE "alliance_agreements" ADD CONSTRAINT "alliance_agreements_period" CHECK ("valid_until" IS NULL OR "valid_until" >= "valid_from");
--> statement-breakpoint
CREATE INDEX "alliance_agreements_partner" ON "alliance_agreements" ("tenant_id", "partner_id");
--> statement-breakpoint
CREATE INDEX "alliance_agreements_due" ON "alliance_agreements" ("valid_until") WHERE "reminded_at" IS NULL AND "valid_until" IS NOT NULL;
--> statement-breakpoint
SELECT komma_protect_tenant_table('alliance_agreements');
