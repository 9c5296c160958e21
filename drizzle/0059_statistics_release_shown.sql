ALTER TABLE "statistics_own_releases" ADD COLUMN "known" jsonb;--> statement-breakpoint
ALTER TABLE "statistics_own_releases" ADD COLUMN "shown" jsonb;--> statement-breakpoint
ALTER TABLE "statistics_releases" ADD COLUMN "shown" jsonb;