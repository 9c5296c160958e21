import { type Actor, hasRole, isNationalAdmin, Policy, type Role, TENANT_RELATIONS } from "../../platform/authz/policy.ts";

/** A tenant as the rules see it. */
export interface TenantRef {
  id: string;
  kind: "national" | "model" | "platform";
}

export const tenantPolicy = new Policy<TenantRef | null, "list" | "create" | "read" | "update">("tenant", ["list", "create", "read", "update"], {
  ...TENANT_RELATIONS,
  "no municipality": () => null,
})
  .allow("list", (actor) => isNationalAdmin(actor))
  .allow("create", (actor) => isNationalAdmin(actor))
  .allow("read", (actor) => isNationalAdmin(actor))
  .allow("read", (actor, tenant) => !!tenant && !!actor?.memberships.some((m) => m.tenantId === tenant.id))
  .allow("update", (actor) => isNationalAdmin(actor));

/** The municipality's own settings (contact of the clearing office). */
export const settingsPolicy = new Policy<TenantRef, "configure">("settings", ["configure"], TENANT_RELATIONS)
  .allow("configure", (actor, tenant) => tenant.kind !== "national" && hasRole(actor, tenant.id, "municipal_admin"))
  .allow("configure", (actor, tenant) => tenant.kind !== "national" && isNationalAdmin(actor));

/** The installation's Impressum and Datenschutzerklärung: the operator, i.e. national admins. */
export const siteTextsPolicy = new Policy<null, "edit">("siteTexts", ["edit"], { installation: () => null }).allow("edit", (actor) => isNationalAdmin(actor));

export const peoplePolicy = new Policy<TenantRef, "list" | "invite" | "changeRoles">("people", ["list", "invite", "changeRoles"], TENANT_RELATIONS);
for (const action of peoplePolicy.actions) {
  peoplePolicy.allow(action, (actor, tenant) => isNationalAdmin(actor) || (tenant.kind !== "national" && hasRole(actor, tenant.id, "municipal_admin")));
}

/**
 * A person's account as the account rules see it: the municipality whose page it is opened
 * from, and every tenant the account works in.
 */
export interface AccountRef {
  tenantId: string;
  tenant: TenantRef;
  person: { userId: string; tenantIds: readonly string[] };
}

/** Administers the tenant the person is seen in. */
const administers = (actor: Actor | null, tenant: TenantRef) =>
  isNationalAdmin(actor) || (tenant.kind !== "national" && hasRole(actor, tenant.id, "municipal_admin"));

/**
 * The second factor and the account itself are the person's everywhere: a municipal admin may
 * reset or disable them only when the account works in no tenant they do not administer. Anyone
 * else (an account that also works elsewhere) needs a national admin; in this municipality, the
 * municipal admin can remove the person instead. Nobody does any of it to themselves, so nobody
 * locks themselves out.
 */
const wholeAccount = (actor: Actor | null, a: AccountRef) =>
  !!actor &&
  actor.userId !== a.person.userId &&
  (isNationalAdmin(actor) || (administers(actor, a.tenant) && a.person.tenantIds.every((id) => hasRole(actor, id, "municipal_admin"))));

export const accountPolicy = new Policy<AccountRef, "resetSecondFactor" | "disable" | "enable" | "remove">(
  "account",
  ["resetSecondFactor", "disable", "enable", "remove"],
  {
    "someone else, only in the own municipality": (_a, w) => ({ tenantId: w.own.id, tenant: w.own, person: { userId: w.someoneElse, tenantIds: [w.own.id] } }),
    "someone else, also in another municipality": (_a, w) => ({
      tenantId: w.own.id,
      tenant: w.own,
      person: { userId: w.someoneElse, tenantIds: [w.own.id, w.other.id] },
    }),
    themselves: (a, w) => ({ tenantId: w.own.id, tenant: w.own, person: { userId: a.userId, tenantIds: [w.own.id] } }),
    "someone in another municipality": (_a, w) => ({ tenantId: w.other.id, tenant: w.other, person: { userId: w.someoneElse, tenantIds: [w.other.id] } }),
  },
)
  .allow("resetSecondFactor", wholeAccount)
  .allow("disable", wholeAccount)
  .allow("enable", wholeAccount)
  .allow("remove", (actor, a) => !!actor && actor.userId !== a.person.userId && administers(actor, a.tenant));

export const auditPolicy = new Policy<TenantRef, "read">("audit", ["read"], TENANT_RELATIONS)
  .allow("read", (actor, tenant) => tenant.kind !== "national" && hasRole(actor, tenant.id, "municipal_admin", "clearing_officer"))
  .allow("read", (actor, tenant) => tenant.kind === "national" && isNationalAdmin(actor));

/** The dev outbox shows mails with sign-in links: national admins only, and never in production. */
export const outboxPolicy = new Policy<{ development: boolean }, "read">("outbox", ["read"], {
  "in development": () => ({ development: true }),
  "in production": () => ({ development: false }),
}).allow("read", (actor, env) => env.development && isNationalAdmin(actor));

export const NATIONAL_ROLES: readonly Role[] = ["national_admin", "advisory_board", "trainer"];
export const MUNICIPAL_ROLES: readonly Role[] = ["municipal_admin", "clearing_officer", "leader", "staff", "alliance_partner", "trainer"];

/** Roles that can be held in a tenant of this kind. */
export function rolesFor(kind: TenantRef["kind"]): readonly Role[] {
  return kind === "national" ? NATIONAL_ROLES : MUNICIPAL_ROLES;
}

export type { Actor };
