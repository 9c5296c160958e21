import { appendAudit } from "../../platform/audit/audit.ts";
import { type Actor, NotFoundError } from "../../platform/authz/policy.ts";
import { inTransaction, withTenant } from "../../platform/db/client.ts";
import { AppError } from "../../platform/http/errors.ts";
import type { Platform } from "../../platform/platform.ts";
import { SLUG_PATTERN } from "../../platform/validation.ts";
import { type Agreement, agreementsOf, removeAgreementFiles } from "./agreements.ts";
import type { Person } from "./circles.ts";
import { isOpenAt, type OpeningHours } from "./hours.ts";
import { copiesBehind, type NationalChange, nationalChanges } from "./national.ts";
import { accountsOf, unlinkedPartnerAccounts } from "./partner-accounts.ts";
import { cardPolicy, directoryPolicy, partnerEntryPolicy, type TenantRef } from "./policy.ts";
import {
  cardVisibilityOf,
  contactsOf,
  deleteContact,
  deletePartner,
  insertContact,
  insertPartner,
  listPartners,
  municipalityBySlug,
  type PartnerRow,
  partnerById,
  setCardVisibility,
  updatePartner,
} from "./repository.ts";
import type { CardSituation, CardVisibility } from "./schema.ts";
import { type ContactFormInput, checkId, type PartnerFormInput } from "./schemas.ts";

/*
 * The use cases of the alliance: keep the directory of partners and their contact persons, decide
 * who sees the emergency card, and compose the card. Changes are audited (who changed which entry,
 * never the personal data itself); contact persons' names, phones and addresses are sealed.
 */

type Deps = Pick<Platform, "db" | "keyring" | "clock">;

const CONTACT = { name: "alliance_contacts.name", phone: "alliance_contacts.phone", email: "alliance_contacts.email" } as const;

export interface Directory {
  partners: PartnerRow[];
  /** Copies from the national directory whose national entry has changed since. */
  nationalUpdates: Set<string>;
  cardVisibility: CardVisibility;
  policies: Record<"read" | "edit", boolean>;
}

/** Refuses (as not found) anyone who may not change the directory: before a form is even read. */
export function authorizeEdit(actor: Actor, tenant: TenantRef): void {
  directoryPolicy.authorize(actor, "edit", tenant);
}

export async function directory(platform: Pick<Platform, "db">, actor: Actor, tenant: TenantRef): Promise<Directory> {
  directoryPolicy.authorize(actor, "read", tenant);
  return withTenant(
    platform.db,
    tenant.id,
    async (tx) => ({
      partners: await listPartners(tx, tenant.id),
      nationalUpdates: await copiesBehind(tx, tenant.id),
      cardVisibility: await cardVisibilityOf(tx, tenant.id),
      policies: directoryPolicy.serialize(actor, tenant),
    }),
    actor.userId,
  );
}

export interface Contact {
  id: string;
  function: string;
  name: string;
  phone: string | null;
  email: string | null;
}

export interface PartnerDetail extends PartnerRow {
  contacts: Contact[];
  /** For a copy from the national directory that has changed there since: the fields that differ. */
  nationalUpdate: { fields: NationalChange[] } | null;
  /** The people who act for the organisation (for the directory's readers). */
  accounts: Person[];
  /** Partner accounts not yet linked to any organisation (for its admins). */
  linkable: Person[];
  /** Cooperation agreements (for the directory's readers). */
  agreements: Agreement[];
  policies: Record<"read" | "edit", boolean>;
}

/**
 * One partner with its contact persons (opened for the reader): for the directory's readers, and
 * for the people who act for that organisation. Its admins also get the accounts to link.
 */
export async function partnerDetail(platform: Deps, actor: Actor, tenant: TenantRef, id: string): Promise<PartnerDetail> {
  checkId(id);
  return withTenant(
    platform.db,
    tenant.id,
    async (tx) => {
      const partner = await partnerById(tx, tenant.id, id);
      const accounts = partner ? await accountsOf(tx, tenant.id, id) : [];
      partnerEntryPolicy.authorize(actor, "read", { tenantId: tenant.id, tenantKind: tenant.kind, accountIds: accounts.map((a) => a.id) });
      if (!partner) throw new AppError("not_found");
      const open = (value: string | null, context: string) => (value ? platform.keyring.openText(tx, tenant.id, value, context) : Promise.resolve(null));
      const contacts = await Promise.all(
        (await contactsOf(tx, tenant.id, id)).map(async (c) => ({
          id: c.id,
          function: c.function,
          name: (await open(c.name, CONTACT.name)) ?? "",
          phone: await open(c.phone, CONTACT.phone),
          email: await open(c.email, CONTACT.email),
        })),
      );
      const changes = await nationalChanges(tx, partner);
      const policies = directoryPolicy.serialize(actor, tenant);
      return {
        ...partner,
        contacts,
        nationalUpdate: changes && { fields: changes.fields },
        accounts: policies.read ? accounts : [],
        agreements: policies.read ? await agreementsOf(tx, platform, tenant.id, id) : [],
        linkable: policies.edit ? await unlinkedPartnerAccounts(tx, tenant.id) : [],
        policies,
      };
    },
    actor.userId,
  );
}

