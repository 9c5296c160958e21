import { sql } from "drizzle-orm";
import { type Actor, NotFoundError } from "../../platform/authz/policy.ts";
import { rows, withTenant } from "../../platform/db/client.ts";
import type { Platform } from "../../platform/platform.ts";
import { catalogTenants, type TenantKind, type TenantRef } from "./catalog.ts";
import { type SessionRef, sessionPolicy, type Viewer } from "./policy.ts";
import type { Mode, RegistrationStatus, SessionStatus } from "./schema.ts";

/*
 * Sessions of a format: when and where, how many seats, who runs it — as the people who may read
 * them see them. The keepers schedule, change and cancel them in session-commands.ts.
 */

export interface Session {
  id: string;
  tenantId: string;
  tenantKind: TenantKind;
  tenantName: string;
  formatId: string;
  title: string;
  minutes: number;
  mode: Mode;
  startsAt: Date;
  endsAt: Date;
  place: string;
  onlineLink: string | null;
  seats: number;
  trainerId: string | null;
  trainerName: string | null;
  status: SessionStatus;
  sequence: number;
  updatedAt: Date;
  attendanceTakenAt: Date | null;
  feedbackResponses: number;
  registered: number;
  waiting: number;
  attended: number;
}

/** The actor's own registration on a session. */
export interface OwnRegistration {
  id: string;
  status: Exclude<RegistrationStatus, "cancelled">;
  queuedAt: Date;
  attended: boolean | null;
  feedbackGiven: boolean;
  /** Their place on the waiting list (1: next to move up). */
  position: number | null;
}

export interface SessionView {
  session: Session;
  own: OwnRegistration | null;
  ref: SessionRef;
}

/** Feedback is given within this many days after a session; then its results are final. */
export const FEEDBACK_DAYS = 14;

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

interface SessionRowRaw {
  id: string;
  tenant_id: string;
  format_id: string;
  title: string;
  minutes: number;
  mode: string;
  starts_at: string | Date;
  ends_at: string | Date;
  place: string;
  online_link: string | null;
  seats: number;
  trainer_id: string | null;
  trainer_name: string | null;
  status: string;
  sequence: number;
  updated_at: string | Date;
  attendance_taken_at: string | Date | null;
  feedback_responses: number;
  registered: number;
  waiting: number;
  attended: number;
  own_id: string | null;
  own_status: string | null;
  own_queued_at: string | Date | null;
  own_attended: boolean | null;
  own_feedback_given: boolean | null;
  own_position: number | null;
}

/** Sessions of one tenant with their counts and the actor's registration, as one statement. */
function sessionQuery(tenantId: string, userId: string, where: ReturnType<typeof sql>) {
  return sql`
    select s.id, s.tenant_id, s.format_id, f.title, f.minutes, f.mode, s.starts_at, s.ends_at, s.place, s.online_link, s.seats,
      s.trainer_id, tu.display_name as trainer_name, s.status, s.sequence, s.updated_at, s.attendance_taken_at, s.feedback_responses,
      (select count(*)::int from training_registrations r where r.tenant_id = s.tenant_id and r.session_id = s.id and r.status = 'registered') as registered,
      (select count(*)::int from training_registrations r where r.tenant_id = s.tenant_id and r.session_id = s.id and r.status = 'waiting') as waiting,
      (select count(*)::int from training_registrations r where r.tenant_id = s.tenant_id and r.session_id = s.id and r.status = 'registered' and r.attended) as attended,
      o.id as own_id, o.status as own_status, o.queued_at as own_queued_at, o.attended as own_attended, o.feedback_given as own_feedback_given,
      case when o.status = 'waiting' then (select count(*)::int from training_registrations w where w.tenant_id = s.tenant_id and w.session_id = s.id
        and w.status = 'waiting' and (w.queued_at, w.id) <= (o.queued_at, o.id)) end as own_position
    from training_sessions s
    join training_formats f on f.tenant_id = s.tenant_id and f.id = s.format_id
    left join users tu on tu.id = s.trainer_id
    left join training_registrations o on o.tenant_id = s.tenant_id and o.session_id = s.id and o.user_id = ${userId}::uuid and o.status <> 'cancelled'
    where s.tenant_id = ${tenantId}::uuid and ${where}
    order by s.starts_at, s.id`;
}

const date = (v: string | Date) => new Date(v);

