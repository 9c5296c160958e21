ALTER TABLE "statistics_records" ADD COLUMN "feedback_month" date;--> statement-breakpoint
-- A record's closing now counts in the month it was closed and its feedback in the month it was
-- given (their own months), so that a month's figures never change once it is over. Feedback
-- given before is taken to have come in the month of the closing. Where there are records, the
-- rollups are built again by the rollup job (version 0), which then releases the national
-- figures again (a new release method); each municipality's own figures are released again at
-- its next look.
-- (The owner reads and changes every tenant's records for this one step.)
ALTER TABLE statistics_records NO FORCE ROW LEVEL SECURITY;--> statement-breakpoint
UPDATE statistics_records SET feedback_month = coalesce(closed_month, opened_month)
 WHERE coalesce(feedback_supported, feedback_superiors, feedback_colleagues, feedback_office, feedback_partners) IS NOT NULL;--> statement-breakpoint
UPDATE statistics_rollup_state SET pmk_version = 0 WHERE EXISTS (SELECT 1 FROM statistics_records);--> statement-breakpoint
ALTER TABLE statistics_records FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE statistics_own_releases NO FORCE ROW LEVEL SECURITY;--> statement-breakpoint
DELETE FROM statistics_own_releases;--> statement-breakpoint
ALTER TABLE statistics_own_releases FORCE ROW LEVEL SECURITY;
