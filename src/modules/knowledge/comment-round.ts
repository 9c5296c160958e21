import { randomBytes } from "node:crypto";
import { and, asc, desc, eq, sql } from "drizzle-orm";
import { appendAudit } from "../../platform/audit/audit.ts";
import { type Actor, NotFoundError } from "../../platform/authz/policy.ts";
import { endOfBerlinDay, isCalendarDate } from "../../platform/calendar.ts";
import { type Db, withTenant } from "../../platform/db/client.ts";
import { one, type Values } from "../../platform/http/form-values.ts";
import type { Platform } from "../../platform/platform.ts";
import type { TenantRef } from "./library.ts";
import { strategyPolicy } from "./policy.ts";
import { type CommentStatus, commentRounds, roundComments, roundGroups, type StrategySection } from "./schema.ts";
import { latestVersionIn } from "./strategy.ts";

/*
 * Comment rounds on a draft of the strategy concept. The admins open a round on the latest version
 * for invited groups — affected communities, migrant organisations, the alliance — each with a link
 * of its own; whoever holds a group's link reads the draft and comments on its parts, without an
 * account and signed with a name only if they wish. Comments wait for moderation; approved ones are
 * shown to the round. At the end the admins write what they changed because of them, and the round's
 * page shows it to everyone who took part.
 */

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const chars = (s: string) => [...s].length;
export const line = (s: string) =>
  s
    .replace(/[\p{Cc}\p{Cf}]/gu, " ")
    .replace(/\s+/g, " ")
    .trim();
export const text = (s: string) =>
  s
    .replace(/\r\n?/g, "\n")
    .replace(/[\p{Cc}\p{Cf}]/gu, (c) => (c === "\n" ? c : ""))
    .trim();
const newToken = () => randomBytes(32).toString("base64url");
export const BODY = "knowledge_round_comments.body";
export const SIGNATURE = "knowledge_round_comments.signature";

export interface RoundInput {
  title: string;
  closesAt: Date;
  groups: string[];
}

/** Title, last day (tomorrow up to a year ahead) and one to eight invited groups, one per line. */
export function readRoundForm(
  values: Values,
  now: Date,
  t: (key: string) => string,
): { ok: true; input: RoundInput } | { ok: false; errors: Record<string, string> } {
  const title = line(one(values.title));
  const day = one(values.closesOn).trim();
  const groups = one(values.groups)
    .split(/\r\n?|\n/)
    .map(line)
    .filter(Boolean);
  const errors: Record<string, string> = {};
  if (chars(title) < 3 || chars(title) > 200) errors.title = t("errors.knowledge.roundTitle");
  const closesAt = isCalendarDate(day) ? endOfBerlinDay(day) : null;
  if (!closesAt || closesAt <= now || closesAt.getTime() > now.getTime() + 366 * 86_400_000) errors.closesOn = t("errors.knowledge.surveyCloses");
  const distinct = new Set(groups.map((g) => g.toLocaleLowerCase("de")));
  if (groups.length < 1 || groups.length > 8 || distinct.size !== groups.length || groups.some((g) => chars(g) < 2 || chars(g) > 120))
    errors.groups = t("errors.knowledge.roundGroups");
  return Object.keys(errors).length || !closesAt ? { ok: false, errors } : { ok: true, input: { title, closesAt, groups } };
}

export interface RoundRow {
  id: string;
  version: number;
  title: string;
  closesAt: Date;
  closedAt: Date | null;
  summary: string | null;
  summaryVersion: number | null;
  createdAt: Date;
}

export const isRoundOpen = (r: Pick<RoundRow, "closesAt" | "closedAt">, now: Date) => r.closedAt === null && r.closesAt > now;

const roundColumns = {
  id: commentRounds.id,
  version: commentRounds.version,
  title: commentRounds.title,
  closesAt: commentRounds.closesAt,
  closedAt: commentRounds.closedAt,
  summary: commentRounds.summary,
  summaryVersion: commentRounds.summaryVersion,
  createdAt: commentRounds.createdAt,
};

/** Someone asked for a round while the concept has no version yet. */
export class NoDraftError extends Error {}

