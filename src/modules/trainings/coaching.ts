import { and, asc, desc, eq, inArray, isNull, sql } from "drizzle-orm";
import { appendAudit } from "../../platform/audit/audit.ts";
import { type Actor, hasRole, NotFoundError } from "../../platform/authz/policy.ts";
import { type Db, withTenant } from "../../platform/db/client.ts";
import { memberships, tenants, users } from "../../platform/db/schema.ts";
import { one, type Values } from "../../platform/http/form-values.ts";
import { isUiLanguage, translator } from "../../platform/i18n/i18n.ts";
import type { OutgoingMail } from "../../platform/mail/mailer.ts";
import type { Platform } from "../../platform/platform.ts";
import type { TenantRef } from "./catalog.ts";
import { type CoachingRef, coachingAskPolicy, coachingPolicy } from "./policy.ts";
import { type CoachingStatus, TOPICS, trainingCoachingMessages, trainingCoachingRequests } from "./schema.ts";
import { cleanText } from "./text.ts";

/*
 * Coaching requests: a leader asks for coaching — from the national level's coaches or from the
 * municipality's own trainers — on a topic, saying what it is about and how to reach them. The
 * request waits in that tenant, sealed with its key; its coaches see only that one waits (topic,
 * urgency, municipality) until one takes it. From then on the person asking and that coach read it
 * and write to each other; nobody else does, no admin either. Mails say only that something
 * happened, never what was written. What the coach does (taking, every reading, finishing) is
 * audited; what the person asking does is not, since admins read the audit log.
 */

export const COACHING_TOPICS = [...TOPICS, "other"] as const;
const BODY = "training_coaching_requests.body";
const CONTACT = "training_coaching_requests.contact";
const MESSAGE = "training_coaching_messages.body";
export const COACHING_SEALED = [
  { table: "training_coaching_requests", tenantColumn: "tenant_id", idColumn: "id", column: "body", context: BODY },
  { table: "training_coaching_requests", tenantColumn: "tenant_id", idColumn: "id", column: "contact", context: CONTACT },
  { table: "training_coaching_messages", tenantColumn: "tenant_id", idColumn: "id", column: "body", context: MESSAGE },
];

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface CoachingInput {
  route: "national" | "local";
  topic: (typeof COACHING_TOPICS)[number];
  urgent: boolean;
  body: string;
  contact: string;
}

/** A request from its form; every error at once (keys of `errors.trainings.*`). */
export function readCoachingForm(values: Values, localOffered: boolean): { ok: true; input: CoachingInput } | { ok: false; errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  const route = one(values.route);
  if (route !== "national" && !(route === "local" && localOffered)) errors.route = "errors.trainings.coachingRoute";
  const topic = one(values.topic);
  if (!(COACHING_TOPICS as readonly string[]).includes(topic)) errors.topic = "errors.trainings.coachingTopic";
  const body = cleanText(one(values.body));
  if ([...body].length < 10 || [...body].length > 5000) errors.body = "errors.trainings.coachingBody";
  const contact = cleanText(one(values.contact));
  if ([...contact].length < 3 || [...contact].length > 500) errors.contact = "errors.trainings.coachingContact";
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return {
    ok: true,
    input: { route: route as CoachingInput["route"], topic: topic as CoachingInput["topic"], urgent: one(values.urgent) === "yes", body, contact },
  };
}

export function readCoachingMessage(values: Values): { ok: true; body: string } | { ok: false; error: string } {
  const body = cleanText(one(values.body));
  return [...body].length < 1 || [...body].length > 5000 ? { ok: false, error: "errors.trainings.coachingMessage" } : { ok: true, body };
}

/** A request as a list shows it: no text. */
export interface CoachingSummary {
  id: string;
  tenantId: string;
  requesterTenantName: string;
  route: "national" | "local";
  topic: string;
  urgent: boolean;
  status: CoachingStatus;
  coachName: string | null;
  createdAt: Date;
  ref: CoachingRef;
}

export interface CoachingDetail extends CoachingSummary {
  body: string;
  contact: string;
  requesterName: string;
  messages: { id: string; authorName: string; mine: boolean; body: string; createdAt: Date }[];
}

type Reader = Pick<Platform, "db" | "nationalTenant">;

/** The people with the trainer role in a tenant (its coaches). */
async function coachesIn(tx: Db, tenantId: string): Promise<string[]> {
  const found = await tx
    .selectDistinct({ id: users.id })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(memberships.tenantId, tenantId), eq(memberships.role, "trainer"), eq(users.status, "active")));
  return found.map((r) => r.id);
}

