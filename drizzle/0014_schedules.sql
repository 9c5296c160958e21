CREATE TABLE "schedules" (
	"name" text PRIMARY KEY NOT NULL,
	"last_due_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
-- A global table, for the owner's own connection only (like rate_counters): request code has no
-- business moving a schedule.
REVOKE ALL ON schedules FROM komma_app;
--> statement-breakpoint
-- The emitting process settles an event in the same tenant transaction as its handlers' work.
GRANT UPDATE (settled_at) ON domain_events TO komma_app;
