ALTER TABLE "cases" ADD COLUMN "joined_into" uuid;--> statement-breakpoint
-- A case whose reports were joined into another is closed as "joined" and points to that case.
ALTER TABLE "cases" DROP CONSTRAINT "cases_closed_reason";--> statement-breakpoint
ALTER TABLE "cases" ADD CONSTRAINT "cases_closed_reason" CHECK ("closed_reason" IN ('duplicate', 'abuse', 'joined') AND (("closed_reason" = 'joined') = ("joined_into" IS NOT NULL)));
--> statement-breakpoint
-- Joining moves a report to another case (its case and the time it joined), nothing else of it.
GRANT UPDATE ("case_id", "joined_at") ON "case_reports" TO komma_app;
