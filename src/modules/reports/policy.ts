import { hasRole, Policy, TENANT_RELATIONS } from "../../platform/authz/policy.ts";

export interface TenantRef {
  id: string;
  kind: "national" | "model" | "platform";
}

/**
 * The clearing office works with reports of its own municipality. Nobody else sees report
 * content through this module: leaders, partners and admins get their (consented) views
 * through the clearing module later.
 */
export const reportPolicy = new Policy<TenantRef, "list" | "read" | "reply" | "enter">("report", ["list", "read", "reply", "enter"], TENANT_RELATIONS);
for (const action of reportPolicy.actions) {
  reportPolicy.allow(action, (actor, tenant) => tenant.kind !== "national" && hasRole(actor, tenant.id, "clearing_officer"));
}
