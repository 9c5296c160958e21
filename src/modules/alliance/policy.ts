import { hasRole, isNationalAdmin, Policy, TENANT_RELATIONS } from "../../platform/authz/policy.ts";
import type { CardVisibility } from "./schema.ts";

export interface TenantRef {
  id: string;
  kind: "national" | "model" | "platform";
}

const MEMBER_ROLES = ["municipal_admin", "clearing_officer", "leader", "staff"] as const;

/**
 * The alliance directory of a municipality: everyone who works there reads it (who is responsible
 * must be known before anything happens); its municipal admins keep it. Alliance partners see
 * their own organisation's entry and the workspace, not the directory as a whole.
 */
export const directoryPolicy = new Policy<TenantRef, "read" | "edit">("allianceDirectory", ["read", "edit"], TENANT_RELATIONS)
  .allow("read", (actor, tenant) => tenant.kind !== "national" && hasRole(actor, tenant.id, ...MEMBER_ROLES))
  .allow("edit", (actor, tenant) => tenant.kind !== "national" && hasRole(actor, tenant.id, "municipal_admin"));

/** A municipality's emergency card as the rules see it: whom it is for. */
export interface CardRef {
  tenantId: string;
  tenantKind: "national" | "model" | "platform";
  visibility: CardVisibility;
}

/**
 * The emergency card: for everyone when the municipality publishes it, otherwise for the people
 * who work there (and the alliance partners, who are part of the alliance it names).
 */
export const cardPolicy = new Policy<CardRef, "view">("emergencyCard", ["view"], {
  "own municipality, public card": (_a, w) => ({ tenantId: w.own.id, tenantKind: w.own.kind, visibility: "public" }),
  "own municipality, staff-only card": (_a, w) => ({ tenantId: w.own.id, tenantKind: w.own.kind, visibility: "staff" }),
  "other municipality, public card": (_a, w) => ({ tenantId: w.other.id, tenantKind: w.other.kind, visibility: "public" }),
  "other municipality, staff-only card": (_a, w) => ({ tenantId: w.other.id, tenantKind: w.other.kind, visibility: "staff" }),
})
  .allow("view", (_actor, card) => card.tenantKind !== "national" && card.visibility === "public")
  .allow("view", (actor, card) => card.tenantKind !== "national" && hasRole(actor, card.tenantId, ...MEMBER_ROLES, "alliance_partner"))
  .allow("view", (actor, card) => card.tenantKind !== "national" && isNationalAdmin(actor));

/**
 * The national directory of help services. The national level keeps it; the people of a
 * municipality read it (their Land's services and those across the country), and its municipal
 * admins add entries to their alliance. The rules judge the tenant the actor works in.
 */
export const nationalDirectoryPolicy = new Policy<TenantRef, "read" | "edit" | "adopt">("nationalDirectory", ["read", "edit", "adopt"], TENANT_RELATIONS)
  .allow("read", (actor, tenant) => tenant.kind !== "national" && hasRole(actor, tenant.id, ...MEMBER_ROLES))
  .allow("read", (actor, tenant) => tenant.kind === "national" && isNationalAdmin(actor))
  .allow("edit", (actor, tenant) => tenant.kind === "national" && isNationalAdmin(actor))
  .allow("adopt", (actor, tenant) => tenant.kind !== "national" && hasRole(actor, tenant.id, "municipal_admin"));
