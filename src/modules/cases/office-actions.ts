import { and, eq } from "drizzle-orm";
import { appendAudit } from "../../platform/audit/audit.ts";
import type { Actor } from "../../platform/authz/policy.ts";
import { type Db, withTenant } from "../../platform/db/client.ts";
import { AppError } from "../../platform/http/errors.ts";
import type { Platform } from "../../platform/platform.ts";
import { checkCaseNumber, isCaseNumber, setReporterStatus } from "../reports/index.ts";
import { authorizeWork } from "./assessment.ts";
import { highestLevel } from "./closing-figures.ts";
import { hasPendingClosure, RELEASE_LEVEL } from "./closure.ts";
import { assignCase } from "./commands.ts";
import { caseDismissed, caseReopened } from "./events.ts";
import { endSharesOf } from "./leaders.ts";
import { type CaseRef, casePolicy, inboxPolicy, type TenantRef } from "./policy.ts";
import { endReferralsOf } from "./referrals.ts";
import { caseByNumber, caseFacts, setCaseTags, setClosed } from "./repository.ts";
import { caseTasks } from "./schema.ts";

/*
 * The office's housekeeping on cases: several handed on at once, closed as a duplicate or abuse
 * (and reopened), tagged with the office's own keywords.
 */

export interface BulkResult {
  done: number;
  /** Cases the actor may not change this way (led by a colleague; level 2–3 needs a second officer to close). */
  skipped: number;
}

/** Hands several cases to one officer at once; each case by the same rule as one by one. */
export async function assignCases(
  platform: Pick<Platform, "db" | "clock" | "domainEvents" | "mailer" | "config">,
  actor: Actor,
  tenant: TenantRef,
  numbers: readonly string[],
  assigneeId: string | null,
): Promise<BulkResult | { error: "notAnOfficer" }> {
  inboxPolicy.authorize(actor, "list", tenant);
  let done = 0;
  let skipped = 0;
  for (const number of numbers) {
    try {
      const result = await assignCase(platform, actor, tenant, number, assigneeId);
      if (!result.ok) return { error: result.error };
      // Handed to whom it already was: nothing changed, nothing to count.
      if (result.changed) done++;
      else skipped++;
    } catch (err) {
      if (!(err instanceof AppError) || (err.code !== "forbidden" && err.code !== "not_found")) throw err;
      skipped++;
    }
  }
  return { done, skipped };
}

/**
 * Closes cases as a duplicate or as abuse: nothing is deleted (report and evidence stay), and
 * the case can be reopened. A case reporting acute danger, one that was ever at level 2 or 3, or
 * one whose closing waits for a second officer, is not closed this way.
 */
export async function closeCasesAs(
  platform: Pick<Platform, "db" | "clock" | "domainEvents">,
  actor: Actor,
  tenant: TenantRef,
  numbers: readonly string[],
  reason: "duplicate" | "abuse",
): Promise<BulkResult> {
  inboxPolicy.authorize(actor, "list", tenant);
  const now = platform.clock.now();
  const emitted: string[] = [];
  const result = await withTenant(
    platform.db,
    tenant.id,
    async (tx) => {
      let done = 0;
      let skipped = 0;
      for (const number of numbers) {
        if (!isCaseNumber(number)) {
          skipped++;
          continue;
        }
        const row = await caseByNumber(tx, tenant.id, number, { lock: true });
        const allowed = row ? await casePolicy.allowedIds(actor, "work", [row.id], (ids) => caseFacts(tx, tenant, ids)) : new Set<string>();
        // Never a case that was ever at level 2–3 (lowering it first does not skip the second officer), nor one whose
        // closing waits for a second officer, and nothing left under way: open measures are finished or cancelled first.
        if (
          !row ||
          !allowed.has(row.id) ||
          row.status === "closed" ||
          // A report of acute danger goes through the procedure: no one closes it as a duplicate or abuse alone.
          row.immediateDanger ||
          Math.max(row.riskLevel ?? 0, await highestLevel(tx, tenant.id, row.id)) >= RELEASE_LEVEL ||
          (await hasPendingClosure(tx, tenant.id, row.id)) ||
          (await hasOpenTasks(tx, tenant.id, row.id))
        ) {
          skipped++;
          continue;
        }
        await setClosed(tx, tenant.id, row.id, { status: "closed", stage: "closure", closedReason: reason }, now);
        // A closed case is referred to nobody any more.
        await endReferralsOf(tx, tenant.id, row.id, now);
        await endSharesOf(tx, tenant.id, row.id, now);
        await setReporterStatus(tx, tenant.id, row.reportIds, "closed");
        await appendAudit(
          tx,
          { tenantId: tenant.id, actorId: actor.userId, action: "case.closed_as", objectType: "case", objectId: row.id, details: { number, reason } },
          now,
        );
        emitted.push(await platform.domainEvents.emit(tx, caseDismissed, tenant.id, { caseId: row.id, number, reason }));
        done++;
      }
      return { done, skipped };
    },
    actor.userId,
  );
  await platform.domainEvents.deliver(tenant.id, emitted);
  return result;
}

