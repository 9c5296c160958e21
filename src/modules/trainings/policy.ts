import { type Actor, hasRole, isNationalAdmin, Policy, type PolicyWorld } from "../../platform/authz/policy.ts";
import type { RegistrationStatus, SessionStatus } from "./schema.ts";

type TenantKind = "national" | "model" | "platform";

/** The people of a municipality who take part in trainings (partners and trainers do not register). */
export const LEARNER_ROLES = ["municipal_admin", "clearing_officer", "leader", "staff"] as const;

/** Those who keep a tenant's catalog and its sessions: its municipal admins; the national level's admins for its own. */
function keeps(actor: Actor | null, t: { tenantId: string; tenantKind: TenantKind }): boolean {
  return t.tenantKind === "national" ? isNationalAdmin(actor) : hasRole(actor, t.tenantId, "municipal_admin");
}

/** Where the actor works on this request: a municipality (its people may take part) or the national level. */
export interface Viewer {
  viewerTenantId: string | null;
  viewerKind: TenantKind | null;
}

/** Whether the viewer's municipality may take part in what a tenant offers: its own offers, and the national level's. */
function offeredTo(actor: Actor | null, t: { tenantId: string; tenantKind: TenantKind }, v: Viewer): boolean {
  if (!v.viewerTenantId || v.viewerKind === "national" || v.viewerKind === null) return false;
  if (!hasRole(actor, v.viewerTenantId, ...LEARNER_ROLES)) return false;
  return t.tenantKind === "national" || t.tenantId === v.viewerTenantId;
}

const viewer = (a: Actor, w: PolicyWorld): Viewer => {
  const national = a.memberships[0]?.tenantId === w.national.id;
  return { viewerTenantId: national ? w.national.id : w.own.id, viewerKind: national ? "national" : w.own.kind };
};

/** A format of a tenant's catalog, as the rules see it from where the actor works. */
export interface FormatRef extends Viewer {
  tenantId: string;
  tenantKind: TenantKind;
}

const formatAt = (t: { id: string; kind: TenantKind }) => ({ tenantId: t.id, tenantKind: t.kind });

/**
 * The catalog: the national level's formats are read by the people of every municipality, a
 * municipality's formats by its own people; trainers of a tenant read its catalog. The keepers
 * (national admins, a municipality's admins) write formats and schedule sessions.
 */
export const formatPolicy = new Policy<FormatRef, "read" | "write">("training_format", ["read", "write"], {
  "own municipality": (a, w) => ({ ...formatAt(w.own), ...viewer(a, w) }),
  "other municipality": (a, w) => ({ ...formatAt(w.other), ...viewer(a, w) }),
  "national level": (a, w) => ({ ...formatAt(w.national), ...viewer(a, w) }),
})
  .allow("read", (actor, f) => keeps(actor, f) || offeredTo(actor, f, f) || hasRole(actor, f.tenantId, "trainer"))
  .allow("write", (actor, f) => keeps(actor, f));

/** A session as the rules see it: whose it is, who runs it, and the actor's registration on it. */
export interface SessionRef extends Viewer {
  tenantId: string;
  tenantKind: TenantKind;
  trainerId: string | null;
  status: SessionStatus;
  /** It has begun (registration closes), and it has ended (attendance, feedback, certificates). */
  started: boolean;
  ended: boolean;
  /** The time for feedback after it (two weeks) is over. */
  feedbackClosed: boolean;
  /** The actor's own registration (null: none, or cancelled). */
  registration: Exclude<RegistrationStatus, "cancelled"> | null;
  attended: boolean;
  feedbackGiven: boolean;
}

const sessionAt = (t: { id: string; kind: TenantKind }, over: Partial<SessionRef> = {}) => ({
  tenantId: t.id,
  tenantKind: t.kind,
  trainerId: null,
  status: "scheduled" as const,
  started: false,
  ended: false,
  feedbackClosed: false,
  registration: null,
  attended: false,
  feedbackGiven: false,
  ...over,
});

const runs = (actor: Actor | null, s: SessionRef) => !!actor && s.trainerId === actor.userId && hasRole(actor, s.tenantId, "trainer");

