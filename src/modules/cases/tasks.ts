import { and, asc, eq, inArray, sql } from "drizzle-orm";
import { z } from "zod";
import { appendAudit } from "../../platform/audit/audit.ts";
import type { Actor } from "../../platform/authz/policy.ts";
import { berlinDate, isCalendarDate } from "../../platform/calendar.ts";
import { type Db, inTransaction, rows, withTenant } from "../../platform/db/client.ts";
import { tenants, users } from "../../platform/db/schema.ts";
import { AppError } from "../../platform/http/errors.ts";
import type { Schedule } from "../../platform/jobs/schedules.ts";
import { notifyMany, peopleWithRoles } from "../../platform/notifications/notifications.ts";
import type { Platform } from "../../platform/platform.ts";
import { CONTROL_CHARACTERS_MESSAGE, UUID_PATTERN, withoutControlCharacters } from "../../platform/validation.ts";
import { LAENDER, type LandCode } from "../../platform/vocabulary.ts";
import { checkCaseNumber } from "../reports/index.ts";
import { authorizeWork } from "./assessment.ts";
import { auskunftssperre, periodStatus, strafantragPeriod } from "./deadlines.ts";
import { ENTITLED, type Entitled, escalatesWhenOverdue, MEASURES, type Measure, reminderDays, type TaskStatus } from "./measures.ts";
import type { TenantRef } from "./policy.ts";
import { procedureVersion } from "./procedure.ts";
import { activeOfficers, caseByNumber, markResponded, refreshNextDue } from "./repository.ts";
import { cases, caseTaskReminders, caseTasks } from "./schema.ts";

/*
 * Measures as tasks: each with an owner, a due date, a status and an outcome. A Strafantrag is
 * tracked per entitled person, its due date the end of that person's period under §77b StGB in
 * the municipality's Land; an Auskunftssperre is due for renewal eight weeks before its two years
 * end. A daily scan reminds the owner before a due date and, for a Strafantrag that passed, the
 * procedure's leaders — each reminder once, whichever process runs it.
 */

const NOTE_CONTEXT = "case_tasks.note";
const OUTCOME_CONTEXT = "case_tasks.outcome";
const _DAY = 86_400_000;

const _DATE = /^\d{4}-\d{2}-\d{2}$/;
const optionalDate = (message: string) =>
  z
    .string()
    .trim()
    .refine((s) => s === "" || (isCalendarDate(s) && s >= "2000-01-01" && s <= "2199-12-31"), { error: message })
    .transform((s) => (s === "" ? null : s));
const freeText = (max: number) =>
  z
    .string()
    .max(max, { error: "errors.cases.textLong" })
    .refine(withoutControlCharacters, { error: CONTROL_CHARACTERS_MESSAGE })
    .transform((s) => s.trim());

export const taskInput = z
  .object({
    measure: z.enum(MEASURES, { error: "errors.cases.measure" }),
    ownerId: z
      .string()
      .refine((s) => s === "" || UUID_PATTERN.test(s), { error: "errors.cases.owner" })
      .transform((s) => (s === "" ? null : s)),
    dueOn: optionalDate("errors.cases.date"),
    entitled: z.union([z.literal("").transform(() => null), z.enum(ENTITLED, { error: "errors.cases.entitled" })]),
    fromOn: optionalDate("errors.cases.date"),
    note: freeText(2000),
  })
  .refine((t) => t?.measure !== "strafantrag" || t?.entitled !== null, { path: ["entitled"], error: "errors.cases.entitled", when: () => true });
export type TaskInput = z.infer<typeof taskInput>;

export const taskUpdate = z
  .object({
    status: z.enum(["open", "done", "cancelled"], { error: "errors.invalid" }),
    outcome: freeText(2000),
    fromOn: optionalDate("errors.cases.date"),
  })
  .refine((u) => u?.status !== "done" || (typeof u?.outcome === "string" && u.outcome !== ""), {
    path: ["outcome"],
    error: "errors.cases.outcome",
    when: () => true,
  });
export type TaskUpdate = z.infer<typeof taskUpdate>;

async function landOf(tx: Db, tenantId: string): Promise<LandCode> {
  const [t] = await tx.select({ land: tenants.land, ags: tenants.ags }).from(tenants).where(eq(tenants.id, tenantId));
  const code = t?.land ?? t?.ags?.slice(0, 2) ?? "";
  return (code in LAENDER ? code : "11") as LandCode;
}

