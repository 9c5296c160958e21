import { and, desc, eq, sql } from "drizzle-orm";
import { appendAudit } from "../../platform/audit/audit.ts";
import { type Actor, NotFoundError } from "../../platform/authz/policy.ts";
import { endOfBerlinDay, isCalendarDate } from "../../platform/calendar.ts";
import { withTenant } from "../../platform/db/client.ts";
import { suppressSmall } from "../../platform/disclosure.ts";
import { many, one, type Values } from "../../platform/http/form-values.ts";
import type { Platform } from "../../platform/platform.ts";
import type { Format, TenantRef } from "./catalog.ts";
import { learnerRole } from "./participation.ts";
import { LEARNER_ROLES, needsPolicy } from "./policy.ts";
import { TOPICS, type Topic, trainingNeedsCounts, trainingNeedsRespondents, trainingNeedsRounds } from "./schema.ts";

/*
 * The needs assessment: a short questionnaire for the people of a municipality — where they work,
 * how often they met hostility, how sure they feel in five situations, what they wish to learn —
 * that yields recommended formats: at once for the person (from their own answers, kept nowhere),
 * and for the municipality once the round has ended, from five answers on.
 *
 * An answer leaves counts only: per area of work and role, how often each option was chosen. A
 * separate row notes that the person answered (so that nobody answers twice), not what. Results
 * are shown after the end (watching the figures change while someone answers would reveal them),
 * and a group (an area, a role) only with five answers or more — the groups too small to show are
 * taken together, and if they would still be fewer than five, the smallest shown group joins them,
 * so that no group's answers can be worked out by subtracting the others from the total.
 */

export const NEEDS_MINIMUM = 5;

export const AREAS = ["leadership", "citizen_service", "field", "council", "social", "internal", "other"] as const;
export type Area = (typeof AREAS)[number];

/** The situations asked about, each with the topic that helps where people feel unsure. */
export const SITUATIONS: { key: string; topic: Topic }[] = [
  { key: "counter", topic: "deescalation" },
  { key: "online", topic: "online_hate" },
  { key: "racism", topic: "racism_critical" },
  { key: "support", topic: "leadership" },
  { key: "evidence", topic: "evidence" },
];
const CONFIDENCE = ["1", "2", "3", "4"] as const;
const UNSURE = new Set(["1", "2"]);
export const EXPERIENCE = ["never", "once", "several", "often"] as const;
export const MODE_WISHES = ["on_site", "online", "either"] as const;

/** Every (question, option) a round counts. */
const NEEDS_CELLS: [string, string][] = [
  ["responses", "all"],
  ...EXPERIENCE.map((e): [string, string] => ["experience", e]),
  ...SITUATIONS.flatMap((s) => CONFIDENCE.map((c): [string, string] => [`conf_${s.key}`, c])),
  ...TOPICS.map((t): [string, string] => ["wishes", t]),
  ...MODE_WISHES.map((m): [string, string] => ["mode", m]),
];

export interface NeedsAnswers {
  area: Area;
  experience: (typeof EXPERIENCE)[number] | null;
  confidence: Record<string, string>;
  wishes: Topic[];
  mode: (typeof MODE_WISHES)[number] | null;
}

/** The answers from the form: the area is needed, everything else may be left out; a forged value is an error. */
export function readNeedsForm(values: Values): { ok: true; answers: NeedsAnswers } | { ok: false; errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  const area = one(values.area);
  if (!(AREAS as readonly string[]).includes(area)) errors.area = "errors.trainings.needsArea";
  const experience = one(values.experience);
  if (experience && !(EXPERIENCE as readonly string[]).includes(experience)) errors.experience = "errors.trainings.needsOption";
  const confidence: Record<string, string> = {};
  for (const s of SITUATIONS) {
    const v = one(values[`conf_${s.key}`]);
    if (!v) continue;
    if ((CONFIDENCE as readonly string[]).includes(v)) confidence[s.key] = v;
    else errors[`conf_${s.key}`] = "errors.trainings.needsOption";
  }
  const wishes = [...new Set(many(values.wishes))];
  if (wishes.some((w) => !(TOPICS as readonly string[]).includes(w))) errors.wishes = "errors.trainings.needsOption";
  const mode = one(values.mode);
  if (mode && !(MODE_WISHES as readonly string[]).includes(mode)) errors.mode = "errors.trainings.needsOption";
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return {
    ok: true,
    answers: {
      area: area as Area,
      experience: (experience || null) as NeedsAnswers["experience"],
      confidence,
      wishes: wishes as Topic[],
      mode: (mode || null) as NeedsAnswers["mode"],
    },
  };
}

