import { and, asc, eq, inArray, sql } from "drizzle-orm";
import { appendAudit } from "../../platform/audit/audit.ts";
import type { Actor } from "../../platform/authz/policy.ts";
import { type Db, withTenant } from "../../platform/db/client.ts";
import { tenants } from "../../platform/db/schema.ts";
import { AppError } from "../../platform/http/errors.ts";
import type { Platform } from "../../platform/platform.ts";
import type { Land } from "../../platform/vocabulary.ts";
import type { OpeningHours } from "./hours.ts";
import { nationalDirectoryPolicy, type TenantRef } from "./policy.ts";
import { insertPartner, type PartnerRow, partnerById, updatePartner } from "./repository.ts";
import { allianceNationalEntries, alliancePartners, type PartnerKind } from "./schema.ts";
import type { NationalEntryInput } from "./schemas.ts";
import { checkId } from "./schemas.ts";

/*
 * The national directory of help services, per Land and across the country. The national level
 * keeps it on the national tenant; a municipality adds an entry to its alliance as a linked copy
 * that it may complete (where the card names it, a region) and that shows when the national entry
 * has changed since, with the fields that differ, to take over in one step.
 */

type Deps = Pick<Platform, "db" | "clock">;

export interface NationalEntry {
  id: string;
  land: Land;
  name: string;
  kind: PartnerKind;
  services: string;
  phone: string | null;
  email: string | null;
  web: string | null;
  languages: string[];
  accessibility: string;
  hours: OpeningHours;
  version: number;
  updatedAt: Date;
}

/** The fields a copy takes from its national entry; the rest (card, region) is the municipality's own. */
export const COPIED_FIELDS = ["name", "kind", "services", "phone", "email", "web", "languages", "accessibility", "hours"] as const;
type CopiedField = (typeof COPIED_FIELDS)[number];

const entryColumns = {
  id: allianceNationalEntries.id,
  land: allianceNationalEntries.land,
  name: allianceNationalEntries.name,
  kind: allianceNationalEntries.kind,
  services: allianceNationalEntries.services,
  phone: allianceNationalEntries.phone,
  email: allianceNationalEntries.email,
  web: allianceNationalEntries.web,
  languages: allianceNationalEntries.languages,
  accessibility: allianceNationalEntries.accessibility,
  hours: allianceNationalEntries.hours,
  version: allianceNationalEntries.version,
  updatedAt: allianceNationalEntries.updatedAt,
};

async function entries(tx: Db, lands?: Land[]): Promise<NationalEntry[]> {
  const rows = await tx
    .select(entryColumns)
    .from(allianceNationalEntries)
    .where(lands ? inArray(allianceNationalEntries.land, lands) : undefined)
    .orderBy(asc(allianceNationalEntries.land), asc(allianceNationalEntries.name));
  return rows as NationalEntry[];
}

async function entryById(tx: Db, id: string): Promise<NationalEntry | undefined> {
  const [row] = await tx.select(entryColumns).from(allianceNationalEntries).where(eq(allianceNationalEntries.id, id));
  return row as NationalEntry | undefined;
}

const copyOf = (e: NationalEntry) => Object.fromEntries(COPIED_FIELDS.map((f) => [f, e[f]])) as Pick<NationalEntry, CopiedField>;

