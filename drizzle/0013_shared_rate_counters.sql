CREATE TABLE "rate_counters" (
	"purpose" text NOT NULL,
	"key_hash" text NOT NULL,
	"total" bigint NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	CONSTRAINT "rate_counters_purpose_key_hash_pk" PRIMARY KEY("purpose","key_hash")
);
--> statement-breakpoint
CREATE INDEX "rate_counters_expires_at" ON "rate_counters" USING btree ("expires_at");
--> statement-breakpoint
-- A global table (no tenant, so no row-level security, decision 003). Only the owner's own
-- connection counts (one statement per hit, outside any request transaction); the role requests
-- run as, komma_app, gets nothing: request code can neither read whose counts are high nor
-- reset a limit. Stated explicitly, so that a later blanket grant is a visible change.
REVOKE ALL ON rate_counters FROM komma_app;

--> statement-breakpoint
-- Counts are written on every limited request: without a write-ahead log entry (and its flush
-- at each commit) they cost a fraction. What is lost in a crash is a few minutes of counting
-- (the table is emptied then, and a standby does not carry it), which limits may well forget.
ALTER TABLE rate_counters SET UNLOGGED;