/** Creates a partner (id null) or changes one; returns its id. */
export async function savePartner(
  platform: Deps,
  actor: Actor,
  tenant: TenantRef,
  id: string | null,
  input: PartnerFormInput & { hours: OpeningHours },
): Promise<string> {
  directoryPolicy.authorize(actor, "edit", tenant);
  if (id) checkId(id);
  const now = platform.clock.now();
  return withTenant(
    platform.db,
    tenant.id,
    async (tx) => {
      const savedId = id ?? (await insertPartner(tx, tenant.id, input, now));
      if (id && !(await updatePartner(tx, tenant.id, id, input, now))) throw new AppError("not_found");
      await appendAudit(
        tx,
        {
          tenantId: tenant.id,
          actorId: actor.userId,
          action: id ? "alliance.partner.updated" : "alliance.partner.created",
          objectType: "alliance_partner",
          objectId: savedId,
          details: { kind: input.kind },
        },
        now,
      );
      return savedId;
    },
    actor.userId,
  );
}

/** Saves every partner of an import, or none. */
export async function importPartners(
  platform: Deps,
  actor: Actor,
  tenant: TenantRef,
  partners: Array<PartnerFormInput & { hours: OpeningHours }>,
): Promise<number> {
  directoryPolicy.authorize(actor, "edit", tenant);
  const now = platform.clock.now();
  return withTenant(
    platform.db,
    tenant.id,
    async (tx) => {
      for (const p of partners) await insertPartner(tx, tenant.id, p, now);
      await appendAudit(
        tx,
        {
          tenantId: tenant.id,
          actorId: actor.userId,
          action: "alliance.partner.imported",
          objectType: "alliance_partner",
          details: { count: partners.length },
        },
        now,
      );
      return partners.length;
    },
    actor.userId,
  );
}

/** The directory's partners as stored, for the export. */
export async function partnersForExport(platform: Pick<Platform, "db">, actor: Actor, tenant: TenantRef): Promise<PartnerRow[]> {
  directoryPolicy.authorize(actor, "read", tenant);
  return withTenant(platform.db, tenant.id, (tx) => listPartners(tx, tenant.id), actor.userId);
}

export async function removePartner(platform: Deps, actor: Actor, tenant: TenantRef, id: string): Promise<void> {
  directoryPolicy.authorize(actor, "edit", tenant);
  checkId(id);
  const now = platform.clock.now();
  await withTenant(
    platform.db,
    tenant.id,
    async (tx) => {
      await removeAgreementFiles(tx, tenant.id, id);
      if (!(await deletePartner(tx, tenant.id, id))) throw new AppError("not_found");
      await appendAudit(
        tx,
        { tenantId: tenant.id, actorId: actor.userId, action: "alliance.partner.removed", objectType: "alliance_partner", objectId: id },
        now,
      );
    },
    actor.userId,
  );
}

export async function addContact(platform: Deps, actor: Actor, tenant: TenantRef, partnerId: string, input: ContactFormInput): Promise<void> {
  directoryPolicy.authorize(actor, "edit", tenant);
  checkId(partnerId);
  const now = platform.clock.now();
  await withTenant(
    platform.db,
    tenant.id,
    async (tx) => {
      if (!(await partnerById(tx, tenant.id, partnerId))) throw new AppError("not_found");
      const seal = await platform.keyring.sealer(tx, tenant.id);
      const id = await insertContact(
        tx,
        tenant.id,
        {
          partnerId,
          function: input.function,
          name: seal(input.name, CONTACT.name),
          phone: input.phone ? seal(input.phone, CONTACT.phone) : null,
          email: input.email ? seal(input.email, CONTACT.email) : null,
        },
        now,
      );
      await appendAudit(
        tx,
        {
          tenantId: tenant.id,
          actorId: actor.userId,
          action: "alliance.contact.added",
          objectType: "alliance_partner",
          objectId: partnerId,
          details: { contact: id },
        },
        now,
      );
    },
    actor.userId,
  );
}

