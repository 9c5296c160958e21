import { appendAudit } from "../../platform/audit/audit.ts";
import type { Actor } from "../../platform/authz/policy.ts";
import { withTenant } from "../../platform/db/client.ts";
import { AppError } from "../../platform/http/errors.ts";
import type { Platform } from "../../platform/platform.ts";
import type { ClearingStage, IncidentForm, RiskLevel } from "../../platform/vocabulary.ts";
import { isOpenAt } from "./hours.ts";
import { directoryPolicy, type TenantRef } from "./policy.ts";
import {
  activeMembers,
  deleteResponsibility,
  insertResponsibility,
  listPartners,
  listResponsibilities,
  type PartnerRow,
  partnerById,
  type ResponsibilityRow,
} from "./repository.ts";
import type { PartnerKind, Raci } from "./schema.ts";
import type { ResponsibilityInput } from "./schemas.ts";
import { checkId } from "./schemas.ts";

/*
 * Who is responsible, consulted and informed at each stage of the clearing procedure, for an
 * incident form and a risk level: kept by the municipal admins, read by everyone who works
 * there, and asked by other modules (`whoIsResponsible`, `partnersOffering`) without reading
 * this module's tables.
 */

type Deps = Pick<Platform, "db" | "clock">;

export interface Matrix {
  rows: ResponsibilityRow[];
  partners: { id: string; name: string }[];
  people: { id: string; name: string }[];
  policies: Record<"read" | "edit", boolean>;
}

export async function responsibilityMatrix(platform: Pick<Platform, "db">, actor: Actor, tenant: TenantRef): Promise<Matrix> {
  directoryPolicy.authorize(actor, "read", tenant);
  return withTenant(
    platform.db,
    tenant.id,
    async (tx) => ({
      rows: await listResponsibilities(tx, tenant.id),
      partners: (await listPartners(tx, tenant.id)).map((p) => ({ id: p.id, name: p.name })),
      people: await activeMembers(tx, tenant.id),
      policies: directoryPolicy.serialize(actor, tenant),
    }),
    actor.userId,
  );
}

/** Adds a line to the matrix; refuses a partner or person who is not part of this municipality. */
export async function addResponsibility(
  platform: Deps,
  actor: Actor,
  tenant: TenantRef,
  input: ResponsibilityInput,
): Promise<{ ok: true } | { ok: false; field: "assignee" }> {
  directoryPolicy.authorize(actor, "edit", tenant);
  const now = platform.clock.now();
  return withTenant(
    platform.db,
    tenant.id,
    async (tx) => {
      const a = input.assignee;
      if (a.partnerId && !(await partnerById(tx, tenant.id, a.partnerId))) return { ok: false, field: "assignee" } as const;
      if (a.userId && !(await activeMembers(tx, tenant.id)).some((m) => m.id === a.userId)) return { ok: false, field: "assignee" } as const;
      const id = await insertResponsibility(tx, tenant.id, { stage: input.stage, form: input.form, level: input.level, raci: input.raci, ...a }, now);
      await appendAudit(
        tx,
        {
          tenantId: tenant.id,
          actorId: actor.userId,
          action: "alliance.responsibility.added",
          objectType: "alliance_responsibility",
          objectId: id,
          details: { stage: input.stage, form: input.form, level: input.level, raci: input.raci, assignee: a.assigneeKind },
        },
        now,
      );
      return { ok: true } as const;
    },
    actor.userId,
  );
}

export async function removeResponsibility(platform: Deps, actor: Actor, tenant: TenantRef, id: string): Promise<void> {
  directoryPolicy.authorize(actor, "edit", tenant);
  checkId(id);
  const now = platform.clock.now();
  await withTenant(
    platform.db,
    tenant.id,
    async (tx) => {
      if (!(await deleteResponsibility(tx, tenant.id, id))) throw new AppError("not_found");
      await appendAudit(
        tx,
        { tenantId: tenant.id, actorId: actor.userId, action: "alliance.responsibility.removed", objectType: "alliance_responsibility", objectId: id },
        now,
      );
    },
    actor.userId,
  );
}

/** Someone the matrix names: a role of the municipality, a partner of the alliance, or a person. */
export type Assignee =
  | { kind: "role"; role: string }
  | { kind: "partner"; partner: { id: string; name: string; kind: PartnerKind; phone: string | null; email: string | null } }
  | { kind: "person"; person: { id: string; name: string } };

export type Responsibilities = Record<Raci, Assignee[]>;

function assigneeOf(r: ResponsibilityRow, partners: Map<string, PartnerRow>): Assignee | null {
  if (r.assigneeKind === "role" && r.assigneeRole) return { kind: "role", role: r.assigneeRole };
  if (r.assigneeKind === "person" && r.userId) return { kind: "person", person: { id: r.userId, name: r.userName ?? "" } };
  const p = r.partnerId ? partners.get(r.partnerId) : undefined;
  return p ? { kind: "partner", partner: { id: p.id, name: p.name, kind: p.kind, phone: p.phone, email: p.email } } : null;
}

/**
 * "Who is responsible for a level-2 threat at Ersteinschätzung?": every line of the stage whose
 * form and level match (a line left open for either matches all), the most specific first.
 */
export async function whoIsResponsible(
  platform: Pick<Platform, "db">,
  tenantId: string,
  query: { stage: ClearingStage; form?: IncidentForm | null; level?: RiskLevel | null },
): Promise<Responsibilities> {
  return withTenant(platform.db, tenantId, async (tx) => {
    const partners = new Map((await listPartners(tx, tenantId)).map((p) => [p.id, p]));
    const matching = (await listResponsibilities(tx, tenantId))
      .filter((r) => r.stage === query.stage && (r.form === null || r.form === query.form) && (r.level === null || r.level === query.level))
      .sort((a, b) => Number(b.form !== null) + Number(b.level !== null) - (Number(a.form !== null) + Number(a.level !== null)));
    const out: Responsibilities = { responsible: [], consulted: [], informed: [] };
    for (const r of matching) {
      const who = assigneeOf(r, partners);
      if (who) out[r.raci].push(who);
    }
    return out;
  });
}

/** "Which partners offer Opferberatung in Arabic?" — by kind and language, those open at `openAt` first. */
export async function partnersOffering(
  platform: Pick<Platform, "db">,
  tenantId: string,
  query: { kind?: PartnerKind; language?: string; openAt?: Date },
): Promise<(PartnerRow & { openNow: boolean })[]> {
  const all = await withTenant(platform.db, tenantId, (tx) => listPartners(tx, tenantId));
  return all
    .filter((p) => (!query.kind || p.kind === query.kind) && (!query.language || p.languages.includes(query.language)))
    .map((p) => ({ ...p, openNow: query.openAt ? isOpenAt(p.hours, query.openAt) : false }))
    .sort((a, b) => Number(b.openNow) - Number(a.openNow));
}
