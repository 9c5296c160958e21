import { hasRole, Policy, TENANT_RELATIONS } from "../../platform/authz/policy.ts";

type TenantKind = "national" | "model" | "platform";

/**
 * The Lagebild of a tenant. A municipality's own figures: its admins, clearing officers and
 * leaders. The national figures (across municipalities, never a case): the national team and
 * the advisory board. Exports follow the same rule: they hold the figures the page shows.
 */
export const lagebildPolicy = new Policy<{ id: string; kind: TenantKind }, "view">("lagebild", ["view"], TENANT_RELATIONS).allow("view", (actor, t) =>
  t.kind === "national" ? hasRole(actor, t.id, "national_admin", "advisory_board") : hasRole(actor, t.id, "municipal_admin", "clearing_officer", "leader"),
);
