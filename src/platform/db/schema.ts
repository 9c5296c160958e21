import { sql } from "drizzle-orm";
import { bigint, bigserial, boolean, char, check, index, integer, jsonb, pgTable, primaryKey, text, timestamp, unique, uuid } from "drizzle-orm/pg-core";

/*
 * Platform tables. Tables with a tenant_id are tenant-scoped: their key starts with
 * tenant_id and row-level security is switched on for them in a migration through
 * komma_protect_tenant_table() (see drizzle/0001_tenant_isolation.sql).
 */

const createdAt = () => timestamp("created_at", { withTimezone: true, mode: "date" }).notNull().defaultNow();

export const tenants = pgTable(
  "tenants",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    slug: text("slug").notNull().unique(),
    name: text("name").notNull(),
    kind: text("kind", { enum: ["national", "model", "platform"] }).notNull(),
    ags: char("ags", { length: 8 }).unique(),
    land: text("land"),
    /** Where people turn for help at once: the clearing office's phone, e-mail and hours. */
    contactPhone: text("contact_phone"),
    contactEmail: text("contact_email"),
    contactHours: text("contact_hours"),
    /** Plain text with paragraphs, set by national admins on the national tenant. Null: not filled in yet. */
    imprint: text("imprint"),
    /**
     * Plain text with paragraphs. On the national tenant: the Datenschutzerklärung of the
     * installation; on a municipality: its Datenschutzhinweise for the Meldestelle.
     */
    privacyNotice: text("privacy_notice"),
    createdAt: createdAt(),
  },
  (t) => [
    check("tenants_kind_check", sql`${t.kind} in ('national', 'model', 'platform')`),
    check("tenants_ags_check", sql`${t.kind} = 'national' or ${t.ags} ~ '^[0-9]{8}$'`),
    check("tenants_slug_check", sql`${t.slug} ~ '^[a-z0-9]+(-[a-z0-9]+)*$'`),
  ],
);

export const users = pgTable("users", {
  id: uuid("id").primaryKey().defaultRandom(),
  email: text("email").notNull().unique(),
  displayName: text("display_name").notNull(),
  passwordHash: text("password_hash"),
  /** TOTP secret, sealed with the national tenant's data key. */
  totpSecret: text("totp_secret"),
  totpEnabledAt: timestamp("totp_enabled_at", { withTimezone: true, mode: "date" }),
  /** The last TOTP time step accepted, so that a code cannot be used twice. */
  totpLastStep: bigint("totp_last_step", { mode: "number" }),
  /** Set when an admin reset the second factor: the next sign-in must enrol a new one. */
  secondFactorRequired: boolean("second_factor_required").notNull().default(false),
  locale: text("locale").notNull().default("de"),
  status: text("status", { enum: ["invited", "active", "disabled"] })
    .notNull()
    .default("invited"),
  createdAt: createdAt(),
});

export const memberships = pgTable(
  "memberships",
  {
    tenantId: uuid("tenant_id")
      .notNull()
      .references(() => tenants.id),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id),
    role: text("role").notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.userId, t.role] })],
);

export const sessions = pgTable("sessions", {
  /** SHA-256 of the cookie token; the token itself is never stored. */
  id: text("id").primaryKey(),
  userId: uuid("user_id")
    .notNull()
    .references(() => users.id),
  /** The municipality the person is working in (not tenant data: no RLS, see docs/security.md). */
  workingTenantId: uuid("working_tenant_id").references(() => tenants.id),
  stage: text("stage", { enum: ["second_factor", "enrol_second_factor", "complete"] }).notNull(),
  label: text("label").notNull().default(""),
  createdAt: createdAt(),
  lastSeenAt: timestamp("last_seen_at", { withTimezone: true, mode: "date" }).notNull(),
  expiresAt: timestamp("expires_at", { withTimezone: true, mode: "date" }).notNull(),
  revokedAt: timestamp("revoked_at", { withTimezone: true, mode: "date" }),
});

