import { and, eq, sql } from "drizzle-orm";
import { z } from "zod";
import { appendAudit } from "../../platform/audit/audit.ts";
import { type Actor, NotFoundError } from "../../platform/authz/policy.ts";
import { berlinInstant, berlinWallClock, isCalendarDate } from "../../platform/calendar.ts";
import { type Db, rows, withTenant } from "../../platform/db/client.ts";
import { memberships, users } from "../../platform/db/schema.ts";
import { fieldErrors } from "../../platform/http/errors.ts";
import { one, type Values } from "../../platform/http/form-values.ts";
import type { Translate } from "../../platform/i18n/i18n.ts";
import type { Platform } from "../../platform/platform.ts";
import type { CalendarSession } from "./calendar.ts";
import type { TenantRef } from "./catalog.ts";
import { participantMails, type Recipient } from "./mails.ts";
import { formatPolicy, sessionPolicy, type Viewer } from "./policy.ts";
import { trainingFormats, trainingRegistrations, trainingSessions } from "./schema.ts";
import { type Session, type SessionView, UUID } from "./sessions.ts";

/*
 * Scheduling, changing and cancelling the sessions of a format (the reads are in sessions.ts): a
 * change of time or place raises the calendar SEQUENCE and sends every registered participant the
 * updated invitation; more seats move people up from the waiting list.
 */

/** What the session form sets. */
export type SessionInput = Pick<Session, "startsAt" | "endsAt" | "place" | "onlineLink" | "seats" | "trainerId">;

const DATE = /^(19|20|21)\d{2}-\d{2}-\d{2}$/;
const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;
const realDate = (v: string) => DATE.test(v) && isCalendarDate(v);
const line = (s: string) =>
  s
    .replace(/[\p{Cc}\p{Cf}]/gu, " ")
    .replace(/\s+/g, " ")
    .trim();

const sessionSchema = z.object({
  date: z.string().refine(realDate, "errors.trainings.date"),
  from: z.string().regex(TIME, "errors.trainings.time"),
  to: z.string().regex(TIME, "errors.trainings.time"),
  place: z.string().refine((s) => [...s].length <= 300, "errors.trainings.place"),
  onlineLink: z.union([z.literal(""), z.url({ protocol: /^https$/, error: "errors.trainings.link" }).max(500, "errors.trainings.link")]),
  seats: z.coerce.number({ error: "errors.trainings.seats" }).int("errors.trainings.seats").min(1, "errors.trainings.seats").max(500, "errors.trainings.seats"),
  trainerId: z.union([z.literal(""), z.string().regex(UUID, "errors.trainings.trainer")]),
});

/** A session from its form (a day and two times in Berlin, a place or a link, seats, the trainer); every error at once. */
export function readSessionForm(
  values: Values,
  now: Date,
  trainers: readonly { id: string }[],
  t: Translate,
): { ok: true; input: SessionInput } | { ok: false; errors: Record<string, string> } {
  const raw = {
    date: one(values.date).trim(),
    from: one(values.from).trim(),
    to: one(values.to).trim(),
    place: line(one(values.place)),
    onlineLink: one(values.onlineLink).trim(),
    seats: /^\d{1,4}$/.test(one(values.seats).trim()) ? one(values.seats).trim() : Number.NaN,
    trainerId: one(values.trainerId).trim(),
  };
  const parsed = sessionSchema.safeParse(raw);
  const errors = parsed.success ? {} : fieldErrors(parsed.error, t);
  if (!raw.place && !raw.onlineLink) errors.place ??= t("errors.trainings.placeOrLink");
  // Judged even when another field is wrong, so that every error shows at once.
  if (realDate(raw.date) && TIME.test(raw.from) && TIME.test(raw.to)) {
    const startsAt = berlinInstant(raw.date, raw.from);
    const endsAt = berlinInstant(raw.date, raw.to);
    if (endsAt <= startsAt) errors.to ??= t("errors.trainings.endBeforeStart");
    else if (startsAt <= now) errors.date ??= t("errors.trainings.past");
    else if (startsAt.getTime() > now.getTime() + 2 * 366 * 86_400_000) errors.date ??= t("errors.trainings.tooFar");
  }
  if (raw.trainerId && UUID.test(raw.trainerId) && !trainers.some((tr) => tr.id === raw.trainerId)) errors.trainerId ??= t("errors.trainings.trainer");
  if (parsed.success) {
    const { date: day, from, to } = parsed.data;
    const startsAt = berlinInstant(day, from);
    const endsAt = berlinInstant(day, to);
    if (Object.keys(errors).length === 0)
      return {
        ok: true,
        input: {
          startsAt,
          endsAt,
          place: parsed.data.place,
          onlineLink: parsed.data.onlineLink || null,
          seats: parsed.data.seats,
          trainerId: parsed.data.trainerId || null,
        },
      };
  }
  return { ok: false, errors };
}

