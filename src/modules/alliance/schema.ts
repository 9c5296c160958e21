import { boolean, date, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { tenants } from "../../platform/db/schema.ts";
import { CLEARING_STAGES, INCIDENT_FORMS, LAND_CODES } from "../../platform/vocabulary.ts";
import type { OpeningHours } from "./hours.ts";

/*
 * The local alliance: the partners of a municipality (organisations, their services, how to reach
 * them and when), their contact persons (personal data: sealed), and the municipality's settings
 * for its emergency card. Tenant-scoped, with row-level security (drizzle/0015_alliance.sql).
 * An organisation's own phone, address and web site are public facts about it and stay readable.
 */

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: "date" });
const tenantId = () =>
  uuid("tenant_id")
    .notNull()
    .references(() => tenants.id);

export const PARTNER_KINDS = [
  "administration",
  "victim_support",
  "mobile_counselling",
  "antidiscrimination",
  "police",
  "prosecution",
  "civil_society",
  "migrant_organisation",
  "media",
  "business",
  "accident_insurer",
  "helpline",
] as const;
export type PartnerKind = (typeof PARTNER_KINDS)[number];

/** Where a partner appears on the emergency card: after a threat, against online hate, for counselling and support. */
export const CARD_SITUATIONS = ["threat", "online", "support"] as const;
export type CardSituation = (typeof CARD_SITUATIONS)[number];

/** What a municipality's partner and an entry of the national directory both say of an organisation. */
const organisationColumns = () => ({
  name: text("name").notNull(),
  kind: text("kind", { enum: PARTNER_KINDS }).notNull(),
  /** What they offer, in a few lines. */
  services: text("services").notNull().default(""),
  /** E.164 (+4961511234567), as libphonenumber-js normalised it. */
  phone: text("phone"),
  email: text("email"),
  web: text("web"),
  /** ISO 639-1 codes of the languages they speak. */
  languages: jsonb("languages").$type<string[]>().notNull().default([]),
  accessibility: text("accessibility").notNull().default(""),
  hours: jsonb("hours").$type<OpeningHours>().notNull(),
});

