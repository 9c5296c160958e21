import { and, desc, eq, sql } from "drizzle-orm";
import { appendAudit } from "../../platform/audit/audit.ts";
import { type Actor, NotFoundError } from "../../platform/authz/policy.ts";
import { rows, withTenant } from "../../platform/db/client.ts";
import { one, type Values } from "../../platform/http/form-values.ts";
import type { Platform } from "../../platform/platform.ts";
import { assessmentTaken } from "./events.ts";
import type { TenantRef } from "./library.ts";
import { assessmentPolicy } from "./policy.ts";
import { assessments, DIMENSIONS, type Dimension } from "./schema.ts";

/*
 * The self-assessment ("Selbstcheck"): three statements per dimension, each answered on a scale
 * from "no" (0) to "yes, fully" (3); a dimension's score is its share of the possible points
 * (0–100). A municipality sees its own results over time beside the medians of the model and of
 * the network municipalities — each median over every municipality's latest self-assessment of
 * the last two years, and only when at least five municipalities contribute to it.
 */

export const QUESTIONNAIRE_VERSION = 1;

/** The statements per dimension (their words are under `knowledge.assessment.q.<dimension>.<key>`). */
export const QUESTIONS: Record<Dimension, readonly string[]> = {
  alliance: ["meets", "roles", "card"],
  strategy: ["concept", "plan", "review"],
  clearing: ["reporting", "triage", "backing"],
  training: ["leaders", "counter", "needs"],
  communication: ["stance", "templates", "known"],
  participation: ["communities", "survey", "effect"],
};

/** The answers, from "no" to "yes, fully". */
export const LEVELS = [0, 1, 2, 3] as const;
const TOP = LEVELS[LEVELS.length - 1];

/** A median is shown only over at least this many municipalities. */
export const PEER_MINIMUM = 5;
/** Self-assessments older than this do not count towards the medians. */
const PEER_YEARS = 2;

/** The form field (and answer key) of a statement. */
export const questionField = (dimension: Dimension, key: string) => `${dimension}_${key}`;

export const ALL_QUESTIONS: { dimension: Dimension; key: string; field: string }[] = DIMENSIONS.flatMap((dimension) =>
  QUESTIONS[dimension].map((key) => ({ dimension, key, field: questionField(dimension, key) })),
);

export type Answers = Record<string, number>;
export type Scores = Record<Dimension, number>;

/** Each dimension's share of the possible points, 0–100. */
export function scoresOf(answers: Answers): Scores {
  const scores = {} as Scores;
  for (const d of DIMENSIONS) {
    const questions = QUESTIONS[d];
    const sum = questions.reduce((s, key) => s + (answers[questionField(d, key)] ?? 0), 0);
    scores[d] = Math.round((sum / (questions.length * TOP)) * 100);
  }
  return scores;
}

/** The form's answers, or the statements left unanswered (field names). */
export function readAssessmentForm(values: Values): { ok: true; answers: Answers } | { ok: false; missing: string[] } {
  const answers: Answers = {};
  const missing: string[] = [];
  for (const q of ALL_QUESTIONS) {
    const v = one(values[q.field]);
    const n = /^[0-3]$/.test(v) ? Number(v) : null;
    if (n === null) missing.push(q.field);
    else answers[q.field] = n;
  }
  return missing.length ? { ok: false, missing } : { ok: true, answers };
}

export interface AssessmentRecord {
  id: string;
  takenAt: Date;
  answers: Answers;
  scores: Scores;
}

/** Stores a self-assessment as taken now; returns its id. */
export async function takeAssessment(platform: Pick<Platform, "db" | "clock" | "domainEvents">, actor: Actor, tenant: TenantRef, answers: Answers) {
  assessmentPolicy.authorize(actor, "take", tenant);
  return recordAssessment(platform, tenant.id, actor.userId, answers, platform.clock.now());
}

