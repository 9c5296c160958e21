import { and, asc, eq, inArray } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { appendAudit } from "../../platform/audit/audit.ts";
import type { Actor, Role } from "../../platform/authz/policy.ts";
import { type Db, withTenant } from "../../platform/db/client.ts";
import { memberships, roleConfirmations, tenants, users } from "../../platform/db/schema.ts";
import { AppError } from "../../platform/http/errors.ts";
import type { Translate } from "../../platform/i18n/i18n.ts";
import type { DemoContext } from "../../platform/module.ts";
import { notify, peopleWithRoles } from "../../platform/notifications/notifications.ts";
import type { Platform } from "../../platform/platform.ts";
import { peoplePolicy, type TenantRef } from "./policy.ts";

/*
 * Access to every case is nobody's alone to give. The role that opens every case of a
 * municipality (the clearing office's), and the role that confirms it (its administration: else
 * one administrator could make a second account an administrator and have it confirm), are given
 * at once only by a national admin, who stands outside the municipality. Given by anyone else —
 * in the person's roles or with an invitation — they are asked for, and given once a second person
 * confirms: another administrator of the municipality, or a national admin (asked when the
 * municipality has no other administrator). Neither the one who asked nor the person themselves
 * can confirm. Once given, the clearing office and the administrators are told; the audit log
 * keeps who asked, confirmed or refused. A person taken out of the municipality takes what was
 * asked for them along.
 */

/**
 * Roles given once a second person confirms them: the clearing office's (every case), the
 * administration's (which confirms), and an alliance partner's (what is referred to the
 * organisation the account is linked to — else an administrator could make an account of their
 * own a partner, link it and read a referred case).
 */
export const CONFIRMED_ROLES: readonly Role[] = ["clearing_officer", "municipal_admin", "alliance_partner"];

/** What each such role's notices say: asked, given (to the others; and to the person), refused. */
const NOTICES: Record<string, { asked: string; given: string; refused: string; toPerson?: { kind: string; link: string } }> = {
  clearing_officer: {
    asked: "admin.notify.roleAsked",
    given: "admin.notify.caseAccess",
    refused: "admin.notify.roleRefused",
    toPerson: { kind: "admin.notify.roleGiven", link: "/faelle" },
  },
  municipal_admin: { asked: "admin.notify.adminAsked", given: "admin.notify.adminGiven", refused: "admin.notify.adminRefused" },
  alliance_partner: { asked: "admin.notify.partnerAsked", given: "admin.notify.partnerGiven", refused: "admin.notify.partnerRefused" },
};

type Deps = Pick<Platform, "db" | "clock" | "mailer" | "config" | "nationalTenant">;

export interface AskedRole {
  id: string;
  userId: string;
  displayName: string;
  email: string;
  role: Role;
  requestedBy: string;
  requestedByName: string;
  requestedAt: Date;
}

/**
 * Of the roles a person is to have, those to give now and those to ask a second person for: a
 * role that opens every case and that the person does not hold yet is asked for, unless a
 * national admin gives it.
 */
export function splitRoles(roles: readonly Role[], held: readonly Role[], byNationalAdmin: boolean): { now: Role[]; asked: Role[] } {
  const asked = byNationalAdmin ? [] : roles.filter((r) => CONFIRMED_ROLES.includes(r) && !held.includes(r));
  return { now: roles.filter((r) => !asked.includes(r)), asked };
}

/**
 * In the municipality's transaction: records what is asked for (once per person and role), ends
 * what was asked for and is no longer among the roles to have (`keep`), and tells those who can
 * confirm. Returns the mails to dispatch after commit, and whether nobody in the municipality can
 * confirm (then `tellNationalAdmins` after commit).
 */
