-- A case now counts in one PMK Phänomenbereich (not one per motive), and the attack target counts
-- the other cases too ("other"), so that both add up to the incidents and take part in the
-- suppression. Where there are records, the rollups are built again by the rollup job (version 0),
-- and the national figures are released again on its next run.
-- (The owner reads every tenant's records for this one check.)
ALTER TABLE statistics_records NO FORCE ROW LEVEL SECURITY;--> statement-breakpoint
UPDATE statistics_rollup_state SET pmk_version = 0 WHERE EXISTS (SELECT 1 FROM statistics_records);--> statement-breakpoint
ALTER TABLE statistics_records FORCE ROW LEVEL SECURITY;--> statement-breakpoint
DELETE FROM statistics_releases WHERE EXISTS (SELECT 1 FROM statistics_rollup_state WHERE pmk_version = 0);