/** What a set of answers calls for: each topic's weight (a wish counts two, feeling very unsure two, rather unsure one). */
export function topicNeeds(answers: Pick<NeedsAnswers, "confidence" | "wishes">): Record<Topic, number> {
  const need = Object.fromEntries(TOPICS.map((t) => [t, 0])) as Record<Topic, number>;
  for (const w of answers.wishes) need[w] += 2;
  for (const s of SITUATIONS) {
    const v = answers.confidence[s.key];
    if (v === "1") need[s.topic] += 2;
    else if (v === "2") need[s.topic] += 1;
  }
  return need;
}

/** The topics most called for, at most `n`, strongest first (none that nothing calls for). */
export function topTopics(need: Record<Topic, number>, n = 3): Topic[] {
  return TOPICS.filter((t) => need[t] > 0)
    .sort((a, b) => need[b] - need[a] || TOPICS.indexOf(a) - TOPICS.indexOf(b))
    .slice(0, n);
}

/** Formats of the catalog for some topics: those that cover the most of them first. */
export function recommendFormats(formats: readonly Format[], topics: readonly Topic[], max = 4): Format[] {
  const score = (f: Format) => topics.reduce((sum, t, i) => sum + (f.topics.includes(t) ? topics.length - i : 0), 0);
  return formats
    .filter((f) => !f.archived && score(f) > 0)
    .sort((a, b) => score(b) - score(a) || a.title.localeCompare(b.title, "de"))
    .slice(0, max);
}

export interface NeedsRound {
  id: string;
  title: string;
  closesAt: Date;
  closedAt: Date | null;
  responses: number;
}
export const isOpen = (r: Pick<NeedsRound, "closesAt" | "closedAt">, now: Date) => r.closedAt === null && r.closesAt > now;

const roundColumns = {
  id: trainingNeedsRounds.id,
  title: trainingNeedsRounds.title,
  closesAt: trainingNeedsRounds.closesAt,
  closedAt: trainingNeedsRounds.closedAt,
  responses: trainingNeedsRounds.responses,
};
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Title (3–200 characters) and last day (tomorrow up to a year ahead). */
export function readRoundForm(values: Values, now: Date): { ok: true; title: string; closesAt: Date } | { ok: false; errors: Record<string, string> } {
  const title = one(values.title)
    .replace(/[\p{Cc}\p{Cf}]/gu, " ")
    .replace(/\s+/g, " ")
    .trim();
  const day = one(values.closesOn).trim();
  const errors: Record<string, string> = {};
  if ([...title].length < 3 || [...title].length > 200) errors.title = "errors.trainings.title";
  const closesAt = isCalendarDate(day) ? endOfBerlinDay(day) : null;
  if (!closesAt || closesAt <= now || closesAt.getTime() > now.getTime() + 366 * 86_400_000) errors.closesOn = "errors.trainings.needsCloses";
  return Object.keys(errors).length > 0 || !closesAt ? { ok: false, errors } : { ok: true, title, closesAt };
}

