DROP INDEX "domain_events_unsettled";--> statement-breakpoint
ALTER TABLE "domain_events" ADD COLUMN "seq" bigserial NOT NULL;--> statement-breakpoint
CREATE INDEX "domain_events_unsettled_order" ON "domain_events" USING btree ("occurred_at","seq") WHERE "domain_events"."settled_at" is null;--> statement-breakpoint
-- The application role writes events, so it draws numbers from the column's sequence.
GRANT USAGE ON SEQUENCE "domain_events_seq_seq" TO komma_app;
