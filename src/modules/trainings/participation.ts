import { and, eq, inArray, sql } from "drizzle-orm";
import { appendAudit } from "../../platform/audit/audit.ts";
import { type Actor, NotFoundError, type Role } from "../../platform/authz/policy.ts";
import { berlinDate } from "../../platform/calendar.ts";
import { inTransaction, rows, withTenant } from "../../platform/db/client.ts";
import { users } from "../../platform/db/schema.ts";
import { one, type Values } from "../../platform/http/form-values.ts";
import type { Schedule } from "../../platform/jobs/schedules.ts";
import type { Platform } from "../../platform/platform.ts";
import { attendanceRecorded } from "./events.ts";
import { participantMails, type Recipient } from "./mails.ts";
import { LEARNER_ROLES, sessionPolicy } from "./policy.ts";
import { type Audience, type Topic, trainingFeedbackCounts, trainingFormats, trainingRegistrations, trainingSessions } from "./schema.ts";
import { calendarOf, fillSeats, inLockedSession } from "./session-commands.ts";
import { FEEDBACK_DAYS, type SessionView } from "./sessions.ts";

/*
 * Taking part: registering (a seat while there is one, else a place on the waiting list),
 * withdrawing (the first on the waiting list moves up and gets the invitation), attendance (taken
 * by the trainer or a keeper once the session has begun), anonymous feedback afterwards and its
 * results, and the reminder the day before.
 */

type Writer = Pick<Platform, "db" | "clock" | "mailer" | "config">;

/** The role someone takes part in, from where they work: the first of their roles there that learns. */
export function learnerRole(actor: Actor, tenantId: string): Role | null {
  for (const role of LEARNER_ROLES) if (actor.memberships.some((m) => m.tenantId === tenantId && m.role === role)) return role;
  return null;
}

/** Registers the actor (from the municipality they work in): a seat if one is free, otherwise the waiting list. */
export async function register(platform: Writer, actor: Actor, homeTenantId: string, view: SessionView): Promise<"registered" | "waiting"> {
  sessionPolicy.authorize(actor, "register", view.ref);
  const role = learnerRole(actor, homeTenantId);
  if (!role) throw new NotFoundError();
  const { session } = view;
  const now = platform.clock.now();
  const { status, mails } = await inLockedSession(
    platform.db,
    session,
    async (tx, s) => {
      if (s.status !== "scheduled" || s.startsAt <= now) throw new NotFoundError();
      const [{ registered }] = await rows<{ registered: number }>(
        tx,
        sql`select count(*)::int as registered from training_registrations where tenant_id = ${session.tenantId}::uuid and session_id = ${session.id}::uuid and status = 'registered'`,
      );
      const status = registered < s.seats ? ("registered" as const) : ("waiting" as const);
      // A second click, or a registration after withdrawing: the one row per person and session is reused.
      const [row] = await tx
        .insert(trainingRegistrations)
        .values({ tenantId: session.tenantId, sessionId: session.id, userId: actor.userId, homeTenantId, role, status, queuedAt: now })
        .onConflictDoUpdate({
          target: [trainingRegistrations.tenantId, trainingRegistrations.sessionId, trainingRegistrations.userId],
          set: { status, queuedAt: now, cancelledAt: null, homeTenantId, role, attended: null, remindedAt: null },
          setWhere: sql`${trainingRegistrations.status} = 'cancelled'`,
        })
        .returning({ id: trainingRegistrations.id, queuedAt: trainingRegistrations.queuedAt });
      if (!row) return { status: view.own?.status ?? status, mails: [] };
      await appendAudit(
        tx,
        { tenantId: session.tenantId, actorId: actor.userId, action: `training.${status}`, objectType: "training_session", objectId: session.id },
        now,
      );
      const recipient: Recipient = { userId: actor.userId, registrationId: row.id, queuedAt: row.queuedAt, inCalendar: status === "registered" };
      return {
        status,
        mails: await platform.mailer.enqueueMany(
          tx,
          await participantMails(platform, tx, calendarOf({ ...session, ...s, status: "scheduled" }), [recipient], status),
        ),
      };
    },
    actor.userId,
  );
  await platform.mailer.dispatch(mails);
  return status;
}

