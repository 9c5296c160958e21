import { sql } from "drizzle-orm";
import { bigserial, boolean, date, index, integer, jsonb, pgTable, primaryKey, smallint, text, timestamp, unique, uuid } from "drizzle-orm/pg-core";
import { tenants } from "../../platform/db/schema.ts";
import { CLEARING_STAGES } from "../../platform/vocabulary.ts";
import { ENTITLED, MEASURES, TASK_STATUSES } from "./measures.ts";

/*
 * Cases: what the clearing office works on. A case is opened by a report (the event
 * report.received) and carries that report's number; later reports may join it. Tenant-scoped,
 * with row-level security (drizzle/0012_cases.sql). No content lives here: what the person told
 * stays with the report, sealed.
 */

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: "date" });
const tenantId = () =>
  uuid("tenant_id")
    .notNull()
    .references(() => tenants.id);

export const CASE_STATUSES = ["received", "in_progress", "closed"] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];

export const cases = pgTable(
  "cases",
  {
    tenantId: tenantId(),
    id: uuid("id").notNull().defaultRandom(),
    /** The number of the report that opened it (MUS-2026-0042), which the reporter was given. */
    number: text("number").notNull(),
    status: text("status", { enum: CASE_STATUSES }).notNull().default("received"),
    /** The clearing officer who leads the case. */
    assigneeId: uuid("assignee_id"),
    /** How the opening report arrived and in which mode: categories for the inbox, no content. */
    channel: text("channel").notNull(),
    mode: text("mode").notNull(),
    immediateDanger: boolean("immediate_danger").notNull(),
    /** Where the case stands in its procedure (Eingang → … → Abschluss). */
    stage: text("stage", { enum: CLEARING_STAGES }).notNull().default("intake"),
    /** The level of the latest confirmed risk assessment; none before the first one. */
    riskLevel: smallint("risk_level"),
    /** The version of the municipality's procedure the case started with: it keeps it to the end. */
    procedureVersion: integer("procedure_version").notNull().default(1),
    /**
     * The report's categories (forms and perceived motives, as codes): what the inbox filters by
     * and the statistics count. What the person wrote stays sealed with the report.
     */
    forms: text("forms").array().notNull().default(sql`'{}'::text[]`),
    motives: text("motives").array().notNull().default(sql`'{}'::text[]`),
    /** Where it happened and the affected person's function, as codes (for the statistics record). */
    place: text("place"),
    affectedFunction: text("affected_function"),
    /** The office's own keywords for a case (a campaign, a place): searchable, never content. */
    tags: text("tags").array().notNull().default(sql`'{}'::text[]`),
    /** When the office should have responded: the procedure's target after opening, at once for acute danger. */
    respondBy: ts("respond_by"),
    /** The office's first response: taking the case on, assessing it, deciding a measure or answering. */
    firstResponseAt: ts("first_response_at"),
    /** The earliest due date among the open tasks, kept with every change of a task. */
    nextDueOn: date("next_due_on", { mode: "string" }),
    /** Why a case was closed without a procedure: a duplicate or abuse (reversible). */
    closedReason: text("closed_reason", { enum: ["duplicate", "abuse", "joined"] }),
    /** Closed as joined: the case its reports went to. */
    joinedInto: uuid("joined_into"),
    /** When it was closed (the retention period runs from here); none while open. */
    closedAt: ts("closed_at"),
    openedAt: ts("opened_at").notNull(),
    updatedAt: ts("updated_at").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    unique("cases_number").on(t.tenantId, t.number),
    // The inbox's default order (newest first) walks this index and stops after a page.
    index("cases_inbox").on(t.tenantId, t.openedAt),
  ],
);

/** The reports of a case. A report belongs to one case. */
export const caseReports = pgTable(
  "case_reports",
  {
    tenantId: tenantId(),
    reportId: uuid("report_id").notNull(),
    caseId: uuid("case_id").notNull(),
    joinedAt: ts("joined_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.reportId] })],
);

/**
 * Every risk assessment of a case, oldest first: what the officer saw (form and threat criteria),
 * what the rules proposed, and the level they set. A level other than the proposal carries a
 * justification, sealed (it may speak of the person).
 */
export const caseAssessments = pgTable(
  "case_assessments",
  {
    tenantId: tenantId(),
    id: uuid("id").notNull().defaultRandom(),
    caseId: uuid("case_id").notNull(),
    form: text("form").notNull(),
    criteria: jsonb("criteria").$type<string[]>().notNull(),
    proposedLevel: smallint("proposed_level").notNull(),
    reasons: jsonb("reasons").$type<string[]>().notNull(),
    level: smallint("level").notNull(),
    /** Sealed. */
    justification: text("justification"),
    assessedBy: uuid("assessed_by").notNull(),
    assessedAt: ts("assessed_at").notNull(),
    /** The order they were made in, also within one moment. */
    seq: bigserial("seq", { mode: "number" }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] })],
);

/**
 * A municipality's clearing procedure, versioned: a new version for every change, a running case
 * keeps the one it started with. Version 1 is the default until the municipality stores its own.
 */
