import { and, asc, eq, inArray, sql } from "drizzle-orm";
import { z } from "zod";
import { appendAudit } from "../../platform/audit/audit.ts";
import { type Actor, hasRole, Policy } from "../../platform/authz/policy.ts";
import { berlinDate, isCalendarDate } from "../../platform/calendar.ts";
import { type Db, withTenant } from "../../platform/db/client.ts";
import { users } from "../../platform/db/schema.ts";
import type { EventHandler } from "../../platform/events/events.ts";
import { AppError } from "../../platform/http/errors.ts";
import { notify, peopleWithRoles } from "../../platform/notifications/notifications.ts";
import type { Platform } from "../../platform/platform.ts";
import { CONTROL_CHARACTERS_MESSAGE, UUID_PATTERN, withoutControlCharacters } from "../../platform/validation.ts";
import { type ConsentRevoked, checkCaseNumber, consentInTx, consentRevoked, type QuestionAnswered, questionAnswered } from "../reports/index.ts";
import { caseToWorkOn } from "./assessment.ts";
import { MEASURE_GROUPS, type Measure } from "./measures.ts";
import type { TenantRef } from "./policy.ts";
import { caseLeaderShares, cases, type LeaderShareStatus } from "./schema.ts";

/*
 * Leaders see their staff's cases only as the affected person agreed: the office writes a summary
 * of what the person agreed to share, names the leader and the last day, and asks the person in
 * the mailbox (or writes down a consent given another way). Once agreed, the leader sees that
 * summary and what the case needs from them — a Strafantrag under §194 Abs. 3 StGB with its
 * deadline, protection measures — and nothing else; a withdrawal ends it at once.
 */

export const SUMMARY = "case_leader_shares.summary";
const CONSENT_WAYS = ["mailbox", "phone", "in_person", "email", "letter"] as const;
const _DATE = /^\d{4}-\d{2}-\d{2}$/;
/** Measures a leader decides or enables: protection at the workplace. */
export const PROTECTION: readonly Measure[] = MEASURE_GROUPS.protection;

export const leaderShareInput = z.object({
  leaderId: z.string().refine((s) => UUID_PATTERN.test(s), { error: "errors.leaders.leader" }),
  summary: z
    .string()
    .trim()
    .min(1, { error: "errors.leaders.summary" })
    .max(2000, { error: "errors.leaders.summaryLong" })
    .refine(withoutControlCharacters, { error: CONTROL_CHARACTERS_MESSAGE }),
  validUntil: z.string().refine(isCalendarDate, { error: "errors.referrals.until" }),
  consent: z.enum(CONSENT_WAYS, { error: "errors.referrals.consent" }),
});
export type LeaderShareInput = z.infer<typeof leaderShareInput>;

/** A share as the rules see it. */
export interface LeaderShareRef {
  tenantId: string;
  tenantKind: "national" | "model" | "platform";
  leaderId: string;
  status: LeaderShareStatus;
  running: boolean;
}

/** The leader it was shared with, while the person's consent stands and runs; anyone else: like a missing case. */
export const leaderSharePolicy = new Policy<LeaderShareRef, "read">("leaderShare", ["read"], {
  "shared with them, consent running": (a, w) => ({ tenantId: w.own.id, tenantKind: w.own.kind, leaderId: a.userId, status: "active", running: true }),
  "shared with them, consent ended": (a, w) => ({ tenantId: w.own.id, tenantKind: w.own.kind, leaderId: a.userId, status: "active", running: false }),
  "shared with them, revoked": (a, w) => ({ tenantId: w.own.id, tenantKind: w.own.kind, leaderId: a.userId, status: "revoked", running: true }),
  "shared with them, awaiting consent": (a, w) => ({
    tenantId: w.own.id,
    tenantKind: w.own.kind,
    leaderId: a.userId,
    status: "awaiting_consent",
    running: true,
  }),
  "shared with another leader": (_a, w) => ({ tenantId: w.own.id, tenantKind: w.own.kind, leaderId: w.someoneElse, status: "active", running: true }),
  "other municipality, shared with them": (a, w) => ({ tenantId: w.other.id, tenantKind: w.other.kind, leaderId: a.userId, status: "active", running: true }),
}).allow(
  "read",
  (actor, s) =>
    s.tenantKind !== "national" && !!actor && s.leaderId === actor.userId && hasRole(actor, s.tenantId, "leader") && s.status === "active" && s.running,
);

export type ShareResult = { ok: true } | { ok: false; field: "leaderId" | "validUntil" | "consent" | "already" };

