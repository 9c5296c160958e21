import { and, desc, eq, isNull, sql } from "drizzle-orm";
import { z } from "zod";
import { appendAudit } from "../../platform/audit/audit.ts";
import type { Actor } from "../../platform/authz/policy.ts";
import { isCalendarDate } from "../../platform/calendar.ts";
import { type Db, withTenant } from "../../platform/db/client.ts";
import { users } from "../../platform/db/schema.ts";
import { AppError } from "../../platform/http/errors.ts";
import { notify, peopleWithRoles } from "../../platform/notifications/notifications.ts";
import type { Platform } from "../../platform/platform.ts";
import { CONTROL_CHARACTERS_MESSAGE, withoutControlCharacters } from "../../platform/validation.ts";
import { askFeedback, checkCaseNumber, setReporterStatus } from "../reports/index.ts";
import { authorizeWork } from "./assessment.ts";
import { closingFiguresOf, highestLevel } from "./closing-figures.ts";
import { caseClosed } from "./events.ts";
import { endSharesOf } from "./leaders.ts";
import { type CaseRef, casePolicy, type TenantRef } from "./policy.ts";
import { endReferralsOf } from "./referrals.ts";
import { type CaseRow, caseByNumber, caseFacts, setClosed } from "./repository.ts";
import { CLOSURE_OUTCOMES, type ClosureOutcome, CONVERSATIONS, type Conversation, caseClosures, caseTasks } from "./schema.ts";

/*
 * Closing a case: the lead officer states the outcome and how the closing conversation went; a
 * case at level 2 or 3 is closed only once a second officer released it (four eyes), below that
 * the request releases itself. Closing ends the referrals, asks the affected person for their
 * feedback and sends the case's figures to the statistics — categories and figures only, which
 * outlive the case. A second officer may also give the request back, saying why.
 */

const NOTE = "case_closures.note";
const RETURN_REASON = "case_closures.return_reason";
const _DATE = /^\d{4}-\d{2}-\d{2}$/;

const text = (max: number) =>
  z
    .string()
    .max(max, { error: "errors.closure.long" })
    .refine(withoutControlCharacters, { error: CONTROL_CHARACTERS_MESSAGE })
    .transform((s) => s.trim());

export const closureInput = z
  .object({
    outcome: z.enum(CLOSURE_OUTCOMES, { error: "errors.closure.outcome" }),
    conversation: z.enum(CONVERSATIONS, { error: "errors.closure.conversation" }),
    conversationOn: z.string().refine((s) => s === "" || isCalendarDate(s), {
      error: "errors.closure.date",
    }),
    note: text(5000),
  })
  .refine((c) => c?.conversation !== "held" || c?.conversationOn !== "", { path: ["conversationOn"], error: "errors.closure.dateNeeded", when: () => true });
export type ClosureInput = z.infer<typeof closureInput>;

export const returnInput = z.object({ reason: text(2000).refine((s) => s !== "", { error: "errors.closure.reason" }) });

/** Four eyes from this level on. */
export const RELEASE_LEVEL = 2;

export interface ClosureRow {
  id: string;
  outcome: ClosureOutcome;
  conversation: Conversation;
  conversationOn: string | null;
  note: string | null;
  requestedBy: string;
  requestedByName: string | null;
  requestedAt: Date;
  decision: "released" | "returned" | null;
  decidedBy: string | null;
  decidedByName: string | null;
  decidedAt: Date | null;
  returnReason: string | null;
}

/** The latest closing request of a case (pending, released or given back), its sealed texts opened. */
export async function latestClosure(tx: Db, keyring: Platform["keyring"], tenantId: string, caseId: string): Promise<ClosureRow | null> {
  const decider = sql<string | null>`(select u.display_name from ${users} u where u.id = ${caseClosures.decidedBy})`;
  const [row] = await tx
    .select({
      id: caseClosures.id,
      outcome: caseClosures.outcome,
      conversation: caseClosures.conversation,
      conversationOn: caseClosures.conversationOn,
      note: caseClosures.note,
      requestedBy: caseClosures.requestedBy,
      requestedByName: users.displayName,
      requestedAt: caseClosures.requestedAt,
      decision: caseClosures.decision,
      decidedBy: caseClosures.decidedBy,
      decidedByName: decider,
      decidedAt: caseClosures.decidedAt,
      returnReason: caseClosures.returnReason,
    })
    .from(caseClosures)
    .leftJoin(users, eq(users.id, caseClosures.requestedBy))
    .where(and(eq(caseClosures.tenantId, tenantId), eq(caseClosures.caseId, caseId)))
    .orderBy(desc(caseClosures.seq))
    .limit(1);
  if (!row) return null;
  return {
    ...row,
    note: row.note ? await keyring.openText(tx, tenantId, row.note, NOTE) : null,
    returnReason: row.returnReason ? await keyring.openText(tx, tenantId, row.returnReason, RETURN_REASON) : null,
  };
}

