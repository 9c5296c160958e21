import { type Actor, hasRole, isNationalAdmin, Policy, type PolicyWorld } from "../../platform/authz/policy.ts";
import type { PracticeStatus, Visibility } from "./schema.ts";

type TenantKind = "national" | "model" | "platform";

/** A practice as the rules see it, from where the actor works (`viewer`). */
export interface PracticeRef {
  tenantId: string;
  tenantKind: TenantKind;
  status: PracticeStatus;
  visibility: Visibility;
  /** The tenant the actor works in on this request (null: the public, signed out). */
  viewerTenantId: string | null;
  viewerKind: TenantKind | null;
  /** The viewer's municipality has taken it into its workspace. */
  adoptedByViewer: boolean;
}

const MEMBER_ROLES = ["municipal_admin", "clearing_officer", "leader", "staff"] as const;

/** Those who keep a workspace's practices: its municipal admins; the national level's admins for its own. */
function keeps(actor: Actor | null, p: Pick<PracticeRef, "tenantId" | "tenantKind">): boolean {
  return p.tenantKind === "national" ? isNationalAdmin(actor) : hasRole(actor, p.tenantId, "municipal_admin");
}

/** Who reads what the network shares: the people of the municipalities and the national level (not partners or trainers). */
export function readsNetwork(actor: Actor | null): boolean {
  return !!actor && actor.memberships.some((m) => (NETWORK_ROLES as readonly string[]).includes(m.role));
}
const NETWORK_ROLES = [...MEMBER_ROLES, "national_admin", "advisory_board"] as const;

const viewer = (a: Actor, w: PolicyWorld) => {
  const national = a.memberships[0]?.tenantId === w.national.id;
  return { viewerTenantId: national ? w.national.id : w.own.id, viewerKind: national ? ("national" as const) : w.own.kind };
};
const at = (t: { id: string; kind: TenantKind }, status: PracticeStatus, visibility: Visibility, adoptedByViewer = false) => ({
  tenantId: t.id,
  tenantKind: t.kind,
  status,
  visibility,
  adoptedByViewer,
});

/**
 * The good-practice library. A published practice is read by everyone (public) or by the people of
 * the network's municipalities and the national level (network; not by partners or trainers); drafts and practices in review only by the
 * people of the municipality that writes them, and — to review them — by the national level.
 * Municipal admins write their workspace's practices; model municipalities and the national level
 * submit them for review to publish beyond themselves; the national level reviews. Another
 * municipality's admins adopt a published practice into their workspace and, once adopted, say
 * whether it worked.
 */
export const practicePolicy = new Policy<PracticeRef, "read" | "edit" | "submit" | "review" | "adopt" | "feedback">(
  "practice",
  ["read", "edit", "submit", "review", "adopt", "feedback"],
  {
    "own municipality, draft": (a, w) => ({ ...at(w.own, "draft", "network"), ...viewer(a, w) }),
    "own municipality, in review": (a, w) => ({ ...at(w.own, "in_review", "network"), ...viewer(a, w) }),
    "own municipality, published": (a, w) => ({ ...at(w.own, "published", "network"), ...viewer(a, w) }),
    "other municipality, draft": (a, w) => ({ ...at(w.other, "draft", "public"), ...viewer(a, w) }),
    "other municipality, in review": (a, w) => ({ ...at(w.other, "in_review", "public"), ...viewer(a, w) }),
    "other municipality, published for the network": (a, w) => ({ ...at(w.other, "published", "network"), ...viewer(a, w) }),
    "other municipality, published for the public": (a, w) => ({ ...at(w.other, "published", "public"), ...viewer(a, w) }),
    "other municipality, published, adopted here": (a, w) => ({ ...at(w.other, "published", "network", true), ...viewer(a, w) }),
    "national level, draft": (a, w) => ({ ...at(w.national, "draft", "network"), ...viewer(a, w) }),
  },
)
  .allow("read", (_actor, p) => p.status === "published" && p.visibility === "public")
  .allow("read", (actor, p) => p.status === "published" && p.visibility === "network" && readsNetwork(actor))
  .allow("read", (actor, p) => (p.tenantKind === "national" ? isNationalAdmin(actor) : hasRole(actor, p.tenantId, ...MEMBER_ROLES)))
  .allow("read", (actor, p) => p.status === "in_review" && isNationalAdmin(actor))
  .allow("edit", (actor, p) => p.status === "draft" && keeps(actor, p))
  .allow("submit", (actor, p) => p.status === "draft" && p.tenantKind !== "platform" && keeps(actor, p))
  .allow("review", (actor, p) => p.status === "in_review" && isNationalAdmin(actor))
  .allow(
    "adopt",
    (actor, p) =>
      p.status === "published" &&
      p.visibility !== "internal" &&
      !p.adoptedByViewer &&
      p.viewerTenantId !== null &&
      p.viewerTenantId !== p.tenantId &&
      p.viewerKind !== "national" &&
      hasRole(actor, p.viewerTenantId, "municipal_admin"),
  )
  .allow(
    "feedback",
    (actor, p) => p.status === "published" && p.adoptedByViewer && p.viewerTenantId !== null && hasRole(actor, p.viewerTenantId, "municipal_admin"),
  );

