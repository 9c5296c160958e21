import { date, index, integer, jsonb, pgTable, primaryKey, smallint, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { tenants, users } from "../../platform/db/schema.ts";

/*
 * The good-practice library: instruments, process descriptions, checklists, templates,
 * intervention guides and public-relations templates that municipalities and the national level
 * write, have reviewed and publish for the network or the public, and that others adopt as a copy
 * of their own. Practice texts are working documents, not personal data: they are not sealed.
 * Tenant-scoped with row-level security (drizzle/0037_knowledge_library.sql); a published
 * practice is readable from every tenant's transaction (public ones also without a tenant).
 * A generated column `search` (tsvector, German) is added by the migration, not declared here.
 */

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: "date" });

export const PRACTICE_KINDS = ["instrument", "process", "checklist", "template", "intervention_guide", "pr_toolbox"] as const;
export type PracticeKind = (typeof PRACTICE_KINDS)[number];

/** The self-assessment's dimensions, by which practices are found. */
export const DIMENSIONS = ["alliance", "strategy", "clearing", "training", "communication", "participation"] as const;
export type Dimension = (typeof DIMENSIONS)[number];

/** The platform's modules a practice belongs to. */
export const PRACTICE_MODULES = ["reporting", "clearing", "alliance", "strategy", "training", "monitoring"] as const;
export type PracticeModule = (typeof PRACTICE_MODULES)[number];

/** Who may read a published practice: everyone, the network's municipalities, or the own one only. */
export const VISIBILITIES = ["public", "network", "internal"] as const;
export type Visibility = (typeof VISIBILITIES)[number];

/** draft → in_review → published (or back to draft with the reviewer's word); internal ones publish at once. */
export const PRACTICE_STATUSES = ["draft", "in_review", "published"] as const;
export type PracticeStatus = (typeof PRACTICE_STATUSES)[number];

export const practices = pgTable(
  "knowledge_practices",
  {
    tenantId: uuid("tenant_id")
      .notNull()
      .references(() => tenants.id),
    id: uuid("id").notNull().defaultRandom(),
    kind: text("kind", { enum: PRACTICE_KINDS }).notNull(),
    title: text("title").notNull(),
    summary: text("summary").notNull(),
    body: text("body").notNull(),
    tags: text("tags").array().notNull().default([]),
    dimensions: text("dimensions", { enum: DIMENSIONS }).array().notNull().default([]),
    modules: text("modules", { enum: PRACTICE_MODULES }).array().notNull().default([]),
    visibility: text("visibility", { enum: VISIBILITIES }).notNull(),
    status: text("status", { enum: PRACTICE_STATUSES }).notNull().default("draft"),
    /** Counts up with every saved change; the published version is the one others read and adopt. */
    version: integer("version").notNull().default(1),
    publishedVersion: integer("published_version"),
    /** A copy adopted from another municipality's practice: which one, and the version taken. */
    originId: uuid("origin_id"),
    originVersion: integer("origin_version"),
    /** The reviewer's word when a practice went back to its authors. */
    reviewNote: text("review_note"),
    createdBy: uuid("created_by").references(() => users.id),
    reviewedBy: uuid("reviewed_by").references(() => users.id),
    createdAt: ts("created_at").notNull(),
    updatedAt: ts("updated_at").notNull(),
    publishedAt: ts("published_at"),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] }), uniqueIndex("knowledge_practices_id").on(t.id)],
);

/**
 * A municipality took a practice into its workspace (the copy is a practice of its own with
 * `origin_id`); kept apart so that the transfer stays visible when the copy is changed or removed.
 */