/** Opens a closed case again (closed as a duplicate or abuse, or after its procedure): it stands where it stood. */
export async function reopenCase(platform: Pick<Platform, "db" | "clock" | "domainEvents">, actor: Actor, tenant: TenantRef, number: string): Promise<void> {
  checkCaseNumber(number);
  const now = platform.clock.now();
  const eventId = await withTenant(
    platform.db,
    tenant.id,
    async (tx) => {
      const row = await caseByNumber(tx, tenant.id, number, { lock: true });
      if (!row) throw new AppError("not_found");
      // Closed, a case is not worked on: who may hand it on may reopen it.
      const ref = (await caseFacts(tx, tenant, [row.id])).get(row.id) as CaseRef;
      casePolicy.authorize(actor, "read", ref);
      if (!casePolicy.can(actor, "assign", ref)) throw AppError.refused({ policy: casePolicy.name, action: "assign", tenantId: tenant.id });
      // A joined case gave its reports away: it is not reopened (the case they went to is worked on).
      if (row.status !== "closed" || row.closedReason === "joined") return null;
      const status = row.assigneeId ? "in_progress" : "received";
      const stage = row.riskLevel === null ? (row.assigneeId ? "assessment" : "intake") : "measures";
      await setClosed(tx, tenant.id, row.id, { status, stage, closedReason: null }, now);
      await setReporterStatus(tx, tenant.id, row.reportIds, status);
      await appendAudit(
        tx,
        {
          tenantId: tenant.id,
          actorId: actor.userId,
          action: "case.reopened",
          objectType: "case",
          objectId: row.id,
          details: { number, was: row.closedReason ?? "closed" },
        },
        now,
      );
      return platform.domainEvents.emit(tx, caseReopened, tenant.id, { caseId: row.id, number });
    },
    actor.userId,
  );
  if (eventId) await platform.domainEvents.deliver(tenant.id, [eventId]);
}

export const MAX_TAGS = 10;
const TAG = /^[\p{L}\p{N}][\p{L}\p{N} ._#/-]{0,39}$/u;

/** The office's keywords from what was typed (comma-separated), or the reason they are refused. */
export function parseTags(text: string): { ok: true; tags: string[] } | { ok: false; key: "errors.cases.tags" | "errors.cases.tooManyTags" } {
  const tags = [
    ...new Set(
      text
        .split(",")
        .map((t) => t.trim().replace(/\s+/g, " "))
        .filter(Boolean),
    ),
  ];
  if (tags.length > MAX_TAGS) return { ok: false, key: "errors.cases.tooManyTags" };
  if (!tags.every((t) => TAG.test(t))) return { ok: false, key: "errors.cases.tags" };
  return { ok: true, tags };
}

/** Sets the office's keywords of a case (a campaign, a place): what the inbox search finds besides the number. */
export async function setTags(platform: Pick<Platform, "db" | "clock">, actor: Actor, tenant: TenantRef, number: string, tags: string[]): Promise<void> {
  checkCaseNumber(number);
  const now = platform.clock.now();
  await withTenant(
    platform.db,
    tenant.id,
    async (tx) => {
      const row = await caseByNumber(tx, tenant.id, number, { lock: true });
      if (!row) throw new AppError("not_found");
      await authorizeWork(tx, actor, tenant, row.id);
      await setCaseTags(tx, tenant.id, row.id, tags, now);
      await appendAudit(
        tx,
        { tenantId: tenant.id, actorId: actor.userId, action: "case.tagged", objectType: "case", objectId: row.id, details: { number } },
        now,
      );
    },
    actor.userId,
  );
}

async function hasOpenTasks(tx: Db, tenantId: string, caseId: string): Promise<boolean> {
  const [open] = await tx
    .select({ id: caseTasks.id })
    .from(caseTasks)
    .where(and(eq(caseTasks.tenantId, tenantId), eq(caseTasks.caseId, caseId), eq(caseTasks.status, "open")))
    .limit(1);
  return !!open;
}
