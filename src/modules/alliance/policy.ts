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

/** A partner's entry as the rules see it: its municipality, and who acts for the organisation. */
export interface PartnerRef {
  tenantId: string;
  tenantKind: "national" | "model" | "platform";
  /** The accounts (role alliance_partner) linked to this organisation. */
  accountIds: readonly string[];
}

/**
 * A partner's entry: everyone who reads the directory, and the people who act for that
 * organisation — their own entry, no other.
 */
export const partnerEntryPolicy = new Policy<PartnerRef, "read">("alliancePartnerEntry", ["read"], {
  "own municipality, their own organisation": (a, w) => ({ tenantId: w.own.id, tenantKind: w.own.kind, accountIds: [a.userId] }),
  "own municipality, another organisation": (_a, w) => ({ tenantId: w.own.id, tenantKind: w.own.kind, accountIds: [w.someoneElse] }),
  "other municipality, their own organisation": (a, w) => ({ tenantId: w.other.id, tenantKind: w.other.kind, accountIds: [a.userId] }),
})
  .allow("read", (actor, p) => p.tenantKind !== "national" && hasRole(actor, p.tenantId, ...MEMBER_ROLES))
  .allow("read", (actor, p) => p.tenantKind !== "national" && !!actor && p.accountIds.includes(actor.userId) && hasRole(actor, p.tenantId, "alliance_partner"));

/** A circle of the workspace as the rules see it: its municipality and its members. */
export interface CircleRef {
  tenantId: string;
  tenantKind: "national" | "model" | "platform";
  memberIds: readonly string[];
}

/** Who may take part in a circle: the people of the municipality and the partners' people. */
export const CIRCLE_ROLES = [...MEMBER_ROLES, "alliance_partner"] as const;

/**
 * A circle of the alliance's workspace (the alliance, the confidential strategy group): only its
 * members see it and record its meetings, and only while they still work in or with the
 * municipality. Who belongs to a circle is the municipal admins' decision (workspacePolicy).
 */
export const circlePolicy = new Policy<CircleRef, "view">("allianceCircle", ["view"], {
  "own municipality, member": (a, w) => ({ tenantId: w.own.id, tenantKind: w.own.kind, memberIds: [a.userId] }),
  "own municipality, not a member": (_a, w) => ({ tenantId: w.own.id, tenantKind: w.own.kind, memberIds: [w.someoneElse] }),
  "other municipality, member": (a, w) => ({ tenantId: w.other.id, tenantKind: w.other.kind, memberIds: [a.userId] }),
}).allow("view", (actor, c) => c.tenantKind !== "national" && !!actor && c.memberIds.includes(actor.userId) && hasRole(actor, c.tenantId, ...CIRCLE_ROLES));

/**
 * The workspace of a municipality: everyone who may belong to a circle opens it (and sees the
 * circles they are in); municipal admins decide who belongs to which circle.
 */
export const workspacePolicy = new Policy<TenantRef, "open" | "manage">("allianceWorkspace", ["open", "manage"], TENANT_RELATIONS)
  .allow("open", (actor, tenant) => tenant.kind !== "national" && hasRole(actor, tenant.id, ...CIRCLE_ROLES))
  .allow("manage", (actor, tenant) => tenant.kind !== "national" && hasRole(actor, tenant.id, "municipal_admin"));