async function pendingClosure(tx: Db, tenantId: string, caseId: string) {
  const [row] = await tx
    .select({ id: caseClosures.id, outcome: caseClosures.outcome, requestedBy: caseClosures.requestedBy })
    .from(caseClosures)
    .where(and(eq(caseClosures.tenantId, tenantId), eq(caseClosures.caseId, caseId), isNull(caseClosures.decision)))
    .for("update");
  return row;
}

/** Whether a closing request of the case waits for a second officer. */
export async function hasPendingClosure(tx: Db, tenantId: string, caseId: string): Promise<boolean> {
  return (await pendingClosure(tx, tenantId, caseId)) !== undefined;
}

async function openTaskCount(tx: Db, tenantId: string, caseId: string): Promise<number> {
  const [{ n }] = await tx
    .select({ n: sql<number>`count(*)::int` })
    .from(caseTasks)
    .where(and(eq(caseTasks.tenantId, tenantId), eq(caseTasks.caseId, caseId), eq(caseTasks.status, "open")));
  return n;
}

export type ClosureResult = { ok: true; released: boolean } | { ok: false; field: "openTasks" | "pending" | "notAssessed"; count?: number };

/** The lead asks to close the case; below level 2 it is closed at once. */
export async function requestClosure(
  platform: Pick<Platform, "db" | "clock" | "keyring" | "mailer" | "config" | "domainEvents">,
  actor: Actor,
  tenant: TenantRef,
  number: string,
  input: ClosureInput,
): Promise<ClosureResult> {
  checkCaseNumber(number);
  const now = platform.clock.now();
  const emitted: string[] = [];
  const done = await withTenant(
    platform.db,
    tenant.id,
    async (tx) => {
      const row = await caseByNumber(tx, tenant.id, number, { lock: true });
      if (!row) throw new AppError("not_found");
      await authorizeWork(tx, actor, tenant, row.id);
      if (await pendingClosure(tx, tenant.id, row.id)) return { result: { ok: false, field: "pending" } as const, mails: [] };
      // A case is closed after its procedure, so after a risk assessment (a duplicate or abuse is closed from the inbox).
      if (row.riskLevel === null) return { result: { ok: false, field: "notAssessed" } as const, mails: [] };
      // Nothing is left behind unnoticed: each open measure is done or cancelled first.
      const open = await openTaskCount(tx, tenant.id, row.id);
      if (open > 0) return { result: { ok: false, field: "openTasks", count: open } as const, mails: [] };
      const [closure] = await tx
        .insert(caseClosures)
        .values({
          tenantId: tenant.id,
          caseId: row.id,
          outcome: input.outcome,
          conversation: input.conversation,
          conversationOn: input.conversationOn === "" ? null : input.conversationOn,
          note: input.note === "" ? null : await platform.keyring.seal(tx, tenant.id, input.note, NOTE),
          requestedBy: actor.userId,
          requestedAt: now,
        })
        .returning({ id: caseClosures.id });
      await appendAudit(
        tx,
        {
          tenantId: tenant.id,
          actorId: actor.userId,
          action: "case.closure_requested",
          objectType: "case",
          objectId: row.id,
          details: { number, outcome: input.outcome },
        },
        now,
      );
      // The highest level the case ever had decides: lowering it first does not skip the second officer.
      if ((await highestLevel(tx, tenant.id, row.id)) < RELEASE_LEVEL) {
        await finish(platform, tx, tenant, row, closure.id, input.outcome, actor.userId, now, emitted);
        return { result: { ok: true, released: true } as const, mails: [] };
      }
      const others = (await peopleWithRoles(tx, tenant.id, ["clearing_officer"])).filter((id) => id !== actor.userId);
      const mails = await notify(
        platform,
        tx,
        tenant.id,
        others,
        { kind: "cases.notify.closureRequested", params: { caseNumber: number }, link: `/faelle/${number}#abschluss` },
        { mail: true },
      );
      return { result: { ok: true, released: false } as const, mails };
    },
    actor.userId,
  );
  await platform.mailer.dispatch(done.mails);
  await platform.domainEvents.deliver(tenant.id, emitted);
  return done.result;
}

/** Who may decide on a request: an officer of the municipality other than the one who asked. */
async function decidable(tx: Db, actor: Actor, tenant: TenantRef, number: string) {
  const row = await caseByNumber(tx, tenant.id, number, { lock: true });
  if (!row) throw new AppError("not_found");
  casePolicy.authorize(actor, "read", (await caseFacts(tx, tenant, [row.id])).get(row.id) as CaseRef);
  // A case closed meanwhile (joined into another) has nothing left to release or give back.
  const pending = row.status === "closed" ? undefined : await pendingClosure(tx, tenant.id, row.id);
  if (!pending) return { row, pending: null, refused: "none" as const };
  if (pending.requestedBy === actor.userId) return { row, pending: null, refused: "sameOfficer" as const };
  return { row, pending, refused: null };
}