/** Whether a municipality has trainers of its own (then a request may go to them). */
export async function hasLocalCoaches(platform: Pick<Platform, "db">, tenantId: string, actorId: string): Promise<boolean> {
  return withTenant(platform.db, tenantId, async (tx) => (await coachesIn(tx, tenantId)).length > 0, actorId);
}

const summaryColumns = {
  id: trainingCoachingRequests.id,
  tenantId: trainingCoachingRequests.tenantId,
  requesterId: trainingCoachingRequests.requesterId,
  requesterTenantName: tenants.name,
  route: trainingCoachingRequests.route,
  topic: trainingCoachingRequests.topic,
  urgent: trainingCoachingRequests.urgent,
  status: trainingCoachingRequests.status,
  coachId: trainingCoachingRequests.coachId,
  coachName: users.displayName,
  createdAt: trainingCoachingRequests.createdAt,
};
interface SummaryRow {
  id: string;
  tenantId: string;
  requesterId: string;
  requesterTenantName: string;
  route: string;
  topic: string;
  urgent: boolean;
  status: string;
  coachId: string | null;
  coachName: string | null;
  createdAt: Date;
}

function toSummary(r: SummaryRow): CoachingSummary {
  const status = r.status as CoachingStatus;
  return {
    id: r.id,
    tenantId: r.tenantId,
    requesterTenantName: r.requesterTenantName,
    route: r.route as CoachingSummary["route"],
    topic: r.topic,
    urgent: r.urgent,
    status,
    coachName: r.coachName,
    createdAt: r.createdAt,
    ref: { tenantId: r.tenantId, requesterId: r.requesterId, coachId: r.coachId, status },
  };
}

function summaries(tx: Db, tenantId: string, where: ReturnType<typeof and>) {
  return tx
    .select(summaryColumns)
    .from(trainingCoachingRequests)
    .innerJoin(tenants, eq(tenants.id, trainingCoachingRequests.requesterTenantId))
    .leftJoin(users, eq(users.id, trainingCoachingRequests.coachId))
    .where(and(eq(trainingCoachingRequests.tenantId, tenantId), where))
    .orderBy(desc(trainingCoachingRequests.createdAt));
}

/** The tenants a person's requests may live in: their municipality (to its trainers) and the national level. */
const homes = (platform: Reader, current: TenantRef) => [...new Set([current.id, platform.nationalTenant.id])];

/** What the actor sees in the coaching area: their own requests; as a coach, those waiting in their tenant and those they took. */
export async function coachingOverview(
  platform: Reader,
  actor: Actor,
  current: TenantRef,
): Promise<{ mine: CoachingSummary[]; waiting: CoachingSummary[]; taken: CoachingSummary[] }> {
  const mine: CoachingSummary[] = [];
  for (const tenantId of homes(platform, current))
    mine.push(
      ...(
        await withTenant(platform.db, tenantId, (tx) => summaries(tx, tenantId, and(eq(trainingCoachingRequests.requesterId, actor.userId))), actor.userId)
      ).map(toSummary),
    );
  let waiting: CoachingSummary[] = [];
  let taken: CoachingSummary[] = [];
  if (hasRole(actor, current.id, "trainer")) {
    const rows = await withTenant(
      platform.db,
      current.id,
      (tx) =>
        summaries(
          tx,
          current.id,
          and(
            sql`(${trainingCoachingRequests.status} = 'open' and ${trainingCoachingRequests.coachId} is null) or ${trainingCoachingRequests.coachId} = ${actor.userId}::uuid`,
          ),
        ),
      actor.userId,
    );
    const all = rows.map(toSummary).filter((s) => s.ref.requesterId !== actor.userId);
    waiting = all.filter((s) => coachingPolicy.can(actor, "take", s.ref));
    taken = all.filter((s) => s.ref.coachId === actor.userId);
  }
  return { mine: mine.sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime()), waiting, taken };
}

