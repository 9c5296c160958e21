import { and, asc, eq, inArray, sql } from "drizzle-orm";
import { appendAudit } from "../../platform/audit/audit.ts";
import { type Actor, NotFoundError } from "../../platform/authz/policy.ts";
import { berlinDate, isCalendarDate } from "../../platform/calendar.ts";
import { inTransaction, rows, withTenant } from "../../platform/db/client.ts";
import { one, type Values } from "../../platform/http/form-values.ts";
import type { Schedule } from "../../platform/jobs/schedules.ts";
import { notifyMany, peopleWithRoles } from "../../platform/notifications/notifications.ts";
import type { Platform } from "../../platform/platform.ts";
import type { TenantRef } from "./library.ts";
import { strategyPolicy } from "./policy.ts";
import { MEASURE_STATUSES, type MeasureStatus, measures } from "./schema.ts";

/*
 * The action plan: the measures a municipality takes to reach its strategy's goals — each with its
 * goal, the office responsible, a due date, where it stands and the evidence of progress. The
 * progress view counts them by status and names what is overdue; a daily job reminds the
 * municipality's admins a week before a measure is due and once when it is overdue.
 */

export interface MeasureInput {
  goal: string;
  title: string;
  owner: string;
  dueOn: string;
  status: MeasureStatus;
  progress: string;
}

export interface Measure extends MeasureInput {
  id: string;
  updatedAt: Date;
}

/** Days before the due date the reminder goes out. */
export const REMIND_DAYS = 7;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const chars = (s: string) => [...s].length;
const line = (v: string | string[] | undefined) =>
  one(v)
    .replace(/[\p{Cc}\p{Cf}]/gu, " ")
    .replace(/\s+/g, " ")
    .trim();

/** The form's fields, or the ones to fix. */
export function readMeasureForm(values: Values, t: (key: string) => string): { ok: true; input: MeasureInput } | { ok: false; errors: Record<string, string> } {
  const goal = line(values.goal);
  const title = line(values.title);
  const owner = line(values.owner);
  const dueOn = one(values.dueOn).trim();
  const status = one(values.status);
  const progress = one(values.progress)
    .replace(/\r\n?/g, "\n")
    .replace(/[\p{Cc}\p{Cf}]/gu, (c) => (c === "\n" ? c : ""))
    .trim();
  const errors: Record<string, string> = {};
  if (chars(goal) < 1 || chars(goal) > 300) errors.goal = t("errors.knowledge.measureGoal");
  if (chars(title) < 3 || chars(title) > 200) errors.title = t("errors.knowledge.measureTitle");
  if (chars(owner) < 1 || chars(owner) > 120) errors.owner = t("errors.knowledge.measureOwner");
  if (!isCalendarDate(dueOn) || dueOn < "2000-01-01" || dueOn > "2099-12-31") errors.dueOn = t("errors.knowledge.measureDue");
  if (!(MEASURE_STATUSES as readonly string[]).includes(status)) errors.status = t("errors.knowledge.measureStatus");
  if (chars(progress) > 2000) errors.progress = t("errors.knowledge.measureProgress");
  return Object.keys(errors).length ? { ok: false, errors } : { ok: true, input: { goal, title, owner, dueOn, status: status as MeasureStatus, progress } };
}

const columns = {
  id: measures.id,
  goal: measures.goal,
  title: measures.title,
  owner: measures.owner,
  dueOn: measures.dueOn,
  status: measures.status,
  progress: measures.progress,
  updatedAt: measures.updatedAt,
};

/** The municipality's measures by goal, then due date. */
export async function actionPlan(platform: Pick<Platform, "db">, actor: Actor, tenant: TenantRef): Promise<Measure[]> {
  strategyPolicy.authorize(actor, "read", tenant);
  return withTenant(
    platform.db,
    tenant.id,
    (tx) => tx.select(columns).from(measures).where(eq(measures.tenantId, tenant.id)).orderBy(asc(measures.goal), asc(measures.dueOn), asc(measures.title)),
    actor.userId,
  );
}

/** One measure of the municipality, or 404. */
export async function measureOf(platform: Pick<Platform, "db">, actor: Actor, tenant: TenantRef, id: string): Promise<Measure> {
  strategyPolicy.authorize(actor, "read", tenant);
  if (!UUID.test(id)) throw new NotFoundError();
  const [found] = await withTenant(
    platform.db,
    tenant.id,
    (tx) =>
      tx
        .select(columns)
        .from(measures)
        .where(and(eq(measures.tenantId, tenant.id), eq(measures.id, id))),
    actor.userId,
  );
  if (!found) throw new NotFoundError();
  return found;
}