/** The form's values for a stored session, as the keeper would type them. */
export function sessionFormValues(s: Session): Values {
  const start = berlinWallClock(s.startsAt);
  return {
    date: start.date,
    from: start.time,
    to: berlinWallClock(s.endsAt).time,
    place: s.place,
    onlineLink: s.onlineLink ?? "",
    seats: String(s.seats),
    trainerId: s.trainerId ?? "",
  };
}

/** The people with the trainer role in a tenant: whom a session can be given to. */
export async function trainersOf(platform: Pick<Platform, "db">, tenantId: string, actorId: string): Promise<{ id: string; name: string }[]> {
  return withTenant(
    platform.db,
    tenantId,
    (tx) =>
      tx
        .selectDistinct({ id: users.id, name: users.displayName })
        .from(memberships)
        .innerJoin(users, eq(users.id, memberships.userId))
        .where(and(eq(memberships.tenantId, tenantId), eq(memberships.role, "trainer"), eq(users.status, "active")))
        .orderBy(users.displayName),
    actorId,
  );
}

export const calendarOf = (
  s: Pick<Session, "id" | "title" | "startsAt" | "endsAt" | "place" | "onlineLink" | "sequence" | "updatedAt" | "status">,
): CalendarSession => ({
  id: s.id,
  title: s.title,
  startsAt: s.startsAt,
  endsAt: s.endsAt,
  place: s.place,
  onlineLink: s.onlineLink,
  sequence: s.sequence,
  updatedAt: s.updatedAt,
  cancelled: s.status === "cancelled",
});

type Writer = Pick<Platform, "db" | "clock" | "mailer" | "config">;

/** Schedules a session of a format of the actor's tenant. */
export async function scheduleSession(
  platform: Writer,
  actor: Actor,
  tenant: TenantRef,
  viewer: Viewer,
  formatId: string,
  input: SessionInput,
): Promise<string> {
  formatPolicy.authorize(actor, "write", { tenantId: tenant.id, tenantKind: tenant.kind, ...viewer });
  if (!UUID.test(formatId)) throw new NotFoundError();
  const now = platform.clock.now();
  return withTenant(
    platform.db,
    tenant.id,
    async (tx) => {
      const [format] = await tx
        .select({ id: trainingFormats.id, archived: trainingFormats.archived })
        .from(trainingFormats)
        .where(and(eq(trainingFormats.tenantId, tenant.id), eq(trainingFormats.id, formatId)));
      if (!format || format.archived) throw new NotFoundError();
      const [row] = await tx
        .insert(trainingSessions)
        .values({ tenantId: tenant.id, formatId, ...input, createdBy: actor.userId, createdAt: now, updatedAt: now })
        .returning({ id: trainingSessions.id });
      await appendAudit(
        tx,
        { tenantId: tenant.id, actorId: actor.userId, action: "training.session_scheduled", objectType: "training_session", objectId: row.id },
        now,
      );
      return row.id;
    },
    actor.userId,
  );
}

/** The locked session row, for changes that must not race a registration. */
async function lockSession(tx: Db, tenantId: string, id: string) {
  const [s] = await tx
    .select()
    .from(trainingSessions)
    .where(and(eq(trainingSessions.tenantId, tenantId), eq(trainingSessions.id, id)))
    .for("update");
  if (!s) throw new NotFoundError();
  return s;
}

/**
 * Runs `fn` in the session's tenant transaction with the session's row locked (as it is now):
 * changes to a session and to its registrations never cross (a last seat taken twice, a
 * cancellation beside a registration). A session gone answers as not found.
 */
export function inLockedSession<T>(
  db: Db,
  session: { tenantId: string; id: string },
  fn: (tx: Db, locked: typeof trainingSessions.$inferSelect) => Promise<T>,
  userId?: string | null,
): Promise<T> {
  return withTenant(db, session.tenantId, async (tx) => fn(tx, await lockSession(tx, session.tenantId, session.id)), userId);
}

/** Moves people up from the waiting list while seats are free; returns whom it moved. */
export async function fillSeats(tx: Db, tenantId: string, sessionId: string, seats: number): Promise<Recipient[]> {
  const moved = await rows<{ id: string; user_id: string; queued_at: string | Date }>(
    tx,
    sql`update training_registrations set status = 'registered'
      where tenant_id = ${tenantId}::uuid and id in (
        select id from training_registrations
        where tenant_id = ${tenantId}::uuid and session_id = ${sessionId}::uuid and status = 'waiting'
        order by queued_at, id
        limit greatest(0, ${seats}::int - (select count(*)::int from training_registrations
          where tenant_id = ${tenantId}::uuid and session_id = ${sessionId}::uuid and status = 'registered')))
      returning id, user_id, queued_at`,
  );
  return moved.map((m) => ({ userId: m.user_id, registrationId: m.id, queuedAt: new Date(m.queued_at), inCalendar: true }));
}

