import { and, asc, eq, ilike, or, sql } from "drizzle-orm";
import { appendAudit } from "../../platform/audit/audit.ts";
import { type Actor, isNationalAdmin, type Role } from "../../platform/authz/policy.ts";
import { type Db, inTransaction, withTenant } from "../../platform/db/client.ts";
import { memberships, tenants, users } from "../../platform/db/schema.ts";
import { AppError } from "../../platform/http/errors.ts";
import type { Translate } from "../../platform/i18n/i18n.ts";
import { notify, peopleWithRoles } from "../../platform/notifications/notifications.ts";
import type { Platform } from "../../platform/platform.ts";
import { SLUG_PATTERN } from "../../platform/validation.ts";
import { peoplePolicy, rolesFor, settingsPolicy, siteTextsPolicy, type TenantRef, tenantPolicy } from "./policy.ts";
import { askForRoles, splitRoles, tellNationalAdmins } from "./role-confirmations.ts";
import type { SettingsInput, SiteTextsInput, TenantInput } from "./schemas.ts";

export type TenantRow = typeof tenants.$inferSelect;

/** Tenants in German alphabetical order (ICU collation: Ä sorts with A). */
export async function listTenants(platform: Platform, actor: Actor, query = ""): Promise<TenantRow[]> {
  tenantPolicy.authorize(actor, "list", null);
  const q = query.trim();
  return inTransaction(platform.db, { userId: actor.userId }, (tx) =>
    tx
      .select()
      .from(tenants)
      .where(q ? or(ilike(tenants.name, `%${q.replace(/[%_\\]/g, "\\$&")}%`), eq(tenants.ags, q), eq(tenants.slug, q.toLowerCase())) : undefined)
      .orderBy(sql`${tenants.kind} = 'national' desc`, asc(sql`${tenants.name} collate german`)),
  );
}

/** A tenant by slug that the actor may read; otherwise NotFound. */
export async function findTenant(platform: Platform, actor: Actor | null, slug: string): Promise<TenantRow> {
  // Anything not shaped like a short name names no municipality (and never reaches the database).
  if (!SLUG_PATTERN.test(slug)) throw new AppError("not_found");
  const [tenant] = await inTransaction(platform.db, {}, (tx) => tx.select().from(tenants).where(eq(tenants.slug, slug)));
  if (!tenant) throw new AppError("not_found");
  tenantPolicy.authorize(actor, "read", tenant);
  return tenant;
}

export type CommandResult<T> = { ok: true; value: T } | { ok: false; errors: Record<string, string> };

/** A short name must be free: not another municipality's, and no path of the platform or a module (platform.reservedPaths). */
async function conflictsOf(tx: Db, reserved: ReadonlySet<string>, input: TenantInput, exceptId: string | null, t: Translate): Promise<Record<string, string>> {
  const clash = await tx
    .select({ id: tenants.id, slug: tenants.slug, ags: tenants.ags })
    .from(tenants)
    .where(or(eq(tenants.slug, input.slug), eq(tenants.ags, input.ags)));
  const errors: Record<string, string> = {};
  if (reserved.has(input.slug)) errors.slug = t("errors.tenant.slugTaken");
  for (const c of clash) {
    if (c.id === exceptId) continue;
    if (c.slug === input.slug) errors.slug = t("errors.tenant.slugTaken");
    if (c.ags === input.ags) errors.ags = t("errors.tenant.agsTaken");
  }
  return errors;
}

export async function createTenant(platform: Platform, actor: Actor, input: TenantInput, t: Translate): Promise<CommandResult<TenantRow>> {
  tenantPolicy.authorize(actor, "create", null);
  const now = platform.clock.now();
  const created = await inTransaction(platform.db, { userId: actor.userId }, async (tx) => {
    const errors = await conflictsOf(tx, platform.reservedPaths, input, null, t);
    if (Object.keys(errors).length > 0) return { ok: false as const, errors };
    const [row] = await tx.insert(tenants).values({ name: input.name, slug: input.slug, ags: input.ags, land: input.land, kind: input.kind }).returning();
    return { ok: true as const, value: row };
  });
  if (!created.ok) return created;
  const tenant = created.value;
  await withTenant(platform.db, tenant.id, async (tx) => {
    await platform.keyring.createTenantKey(tx, tenant.id);
    await appendAudit(tx, { tenantId: tenant.id, actorId: actor.userId, action: "tenant.created", objectType: "tenant", objectId: tenant.id }, now);
  });
  await withTenant(platform.db, platform.nationalTenant.id, (tx) =>
    appendAudit(tx, { tenantId: platform.nationalTenant.id, actorId: actor.userId, action: "tenant.created", objectType: "tenant", objectId: tenant.id }, now),
  );
  return created;
}

