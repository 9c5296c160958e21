import { and, eq, inArray, sql } from "drizzle-orm";
import { z } from "zod";
import { appendAudit } from "../../platform/audit/audit.ts";
import type { Actor } from "../../platform/authz/policy.ts";
import { rows, withTenant } from "../../platform/db/client.ts";
import type { Platform } from "../../platform/platform.ts";
import type { RiskLevel } from "../../platform/vocabulary.ts";
import { isCaseNumber, setReporterStatus } from "../reports/index.ts";
import { caseToWorkOn } from "./assessment.ts";
import { caseWithJoined } from "./closing-figures.ts";
import { hasPendingClosure } from "./closure.ts";
import { caseAssessed, caseDismissed } from "./events.ts";
import { casePolicy, type TenantRef } from "./policy.ts";
import { caseByNumber, caseFacts } from "./repository.ts";
import { caseAssessments, caseLeaderShares, caseLinks, caseReferrals, caseReports, cases, caseTasks } from "./schema.ts";

/*
 * Several reports of one incident — the affected person's and a witness's — are worked on as one
 * case: the other case's reports join this one (each keeps its number and mailbox), its forms,
 * motives and any acute danger are added, its risk assessments count here (the case keeps the higher level),
 * and the other case is closed as "joined", pointing here. Only a case with nothing of its own
 * under way (no measures, referrals, shares or closing request) joins, and none joins a case
 * whose closing waits for a second officer.
 */

export const joinInput = z.object({
  other: z
    .string()
    .trim()
    .transform((s) => s.toUpperCase())
    .refine(isCaseNumber, { error: "errors.related.number" }),
});

/** A list of codes as a text array, passed as one JSON parameter. */
const codes = (list: readonly string[]) =>
  sql`coalesce((select array_agg(x) from jsonb_array_elements_text(${JSON.stringify(list)}::jsonb) as x), '{}'::text[])`;

export type JoinResult = { ok: true } | { ok: false; key: "errors.join.unknown" | "errors.join.notYours" | "errors.join.busy" | "errors.join.closing" };