function toView(r: SessionRowRaw, tenant: TenantRef & { name: string }, viewer: Viewer, now: Date): SessionView {
  const session: Session = {
    id: r.id,
    tenantId: r.tenant_id,
    tenantKind: tenant.kind,
    tenantName: tenant.name,
    formatId: r.format_id,
    title: r.title,
    minutes: r.minutes,
    mode: r.mode as Mode,
    startsAt: date(r.starts_at),
    endsAt: date(r.ends_at),
    place: r.place,
    onlineLink: r.online_link,
    seats: r.seats,
    trainerId: r.trainer_id,
    trainerName: r.trainer_name,
    status: r.status as SessionStatus,
    sequence: r.sequence,
    updatedAt: date(r.updated_at),
    attendanceTakenAt: r.attendance_taken_at ? date(r.attendance_taken_at) : null,
    feedbackResponses: r.feedback_responses,
    registered: r.registered,
    waiting: r.waiting,
    attended: r.attended,
  };
  const own: OwnRegistration | null =
    r.own_id && r.own_status && r.own_queued_at
      ? {
          id: r.own_id,
          status: r.own_status as OwnRegistration["status"],
          queuedAt: date(r.own_queued_at),
          attended: r.own_attended,
          feedbackGiven: !!r.own_feedback_given,
          position: r.own_position,
        }
      : null;
  const ref: SessionRef = {
    tenantId: session.tenantId,
    tenantKind: tenant.kind,
    trainerId: session.trainerId,
    status: session.status,
    started: session.startsAt <= now,
    ended: session.endsAt <= now,
    feedbackClosed: now.getTime() >= session.endsAt.getTime() + FEEDBACK_DAYS * 86_400_000,
    registration: own?.status ?? null,
    attended: own?.attended === true,
    feedbackGiven: own?.feedbackGiven ?? false,
    ...viewer,
  };
  return { session, own, ref };
}

type Reader = Pick<Platform, "db" | "clock" | "nationalTenant">;

/** What the actor sees of the sessions in the catalogs they read: upcoming ones, their own, those they run or keep (recent ones too). */
export async function sessionsFor(platform: Reader, actor: Actor, current: TenantRef & { name: string }, viewer: Viewer): Promise<SessionView[]> {
  const now = platform.clock.now();
  const since = new Date(now.getTime() - 60 * 86_400_000);
  const found: SessionView[] = [];
  for (const tenant of catalogTenants(platform, current)) {
    const raw = await withTenant(
      platform.db,
      tenant.id,
      (tx) => rows<SessionRowRaw>(tx, sessionQuery(tenant.id, actor.userId, sql`(s.ends_at > ${since} or o.id is not null)`)),
      actor.userId,
    );
    for (const r of raw) {
      const view = toView(r, tenant, viewer, now);
      if (sessionPolicy.can(actor, "read", view.ref)) found.push(view);
    }
  }
  return found.sort((a, b) => a.session.startsAt.getTime() - b.session.startsAt.getTime());
}

/** Upcoming and recent sessions of one format (its page). */
export async function sessionsOfFormat(
  platform: Reader,
  actor: Actor,
  tenant: TenantRef & { name: string },
  viewer: Viewer,
  formatId: string,
): Promise<SessionView[]> {
  const now = platform.clock.now();
  const since = new Date(now.getTime() - 60 * 86_400_000);
  const raw = await withTenant(
    platform.db,
    tenant.id,
    (tx) => rows<SessionRowRaw>(tx, sessionQuery(tenant.id, actor.userId, sql`s.format_id = ${formatId}::uuid and (s.ends_at > ${since} or o.id is not null)`)),
    actor.userId,
  );
  return raw.map((r) => toView(r, tenant, viewer, now)).filter((v) => sessionPolicy.can(actor, "read", v.ref));
}

/** One session the actor may read, looked for where they work and at the national level. */
export async function sessionById(platform: Reader, actor: Actor, current: TenantRef & { name: string }, viewer: Viewer, id: string): Promise<SessionView> {
  if (!UUID.test(id)) throw new NotFoundError();
  const now = platform.clock.now();
  for (const tenant of catalogTenants(platform, current)) {
    const [r] = await withTenant(
      platform.db,
      tenant.id,
      (tx) => rows<SessionRowRaw>(tx, sessionQuery(tenant.id, actor.userId, sql`s.id = ${id}::uuid`)),
      actor.userId,
    );
    if (!r) continue;
    const view = toView(r, tenant, viewer, now);
    sessionPolicy.authorize(actor, "read", view.ref);
    return view;
  }
  throw new NotFoundError();
}