export async function updateTenant(platform: Platform, actor: Actor, tenant: TenantRow, input: TenantInput, t: Translate): Promise<CommandResult<TenantRow>> {
  tenantPolicy.authorize(actor, "update", tenant);
  if (tenant.kind === "national") throw new AppError("not_found");
  const result = await inTransaction(platform.db, { userId: actor.userId }, async (tx) => {
    const errors = await conflictsOf(tx, platform.reservedPaths, input, tenant.id, t);
    if (Object.keys(errors).length > 0) return { ok: false as const, errors };
    const [row] = await tx
      .update(tenants)
      .set({ name: input.name, slug: input.slug, ags: input.ags, land: input.land, kind: input.kind })
      .where(eq(tenants.id, tenant.id))
      .returning();
    return { ok: true as const, value: row };
  });
  if (result.ok) {
    await platform.broadcast.publish("tenant.updated", { tenantId: tenant.id });
    await withTenant(platform.db, tenant.id, (tx) =>
      appendAudit(
        tx,
        { tenantId: tenant.id, actorId: actor.userId, action: "tenant.updated", objectType: "tenant", objectId: tenant.id },
        platform.clock.now(),
      ),
    );
  }
  return result;
}

export interface Person {
  userId: string;
  email: string;
  displayName: string;
  status: string;
  roles: Role[];
  /** Whether the account has set up its second factor (there is something to reset). */
  secondFactor: boolean;
}

export async function listPeople(platform: Platform, actor: Actor, tenant: TenantRef): Promise<Person[]> {
  peoplePolicy.authorize(actor, "list", tenant);
  const rows = await withTenant(
    platform.db,
    tenant.id,
    (tx) =>
      tx
        .select({
          userId: users.id,
          email: users.email,
          displayName: users.displayName,
          status: users.status,
          totpEnabledAt: users.totpEnabledAt,
          role: memberships.role,
        })
        .from(memberships)
        .innerJoin(users, eq(users.id, memberships.userId))
        .where(eq(memberships.tenantId, tenant.id))
        .orderBy(asc(sql`${users.displayName} collate german`)),
    actor.userId,
  );
  const byUser = new Map<string, Person>();
  for (const r of rows) {
    const p = byUser.get(r.userId) ?? {
      userId: r.userId,
      email: r.email,
      displayName: r.displayName,
      status: r.status,
      roles: [],
      secondFactor: r.totpEnabledAt !== null,
    };
    p.roles.push(r.role as Role);
    byUser.set(r.userId, p);
  }
  return [...byUser.values()];
}

export async function findPerson(platform: Platform, actor: Actor, tenant: TenantRef, userId: string): Promise<Person> {
  const person = (await listPeople(platform, actor, tenant)).find((p) => p.userId === userId);
  if (!person) throw new AppError("not_found");
  return person;
}

