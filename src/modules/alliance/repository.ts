import { and, asc, eq } from "drizzle-orm";
import type { Db } from "../../platform/db/client.ts";
import { tenants } from "../../platform/db/schema.ts";
import type { OpeningHours } from "./hours.ts";
import { allianceContacts, alliancePartners, allianceSettings, type CardSituation, type CardVisibility, type PartnerKind } from "./schema.ts";

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
  updatedAt: Date;
}

export type PartnerInput = Omit<PartnerRow, "id" | "updatedAt">;

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

export async function insertPartner(tx: Db, tenantId: string, input: PartnerInput, at: Date): Promise<string> {
  const [row] = await tx
    .insert(alliancePartners)
    .values({ tenantId, ...input, createdAt: at, updatedAt: at })
    .returning({ id: alliancePartners.id });
  return row.id;
}

export async function updatePartner(tx: Db, tenantId: string, id: string, input: PartnerInput, at: Date): Promise<boolean> {
  const changed = await tx
    .update(alliancePartners)
    .set({ ...input, updatedAt: at })
    .where(and(eq(alliancePartners.tenantId, tenantId), eq(alliancePartners.id, id)))
    .returning({ id: alliancePartners.id });
  return changed.length > 0;
}

/** Removes a partner with its contact persons. */
export async function deletePartner(tx: Db, tenantId: string, id: string): Promise<boolean> {
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