export async function needsRounds(platform: Pick<Platform, "db">, actor: Actor, tenant: TenantRef): Promise<(NeedsRound & { answered: boolean })[]> {
  if (!needsPolicy.can(actor, "answer", tenant) && !needsPolicy.can(actor, "results", tenant)) throw new NotFoundError();
  return withTenant(
    platform.db,
    tenant.id,
    async (tx) => {
      const rounds = await tx
        .select(roundColumns)
        .from(trainingNeedsRounds)
        .where(eq(trainingNeedsRounds.tenantId, tenant.id))
        .orderBy(desc(trainingNeedsRounds.createdAt));
      const mine = new Set(
        (
          await tx
            .select({ roundId: trainingNeedsRespondents.roundId })
            .from(trainingNeedsRespondents)
            .where(and(eq(trainingNeedsRespondents.tenantId, tenant.id), eq(trainingNeedsRespondents.userId, actor.userId)))
        ).map((r) => r.roundId),
      );
      return rounds.map((r) => ({ ...r, answered: mine.has(r.id) }));
    },
    actor.userId,
  );
}

export async function openNeedsRound(
  platform: Pick<Platform, "db" | "clock">,
  actor: Actor,
  tenant: TenantRef,
  input: { title: string; closesAt: Date },
): Promise<string> {
  needsPolicy.authorize(actor, "manage", tenant);
  const now = platform.clock.now();
  return withTenant(
    platform.db,
    tenant.id,
    async (tx) => {
      const [row] = await tx
        .insert(trainingNeedsRounds)
        .values({ tenantId: tenant.id, title: input.title, closesAt: input.closesAt, createdBy: actor.userId, createdAt: now })
        .returning({ id: trainingNeedsRounds.id });
      // Every cell the round can count, from the start: an answer then rewrites all of them (see answerNeeds).
      await tx
        .insert(trainingNeedsCounts)
        .values(
          AREAS.flatMap((area) =>
            LEARNER_ROLES.flatMap((role) =>
              NEEDS_CELLS.map(([question, option]) => ({ tenantId: tenant.id, roundId: row.id, area, role, question, option, count: 0 })),
            ),
          ),
        );
      await appendAudit(
        tx,
        { tenantId: tenant.id, actorId: actor.userId, action: "training.needs_opened", objectType: "training_needs", objectId: row.id },
        now,
      );
      return row.id;
    },
    actor.userId,
  );
}

export async function closeNeedsRound(platform: Pick<Platform, "db" | "clock">, actor: Actor, tenant: TenantRef, id: string): Promise<void> {
  needsPolicy.authorize(actor, "manage", tenant);
  if (!UUID.test(id)) throw new NotFoundError();
  const now = platform.clock.now();
  await withTenant(
    platform.db,
    tenant.id,
    async (tx) => {
      const closed = await tx
        .update(trainingNeedsRounds)
        .set({ closedAt: now })
        .where(and(eq(trainingNeedsRounds.tenantId, tenant.id), eq(trainingNeedsRounds.id, id), sql`${trainingNeedsRounds.closedAt} is null`))
        .returning({ id: trainingNeedsRounds.id });
      if (closed.length > 0)
        await appendAudit(tx, { tenantId: tenant.id, actorId: actor.userId, action: "training.needs_closed", objectType: "training_needs", objectId: id }, now);
      else {
        const [exists] = await tx
          .select({ id: trainingNeedsRounds.id })
          .from(trainingNeedsRounds)
          .where(and(eq(trainingNeedsRounds.tenantId, tenant.id), eq(trainingNeedsRounds.id, id)));
        if (!exists) throw new NotFoundError();
      }
    },
    actor.userId,
  );
}

/** One round the actor may see. */
export async function needsRound(platform: Pick<Platform, "db">, actor: Actor, tenant: TenantRef, id: string): Promise<NeedsRound & { answered: boolean }> {
  if (!UUID.test(id)) throw new NotFoundError();
  const found = (await needsRounds(platform, actor, tenant)).find((r) => r.id === id);
  if (!found) throw new NotFoundError();
  return found;
}