/** Replaces a person's roles in a tenant; no roles at all removes them from it. */
export async function setRoles(
  platform: Platform,
  actor: Actor,
  tenant: TenantRow,
  userId: string,
  roles: Role[],
  t: Translate,
): Promise<CommandResult<{ asked: Role[] }>> {
  peoplePolicy.authorize(actor, "changeRoles", tenant);
  const allowed = rolesFor(tenant.kind) as readonly string[];
  const roleError = roles.every((r) => allowed.includes(r)) ? null : t("errors.roleNotHere");
  if (roleError) return { ok: false, errors: { roles: roleError } };
  const person = await findPerson(platform, actor, tenant, userId);
  // Nobody takes away their own access to this page by accident.
  const keepsAccess = tenant.kind === "national" ? roles.includes("national_admin") : roles.includes("municipal_admin") || isNationalAdmin(actor);
  if (userId === actor.userId && !keepsAccess) {
    return { ok: false, errors: { roles: t("errors.cannotDemoteSelf") } };
  }
  // A role that opens every case, or confirms it, and that the person does not hold yet waits for a second person (`role-confirmations.ts`).
  const { now, asked } = splitRoles(roles, person.roles, isNationalAdmin(actor));
  const { mails, nobodyHere, fresh } = await withTenant(
    platform.db,
    tenant.id,
    async (tx) => {
      await tx.delete(memberships).where(and(eq(memberships.tenantId, tenant.id), eq(memberships.userId, userId)));
      if (now.length > 0) await tx.insert(memberships).values(now.map((role) => ({ tenantId: tenant.id, userId, role })));
      await appendAudit(
        tx,
        { tenantId: tenant.id, actorId: actor.userId, action: "person.roles_changed", objectType: "user", objectId: userId, details: { roles: now } },
        platform.clock.now(),
      );
      const askedFor = await askForRoles(platform, tx, tenant.id, { id: userId, displayName: person.displayName }, asked, roles, actor.userId);
      // Given at once (by a national admin): the clearing office and the other administrators are told.
      const result = { mails: askedFor.mails, nobodyHere: askedFor.nobodyHere, fresh: askedFor.asked };
      if (!now.includes("clearing_officer") || person.roles.includes("clearing_officer")) return result;
      const told = (await peopleWithRoles(tx, tenant.id, ["clearing_officer", "municipal_admin"])).filter((id) => id !== userId && id !== actor.userId);
      const mails = await notify(
        platform,
        tx,
        tenant.id,
        told,
        { kind: "admin.notify.caseAccess", params: { name: person.displayName }, link: "/start" },
        { mail: true },
      );
      return { ...result, mails: [...askedFor.mails, ...mails] };
    },
    actor.userId,
  );
  await platform.mailer.dispatch(mails);
  if (nobodyHere) await tellNationalAdmins(platform, tenant.id, person, fresh);
  return { ok: true, value: { asked } };
}

/**
 * Sets where people turn for help in this municipality (shown with every report form) and its
 * privacy notice for reporting. Each part that changed gets its own audit entry.
 */
export async function updateSettings(platform: Platform, actor: Actor, tenant: TenantRow, input: SettingsInput): Promise<void> {
  settingsPolicy.authorize(actor, "configure", tenant);
  const { privacyNotice, ...contact } = input;
  const contactChanged =
    contact.contactPhone !== tenant.contactPhone || contact.contactEmail !== tenant.contactEmail || contact.contactHours !== tenant.contactHours;
  const privacyChanged = privacyNotice !== tenant.privacyNotice;
  if (!contactChanged && !privacyChanged) return;
  await inTransaction(platform.db, { userId: actor.userId }, (tx) => tx.update(tenants).set(input).where(eq(tenants.id, tenant.id)));
  await platform.broadcast.publish("tenant.updated", { tenantId: tenant.id });
  const now = platform.clock.now();
  await withTenant(platform.db, tenant.id, async (tx) => {
    const entry = { tenantId: tenant.id, actorId: actor.userId, objectType: "tenant", objectId: tenant.id };
    if (contactChanged) await appendAudit(tx, { ...entry, action: "tenant.contact_updated" }, now);
    if (privacyChanged) await appendAudit(tx, { ...entry, action: "tenant.privacy_notice_updated", details: { filledIn: privacyNotice !== null } }, now);
  });
}

/** Sets the installation's Impressum and Datenschutzerklärung (held on the national tenant). */
export async function updateSiteTexts(platform: Platform, actor: Actor, input: SiteTextsInput): Promise<void> {
  siteTextsPolicy.authorize(actor, "edit", null);
  const national = platform.nationalTenant.id;
  const [current] = await inTransaction(platform.db, { userId: actor.userId }, (tx) => tx.select().from(tenants).where(eq(tenants.id, national)));
  const changed = (["imprint", "privacyNotice"] as const).filter((k) => input[k] !== current?.[k]);
  if (changed.length === 0) return;
  await inTransaction(platform.db, { userId: actor.userId }, (tx) => tx.update(tenants).set(input).where(eq(tenants.id, national)));
  await withTenant(platform.db, national, (tx) =>
    appendAudit(
      tx,
      { tenantId: national, actorId: actor.userId, action: "tenant.site_texts_updated", objectType: "tenant", objectId: national, details: { changed } },
      platform.clock.now(),
    ),
  );
}

/** The installation's Impressum and Datenschutzerklärung as stored (null: not filled in yet). */
export async function readSiteTexts(platform: Platform): Promise<{ imprint: string | null; privacyNotice: string | null }> {
  const [row] = await inTransaction(platform.db, {}, (tx) =>
    tx.select({ imprint: tenants.imprint, privacyNotice: tenants.privacyNotice }).from(tenants).where(eq(tenants.id, platform.nationalTenant.id)),
  );
  return { imprint: row?.imprint ?? null, privacyNotice: row?.privacyNotice ?? null };
}
