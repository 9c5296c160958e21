import { boolean, index, integer, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { tenants, users } from "../../platform/db/schema.ts";

/*
 * Trainings & Coachings: the catalog of formats, the sessions held in them, who registered (or
 * waits for a seat), who attended, and the anonymous feedback afterwards as counts only.
 * A format and its sessions belong to the tenant that offers them: the national level (open to
 * the people of every municipality of the network) or a municipality (open to its own people).
 * A registration lives with the session, in the offering tenant, and names the participant's own
 * municipality and role for the reach figures. Tenant-scoped with row-level security
 * (drizzle/0044_trainings.sql). Nothing here is case content; names and addresses stay in `users`.
 */

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: "date" });

/** What a format is about: matched against the needs assessment's answers. */
export const TOPICS = ["leadership", "deescalation", "online_hate", "racism_critical", "evidence", "self_care"] as const;
export type Topic = (typeof TOPICS)[number];

/** Whom a format is for. */
export const AUDIENCES = ["leaders", "public_contact", "all_staff", "clearing", "admins"] as const;
export type Audience = (typeof AUDIENCES)[number];

export const MODES = ["on_site", "online", "hybrid"] as const;
export type Mode = (typeof MODES)[number];

/** The self-assessment's dimensions a format strengthens (the knowledge module's list, by code). */
export const FORMAT_DIMENSIONS = ["alliance", "strategy", "clearing", "training", "communication", "participation"] as const;