export const recoveryCodes = pgTable(
  "recovery_codes",
  {
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id),
    codeHash: text("code_hash").notNull(),
    usedAt: timestamp("used_at", { withTimezone: true, mode: "date" }),
  },
  (t) => [primaryKey({ columns: [t.userId, t.codeHash] })],
);

/** Failed sign-ins per e-mail address (keyed hash), known or not, so lockout reveals nothing. */
export const signInThrottle = pgTable("sign_in_throttle", {
  key: text("key").primaryKey(),
  failures: integer("failures").notNull().default(0),
  lockedUntil: timestamp("locked_until", { withTimezone: true, mode: "date" }),
  updatedAt: timestamp("updated_at", { withTimezone: true, mode: "date" }).notNull(),
});

/**
 * Counts within a time window that every application process shares: rate limits, the
 * reporter confirmation throttle, upload budgets, one-time form keys (src/platform/counters.ts).
 * The key is a keyed hash (keyring.lookupHash): no address or e-mail address is stored. A
 * window starts with its first count and ends at `expires_at`; expired rows are swept.
 */
export const rateCounters = pgTable(
  "rate_counters",
  {
    purpose: text("purpose").notNull(),
    keyHash: text("key_hash").notNull(),
    total: bigint("total", { mode: "number" }).notNull(),
    expiresAt: timestamp("expires_at", { withTimezone: true, mode: "date" }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.purpose, t.keyHash] }), index("rate_counters_expires_at").on(t.expiresAt)],
);

/** Single-use links for invitations and password resets; only a hash is stored. */
export const userTokens = pgTable("user_tokens", {
  tokenHash: text("token_hash").primaryKey(),
  userId: uuid("user_id")
    .notNull()
    .references(() => users.id),
  purpose: text("purpose", { enum: ["invite", "reset"] }).notNull(),
  expiresAt: timestamp("expires_at", { withTimezone: true, mode: "date" }).notNull(),
  usedAt: timestamp("used_at", { withTimezone: true, mode: "date" }),
  createdAt: createdAt(),
});

/**
 * A pending invitation into a municipality. It holds only what the inviter typed: nothing is
 * looked up about the address, and no membership exists until the person accepts through the
 * link (only the link's hash is stored).
 */
export const invitations = pgTable(
  "invitations",
  {
    tenantId: uuid("tenant_id")
      .notNull()
      .references(() => tenants.id),
    id: uuid("id").notNull().defaultRandom(),
    email: text("email").notNull(),
    displayName: text("display_name").notNull(),
    roles: jsonb("roles").$type<string[]>().notNull(),
    /** Of the roles, those a second person must confirm once the invitation is accepted (`role-confirmations.ts`). */
    rolesAsked: jsonb("roles_asked").$type<string[]>().notNull().default([]),
    tokenHash: text("token_hash").notNull().unique(),
    invitedBy: uuid("invited_by"),
    createdAt: createdAt(),
    expiresAt: timestamp("expires_at", { withTimezone: true, mode: "date" }).notNull(),
    acceptedAt: timestamp("accepted_at", { withTimezone: true, mode: "date" }),
    acceptedBy: uuid("accepted_by"),
    revokedAt: timestamp("revoked_at", { withTimezone: true, mode: "date" }),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] })],
);

/**
 * A role that opens every case of a municipality (the clearing office's), asked for and not yet
 * given: it is given once a second person confirms (`roleConfirmations` in the admin module).
 * One open request per person and role; the audit log keeps who asked, confirmed or refused.
 */
export const roleConfirmations = pgTable(
  "role_confirmations",
  {
    tenantId: uuid("tenant_id")
      .notNull()
      .references(() => tenants.id),
    id: uuid("id").notNull().defaultRandom(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id),
    role: text("role").notNull(),
    requestedBy: uuid("requested_by")
      .notNull()
      .references(() => users.id),
    requestedAt: timestamp("requested_at", { withTimezone: true, mode: "date" }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] }), unique("role_confirmations_once").on(t.tenantId, t.userId, t.role)],
);

