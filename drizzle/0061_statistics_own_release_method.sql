ALTER TABLE "statistics_own_releases" ADD COLUMN "carried" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "statistics_own_releases" ADD COLUMN "method" smallint DEFAULT 1 NOT NULL;