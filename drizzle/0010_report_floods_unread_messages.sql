CREATE TABLE "report_floods" (
	"tenant_id" uuid PRIMARY KEY NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"last_alert_at" timestamp with time zone NOT NULL,
	"count" integer NOT NULL
);
--> statement-breakpoint
ALTER TABLE "report_messages" ADD COLUMN "read_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "report_floods" ADD CONSTRAINT "report_floods_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;
--> statement-breakpoint
SELECT komma_protect_tenant_table('report_floods');
--> statement-breakpoint
-- Messages from before unread marks existed count as read. Row-level security binds the owner
-- too (FORCE), so it is lifted for this one statement.
ALTER TABLE report_messages NO FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
UPDATE report_messages SET read_at = created_at;
--> statement-breakpoint
ALTER TABLE report_messages FORCE ROW LEVEL SECURITY;