/** Shares a case with a leader: asks the person in the mailbox, or records a consent given another way. */
export async function shareWithLeader(
  platform: Pick<Platform, "db" | "clock" | "keyring" | "domainEvents" | "mailer" | "config">,
  actor: Actor,
  tenant: TenantRef & { slug: string; name: string },
  number: string,
  input: LeaderShareInput,
): Promise<ShareResult> {
  checkCaseNumber(number);
  const now = platform.clock.now();
  const today = berlinDate(now);
  // The question (or the recorded consent) and the share commit together, or neither does.
  const done = await withTenant(
    platform.db,
    tenant.id,
    async (tx): Promise<{ result: ShareResult; eventId: string | null; mails: string[] }> => {
      const fail = (field: "leaderId" | "validUntil" | "consent" | "already") => ({ result: { ok: false, field } as const, eventId: null, mails: [] });
      const row = await caseToWorkOn(tx, actor, tenant, number);
      const leaderId = input.leaderId.toLowerCase();
      const leader = (await leadersOf(tx, tenant.id)).find((l) => l.id === leaderId);
      if (!leader) return fail("leaderId");
      // One share per leader at a time: a second would outlive the first one's withdrawal.
      const [standing] = await tx
        .select({ id: caseLeaderShares.id })
        .from(caseLeaderShares)
        .where(
          and(
            eq(caseLeaderShares.tenantId, tenant.id),
            eq(caseLeaderShares.caseId, row.id),
            eq(caseLeaderShares.leaderId, leaderId),
            inArray(caseLeaderShares.status, ["awaiting_consent", "active"]),
          ),
        );
      if (standing) return fail("already");
      if (input.validUntil < today || input.validUntil > berlinDate(now, 2 * 366)) return fail("validUntil");
      const details = { recipient: leader.name, categories: ["summary" as const], until: input.validUntil };
      const consent = await consentInTx(platform, tx, actor, tenant, number, input.consent, { topic: "inform_leader", note: input.summary, details }, now);
      if (!consent.ok) return fail("consent");
      const status: LeaderShareStatus = input.consent === "mailbox" ? "awaiting_consent" : "active";
      const [s] = await tx
        .insert(caseLeaderShares)
        .values({
          tenantId: tenant.id,
          caseId: row.id,
          leaderId,
          summary: await platform.keyring.seal(tx, tenant.id, input.summary, SUMMARY),
          validUntil: input.validUntil,
          status,
          consentQuestionId: consent.questionId,
          createdBy: actor.userId,
          createdAt: now,
          updatedAt: now,
        })
        .returning({ id: caseLeaderShares.id });
      await appendAudit(
        tx,
        {
          tenantId: tenant.id,
          actorId: actor.userId,
          action: "case.leader_shared",
          objectType: "case",
          objectId: row.id,
          details: { number, shareId: s.id, leaderId, consent: input.consent },
        },
        now,
      );
      const mails = status === "active" ? await tellLeader(platform, tx, tenant.id, leaderId, s.id, number) : [];
      return { result: { ok: true }, eventId: consent.eventId, mails };
    },
    actor.userId,
  );
  await platform.mailer.dispatch(done.mails);
  if (done.eventId) await platform.domainEvents.deliver(tenant.id, [done.eventId]);
  return done.result;
}

/** The municipality's active leaders, for the office's choice. */
export async function leadersOf(tx: Db, tenantId: string): Promise<{ id: string; name: string }[]> {
  const ids = await peopleWithRoles(tx, tenantId, ["leader"]);
  if (ids.length === 0) return [];
  return tx.select({ id: users.id, name: users.displayName }).from(users).where(inArray(users.id, ids)).orderBy(asc(users.displayName));
}

async function tellLeader(
  platform: Pick<Platform, "clock" | "mailer" | "config">,
  tx: Db,
  tenantId: string,
  leaderId: string,
  shareId: string,
  number: string,
) {
  // The mail names the case number only; the summary waits behind the sign-in. Dispatch its mail after the commit.
  return notify(
    platform,
    tx,
    tenantId,
    [leaderId],
    { kind: "cases.notify.leaderShare", params: { caseNumber: number }, link: `/fuehrung/${shareId}` },
    { mail: true },
  );
}