export const practiceAdoptions = pgTable(
  "knowledge_adoptions",
  {
    tenantId: uuid("tenant_id")
      .notNull()
      .references(() => tenants.id),
    id: uuid("id").notNull().defaultRandom(),
    originTenantId: uuid("origin_tenant_id")
      .notNull()
      .references(() => tenants.id),
    originId: uuid("origin_id").notNull(),
    originVersion: integer("origin_version").notNull(),
    copyId: uuid("copy_id").notNull(),
    adoptedBy: uuid("adopted_by").references(() => users.id),
    adoptedAt: ts("adopted_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] }), uniqueIndex("knowledge_adoptions_once").on(t.tenantId, t.originId)],
);

/** "Did it work for you?": one answer per adopting municipality and practice (changed, not repeated). */
export const practiceFeedback = pgTable(
  "knowledge_feedback",
  {
    tenantId: uuid("tenant_id")
      .notNull()
      .references(() => tenants.id),
    originId: uuid("origin_id").notNull(),
    originTenantId: uuid("origin_tenant_id")
      .notNull()
      .references(() => tenants.id),
    score: integer("score").notNull(),
    text: text("text").notNull().default(""),
    givenBy: uuid("given_by").references(() => users.id),
    givenAt: ts("given_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.originId] })],
);

/**
 * A self-assessment ("Selbstcheck") of a municipality: the answers to the questionnaire of its
 * version (question → 0–3) and the score per dimension (0–100) derived from them. It describes
 * the municipality's structures, not a person. Others see it only inside a median over at least
 * five municipalities (drizzle/0038_self_assessment.sql).
 */
export const assessments = pgTable(
  "knowledge_assessments",
  {
    tenantId: uuid("tenant_id")
      .notNull()
      .references(() => tenants.id),
    id: uuid("id").notNull().defaultRandom(),
    questionnaire: smallint("questionnaire").notNull(),
    answers: jsonb("answers").$type<Record<string, number>>().notNull(),
    scores: jsonb("scores").$type<Record<Dimension, number>>().notNull(),
    takenBy: uuid("taken_by").references(() => users.id),
    takenAt: ts("taken_at").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.id] }),
    uniqueIndex("knowledge_assessments_id").on(t.id),
    index("knowledge_assessments_taken").on(t.tenantId, t.takenAt),
  ],
);

/**
 * An anonymous staff survey on experiences of racism and hostility. People answer through a link
 * (its token kept as a hash only) without signing in. An answer is never stored as a row: it only
 * counts up `knowledge_survey_counts` (question × option) and `responses`, with no time, person,
 * address or device — nothing in the database ties an answer to whoever gave it.
 */
export const surveys = pgTable(
  "knowledge_surveys",
  {
    tenantId: uuid("tenant_id")
      .notNull()
      .references(() => tenants.id),
    id: uuid("id").notNull().defaultRandom(),
    title: text("title").notNull(),
    questionnaire: smallint("questionnaire").notNull(),
    tokenHash: text("token_hash").notNull(),
    closesAt: ts("closes_at").notNull(),
    closedAt: ts("closed_at"),
    responses: integer("responses").notNull().default(0),
    createdBy: uuid("created_by").references(() => users.id),
    createdAt: ts("created_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] }), uniqueIndex("knowledge_surveys_id").on(t.id), uniqueIndex("knowledge_surveys_token").on(t.tokenHash)],
);

/** How often each option of each question was chosen: the only trace an answer leaves. */
export const surveyCounts = pgTable(
  "knowledge_survey_counts",
  {
    tenantId: uuid("tenant_id")
      .notNull()
      .references(() => tenants.id),
    surveyId: uuid("survey_id").notNull(),
    question: text("question").notNull(),
    option: text("option").notNull(),
    count: integer("count").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.surveyId, t.question, t.option] })],
);

/** The parts of a strategy concept, in the order it is read. */
export const STRATEGY_SECTIONS = ["situation", "goals", "fields", "responsibilities", "resources", "participation"] as const;
export type StrategySection = (typeof STRATEGY_SECTIONS)[number];

/**
 * A municipality's strategy concept, as versions: every save is a new version, none is changed
 * afterwards except to publish it (for the own municipality, the network or the public). Working
 * documents of the administration, not personal data: not sealed.
 */
export const strategyVersions = pgTable(
  "knowledge_strategy_versions",
  {
    tenantId: uuid("tenant_id")
      .notNull()
      .references(() => tenants.id),
    version: integer("version").notNull(),
    title: text("title").notNull(),
    situation: text("situation").notNull().default(""),
    goals: text("goals").notNull().default(""),
    fields: text("fields").notNull().default(""),
    responsibilities: text("responsibilities").notNull().default(""),
    resources: text("resources").notNull().default(""),
    participation: text("participation").notNull().default(""),
    /** What changed in this version, in the words of whoever saved it. */
    note: text("note").notNull().default(""),
    savedBy: uuid("saved_by").references(() => users.id),
    savedAt: ts("saved_at").notNull(),
    visibility: text("visibility", { enum: VISIBILITIES }),
    publishedAt: ts("published_at"),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.version] })],
);

/** Where a measure of the action plan stands. */
export const MEASURE_STATUSES = ["planned", "in_progress", "done", "dropped"] as const;
export type MeasureStatus = (typeof MEASURE_STATUSES)[number];

/**
 * The action plan of a municipality's strategy: measures with their goal, the office responsible
 * (an office, not a person), a due date, where they stand and the evidence of progress. The
 * municipality's admins are reminded a week before a measure is due and once it is overdue.
 */
