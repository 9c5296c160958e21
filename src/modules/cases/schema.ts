import { bigserial, boolean, integer, jsonb, pgTable, primaryKey, smallint, text, timestamp, unique, uuid } from "drizzle-orm/pg-core";
import { tenants } from "../../platform/db/schema.ts";
import { CLEARING_STAGES } from "../../platform/vocabulary.ts";

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
    openedAt: ts("opened_at").notNull(),
    updatedAt: ts("updated_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] }), unique("cases_number").on(t.tenantId, t.number)],
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
