import { bigserial, date, index, integer, pgTable, primaryKey, text, timestamp, unique, uuid } from "drizzle-orm/pg-core";
import { tenants } from "../../platform/db/schema.ts";

/*
 * The case file's tables beyond the case itself: closing (with four eyes) and the statistics
 * record, retention and legal holds, the office's notes, shares with leaders, links between cases
 * and the perpetrator record. Tenant-scoped with row-level security, like every table of the module.
 */

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: "date" });
const tenantId = () =>
  uuid("tenant_id")
    .notNull()
    .references(() => tenants.id);

export const CLOSURE_OUTCOMES = ["supported", "referred", "proceedings", "protected", "no_further_wish", "unreachable", "other"] as const;
export type ClosureOutcome = (typeof CLOSURE_OUTCOMES)[number];
/** Whether the closing conversation with the affected person took place. */
export const CONVERSATIONS = ["held", "declined", "unreachable", "anonymous"] as const;
export type Conversation = (typeof CONVERSATIONS)[number];

/**
 * Every request to close a case: the outcome, the closing conversation (note sealed), who asked,
 * and who released it or gave it back (with a sealed reason). A case at level 2 or 3 is closed
 * only once a second officer released it; below, the request releases itself.
 */
export const caseClosures = pgTable(
  "case_closures",
  {
    tenantId: tenantId(),
    id: uuid("id").notNull().defaultRandom(),
    caseId: uuid("case_id").notNull(),
    outcome: text("outcome", { enum: CLOSURE_OUTCOMES }).notNull(),
    conversation: text("conversation", { enum: CONVERSATIONS }).notNull(),
    conversationOn: date("conversation_on", { mode: "string" }),
    /** Sealed: what the closing conversation brought, what remains open. */
    note: text("note"),
    requestedBy: uuid("requested_by").notNull(),
    requestedAt: ts("requested_at").notNull(),
    decision: text("decision", { enum: ["released", "returned"] }),
    decidedBy: uuid("decided_by"),
    decidedAt: ts("decided_at"),
    /** Sealed: why the second officer gave it back. */
    returnReason: text("return_reason"),
    seq: bigserial("seq", { mode: "number" }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] }), index("case_closures_case").on(t.tenantId, t.caseId)],
);

/**
 * How long a municipality keeps closed cases before the retention job deletes them (the
 * statistics record stays). Without a row, the defaults apply (RETENTION_DEFAULTS).
 */
export const caseRetention = pgTable("case_retention", {
  tenantId: tenantId().primaryKey(),
  /** Cases closed after their procedure, in months. */
  closedMonths: integer("closed_months").notNull(),
  /** Cases closed as a duplicate or abuse, in months. */
  dismissedMonths: integer("dismissed_months").notNull(),
  updatedBy: uuid("updated_by"),
  updatedAt: ts("updated_at").notNull(),
});

/**
 * A legal hold keeps a case from deletion (proceedings still running, a court's request) until
 * its last day or until it is lifted. The reason is sealed.
 */
export const caseLegalHolds = pgTable(
  "case_legal_holds",
  {
    tenantId: tenantId(),
    id: uuid("id").notNull().defaultRandom(),
    caseId: uuid("case_id").notNull(),
    reason: text("reason").notNull(),
    until: date("until", { mode: "string" }).notNull(),
    placedBy: uuid("placed_by").notNull(),
    placedAt: ts("placed_at").notNull(),
    liftedBy: uuid("lifted_by"),
    liftedAt: ts("lifted_at"),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] }), index("case_legal_holds_case").on(t.tenantId, t.caseId)],
);

/** The office's notes on a case: sealed, each with its author and time; never changed, only added. */
export const caseNotes = pgTable(
  "case_notes",
  {
    tenantId: tenantId(),
    id: uuid("id").notNull().defaultRandom(),
    caseId: uuid("case_id").notNull(),
    /** Sealed. */
    body: text("body").notNull(),
    authorId: uuid("author_id").notNull(),
    createdAt: ts("created_at").notNull(),
    seq: bigserial("seq", { mode: "number" }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] }), index("case_notes_case").on(t.tenantId, t.caseId)],
);

export const LEADER_SHARE_STATUSES = ["awaiting_consent", "no_consent", "active", "revoked", "ended"] as const;
export type LeaderShareStatus = (typeof LEADER_SHARE_STATUSES)[number];

/**
 * A case shared with a leader (Führungskraft, Dienstvorgesetzte:r) only with the affected
 * person's consent: the office's summary of what the person agreed to share (sealed), until a day.
 * The leader sees that summary and what the case needs from them (a Strafantrag under §194 Abs. 3
 * StGB, protection measures) — nothing else, and nothing once the person withdraws.
 */
export const caseLeaderShares = pgTable(
  "case_leader_shares",
  {
    tenantId: tenantId(),
    id: uuid("id").notNull().defaultRandom(),
    caseId: uuid("case_id").notNull(),
    leaderId: uuid("leader_id").notNull(),
    /** Sealed. */
    summary: text("summary").notNull(),
    validUntil: date("valid_until", { mode: "string" }).notNull(),
    status: text("status", { enum: LEADER_SHARE_STATUSES }).notNull(),
    consentQuestionId: uuid("consent_question_id"),
    createdBy: uuid("created_by").notNull(),
    createdAt: ts("created_at").notNull(),
    updatedAt: ts("updated_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] }), index("case_leader_shares_leader").on(t.tenantId, t.leaderId)],
);

export const LINK_KINDS = ["same_perpetrator", "same_campaign", "same_incident"] as const;
export type LinkKind = (typeof LINK_KINDS)[number];

/** Two cases of a municipality the office sees as related; stored once, shown on both. */
export const caseLinks = pgTable(
  "case_links",
  {
    tenantId: tenantId(),
    id: uuid("id").notNull().defaultRandom(),
    caseId: uuid("case_id").notNull(),
    otherCaseId: uuid("other_case_id").notNull(),
    kind: text("kind", { enum: LINK_KINDS }).notNull(),
    createdBy: uuid("created_by").notNull(),
    createdAt: ts("created_at").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    unique("case_links_pair").on(t.tenantId, t.caseId, t.otherCaseId),
    index("case_links_other").on(t.tenantId, t.otherCaseId),
  ],
);

/**
 * What the office knows of a perpetrator, kept as little and as short as it can: a description
 * (name, pseudonym, profile), sealed, with a keyed hash of its normalised form so that another
 * case naming the same person is found without reading the text; it expires on its last day.
 */
export const casePerpetrators = pgTable(
  "case_perpetrators",
  {
    tenantId: tenantId(),
    id: uuid("id").notNull().defaultRandom(),
    caseId: uuid("case_id").notNull(),
    /** Sealed; none once expired. */
    description: text("description"),
    /** Keyed hash of the normalised description; none once expired. */
    lookup: text("lookup"),
    until: date("until", { mode: "string" }).notNull(),
    createdBy: uuid("created_by").notNull(),
    createdAt: ts("created_at").notNull(),
    expiredAt: ts("expired_at"),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] }), index("case_perpetrators_lookup").on(t.tenantId, t.lookup)],
);
