-- A municipality's own release keeps its protected table, as the national release does (0058):
-- a read neither sums nor protects it again, and the protection runs once, in a worker thread.
ALTER TABLE "statistics_own_releases" ADD COLUMN "withheld" jsonb;--> statement-breakpoint
ALTER TABLE "statistics_own_releases" ADD COLUMN "table" jsonb;