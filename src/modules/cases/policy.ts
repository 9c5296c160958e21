import { hasRole, Policy, TENANT_RELATIONS } from "../../platform/authz/policy.ts";

export interface TenantRef {
  id: string;
  kind: "national" | "model" | "platform";
}

/** The inbox of a municipality: the clearing office lists its cases. */
export const inboxPolicy = new Policy<TenantRef, "list">("inbox", ["list"], TENANT_RELATIONS).allow(
  "list",
  (actor, tenant) => tenant.kind !== "national" && hasRole(actor, tenant.id, "clearing_officer"),
);

/** A case as the rules see it: its municipality and who leads it. */
export interface CaseRef {
  tenantId: string;
  tenantKind: "national" | "model" | "platform";
  assigneeId: string | null;
  /** The assignee still works in this municipality's clearing office. */
  assigneeActive: boolean;
  /** Closed (also as a duplicate or abuse): read and reopened, not worked on. */
  closed: boolean;
}

const officerHere = (actor: Parameters<typeof hasRole>[0], c: CaseRef) => c.tenantKind !== "national" && hasRole(actor, c.tenantId, "clearing_officer");

const leadsOrNobodyDoes = (actor: Parameters<typeof hasRole>[0], c: CaseRef) =>
  officerHere(actor, c) && (c.assigneeId === null || c.assigneeId === actor?.userId || !c.assigneeActive);

/**
 * The clearing office reads every case of its municipality. Who leads a case decides who may hand
 * it on and work on it (assess its risk, decide measures): the assigned officer; anyone in the
 * office while nobody leads it, or once the officer who led it has left the office — never a
 * colleague behind the assignee's back.
 */
export const casePolicy = new Policy<CaseRef, "read" | "assign" | "work">("case", ["read", "assign", "work"], {
  "own municipality, unassigned": (_a, w) => ({ tenantId: w.own.id, tenantKind: w.own.kind, assigneeId: null, assigneeActive: false, closed: false }),
  "own municipality, assigned to them": (a, w) => ({ tenantId: w.own.id, tenantKind: w.own.kind, assigneeId: a.userId, assigneeActive: true, closed: false }),
  "own municipality, assigned to a colleague": (_a, w) => ({
    tenantId: w.own.id,
    tenantKind: w.own.kind,
    assigneeId: w.someoneElse,
    assigneeActive: true,
    closed: false,
  }),
  "own municipality, assigned to someone who left": (_a, w) => ({
    tenantId: w.own.id,
    tenantKind: w.own.kind,
    assigneeId: w.someoneElse,
    assigneeActive: false,
    closed: false,
  }),
  "own municipality, closed, assigned to them": (a, w) => ({
    tenantId: w.own.id,
    tenantKind: w.own.kind,
    assigneeId: a.userId,
    assigneeActive: true,
    closed: true,
  }),
  "other municipality, assigned to them": (a, w) => ({
    tenantId: w.other.id,
    tenantKind: w.other.kind,
    assigneeId: a.userId,
    assigneeActive: true,
    closed: false,
  }),
})
  .allow("read", officerHere)
  .allow("assign", leadsOrNobodyDoes)
  .allow("work", (actor, c) => !c.closed && leadsOrNobodyDoes(actor, c));
