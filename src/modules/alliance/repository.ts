import { and, asc, eq, sql } from "drizzle-orm";
import { type Db, rows } from "../../platform/db/client.ts";
import { memberships, tenants, users } from "../../platform/db/schema.ts";
import { CLEARING_STAGES, type ClearingStage, type IncidentForm } from "../../platform/vocabulary.ts";
import type { OpeningHours } from "./hours.ts";
import {
  allianceContacts,
  alliancePartners,
  allianceResponsibilities,
  allianceSettings,
  type CardSituation,
  type CardVisibility,
  type PartnerKind,
  RACI,
  type Raci,
} from "./schema.ts";

/*
 * The SQL of the alliance module. Every function takes the transaction of one tenant (row-level
 * security holds it there) and names the tenant in its conditions as well.
 */

export interface PartnerRow {
  id: string;
  name: string;
  kind: PartnerKind;
  services: string;
  phone: string | null;
  email: string | null;
  web: string | null;
  region: string;
  languages: string[];
  accessibility: string;
  hours: OpeningHours;
  cardSituations: CardSituation[];
  /** The national directory's entry it was copied from, and the version copied. */
  nationalEntryId: string | null;
  nationalVersion: number | null;
  /** The national entry's fields when copied or last taken over. */
  nationalSnapshot: Record<string, unknown> | null;
  updatedAt: Date;
}

export type PartnerInput = Omit<PartnerRow, "id" | "updatedAt" | "nationalEntryId" | "nationalVersion" | "nationalSnapshot">;

const partnerColumns = {
  id: alliancePartners.id,
  name: alliancePartners.name,
  kind: alliancePartners.kind,
  services: alliancePartners.services,
  phone: alliancePartners.phone,
  email: alliancePartners.email,
  web: alliancePartners.web,
  region: alliancePartners.region,
  languages: alliancePartners.languages,
  accessibility: alliancePartners.accessibility,
  hours: alliancePartners.hours,
  cardSituations: alliancePartners.cardSituations,
  nationalEntryId: alliancePartners.nationalEntryId,
  nationalVersion: alliancePartners.nationalVersion,
  nationalSnapshot: alliancePartners.nationalSnapshot,
  updatedAt: alliancePartners.updatedAt,
};

export async function listPartners(tx: Db, tenantId: string): Promise<PartnerRow[]> {
  return tx.select(partnerColumns).from(alliancePartners).where(eq(alliancePartners.tenantId, tenantId)).orderBy(asc(alliancePartners.name));
}

export async function partnerById(tx: Db, tenantId: string, id: string): Promise<PartnerRow | undefined> {
  const [row] = await tx
    .select(partnerColumns)
    .from(alliancePartners)
    .where(and(eq(alliancePartners.tenantId, tenantId), eq(alliancePartners.id, id)));
  return row;
}

export async function insertPartner(
  tx: Db,
  tenantId: string,
  input: PartnerInput & { nationalEntryId?: string; nationalVersion?: number; nationalSnapshot?: Record<string, unknown> },
  at: Date,
): Promise<string> {
  const [row] = await tx
    .insert(alliancePartners)
    .values({ tenantId, ...input, createdAt: at, updatedAt: at })
    .returning({ id: alliancePartners.id });
  return row.id;
}

export async function updatePartner(
  tx: Db,
  tenantId: string,
  id: string,
  input: Partial<PartnerInput> & { nationalVersion?: number; nationalSnapshot?: Record<string, unknown> },
  at: Date,
): Promise<boolean> {
  const changed = await tx
    .update(alliancePartners)
    .set({ ...input, updatedAt: at })
    .where(and(eq(alliancePartners.tenantId, tenantId), eq(alliancePartners.id, id)))
    .returning({ id: alliancePartners.id });
  return changed.length > 0;
}

/** Removes a partner with its contact persons and the responsibilities that name it. */
export async function deletePartner(tx: Db, tenantId: string, id: string): Promise<boolean> {
  await tx.delete(allianceResponsibilities).where(and(eq(allianceResponsibilities.tenantId, tenantId), eq(allianceResponsibilities.partnerId, id)));
  await tx.delete(allianceContacts).where(and(eq(allianceContacts.tenantId, tenantId), eq(allianceContacts.partnerId, id)));
  const gone = await tx
    .delete(alliancePartners)
    .where(and(eq(alliancePartners.tenantId, tenantId), eq(alliancePartners.id, id)))
    .returning({ id: alliancePartners.id });
  return gone.length > 0;
}

export interface SealedContact {
  id: string;
  partnerId: string;
  function: string;
  name: string;
  phone: string | null;
  email: string | null;
}

