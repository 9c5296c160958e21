ALTER TABLE "statistics_records" ADD COLUMN "strafantrag" text;--> statement-breakpoint
-- Closed cases now also count by their Strafantrag ("none" for those closed before): where there
-- are closed records, the rollups are built again by the rollup job (version 0), as after a new
-- PMK mapping, so that the new counts and the records agree.
-- (The owner reads every tenant's records for this one check.)
ALTER TABLE statistics_records NO FORCE ROW LEVEL SECURITY;--> statement-breakpoint
UPDATE statistics_rollup_state SET pmk_version = 0 WHERE EXISTS (SELECT 1 FROM statistics_records WHERE state = 'closed');--> statement-breakpoint
ALTER TABLE statistics_records FORCE ROW LEVEL SECURITY;