/** A field the national level has changed since the copy was made (or last brought up to date). */
export interface NationalChange {
  field: CopiedField;
  before: unknown;
  after: unknown;
  /** The municipality had changed this field in its copy: taking over replaces its own value. */
  ownValue: unknown | undefined;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * What the national level changed: each copied field where the entry differs from the snapshot
 * taken when the copy was made. (A copy from before snapshots compares with its own fields.)
 */
export function changedFields(copy: PartnerRow, entry: NationalEntry): NationalChange[] {
  const base = copy.nationalSnapshot ?? (copy as unknown as Record<string, unknown>);
  return COPIED_FIELDS.filter((f) => !same(base[f], entry[f])).map((f) => ({
    field: f,
    before: base[f],
    after: entry[f],
    ownValue: copy.nationalSnapshot && !same(copy[f], base[f]) ? copy[f] : undefined,
  }));
}

export interface NationalDirectory {
  /** The Land whose entries are shown (with those across the country); null: all (the national level). */
  land: Land | null;
  entries: NationalEntry[];
  /** Entry id → the municipality's partner copied from it. */
  adopted: Map<string, string>;
  policies: Record<"read" | "edit" | "adopt", boolean>;
}

/** For the national level every entry; for a municipality those of its Land and across the country. */
export async function nationalDirectory(platform: Pick<Platform, "db">, actor: Actor, tenant: TenantRef): Promise<NationalDirectory> {
  nationalDirectoryPolicy.authorize(actor, "read", tenant);
  return withTenant(
    platform.db,
    tenant.id,
    async (tx) => {
      const land = tenant.kind === "national" ? null : await landOf(tx, tenant.id);
      const list = await entries(tx, land ? ["bund", land] : tenant.kind === "national" ? undefined : ["bund"]);
      const copies =
        tenant.kind === "national"
          ? []
          : await tx
              .select({ id: alliancePartners.id, entry: alliancePartners.nationalEntryId })
              .from(alliancePartners)
              .where(and(eq(alliancePartners.tenantId, tenant.id), sql`${alliancePartners.nationalEntryId} is not null`));
      return {
        land,
        entries: list,
        adopted: new Map(copies.map((c) => [c.entry as string, c.id])),
        policies: nationalDirectoryPolicy.serialize(actor, tenant),
      };
    },
    actor.userId,
  );
}

async function landOf(tx: Db, tenantId: string): Promise<Land | null> {
  const [row] = await tx.select({ land: tenants.land, ags: tenants.ags }).from(tenants).where(eq(tenants.id, tenantId));
  const land = row?.land ?? row?.ags?.slice(0, 2) ?? null;
  return land && /^(0[1-9]|1[0-6])$/.test(land) ? (land as Land) : null;
}

export async function nationalEntry(platform: Pick<Platform, "db">, actor: Actor, tenant: TenantRef, id: string): Promise<NationalEntry> {
  nationalDirectoryPolicy.authorize(actor, "edit", tenant);
  checkId(id);
  const entry = await withTenant(platform.db, tenant.id, (tx) => entryById(tx, id), actor.userId);
  if (!entry) throw new AppError("not_found");
  return entry;
}

/** Creates (id null) or changes an entry of the national directory; a change counts its version up. */
export async function saveNationalEntry(platform: Deps, actor: Actor, tenant: TenantRef, id: string | null, input: NationalEntryInput): Promise<string> {
  nationalDirectoryPolicy.authorize(actor, "edit", tenant);
  if (id) checkId(id);
  const now = platform.clock.now();
  return withTenant(
    platform.db,
    tenant.id,
    async (tx) => {
      let savedId = id;
      if (!savedId) {
        const [row] = await tx
          .insert(allianceNationalEntries)
          .values({ tenantId: tenant.id, ...input, createdAt: now, updatedAt: now })
          .returning({ id: allianceNationalEntries.id });
        savedId = row.id;
      } else {
        const changed = await tx
          .update(allianceNationalEntries)
          .set({ ...input, version: sql`${allianceNationalEntries.version} + 1`, updatedAt: now })
          .where(and(eq(allianceNationalEntries.tenantId, tenant.id), eq(allianceNationalEntries.id, savedId)))
          .returning({ id: allianceNationalEntries.id });
        if (changed.length === 0) throw new AppError("not_found");
      }
      await appendAudit(
        tx,
        {
          tenantId: tenant.id,
          actorId: actor.userId,
          action: id ? "alliance.national.updated" : "alliance.national.created",
          objectType: "alliance_national_entry",
          objectId: savedId,
          details: { land: input.land, kind: input.kind },
        },
        now,
      );
      return savedId;
    },
    actor.userId,
  );
}

export async function removeNationalEntry(platform: Deps, actor: Actor, tenant: TenantRef, id: string): Promise<void> {
  nationalDirectoryPolicy.authorize(actor, "edit", tenant);
  checkId(id);
  const now = platform.clock.now();
  await withTenant(
    platform.db,
    tenant.id,
    async (tx) => {
      const gone = await tx
        .delete(allianceNationalEntries)
        .where(and(eq(allianceNationalEntries.tenantId, tenant.id), eq(allianceNationalEntries.id, id)))
        .returning({ id: allianceNationalEntries.id });
      if (gone.length === 0) throw new AppError("not_found");
      await appendAudit(
        tx,
        { tenantId: tenant.id, actorId: actor.userId, action: "alliance.national.removed", objectType: "alliance_national_entry", objectId: id },
        now,
      );
    },
    actor.userId,
  );
}

/**
 * Adds a national entry to the municipality's alliance as a linked copy; an entry already added
 * is not added twice (the existing copy's id comes back). Returns the partner's id.
 */
export async function adoptNationalEntry(platform: Deps, actor: Actor, tenant: TenantRef, entryId: string): Promise<{ id: string; created: boolean }> {
  nationalDirectoryPolicy.authorize(actor, "adopt", tenant);
  checkId(entryId);
  const now = platform.clock.now();
  return withTenant(
    platform.db,
    tenant.id,
    async (tx) => {
      const land = await landOf(tx, tenant.id);
      const entry = await entryById(tx, entryId);
      // Only what the directory offers this municipality: its Land's services and those across the country.
      if (!entry || (entry.land !== "bund" && entry.land !== land)) throw new AppError("not_found");
      const [existing] = await tx
        .select({ id: alliancePartners.id })
        .from(alliancePartners)
        .where(and(eq(alliancePartners.tenantId, tenant.id), eq(alliancePartners.nationalEntryId, entryId)));
      if (existing) return { id: existing.id, created: false };
      const id = await insertPartner(
        tx,
        tenant.id,
        { ...copyOf(entry), region: "", cardSituations: [], nationalEntryId: entry.id, nationalVersion: entry.version, nationalSnapshot: copyOf(entry) },
        now,
      );
      await appendAudit(
        tx,
        {
          tenantId: tenant.id,
          actorId: actor.userId,
          action: "alliance.partner.adopted",
          objectType: "alliance_partner",
          objectId: id,
          details: { kind: entry.kind },
        },
        now,
      );
      return { id, created: true };
    },
    actor.userId,
  );
}

/** The copies in a municipality's alliance whose national entry has a newer version. */
export async function copiesBehind(tx: Db, tenantId: string): Promise<Set<string>> {
  const found = await tx
    .select({ id: alliancePartners.id })
    .from(alliancePartners)
    .innerJoin(allianceNationalEntries, eq(allianceNationalEntries.id, alliancePartners.nationalEntryId))
    .where(and(eq(alliancePartners.tenantId, tenantId), sql`${allianceNationalEntries.version} <> ${alliancePartners.nationalVersion}`));
  return new Set(found.map((f) => f.id));
}

/** The national entry behind a copy, and what differs, when the national level has changed it since. */
export async function nationalChanges(tx: Db, partner: PartnerRow): Promise<{ entry: NationalEntry; fields: NationalChange[] } | null> {
  if (!partner.nationalEntryId) return null;
  const entry = await entryById(tx, partner.nationalEntryId);
  if (!entry || entry.version === partner.nationalVersion) return null;
  const fields = changedFields(partner, entry);
  return fields.length > 0 ? { entry, fields } : null;
}

/** Takes the national entry's current fields into the copy (the municipality's own choices stay). */
export async function takeNationalChanges(platform: Deps, actor: Actor, tenant: TenantRef, partnerId: string): Promise<void> {
  nationalDirectoryPolicy.authorize(actor, "adopt", tenant);
  checkId(partnerId);
  const now = platform.clock.now();
  await withTenant(
    platform.db,
    tenant.id,
    async (tx) => {
      const partner = await partnerById(tx, tenant.id, partnerId);
      const changes = partner && (await nationalChanges(tx, partner));
      if (!partner || !changes) throw new AppError("not_found");
      // Only what the national level changed; the municipality's other edits stay.
      const taken = Object.fromEntries(changes.fields.map((c) => [c.field, c.after]));
      await updatePartner(tx, tenant.id, partnerId, { ...taken, nationalVersion: changes.entry.version, nationalSnapshot: copyOf(changes.entry) }, now);
      await appendAudit(
        tx,
        { tenantId: tenant.id, actorId: actor.userId, action: "alliance.partner.synced", objectType: "alliance_partner", objectId: partnerId },
        now,
      );
    },
    actor.userId,
  );
}