/** Opens a round on the latest version; returns it with each group's link token (shown once). */
export async function openRound(
  platform: Pick<Platform, "db" | "clock" | "keyring">,
  actor: Actor,
  tenant: TenantRef,
  input: RoundInput,
): Promise<{ id: string; links: { group: string; token: string }[] }> {
  strategyPolicy.authorize(actor, "write", tenant);
  const now = platform.clock.now();
  return withTenant(
    platform.db,
    tenant.id,
    async (tx) => {
      const latest = await latestVersionIn(tx, tenant.id);
      if (latest === null) throw new NoDraftError();
      const [round] = await tx
        .insert(commentRounds)
        .values({ tenantId: tenant.id, version: latest, title: input.title, closesAt: input.closesAt, createdBy: actor.userId, createdAt: now })
        .returning({ id: commentRounds.id });
      const links = input.groups.map((group) => ({ group, token: newToken() }));
      await tx
        .insert(roundGroups)
        .values(links.map((l) => ({ tenantId: tenant.id, roundId: round.id, name: l.group, tokenHash: platform.keyring.lookupHash("round", l.token) })));
      await appendAudit(tx, { tenantId: tenant.id, actorId: actor.userId, action: "round.opened", objectType: "round", objectId: round.id }, now);
      return { id: round.id, links };
    },
    actor.userId,
  );
}

export async function roundList(platform: Pick<Platform, "db">, actor: Actor, tenant: TenantRef): Promise<(RoundRow & { pending: number })[]> {
  strategyPolicy.authorize(actor, "write", tenant);
  return withTenant(
    platform.db,
    tenant.id,
    (tx) =>
      tx
        .select({
          ...roundColumns,
          // Written out: inside the subquery drizzle would leave the outer columns unqualified.
          pending: sql<number>`(select count(*)::int from knowledge_round_comments c
                                 where c.tenant_id = knowledge_comment_rounds.tenant_id and c.round_id = knowledge_comment_rounds.id and c.status = 'pending')`,
        })
        .from(commentRounds)
        .where(eq(commentRounds.tenantId, tenant.id))
        .orderBy(desc(commentRounds.createdAt)),
    actor.userId,
  );
}

export interface RoundComment {
  id: string;
  group: string;
  section: StrategySection;
  body: string;
  signature: string | null;
  status: CommentStatus;
  createdAt: Date;
}

export async function commentsOf(
  platform: Pick<Platform, "keyring">,
  tx: Db,
  tenantId: string,
  roundId: string,
  approvedOnly: boolean,
): Promise<RoundComment[]> {
  const found = await tx
    .select({
      id: roundComments.id,
      group: roundGroups.name,
      section: roundComments.section,
      body: roundComments.body,
      signature: roundComments.signature,
      status: roundComments.status,
      createdAt: roundComments.createdAt,
    })
    .from(roundComments)
    .innerJoin(roundGroups, and(eq(roundGroups.tenantId, roundComments.tenantId), eq(roundGroups.id, roundComments.groupId)))
    .where(and(eq(roundComments.tenantId, tenantId), eq(roundComments.roundId, roundId), approvedOnly ? eq(roundComments.status, "approved") : undefined))
    .orderBy(asc(roundComments.createdAt), asc(roundComments.id));
  return Promise.all(
    found.map(async (c) => ({
      ...c,
      body: await platform.keyring.openText(tx, tenantId, c.body, BODY),
      signature: c.signature ? await platform.keyring.openText(tx, tenantId, c.signature, SIGNATURE) : null,
    })),
  );
}

export async function roundIn(tx: Db, tenantId: string, id: string): Promise<RoundRow> {
  if (!UUID.test(id)) throw new NotFoundError();
  const [round] = await tx
    .select(roundColumns)
    .from(commentRounds)
    .where(and(eq(commentRounds.tenantId, tenantId), eq(commentRounds.id, id)));
  if (!round) throw new NotFoundError();
  return round;
}