/** The person's answer decides a share waiting for it. */
export function leaderShareOnAnswer(platform: Pick<Platform, "clock" | "mailer" | "config">): EventHandler<QuestionAnswered> {
  return {
    name: "cases.leader-share-consent",
    event: questionAnswered,
    async handle({ tx, event, afterCommit }) {
      const { questionId, answer, caseNumber, topic } = event.payload;
      if (topic !== "inform_leader" || answer === "ask_back") return;
      const now = platform.clock.now();
      const [s] = await tx
        .update(caseLeaderShares)
        .set({ status: answer === "agree" ? "active" : "no_consent", updatedAt: now })
        .where(
          and(
            eq(caseLeaderShares.tenantId, event.tenantId),
            eq(caseLeaderShares.consentQuestionId, questionId),
            eq(caseLeaderShares.status, "awaiting_consent"),
          ),
        )
        .returning({ id: caseLeaderShares.id, leaderId: caseLeaderShares.leaderId });
      if (s && answer === "agree") {
        const mails = await tellLeader(platform, tx, event.tenantId, s.leaderId, s.id, caseNumber);
        afterCommit(() => platform.mailer.dispatch(mails));
      }
      // "No" to informing the leader, however it came (a call, a letter), ends what the case shares.
      if (answer === "decline") {
        await tx
          .update(caseLeaderShares)
          .set({ status: "revoked", updatedAt: now })
          .where(
            and(
              eq(caseLeaderShares.tenantId, event.tenantId),
              inArray(caseLeaderShares.status, ["awaiting_consent", "active"]),
              sql`${caseLeaderShares.caseId} = (select c.id from ${cases} c where c.tenant_id = ${event.tenantId} and c.number = ${caseNumber})`,
            ),
          );
      }
    },
  };
}

/** A withdrawn consent ends the share at once. */
export function leaderShareOnRevocation(platform: Pick<Platform, "clock">): EventHandler<ConsentRevoked> {
  return {
    name: "cases.leader-share-revoked",
    event: consentRevoked,
    async handle({ tx, event }) {
      await tx
        .update(caseLeaderShares)
        .set({ status: "revoked", updatedAt: platform.clock.now() })
        .where(
          and(
            eq(caseLeaderShares.tenantId, event.tenantId),
            eq(caseLeaderShares.consentQuestionId, event.payload.questionId),
            inArray(caseLeaderShares.status, ["awaiting_consent", "active"]),
          ),
        );
    },
  };
}

/** Closing a case ends its shares, like its referrals. */
export async function endSharesOf(tx: Db, tenantId: string, caseId: string, at: Date): Promise<void> {
  await tx
    .update(caseLeaderShares)
    .set({ status: "ended", updatedAt: at })
    .where(and(eq(caseLeaderShares.tenantId, tenantId), eq(caseLeaderShares.caseId, caseId), inArray(caseLeaderShares.status, ["awaiting_consent", "active"])));
}

export interface ShareRow {
  id: string;
  leaderName: string | null;
  status: LeaderShareStatus;
  validUntil: string;
  createdAt: Date;
}

/** The case's shares with leaders, for the office. */
export async function sharesOfCase(tx: Db, tenantId: string, caseId: string): Promise<ShareRow[]> {
  return tx
    .select({
      id: caseLeaderShares.id,
      leaderName: users.displayName,
      status: caseLeaderShares.status,
      validUntil: caseLeaderShares.validUntil,
      createdAt: caseLeaderShares.createdAt,
    })
    .from(caseLeaderShares)
    .leftJoin(users, eq(users.id, caseLeaderShares.leaderId))
    .where(and(eq(caseLeaderShares.tenantId, tenantId), eq(caseLeaderShares.caseId, caseId)))
    .orderBy(asc(caseLeaderShares.createdAt));
}

/** The office ends a share at once (the person withdrew by phone, it is no longer needed). */
export async function endShare(platform: Pick<Platform, "db" | "clock">, actor: Actor, tenant: TenantRef, number: string, shareId: string): Promise<void> {
  checkCaseNumber(number);
  if (!UUID_PATTERN.test(shareId)) throw new AppError("not_found");
  const now = platform.clock.now();
  await withTenant(
    platform.db,
    tenant.id,
    async (tx) => {
      const row = await caseToWorkOn(tx, actor, tenant, number);
      const [ended] = await tx
        .update(caseLeaderShares)
        .set({ status: "ended", updatedAt: now })
        .where(
          and(
            eq(caseLeaderShares.tenantId, tenant.id),
            eq(caseLeaderShares.caseId, row.id),
            eq(caseLeaderShares.id, shareId),
            inArray(caseLeaderShares.status, ["awaiting_consent", "active"]),
          ),
        )
        .returning({ id: caseLeaderShares.id });
      if (!ended) throw new AppError("not_found");
      await appendAudit(
        tx,
        { tenantId: tenant.id, actorId: actor.userId, action: "case.leader_share_ended", objectType: "case", objectId: row.id, details: { number, shareId } },
        now,
      );
    },
    actor.userId,
  );
}