export const apiTokens = pgTable("api_tokens", {
  id: uuid("id").primaryKey().defaultRandom(),
  tokenHash: text("token_hash").notNull().unique(),
  userId: uuid("user_id")
    .notNull()
    .references(() => users.id),
  /** The only tenant the token may act in. */
  scopeTenantId: uuid("scope_tenant_id")
    .notNull()
    .references(() => tenants.id),
  name: text("name").notNull(),
  createdAt: createdAt(),
  expiresAt: timestamp("expires_at", { withTimezone: true, mode: "date" }).notNull(),
  lastUsedAt: timestamp("last_used_at", { withTimezone: true, mode: "date" }),
  revokedAt: timestamp("revoked_at", { withTimezone: true, mode: "date" }),
});

export const auditLog = pgTable(
  "audit_log",
  {
    tenantId: uuid("tenant_id")
      .notNull()
      .references(() => tenants.id),
    seq: bigint("seq", { mode: "number" }).notNull(),
    at: timestamp("at", { withTimezone: true, mode: "date", precision: 3 }).notNull(),
    actorId: uuid("actor_id"),
    action: text("action").notNull(),
    objectType: text("object_type").notNull(),
    objectId: text("object_id"),
    details: jsonb("details").$type<Record<string, unknown>>().notNull().default({}),
    prevHash: text("prev_hash").notNull(),
    hash: text("hash").notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.seq] })],
);

/** The newest entry of each tenant's audit chain, so that a removed tail is detected. */
export const auditHeads = pgTable("audit_heads", {
  tenantId: uuid("tenant_id")
    .primaryKey()
    .references(() => tenants.id),
  seq: bigint("seq", { mode: "number" }).notNull(),
  hash: text("hash").notNull(),
});

/** Per-tenant data keys, wrapped (AES-256-GCM) by the master key. */
export const tenantKeys = pgTable(
  "tenant_keys",
  {
    tenantId: uuid("tenant_id")
      .notNull()
      .references(() => tenants.id),
    keyId: text("key_id").notNull(),
    wrappedKey: text("wrapped_key").notNull(),
    masterKeyId: text("master_key_id").notNull(),
    active: boolean("active").notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.keyId] })],
);

/** Mail waiting for or done with delivery. Mails never carry case content. */
export const mailOutbox = pgTable("mail_outbox", {
  id: uuid("id").primaryKey().defaultRandom(),
  recipient: text("recipient").notNull(),
  subject: text("subject").notNull(),
  body: text("body").notNull(),
  /** A calendar entry sent with the mail (sealed like the body: method and ICS text), blanked once delivered. */
  calendar: text("calendar"),
  createdAt: createdAt(),
  sentAt: timestamp("sent_at", { withTimezone: true, mode: "date" }),
  attempts: integer("attempts").notNull().default(0),
  lastError: text("last_error"),
});

export const accessibilityFeedback = pgTable("accessibility_feedback", {
  id: uuid("id").primaryKey().defaultRandom(),
  pageUrl: text("page_url"),
  message: text("message").notNull(),
  contact: text("contact"),
  createdAt: createdAt(),
});

/**
 * Domain events, written in the same transaction as the change that caused them (a
 * transactional outbox) and delivered to each subscribing handler at least once. They carry
 * ids and categories, never content. `settled_at` is set once every handler had it; the relay
 * hands the others to the job queue, claiming them with a lease so that a crashed relay's
 * events are picked up again.
 */
