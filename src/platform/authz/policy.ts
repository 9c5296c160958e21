/*
 * Permissions are declared per resource as a flat list of rules (`allow`), checked with
 * `can`, enforced with `authorize` (throws NotFound: a forbidden record looks like a missing
 * one) and exposed to views and the API with `serialize`. Nothing is allowed unless a rule says so.
 *
 * A rule sees the actor and the record as the module's repository describes it: its tenant and
 * the actor's relations to it (assigned to them, a referral to their organisation with its data
 * categories and end date, a consent). Records are checked in sets (`allowedIds`): one query
 * loads what the rules need for all ids of a list or a bulk action, and the rules filter them.
 *
 * Each policy names the relations its rules distinguish (`relations`), each with the record as
 * it would look for an actor of a given role in that relation. A test walks every policy of every
 * module through role × relation × action and compares with the table written down for it
 * (tests/integration/policy-tables.test.ts): a new rule or relation without its table fails.
 */

export const ROLES = ["national_admin", "advisory_board", "municipal_admin", "clearing_officer", "leader", "staff", "alliance_partner", "trainer"] as const;
export type Role = (typeof ROLES)[number];

/** Roles whose accounts must use a second factor. */
export const SECOND_FACTOR_ROLES: readonly Role[] = ["national_admin", "municipal_admin", "clearing_officer", "alliance_partner"];

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

/** Tenants and people a relation's record can point at, made up for the policy tables. */
export interface PolicyWorld {
  /** The municipality the actor works in (national roles work in `national`). */
  own: { id: string; kind: "model" | "platform" };
  other: { id: string; kind: "model" | "platform" };
  national: { id: string; kind: "national" };
  /** Someone other than the actor. */
  someoneElse: string;
}

/** Builds the record a relation stands for, for an actor of the world. */
export type RelationFixture<R> = (actor: Actor, world: PolicyWorld) => R;

/** A set of rules for one kind of resource. */
export class Policy<R, A extends string> {
  readonly rules = new Map<A, Rule<R>[]>();
  readonly name: string;
  readonly actions: readonly A[];
  readonly relations: Readonly<Record<string, RelationFixture<R>>>;
  constructor(name: string, actions: readonly A[], relations: Record<string, RelationFixture<R>>) {
    this.name = name;
    this.actions = actions;
    this.relations = relations;
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

  /** The records of a list the actor may act on. */
  permitted<T extends R>(actor: Actor | null, action: A, records: readonly T[]): T[] {
    return records.filter((r) => this.can(actor, action, r));
  }

  /**
   * The ids (of a bulk action, a list) the actor may act on: `load` fetches what the rules need
   * for all of them at once; ids it does not find are left out like forbidden ones.
   */
  async allowedIds(actor: Actor | null, action: A, ids: readonly string[], load: (ids: readonly string[]) => Promise<Map<string, R>>): Promise<Set<string>> {
    const records = await load([...new Set(ids)]);
    return new Set([...records].filter(([, r]) => this.can(actor, action, r)).map(([id]) => id));
  }

  /** action → allowed, for the UI and the API's `policies` field. */
  serialize(actor: Actor | null, resource: R): Record<A, boolean> {
    return Object.fromEntries(this.actions.map((a) => [a, this.can(actor, a, resource)])) as Record<A, boolean>;
  }
}

/** The relations of a rule set about a tenant: the actor's own municipality, another one, the national level. */
export const TENANT_RELATIONS = {
  "own municipality": (_actor: Actor, w: PolicyWorld) => w.own,
  "other municipality": (_actor: Actor, w: PolicyWorld) => w.other,
  "national level": (_actor: Actor, w: PolicyWorld) => w.national,
} satisfies Record<string, RelationFixture<{ id: string; kind: "national" | "model" | "platform" }>>;

/** The system itself (command-line administration): national-admin rights, audited as nobody in particular. */
export function systemActor(nationalTenantId: string): Actor {
  return { userId: "00000000-0000-0000-0000-000000000000", memberships: [{ tenantId: nationalTenantId, role: "national_admin" }], nationalTenantId };
}
