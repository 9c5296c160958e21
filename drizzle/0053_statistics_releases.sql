CREATE TABLE "statistics_releases" (
	"year" smallint PRIMARY KEY NOT NULL,
	"month" date NOT NULL,
	"rows" jsonb NOT NULL,
	"withheld" jsonb NOT NULL,
	"released_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
-- National figures, no tenant: like the rollups, read and written by the application.
GRANT SELECT, INSERT, UPDATE ON statistics_releases TO komma_app;