export const domainEvents = pgTable(
  "domain_events",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    tenantId: uuid("tenant_id")
      .notNull()
      .references(() => tenants.id),
    name: text("name").notNull(),
    payload: jsonb("payload").$type<Record<string, unknown>>().notNull(),
    occurredAt: timestamp("occurred_at", { withTimezone: true, mode: "date" }).notNull(),
    /** The order events were written in: events of one moment (a batch, a fixed clock) keep it. */
    seq: bigserial("seq", { mode: "number" }).notNull(),
    settledAt: timestamp("settled_at", { withTimezone: true, mode: "date" }),
    relayLeaseUntil: timestamp("relay_lease_until", { withTimezone: true, mode: "date" }),
  },
  (t) => [index("domain_events_unsettled_order").on(t.occurredAt, t.seq).where(sql`${t.settledAt} is null`)],
);

/**
 * Which handler has had which event: the handler's work and this row commit together, so a
 * repeated delivery does nothing. Failures are counted here too, for operators.
 */
export const eventDeliveries = pgTable(
  "event_deliveries",
  {
    tenantId: uuid("tenant_id")
      .notNull()
      .references(() => tenants.id),
    eventId: uuid("event_id").notNull(),
    handler: text("handler").notNull(),
    status: text("status", { enum: ["done", "retrying", "failed"] }).notNull(),
    attempts: integer("attempts").notNull(),
    lastError: text("last_error"),
    updatedAt: timestamp("updated_at", { withTimezone: true, mode: "date" }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.eventId, t.handler] }), index("event_deliveries_failed").on(t.status).where(sql`${t.status} <> 'done'`)],
);

/**
 * Recurring jobs: the latest due time each schedule was fired for. A process fires a due
 * schedule by moving this forward with a compare-and-set, so that of several processes exactly
 * one fires it. Owner-only, like the counters.
 */
export const schedules = pgTable("schedules", {
  name: text("name").primaryKey(),
  lastDueAt: timestamp("last_due_at", { withTimezone: true, mode: "date" }).notNull(),
});

/**
 * Files that belong to a tenant's records (an agreement's document, a workspace document): the
 * name and the bytes sealed with the tenant's data key, the type as detected from the content,
 * the SHA-256 of the bytes as received. `purpose` names the owning module's use ("alliance.agreement").
 */
export const storedFiles = pgTable(
  "stored_files",
  {
    tenantId: uuid("tenant_id")
      .notNull()
      .references(() => tenants.id),
    id: uuid("id").notNull().defaultRandom(),
    purpose: text("purpose").notNull(),
    name: text("name").notNull(),
    mediaType: text("media_type").notNull(),
    size: integer("size").notNull(),
    sha256: text("sha256").notNull(),
    data: text("data").notNull(),
    createdBy: uuid("created_by"),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] })],
);

/**
 * The notification centre: what a person should look at (a case reached level 3, a deadline in
 * three days). Each row names its text by an i18n key and carries only what the text needs — a
 * case number, a date, never content — so it can be rendered in the reader's language and mailed.
 */
export const notifications = pgTable(
  "notifications",
  {
    tenantId: uuid("tenant_id")
      .notNull()
      .references(() => tenants.id),
    id: uuid("id").notNull().defaultRandom(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id),
    /** An i18n key (e.g. "cases.notify.escalated") with its parameters. */
    kind: text("kind").notNull(),
    params: jsonb("params").$type<Record<string, string | number>>().notNull(),
    /** Where the notice leads (a path in the app). */
    link: text("link").notNull(),
    createdAt: createdAt(),
    readAt: timestamp("read_at", { withTimezone: true, mode: "date" }),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] }), index("notifications_unread").on(t.tenantId, t.userId, t.createdAt)],
);

/** How a person wants to hear of things in a municipality: a daily summary by mail, besides the notices. */
export const notificationSettings = pgTable(
  "notification_settings",
  {
    tenantId: uuid("tenant_id")
      .notNull()
      .references(() => tenants.id),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id),
    dailyDigest: boolean("daily_digest").notNull(),
    updatedAt: timestamp("updated_at", { withTimezone: true, mode: "date" }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.userId] })],
);
