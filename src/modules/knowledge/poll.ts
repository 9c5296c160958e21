import { randomUUID } from "node:crypto";
import { and, asc, desc, eq, sql } from "drizzle-orm";
import { appendAudit } from "../../platform/audit/audit.ts";
import { type Actor, NotFoundError } from "../../platform/authz/policy.ts";
import { withTenant } from "../../platform/db/client.ts";
import { suppressSmall } from "../../platform/disclosure.ts";
import { one, type Values } from "../../platform/http/form-values.ts";
import type { Platform } from "../../platform/platform.ts";
import type { TenantRef } from "./library.ts";
import { municipalityOfLink } from "./links.ts";
import { pollPolicy } from "./policy.ts";
import { pollOptions, polls } from "./schema.ts";

/*
 * The anonymous live poll for a council meeting or an event ("Live-Abstimmung"). Whoever runs it
 * projects a QR code; people vote on their phones without an account. A vote counts up its
 * answer and nothing else (no time, person, address or device). While the poll runs, only the
 * number of votes shows — a bar that moves while a known person votes would give their vote
 * away; the distribution shows once it is closed, only from five votes on, and with answers chosen
 * fewer than five times withheld.
 */

/** The distribution is shown only from this many votes on. */
export const POLL_MINIMUM = 5;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const CODE = /^[A-Za-z0-9_-]{24}$/;

export interface PollInput {
  question: string;
  options: string[];
}

export interface PollRow {
  id: string;
  question: string;
  votes: number;
  closedAt: Date | null;
  createdAt: Date;
}

export interface PollView {
  poll: PollRow;
  options: { position: number; label: string; count: number | null }[];
  /** The code in the poll's link (derived from its id, never stored). */
  code: string;
}

const chars = (s: string) => [...s].length;
const clean = (s: string) =>
  s
    .replace(/[\p{Cc}\p{Cf}]/gu, " ")
    .replace(/\s+/g, " ")
    .trim();

/** The question (3–300 characters) and two to six different answers, one per line (each up to 120 characters). */
export function readPollForm(values: Values, t: (key: string) => string): { ok: true; input: PollInput } | { ok: false; errors: Record<string, string> } {
  const question = clean(one(values.question));
  const options = one(values.options)
    .split(/\r\n?|\n/)
    .map(clean)
    .filter(Boolean);
  const errors: Record<string, string> = {};
  if (chars(question) < 3 || chars(question) > 300) errors.question = t("errors.knowledge.pollQuestion");
  const distinct = new Set(options.map((o) => o.toLocaleLowerCase("de")));
  if (options.length < 2 || options.length > 6 || distinct.size !== options.length || options.some((o) => chars(o) > 120))
    errors.options = t("errors.knowledge.pollOptions");
  return Object.keys(errors).length ? { ok: false, errors } : { ok: true, input: { question, options } };
}

/**
 * The code in a poll's link: derived from its id with the platform's lookup key, so that only its
 * hash is stored; 24 characters, the length from which the request log masks a path's token.
 */
const codeOf = (platform: Pick<Platform, "keyring">, pollId: string) => platform.keyring.lookupHash("poll-code", pollId).slice(0, 24);

export async function openPoll(platform: Pick<Platform, "db" | "clock" | "keyring">, actor: Actor, tenant: TenantRef, input: PollInput): Promise<string> {
  pollPolicy.authorize(actor, "manage", tenant);
  const now = platform.clock.now();
  const id = randomUUID();
  await withTenant(
    platform.db,
    tenant.id,
    async (tx) => {
      await tx.insert(polls).values({
        tenantId: tenant.id,
        id,
        question: input.question,
        codeHash: platform.keyring.lookupHash("poll", codeOf(platform, id)),
        createdBy: actor.userId,
        createdAt: now,
      });
      await tx.insert(pollOptions).values(input.options.map((label, position) => ({ tenantId: tenant.id, pollId: id, position, label })));
      await appendAudit(tx, { tenantId: tenant.id, actorId: actor.userId, action: "poll.opened", objectType: "poll", objectId: id }, now);
    },
    actor.userId,
  );
  return id;
}

const pollColumns = { id: polls.id, question: polls.question, votes: polls.votes, closedAt: polls.closedAt, createdAt: polls.createdAt };

export async function pollList(platform: Pick<Platform, "db">, actor: Actor, tenant: TenantRef): Promise<PollRow[]> {
  pollPolicy.authorize(actor, "manage", tenant);
  return withTenant(
    platform.db,
    tenant.id,
    (tx) => tx.select(pollColumns).from(polls).where(eq(polls.tenantId, tenant.id)).orderBy(desc(polls.createdAt), desc(polls.id)),
    actor.userId,
  );
}

/**
 * The distribution is shown once the poll is closed, from five votes on, and with every answer
 * chosen fewer than five times withheld (see `suppressSmall`): whoever runs the poll could vote
 * four times alike and single out a fifth vote. Before, no count of an answer leaves here.
 */
