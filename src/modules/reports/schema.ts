import { bigserial, boolean, integer, jsonb, pgTable, primaryKey, smallint, text, timestamp, unique, uuid } from "drizzle-orm/pg-core";
import { tenants } from "../../platform/db/schema.ts";

/*
 * Meldestelle tables. All are tenant-scoped (RLS in drizzle/0002_reports.sql). Free text,
 * personal data and evidence bytes are sealed with the tenant's data key; contact details live
 * apart from the report content.
 */

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: "date" });
const tenantId = () =>
  uuid("tenant_id")
    .notNull()
    .references(() => tenants.id);

/** Last case number per municipality and year (MUS-2026-0042). */
export const caseSequences = pgTable(
  "case_sequences",
  {
    tenantId: tenantId(),
    year: integer("year").notNull(),
    last: integer("last").notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.year] })],
);

export const reports = pgTable(
  "reports",
  {
    tenantId: tenantId(),
    id: uuid("id").notNull().defaultRandom(),
    caseNumber: text("case_number").notNull(),
    channel: text("channel", { enum: ["web", "phone", "email", "letter", "in_person", "api"] }).notNull(),
    mode: text("mode", { enum: ["named", "confidential", "anonymous"] }).notNull(),
    status: text("status", { enum: ["received", "in_progress", "closed"] })
      .notNull()
      .default("received"),
    immediateDanger: boolean("immediate_danger").notNull().default(false),
    /** Sealed JSON: everything the person told us except contact details. */
    content: text("content").notNull(),
    language: text("language").notNull(),
    /** Keyed hash of the anonymous receipt code; the code itself is never stored. */
    receiptHash: text("receipt_hash"),
    enteredBy: uuid("entered_by"),
    createdAt: ts("created_at").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    unique("reports_case_number").on(t.tenantId, t.caseNumber),
    unique("reports_receipt").on(t.tenantId, t.receiptHash),
  ],
);

/** Sealed contact details, kept apart from the content. None for anonymous reports. */
export const reportContacts = pgTable(
  "report_contacts",
  {
    tenantId: tenantId(),
    reportId: uuid("report_id").notNull(),
    contact: text("contact").notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.reportId] })],
);

/** Answers of a report in progress (between the steps of the form), sealed, for a day. */
export const reportDrafts = pgTable(
  "report_drafts",
  {
    tenantId: tenantId(),
    /** Keyed hash of the draft token in the form's address. */
    id: text("id").notNull(),
    data: text("data").notNull(),
    expiresAt: ts("expires_at").notNull(),
    /** The note a sent draft leaves at its address (`markDraftSent`): the intake takes only a draft not sent. */
    sent: boolean("sent").notNull().default(false),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] })],
);

export const evidence = pgTable(
  "evidence",
  {
    tenantId: tenantId(),
    id: uuid("id").notNull().defaultRandom(),
    reportId: uuid("report_id"),
    draftId: text("draft_id"),
    kind: text("kind", { enum: ["file", "url"] }).notNull(),
    /** Sealed JSON: file name or URL, description, who captured it. */
    meta: text("meta").notNull(),
    mediaType: text("media_type"),
    size: integer("size"),
    /** SHA-256 of the bytes (or URL) as received, before anything was changed. */
    sha256: text("sha256").notNull(),
    /** SHA-256 of the stored bytes (differs when image metadata was removed). */
    storedSha256: text("stored_sha256"),
    capturedAt: ts("captured_at"),
    receivedAt: ts("received_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] })],
);

/** Evidence bytes, sealed; behind the EvidenceStore interface (an S3 store can replace it). */
export const evidenceBlobs = pgTable(
  "evidence_blobs",
  {
    tenantId: tenantId(),
    evidenceId: uuid("evidence_id").notNull(),
    data: text("data").notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.evidenceId] })],
);

/** The two-way mailbox between the reporter and the clearing office. */
export const reportMessages = pgTable(
  "report_messages",
  {
    tenantId: tenantId(),
    id: uuid("id").notNull().defaultRandom(),
    reportId: uuid("report_id").notNull(),
    author: text("author", { enum: ["reporter", "office"] }).notNull(),
    authorUserId: uuid("author_user_id"),
    body: text("body").notNull(),
    createdAt: ts("created_at").notNull(),
    /** When the clearing office first opened the case after a reporter's message arrived. */
    readAt: ts("read_at"),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] })],
);