export const alliancePartners = pgTable(
  "alliance_partners",
  {
    tenantId: tenantId(),
    id: uuid("id").notNull().defaultRandom(),
    ...organisationColumns(),
    region: text("region").notNull().default(""),
    /** Where the card lists them; none: not on the card. */
    cardSituations: jsonb("card_situations").$type<CardSituation[]>().notNull().default([]),
    /** The national directory's entry this one was copied from, if any, and the version copied. */
    nationalEntryId: uuid("national_entry_id"),
    nationalVersion: integer("national_version"),
    /** The national entry's fields as copied (or last taken over): what the national level has changed since. */
    nationalSnapshot: jsonb("national_snapshot").$type<Record<string, unknown>>(),
    createdAt: ts("created_at").notNull(),
    updatedAt: ts("updated_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] })],
);

/**
 * The national directory: help services per Land (or across the country), kept by the national
 * level on the national tenant. Public facts about organisations, readable from every tenant's
 * transaction (a policy for reading beside the tenant's own, drizzle/0017); written only there.
 * A municipality adds one to its alliance as a linked copy (alliance_partners.national_entry_id).
 */
export const allianceNationalEntries = pgTable(
  "alliance_national_entries",
  {
    tenantId: tenantId(),
    id: uuid("id").notNull().defaultRandom(),
    land: text("land", { enum: LAND_CODES as [string, ...string[]] }).notNull(),
    ...organisationColumns(),
    /** Counts up with every change, so a copy knows it is behind. */
    version: integer("version").notNull().default(1),
    createdAt: ts("created_at").notNull(),
    updatedAt: ts("updated_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] }), uniqueIndex("alliance_national_entries_id").on(t.id)],
);

/** A contact person at a partner: name, phone and e-mail are personal data, sealed with the municipality's key. */
export const allianceContacts = pgTable(
  "alliance_contacts",
  {
    tenantId: tenantId(),
    id: uuid("id").notNull().defaultRandom(),
    partnerId: uuid("partner_id").notNull(),
    /** Their function ("Beraterin", "Kontaktbeamter Staatsschutz"): not personal on its own. */
    function: text("function").notNull().default(""),
    name: text("name").notNull(),
    phone: text("phone"),
    email: text("email"),
    createdAt: ts("created_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] })],
);

export const CARD_VISIBILITIES = ["public", "staff"] as const;
export type CardVisibility = (typeof CARD_VISIBILITIES)[number];

/** The municipality's settings for its alliance: who may see the emergency card. */
export const allianceSettings = pgTable("alliance_settings", {
  tenantId: tenantId().primaryKey(),
  cardVisibility: text("card_visibility", { enum: CARD_VISIBILITIES }).notNull().default("public"),
  updatedAt: ts("updated_at").notNull(),
});

export const RACI = ["responsible", "consulted", "informed"] as const;
export type Raci = (typeof RACI)[number];
export const ASSIGNEE_KINDS = ["role", "partner", "person"] as const;

/**
 * Who is responsible, consulted or informed at a stage of the clearing procedure, for an incident
 * form and a risk level (either may be left open: "any"). The assignee is a role of the
 * municipality, a partner of the alliance or a person who works there.
 */
export const allianceResponsibilities = pgTable(
  "alliance_responsibilities",
  {
    tenantId: tenantId(),
    id: uuid("id").notNull().defaultRandom(),
    stage: text("stage", { enum: CLEARING_STAGES }).notNull(),
    /** An incident form, or null for every form. */
    form: text("form", { enum: INCIDENT_FORMS }),
    /** A risk level 0–3, or null for every level. */
    level: integer("level"),
    raci: text("raci", { enum: RACI }).notNull(),
    assigneeKind: text("assignee_kind", { enum: ASSIGNEE_KINDS }).notNull(),
    assigneeRole: text("assignee_role"),
    partnerId: uuid("partner_id"),
    userId: uuid("user_id"),
    createdAt: ts("created_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] })],
);

/** The people who act for a partner organisation (role alliance_partner): they see its entry and the workspace. */
export const alliancePartnerAccounts = pgTable(
  "alliance_partner_accounts",
  {
    tenantId: tenantId(),
    userId: uuid("user_id").notNull(),
    partnerId: uuid("partner_id").notNull(),
    createdAt: ts("created_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.userId] })],
);

/**
 * The circles of the alliance's workspace: the alliance as a whole, and the confidential strategy
 * group inside it. Each has its own members, from the administration and the partners; only
 * members see a circle.
 */
export const CIRCLES = ["alliance", "strategy"] as const;
export type Circle = (typeof CIRCLES)[number];

export const allianceCircleMembers = pgTable(
  "alliance_circle_members",
  {
    tenantId: tenantId(),
    circle: text("circle", { enum: CIRCLES }).notNull(),
    userId: uuid("user_id").notNull(),
    addedAt: ts("added_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.circle, t.userId] })],
);

/** A meeting of a circle. Agenda and minutes may name people and incidents: sealed. */
export const allianceMeetings = pgTable(
  "alliance_meetings",
  {
    tenantId: tenantId(),
    id: uuid("id").notNull().defaultRandom(),
    circle: text("circle", { enum: CIRCLES }).notNull(),
    title: text("title").notNull(),
    startsAt: ts("starts_at").notNull(),
    endsAt: ts("ends_at").notNull(),
    place: text("place").notNull().default(""),
    link: text("link"),
    agenda: text("agenda"),
    minutes: text("minutes"),
    /** Counts up with each change of time or place, for calendar updates (ICS SEQUENCE). */
    sequence: integer("sequence").notNull().default(0),
    /** Set when the meeting was called off; it stays on record, and calendars remove it. */
    cancelledAt: ts("cancelled_at"),
    createdBy: uuid("created_by").notNull(),
    createdAt: ts("created_at").notNull(),
    updatedAt: ts("updated_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] })],
);

export const ATTENDANCE = ["present", "excused", "absent"] as const;
export type Attendance = (typeof ATTENDANCE)[number];

export const allianceAttendance = pgTable(
  "alliance_attendance",
  {
    tenantId: tenantId(),
    meetingId: uuid("meeting_id").notNull(),
    userId: uuid("user_id").notNull(),
    status: text("status", { enum: ATTENDANCE }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.meetingId, t.userId] })],
);

/** A decision taken in a meeting: what (sealed), who sees to it, by when, and whether it is done. */
export const allianceDecisions = pgTable(
  "alliance_decisions",
  {
    tenantId: tenantId(),
    id: uuid("id").notNull().defaultRandom(),
    meetingId: uuid("meeting_id").notNull(),
    text: text("text").notNull(),
    ownerId: uuid("owner_id"),
    due: date("due", { mode: "string" }),
    done: boolean("done").notNull().default(false),
    createdAt: ts("created_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] })],
);

/**
 * A cooperation agreement with a partner: what, valid from and until (open-ended without an end),
 * its signed document in the tenant's file store, and when the municipal admins were reminded
 * of its end (eight weeks before).
 */
export const allianceAgreements = pgTable(
  "alliance_agreements",
  {
    tenantId: tenantId(),
    id: uuid("id").notNull().defaultRandom(),
    partnerId: uuid("partner_id").notNull(),
    title: text("title").notNull(),
    validFrom: date("valid_from", { mode: "string" }).notNull(),
    validUntil: date("valid_until", { mode: "string" }),
    fileId: uuid("file_id"),
    remindedAt: ts("reminded_at"),
    createdAt: ts("created_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] })],
);

/** A document shared in a circle of the workspace (members only); its bytes in the tenant's file store. */
export const allianceDocuments = pgTable(
  "alliance_documents",
  {
    tenantId: tenantId(),
    id: uuid("id").notNull().defaultRandom(),
    circle: text("circle", { enum: CIRCLES }).notNull(),
    title: text("title").notNull(),
    fileId: uuid("file_id").notNull(),
    createdBy: uuid("created_by").notNull(),
    createdAt: ts("created_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] })],
);