export async function removeContact(platform: Deps, actor: Actor, tenant: TenantRef, partnerId: string, contactId: string): Promise<void> {
  directoryPolicy.authorize(actor, "edit", tenant);
  checkId(partnerId);
  checkId(contactId);
  const now = platform.clock.now();
  await withTenant(
    platform.db,
    tenant.id,
    async (tx) => {
      if (!(await deleteContact(tx, tenant.id, partnerId, contactId))) throw new AppError("not_found");
      await appendAudit(
        tx,
        {
          tenantId: tenant.id,
          actorId: actor.userId,
          action: "alliance.contact.removed",
          objectType: "alliance_partner",
          objectId: partnerId,
          details: { contact: contactId },
        },
        now,
      );
    },
    actor.userId,
  );
}

export async function changeCardVisibility(platform: Deps, actor: Actor, tenant: TenantRef, visibility: CardVisibility): Promise<void> {
  directoryPolicy.authorize(actor, "edit", tenant);
  const now = platform.clock.now();
  await withTenant(
    platform.db,
    tenant.id,
    async (tx) => {
      await setCardVisibility(tx, tenant.id, visibility, now);
      await appendAudit(
        tx,
        { tenantId: tenant.id, actorId: actor.userId, action: "alliance.card.visibility", objectType: "tenant", objectId: tenant.id, details: { visibility } },
        now,
      );
    },
    actor.userId,
  );
}

export interface CardContact {
  /** The partner's id: two partners may share a name (two offices of one association). */
  id: string;
  name: string;
  kind: PartnerRow["kind"];
  services: string;
  phone: string | null;
  email: string | null;
  web: string | null;
  languages: string[];
  hours: OpeningHours;
  openNow: boolean;
}

export interface EmergencyCard {
  tenant: { id: string; slug: string; name: string };
  visibility: CardVisibility;
  situations: Record<CardSituation, CardContact[]>;
  at: Date;
}

/**
 * A municipality's emergency card, composed from its directory: for everyone when published,
 * otherwise only for the people of the alliance (a card nobody may see answers like a missing one).
 */
export async function emergencyCard(platform: Pick<Platform, "db" | "clock">, actor: Actor | null, slug: string): Promise<EmergencyCard> {
  const tenant = await municipality(platform, slug);
  const at = platform.clock.now();
  return withTenant(platform.db, tenant.id, async (tx) => {
    const visibility = await cardVisibilityOf(tx, tenant.id);
    cardPolicy.authorize(actor, "view", { tenantId: tenant.id, tenantKind: tenant.kind, visibility });
    const partners = await listPartners(tx, tenant.id);
    const situations = { threat: [], online: [], support: [] } as Record<CardSituation, CardContact[]>;
    for (const p of partners) {
      for (const s of p.cardSituations) {
        situations[s].push({
          id: p.id,
          name: p.name,
          kind: p.kind,
          services: p.services,
          phone: p.phone,
          email: p.email,
          web: p.web,
          languages: p.languages,
          hours: p.hours,
          openNow: isOpenAt(p.hours, at),
        });
      }
    }
    // Whoever can help right now comes first; the rest keep the directory's order.
    for (const list of Object.values(situations)) list.sort((a, b) => Number(b.openNow) - Number(a.openNow));
    return { tenant: { id: tenant.id, slug: tenant.slug, name: tenant.name }, visibility, situations, at };
  });
}

/** A municipality by its short name (404 for anything else); whether the caller may see anything of it is for the rules. */
export async function municipality(platform: Pick<Platform, "db">, slug: string): Promise<TenantRef & { slug: string; name: string }> {
  if (!SLUG_PATTERN.test(slug)) throw new AppError("not_found");
  const tenant = await inTransaction(platform.db, {}, (tx) => municipalityBySlug(tx, slug));
  if (!tenant) throw new AppError("not_found");
  return tenant;
}

/** Whether anyone may open the municipality's emergency card (for links to it on public pages). */
export async function cardIsPublic(platform: Pick<Platform, "db">, tenantId: string): Promise<boolean> {
  return (await withTenant(platform.db, tenantId, (tx) => cardVisibilityOf(tx, tenantId))) === "public";
}

/** The card as the public sees it, or null where it is for staff only (or the municipality has none). */
export async function publicEmergencyCard(platform: Pick<Platform, "db" | "clock">, slug: string): Promise<EmergencyCard | null> {
  try {
    return await emergencyCard(platform, null, slug);
  } catch (err) {
    if (err instanceof NotFoundError || (err instanceof AppError && err.code === "not_found")) return null;
    throw err;
  }
}
