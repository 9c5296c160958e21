import { type SQL, type SQLWrapper, sql } from "drizzle-orm";
import { berlinDate } from "../../platform/calendar.ts";
import { type Db, preparedRows } from "../../platform/db/client.ts";
import { tenants } from "../../platform/db/schema.ts";
import { rowKey } from "./cells.ts";
import type { Dimension } from "./dimensions.ts";
import { CURRENT_PMK_VERSION, pmkCodes } from "./pmk.ts";
import { type RecordState, statisticsOwnReleases, statisticsRecords, statisticsReleases, statisticsRollupState, statisticsRollups } from "./schema.ts";

/** The first day of the month an instant falls in, in Berlin: how every month of the figures is written. */
export const monthOf = (at: Date) => `${berlinDate(at).slice(0, 7)}-01`;

/** A year's first day and the next year's: the months `from <= month < to`. */
export const yearRange = (year: number) => [`${year}-01-01`, `${year + 1}-01-01`] as const;

/*
 * A statistics record and what it adds to the rollups. Every change of a record (opened,
 * assessed, closed, dismissed, reopened, feedback) is applied as the difference between what
 * the record added before and what it adds now, in the transaction of the event that changed
 * it: the rollups are never recomputed per request.
 *
 * A record counts in three parts, each in its own month: the report (incidents and their
 * categories) in the month it was opened, the closing (outcome, measures, level, response,
 * Strafantrag) in the month it was closed, the feedback in the month it was given. A part is
 * booked in its month and no later change reaches it once that month is over (`handlers.ts`
 * decides): so a month's figures, once released, never change, and no difference between two
 * releases tells what happened to one case.
 */

export const FEEDBACK_QUESTIONS = ["supported", "superiors", "colleagues", "office", "partners"] as const;
export type FeedbackQuestion = (typeof FEEDBACK_QUESTIONS)[number];

export interface StatRecord {
  state: RecordState;
  openedMonth: string;
  /** Closed: the month of the closing. Dismissed: the month of the dismissal (the report stays counted when that was after its month). */
  closedMonth: string | null;
  /** The month the feedback was given in. */
  feedbackMonth: string | null;
  land: string | null;
  tenantKind: string;
  channel: string;
  mode: string;
  forms: string[];
  motives: string[];
  place: string | null;
  affectedFunction: string | null;
  level: number | null;
  measures: string[];
  firstResponseMinutes: number | null;
  respondedInTime: "in_time" | "late" | null;
  strafantrag: "in_time" | "late" | "not_filed" | null;
  outcome: string | null;
  feedback: Record<FeedbackQuestion, number | null>;
}

export interface Contribution {
  month: string;
  land: string;
  kind: string;
  dimension: Dimension;
  code: string;
  count: number;
  sum: number;
}

/** Whether the report counts: not when it was dismissed (a duplicate, abuse, joined) in the month it was opened. */
export const reportCounts = (r: StatRecord) => r.state !== "dismissed" || (r.closedMonth !== null && r.closedMonth > r.openedMonth);

/** What a record adds to the rollups: the report in its month, the closing in its month, the feedback in its month. */
export function contributions(r: StatRecord | null): Contribution[] {
  if (!r || !reportCounts(r)) return [];
  const out: Contribution[] = [];
  const at = (month: string) => {
    const base = { month, land: r.land ?? "", kind: r.tenantKind };
    return (dimension: Dimension, code: string, sum = 0) => out.push({ ...base, dimension, code, count: 1, sum });
  };
  const report = at(r.openedMonth);
  report("incidents", "all");
  for (const f of new Set(r.forms)) report("form", f);
  for (const m of new Set(r.motives)) report("motive", m);
  report("place", r.place ?? "unknown");
  report("channel", r.channel);
  report("function", r.affectedFunction ?? "unknown");
  const pmk = pmkCodes(r.openedMonth, r.motives, r.affectedFunction);
  report("pmk_area", pmk.area);
  for (const h of pmk.hate) report("pmk_hate", h);
  report("pmk_target", pmk.officeHolder ? "office_holders" : "other");
  if (r.state === "closed" && r.closedMonth) {
    const closing = at(r.closedMonth);
    closing("closed", "all");
    closing("level", r.level === null ? "none" : String(r.level));
    closing("outcome", r.outcome ?? "other");
    closing("response", r.respondedInTime ?? "none");
    closing("strafantrag", r.strafantrag ?? "none");
    for (const m of new Set(r.measures)) closing("measure", m);
  }
  if (r.feedbackMonth) {
    const feedback = at(r.feedbackMonth);
    for (const q of FEEDBACK_QUESTIONS) {
      const score = r.feedback[q];
      if (score !== null) feedback("feedback", q, score);
    }
  }
  return out;
}