export const trainingFormats = pgTable(
  "training_formats",
  {
    tenantId: uuid("tenant_id")
      .notNull()
      .references(() => tenants.id),
    id: uuid("id").notNull().defaultRandom(),
    title: text("title").notNull(),
    summary: text("summary").notNull(),
    topics: text("topics").array().notNull().default([]),
    audience: text("audience").notNull(),
    minutes: integer("minutes").notNull(),
    mode: text("mode").notNull(),
    /** Who leads it, as people read it (an external trainer may have no account). */
    trainerName: text("trainer_name").notNull().default(""),
    dimensions: text("dimensions").array().notNull().default([]),
    /** Practices of the library it goes with (their ids; the library decides who may read them). */
    practiceIds: uuid("practice_ids").array().notNull().default([]),
    archived: boolean("archived").notNull().default(false),
    createdBy: uuid("created_by").references(() => users.id),
    createdAt: ts("created_at").notNull(),
    updatedAt: ts("updated_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] }), uniqueIndex("training_formats_id").on(t.id)],
);

export const SESSION_STATUSES = ["scheduled", "cancelled"] as const;
export type SessionStatus = (typeof SESSION_STATUSES)[number];

export const trainingSessions = pgTable(
  "training_sessions",
  {
    tenantId: uuid("tenant_id")
      .notNull()
      .references(() => tenants.id),
    id: uuid("id").notNull().defaultRandom(),
    formatId: uuid("format_id").notNull(),
    startsAt: ts("starts_at").notNull(),
    endsAt: ts("ends_at").notNull(),
    place: text("place").notNull().default(""),
    onlineLink: text("online_link"),
    seats: integer("seats").notNull(),
    /** The trainer who runs it (a person with the trainer role in the offering tenant), if assigned. */
    trainerId: uuid("trainer_id").references(() => users.id),
    status: text("status").notNull().default("scheduled"),
    /** Counts each change of time or place (and the cancellation): the calendar entry's SEQUENCE. */
    sequence: integer("sequence").notNull().default(0),
    remindedAt: ts("reminded_at"),
    attendanceTakenAt: ts("attendance_taken_at"),
    /** Anonymous feedback received (the answers themselves are counts in training_feedback_counts). */
    feedbackResponses: integer("feedback_responses").notNull().default(0),
    createdBy: uuid("created_by").references(() => users.id),
    createdAt: ts("created_at").notNull(),
    updatedAt: ts("updated_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] }), uniqueIndex("training_sessions_id").on(t.id), index("training_sessions_starts").on(t.startsAt)],
);

export const REGISTRATION_STATUSES = ["registered", "waiting", "cancelled"] as const;
export type RegistrationStatus = (typeof REGISTRATION_STATUSES)[number];

export const trainingRegistrations = pgTable(
  "training_registrations",
  {
    tenantId: uuid("tenant_id")
      .notNull()
      .references(() => tenants.id),
    id: uuid("id").notNull().defaultRandom(),
    sessionId: uuid("session_id").notNull(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id),
    /** The participant's own municipality and role when they registered: the reach figures' keys. */
    homeTenantId: uuid("home_tenant_id")
      .notNull()
      .references(() => tenants.id),
    role: text("role").notNull(),
    status: text("status").notNull(),
    /** Order of the waiting list: who registered first moves up first. */
    queuedAt: ts("queued_at").notNull(),
    cancelledAt: ts("cancelled_at"),
    attended: boolean("attended"),
    remindedAt: ts("reminded_at"),
    /** Whether this person has given feedback (not what they answered: that is only counted). */
    feedbackGiven: boolean("feedback_given").notNull().default(false),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    uniqueIndex("training_registrations_once").on(t.tenantId, t.sessionId, t.userId),
    index("training_registrations_user").on(t.userId),
  ],
);

export const trainingFeedbackCounts = pgTable(
  "training_feedback_counts",
  {
    tenantId: uuid("tenant_id")
      .notNull()
      .references(() => tenants.id),
    sessionId: uuid("session_id").notNull(),
    question: text("question").notNull(),
    option: text("option").notNull(),
    count: integer("count").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.sessionId, t.question, t.option] })],
);

/** A round of the needs assessment in a municipality: staff answer until it ends; results after the end, from five answers on. */
export const trainingNeedsRounds = pgTable(
  "training_needs_rounds",
  {
    tenantId: uuid("tenant_id")
      .notNull()
      .references(() => tenants.id),
    id: uuid("id").notNull().defaultRandom(),
    title: text("title").notNull(),
    closesAt: ts("closes_at").notNull(),
    closedAt: ts("closed_at"),
    responses: integer("responses").notNull().default(0),
    createdBy: uuid("created_by").references(() => users.id),
    createdAt: ts("created_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] }), uniqueIndex("training_needs_rounds_id").on(t.id)],
);

/** How often each answer was given, per area of work and role: nothing per person. */
export const trainingNeedsCounts = pgTable(
  "training_needs_counts",
  {
    tenantId: uuid("tenant_id")
      .notNull()
      .references(() => tenants.id),
    roundId: uuid("round_id").notNull(),
    area: text("area").notNull(),
    role: text("role").notNull(),
    question: text("question").notNull(),
    option: text("option").notNull(),
    count: integer("count").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.roundId, t.area, t.role, t.question, t.option] })],
);

/** Who has answered a round (so that nobody answers twice) — not what they answered. */
export const trainingNeedsRespondents = pgTable(
  "training_needs_respondents",
  {
    tenantId: uuid("tenant_id")
      .notNull()
      .references(() => tenants.id),
    roundId: uuid("round_id").notNull(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.roundId, t.userId] })],
);

/** Where a coaching request goes: the national level's coaches, or the municipality's own trainers. */
export const COACHING_ROUTES = ["national", "local"] as const;
export const COACHING_STATUSES = ["open", "taken", "done", "withdrawn"] as const;
export type CoachingStatus = (typeof COACHING_STATUSES)[number];

/**
 * A leader's request for coaching. It lives in the tenant whose coaches it goes to (the national
 * level, or the municipality); what it is about and how to reach the person are sealed with that
 * tenant's key and read only by the person asking and the coach who took it.
 */
