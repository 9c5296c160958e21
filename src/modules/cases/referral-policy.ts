import { type Actor, hasRole, Policy } from "../../platform/authz/policy.ts";
import type { ReferralStatus } from "./schema.ts";

/** A referral as the rules see it: the municipality, who acts for the organisation, where it stands. */
export interface ReferralRef {
  tenantId: string;
  tenantKind: "national" | "model" | "platform";
  accountIds: readonly string[];
  status: ReferralStatus;
  /** The consent runs (its end not passed). */
  running: boolean;
}

/** Where a referral stands when its partner may read it (while the consent runs). */
export const SEEN_BY_PARTNER: readonly ReferralStatus[] = ["offered", "accepted", "done"];
const forTheirOrganisation = (actor: Actor | null, r: ReferralRef) =>
  r.tenantKind !== "national" && !!actor && r.accountIds.includes(actor.userId) && hasRole(actor, r.tenantId, "alliance_partner");

/**
 * A referred case, for the partner it was referred to: the people acting for that organisation,
 * while the referral stands and the consent runs. Revoked, ended or never agreed: like a missing
 * case. Nobody else reads it this way (the clearing office has the case itself).
 */
export const referralPolicy = new Policy<ReferralRef, "read" | "respond">("referral", ["read", "respond"], {
  "their organisation, consent running": (a, w) => ({ tenantId: w.own.id, tenantKind: w.own.kind, accountIds: [a.userId], status: "accepted", running: true }),
  "their organisation, consent ended": (a, w) => ({ tenantId: w.own.id, tenantKind: w.own.kind, accountIds: [a.userId], status: "accepted", running: false }),
  "their organisation, revoked": (a, w) => ({ tenantId: w.own.id, tenantKind: w.own.kind, accountIds: [a.userId], status: "revoked", running: true }),
  "their organisation, awaiting consent": (a, w) => ({
    tenantId: w.own.id,
    tenantKind: w.own.kind,
    accountIds: [a.userId],
    status: "awaiting_consent",
    running: true,
  }),
  "another organisation": (_a, w) => ({ tenantId: w.own.id, tenantKind: w.own.kind, accountIds: [w.someoneElse], status: "accepted", running: true }),
  "other municipality, their organisation": (a, w) => ({
    tenantId: w.other.id,
    tenantKind: w.other.kind,
    accountIds: [a.userId],
    status: "accepted",
    running: true,
  }),
})
  .allow("read", (actor, r) => forTheirOrganisation(actor, r) && SEEN_BY_PARTNER.includes(r.status) && r.running)
  .allow("respond", (actor, r) => forTheirOrganisation(actor, r) && (r.status === "offered" || r.status === "accepted") && r.running);
