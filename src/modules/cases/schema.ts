import { boolean, pgTable, primaryKey, text, timestamp, unique, uuid } from "drizzle-orm/pg-core";
import { tenants } from "../../platform/db/schema.ts";

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
