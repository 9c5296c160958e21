import { type SQL, sql } from "drizzle-orm";
import { type Db, rows } from "../../platform/db/client.ts";
import type { EventHandler } from "../../platform/events/events.ts";
import type { Platform } from "../../platform/platform.ts";
import { type FeedbackGiven, feedbackGiven } from "../reports/index.ts";
import { type ClosingFigures, caseFeedbackRecorded } from "./events.ts";
import { caseAssessments, caseReports, caseTasks } from "./schema.ts";

/*
 * What a case tells when it closes: the highest level it ever had (its own assessments and those of
 * the cases joined into it), which decides whether closing needs a second officer, and the figures
 * the statistics keep of it — categories and figures only, which outlive the case.
 */

/** The highest level the case ever had (0 if never assessed): it decides whether closing needs a second officer. */
export async function highestLevel(tx: Db, tenantId: string, caseId: string): Promise<number> {
  const [{ level }] = await rows<{ level: number }>(
    tx,
    sql`select coalesce(max(a.level), 0)::int as level from ${caseAssessments} a
         where a.tenant_id = ${tenantId} and a.case_id in (${caseWithJoined(tenantId, sql`${caseId}::uuid`)})`,
  );
  return level;
}

/**
 * A case and every case joined into it (and into those), as a subquery of ids: a joined case's
 * risk assessments and legal holds stay with it and count for the case it joined.
 */
export function caseWithJoined(tenantId: string, caseId: SQL): SQL {
  return sql`with recursive joined(id) as (
      select ${caseId}
      union select j.id from cases j join joined on j.joined_into = joined.id where j.tenant_id = ${tenantId}
    ) select id from joined`;
}

/**
 * The case's figures for the statistics, from what the case holds: month of opening (never a
 * day), channel, mode, categories, the highest level, the measures done, the time to the first
 * response and whether it came by the time the procedure set, and whether a Strafantrag decided
 * for the case was filed within its three-month period (one application in time is enough). Sent with `case.closed` (again
 * when a reopened case is closed again).
 */
export async function closingFiguresOf(tx: Db, tenantId: string, caseId: string): Promise<ClosingFigures> {
  const [r] = await rows<{
    opened_month: string;
    channel: string;
    mode: string;
    forms: string[];
    motives: string[];
    place: string | null;
    affected_function: string | null;
    level: number | null;
    measures: string[];
    first_response_minutes: number | null;
    in_time: boolean | null;
    strafantrag: "in_time" | "late" | "not_filed" | null;
  }>(
    tx,
    sql`select to_char(date_trunc('month', c.opened_at at time zone 'Europe/Berlin'), 'YYYY-MM-DD') as opened_month, c.channel, c.mode,
               c.forms, c.motives, c.place, c.affected_function,
               greatest(c.risk_level, (select max(a.level) from ${caseAssessments} a where a.tenant_id = c.tenant_id and a.case_id in (${caseWithJoined(tenantId, sql`c.id`)})))::int as level,
               array(select distinct t.measure from ${caseTasks} t where t.tenant_id = c.tenant_id and t.case_id = c.id and t.status = 'done' order by 1) as measures,
               (extract(epoch from c.first_response_at - c.opened_at) / 60)::int as first_response_minutes,
               case when c.first_response_at is null or c.respond_by is null then null else c.first_response_at <= c.respond_by end as in_time,
               (select case when bool_or(t.status = 'done' and (t.due_on is null or (t.done_at at time zone 'Europe/Berlin')::date <= t.due_on)) then 'in_time'
                            when bool_or(t.status = 'done') then 'late'
                            when count(*) > 0 then 'not_filed' end
                  from ${caseTasks} t where t.tenant_id = c.tenant_id and t.case_id = c.id and t.measure = 'strafantrag') as strafantrag
          from cases c where c.tenant_id = ${tenantId} and c.id = ${caseId}`,
  );
  return {
    openedMonth: r.opened_month,
    channel: r.channel,
    mode: r.mode,
    forms: r.forms,
    motives: r.motives,
    place: r.place,
    affectedFunction: r.affected_function,
    level: r.level,
    measures: r.measures,
    firstResponseMinutes: r.first_response_minutes === null ? null : Math.max(0, r.first_response_minutes),
    respondedInTime: r.in_time,
    strafantrag: r.strafantrag,
  };
}

/** The person's scores go to the statistics with their case (their words stay with the report). */
export function feedbackIntoStatistics(platform: Pick<Platform, "domainEvents">): EventHandler<FeedbackGiven> {
  return {
    name: "cases.feedback-statistics",
    event: feedbackGiven,
    async handle({ tx, event }) {
      const { tenantId, payload: f } = event;
      const [row] = await rows<{ id: string; number: string }>(
        tx,
        sql`select c.id, c.number from ${caseReports} r join cases c on c.tenant_id = r.tenant_id and c.id = r.case_id
             where r.tenant_id = ${tenantId} and r.report_id = ${f.reportId}`,
      );
      if (!row) return;
      await platform.domainEvents.emit(tx, caseFeedbackRecorded, tenantId, {
        caseId: row.id,
        number: row.number,
        supported: f.supported,
        superiors: f.superiors,
        colleagues: f.colleagues,
        office: f.office,
        partners: f.partners,
      });
    },
  };
}