export const caseProcedures = pgTable(
  "case_procedures",
  {
    tenantId: tenantId(),
    version: integer("version").notNull(),
    definition: jsonb("definition").notNull(),
    createdBy: uuid("created_by"),
    createdAt: ts("created_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.version] })],
);

/**
 * The measures decided for a case, each a task with an owner, a due date, a status and an
 * outcome. A Strafantrag is one task per entitled person, its due date the end of that person's
 * three-month period (none while the perpetrator is unknown); an Auskunftssperre's due date is
 * its renewal. Note and outcome are sealed.
 */
export const caseTasks = pgTable(
  "case_tasks",
  {
    tenantId: tenantId(),
    id: uuid("id").notNull().defaultRandom(),
    caseId: uuid("case_id").notNull(),
    measure: text("measure", { enum: MEASURES }).notNull(),
    ownerId: uuid("owner_id"),
    status: text("status", { enum: TASK_STATUSES }).notNull().default("open"),
    /** Strafantrag: whose application (the affected person, or the superior under §194 Abs. 3 StGB). */
    entitled: text("entitled", { enum: ENTITLED }),
    /** Strafantrag: the day that person learned of the act and the perpetrator; Auskunftssperre: the day of the decision. */
    fromOn: date("from_on", { mode: "string" }),
    /** The day it must be done by: a legal deadline, or the one the office set. */
    dueOn: date("due_on", { mode: "string" }),
    note: text("note"),
    outcome: text("outcome"),
    createdBy: uuid("created_by").notNull(),
    createdAt: ts("created_at").notNull(),
    updatedAt: ts("updated_at").notNull(),
    doneAt: ts("done_at"),
    seq: bigserial("seq", { mode: "number" }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    index("case_tasks_case").on(t.tenantId, t.caseId),
    index("case_tasks_open_due").on(t.tenantId, t.dueOn).where(sql`${t.status} = 'open' and ${t.dueOn} is not null`),
  ],
);

/** Reminders sent for a task's due date: each once, whichever process runs the daily scan. */
export const caseTaskReminders = pgTable(
  "case_task_reminders",
  {
    tenantId: tenantId(),
    taskId: uuid("task_id").notNull(),
    /** "d28", "d14", "d3", "d1", "d0" (the day itself) or "overdue". */
    mark: text("mark").notNull(),
    dueOn: date("due_on", { mode: "string" }).notNull(),
    sentAt: ts("sent_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.taskId, t.mark, t.dueOn] })],
);

export const REFERRAL_STATUSES = ["awaiting_consent", "awaiting_release", "no_consent", "offered", "accepted", "declined", "done", "revoked", "ended"] as const;
/** The legal exceptions under which a case may be referred without the person's consent (four eyes). */
export const LEGAL_BASES = ["vital_interests", "necessity", "child_protection", "legal_obligation"] as const;
export type LegalBasis = (typeof LEGAL_BASES)[number];
export type ReferralStatus = (typeof REFERRAL_STATUSES)[number];

/**
 * A case referred to a partner of the alliance, only with the affected person's consent: to whom,
 * which data categories, for what (sealed) and until when. The partner sees those categories of
 * this case only, and only while the referral stands (offered, accepted, done) and the consent
 * runs; a revocation ends it at once.
 */
export const caseReferrals = pgTable(
  "case_referrals",
  {
    tenantId: tenantId(),
    id: uuid("id").notNull().defaultRandom(),
    caseId: uuid("case_id").notNull(),
    partnerId: uuid("partner_id").notNull(),
    categories: text("categories").array().notNull(),
    /** Sealed. */
    purpose: text("purpose").notNull(),
    validUntil: date("valid_until", { mode: "string" }).notNull(),
    status: text("status", { enum: REFERRAL_STATUSES }).notNull(),
    /** The question in the mailbox (or the answer the office wrote down) that holds the consent. */
    consentQuestionId: uuid("consent_question_id"),
    consentAt: ts("consent_at"),
    consentChannel: text("consent_channel"),
    /** Without consent: the legal exception, the officer's reason (sealed), and the second officer who released it. */
    legalBasis: text("legal_basis", { enum: LEGAL_BASES }),
    exceptionReason: text("exception_reason"),
    releasedBy: uuid("released_by"),
    releasedAt: ts("released_at"),
    /** Sealed: what the partner reports back when done. */
    outcome: text("outcome"),
    createdBy: uuid("created_by").notNull(),
    createdAt: ts("created_at").notNull(),
    updatedAt: ts("updated_at").notNull(),
    seq: bigserial("seq", { mode: "number" }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] }), index("case_referrals_partner").on(t.tenantId, t.partnerId)],
);

/** Every time a partner was shown a referred case: who, when, which categories. */
export const caseDisclosures = pgTable(
  "case_disclosures",
  {
    tenantId: tenantId(),
    id: uuid("id").notNull().defaultRandom(),
    referralId: uuid("referral_id").notNull(),
    userId: uuid("user_id").notNull(),
    categories: text("categories").array().notNull(),
    at: ts("at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] }), index("case_disclosures_referral").on(t.tenantId, t.referralId)],
);

export * from "./schema-file.ts";
