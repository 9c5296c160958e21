CREATE TABLE "statistics_sources" (
	"tenant_id" uuid NOT NULL,
	"source" text NOT NULL,
	"contributions" jsonb NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "statistics_sources_tenant_id_source_pk" PRIMARY KEY("tenant_id","source")
);
--> statement-breakpoint
ALTER TABLE "statistics_sources" ADD CONSTRAINT "statistics_sources_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
SELECT komma_protect_tenant_table('statistics_sources', 'SELECT, INSERT, UPDATE');
