import { randomUUID } from "node:crypto";
import { and, eq, inArray, sql } from "drizzle-orm";
import { type Db, preparedRows } from "../../platform/db/client.ts";
import { memberships, users } from "../../platform/db/schema.ts";
import type { ClearingStage, RiskLevel } from "../../platform/vocabulary.ts";
import type { CaseRef } from "./policy.ts";
import { currentProcedureSql } from "./procedure.ts";
import { type CaseStatus, caseClosures, caseReports, cases } from "./schema.ts";

/*
 * The SQL of the cases module. Every function takes the transaction of one tenant (row-level
 * security holds it there) and names the tenant in its conditions as well.
 */

export interface CaseRow {
  id: string;
  number: string;
  status: CaseStatus;
  assigneeId: string | null;
  assigneeName: string | null;
  channel: string;
  mode: string;
  immediateDanger: boolean;
  stage: ClearingStage;
  riskLevel: RiskLevel | null;
  forms: string[];
  motives: string[];
  closedReason: "duplicate" | "abuse" | "joined" | null;
  /** Closed as joined: the number of the case its reports went to. */
  joinedIntoNumber: string | null;
  /** A request to close it waits for a second officer. */
  closureRequested: boolean;
  closedAt: Date | null;
  tags: string[];
  procedureVersion: number;
  openedAt: Date;
  reportIds: string[];
}

/** Whether the assignee is (still) an active clearing officer here: a subquery per row. */
export const assigneeActive = sql<boolean>`exists (select 1 from ${memberships} m join ${users} u on u.id = m.user_id
  where m.tenant_id = ${cases.tenantId} and m.user_id = ${cases.assigneeId} and m.role = 'clearing_officer' and u.status = 'active')`;

export const caseColumns = {
  id: cases.id,
  number: cases.number,
  status: cases.status,
  assigneeId: cases.assigneeId,
  assigneeName: users.displayName,
  channel: cases.channel,
  mode: cases.mode,
  immediateDanger: cases.immediateDanger,
  stage: cases.stage,
  forms: cases.forms,
  motives: cases.motives,
  closedReason: cases.closedReason,
  joinedIntoNumber: sql<string | null>`(select j.number from ${cases} j where j.tenant_id = ${cases.tenantId} and j.id = ${cases.joinedInto})`,
  tags: cases.tags,
  closedAt: cases.closedAt,
  closureRequested: sql<boolean>`exists (select 1 from ${caseClosures} x where x.tenant_id = ${cases.tenantId} and x.case_id = ${cases.id} and x.decision is null)`,
  riskLevel: sql<RiskLevel | null>`${cases.riskLevel}`,
  procedureVersion: cases.procedureVersion,
  openedAt: cases.openedAt,
  reportIds: sql<
    string[]
  >`array(select r.report_id from ${caseReports} r where r.tenant_id = ${cases.tenantId} and r.case_id = ${cases.id} order by r.joined_at)`,
};

/** One case; with `lock`, its row stays locked until the transaction ends (for a change that checks first). */
export async function caseByNumber(tx: Db, tenantId: string, number: string, opts: { lock?: boolean } = {}): Promise<CaseRow | undefined> {
  const query = tx
    .select(caseColumns)
    .from(cases)
    .leftJoin(users, eq(users.id, cases.assigneeId))
    .where(and(eq(cases.tenantId, tenantId), eq(cases.number, number)));
  const [row] = opts.lock ? await query.for("update", { of: cases }) : await query;
  return row;
}

/** What the case rules need, for a set of ids at once. */
export async function caseFacts(tx: Db, tenant: { id: string; kind: CaseRef["tenantKind"] }, ids: readonly string[]): Promise<Map<string, CaseRef>> {
  if (ids.length === 0) return new Map();
  const rows = await tx
    .select({ id: cases.id, assigneeId: cases.assigneeId, assigneeActive, status: cases.status })
    .from(cases)
    .where(and(eq(cases.tenantId, tenant.id), inArray(cases.id, [...ids])));
  return new Map(
    rows.map((r) => [
      r.id,
      { tenantId: tenant.id, tenantKind: tenant.kind, assigneeId: r.assigneeId, assigneeActive: !!r.assigneeActive, closed: r.status === "closed" },
    ]),
  );
}

export interface OpeningReport {
  reportId: string;
  number: string;
  channel: string;
  mode: string;
  immediateDanger: boolean;
  forms: string[];
  motives: string[];
  place: string | null;
  affectedFunction: string | null;
  at: Date;
}

/**
 * Opens the case of each report that has none yet, in one statement for a burst of reports.
 * Returns the cases it opened (a report that already has its case is left as it is).
 */