/** The due date a task has by law (Strafantrag, Auskunftssperre), or the one the office chose. */
function dueDate(measure: Measure, fromOn: string | null, chosen: string | null, land: LandCode): string | null {
  if (measure === "strafantrag") {
    const period = strafantragPeriod(fromOn, land);
    return period.state === "running" ? period.endsOn : null;
  }
  if (measure === "register_block") return fromOn ? auskunftssperre(fromOn).renewBy : chosen;
  return chosen;
}

export type TaskResult = { ok: true; id: string; dueOn: string | null; passed: boolean } | { ok: false; field: "ownerId" | "entitled" };

export async function addTask(
  platform: Pick<Platform, "db" | "clock" | "keyring">,
  actor: Actor,
  tenant: TenantRef,
  number: string,
  input: TaskInput,
): Promise<TaskResult> {
  checkCaseNumber(number);
  const now = platform.clock.now();
  return withTenant(
    platform.db,
    tenant.id,
    async (tx) => {
      const kase = await caseByNumber(tx, tenant.id, number, { lock: true });
      if (!kase) throw new AppError("not_found");
      await authorizeWork(tx, actor, tenant, kase.id);
      if (input.ownerId && !(await activeOfficers(tx, tenant.id)).some((o) => o.id === input.ownerId)) return { ok: false, field: "ownerId" } as const;
      // One Strafantrag per entitled person: their period is theirs alone.
      if (input.measure === "strafantrag") {
        const [twice] = await tx
          .select({ id: caseTasks.id })
          .from(caseTasks)
          .where(
            and(
              eq(caseTasks.tenantId, tenant.id),
              eq(caseTasks.caseId, kase.id),
              eq(caseTasks.measure, "strafantrag"),
              eq(caseTasks.entitled, input.entitled as Entitled),
              inArray(caseTasks.status, ["open", "done"]),
            ),
          );
        if (twice) return { ok: false, field: "entitled" } as const;
      }
      const land = await landOf(tx, tenant.id);
      const [row] = await tx
        .insert(caseTasks)
        .values({
          tenantId: tenant.id,
          caseId: kase.id,
          measure: input.measure,
          ownerId: input.ownerId,
          entitled: input.measure === "strafantrag" ? input.entitled : null,
          fromOn: input.measure === "strafantrag" || input.measure === "register_block" ? input.fromOn : null,
          dueOn: dueDate(input.measure, input.fromOn, input.dueOn, land),
          note: input.note === "" ? null : await platform.keyring.seal(tx, tenant.id, input.note, NOTE_CONTEXT),
          createdBy: actor.userId,
          createdAt: now,
          updatedAt: now,
        })
        .returning({ id: caseTasks.id });
      await refreshNextDue(tx, tenant.id, kase.id);
      await markResponded(tx, tenant.id, kase.id, now);
      if (kase.stage === "intake" || kase.stage === "assessment") {
        await tx
          .update(cases)
          .set({ stage: "measures", updatedAt: now })
          .where(and(eq(cases.tenantId, tenant.id), eq(cases.id, kase.id)));
      }
      await appendAudit(
        tx,
        {
          tenantId: tenant.id,
          actorId: actor.userId,
          action: "case.task_added",
          objectType: "case",
          objectId: kase.id,
          details: { number, taskId: row.id, measure: input.measure, entitled: input.entitled },
        },
        now,
      );
      const due = dueDate(input.measure, input.fromOn, input.dueOn, land);
      return { ok: true, id: row.id, dueOn: due, passed: due !== null && due < berlinDate(now) } as const;
    },
    actor.userId,
  );
}