/** Withdraws the actor's registration (or their place on the waiting list); a freed seat goes to the next in line. */
export async function withdraw(platform: Writer, actor: Actor, view: SessionView): Promise<void> {
  sessionPolicy.authorize(actor, "withdraw", view.ref);
  const { session } = view;
  const now = platform.clock.now();
  const mails = await inLockedSession(
    platform.db,
    session,
    async (tx, s) => {
      const [gone] = await tx
        .update(trainingRegistrations)
        .set({ status: "cancelled", cancelledAt: now })
        .where(
          and(
            eq(trainingRegistrations.tenantId, session.tenantId),
            eq(trainingRegistrations.sessionId, session.id),
            eq(trainingRegistrations.userId, actor.userId),
            inArray(trainingRegistrations.status, ["registered", "waiting"]),
          ),
        )
        .returning({ id: trainingRegistrations.id, queuedAt: trainingRegistrations.queuedAt });
      if (!gone) return [];
      const calendar = calendarOf({ ...session, ...s, status: "scheduled" });
      const was = view.own?.status;
      const up = s.status === "scheduled" ? await fillSeats(tx, session.tenantId, session.id, s.seats) : [];
      await appendAudit(
        tx,
        { tenantId: session.tenantId, actorId: actor.userId, action: "training.withdrawn", objectType: "training_session", objectId: session.id },
        now,
      );
      return platform.mailer.enqueueMany(tx, [
        ...(await participantMails(
          platform,
          tx,
          calendar,
          [{ userId: actor.userId, registrationId: gone.id, queuedAt: gone.queuedAt, inCalendar: was === "registered" }],
          "withdrawn",
        )),
        ...(await participantMails(platform, tx, calendar, up, "movedUp")),
      ]);
    },
    actor.userId,
  );
  await platform.mailer.dispatch(mails);
}

/* ------------------------------------------------------------------ who came */

export interface RosterEntry {
  id: string;
  name: string;
  email: string;
  status: "registered" | "waiting";
  attended: boolean | null;
  homeTenantName: string;
}

/** Who registered and who waits (in order), for the trainer and the keepers. */
export async function roster(platform: Pick<Platform, "db">, actor: Actor, view: SessionView): Promise<RosterEntry[]> {
  sessionPolicy.authorize(actor, "roster", view.ref);
  const { session } = view;
  return withTenant(
    platform.db,
    session.tenantId,
    async (tx) => {
      const found = await rows<{ id: string; name: string; email: string; status: "registered" | "waiting"; attended: boolean | null; home: string }>(
        tx,
        sql`select r.id, u.display_name as name, u.email, r.status, r.attended, t.name as home
          from training_registrations r join users u on u.id = r.user_id join tenants t on t.id = r.home_tenant_id
          where r.tenant_id = ${session.tenantId}::uuid and r.session_id = ${session.id}::uuid and r.status in ('registered', 'waiting')
          order by r.status, case when r.status = 'waiting' then r.queued_at end, u.display_name, r.id`,
      );
      return found.map((r) => ({ id: r.id, name: r.name, email: r.email, status: r.status, attended: r.attended, homeTenantName: r.home }));
    },
    actor.userId,
  );
}

/**
 * Records who attended (the ids of registrations ticked; the others did not come). Once the
 * session has begun; may be corrected until the first feedback has come in (then false). Each time, the reach per municipality and role goes to the
 * Lagebild as an event, and the first time everyone who came is asked for feedback.
 */
export async function recordAttendance(
  platform: Writer & Pick<Platform, "domainEvents">,
  actor: Actor,
  view: SessionView,
  attendedIds: readonly string[],
): Promise<boolean> {
  sessionPolicy.authorize(actor, "roster", view.ref);
  const { session } = view;
  const now = platform.clock.now();
  if (session.status !== "scheduled" || session.startsAt > now) throw new NotFoundError();
  const { mails, eventId } = await inLockedSession(
    platform.db,
    session,
    async (tx, s) => {
      // Once feedback has come in, who attended stays as it was: a correction would change who
      // "everyone" is, and the results would show (or change) when it suits the one correcting.
      if (s.feedbackResponses > 0) return { mails: [] as string[], eventId: null };
      const ticked = [...new Set(attendedIds)];
      const all = await tx
        .update(trainingRegistrations)
        .set({ attended: sql`${trainingRegistrations.id} = any(string_to_array(${ticked.join(",")}, ',')::uuid[])` })
        .where(
          and(
            eq(trainingRegistrations.tenantId, session.tenantId),
            eq(trainingRegistrations.sessionId, session.id),
            eq(trainingRegistrations.status, "registered"),
          ),
        )
        .returning({
          id: trainingRegistrations.id,
          userId: trainingRegistrations.userId,
          queuedAt: trainingRegistrations.queuedAt,
          attended: trainingRegistrations.attended,
          homeTenantId: trainingRegistrations.homeTenantId,
          role: trainingRegistrations.role,
        });
      const first = s.attendanceTakenAt === null;
      await tx
        .update(trainingSessions)
        .set({ attendanceTakenAt: now })
        .where(and(eq(trainingSessions.tenantId, session.tenantId), eq(trainingSessions.id, session.id)));
      const [format] = await tx
        .select({ topics: trainingFormats.topics, audience: trainingFormats.audience })
        .from(trainingFormats)
        .where(and(eq(trainingFormats.tenantId, session.tenantId), eq(trainingFormats.id, session.formatId)));
      const reach = new Map<string, { tenantId: string; role: string; count: number }>();
      for (const r of all.filter((r) => r.attended)) {
        const key = `${r.homeTenantId}:${r.role}`;
        reach.set(key, { tenantId: r.homeTenantId, role: r.role, count: (reach.get(key)?.count ?? 0) + 1 });
      }
      const eventId = await platform.domainEvents.emit(tx, attendanceRecorded, session.tenantId, {
        sessionId: session.id,
        formatId: session.formatId,
        month: berlinDate(session.startsAt).slice(0, 7),
        topics: format.topics as Topic[],
        audience: format.audience as Audience,
        reach: [...reach.values()],
      });
      await appendAudit(
        tx,
        { tenantId: session.tenantId, actorId: actor.userId, action: "training.attendance", objectType: "training_session", objectId: session.id },
        now,
      );
      const came = all.filter((r) => r.attended).map((r) => ({ userId: r.userId, registrationId: r.id, queuedAt: r.queuedAt, inCalendar: true }));
      const mails = first
        ? await platform.mailer.enqueueMany(tx, await participantMails(platform, tx, calendarOf({ ...session, ...s, status: "scheduled" }), came, "feedback"))
        : [];
      return { mails, eventId };
    },
    actor.userId,
  );
  if (!eventId) return false;
  await platform.domainEvents.deliver(session.tenantId, [eventId]);
  await platform.mailer.dispatch(mails);
  return true;
}