export type DecisionResult = { ok: true } | { ok: false; reason: "none" | "sameOfficer" | "openTasks" };

type DecisionDeps = Pick<Platform, "db" | "clock" | "keyring" | "mailer" | "config" | "domainEvents">;

/**
 * A second officer decides on a pending request (`apply` does what the decision changes); the
 * officer who asked hears of it in the app and by mail, after the commit.
 */
async function decide(
  platform: DecisionDeps,
  actor: Actor,
  tenant: TenantRef,
  number: string,
  notice: "cases.notify.closureReleased" | "cases.notify.closureReturned",
  apply: (tx: Db, row: CaseRow, pending: NonNullable<Awaited<ReturnType<typeof pendingClosure>>>, now: Date, emitted: string[]) => Promise<DecisionResult>,
): Promise<DecisionResult> {
  checkCaseNumber(number);
  const now = platform.clock.now();
  const emitted: string[] = [];
  const done = await withTenant(
    platform.db,
    tenant.id,
    async (tx): Promise<{ result: DecisionResult; mails: string[] }> => {
      const { row, pending, refused } = await decidable(tx, actor, tenant, number);
      if (!pending) return { result: { ok: false, reason: refused }, mails: [] };
      const result = await apply(tx, row, pending, now, emitted);
      if (!result.ok) return { result, mails: [] };
      const link = `/faelle/${number}#abschluss`;
      const mails = await notify(platform, tx, tenant.id, [pending.requestedBy], { kind: notice, params: { caseNumber: number }, link }, { mail: true });
      return { result, mails };
    },
    actor.userId,
  );
  await platform.mailer.dispatch(done.mails);
  await platform.domainEvents.deliver(tenant.id, emitted);
  return done.result;
}

/** A second officer releases the closure: the case is closed. */
export function releaseClosure(platform: DecisionDeps, actor: Actor, tenant: TenantRef, number: string): Promise<DecisionResult> {
  return decide(platform, actor, tenant, number, "cases.notify.closureReleased", async (tx, row, pending, now, emitted) => {
    // A measure added or reopened while the request waited comes first.
    if ((await openTaskCount(tx, tenant.id, row.id)) > 0) return { ok: false, reason: "openTasks" };
    await finish(platform, tx, tenant, row, pending.id, pending.outcome, actor.userId, now, emitted);
    return { ok: true };
  });
}

/** A second officer gives the request back, saying why: the case stays open with its lead. */
export function returnClosure(platform: DecisionDeps, actor: Actor, tenant: TenantRef, number: string, reason: string): Promise<DecisionResult> {
  return decide(platform, actor, tenant, number, "cases.notify.closureReturned", async (tx, row, pending, now) => {
    await tx
      .update(caseClosures)
      .set({ decision: "returned", decidedBy: actor.userId, decidedAt: now, returnReason: await platform.keyring.seal(tx, tenant.id, reason, RETURN_REASON) })
      .where(and(eq(caseClosures.tenantId, tenant.id), eq(caseClosures.id, pending.id)));
    await appendAudit(
      tx,
      { tenantId: tenant.id, actorId: actor.userId, action: "case.closure_returned", objectType: "case", objectId: row.id, details: { number } },
      now,
    );
    return { ok: true };
  });
}

/** Closes the case on a released request: referrals end, feedback is asked, the statistics record written. */
async function finish(
  platform: Pick<Platform, "domainEvents">,
  tx: Db,
  tenant: TenantRef,
  row: CaseRow,
  closureId: string,
  outcome: ClosureOutcome,
  actorId: string,
  now: Date,
  emitted: string[],
): Promise<void> {
  await tx
    .update(caseClosures)
    .set({ decision: "released", decidedBy: actorId, decidedAt: now })
    .where(and(eq(caseClosures.tenantId, tenant.id), eq(caseClosures.id, closureId)));
  await setClosed(tx, tenant.id, row.id, { status: "closed", stage: "closure", closedReason: null }, now);
  await endReferralsOf(tx, tenant.id, row.id, now);
  await endSharesOf(tx, tenant.id, row.id, now);
  await setReporterStatus(tx, tenant.id, row.reportIds, "closed");
  await askFeedback(tx, tenant.id, row.reportIds, now);
  const figures = await closingFiguresOf(tx, tenant.id, row.id);
  await appendAudit(
    tx,
    { tenantId: tenant.id, actorId, action: "case.closed", objectType: "case", objectId: row.id, details: { number: row.number, outcome } },
    now,
  );
  emitted.push(await platform.domainEvents.emit(tx, caseClosed, tenant.id, { caseId: row.id, number: row.number, outcome, figures }));
}
