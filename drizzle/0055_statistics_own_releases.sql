CREATE TABLE "statistics_own_releases" (
	"tenant_id" uuid NOT NULL,
	"year" smallint NOT NULL,
	"month" date NOT NULL,
	"pmk_version" smallint NOT NULL,
	"rows" jsonb NOT NULL,
	"released_at" timestamp with time zone NOT NULL,
	CONSTRAINT "statistics_own_releases_tenant_id_year_pk" PRIMARY KEY("tenant_id","year")
);
--> statement-breakpoint
ALTER TABLE "statistics_own_releases" ADD CONSTRAINT "statistics_own_releases_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
SELECT komma_protect_tenant_table('statistics_own_releases', 'SELECT, INSERT, UPDATE');