function shown(poll: PollRow, options: { position: number; count: number }[]): Map<number, number | null> {
  if (poll.closedAt === null || poll.votes < POLL_MINIMUM) return new Map(options.map((o) => [o.position, null]));
  const kept = suppressSmall(Object.fromEntries(options.map((o) => [String(o.position), o.count])));
  return new Map(options.map((o) => [o.position, kept[String(o.position)]]));
}

/** A poll of the municipality with its answers, for those who run it, or 404. */
export async function pollOf(platform: Pick<Platform, "db" | "keyring">, actor: Actor, tenant: TenantRef, id: string): Promise<PollView> {
  pollPolicy.authorize(actor, "manage", tenant);
  if (!UUID.test(id)) throw new NotFoundError();
  return withTenant(
    platform.db,
    tenant.id,
    async (tx) => {
      const [poll] = await tx
        .select(pollColumns)
        .from(polls)
        .where(and(eq(polls.tenantId, tenant.id), eq(polls.id, id)));
      if (!poll) throw new NotFoundError();
      const options = await tx
        .select({ position: pollOptions.position, label: pollOptions.label, count: pollOptions.count })
        .from(pollOptions)
        .where(and(eq(pollOptions.tenantId, tenant.id), eq(pollOptions.pollId, id)))
        .orderBy(asc(pollOptions.position));
      const counts = shown(poll, options);
      return { poll, options: options.map((o) => ({ ...o, count: counts.get(o.position) ?? null })), code: codeOf(platform, id) };
    },
    actor.userId,
  );
}

export async function closePoll(platform: Pick<Platform, "db" | "clock">, actor: Actor, tenant: TenantRef, id: string): Promise<void> {
  pollPolicy.authorize(actor, "manage", tenant);
  if (!UUID.test(id)) throw new NotFoundError();
  const now = platform.clock.now();
  await withTenant(
    platform.db,
    tenant.id,
    async (tx) => {
      const [closed] = await tx
        .update(polls)
        .set({ closedAt: now })
        .where(and(eq(polls.tenantId, tenant.id), eq(polls.id, id), sql`${polls.closedAt} is null`))
        .returning({ id: polls.id });
      if (closed) {
        await appendAudit(tx, { tenantId: tenant.id, actorId: actor.userId, action: "poll.closed", objectType: "poll", objectId: id }, now);
        return;
      }
      // Closed already (nothing to do), or not a poll of this municipality.
      const [exists] = await tx
        .select({ id: polls.id })
        .from(polls)
        .where(and(eq(polls.tenantId, tenant.id), eq(polls.id, id)));
      if (!exists) throw new NotFoundError();
    },
    actor.userId,
  );
}

/** The poll behind a link, for whoever holds it (no account): its question and answers (no counts), or null. */
export async function pollByCode(
  platform: Pick<Platform, "db" | "keyring">,
  slug: string,
  code: string,
): Promise<{ tenantId: string; tenantName: string; poll: PollRow; labels: { position: number; label: string }[] } | null> {
  if (!CODE.test(code)) return null;
  const tenant = await municipalityOfLink(platform, slug);
  if (!tenant) return null;
  return withTenant(platform.db, tenant.id, async (tx) => {
    const [poll] = await tx
      .select(pollColumns)
      .from(polls)
      .where(and(eq(polls.tenantId, tenant.id), eq(polls.codeHash, platform.keyring.lookupHash("poll", code))));
    if (!poll) return null;
    const labels = await tx
      .select({ position: pollOptions.position, label: pollOptions.label })
      .from(pollOptions)
      .where(and(eq(pollOptions.tenantId, tenant.id), eq(pollOptions.pollId, poll.id)))
      .orderBy(asc(pollOptions.position));
    return { tenantId: tenant.id, tenantName: tenant.name, poll, labels };
  });
}

/** Counts a vote (the poll's total and the answer's count, nothing else); false when the poll has closed meanwhile. */
export async function castVote(platform: Pick<Platform, "db">, tenantId: string, pollId: string, position: number): Promise<boolean> {
  return withTenant(platform.db, tenantId, async (tx) => {
    const [open] = await tx
      .update(polls)
      .set({ votes: sql`${polls.votes} + 1` })
      .where(and(eq(polls.tenantId, tenantId), eq(polls.id, pollId), sql`${polls.closedAt} is null`))
      .returning({ id: polls.id });
    if (!open) return false;
    const [counted] = await tx
      .update(pollOptions)
      .set({ count: sql`${pollOptions.count} + 1` })
      .where(and(eq(pollOptions.tenantId, tenantId), eq(pollOptions.pollId, pollId), eq(pollOptions.position, position)))
      .returning({ position: pollOptions.position });
    // An answer that is not the poll's: nothing is counted (the transaction is undone).
    if (!counted) throw new NotFoundError();
    return true;
  });
}