export async function openCasesFor(tx: Db, tenantId: string, reports: OpeningReport[]): Promise<{ caseId: string; reportId: string }[]> {
  if (reports.length === 0) return [];
  const input = reports.map((r) => ({
    case_id: randomUUID(),
    report_id: r.reportId,
    number: r.number,
    channel: r.channel,
    mode: r.mode,
    immediate_danger: r.immediateDanger,
    forms: r.forms,
    motives: r.motives,
    place: r.place,
    affected_function: r.affectedFunction,
    at: r.at.toISOString(),
  }));
  // Prepared once per connection: every delivery of reports sends this same statement.
  return preparedRows<{ caseId: string; reportId: string }>(
    tx,
    sql`with input as (
          select * from jsonb_to_recordset(${JSON.stringify(input)}::jsonb)
            as t(case_id uuid, report_id uuid, number text, channel text, mode text, immediate_danger boolean, forms text[], motives text[],
                 place text, affected_function text, at timestamptz)),
        procedure as (${currentProcedureSql(tenantId)}),
        fresh as (
          select i.* from input i
           where not exists (select 1 from ${caseReports} r where r.tenant_id = ${tenantId} and r.report_id = i.report_id)),
        opened as (
          insert into ${cases} (tenant_id, id, number, channel, mode, immediate_danger, forms, motives, place, affected_function, procedure_version, respond_by, opened_at, updated_at)
          select ${tenantId}::uuid, case_id, number, channel, mode, immediate_danger, forms, motives, place, affected_function, procedure.version,
                 -- Acute danger: at once.
                 case when immediate_danger then at else at + make_interval(hours => procedure.hours) end, at, at
            from fresh cross join procedure
          returning id),
        joined as (
          insert into ${caseReports} (tenant_id, report_id, case_id, joined_at)
          select ${tenantId}::uuid, report_id, case_id, at from fresh)
        select f.case_id as "caseId", f.report_id as "reportId" from fresh f join opened o on o.id = f.case_id`,
  );
}

export async function setAssignee(tx: Db, tenantId: string, caseId: string, assigneeId: string | null, status: CaseStatus, at: Date): Promise<void> {
  await tx
    .update(cases)
    .set({ assigneeId, status, updatedAt: at })
    .where(and(eq(cases.tenantId, tenantId), eq(cases.id, caseId)));
}

/** The clearing officers of the municipality who can lead a case. */
export async function activeOfficers(tx: Db, tenantId: string): Promise<{ id: string; name: string }[]> {
  return tx
    .select({ id: users.id, name: users.displayName })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(memberships.tenantId, tenantId), eq(memberships.role, "clearing_officer"), eq(users.status, "active")))
    .orderBy(users.displayName);
}

/** New cases (nobody has taken them on yet), and of those the ones reporting acute danger. */
export async function newCaseCounts(tx: Db, tenantId: string): Promise<{ n: number; danger: number }> {
  const [r] = await tx
    .select({ n: sql<number>`count(*)::int`, danger: sql<number>`(count(*) filter (where ${cases.immediateDanger}))::int` })
    .from(cases)
    .where(and(eq(cases.tenantId, tenantId), eq(cases.status, "received")));
  return { n: r?.n ?? 0, danger: r?.danger ?? 0 };
}

/** The office's first response to a case, kept once: later ones do not move it. */
export async function markResponded(tx: Db, tenantId: string, caseId: string, at: Date): Promise<void> {
  await tx
    .update(cases)
    .set({ firstResponseAt: sql`coalesce(${cases.firstResponseAt}, ${at.toISOString()}::timestamptz)` })
    .where(and(eq(cases.tenantId, tenantId), eq(cases.id, caseId)));
}

/** Keeps the case's earliest open due date in step with its tasks (the inbox sorts and filters by it). */
export async function refreshNextDue(tx: Db, tenantId: string, caseId: string): Promise<void> {
  await tx.execute(sql`update ${cases} set next_due_on = (select min(t.due_on) from case_tasks t
      where t.tenant_id = ${tenantId} and t.case_id = ${caseId} and t.status = 'open')
    where tenant_id = ${tenantId} and id = ${caseId}`);
}

export async function setClosed(
  tx: Db,
  tenantId: string,
  caseId: string,
  change: { status: CaseStatus; stage: ClearingStage; closedReason: "duplicate" | "abuse" | "joined" | null },
  at: Date,
): Promise<void> {
  await tx
    .update(cases)
    .set({ ...change, closedAt: change.status === "closed" ? at : null, updatedAt: at })
    .where(and(eq(cases.tenantId, tenantId), eq(cases.id, caseId)));
}

export async function setCaseTags(tx: Db, tenantId: string, caseId: string, tags: string[], at: Date): Promise<void> {
  await tx
    .update(cases)
    .set({ tags, updatedAt: at })
    .where(and(eq(cases.tenantId, tenantId), eq(cases.id, caseId)));
}