/** The library's workspace of a tenant: its people read it, its admins write practices. */
export const libraryPolicy = new Policy<{ id: string; kind: TenantKind }, "open" | "write" | "reviewQueue">("library", ["open", "write", "reviewQueue"], {
  "own municipality": (_a, w) => w.own,
  "other municipality": (_a, w) => w.other,
  "national level": (_a, w) => w.national,
})
  .allow("open", (actor, t) => (t.kind === "national" ? isNationalAdmin(actor) : hasRole(actor, t.id, ...MEMBER_ROLES)))
  .allow("write", (actor, t) => keeps(actor, { tenantId: t.id, tenantKind: t.kind }))
  .allow("reviewQueue", (actor, t) => t.kind === "national" && isNationalAdmin(actor));

/**
 * The self-assessment of a municipality: its admins take it, its admins and leaders read its
 * results over time beside the medians of their peers. The national level and the advisory board
 * see the medians of the model and of the network municipalities, never one municipality's figures.
 */
export const assessmentPolicy = new Policy<{ id: string; kind: TenantKind }, "read" | "take" | "overview">("assessment", ["read", "take", "overview"], {
  "own municipality": (_a, w) => w.own,
  "other municipality": (_a, w) => w.other,
  "national level": (_a, w) => w.national,
})
  .allow("read", (actor, t) => t.kind !== "national" && hasRole(actor, t.id, "municipal_admin", "leader"))
  .allow("take", (actor, t) => t.kind !== "national" && hasRole(actor, t.id, "municipal_admin"))
  .allow("overview", (actor, t) => t.kind === "national" && hasRole(actor, t.id, "national_admin", "advisory_board"));

/**
 * The anonymous staff survey of a municipality: its admins open and end surveys and pass the link
 * on; its admins and leaders read the results (shown only after the end, from five answers on).
 * Answering needs no account: whoever holds the link answers.
 */
export const surveyPolicy = new Policy<{ id: string; kind: TenantKind }, "manage" | "results">("survey", ["manage", "results"], {
  "own municipality": (_a, w) => w.own,
  "other municipality": (_a, w) => w.other,
  "national level": (_a, w) => w.national,
})
  .allow("manage", (actor, t) => t.kind !== "national" && hasRole(actor, t.id, "municipal_admin"))
  .allow("results", (actor, t) => t.kind !== "national" && hasRole(actor, t.id, "municipal_admin", "leader"));

/**
 * A municipality's strategy concept: its people read it as it is being written, its admins write
 * and publish it. Published versions are read beyond it as the library's practices are (network:
 * the people of the network's municipalities and the national level; public: everyone).
 */
export const strategyPolicy = new Policy<{ id: string; kind: TenantKind }, "read" | "write">("strategy", ["read", "write"], {
  "own municipality": (_a, w) => w.own,
  "other municipality": (_a, w) => w.other,
  "national level": (_a, w) => w.national,
})
  .allow("read", (actor, t) => t.kind !== "national" && hasRole(actor, t.id, ...MEMBER_ROLES))
  .allow("write", (actor, t) => t.kind !== "national" && hasRole(actor, t.id, "municipal_admin"));

/** The live polls of a municipality: its admins and leaders run them (voting needs no account). */
export const pollPolicy = new Policy<{ id: string; kind: TenantKind }, "manage">("poll", ["manage"], {
  "own municipality": (_a, w) => w.own,
  "other municipality": (_a, w) => w.other,
  "national level": (_a, w) => w.national,
}).allow("manage", (actor, t) => t.kind !== "national" && hasRole(actor, t.id, "municipal_admin", "leader"));