export async function joinCase(
  platform: Pick<Platform, "db" | "clock" | "domainEvents">,
  actor: Actor,
  tenant: TenantRef,
  number: string,
  otherNumber: string,
): Promise<JoinResult> {
  const now = platform.clock.now();
  const result = await withTenant(
    platform.db,
    tenant.id,
    async (tx) => {
      const row = await caseToWorkOn(tx, actor, tenant, number, { lock: true });
      const other = await caseByNumber(tx, tenant.id, otherNumber, { lock: true });
      if (!other || other.id === row.id || other.status === "closed") return { ok: false, key: "errors.join.unknown" } as const;
      // The other case is given up: whoever joins it must be allowed to work on it too.
      const allowed = await casePolicy.allowedIds(actor, "work", [other.id], (ids) => caseFacts(tx, tenant, ids));
      if (!allowed.has(other.id)) return { ok: false, key: "errors.join.notYours" } as const;
      const [busy] = await tx
        .select({
          n: sql<number>`(select count(*) from ${caseTasks} t where t.tenant_id = ${tenant.id} and t.case_id = ${other.id})
          + (select count(*) from ${caseReferrals} r where r.tenant_id = ${tenant.id} and r.case_id = ${other.id})
          + (select count(*) from ${caseLeaderShares} s where s.tenant_id = ${tenant.id} and s.case_id = ${other.id})`,
        })
        .from(sql`(select 1) as one`);
      // A closing request waiting for a second officer is under way too: the other case's, or this one's (whose
      // release would then close reports the second officer never saw).
      if (Number(busy.n) > 0 || (await hasPendingClosure(tx, tenant.id, other.id))) return { ok: false, key: "errors.join.busy" } as const;
      if (await hasPendingClosure(tx, tenant.id, row.id)) return { ok: false, key: "errors.join.closing" } as const;
      // The other case's risk assessments count for this one (they stay with the case they were made in):
      // the case keeps the higher level, and the highest level either ever had decides whether closing needs
      // a second officer, and what the statistics count (`highestLevel`, `closingFiguresOf`).
      const level = other.riskLevel === null ? row.riskLevel : (Math.max(row.riskLevel ?? 0, other.riskLevel) as RiskLevel);
      const raised = level !== null && level !== row.riskLevel;
      // A case not yet assessed takes the other's assessment as its own, and moves on as an assessment moves it.
      const stage = row.riskLevel === null && raised && (row.stage === "intake" || row.stage === "assessment") ? "measures" : row.stage;
      const status = row.riskLevel === null && raised && row.status === "received" ? "in_progress" : row.status;

      await tx
        .update(caseReports)
        .set({ caseId: row.id, joinedAt: now })
        .where(and(eq(caseReports.tenantId, tenant.id), eq(caseReports.caseId, other.id)));
      await tx
        .update(cases)
        .set({
          forms: sql`array(select distinct f from unnest(${cases.forms} || ${codes(other.forms)}) as f order by 1)`,
          motives: sql`array(select distinct m from unnest(${cases.motives} || ${codes(other.motives)}) as m order by 1)`,
          immediateDanger: other.immediateDanger ? true : sql`${cases.immediateDanger}`,
          riskLevel: level,
          stage,
          status,
          updatedAt: now,
        })
        .where(and(eq(cases.tenantId, tenant.id), eq(cases.id, row.id)));
      await tx
        .update(cases)
        .set({ status: "closed", stage: "closure", closedReason: "joined", joinedInto: row.id, closedAt: now, updatedAt: now })
        .where(and(eq(cases.tenantId, tenant.id), eq(cases.id, other.id)));
      await setReporterStatus(tx, tenant.id, status === row.status ? other.reportIds : [...row.reportIds, ...other.reportIds], status);
      const [linked] = await tx
        .select({ id: caseLinks.id })
        .from(caseLinks)
        .where(and(eq(caseLinks.tenantId, tenant.id), inArray(caseLinks.caseId, [row.id, other.id]), inArray(caseLinks.otherCaseId, [row.id, other.id])));
      if (!linked)
        await tx
          .insert(caseLinks)
          .values({ tenantId: tenant.id, caseId: row.id, otherCaseId: other.id, kind: "same_incident", createdBy: actor.userId, createdAt: now });
      await appendAudit(
        tx,
        { tenantId: tenant.id, actorId: actor.userId, action: "case.joined", objectType: "case", objectId: row.id, details: { number, other: other.number } },
        now,
      );
      // The joined case leaves the statistics: its reports count with the case they joined.
      const eventIds = [await platform.domainEvents.emit(tx, caseDismissed, tenant.id, { caseId: other.id, number: other.number, reason: "joined" })];
      // A level the case reached by the join is an assessment of it: counted, and alarming from level 2 as one made here would.
      if (raised) {
        // The assessment that gave the level: the latest at that level of the other case or of one joined into it before.
        const [latest] = await rows<{ form: string }>(
          tx,
          sql`select a.form from ${caseAssessments} a
               where a.tenant_id = ${tenant.id} and a.level = ${level} and a.case_id in (${caseWithJoined(tenant.id, sql`${other.id}::uuid`)})
               order by a.seq desc limit 1`,
        );
        eventIds.push(
          await platform.domainEvents.emit(tx, caseAssessed, tenant.id, {
            caseId: row.id,
            number,
            level,
            previousLevel: row.riskLevel,
            form: latest?.form ?? "other",
            procedureVersion: row.procedureVersion,
            assessedBy: actor.userId,
          }),
        );
      }
      return { ok: true, eventIds } as const;
    },
    actor.userId,
  );
  if (!result.ok) return result;
  await platform.domainEvents.deliver(tenant.id, result.eventIds);
  return { ok: true };
}