/**
 * A session. Read by whoever may take part in it (the offering municipality's people; everyone's,
 * for a national session), by whoever registered, by its trainer and its keepers. Registration
 * is open until it begins; a registered person (or one on the waiting list) may withdraw until
 * then, and the keepers may change or cancel it until then. They and its trainer see who registered, take
 * attendance and read the feedback's results. Whoever attended gives feedback once and gets a
 * certificate of participation.
 */
export const sessionPolicy = new Policy<SessionRef, "read" | "register" | "withdraw" | "manage" | "roster" | "feedback" | "results" | "certificate">(
  "training_session",
  ["read", "register", "withdraw", "manage", "roster", "feedback", "results", "certificate"],
  {
    "own municipality, open": (a, w) => ({ ...sessionAt(w.own), ...viewer(a, w) }),
    "own municipality, run by the actor": (a, w) => ({ ...sessionAt(w.own, { trainerId: a.userId }), ...viewer(a, w) }),
    "own municipality, registered": (a, w) => ({ ...sessionAt(w.own, { registration: "registered" }), ...viewer(a, w) }),
    "own municipality, ended, attended": (a, w) => ({
      ...sessionAt(w.own, { started: true, ended: true, registration: "registered", attended: true }),
      ...viewer(a, w),
    }),
    "own municipality, ended long ago, attended": (a, w) => ({
      ...sessionAt(w.own, { started: true, ended: true, feedbackClosed: true, registration: "registered", attended: true }),
      ...viewer(a, w),
    }),
    "own municipality, ended, run by the actor": (a, w) => ({ ...sessionAt(w.own, { started: true, ended: true, trainerId: a.userId }), ...viewer(a, w) }),
    "own municipality, cancelled": (a, w) => ({ ...sessionAt(w.own, { status: "cancelled" }), ...viewer(a, w) }),
    "other municipality, open": (a, w) => ({ ...sessionAt(w.other), ...viewer(a, w) }),
    "national level, open": (a, w) => ({ ...sessionAt(w.national), ...viewer(a, w) }),
    "national level, waiting": (a, w) => ({ ...sessionAt(w.national, { registration: "waiting" }), ...viewer(a, w) }),
  },
)
  .allow("read", (actor, s) => keeps(actor, s) || runs(actor, s) || offeredTo(actor, s, s) || (!!actor && s.registration !== null))
  .allow("register", (actor, s) => s.status === "scheduled" && !s.started && s.registration === null && offeredTo(actor, s, s))
  .allow("withdraw", (actor, s) => !!actor && s.status === "scheduled" && !s.started && s.registration !== null)
  .allow("manage", (actor, s) => s.status === "scheduled" && !s.started && keeps(actor, s))
  .allow("roster", (actor, s) => keeps(actor, s) || runs(actor, s))
  .allow("results", (actor, s) => keeps(actor, s) || runs(actor, s))
  .allow("feedback", (actor, s) => !!actor && s.status === "scheduled" && s.ended && !s.feedbackClosed && s.attended && !s.feedbackGiven)
  .allow("certificate", (actor, s) => !!actor && s.status === "scheduled" && s.ended && s.attended);

/** A tenant's trainings area: who opens it (to take part, to run sessions, or to keep the catalog). */
export const trainingsPolicy = new Policy<{ id: string; kind: TenantKind }, "open" | "keep">("trainings", ["open", "keep"], {
  "own municipality": (_a, w) => w.own,
  "other municipality": (_a, w) => w.other,
  "national level": (_a, w) => w.national,
})
  .allow("open", (actor, t) => (t.kind === "national" ? hasRole(actor, t.id, "national_admin", "trainer") : hasRole(actor, t.id, ...LEARNER_ROLES, "trainer")))
  .allow("keep", (actor, t) => keeps(actor, { tenantId: t.id, tenantKind: t.kind }));

/**
 * The needs assessment of a municipality: its admins open and end rounds; its people (not
 * partners or trainers) answer once per round; its admins and leaders read the results (after
 * the end, from five answers on).
 */
