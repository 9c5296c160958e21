import { and, asc, eq, sql } from "drizzle-orm";
import { appendAudit } from "../../platform/audit/audit.ts";
import { type Actor, hasRole } from "../../platform/authz/policy.ts";
import { berlinDate } from "../../platform/calendar.ts";
import { withTenant } from "../../platform/db/client.ts";
import { AppError } from "../../platform/http/errors.ts";
import type { Platform } from "../../platform/platform.ts";
import { UUID_PATTERN } from "../../platform/validation.ts";
import { leaderSharePolicy, PROTECTION, SUMMARY } from "./leaders.ts";
import type { Measure } from "./measures.ts";
import type { TenantRef } from "./policy.ts";
import { caseLeaderShares, cases, caseTasks } from "./schema.ts";

/* The leader's side of a share: the cases shared with them, and one of them as far as they may see it. */

export interface LeaderCase {
  id: string;
  number: string;
  validUntil: string;
}

/** The cases shared with this leader that they may read now. */
export async function casesForLeader(platform: Pick<Platform, "db" | "clock">, actor: Actor, tenant: TenantRef): Promise<LeaderCase[] | null> {
  if (tenant.kind === "national" || !hasRole(actor, tenant.id, "leader")) return null;
  const today = berlinDate(platform.clock.now());
  return withTenant(
    platform.db,
    tenant.id,
    (tx) =>
      tx
        .select({ id: caseLeaderShares.id, number: cases.number, validUntil: caseLeaderShares.validUntil })
        .from(caseLeaderShares)
        .innerJoin(cases, and(eq(cases.tenantId, caseLeaderShares.tenantId), eq(cases.id, caseLeaderShares.caseId)))
        .where(
          and(
            eq(caseLeaderShares.tenantId, tenant.id),
            eq(caseLeaderShares.leaderId, actor.userId),
            eq(caseLeaderShares.status, "active"),
            sql`${caseLeaderShares.validUntil} >= ${today}::date`,
          ),
        )
        .orderBy(asc(cases.number)),
    actor.userId,
  );
}

export interface LeaderView {
  number: string;
  summary: string;
  validUntil: string;
  /** What the case needs from the leader: a Strafantrag under §194 Abs. 3, protection measures. */
  tasks: { measure: Measure; status: string; entitled: string | null; fromOn: string | null; dueOn: string | null }[];
}

/** One shared case, for its leader: the summary and what it needs from them. Each look is on the case and in the audit log. */
export async function openLeaderShare(
  platform: Pick<Platform, "db" | "clock" | "keyring">,
  actor: Actor,
  tenant: TenantRef,
  shareId: string,
): Promise<LeaderView | { ended: true; number: string }> {
  if (!UUID_PATTERN.test(shareId)) throw new AppError("not_found");
  const now = platform.clock.now();
  const today = berlinDate(now);
  return withTenant(
    platform.db,
    tenant.id,
    async (tx) => {
      const [s] = await tx
        .select({
          caseId: caseLeaderShares.caseId,
          leaderId: caseLeaderShares.leaderId,
          status: caseLeaderShares.status,
          validUntil: caseLeaderShares.validUntil,
          summary: caseLeaderShares.summary,
          number: cases.number,
        })
        .from(caseLeaderShares)
        .innerJoin(cases, and(eq(cases.tenantId, caseLeaderShares.tenantId), eq(cases.id, caseLeaderShares.caseId)))
        .where(and(eq(caseLeaderShares.tenantId, tenant.id), eq(caseLeaderShares.id, shareId.toLowerCase())));
      if (!s) throw new AppError("not_found");
      const ref = { tenantId: tenant.id, tenantKind: tenant.kind, leaderId: s.leaderId, status: s.status, running: s.validUntil >= today };
      // Its own leader learns that a share has ended (they knew of it); anyone else finds nothing.
      if (!leaderSharePolicy.can(actor, "read", ref) && s.leaderId === actor.userId && hasRole(actor, tenant.id, "leader") && s.status !== "awaiting_consent") {
        return { ended: true as const, number: s.number };
      }
      leaderSharePolicy.authorize(actor, "read", ref);
      const tasks = await tx
        .select({ measure: caseTasks.measure, status: caseTasks.status, entitled: caseTasks.entitled, fromOn: caseTasks.fromOn, dueOn: caseTasks.dueOn })
        .from(caseTasks)
        .where(
          and(
            eq(caseTasks.tenantId, tenant.id),
            eq(caseTasks.caseId, s.caseId),
            sql`((${caseTasks.measure} = 'strafantrag' and ${caseTasks.entitled} = 'superior') or ${caseTasks.measure} in (${sql.join(
              PROTECTION.map((m) => sql`${m}`),
              sql`, `,
            )}))`,
          ),
        )
        .orderBy(asc(caseTasks.seq));
      await appendAudit(
        tx,
        {
          tenantId: tenant.id,
          actorId: actor.userId,
          action: "case.leader_viewed",
          objectType: "case",
          objectId: s.caseId,
          details: { number: s.number, shareId },
        },
        now,
      );
      return {
        number: s.number,
        summary: await platform.keyring.openText(tx, tenant.id, s.summary, SUMMARY),
        validUntil: s.validUntil,
        tasks,
      };
    },
    actor.userId,
  );
}