/** Counts one person's answers (once per round, while it runs); false if the round has ended or they answered already. */
export async function answerNeeds(
  platform: Pick<Platform, "db" | "clock">,
  actor: Actor,
  tenant: TenantRef,
  id: string,
  answers: NeedsAnswers,
): Promise<boolean> {
  needsPolicy.authorize(actor, "answer", tenant);
  const role = learnerRole(actor, tenant.id);
  if (!role || !UUID.test(id)) throw new NotFoundError();
  const now = platform.clock.now();
  return withTenant(
    platform.db,
    tenant.id,
    async (tx) => {
      const [round] = await tx
        .update(trainingNeedsRounds)
        .set({ responses: sql`${trainingNeedsRounds.responses} + 1` })
        .where(
          and(
            eq(trainingNeedsRounds.tenantId, tenant.id),
            eq(trainingNeedsRounds.id, id),
            sql`${trainingNeedsRounds.closedAt} is null`,
            sql`${trainingNeedsRounds.closesAt} > ${now}`,
          ),
        )
        .returning({ id: trainingNeedsRounds.id });
      if (!round) return false;
      const first = await tx
        .insert(trainingNeedsRespondents)
        .values({ tenantId: tenant.id, roundId: id, userId: actor.userId })
        .onConflictDoNothing()
        .returning();
      if (first.length === 0) {
        // Answered already (a second tab): take the count back; the transaction keeps it unseen.
        await tx
          .update(trainingNeedsRounds)
          .set({ responses: sql`${trainingNeedsRounds.responses} - 1` })
          .where(and(eq(trainingNeedsRounds.tenantId, tenant.id), eq(trainingNeedsRounds.id, id)));
        return false;
      }
      const pairs: string[] = ["responses:all"];
      if (answers.experience) pairs.push(`experience:${answers.experience}`);
      for (const [k, v] of Object.entries(answers.confidence)) pairs.push(`conf_${k}:${v}`);
      for (const w of answers.wishes) pairs.push(`wishes:${w}`);
      if (answers.mode) pairs.push(`mode:${answers.mode}`);
      // Every cell of the round is rewritten, one added where chosen: which cells an answer changed
      // cannot be read off the rows afterwards (not even from their system columns).
      await tx
        .update(trainingNeedsCounts)
        .set({
          count: sql`${trainingNeedsCounts.count} + (case when ${trainingNeedsCounts.area} = ${answers.area} and ${trainingNeedsCounts.role} = ${role}
            and ${trainingNeedsCounts.question} || ':' || ${trainingNeedsCounts.option} = any(string_to_array(${pairs.join(",")}, ',')) then 1 else 0 end)`,
        })
        .where(and(eq(trainingNeedsCounts.tenantId, tenant.id), eq(trainingNeedsCounts.roundId, id)));
      return true;
    },
    actor.userId,
  );
}

/**
 * The topics a set of answers calls for most, judged by counts of people only where they reach the
 * minimum: how many wish a topic, and how many feel unsure where it helps. A topic no count of
 * five supports is not ranked at all — an order among small counts would tell what few answered.
 */
export function rankedTopics(wished: Record<Topic, number>, unsure: Record<Topic, number>, n = 3): Topic[] {
  const shown = (x: number) => (x >= NEEDS_MINIMUM ? x : 0);
  const weight = (t: Topic) => Math.max(shown(wished[t]), shown(unsure[t]));
  return TOPICS.filter((t) => weight(t) > 0)
    .sort((a, b) => weight(b) - weight(a) || TOPICS.indexOf(a) - TOPICS.indexOf(b))
    .slice(0, n);
}

/** A group's figures: how many answered and what they call for most. */
export interface NeedsGroup {
  key: string;
  responses: number;
  top: Topic[];
}

export interface NeedsResults {
  responses: number;
  /** Per topic: how many wish it, and how many feel unsure where it helps (below five: null). */
  topics: { topic: Topic; wished: number | null; unsure: number | null }[];
  top: Topic[];
  byArea: { shown: NeedsGroup[]; rest: NeedsGroup | null };
  byRole: { shown: NeedsGroup[]; rest: NeedsGroup | null };
  experience: Record<string, number | null>;
}

type Cell = { area: string; role: string; question: string; option: string; count: number };