/** Closes a task (done with its outcome, or cancelled), opens it again, or records when the perpetrator became known. */
export async function updateTask(
  platform: Pick<Platform, "db" | "clock" | "keyring">,
  actor: Actor,
  tenant: TenantRef,
  number: string,
  taskId: string,
  input: TaskUpdate,
): Promise<void> {
  checkCaseNumber(number);
  if (!UUID_PATTERN.test(taskId)) throw new AppError("not_found");
  const now = platform.clock.now();
  await withTenant(
    platform.db,
    tenant.id,
    async (tx) => {
      const kase = await caseByNumber(tx, tenant.id, number, { lock: true });
      if (!kase) throw new AppError("not_found");
      await authorizeWork(tx, actor, tenant, kase.id);
      const [task] = await tx
        .select({ measure: caseTasks.measure, fromOn: caseTasks.fromOn, dueOn: caseTasks.dueOn, status: caseTasks.status })
        .from(caseTasks)
        .where(and(eq(caseTasks.tenantId, tenant.id), eq(caseTasks.caseId, kase.id), eq(caseTasks.id, taskId)));
      if (!task) throw new AppError("not_found");
      const legal = task.measure === "strafantrag" || task.measure === "register_block";
      const fromOn = legal && input.fromOn !== null ? input.fromOn : task.fromOn;
      await tx
        .update(caseTasks)
        .set({
          status: input.status,
          outcome: input.outcome === "" ? null : await platform.keyring.seal(tx, tenant.id, input.outcome, OUTCOME_CONTEXT),
          fromOn,
          dueOn: legal ? dueDate(task.measure, fromOn, task.dueOn, await landOf(tx, tenant.id)) : task.dueOn,
          doneAt: input.status === "open" ? null : now,
          updatedAt: now,
        })
        .where(and(eq(caseTasks.tenantId, tenant.id), eq(caseTasks.id, taskId)));
      await refreshNextDue(tx, tenant.id, kase.id);
      await appendAudit(
        tx,
        {
          tenantId: tenant.id,
          actorId: actor.userId,
          action: "case.task_updated",
          objectType: "case",
          objectId: kase.id,
          details: { number, taskId, measure: task.measure, status: input.status, from: task.status },
        },
        now,
      );
    },
    actor.userId,
  );
}

export interface TaskRow {
  id: string;
  measure: Measure;
  status: TaskStatus;
  ownerId: string | null;
  ownerName: string | null;
  entitled: Entitled | null;
  fromOn: string | null;
  dueOn: string | null;
  note: string | null;
  outcome: string | null;
  /** Against today in Berlin: days left (0: the last day), or overdue. Null without a due date. */
  due: { overdue: boolean; daysLeft: number } | null;
}

/** The case's tasks in the order they were decided, sealed texts opened. */
export async function tasksOf(tx: Db, keyring: Platform["keyring"], tenantId: string, caseId: string, today: string): Promise<TaskRow[]> {
  const found = await tx
    .select({
      id: caseTasks.id,
      measure: caseTasks.measure,
      status: caseTasks.status,
      ownerId: caseTasks.ownerId,
      ownerName: users.displayName,
      entitled: caseTasks.entitled,
      fromOn: caseTasks.fromOn,
      dueOn: caseTasks.dueOn,
      note: caseTasks.note,
      outcome: caseTasks.outcome,
    })
    .from(caseTasks)
    .leftJoin(users, eq(users.id, caseTasks.ownerId))
    .where(and(eq(caseTasks.tenantId, tenantId), eq(caseTasks.caseId, caseId)))
    .orderBy(asc(caseTasks.seq));
  return Promise.all(
    found.map(async (t) => ({
      ...t,
      note: t.note ? await keyring.openText(tx, tenantId, t.note, NOTE_CONTEXT) : null,
      outcome: t.outcome ? await keyring.openText(tx, tenantId, t.outcome, OUTCOME_CONTEXT) : null,
      due: t.dueOn && t.status === "open" ? periodStatus(t.dueOn, today) : null,
    })),
  );
}

/** Which reminder a due date calls for today: the nearest mark reached, "overdue" once passed, or none yet. */
export function reminderMark(measure: Measure, dueOn: string, today: string): string | null {
  const { overdue, daysLeft } = periodStatus(dueOn, today);
  if (overdue) return "overdue";
  const reached = reminderDays(measure).filter((d) => daysLeft <= d);
  return reached.length > 0 ? `d${Math.min(...reached)}` : null;
}

const formatDate = (iso: string) => `${iso.slice(8, 10)}.${iso.slice(5, 7)}.${iso.slice(0, 4)}`;

/**
 * Every morning: each open task whose due date is near or passed reminds whoever owns it (else
 * who leads the case, else the clearing office), once per mark; a Strafantrag whose period has
 * passed also goes to the roles the case's procedure names for overdue deadlines.
 */