/* ------------------------------------------------------------------ feedback */

/** Results are shown from this many answers on. */
export const FEEDBACK_MINIMUM = 3;

const SCALE = ["1", "2", "3", "4", "5"] as const;
const AGREE = ["yes", "rather_yes", "rather_no", "no"] as const;
/** The questions (words under `trainings.feedback.q.<key>`, options under `trainings.feedback.o.<option>`); each may be left out. */
export const FEEDBACK_QUESTIONS: { key: string; options: readonly string[] }[] = [
  { key: "overall", options: SCALE },
  { key: "useful", options: AGREE },
  { key: "confident", options: AGREE },
  { key: "pace", options: ["too_slow", "right", "too_fast"] },
  { key: "recommend", options: ["yes", "no"] },
];

export type FeedbackAnswers = Record<string, string>;

/** The answers from the form: an option per question or none; something else is an error (kept for the form). */
export function readFeedback(
  values: Values,
): { ok: true; answers: FeedbackAnswers } | { ok: false; errors: Record<string, string>; kept: Record<string, string> } {
  const answers: FeedbackAnswers = {};
  const errors: Record<string, string> = {};
  const kept: Record<string, string> = {};
  for (const q of FEEDBACK_QUESTIONS) {
    const v = one(values[q.key]);
    if (v === "") continue;
    if (q.options.includes(v)) {
      answers[q.key] = v;
      kept[q.key] = v;
    } else errors[q.key] = "errors.trainings.feedbackOption";
  }
  if (Object.keys(errors).length === 0 && Object.keys(answers).length === 0) errors[FEEDBACK_QUESTIONS[0].key] = "errors.trainings.feedbackNone";
  return Object.keys(errors).length > 0 ? { ok: false, errors, kept } : { ok: true, answers };
}

/**
 * Counts the actor's answers. Nothing links them to the person: their registration only notes
 * that they have answered (so nobody answers twice), and the answers are counts per option.
 */
export async function giveFeedback(platform: Pick<Platform, "db" | "clock">, actor: Actor, view: SessionView, answers: FeedbackAnswers): Promise<void> {
  sessionPolicy.authorize(actor, "feedback", view.ref);
  const { session } = view;
  await withTenant(
    platform.db,
    session.tenantId,
    async (tx) => {
      const [mine] = await tx
        .update(trainingRegistrations)
        .set({ feedbackGiven: true })
        .where(
          and(
            eq(trainingRegistrations.tenantId, session.tenantId),
            eq(trainingRegistrations.sessionId, session.id),
            eq(trainingRegistrations.userId, actor.userId),
            eq(trainingRegistrations.attended, true),
            eq(trainingRegistrations.feedbackGiven, false),
          ),
        )
        .returning({ id: trainingRegistrations.id });
      if (!mine) return; // answered already (a second click)
      // Every option has its row, and each answer rewrites all of them (adding one where chosen):
      // which rows an answer changed cannot be read off the rows afterwards (not even from their
      // system columns), only that an answer came.
      await tx
        .insert(trainingFeedbackCounts)
        .values(
          FEEDBACK_QUESTIONS.flatMap((q) =>
            q.options.map((option) => ({ tenantId: session.tenantId, sessionId: session.id, question: q.key, option, count: 0 })),
          ),
        )
        .onConflictDoNothing();
      const chosen = Object.entries(answers).map(([q, o]) => `${q}:${o}`);
      await tx
        .update(trainingFeedbackCounts)
        .set({
          count: sql`${trainingFeedbackCounts.count} + (case when ${trainingFeedbackCounts.question} || ':' || ${trainingFeedbackCounts.option} = any(string_to_array(${chosen.join(",")}, ',')) then 1 else 0 end)`,
        })
        .where(and(eq(trainingFeedbackCounts.tenantId, session.tenantId), eq(trainingFeedbackCounts.sessionId, session.id)));
      await tx
        .update(trainingSessions)
        .set({ feedbackResponses: sql`${trainingSessions.feedbackResponses} + 1` })
        .where(and(eq(trainingSessions.tenantId, session.tenantId), eq(trainingSessions.id, session.id)));
    },
    actor.userId,
  );
}