/** What is added (`now`) less what is taken away (`old`), by rollup row; sorted, so that concurrent writers lock rows in one order. */
export function contributionDelta(old: readonly Contribution[], now: readonly Contribution[]): Contribution[] {
  const delta = new Map<string, Contribution>();
  const apply = (c: Contribution, sign: number) => {
    const key = rowKey(c);
    const d = delta.get(key) ?? { ...c, count: 0, sum: 0 };
    d.count += sign * c.count;
    d.sum += sign * c.sum;
    delta.set(key, d);
  };
  for (const c of old) apply(c, -1);
  for (const c of now) apply(c, 1);
  return [...delta.entries()]
    .filter(([, d]) => d.count !== 0 || d.sum !== 0)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, d]) => d);
}

/** What changes in the rollups when records change from `before` to `after`. */
export function rollupDelta(changes: readonly { before: StatRecord | null; after: StatRecord | null }[]): Contribution[] {
  return contributionDelta(
    changes.flatMap((c) => contributions(c.before)),
    changes.flatMap((c) => contributions(c.after)),
  );
}

/**
 * Adds contributions (positive or negative) to the rollups. Rows are locked in key order, as
 * every writer does, so that two deliveries touching the same rows wait rather than deadlock.
 * Where nothing is taken away (a case opened: the busiest path) one statement does it: a missing
 * row is made with the contribution, an existing one takes it. Otherwise three, since a row
 * proposed for insertion must itself hold a valid count: missing rows are made (at zero), the
 * rows are locked, then each takes its change.
 */
export async function addToRollups(tx: Db, delta: readonly Contribution[], now: Date): Promise<void> {
  for (let i = 0; i < delta.length; i += 500) {
    const chunk = delta.slice(i, i + 500);
    const values = sql.join(
      chunk.map((d) => sql`(${d.month}::date, ${d.land}, ${d.kind}, ${d.dimension}, ${d.code}, ${d.count}::int, ${d.sum}::int)`),
      sql`, `,
    );
    if (chunk.every((d) => d.count >= 0 && d.sum >= 0)) {
      await tx.execute(sql`
        insert into ${statisticsRollups} as r (month, land, kind, dimension, code, count, sum, updated_at)
        select d.month, d.land, d.kind, d.dimension, d.code, d.count, d.sum, ${now}
          from (values ${values}) as d(month, land, kind, dimension, code, count, sum)
         order by d.month, d.land, d.kind, d.dimension, d.code
        on conflict (month, land, kind, dimension, code) do update
          set count = r.count + excluded.count, sum = r.sum + excluded.sum, updated_at = excluded.updated_at`);
      continue;
    }
    await tx.execute(sql`
      insert into ${statisticsRollups} (month, land, kind, dimension, code, count, sum, updated_at)
      select d.month, d.land, d.kind, d.dimension, d.code, 0, 0, ${now}
        from (values ${values}) as d(month, land, kind, dimension, code, count, sum)
      on conflict (month, land, kind, dimension, code) do nothing`);
    await tx.execute(sql`
      select 1 from ${statisticsRollups} r join (values ${values}) as d(month, land, kind, dimension, code, count, sum)
          on r.month = d.month and r.land = d.land and r.kind = d.kind and r.dimension = d.dimension and r.code = d.code
       order by r.month, r.land, r.kind, r.dimension, r.code for update of r`);
    await tx.execute(sql`
      update ${statisticsRollups} r set count = r.count + d.count, sum = r.sum + d.sum, updated_at = ${now}
        from (values ${values}) as d(month, land, kind, dimension, code, count, sum)
       where r.month = d.month and r.land = d.land and r.kind = d.kind and r.dimension = d.dimension and r.code = d.code`);
  }
}

type RecordRow = typeof statisticsRecords.$inferSelect;

export function fromRow(r: RecordRow): StatRecord {
  const { tenantId: _t, caseId: _c, updatedAt: _u, feedbackSupported, feedbackSuperiors, feedbackColleagues, feedbackOffice, feedbackPartners, ...facts } = r;
  return {
    ...facts,
    feedback: {
      supported: feedbackSupported,
      superiors: feedbackSuperiors,
      colleagues: feedbackColleagues,
      office: feedbackOffice,
      partners: feedbackPartners,
    },
  };
}

function toRow(tenantId: string, caseId: string, r: StatRecord, now: Date): typeof statisticsRecords.$inferInsert {
  const { feedback, ...facts } = r;
  return {
    tenantId,
    caseId,
    ...facts,
    feedbackSupported: feedback.supported,
    feedbackSuperiors: feedback.superiors,
    feedbackColleagues: feedback.colleagues,
    feedbackOffice: feedback.office,
    feedbackPartners: feedback.partners,
    updatedAt: now,
  };
}

