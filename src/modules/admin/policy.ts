import { type Actor, hasRole, isNationalAdmin, Policy, type Role } from "../../platform/authz/policy.ts";

/** A tenant as the rules see it. */
export interface TenantRef {
  id: string;
  kind: "national" | "model" | "platform";
}

export const tenantPolicy = new Policy<TenantRef | null, "list" | "create" | "read" | "update">("tenant", ["list", "create", "read", "update"])
  .allow("list", (actor) => isNationalAdmin(actor))
  .allow("create", (actor) => isNationalAdmin(actor))
  .allow("read", (actor) => isNationalAdmin(actor))
  .allow("read", (actor, tenant) => !!tenant && !!actor?.memberships.some((m) => m.tenantId === tenant.id))
  .allow("update", (actor) => isNationalAdmin(actor));

/** The municipality's own settings (contact of the clearing office). */
export const settingsPolicy = new Policy<TenantRef, "configure">("settings", ["configure"])
  .allow("configure", (actor, tenant) => tenant.kind !== "national" && hasRole(actor, tenant.id, "municipal_admin"))
  .allow("configure", (actor, tenant) => tenant.kind !== "national" && isNationalAdmin(actor));

/** The installation's Impressum and Datenschutzerklärung: the operator, i.e. national admins. */
export const siteTextsPolicy = new Policy<null, "edit">("siteTexts", ["edit"]).allow("edit", (actor) => isNationalAdmin(actor));

export const peoplePolicy = new Policy<TenantRef, "list" | "invite" | "changeRoles">("people", ["list", "invite", "changeRoles"]);
for (const action of peoplePolicy.actions) {
  peoplePolicy.allow(action, (actor, tenant) => isNationalAdmin(actor) || (tenant.kind !== "national" && hasRole(actor, tenant.id, "municipal_admin")));
}

export const auditPolicy = new Policy<TenantRef, "read">("audit", ["read"])
  .allow("read", (actor, tenant) => tenant.kind !== "national" && hasRole(actor, tenant.id, "municipal_admin", "clearing_officer"))
  .allow("read", (actor, tenant) => tenant.kind === "national" && isNationalAdmin(actor));

/** The dev outbox shows mails with sign-in links: national admins only, and never in production. */
export const outboxPolicy = new Policy<{ development: boolean }, "read">("outbox", ["read"]).allow(
  "read",
  (actor, env) => env.development && isNationalAdmin(actor),
);

export const NATIONAL_ROLES: readonly Role[] = ["national_admin", "advisory_board", "trainer"];
export const MUNICIPAL_ROLES: readonly Role[] = ["municipal_admin", "clearing_officer", "leader", "staff", "alliance_partner", "trainer"];

/** Roles that can be held in a tenant of this kind. */
export function rolesFor(kind: TenantRef["kind"]): readonly Role[] {
  return kind === "national" ? NATIONAL_ROLES : MUNICIPAL_ROLES;
}

export type { Actor };