/** How many wish each topic, and how many feel unsure (very or rather) where it helps. */
function needOf(cells: readonly Cell[]): { wished: Record<Topic, number>; unsure: Record<Topic, number> } {
  const wished = Object.fromEntries(TOPICS.map((t) => [t, 0])) as Record<Topic, number>;
  const unsure = { ...wished };
  for (const c of cells) {
    if (c.question === "wishes" && (TOPICS as readonly string[]).includes(c.option)) wished[c.option as Topic] += c.count;
    const s = SITUATIONS.find((x) => c.question === `conf_${x.key}`);
    if (s && UNSURE.has(c.option)) unsure[s.topic] += c.count;
  }
  return { wished, unsure };
}

/**
 * Groups by a key, each shown with five answers or more. Those too small are taken together; if
 * together they are fewer than five (and not none), the smallest shown group joins them, until the
 * rest is none or at least five — so the rest can never be worked out from the total.
 */
export function groupsOf(cells: readonly Cell[], keyOf: (c: Cell) => string): { shown: NeedsGroup[]; rest: NeedsGroup | null } {
  const responses = new Map<string, number>();
  for (const c of cells) if (c.question === "responses") responses.set(keyOf(c), (responses.get(keyOf(c)) ?? 0) + c.count);
  const shown = [...responses].filter(([, n]) => n >= NEEDS_MINIMUM).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  const restKeys = new Set([...responses].filter(([, n]) => n < NEEDS_MINIMUM).map(([k]) => k));
  let rest = [...restKeys].reduce((sum, k) => sum + (responses.get(k) ?? 0), 0);
  while (rest > 0 && rest < NEEDS_MINIMUM && shown.length > 0) {
    const [k, n] = shown.pop() as [string, number];
    restKeys.add(k);
    rest += n;
  }
  const group = (key: string, keys: Set<string>): NeedsGroup => {
    const mine = cells.filter((c) => keys.has(keyOf(c)));
    const { wished, unsure } = needOf(mine);
    return { key, responses: mine.filter((c) => c.question === "responses").reduce((s, c) => s + c.count, 0), top: rankedTopics(wished, unsure) };
  };
  return {
    shown: shown.map(([k]) => group(k, new Set([k]))),
    rest: rest >= NEEDS_MINIMUM ? group("rest", restKeys) : null,
  };
}

/** A round's results for its admins and leaders: after the end, from five answers on (null until then). */
export async function needsResults(platform: Pick<Platform, "db" | "clock">, actor: Actor, tenant: TenantRef, round: NeedsRound): Promise<NeedsResults | null> {
  needsPolicy.authorize(actor, "results", tenant);
  if (isOpen(round, platform.clock.now()) || round.responses < NEEDS_MINIMUM) return null;
  const cells = await withTenant(
    platform.db,
    tenant.id,
    (tx) =>
      tx
        .select({
          area: trainingNeedsCounts.area,
          role: trainingNeedsCounts.role,
          question: trainingNeedsCounts.question,
          option: trainingNeedsCounts.option,
          count: trainingNeedsCounts.count,
        })
        .from(trainingNeedsCounts)
        .where(and(eq(trainingNeedsCounts.tenantId, tenant.id), eq(trainingNeedsCounts.roundId, round.id))),
    actor.userId,
  );
  const { wished, unsure } = needOf(cells);
  const small = (n: number) => (n < NEEDS_MINIMUM ? null : n);
  const experience = suppressSmall(
    Object.fromEntries(EXPERIENCE.map((e) => [e, cells.filter((c) => c.question === "experience" && c.option === e).reduce((s, c) => s + c.count, 0)])),
    NEEDS_MINIMUM,
  );
  return {
    responses: round.responses,
    // In the catalog's order, not by need: an order would rank the withheld counts too.
    topics: TOPICS.map((topic) => ({ topic, wished: small(wished[topic]), unsure: small(unsure[topic]) })),
    top: rankedTopics(wished, unsure),
    byArea: groupsOf(cells, (c) => c.area),
    byRole: groupsOf(cells, (c) => c.role),
    experience,
  };
}