export async function contactsOf(tx: Db, tenantId: string, partnerId: string): Promise<SealedContact[]> {
  return tx
    .select({
      id: allianceContacts.id,
      partnerId: allianceContacts.partnerId,
      function: allianceContacts.function,
      name: allianceContacts.name,
      phone: allianceContacts.phone,
      email: allianceContacts.email,
    })
    .from(allianceContacts)
    .where(and(eq(allianceContacts.tenantId, tenantId), eq(allianceContacts.partnerId, partnerId)))
    .orderBy(asc(allianceContacts.createdAt));
}

export async function insertContact(tx: Db, tenantId: string, contact: Omit<SealedContact, "id">, at: Date): Promise<string> {
  const [row] = await tx
    .insert(allianceContacts)
    .values({ tenantId, ...contact, createdAt: at })
    .returning({ id: allianceContacts.id });
  return row.id;
}

export async function deleteContact(tx: Db, tenantId: string, partnerId: string, id: string): Promise<boolean> {
  const gone = await tx
    .delete(allianceContacts)
    .where(and(eq(allianceContacts.tenantId, tenantId), eq(allianceContacts.partnerId, partnerId), eq(allianceContacts.id, id)))
    .returning({ id: allianceContacts.id });
  return gone.length > 0;
}

export async function cardVisibilityOf(tx: Db, tenantId: string): Promise<CardVisibility> {
  const [row] = await tx.select({ v: allianceSettings.cardVisibility }).from(allianceSettings).where(eq(allianceSettings.tenantId, tenantId));
  return row?.v ?? "public";
}

export async function setCardVisibility(tx: Db, tenantId: string, visibility: CardVisibility, at: Date): Promise<void> {
  await tx
    .insert(allianceSettings)
    .values({ tenantId, cardVisibility: visibility, updatedAt: at })
    .onConflictDoUpdate({ target: allianceSettings.tenantId, set: { cardVisibility: visibility, updatedAt: at } });
}

/** A municipality by its short name (not the national level), for its public card. */
export async function municipalityBySlug(tx: Db, slug: string): Promise<{ id: string; slug: string; name: string; kind: "model" | "platform" } | undefined> {
  const [row] = await tx.select({ id: tenants.id, slug: tenants.slug, name: tenants.name, kind: tenants.kind }).from(tenants).where(eq(tenants.slug, slug));
  return row && row.kind !== "national" ? { ...row, kind: row.kind } : undefined;
}

export interface ResponsibilityRow {
  id: string;
  stage: ClearingStage;
  form: IncidentForm | null;
  level: number | null;
  raci: Raci;
  assigneeKind: "role" | "partner" | "person";
  assigneeRole: string | null;
  partnerId: string | null;
  partnerName: string | null;
  userId: string | null;
  userName: string | null;
}

/** The matrix of a municipality, by stage; with the names of the partners and people it names. */
export async function listResponsibilities(tx: Db, tenantId: string): Promise<ResponsibilityRow[]> {
  return rows<ResponsibilityRow>(
    tx,
    sql`select r.id, r.stage, r.form, r.level, r.raci, r.assignee_kind as "assigneeKind", r.assignee_role as "assigneeRole",
               r.partner_id as "partnerId", p.name as "partnerName", r.user_id as "userId", u.display_name as "userName"
          from ${allianceResponsibilities} r
          left join ${alliancePartners} p on p.tenant_id = r.tenant_id and p.id = r.partner_id
          left join ${users} u on u.id = r.user_id
         where r.tenant_id = ${tenantId}
         order by array_position(string_to_array(${CLEARING_STAGES.join(",")}, ','), r.stage),
                  array_position(string_to_array(${RACI.join(",")}, ','), r.raci), r.form nulls first, r.level nulls first, r.created_at`,
  );
}

export async function insertResponsibility(tx: Db, tenantId: string, r: Omit<ResponsibilityRow, "id" | "partnerName" | "userName">, at: Date): Promise<string> {
  const [row] = await tx
    .insert(allianceResponsibilities)
    .values({ tenantId, ...r, createdAt: at })
    .returning({ id: allianceResponsibilities.id });
  return row.id;
}

export async function deleteResponsibility(tx: Db, tenantId: string, id: string): Promise<boolean> {
  const gone = await tx
    .delete(allianceResponsibilities)
    .where(and(eq(allianceResponsibilities.tenantId, tenantId), eq(allianceResponsibilities.id, id)))
    .returning({ id: allianceResponsibilities.id });
  return gone.length > 0;
}

/** The people who work in the municipality (active accounts), for naming one in the matrix. */
export async function activeMembers(tx: Db, tenantId: string): Promise<{ id: string; name: string }[]> {
  return rows<{ id: string; name: string }>(
    tx,
    sql`select distinct u.id, u.display_name as name from ${memberships} m join ${users} u on u.id = m.user_id
         where m.tenant_id = ${tenantId} and u.status = 'active' and m.role in ('municipal_admin', 'clearing_officer', 'leader', 'staff')
         order by name`,
  );
}
