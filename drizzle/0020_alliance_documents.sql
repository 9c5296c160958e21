CREATE TABLE "alliance_documents" (
	"tenant_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"circle" text NOT NULL,
	"title" text NOT NULL,
	"file_id" uuid NOT NULL,
	"created_by" uuid NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "alliance_documents_tenant_id_id_pk" PRIMARY KEY("tenant_id","id")
);
--> statement-breakpoint
ALTER TABLE "alliance_documents" ADD CONSTRAINT "alliance_documents_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "alliance_documents" ADD CONSTRAINT "alliance_documents_file_fk" FOREIGN KEY ("tenant_id", "file_id") REFERENCES "stored_files"("tenant_id", "id");
--> statement-breakpoint
CREATE INDEX "alliance_documents_circle" ON "alliance_documents" ("tenant_id", "circle", "created_at");
--> statement-breakpoint
SELECT komma_protect_tenant_table('alliance_documents', 'SELECT, INSERT, DELETE');