/** Everyone registered (or waiting) on a session, as mail recipients. */
async function people(tx: Db, tenantId: string, sessionId: string, status: "registered" | "waiting"): Promise<Recipient[]> {
  const found = await tx
    .select({ id: trainingRegistrations.id, userId: trainingRegistrations.userId, queuedAt: trainingRegistrations.queuedAt })
    .from(trainingRegistrations)
    .where(and(eq(trainingRegistrations.tenantId, tenantId), eq(trainingRegistrations.sessionId, sessionId), eq(trainingRegistrations.status, status)));
  return found.map((r) => ({ userId: r.userId, registrationId: r.id, queuedAt: r.queuedAt, inCalendar: status === "registered" }));
}

/**
 * Changes a session. A change of time, place or link raises its SEQUENCE and sends every
 * registered participant the updated invitation; more seats move people up (they get theirs).
 * Fewer seats than people registered is refused: nobody loses a seat they were given.
 */
export async function changeSession(
  platform: Writer,
  actor: Actor,
  view: SessionView,
  input: SessionInput,
): Promise<{ ok: true } | { ok: false; registered: number }> {
  sessionPolicy.authorize(actor, "manage", view.ref);
  const { session } = view;
  const now = platform.clock.now();
  const result = await inLockedSession(
    platform.db,
    session,
    async (tx, s) => {
      if (s.status !== "scheduled") throw new NotFoundError();
      const [{ registered }] = await rows<{ registered: number }>(
        tx,
        sql`select count(*)::int as registered from training_registrations where tenant_id = ${session.tenantId}::uuid and session_id = ${session.id}::uuid and status = 'registered'`,
      );
      if (input.seats < registered) return { refused: registered, mails: [] as string[] };
      const moved =
        s.startsAt.getTime() !== input.startsAt.getTime() ||
        s.endsAt.getTime() !== input.endsAt.getTime() ||
        s.place !== input.place ||
        (s.onlineLink ?? null) !== input.onlineLink;
      const [updated] = await tx
        .update(trainingSessions)
        .set({ ...input, sequence: moved ? s.sequence + 1 : s.sequence, updatedAt: now, remindedAt: moved ? null : s.remindedAt })
        .where(and(eq(trainingSessions.tenantId, session.tenantId), eq(trainingSessions.id, session.id)))
        .returning();
      const calendar = calendarOf({ ...session, ...updated, status: "scheduled" });
      const already = moved ? await people(tx, session.tenantId, session.id, "registered") : [];
      const up = await fillSeats(tx, session.tenantId, session.id, input.seats);
      await appendAudit(
        tx,
        { tenantId: session.tenantId, actorId: actor.userId, action: "training.session_changed", objectType: "training_session", objectId: session.id },
        now,
      );
      const queued = [
        ...(await participantMails(platform, tx, calendar, already, "changed")),
        ...(await participantMails(platform, tx, calendar, up, "movedUp")),
      ];
      return { refused: null, mails: await platform.mailer.enqueueMany(tx, queued) };
    },
    actor.userId,
  );
  if (result.refused !== null) return { ok: false, registered: result.refused };
  await platform.mailer.dispatch(result.mails);
  return { ok: true };
}

/** Cancels a session: everyone registered gets the cancellation for their calendar, everyone waiting a word. */
export async function cancelSession(platform: Writer, actor: Actor, view: SessionView): Promise<void> {
  sessionPolicy.authorize(actor, "manage", view.ref);
  const { session } = view;
  const now = platform.clock.now();
  const mails = await inLockedSession(
    platform.db,
    session,
    async (tx, s) => {
      if (s.status !== "scheduled") return [];
      const [updated] = await tx
        .update(trainingSessions)
        .set({ status: "cancelled", sequence: s.sequence + 1, updatedAt: now })
        .where(and(eq(trainingSessions.tenantId, session.tenantId), eq(trainingSessions.id, session.id)))
        .returning();
      const calendar = calendarOf({ ...session, ...updated, status: "cancelled" });
      const recipients = [...(await people(tx, session.tenantId, session.id, "registered")), ...(await people(tx, session.tenantId, session.id, "waiting"))];
      await appendAudit(
        tx,
        { tenantId: session.tenantId, actorId: actor.userId, action: "training.session_cancelled", objectType: "training_session", objectId: session.id },
        now,
      );
      return platform.mailer.enqueueMany(tx, await participantMails(platform, tx, calendar, recipients, "cancelled"));
    },
    actor.userId,
  );
  await platform.mailer.dispatch(mails);
}