export const measures = pgTable(
  "knowledge_measures",
  {
    tenantId: uuid("tenant_id")
      .notNull()
      .references(() => tenants.id),
    id: uuid("id").notNull().defaultRandom(),
    goal: text("goal").notNull(),
    title: text("title").notNull(),
    owner: text("owner").notNull(),
    dueOn: date("due_on", { mode: "string" }).notNull(),
    status: text("status", { enum: MEASURE_STATUSES }).notNull().default("planned"),
    progress: text("progress").notNull().default(""),
    createdAt: ts("created_at").notNull(),
    updatedAt: ts("updated_at").notNull(),
    updatedBy: uuid("updated_by").references(() => users.id),
    /** The due date a reminder was sent for (a week before), and the one an overdue notice was sent for. */
    remindedFor: date("reminded_for", { mode: "string" }),
    overdueFor: date("overdue_for", { mode: "string" }),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] }), uniqueIndex("knowledge_measures_id").on(t.id), index("knowledge_measures_due").on(t.tenantId, t.dueOn)],
);

/**
 * An anonymous live poll for a council meeting or an event: a question with two to six answers,
 * voted on through a QR code without an account. Like the staff survey, a vote only counts up an
 * answer's count; the link's code is kept as a hash (the page that projects it derives it again).
 */
export const polls = pgTable(
  "knowledge_polls",
  {
    tenantId: uuid("tenant_id")
      .notNull()
      .references(() => tenants.id),
    id: uuid("id").notNull().defaultRandom(),
    question: text("question").notNull(),
    codeHash: text("code_hash").notNull(),
    votes: integer("votes").notNull().default(0),
    closedAt: ts("closed_at"),
    createdBy: uuid("created_by").references(() => users.id),
    createdAt: ts("created_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] }), uniqueIndex("knowledge_polls_id").on(t.id), uniqueIndex("knowledge_polls_code").on(t.codeHash)],
);

/** A poll's answers in their order, each with how often it was chosen. */
export const pollOptions = pgTable(
  "knowledge_poll_options",
  {
    tenantId: uuid("tenant_id")
      .notNull()
      .references(() => tenants.id),
    pollId: uuid("poll_id").notNull(),
    position: smallint("position").notNull(),
    label: text("label").notNull(),
    count: integer("count").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.pollId, t.position] })],
);

/**
 * A comment round on a version of the strategy concept: invited groups (affected communities,
 * migrant organisations, the alliance) read the draft through a link of their group and comment
 * on its parts; the municipality's admins moderate (approved comments are shown to the round) and,
 * at the end, say what they changed. Comments may tell of experiences: they are sealed.
 */
export const commentRounds = pgTable(
  "knowledge_comment_rounds",
  {
    tenantId: uuid("tenant_id")
      .notNull()
      .references(() => tenants.id),
    id: uuid("id").notNull().defaultRandom(),
    version: integer("version").notNull(),
    title: text("title").notNull(),
    closesAt: ts("closes_at").notNull(),
    closedAt: ts("closed_at"),
    /** What changed because of the comments (written when the round ends), and the version that has it. */
    summary: text("summary"),
    summaryVersion: integer("summary_version"),
    createdBy: uuid("created_by").references(() => users.id),
    createdAt: ts("created_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] }), uniqueIndex("knowledge_comment_rounds_id").on(t.id)],
);

/** The groups invited to a round, each with its own link (the token kept as a hash). */
export const roundGroups = pgTable(
  "knowledge_round_groups",
  {
    tenantId: uuid("tenant_id")
      .notNull()
      .references(() => tenants.id),
    id: uuid("id").notNull().defaultRandom(),
    roundId: uuid("round_id").notNull(),
    name: text("name").notNull(),
    tokenHash: text("token_hash").notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] }), uniqueIndex("knowledge_round_groups_token").on(t.tokenHash)],
);

export const COMMENT_STATUSES = ["pending", "approved", "rejected"] as const;
export type CommentStatus = (typeof COMMENT_STATUSES)[number];

/** A comment on a part of the draft: sealed text and, if given, the sealed name it is signed with. */
export const roundComments = pgTable(
  "knowledge_round_comments",
  {
    tenantId: uuid("tenant_id")
      .notNull()
      .references(() => tenants.id),
    id: uuid("id").notNull().defaultRandom(),
    roundId: uuid("round_id").notNull(),
    groupId: uuid("group_id").notNull(),
    section: text("section", { enum: STRATEGY_SECTIONS }).notNull(),
    body: text("body").notNull(),
    signature: text("signature"),
    status: text("status", { enum: COMMENT_STATUSES }).notNull().default("pending"),
    createdAt: ts("created_at").notNull(),
    moderatedBy: uuid("moderated_by").references(() => users.id),
    moderatedAt: ts("moderated_at"),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] }), index("knowledge_round_comments_round").on(t.tenantId, t.roundId)],
);