/** Writes a self-assessment with its audit entry and event (the caller has decided that it may). */
export async function recordAssessment(
  platform: Pick<Platform, "db" | "domainEvents">,
  tenantId: string,
  userId: string | null,
  answers: Answers,
  takenAt: Date,
): Promise<string> {
  const scores = scoresOf(answers);
  const { id, eventId } = await withTenant(
    platform.db,
    tenantId,
    async (tx) => {
      const [row] = await tx
        .insert(assessments)
        .values({ tenantId, questionnaire: QUESTIONNAIRE_VERSION, answers, scores, takenBy: userId, takenAt })
        .returning({ id: assessments.id });
      await appendAudit(tx, { tenantId, actorId: userId, action: "assessment.taken", objectType: "assessment", objectId: row.id }, takenAt);
      const eventId = await platform.domainEvents.emit(tx, assessmentTaken, tenantId, { assessmentId: row.id, scores, takenAt });
      return { id: row.id, eventId };
    },
    userId,
  );
  await platform.domainEvents.deliver(tenantId, [eventId]);
  return id;
}

/** The municipality's self-assessments, newest first. */
export async function assessmentHistory(platform: Pick<Platform, "db">, actor: Actor, tenant: TenantRef): Promise<AssessmentRecord[]> {
  assessmentPolicy.authorize(actor, "read", tenant);
  const list = await withTenant(
    platform.db,
    tenant.id,
    (tx) =>
      tx
        .select({ id: assessments.id, takenAt: assessments.takenAt, answers: assessments.answers, scores: assessments.scores })
        .from(assessments)
        .where(eq(assessments.tenantId, tenant.id))
        .orderBy(desc(assessments.takenAt), desc(assessments.id)),
    actor.userId,
  );
  return list;
}

/** One of the municipality's self-assessments, or 404. */
export async function assessmentOf(platform: Pick<Platform, "db">, actor: Actor, tenant: TenantRef, id: string): Promise<AssessmentRecord> {
  assessmentPolicy.authorize(actor, "read", tenant);
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)) throw new NotFoundError();
  const [found] = await withTenant(
    platform.db,
    tenant.id,
    (tx) =>
      tx
        .select({ id: assessments.id, takenAt: assessments.takenAt, answers: assessments.answers, scores: assessments.scores })
        .from(assessments)
        .where(and(eq(assessments.tenantId, tenant.id), eq(assessments.id, id))),
    actor.userId,
  );
  if (!found) throw new NotFoundError();
  return found;
}

/** The median of one kind of municipality: how many contribute, and the medians (null below the minimum). */
export interface PeerGroup {
  contributors: number;
  medians: Scores | null;
}
export type Peers = Record<"model" | "platform", PeerGroup>;

/**
 * The medians of the model and of the network municipalities, per dimension, over each
 * municipality's latest self-assessment of the last two years — for a municipality, over the
 * others only (so that taking it again and again tells it nothing about its peers). Computed in the national level's
 * transaction (which may read every municipality's self-assessments); a group with fewer than five
 * contributors yields its count only — the database withholds the median itself.
 */
export async function peerMedians(platform: Pick<Platform, "db" | "clock" | "nationalTenant">, viewerTenantId: string | null = null): Promise<Peers> {
  const since = new Date(platform.clock.now());
  since.setUTCFullYear(since.getUTCFullYear() - PEER_YEARS);
  const found = await withTenant(platform.db, platform.nationalTenant.id, (tx) =>
    rows<{ kind: "model" | "platform"; dimension: Dimension; contributors: number; median: number | null }>(
      tx,
      sql`with latest as (
            select distinct on (a.tenant_id) a.tenant_id, a.scores
              from ${assessments} a
             where a.taken_at >= ${since.toISOString()}::timestamptz
               and a.tenant_id is distinct from ${viewerTenantId}::uuid
             order by a.tenant_id, a.taken_at desc, a.id desc)
          select t.kind, d.key as dimension, count(*)::int as contributors,
                 case when count(*) >= ${PEER_MINIMUM} then round(percentile_cont(0.5) within group (order by d.value::numeric))::int end as median
            from latest l
            join tenants t on t.id = l.tenant_id and t.kind in ('model', 'platform')
            cross join lateral jsonb_each_text(l.scores) d
           group by t.kind, d.key`,
    ),
  );
  const group = (kind: "model" | "platform"): PeerGroup => {
    const mine = found.filter((r) => r.kind === kind && (DIMENSIONS as readonly string[]).includes(r.dimension));
    const contributors = mine.reduce((n, r) => Math.max(n, Number(r.contributors)), 0);
    if (contributors < PEER_MINIMUM || mine.some((r) => r.median === null)) return { contributors, medians: null };
    return { contributors, medians: Object.fromEntries(mine.map((r) => [r.dimension, Number(r.median)])) as Scores };
  };
  return { model: group("model"), platform: group("platform") };
}
