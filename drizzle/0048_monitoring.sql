CREATE TABLE "statistics_records" (
	"tenant_id" uuid NOT NULL,
	"case_id" uuid NOT NULL,
	"state" text NOT NULL,
	"opened_month" date NOT NULL,
	"closed_month" date,
	"land" text,
	"tenant_kind" text NOT NULL,
	"channel" text NOT NULL,
	"mode" text NOT NULL,
	"forms" text[] NOT NULL,
	"motives" text[] NOT NULL,
	"place" text,
	"affected_function" text,
	"level" smallint,
	"measures" text[] NOT NULL,
	"first_response_minutes" integer,
	"responded_in_time" text,
	"outcome" text,
	"feedback_supported" smallint,
	"feedback_superiors" smallint,
	"feedback_colleagues" smallint,
	"feedback_office" smallint,
	"feedback_partners" smallint,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "statistics_records_tenant_id_case_id_pk" PRIMARY KEY("tenant_id","case_id"),
	CONSTRAINT "statistics_records_closed" CHECK (("statistics_records"."state" = 'closed') = ("statistics_records"."closed_month" is not null and "statistics_records"."outcome" is not null) or "statistics_records"."state" = 'dismissed')
);
--> statement-breakpoint
CREATE TABLE "statistics_rollup_state" (
	"id" smallint PRIMARY KEY NOT NULL,
	"pmk_version" smallint NOT NULL,
	"rebuilt_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "statistics_rollups" (
	"month" date NOT NULL,
	"land" text NOT NULL,
	"kind" text NOT NULL,
	"dimension" text NOT NULL,
	"code" text NOT NULL,
	"count" integer NOT NULL,
	"sum" integer NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "statistics_rollups_month_land_kind_dimension_code_pk" PRIMARY KEY("month","land","kind","dimension","code")
);
--> statement-breakpoint
ALTER TABLE "statistics_records" ADD CONSTRAINT "statistics_records_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "statistics_records_month" ON "statistics_records" USING btree ("tenant_id","opened_month");--> statement-breakpoint
ALTER TABLE "statistics_records" ADD CONSTRAINT "statistics_records_state" CHECK ("state" IN ('open', 'closed', 'dismissed'));--> statement-breakpoint
ALTER TABLE "statistics_records" ADD CONSTRAINT "statistics_records_scores" CHECK (
  coalesce("feedback_supported", 1) BETWEEN 1 AND 5 AND coalesce("feedback_superiors", 1) BETWEEN 1 AND 5 AND coalesce("feedback_colleagues", 1) BETWEEN 1 AND 5
  AND coalesce("feedback_office", 1) BETWEEN 1 AND 5 AND coalesce("feedback_partners", 1) BETWEEN 1 AND 5);--> statement-breakpoint
SELECT komma_protect_tenant_table('statistics_records', 'SELECT, INSERT, UPDATE');--> statement-breakpoint
-- Counts across municipalities, with no tenant and nothing of a case: every process adds to them.
GRANT SELECT, INSERT, UPDATE ON statistics_rollups, statistics_rollup_state TO komma_app;--> statement-breakpoint
ALTER TABLE "statistics_rollups" ADD CONSTRAINT "statistics_rollups_counts" CHECK ("count" >= 0 AND "sum" >= 0);--> statement-breakpoint
-- The clearing procedure's statistics records move here. The rollups are built from them on the
-- first run of the monitoring's rollup job (no state row yet).
INSERT INTO statistics_records (tenant_id, case_id, state, opened_month, closed_month, land, tenant_kind, channel, mode, forms, motives, place,
                                affected_function, level, measures, first_response_minutes, outcome, feedback_supported, feedback_superiors,
                                feedback_colleagues, feedback_office, feedback_partners, updated_at)
SELECT s.tenant_id, s.case_id, 'closed', s.opened_month, s.closed_month, t.land, t.kind, s.channel, s.mode, s.forms, s.motives, s.place,
       s.affected_function, s.level, s.measures, s.first_response_minutes, s.outcome, s.feedback_supported, s.feedback_superiors,
       s.feedback_colleagues, s.feedback_office, s.feedback_partners, s.updated_at
  FROM case_statistics s JOIN tenants t ON t.id = s.tenant_id;
--> statement-breakpoint
-- Rollups built with PMK mapping version 2; 0 (built again by the rollup job) where records were moved in.
INSERT INTO statistics_rollup_state (id, pmk_version, rebuilt_at)
SELECT 1, CASE WHEN EXISTS (SELECT 1 FROM statistics_records) THEN 0 ELSE 2 END, now();
