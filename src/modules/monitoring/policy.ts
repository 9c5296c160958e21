import { hasRole, Policy, TENANT_RELATIONS } from "../../platform/authz/policy.ts";

type TenantKind = "national" | "model" | "platform";
export type TenantRef = { id: string; kind: TenantKind };

/**
 * The Lagebild of a tenant. A municipality's own figures: its admins, clearing officers and
 * leaders. The national figures (across municipalities, never a case): the national team and
 * the advisory board. Exports follow the same rule: they hold the figures the page shows.
 */
export const lagebildPolicy = new Policy<{ id: string; kind: TenantKind }, "view">("lagebild", ["view"], TENANT_RELATIONS).allow("view", (actor, t) =>
  t.kind === "national" ? hasRole(actor, t.id, "national_admin", "advisory_board") : hasRole(actor, t.id, "municipal_admin", "clearing_officer", "leader"),
);

/**
 * The advisory board's workspace, at the national level only: the board and the national team
 * read its documents; the national team (its admins) adds and removes them.
 */
export const boardPolicy = new Policy<TenantRef, "read" | "manage">("board", ["read", "manage"], TENANT_RELATIONS)
  .allow("read", (actor, t) => t.kind === "national" && hasRole(actor, t.id, "national_admin", "advisory_board"))
  .allow("manage", (actor, t) => t.kind === "national" && hasRole(actor, t.id, "national_admin"));