export function deadlineReminders(platform: Pick<Platform, "db" | "clock" | "mailer" | "config">): Schedule {
  return {
    name: "cases.deadline-reminders",
    cron: "0 7 * * *",
    async run() {
      const today = berlinDate(platform.clock.now());
      const horizon = berlinDate(platform.clock.now(), Math.max(...MEASURES.flatMap((m) => reminderDays(m))));
      const due = await inTransaction(platform.db, {}, (tx) =>
        rows<{ tenant_id: string; task_id: string }>(tx, sql`select tenant_id, task_id from komma_due_case_tasks(${horizon}::date)`),
      );
      const byTenant = new Map<string, string[]>();
      for (const d of due) byTenant.set(d.tenant_id, [...(byTenant.get(d.tenant_id) ?? []), d.task_id]);
      for (const [tenantId, ids] of byTenant) {
        const mails = await withTenant(platform.db, tenantId, (tx) => remindTenant(platform, tx, tenantId, ids, today));
        if (mails.length > 0) await platform.mailer.dispatch(mails);
      }
    },
  };
}

async function remindTenant(
  platform: Pick<Platform, "clock" | "mailer" | "config">,
  tx: Db,
  tenantId: string,
  ids: string[],
  today: string,
): Promise<string[]> {
  const tasks = await tx
    .select({
      id: caseTasks.id,
      measure: caseTasks.measure,
      dueOn: caseTasks.dueOn,
      ownerId: caseTasks.ownerId,
      number: cases.number,
      assigneeId: cases.assigneeId,
      procedureVersion: cases.procedureVersion,
    })
    .from(caseTasks)
    .innerJoin(cases, and(eq(cases.tenantId, caseTasks.tenantId), eq(cases.id, caseTasks.caseId)))
    // A closed case reminds nobody, whatever was left open on it.
    .where(and(eq(caseTasks.tenantId, tenantId), inArray(caseTasks.id, ids), eq(caseTasks.status, "open"), sql`${cases.status} <> 'closed'`));
  const marked = tasks.flatMap((task) => {
    const mark = task.dueOn ? reminderMark(task.measure, task.dueOn, today) : null;
    return mark && task.dueOn ? [{ ...task, dueOn: task.dueOn, mark }] : [];
  });
  if (marked.length === 0) return [];
  // Each mark once: what another run (or process) recorded already is left out here.
  const fresh = new Set(
    (
      await rows<{ task_id: string; mark: string }>(
        tx,
        sql`insert into ${caseTaskReminders} (tenant_id, task_id, mark, due_on, sent_at)
            select ${tenantId}::uuid, r.task_id, r.mark, r.due_on, ${platform.clock.now().toISOString()}::timestamptz
              from jsonb_to_recordset(${JSON.stringify(marked.map((m) => ({ task_id: m.id, mark: m.mark, due_on: m.dueOn })))}::jsonb)
                as r(task_id uuid, mark text, due_on date)
            on conflict do nothing
            returning task_id, mark`,
      )
    ).map((r) => `${r.task_id}/${r.mark}`),
  );
  const officers = once(() => peopleWithRoles(tx, tenantId, ["clearing_officer"]));
  const leaders = new Map<number, Promise<string[]>>();
  const leadersOf = (version: number) => {
    if (!leaders.has(version))
      leaders.set(
        version,
        procedureVersion(tx, tenantId, version).then((p) => peopleWithRoles(tx, tenantId, p.escalation.overdue)),
      );
    return leaders.get(version) as Promise<string[]>;
  };
  const items = [];
  for (const task of marked) {
    if (!fresh.has(`${task.id}/${task.mark}`)) continue;
    const lead = task.ownerId ?? task.assigneeId;
    const people = lead ? [lead] : [...(await officers())];
    if (task.mark === "overdue" && escalatesWhenOverdue(task.measure)) people.push(...(await leadersOf(task.procedureVersion)));
    const kind = `cases.notify.${task.measure === "strafantrag" ? "strafantrag" : task.measure === "register_block" ? "renewal" : "task"}.${task.mark === "overdue" ? "overdue" : "due"}`;
    const { daysLeft } = periodStatus(task.dueOn, today);
    items.push({
      userIds: people,
      notice: { kind, params: { caseNumber: task.number, date: formatDate(task.dueOn), days: Math.abs(daysLeft) }, link: `/faelle/${task.number}#massnahmen` },
    });
  }
  return notifyMany(platform, tx, tenantId, items, { mail: true });
}

/** A value computed on first use, then kept. */
function once<T>(fn: () => Promise<T>): () => Promise<T> {
  let value: Promise<T> | undefined;
  return () => {
    value ??= fn();
    return value;
  };
}
