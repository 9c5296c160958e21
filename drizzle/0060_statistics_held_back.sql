ALTER TABLE "statistics_own_releases" ADD COLUMN "hidden" jsonb;--> statement-breakpoint
ALTER TABLE "statistics_own_releases" ADD COLUMN "held_back" jsonb;--> statement-breakpoint
ALTER TABLE "statistics_releases" ADD COLUMN "held_back" jsonb;