export interface TenantFacts {
  land: string | null;
  kind: string;
  /**
   * The first month no release holds yet, the national one or this municipality's own
   * (null: none made): an event of a month before it, delivered late, is booked in this one.
   */
  open?: string | null;
}

/** What a report tells of itself: the categories a record keeps from the moment it is opened. */
export type ReportFacts = Pick<StatRecord, "channel" | "mode" | "forms" | "motives" | "place" | "affectedFunction">;

/** A record just opened: the report's facts in its month, nothing of a closing or feedback yet. */
export function openedRecord(tenant: TenantFacts, month: string, facts: ReportFacts): StatRecord {
  return {
    state: "open",
    openedMonth: month,
    closedMonth: null,
    feedbackMonth: null,
    land: tenant.land,
    tenantKind: tenant.kind,
    channel: facts.channel,
    mode: facts.mode,
    forms: facts.forms,
    motives: facts.motives,
    place: facts.place,
    affectedFunction: facts.affectedFunction,
    level: null,
    measures: [],
    firstResponseMinutes: null,
    respondedInTime: null,
    strafantrag: null,
    outcome: null,
    feedback: { supported: null, superiors: null, colleagues: null, office: null, partners: null },
  };
}

/** A change to some records of one tenant: each gets its record as it stands (or null) and returns what it becomes (null: unchanged). */
export type RecordChange = { caseId: string; next(before: StatRecord | null, tenant: TenantFacts): StatRecord | null };

/**
 * The first month the figures of a municipality (`tenantId`, an SQL expression) may still change
 * in: the latest month a national release or its own release holds (`TenantFacts.open`).
 */
export const openMonthSql = (tenantId: SQL | SQLWrapper): SQL<string | null> =>
  sql`to_char(greatest((select max(month) from ${statisticsReleases}),
                       (select max(month) from ${statisticsOwnReleases} o where o.tenant_id = ${tenantId})), 'YYYY-MM-DD')`;

/** Changes records of one tenant and the rollups with them, in the caller's transaction of that tenant. */
export async function changeRecords(tx: Db, tenantId: string, changes: readonly RecordChange[], now: Date): Promise<void> {
  if (changes.length === 0) return;
  const ids = [...new Set(changes.map((c) => c.caseId))];
  // The tenant's facts, whether the rollups follow, and the records as they stand, in one round
  // trip. The state's row and the records are held until commit: a rebuild waits for this
  // change, or this change for it, and so does another change of the same cases.
  const [facts] = await preparedRows<{
    land: string | null;
    kind: string;
    pmk_version: number | null;
    open: string | null;
    records: Record<string, unknown>[];
  }>(
    tx,
    sql`with existing as (
          select * from ${statisticsRecords} where tenant_id = ${tenantId} and case_id = any(${`{${ids.join(",")}}`}::uuid[]) for update)
        select t.land, t.kind, (select pmk_version from ${statisticsRollupState} where id = 1 for share) as pmk_version,
               ${openMonthSql(sql`t.id`)} as open,
               (select coalesce(jsonb_agg(to_jsonb(e)), '[]'::jsonb) from existing e) as records
          from ${tenants} t where t.id = ${tenantId}`,
  );
  const tenant: TenantFacts = { land: facts.land, kind: facts.kind, open: facts.open };
  const current = new Map(facts.records.map((r) => [String(r.case_id), fromRow(camelKeys(r) as RecordRow)]));
  const diffs: { before: StatRecord | null; after: StatRecord | null }[] = [];
  const written = new Map<string, StatRecord>();
  for (const change of changes) {
    const before = written.get(change.caseId) ?? current.get(change.caseId) ?? null;
    const after = change.next(before, tenant);
    if (!after) continue;
    diffs.push({ before, after });
    written.set(change.caseId, after);
  }
  if (written.size === 0) return;
  await tx
    .insert(statisticsRecords)
    .values([...written].map(([caseId, r]) => toRow(tenantId, caseId, r, now)))
    .onConflictDoUpdate({
      target: [statisticsRecords.tenantId, statisticsRecords.caseId],
      set: Object.fromEntries(
        Object.keys(toRow(tenantId, ids[0], [...written.values()][0], now))
          .filter((k) => k !== "tenantId" && k !== "caseId")
          .map((k) => [k, sql.raw(`excluded.${snake(k)}`)]),
      ),
    });
  // The rollups follow only while they are built with the mapping in force; otherwise the rollup job builds them again from the records.
  if (facts.pmk_version === CURRENT_PMK_VERSION) await addToRollups(tx, rollupDelta(diffs), now);
}

const snake = (k: string) => k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
/** A row read as JSON (`to_jsonb`), its columns named as the schema names them. */
const camelKeys = (row: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(row).map(([k, v]) => [k.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase()), v]));
