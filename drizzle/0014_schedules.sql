CREATE TABLE "schedules" (
	"name" text PRIMARY KEY NOT NULL,
	"last_due_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
-- A global table, for the owner's own connection only (like rate_counters): request code has no
-- business moving a schedule.
REVOKE ALL ON schedules FROM komma_app;