/** Sends a coaching request; the tenant's coaches are told by mail that one waits (nothing of its text). */
export async function askForCoaching(
  platform: Pick<Platform, "db" | "clock" | "keyring" | "mailer" | "config" | "nationalTenant">,
  actor: Actor,
  current: TenantRef,
  input: CoachingInput,
): Promise<string> {
  coachingAskPolicy.authorize(actor, "ask", current);
  const tenantId = input.route === "national" ? platform.nationalTenant.id : current.id;
  const now = platform.clock.now();
  const { id, mails } = await withTenant(
    platform.db,
    tenantId,
    async (tx) => {
      const coachIds = await coachesIn(tx, tenantId);
      if (input.route === "local" && coachIds.length === 0) throw new NotFoundError();
      const seal = await platform.keyring.sealer(tx, tenantId);
      const [row] = await tx
        .insert(trainingCoachingRequests)
        .values({
          tenantId,
          requesterId: actor.userId,
          requesterTenantId: current.id,
          route: input.route,
          topic: input.topic,
          urgent: input.urgent,
          body: seal(input.body, BODY),
          contact: seal(input.contact, CONTACT),
          createdAt: now,
        })
        .returning({ id: trainingCoachingRequests.id });
      const mails = await platform.mailer.enqueueMany(tx, await noticeMails(platform, tx, coachIds, "waiting", row.id));
      return { id: row.id, mails };
    },
    actor.userId,
  );
  await platform.mailer.dispatch(mails);
  return id;
}

/** Mails that say only that something happened on a request, with its link, in each person's language. */
async function noticeMails(
  platform: Pick<Platform, "config">,
  tx: Db,
  userIds: readonly string[],
  kind: "waiting" | "taken" | "message" | "done",
  id: string,
): Promise<OutgoingMail[]> {
  if (userIds.length === 0) return [];
  const people = await tx
    .select({ email: users.email, locale: users.locale, status: users.status })
    .from(users)
    .where(inArray(users.id, [...userIds]));
  const link = `${platform.config.publicUrl}/trainings/coaching/${id}`;
  return people
    .filter((p) => p.status === "active")
    .map((p) => {
      const t = translator(isUiLanguage(p.locale) ? p.locale : "de");
      return { to: p.email, subject: t(`trainings.coaching.mail.${kind}.subject`), text: t(`trainings.coaching.mail.${kind}.body`, { link }) };
    });
}

/** The request's row wherever it lives (the actor's municipality or the national level), with the rules' view of it. */
async function locate(platform: Reader, actor: Actor, current: TenantRef, id: string): Promise<CoachingSummary> {
  if (!UUID.test(id)) throw new NotFoundError();
  for (const tenantId of homes(platform, current)) {
    const [row] = await withTenant(platform.db, tenantId, (tx) => summaries(tx, tenantId, and(eq(trainingCoachingRequests.id, id))), actor.userId);
    if (row) return toSummary(row);
  }
  throw new NotFoundError();
}

/** A request as the person asking or their coach reads it (audited for the coach); a waiting one, for a coach who may take it, without its text. */
export async function coachingById(
  platform: Reader & Pick<Platform, "keyring" | "clock">,
  actor: Actor,
  current: TenantRef,
  id: string,
): Promise<{ summary: CoachingSummary; detail: CoachingDetail | null }> {
  const summary = await locate(platform, actor, current, id);
  if (!coachingPolicy.can(actor, "read", summary.ref)) {
    coachingPolicy.authorize(actor, "take", summary.ref);
    return { summary, detail: null };
  }
  const now = platform.clock.now();
  const detail = await withTenant(
    platform.db,
    summary.tenantId,
    async (tx) => {
      const [r] = await tx
        .select({ body: trainingCoachingRequests.body, contact: trainingCoachingRequests.contact, requesterName: users.displayName })
        .from(trainingCoachingRequests)
        .innerJoin(users, eq(users.id, trainingCoachingRequests.requesterId))
        .where(and(eq(trainingCoachingRequests.tenantId, summary.tenantId), eq(trainingCoachingRequests.id, id)));
      const messages = await tx
        .select({
          id: trainingCoachingMessages.id,
          authorId: trainingCoachingMessages.authorId,
          authorName: users.displayName,
          body: trainingCoachingMessages.body,
          createdAt: trainingCoachingMessages.createdAt,
        })
        .from(trainingCoachingMessages)
        .innerJoin(users, eq(users.id, trainingCoachingMessages.authorId))
        .where(and(eq(trainingCoachingMessages.tenantId, summary.tenantId), eq(trainingCoachingMessages.requestId, id)))
        .orderBy(asc(trainingCoachingMessages.createdAt), asc(trainingCoachingMessages.id));
      if (summary.ref.coachId === actor.userId)
        await appendAudit(
          tx,
          { tenantId: summary.tenantId, actorId: actor.userId, action: "training.coaching_read", objectType: "training_coaching", objectId: id },
          now,
        );
      const open = (v: string, context: string) => platform.keyring.openText(tx, summary.tenantId, v, context);
      return {
        ...summary,
        body: await open(r.body, BODY),
        contact: await open(r.contact, CONTACT),
        requesterName: r.requesterName,
        messages: await Promise.all(
          messages.map(async (m) => ({
            id: m.id,
            authorName: m.authorName,
            mine: m.authorId === actor.userId,
            body: await open(m.body, MESSAGE),
            createdAt: m.createdAt,
          })),
        ),
      };
    },
    actor.userId,
  );
  return { summary, detail };
}