export const needsPolicy = new Policy<{ id: string; kind: TenantKind }, "answer" | "manage" | "results">("training_needs", ["answer", "manage", "results"], {
  "own municipality": (_a, w) => w.own,
  "other municipality": (_a, w) => w.other,
  "national level": (_a, w) => w.national,
})
  .allow("answer", (actor, t) => t.kind !== "national" && hasRole(actor, t.id, ...LEARNER_ROLES))
  .allow("manage", (actor, t) => t.kind !== "national" && hasRole(actor, t.id, "municipal_admin"))
  .allow("results", (actor, t) => t.kind !== "national" && hasRole(actor, t.id, "municipal_admin", "leader"));

/** A coaching request as the rules see it: where it lives, who asked, who took it. */
export interface CoachingRef {
  tenantId: string;
  requesterId: string;
  coachId: string | null;
  status: "open" | "taken" | "done" | "withdrawn";
}

const asks = (actor: Actor | null, c: CoachingRef) => !!actor && c.requesterId === actor.userId;
const coaches = (actor: Actor | null, c: CoachingRef) => !!actor && c.coachId === actor.userId && hasRole(actor, c.tenantId, "trainer");
const coachAt = (t: { id: string }, over: Partial<CoachingRef>) => ({ tenantId: t.id, requesterId: "", coachId: null, status: "open" as const, ...over });

/**
 * A leader's coaching request, confidential: what it is about is read by the person who asked and
 * by the coach who took it — nobody else, no admin either; once withdrawn, by the person alone.
 * The coaches of the tenant it went to (trainers there who do not also administer it) see that an
 * open request waits (its topic, not its text) and one of them takes it. The person asking and the coach write to each other while it runs; the coach marks it done;
 * the person may withdraw it until then.
 */
export const coachingPolicy = new Policy<CoachingRef, "read" | "take" | "write" | "finish" | "withdraw">(
  "training_coaching",
  ["read", "take", "write", "finish", "withdraw"],
  {
    "asked by the actor, open": (a, w) => coachAt(w.national, { requesterId: a.userId }),
    "asked by the actor, taken": (a, w) => coachAt(w.national, { requesterId: a.userId, coachId: w.someoneElse, status: "taken" }),
    "asked by the actor, done": (a, w) => coachAt(w.national, { requesterId: a.userId, coachId: w.someoneElse, status: "done" }),
    "own municipality, open, asked by someone else": (_a, w) => coachAt(w.own, { requesterId: w.someoneElse }),
    "own municipality, taken by the actor": (a, w) => coachAt(w.own, { requesterId: w.someoneElse, coachId: a.userId, status: "taken" }),
    "own municipality, taken by another coach": (_a, w) => coachAt(w.own, { requesterId: w.someoneElse, coachId: w.someoneElse, status: "taken" }),
    "own municipality, taken by the actor, then withdrawn": (a, w) => coachAt(w.own, { requesterId: w.someoneElse, coachId: a.userId, status: "withdrawn" }),
    "other municipality, open": (_a, w) => coachAt(w.other, { requesterId: w.someoneElse }),
  },
)
  .allow("read", (actor, c) => asks(actor, c) || (coaches(actor, c) && c.status !== "withdrawn"))
  // Not someone who administers the tenant too: an admin could give themselves the trainer role to read.
  .allow(
    "take",
    (actor, c) =>
      c.status === "open" &&
      c.coachId === null &&
      !asks(actor, c) &&
      hasRole(actor, c.tenantId, "trainer") &&
      !hasRole(actor, c.tenantId, "municipal_admin", "national_admin"),
  )
  .allow("write", (actor, c) => c.status === "taken" && (asks(actor, c) || coaches(actor, c)))
  .allow("finish", (actor, c) => c.status === "taken" && coaches(actor, c))
  .allow("withdraw", (actor, c) => (c.status === "open" || c.status === "taken") && asks(actor, c));

/** Who may ask for coaching: a municipality's leaders and its admins (heads of administration). */
export const coachingAskPolicy = new Policy<{ id: string; kind: TenantKind }, "ask">("training_coaching_ask", ["ask"], {
  "own municipality": (_a, w) => w.own,
  "other municipality": (_a, w) => w.other,
  "national level": (_a, w) => w.national,
}).allow("ask", (actor, t) => t.kind !== "national" && hasRole(actor, t.id, "leader", "municipal_admin"));