/**
 * Reports arriving far above the usual rate: when it was noticed and the clearing office was
 * last alerted. Reports keep being accepted; the office and the operator are told.
 */
export const reportFloods = pgTable("report_floods", {
  tenantId: tenantId().primaryKey(),
  startedAt: ts("started_at").notNull(),
  lastAlertAt: ts("last_alert_at").notNull(),
  /** Reports within the window when last alerted. */
  count: integer("count").notNull(),
});

/** What the clearing office asks the affected person to decide (police, Strafantrag, referral, …). */
export const QUESTION_TOPICS = ["police", "strafantrag", "solidarity_statement", "inform_leader", "referral", "closing"] as const;
export type QuestionTopic = (typeof QUESTION_TOPICS)[number];
export const ANSWERS = ["agree", "decline", "ask_back"] as const;
export type Answer = (typeof ANSWERS)[number];
/** How an answer reached the office: the mailbox, or another way the office wrote down. */
export const ANSWER_CHANNELS = ["mailbox", "phone", "in_person", "email", "letter"] as const;
export type AnswerChannel = (typeof ANSWER_CHANNELS)[number];

/** The data a referral may pass on (brief: incident summary, evidence, contact, identity). */
export const DATA_CATEGORIES = ["summary", "evidence", "contact", "identity"] as const;
export type DataCategory = (typeof DATA_CATEGORIES)[number];
export interface QuestionDetails {
  recipient: string;
  categories: DataCategory[];
  /** The last day of the consent (YYYY-MM-DD). */
  until: string;
}

/**
 * A structured question to the reporter: a step that needs their agreement, explained in their
 * language, answered in the mailbox (or by another way, which the office records). The office's
 * note and the reporter's words are sealed.
 */
export const reportQuestions = pgTable(
  "report_questions",
  {
    tenantId: tenantId(),
    id: uuid("id").notNull().defaultRandom(),
    reportId: uuid("report_id").notNull(),
    topic: text("topic", { enum: QUESTION_TOPICS }).notNull(),
    /** Sealed: what the office adds to the standard explanation. */
    note: text("note"),
    askedBy: uuid("asked_by"),
    askedAt: ts("asked_at").notNull(),
    answer: text("answer", { enum: ANSWERS }),
    /** Sealed: the reporter's words with the answer (needed for a question back). */
    answerNote: text("answer_note"),
    answeredAt: ts("answered_at"),
    channel: text("channel", { enum: ANSWER_CHANNELS }),
    /** Who wrote down an answer that came another way. */
    recordedBy: uuid("recorded_by"),
    /** What a consent covers, shown to the person in their language: the recipient, data categories, until when. */
    details: jsonb("details").$type<QuestionDetails>(),
    /** When the person took an agreement back (through the same channel). */
    revokedAt: ts("revoked_at"),
    seq: bigserial("seq", { mode: "number" }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] })],
);

/** Whom the affected person rates for their support, besides the support as a whole. */
export const FEEDBACK_SOURCES = ["superiors", "colleagues", "office", "partners"] as const;
export type FeedbackSource = (typeof FEEDBACK_SOURCES)[number];

/**
 * The affected person's feedback when their case is closed: asked through the mailbox (or
 * written down by the office when it came another way). Did they feel supported, and by whom,
 * 1–5 each (none: did not apply); their words sealed.
 */
export const reportFeedback = pgTable(
  "report_feedback",
  {
    tenantId: tenantId(),
    reportId: uuid("report_id").notNull(),
    askedAt: ts("asked_at").notNull(),
    givenAt: ts("given_at"),
    channel: text("channel", { enum: ANSWER_CHANNELS }),
    supported: smallint("supported"),
    superiors: smallint("superiors"),
    colleagues: smallint("colleagues"),
    office: smallint("office"),
    partners: smallint("partners"),
    /** Sealed. */
    comment: text("comment"),
    recordedBy: uuid("recorded_by"),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.reportId] })],
);