type Writer = Pick<Platform, "db" | "clock" | "keyring" | "mailer" | "config" | "nationalTenant">;

/** A coach takes a waiting request (the first to do so; a second gets nothing). */
export async function takeCoaching(platform: Writer, actor: Actor, summary: CoachingSummary): Promise<boolean> {
  coachingPolicy.authorize(actor, "take", summary.ref);
  const now = platform.clock.now();
  const { taken, mails } = await withTenant(
    platform.db,
    summary.tenantId,
    async (tx) => {
      const [row] = await tx
        .update(trainingCoachingRequests)
        .set({ coachId: actor.userId, status: "taken", takenAt: now })
        .where(
          and(
            eq(trainingCoachingRequests.tenantId, summary.tenantId),
            eq(trainingCoachingRequests.id, summary.id),
            eq(trainingCoachingRequests.status, "open"),
            isNull(trainingCoachingRequests.coachId),
          ),
        )
        .returning({ requesterId: trainingCoachingRequests.requesterId });
      if (!row) return { taken: false, mails: [] };
      await appendAudit(
        tx,
        { tenantId: summary.tenantId, actorId: actor.userId, action: "training.coaching_taken", objectType: "training_coaching", objectId: summary.id },
        now,
      );
      return { taken: true, mails: await platform.mailer.enqueueMany(tx, await noticeMails(platform, tx, [row.requesterId], "taken", summary.id)) };
    },
    actor.userId,
  );
  await platform.mailer.dispatch(mails);
  return taken;
}

/** A message from the person asking to their coach or back; the other is told by mail that one came. */
export async function writeCoaching(platform: Writer, actor: Actor, summary: CoachingSummary, body: string): Promise<void> {
  coachingPolicy.authorize(actor, "write", summary.ref);
  const now = platform.clock.now();
  const other = summary.ref.requesterId === actor.userId ? summary.ref.coachId : summary.ref.requesterId;
  const mails = await withTenant(
    platform.db,
    summary.tenantId,
    async (tx) => {
      const seal = await platform.keyring.sealer(tx, summary.tenantId);
      await tx
        .insert(trainingCoachingMessages)
        .values({ tenantId: summary.tenantId, requestId: summary.id, authorId: actor.userId, body: seal(body, MESSAGE), createdAt: now });
      return platform.mailer.enqueueMany(tx, await noticeMails(platform, tx, other ? [other] : [], "message", summary.id));
    },
    actor.userId,
  );
  await platform.mailer.dispatch(mails);
}

/** The coach marks it done, or the person asking withdraws it. */
export async function endCoaching(platform: Writer, actor: Actor, summary: CoachingSummary, how: "finish" | "withdraw"): Promise<void> {
  coachingPolicy.authorize(actor, how, summary.ref);
  const now = platform.clock.now();
  const mails = await withTenant(
    platform.db,
    summary.tenantId,
    async (tx) => {
      const [row] = await tx
        .update(trainingCoachingRequests)
        .set({ status: how === "finish" ? "done" : "withdrawn", closedAt: now })
        .where(
          and(
            eq(trainingCoachingRequests.tenantId, summary.tenantId),
            eq(trainingCoachingRequests.id, summary.id),
            inArray(trainingCoachingRequests.status, how === "finish" ? ["taken"] : ["open", "taken"]),
          ),
        )
        .returning({ id: trainingCoachingRequests.id });
      if (!row) return [];
      // What the coach does is audited; what the person asking does with their own request is not,
      // since the audit log is read by the tenant's admins, who are not to learn who seeks coaching.
      if (how === "finish")
        await appendAudit(
          tx,
          { tenantId: summary.tenantId, actorId: actor.userId, action: "training.coaching_done", objectType: "training_coaching", objectId: summary.id },
          now,
        );
      const tell = how === "finish" ? [summary.ref.requesterId] : summary.ref.coachId ? [summary.ref.coachId] : [];
      return platform.mailer.enqueueMany(tx, await noticeMails(platform, tx, tell, "done", summary.id));
    },
    actor.userId,
  );
  await platform.mailer.dispatch(mails);
}