export async function askForRoles(
  platform: Deps,
  tx: Db,
  tenantId: string,
  person: { id: string; displayName: string },
  asked: readonly Role[],
  keep: readonly Role[],
  requestedBy: string,
): Promise<{ mails: string[]; asked: Role[]; nobodyHere: boolean }> {
  const now = platform.clock.now();
  const ending = CONFIRMED_ROLES.filter((r) => !keep.includes(r));
  if (ending.length > 0) {
    await tx
      .delete(roleConfirmations)
      .where(and(eq(roleConfirmations.tenantId, tenantId), eq(roleConfirmations.userId, person.id), inArray(roleConfirmations.role, [...ending])));
  }
  const fresh = asked.length
    ? await tx
        .insert(roleConfirmations)
        .values(asked.map((role) => ({ tenantId, userId: person.id, role, requestedBy, requestedAt: now })))
        .onConflictDoNothing()
        .returning({ role: roleConfirmations.role })
    : [];
  if (fresh.length === 0) return { mails: [], asked: [], nobodyHere: false };
  for (const { role } of fresh) {
    await appendAudit(tx, { tenantId, actorId: requestedBy, action: "person.role_requested", objectType: "user", objectId: person.id, details: { role } }, now);
  }
  const roles = fresh.map((f) => f.role as Role);
  const confirmers = (await peopleWithRoles(tx, tenantId, ["municipal_admin"])).filter((id) => id !== requestedBy && id !== person.id);
  if (confirmers.length === 0) return { mails: [], asked: roles, nobodyHere: true };
  return { mails: await tellConfirmers(platform, tx, tenantId, confirmers, await placeOf(tx, tenantId), person, roles), asked: roles, nobodyHere: false };
}

async function placeOf(tx: Db, tenantId: string): Promise<{ name: string; people: string }> {
  const [tenant] = await tx.select({ slug: tenants.slug, name: tenants.name }).from(tenants).where(eq(tenants.id, tenantId));
  return { name: tenant?.name ?? "", people: `/verwaltung/kommunen/${tenant?.slug}/personen#freigaben` };
}

/** A notice (and mail) per role asked for, to those who can confirm, in the tenant of `tx`. */
async function tellConfirmers(
  platform: Deps,
  tx: Db,
  tenantId: string,
  confirmers: readonly string[],
  place: { name: string; people: string },
  person: { displayName: string },
  roles: readonly Role[],
): Promise<string[]> {
  const mails: string[] = [];
  for (const role of roles) {
    const notice = { kind: NOTICES[role].asked, params: { name: person.displayName, tenant: place.name }, link: place.people };
    mails.push(...(await notify(platform, tx, tenantId, confirmers, notice, { mail: true })));
  }
  return mails;
}

/** Asks the national admins, where a municipality has no other administrator (after the asking committed). */
export async function tellNationalAdmins(platform: Deps, tenantId: string, person: { displayName: string }, roles: readonly Role[]): Promise<void> {
  const national = platform.nationalTenant.id;
  const place = await withTenant(platform.db, tenantId, (tx) => placeOf(tx, tenantId));
  const mails = await withTenant(platform.db, national, async (tx) =>
    tellConfirmers(platform, tx, national, await peopleWithRoles(tx, national, ["national_admin"]), place, person, roles),
  );
  await platform.mailer.dispatch(mails);
}

/** In the municipality's transaction: what was asked for the person goes (they were taken out of it). */
export async function withdrawAsked(tx: Db, tenantId: string, userId: string): Promise<void> {
  await tx.delete(roleConfirmations).where(and(eq(roleConfirmations.tenantId, tenantId), eq(roleConfirmations.userId, userId)));
}

/** Who asked, beside the person asked for (one query). */
const asker = alias(users, "asker");

/** What is asked for in the municipality and waits for a second person, oldest first. */
export async function askedRoles(platform: Deps, actor: Actor, tenant: TenantRef): Promise<AskedRole[]> {
  peoplePolicy.authorize(actor, "changeRoles", tenant);
  return withTenant(platform.db, tenant.id, async (tx) => {
    const asked = await tx
      .select({
        id: roleConfirmations.id,
        userId: roleConfirmations.userId,
        displayName: users.displayName,
        email: users.email,
        role: roleConfirmations.role,
        requestedBy: roleConfirmations.requestedBy,
        requestedByName: asker.displayName,
        requestedAt: roleConfirmations.requestedAt,
      })
      .from(roleConfirmations)
      .innerJoin(users, eq(users.id, roleConfirmations.userId))
      .innerJoin(asker, eq(asker.id, roleConfirmations.requestedBy))
      .where(eq(roleConfirmations.tenantId, tenant.id))
      .orderBy(asc(roleConfirmations.requestedAt), asc(roleConfirmations.id));
    return asked.map((a) => ({ ...a, role: a.role as Role }));
  });
}

