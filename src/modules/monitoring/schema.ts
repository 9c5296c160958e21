import { sql } from "drizzle-orm";
import { check, date, index, integer, jsonb, pgTable, primaryKey, smallint, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { tenants } from "../../platform/db/schema.ts";

/*
 * The Lagebild's tables. `statistics_records` holds one anonymised record per case of a
 * municipality: categories and figures only, fed by the clearing procedure's events, kept when
 * the case is deleted. Tenant-scoped with row-level security. `statistics_rollups` holds the
 * counts across municipalities by month, Land and kind of municipality: no tenant, no case, only
 * sums, kept up to date by the same events (incrementally) and read by the national figures.
 */

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: "date" });

export const RECORD_STATES = ["open", "closed", "dismissed"] as const;
export type RecordState = (typeof RECORD_STATES)[number];

export const statisticsRecords = pgTable(
  "statistics_records",
  {
    tenantId: uuid("tenant_id")
      .notNull()
      .references(() => tenants.id),
    /** The case's id, kept as a key only: nothing points to the case, which may be long deleted. */
    caseId: uuid("case_id").notNull(),
    /** open, closed after its procedure, or dismissed (a duplicate, abuse, joined into another: not counted). */
    state: text("state", { enum: RECORD_STATES }).notNull(),
    /** The month the case was opened (never a day): its report counts in this month. */
    openedMonth: date("opened_month", { mode: "string" }).notNull(),
    /** The month it was closed (its closing counts in this month), or dismissed. */
    closedMonth: date("closed_month", { mode: "string" }),
    /** The month the affected person's feedback was given (it counts in this month). */
    feedbackMonth: date("feedback_month", { mode: "string" }),
    /** The municipality's Land and kind when the record was written, for the national figures. */
    land: text("land"),
    tenantKind: text("tenant_kind").notNull(),
    channel: text("channel").notNull(),
    mode: text("mode").notNull(),
    forms: text("forms").array().notNull(),
    motives: text("motives").array().notNull(),
    place: text("place"),
    affectedFunction: text("affected_function"),
    /** The highest risk level the case reached. */
    level: smallint("level"),
    measures: text("measures").array().notNull(),
    firstResponseMinutes: integer("first_response_minutes"),
    respondedInTime: text("responded_in_time", { enum: ["in_time", "late"] }),
    /** Where a Strafantrag was decided: filed within its three-month period, after it, or not at all. */
    strafantrag: text("strafantrag", { enum: ["in_time", "late", "not_filed"] }),
    outcome: text("outcome"),
    /** The affected person's feedback, 1–5 each (none: not given, or did not apply). */
    feedbackSupported: smallint("feedback_supported"),
    feedbackSuperiors: smallint("feedback_superiors"),
    feedbackColleagues: smallint("feedback_colleagues"),
    feedbackOffice: smallint("feedback_office"),
    feedbackPartners: smallint("feedback_partners"),
    updatedAt: ts("updated_at").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.caseId] }),
    index("statistics_records_month").on(t.tenantId, t.openedMonth),
    check("statistics_records_closed", sql`(${t.state} = 'closed') = (${t.closedMonth} is not null and ${t.outcome} is not null) or ${t.state} = 'dismissed'`),
  ],
);

/**
 * Counts across municipalities: one row per month, Land, kind of municipality, dimension and
 * code (e.g. 2026-03, "05", "model", "form", "threat"), with the sum of scores where the
 * dimension is a score. Changed only by adding what a record's change adds or takes away.
 */
