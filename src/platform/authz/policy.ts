/*
 * Permissions are declared per resource as a flat list of rules (`allow`), checked with
 * `can`, enforced with `authorize` (throws NotFound: a forbidden record looks like a missing
 * one) and exposed to views and the API with `serialize`. Nothing is allowed unless a rule says so.
 */

export const ROLES = ["national_admin", "advisory_board", "municipal_admin", "clearing_officer", "leader", "staff", "alliance_partner", "trainer"] as const;
export type Role = (typeof ROLES)[number];

/** Roles whose accounts must use a second factor. */
export const SECOND_FACTOR_ROLES: readonly Role[] = ["national_admin", "municipal_admin", "clearing_officer"];

export interface Membership {
  tenantId: string;
  role: Role;
}

export interface Actor {
  userId: string;
  memberships: Membership[];
  /** The national tenant's id, so rules can recognise national roles. */
  nationalTenantId: string;
}

export function hasRole(actor: Actor | null, tenantId: string, ...roles: Role[]): boolean {
  return !!actor && actor.memberships.some((m) => m.tenantId === tenantId && roles.includes(m.role));
}

export function isNationalAdmin(actor: Actor | null): boolean {
  return !!actor && hasRole(actor, actor.nationalTenantId, "national_admin");
}

type Rule<R> = (actor: Actor | null, resource: R) => boolean;

/**
 * A record that is missing or that the actor may not see. When a policy refused it, `denial`
 * says which rule and in which tenant, so that the refusal can be audited there (without
 * telling the actor).
 */
export class NotFoundError extends Error {
  readonly denial?: { policy: string; action: string; tenantId: string | null };
  constructor(denial?: { policy: string; action: string; tenantId: string | null }) {
    super("not found");
    this.denial = denial;
  }
}

const TENANT_KINDS: readonly unknown[] = ["national", "model", "platform"];

/** The tenant a resource belongs to: a tenant itself, or a record with a tenantId. */
function tenantOf(resource: unknown): string | null {
  if (!resource || typeof resource !== "object") return null;
  const r = resource as { id?: unknown; kind?: unknown; tenantId?: unknown };
  if (typeof r.tenantId === "string") return r.tenantId;
  return typeof r.id === "string" && TENANT_KINDS.includes(r.kind) ? r.id : null;
}

/** A set of rules for one kind of resource. */
export class Policy<R, A extends string> {
  readonly rules = new Map<A, Rule<R>[]>();
  readonly name: string;
  readonly actions: readonly A[];
  constructor(name: string, actions: readonly A[]) {
    this.name = name;
    this.actions = actions;
  }

  allow(action: A, rule: Rule<R>): this {
    const list = this.rules.get(action) ?? [];
    list.push(rule);
    this.rules.set(action, list);
    return this;
  }

  can(actor: Actor | null, action: A, resource: R): boolean {
    return (this.rules.get(action) ?? []).some((rule) => rule(actor, resource));
  }

  /** Throws NotFoundError unless allowed, so that a forbidden record answers like a missing one. */
  authorize(actor: Actor | null, action: A, resource: R): void {
    if (!this.can(actor, action, resource)) throw new NotFoundError({ policy: this.name, action, tenantId: tenantOf(resource) });
  }

  /** action → allowed, for the UI and the API's `policies` field. */
  serialize(actor: Actor | null, resource: R): Record<A, boolean> {
    return Object.fromEntries(this.actions.map((a) => [a, this.can(actor, a, resource)])) as Record<A, boolean>;
  }
}