/** A round for its admins: the groups, every comment (opened) and where the concept stands now. */
export async function roundOf(
  platform: Pick<Platform, "db" | "keyring">,
  actor: Actor,
  tenant: TenantRef,
  id: string,
): Promise<{ round: RoundRow; groups: { id: string; name: string }[]; comments: RoundComment[]; latestVersion: number }> {
  strategyPolicy.authorize(actor, "write", tenant);
  return withTenant(
    platform.db,
    tenant.id,
    async (tx) => {
      const round = await roundIn(tx, tenant.id, id);
      const groups = await tx
        .select({ id: roundGroups.id, name: roundGroups.name })
        .from(roundGroups)
        .where(and(eq(roundGroups.tenantId, tenant.id), eq(roundGroups.roundId, id)))
        .orderBy(asc(roundGroups.name));
      const latest = await latestVersionIn(tx, tenant.id);
      return { round, groups, comments: await commentsOf(platform, tx, tenant.id, id, false), latestVersion: latest ?? round.version };
    },
    actor.userId,
  );
}

/** A new link for one group of an open round (its old one stops working); returns the token. */
export async function renewGroupLink(
  platform: Pick<Platform, "db" | "clock" | "keyring">,
  actor: Actor,
  tenant: TenantRef,
  roundId: string,
  groupId: string,
): Promise<{ group: string; token: string }> {
  strategyPolicy.authorize(actor, "write", tenant);
  const now = platform.clock.now();
  return withTenant(
    platform.db,
    tenant.id,
    async (tx) => {
      const round = await roundIn(tx, tenant.id, roundId);
      if (!isRoundOpen(round, now) || !UUID.test(groupId)) throw new NotFoundError();
      const token = newToken();
      const [group] = await tx
        .update(roundGroups)
        .set({ tokenHash: platform.keyring.lookupHash("round", token) })
        .where(and(eq(roundGroups.tenantId, tenant.id), eq(roundGroups.roundId, roundId), eq(roundGroups.id, groupId)))
        .returning({ name: roundGroups.name });
      if (!group) throw new NotFoundError();
      await appendAudit(tx, { tenantId: tenant.id, actorId: actor.userId, action: "round.link_renewed", objectType: "round", objectId: roundId }, now);
      return { group: group.name, token };
    },
    actor.userId,
  );
}

/** Approves a waiting comment (it is then shown to the round) or rejects it. */
export async function moderateComment(
  platform: Pick<Platform, "db" | "clock">,
  actor: Actor,
  tenant: TenantRef,
  roundId: string,
  commentId: string,
  approve: boolean,
) {
  strategyPolicy.authorize(actor, "write", tenant);
  if (!UUID.test(commentId)) throw new NotFoundError();
  const now = platform.clock.now();
  await withTenant(
    platform.db,
    tenant.id,
    async (tx) => {
      await roundIn(tx, tenant.id, roundId);
      const [done] = await tx
        .update(roundComments)
        .set({ status: approve ? "approved" : "rejected", moderatedBy: actor.userId, moderatedAt: now })
        .where(and(eq(roundComments.tenantId, tenant.id), eq(roundComments.roundId, roundId), eq(roundComments.id, commentId)))
        .returning({ id: roundComments.id });
      if (!done) throw new NotFoundError();
      await appendAudit(
        tx,
        {
          tenantId: tenant.id,
          actorId: actor.userId,
          action: approve ? "round.comment_approved" : "round.comment_rejected",
          objectType: "round",
          objectId: roundId,
        },
        now,
      );
    },
    actor.userId,
  );
}

/** Ends a round with what changed because of it (tied to the concept's latest version). */
export async function closeRound(platform: Pick<Platform, "db" | "clock">, actor: Actor, tenant: TenantRef, roundId: string, summary: string) {
  strategyPolicy.authorize(actor, "write", tenant);
  const now = platform.clock.now();
  await withTenant(
    platform.db,
    tenant.id,
    async (tx) => {
      const round = await roundIn(tx, tenant.id, roundId);
      const latest = await latestVersionIn(tx, tenant.id);
      // Ended once: of two at the same moment, the second finds it ended.
      const [closed] = await tx
        .update(commentRounds)
        .set({ closedAt: now, summary, summaryVersion: latest ?? round.version })
        .where(and(eq(commentRounds.tenantId, tenant.id), eq(commentRounds.id, roundId), sql`${commentRounds.closedAt} is null`))
        .returning({ id: commentRounds.id });
      if (!closed) throw new NotFoundError();
      await appendAudit(tx, { tenantId: tenant.id, actorId: actor.userId, action: "round.closed", objectType: "round", objectId: roundId }, now);
    },
    actor.userId,
  );
}

export const readSummary = (values: Values) => text(one(values.summary));