export type FeedbackResults =
  | { state: "waiting"; responses: number; attended: number; until: Date }
  | { state: "too_few"; responses: number }
  | { state: "shown"; responses: number; counts: Record<string, Record<string, number>> };

/**
 * The feedback's results for the trainer and the keepers: only from three answers on, and only
 * once everyone who attended has answered or the two weeks for feedback are over — until then a
 * new answer would show in the figures and could be told apart.
 */
export async function feedbackResults(platform: Pick<Platform, "db" | "clock">, actor: Actor, view: SessionView): Promise<FeedbackResults> {
  sessionPolicy.authorize(actor, "results", view.ref);
  const { session } = view;
  const until = new Date(session.endsAt.getTime() + FEEDBACK_DAYS * 86_400_000);
  const responses = session.feedbackResponses;
  const final = platform.clock.now() >= until || (session.attended > 0 && responses >= session.attended);
  if (!final) return { state: "waiting", responses, attended: session.attended, until };
  if (responses < FEEDBACK_MINIMUM) return { state: "too_few", responses };
  const found = await withTenant(
    platform.db,
    session.tenantId,
    (tx) =>
      tx
        .select({ question: trainingFeedbackCounts.question, option: trainingFeedbackCounts.option, count: trainingFeedbackCounts.count })
        .from(trainingFeedbackCounts)
        .where(and(eq(trainingFeedbackCounts.tenantId, session.tenantId), eq(trainingFeedbackCounts.sessionId, session.id))),
    actor.userId,
  );
  const counts: Record<string, Record<string, number>> = {};
  for (const q of FEEDBACK_QUESTIONS) counts[q.key] = Object.fromEntries(q.options.map((o) => [o, 0]));
  for (const c of found) if (counts[c.question] && c.option in counts[c.question]) counts[c.question][c.option] = c.count;
  return { state: "shown", responses, counts };
}

/* ------------------------------------------------------------------ the day before */

/** Every hour: a reminder to everyone registered for a session that begins within a day, once per session (again after a change of time). */
export function sessionReminders(platform: Writer): Schedule {
  return {
    name: "trainings.session-reminders",
    cron: "0 * * * *",
    async run() {
      const now = platform.clock.now();
      const due = await inTransaction(platform.db, {}, (tx) =>
        rows<{ tenant_id: string; session_id: string }>(
          tx,
          sql`select tenant_id, session_id from komma_due_training_sessions(${now}, ${new Date(now.getTime() + 86_400_000)})`,
        ),
      );
      for (const d of due) {
        const mails = await withTenant(platform.db, d.tenant_id, async (tx) => {
          const [s] = await tx
            .update(trainingSessions)
            .set({ remindedAt: now })
            .where(and(eq(trainingSessions.tenantId, d.tenant_id), eq(trainingSessions.id, d.session_id), sql`${trainingSessions.remindedAt} is null`))
            .returning();
          if (!s) return [];
          const [format] = await tx
            .select({ title: trainingFormats.title })
            .from(trainingFormats)
            .where(and(eq(trainingFormats.tenantId, d.tenant_id), eq(trainingFormats.id, s.formatId)));
          const people = await tx
            .select({ id: trainingRegistrations.id, userId: trainingRegistrations.userId, queuedAt: trainingRegistrations.queuedAt })
            .from(trainingRegistrations)
            .innerJoin(users, eq(users.id, trainingRegistrations.userId))
            .where(
              and(eq(trainingRegistrations.tenantId, d.tenant_id), eq(trainingRegistrations.sessionId, s.id), eq(trainingRegistrations.status, "registered")),
            );
          const calendar = calendarOf({ ...s, title: format?.title ?? "", status: "scheduled" });
          return platform.mailer.enqueueMany(
            tx,
            await participantMails(
              platform,
              tx,
              calendar,
              people.map((p) => ({ userId: p.userId, registrationId: p.id, queuedAt: p.queuedAt, inCalendar: true })),
              "reminder",
            ),
          );
        });
        await platform.mailer.dispatch(mails);
      }
    },
  };
}