export const statisticsRollups = pgTable(
  "statistics_rollups",
  {
    month: date("month", { mode: "string" }).notNull(),
    /** The Land's code ("" where the municipality has none). */
    land: text("land").notNull(),
    kind: text("kind").notNull(),
    dimension: text("dimension").notNull(),
    code: text("code").notNull(),
    count: integer("count").notNull(),
    sum: integer("sum").notNull(),
    updatedAt: ts("updated_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.month, t.land, t.kind, t.dimension, t.code] })],
);

/**
 * What a source of figures other than cases last added to the rollups — a training session's
 * attendance (corrected attendance replaces it), a municipality's latest self-assessment, an
 * adoption — so that a newer version takes the older one's place. Counts per Land, kind and code
 * only; kept in the tenant whose event it was.
 */
export const statisticsSources = pgTable(
  "statistics_sources",
  {
    tenantId: uuid("tenant_id")
      .notNull()
      .references(() => tenants.id),
    /** e.g. "session:<id>", "assessment", "adoption:<copy id>" */
    source: text("source").notNull(),
    contributions: jsonb("contributions").notNull(),
    updatedAt: ts("updated_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.source] })],
);

/**
 * The advisory board's meeting documents (agenda, minutes, papers), kept by the national team at
 * the national level; the bytes sealed in its file store.
 */
export const boardDocuments = pgTable(
  "board_documents",
  {
    tenantId: uuid("tenant_id")
      .notNull()
      .references(() => tenants.id),
    id: uuid("id").notNull().defaultRandom(),
    title: text("title").notNull(),
    /** The meeting the document belongs to. */
    meetingOn: date("meeting_on", { mode: "string" }).notNull(),
    fileId: uuid("file_id").notNull(),
    addedBy: uuid("added_by").notNull(),
    addedAt: ts("added_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] }), index("board_documents_meeting").on(t.tenantId, t.meetingOn)],
);

/**
 * Which mapping the rollups were built with: when the PMK mapping changes, they are built again
 * from the records. 0: to be built again for another reason (records moved in, a new breakdown).
 */
export const statisticsRollupState = pgTable("statistics_rollup_state", {
  id: smallint("id").primaryKey(),
  pmkVersion: smallint("pmk_version").notNull(),
  rebuiltAt: ts("rebuilt_at").notNull(),
  /** A release under way holds this lease until then (`releaseOnce`): one release at a time, across processes. */
  releasingUntil: ts("releasing_until"),
});

/**
 * The national figures as released: once a month, each year's rollup rows of the months before
 * the release month. The national pages, exports and API read only these, so that no single
 * change between releases — a case closed, a new one — can be seen as a change of a figure
 * (a record's parts are booked in their months, which never change once over: `records.ts`).
 */
export const statisticsReleases = pgTable("statistics_releases", {
  year: smallint("year").primaryKey(),
  /** The first day of the month the release was made in: the figures hold the months before it. */
  month: date("month", { mode: "string" }).notNull(),
  /** The year's rollup rows (month, Land, kind, dimension, code, count, sum) as released. */
  rows: jsonb("rows").notNull(),
  /** The cells withheld in the year's table, protected once at release: [cell, "primary" | "secondary"]. */
  withheld: jsonb("withheld").notNull(),
  /** The year's table summed from the rows (`StoredTable`): its cells, so that a read need not sum them again. */
  table: jsonb("table"),
  /** Every cell this year's releases have shown so far (`shownCells`): the next release does not withhold them to protect another. */
  shown: jsonb("shown"),
  /** Every cell this year's releases have withheld and none has shown since (`heldBack`): the next release protects them with its own. */
  heldBack: jsonb("held_back"),
  releasedAt: ts("released_at").notNull(),
  /** How the table was built and protected (`RELEASE_METHOD`): a release made another way is made again. */
  method: smallint("method").notNull().default(1),
});

/**
 * A municipality's own figures as released to it: once a month (at the first look in a month),
 * each year's sums of its records for the months before the release month. Its own pages and
 * exports read only these, so that a leader who knows of one new report cannot learn its
 * categories from the change it makes; a month's changes show together with the next release.
 */
export const statisticsOwnReleases = pgTable(
  "statistics_own_releases",
  {
    tenantId: uuid("tenant_id")
      .notNull()
      .references(() => tenants.id),
    year: smallint("year").notNull(),
    /** The first day of the month the release was made in: the figures hold the months before it. */
    month: date("month", { mode: "string" }).notNull(),
    /** The PMK mapping the rows were counted with: another one releases them again. */
    pmkVersion: smallint("pmk_version").notNull(),
    /** The year's sums (month, dimension, code, count, sum) as released. */
    rows: jsonb("rows").notNull(),
    /** The cells earlier releases of the year had shown, which this one was protected with. */
    known: jsonb("known"),
    /** Every cell this year's releases have shown so far, this one's too. */
    shown: jsonb("shown"),
    /** The cells earlier releases of the year had withheld and none had shown, which this one was protected with. */
    hidden: jsonb("hidden"),
    /** Every cell this year's releases have withheld and none has shown since, this one's too (`heldBack`). */
    heldBack: jsonb("held_back"),
    /** The cells withheld in the table, protected once at release: [cell, "primary" | "secondary"] (null: released before they were stored). */
    withheld: jsonb("withheld"),
    /** The table summed from the rows (`StoredTable`), so that a read need neither sum nor protect it again. */
    table: jsonb("table"),
    /** How it was built and protected (`RELEASE_METHOD`): one made another way is made again, with what it showed and withheld. */
    method: smallint("method").notNull().default(1),
    releasedAt: ts("released_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.year] })],
);