/** Whether the actor may decide on what was asked: neither the one who asked nor the person. */
export const mayDecide = (actor: Actor, asked: Pick<AskedRole, "userId" | "requestedBy">) =>
  actor.userId !== asked.userId && actor.userId !== asked.requestedBy;

/**
 * A second person confirms (the role is given) or refuses (it is not). Who asked and the person
 * hear of the decision; once given, the clearing office and the administrators are told.
 */
export async function decideRole(
  platform: Deps,
  actor: Actor,
  tenant: TenantRef,
  id: string,
  decision: "confirm" | "refuse",
  t: Translate,
): Promise<{ name: string; role: Role }> {
  peoplePolicy.authorize(actor, "changeRoles", tenant);
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)) throw new AppError("not_found");
  const now = platform.clock.now();
  const { mails, done } = await withTenant(
    platform.db,
    tenant.id,
    async (tx) => {
      // Taken in one statement, so that two decisions at once cannot both act; a refusal below rolls it back.
      const [taken] = await tx
        .delete(roleConfirmations)
        .where(and(eq(roleConfirmations.tenantId, tenant.id), eq(roleConfirmations.id, id.toLowerCase())))
        .returning({ userId: roleConfirmations.userId, role: roleConfirmations.role, requestedBy: roleConfirmations.requestedBy });
      if (!taken) throw new AppError("not_found");
      if (!mayDecide(actor, taken)) throw new AppError("forbidden", t("errors.confirmOwnRole"));
      const [person] = await tx.select({ name: users.displayName }).from(users).where(eq(users.id, taken.userId));
      const asked = { ...taken, name: person?.name ?? "" };
      const role = asked.role as Role;
      const entry = {
        tenantId: tenant.id,
        actorId: actor.userId,
        objectType: "user",
        objectId: asked.userId,
        details: { role, requestedBy: asked.requestedBy },
      };
      const done = { name: asked.name, role };
      const notices = NOTICES[role];
      const place = await placeOf(tx, tenant.id);
      const params = { name: asked.name, tenant: place.name };
      if (decision === "refuse") {
        await appendAudit(tx, { ...entry, action: "person.role_refused" }, now);
        const notice = { kind: notices.refused, params, link: place.people };
        return { done, mails: await notify(platform, tx, tenant.id, [asked.requestedBy], notice, { mail: true }) };
      }
      await tx.insert(memberships).values({ tenantId: tenant.id, userId: asked.userId, role }).onConflictDoNothing();
      await appendAudit(tx, { ...entry, action: "person.role_confirmed" }, now);
      const told = (await peopleWithRoles(tx, tenant.id, ["clearing_officer", "municipal_admin"])).filter((u) => u !== asked.userId && u !== actor.userId);
      const toOthers = [...new Set([...told, asked.requestedBy])].filter((u) => u !== actor.userId && u !== asked.userId);
      const mails = await notify(platform, tx, tenant.id, toOthers, { kind: notices.given, params, link: "/start" }, { mail: true });
      if (notices.toPerson) {
        const notice = { kind: notices.toPerson.kind, params, link: notices.toPerson.link };
        mails.push(...(await notify(platform, tx, tenant.id, [asked.userId], notice, { mail: true })));
      }
      return { done, mails };
    },
    actor.userId,
  );
  await platform.mailer.dispatch(mails);
  return done;
}

/**
 * The demo's administrator has asked for the clearing office's role for a colleague: Musterstadt
 * has no second administrator, so it waits for the national administration (its people page and
 * notices show it).
 */
export async function seedDemoRoleRequest(platform: Deps, context: DemoContext): Promise<void> {
  const tenant = context.tenants.get("musterstadt");
  const asker = context.users.get("verwaltung@demo.example");
  const colleague = context.users.get("mitarbeit@demo.example");
  if (!tenant || !asker || !colleague) return;
  const person = { id: colleague, displayName: "Sam Mitarbeitsbeispiel" };
  const { mails, nobodyHere } = await withTenant(platform.db, tenant.id, (tx) =>
    askForRoles(platform, tx, tenant.id, person, ["clearing_officer"], ["staff", "clearing_officer"], asker),
  );
  await platform.mailer.dispatch(mails);
  if (nobodyHere) await tellNationalAdmins(platform, tenant.id, person, ["clearing_officer"]);
}