/** Adds a measure (id null) or changes one; returns its id. A changed due date is reminded of anew. */
export async function saveMeasure(
  platform: Pick<Platform, "db" | "clock">,
  actor: Actor,
  tenant: TenantRef,
  id: string | null,
  input: MeasureInput,
): Promise<string> {
  strategyPolicy.authorize(actor, "write", tenant);
  const now = platform.clock.now();
  return withTenant(
    platform.db,
    tenant.id,
    async (tx) => {
      let savedId: string;
      if (id === null) {
        const [row] = await tx
          .insert(measures)
          .values({ tenantId: tenant.id, ...input, createdAt: now, updatedAt: now, updatedBy: actor.userId })
          .returning({ id: measures.id });
        savedId = row.id;
      } else {
        if (!UUID.test(id)) throw new NotFoundError();
        const [row] = await tx
          .update(measures)
          .set({ ...input, updatedAt: now, updatedBy: actor.userId })
          .where(and(eq(measures.tenantId, tenant.id), eq(measures.id, id)))
          .returning({ id: measures.id });
        if (!row) throw new NotFoundError();
        savedId = row.id;
      }
      await appendAudit(
        tx,
        { tenantId: tenant.id, actorId: actor.userId, action: id === null ? "measure.added" : "measure.changed", objectType: "measure", objectId: savedId },
        now,
      );
      return savedId;
    },
    actor.userId,
  );
}

export interface Progress {
  total: number;
  byStatus: Record<MeasureStatus, number>;
  /** Done of those not dropped, in percent (null: nothing to count). */
  donePercent: number | null;
  overdue: Measure[];
  dueSoon: Measure[];
}

/** Where the plan stands on a day (YYYY-MM-DD in Berlin). */
export function progressOf(list: Measure[], today: string): Progress {
  const byStatus = Object.fromEntries(MEASURE_STATUSES.map((s) => [s, 0])) as Record<MeasureStatus, number>;
  for (const m of list) byStatus[m.status]++;
  const counted = list.length - byStatus.dropped;
  const open = list.filter((m) => m.status === "planned" || m.status === "in_progress");
  const soon = berlinDate(new Date(`${today}T12:00:00Z`), REMIND_DAYS);
  return {
    total: list.length,
    byStatus,
    donePercent: counted > 0 ? Math.round((byStatus.done / counted) * 100) : null,
    overdue: open.filter((m) => m.dueOn < today),
    dueSoon: open.filter((m) => m.dueOn >= today && m.dueOn <= soon),
  };
}

/** The daily reminder: a week before a measure is due, and once when it is overdue, to the municipality's admins. */
export function measureReminders(platform: Pick<Platform, "db" | "clock" | "mailer" | "config">): Schedule {
  return {
    name: "knowledge.measure-reminders",
    cron: "0 7 * * *",
    async run() {
      const now = platform.clock.now();
      const today = berlinDate(now);
      const horizon = berlinDate(now, REMIND_DAYS);
      const due = await inTransaction(platform.db, {}, (tx) =>
        rows<{ tenant_id: string; measure_id: string }>(tx, sql`select tenant_id, measure_id from komma_due_strategy_measures(${horizon}::date)`),
      );
      const byTenant = new Map<string, string[]>();
      for (const d of due) byTenant.set(d.tenant_id, [...(byTenant.get(d.tenant_id) ?? []), d.measure_id]);
      for (const [tenantId, ids] of byTenant) {
        const mails = await withTenant(platform.db, tenantId, async (tx) => {
          // Each due date once a week before, and once overdue: what a run marked already is left out.
          const soon = await tx
            .update(measures)
            .set({ remindedFor: sql`${measures.dueOn}` })
            .where(
              and(
                eq(measures.tenantId, tenantId),
                inArray(measures.id, ids),
                sql`${measures.dueOn} >= ${today}::date`,
                sql`${measures.remindedFor} is distinct from ${measures.dueOn}`,
              ),
            )
            .returning({ id: measures.id, dueOn: measures.dueOn });
          const overdue = await tx
            .update(measures)
            .set({ overdueFor: sql`${measures.dueOn}` })
            .where(
              and(
                eq(measures.tenantId, tenantId),
                inArray(measures.id, ids),
                sql`${measures.dueOn} < ${today}::date`,
                sql`${measures.overdueFor} is distinct from ${measures.dueOn}`,
              ),
            )
            .returning({ id: measures.id, dueOn: measures.dueOn });
          if (soon.length === 0 && overdue.length === 0) return [];
          const admins = await peopleWithRoles(tx, tenantId, ["municipal_admin"]);
          const notice = (m: { id: string; dueOn: string }, kind: "due" | "overdue") => ({
            userIds: admins,
            notice: { kind: `knowledge.notify.measure.${kind}`, params: { date: formatDay(m.dueOn) }, link: `/wissen/strategie/massnahmen/${m.id}` },
          });
          return notifyMany(platform, tx, tenantId, [...soon.map((m) => notice(m, "due")), ...overdue.map((m) => notice(m, "overdue"))], { mail: true });
        });
        if (mails.length > 0) await platform.mailer.dispatch(mails);
      }
    },
  };
}

/** A calendar day as people read it in a notice (DD.MM.YYYY). */
const formatDay = (day: string) => day.split("-").reverse().join(".");