/** A counselling room as the rules see it: the actor's place in it, and the phase. */
export interface CounselRef {
  tenantId: string;
  member: boolean;
  host: boolean;
  role: "presenter" | "moderator" | "consultant" | "notetaker" | null;
  phase: "casting" | "account" | "key_question" | "method" | "consultation" | "closing" | "ended";
}

/** Someone who works in a municipality of the network and takes part in trainings there. */
const learnsSomewhere = (actor: Actor | null) =>
  !!actor && actor.memberships.some((m) => m.tenantId !== actor.nationalTenantId && (LEARNER_ROLES as readonly string[]).includes(m.role));

const roomAt = (w: PolicyWorld, over: Partial<CounselRef>): CounselRef => ({
  tenantId: w.national.id,
  member: true,
  host: false,
  role: null,
  phase: "casting",
  ...over,
});

/**
 * Collegial case counselling: only the room's members see it (the case, the key question, the
 * notes). People of the network's municipalities join through the room's link while roles are
 * cast. The host or the moderator casts the roles; the moderator leads from phase to phase; the
 * presenter tells the case (after the de-identification step) and asks the key question; the
 * moderator chooses the method; the note-taker (and the moderator) keep the shared notes.
 */
export const counselPolicy = new Policy<CounselRef, "read" | "join" | "cast" | "advance" | "tell" | "ask" | "method" | "note">(
  "training_counsel",
  ["read", "join", "cast", "advance", "tell", "ask", "method", "note"],
  {
    "not a member, casting": (_a, w) => roomAt(w, { member: false }),
    "not a member, under way": (_a, w) => roomAt(w, { member: false, phase: "account" }),
    "host, casting": (_a, w) => roomAt(w, { host: true }),
    "member without a role, casting": (_a, w) => roomAt(w, {}),
    "moderator, casting": (_a, w) => roomAt(w, { role: "moderator" }),
    "presenter, account": (_a, w) => roomAt(w, { role: "presenter", phase: "account" }),
    "moderator, account": (_a, w) => roomAt(w, { role: "moderator", phase: "account" }),
    "presenter, key question": (_a, w) => roomAt(w, { role: "presenter", phase: "key_question" }),
    "moderator, method": (_a, w) => roomAt(w, { role: "moderator", phase: "method" }),
    "consultant, consultation": (_a, w) => roomAt(w, { role: "consultant", phase: "consultation" }),
    "note-taker, consultation": (_a, w) => roomAt(w, { role: "notetaker", phase: "consultation" }),
    "moderator, ended": (_a, w) => roomAt(w, { role: "moderator", phase: "ended" }),
  },
)
  .allow("read", (actor, r) => !!actor && r.member)
  .allow("join", (actor, r) => !r.member && r.phase === "casting" && learnsSomewhere(actor))
  .allow("cast", (actor, r) => !!actor && r.member && r.phase === "casting" && (r.host || r.role === "moderator"))
  .allow("advance", (actor, r) => !!actor && r.member && r.phase !== "ended" && (r.role === "moderator" || (r.phase === "casting" && r.host)))
  .allow("tell", (actor, r) => !!actor && r.member && r.role === "presenter" && r.phase === "account")
  .allow("ask", (actor, r) => !!actor && r.member && r.role === "presenter" && r.phase === "key_question")
  .allow("method", (actor, r) => !!actor && r.member && r.role === "moderator" && r.phase === "method")
  .allow("note", (actor, r) => !!actor && r.member && (r.role === "notetaker" || r.role === "moderator") && r.phase !== "casting" && r.phase !== "ended");

/** Who may open a counselling room: the people of the network's municipalities. */
export const counselOpenPolicy = new Policy<{ id: string; kind: TenantKind }, "open">("training_counsel_open", ["open"], {
  "own municipality": (_a, w) => w.own,
  "other municipality": (_a, w) => w.other,
  "national level": (_a, w) => w.national,
}).allow("open", (actor, t) => t.kind !== "national" && hasRole(actor, t.id, ...LEARNER_ROLES));