export const trainingCoachingRequests = pgTable(
  "training_coaching_requests",
  {
    tenantId: uuid("tenant_id")
      .notNull()
      .references(() => tenants.id),
    id: uuid("id").notNull().defaultRandom(),
    requesterId: uuid("requester_id")
      .notNull()
      .references(() => users.id),
    requesterTenantId: uuid("requester_tenant_id")
      .notNull()
      .references(() => tenants.id),
    route: text("route").notNull(),
    topic: text("topic").notNull(),
    urgent: boolean("urgent").notNull().default(false),
    /** Sealed: what the coaching is to be about. */
    body: text("body").notNull(),
    /** Sealed: how and when to reach the person. */
    contact: text("contact").notNull(),
    coachId: uuid("coach_id").references(() => users.id),
    status: text("status").notNull().default("open"),
    createdAt: ts("created_at").notNull(),
    takenAt: ts("taken_at"),
    closedAt: ts("closed_at"),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    uniqueIndex("training_coaching_requests_id").on(t.id),
    index("training_coaching_requester").on(t.requesterId),
  ],
);

/** Messages between the person asking and their coach, sealed. */
export const trainingCoachingMessages = pgTable(
  "training_coaching_messages",
  {
    tenantId: uuid("tenant_id")
      .notNull()
      .references(() => tenants.id),
    id: uuid("id").notNull().defaultRandom(),
    requestId: uuid("request_id").notNull(),
    authorId: uuid("author_id")
      .notNull()
      .references(() => users.id),
    body: text("body").notNull(),
    createdAt: ts("created_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] }), index("training_coaching_messages_request").on(t.tenantId, t.requestId)],
);

/** The phases of collegial case counselling, in order. */
export const COUNSEL_PHASES = ["casting", "account", "key_question", "method", "consultation", "closing", "ended"] as const;
export type CounselPhase = (typeof COUNSEL_PHASES)[number];
export const COUNSEL_ROLES = ["presenter", "moderator", "consultant", "notetaker"] as const;
export type CounselRole = (typeof COUNSEL_ROLES)[number];

/**
 * A room of collegial case counselling across municipalities. It lives at the national level,
 * since its people come from several municipalities; the case and the key question are sealed with
 * the national key and read only by the room's members.
 */
export const trainingCounselRooms = pgTable(
  "training_counsel_rooms",
  {
    tenantId: uuid("tenant_id")
      .notNull()
      .references(() => tenants.id),
    id: uuid("id").notNull().defaultRandom(),
    title: text("title").notNull(),
    startsAt: ts("starts_at").notNull(),
    /** Hash of the invitation link's token (the link is shown once). */
    tokenHash: text("token_hash").notNull(),
    hostId: uuid("host_id")
      .notNull()
      .references(() => users.id),
    phase: text("phase").notNull().default("casting"),
    phaseStartedAt: ts("phase_started_at").notNull(),
    method: text("method"),
    /** Sealed: the case as the presenter told it, after the de-identification step. */
    caseText: text("case_text"),
    /** Sealed: the presenter's key question. */
    keyQuestion: text("key_question"),
    createdAt: ts("created_at").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    uniqueIndex("training_counsel_rooms_id").on(t.id),
    uniqueIndex("training_counsel_rooms_token").on(t.tokenHash),
  ],
);

export const trainingCounselMembers = pgTable(
  "training_counsel_members",
  {
    tenantId: uuid("tenant_id")
      .notNull()
      .references(() => tenants.id),
    roomId: uuid("room_id").notNull(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id),
    homeTenantId: uuid("home_tenant_id")
      .notNull()
      .references(() => tenants.id),
    role: text("role"),
    joinedAt: ts("joined_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.roomId, t.userId] }), index("training_counsel_members_user").on(t.userId)],
);

/** The room's shared notes, per phase, sealed. */
export const trainingCounselNotes = pgTable(
  "training_counsel_notes",
  {
    tenantId: uuid("tenant_id")
      .notNull()
      .references(() => tenants.id),
    id: uuid("id").notNull().defaultRandom(),
    roomId: uuid("room_id").notNull(),
    phase: text("phase").notNull(),
    authorId: uuid("author_id")
      .notNull()
      .references(() => users.id),
    body: text("body").notNull(),
    createdAt: ts("created_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] }), index("training_counsel_notes_room").on(t.tenantId, t.roomId)],
);
