import { and, desc, eq, sql } from "drizzle-orm";
import { appendAudit } from "../../platform/audit/audit.ts";
import { type Actor, hasRole, Policy, type Role, TENANT_RELATIONS } from "../../platform/authz/policy.ts";
import { withTenant } from "../../platform/db/client.ts";
import { users } from "../../platform/db/schema.ts";
import { AppError } from "../../platform/http/errors.ts";
import type { Platform } from "../../platform/platform.ts";
import { CLEARING_STAGES, type ClearingStage } from "../../platform/vocabulary.ts";
import { whoIsResponsible } from "../alliance/index.ts";
import type { TenantRef } from "./policy.ts";
import { DEFAULT_PROCEDURE, latestProcedure, type Procedure, procedureSchema } from "./procedure.ts";
import { caseProcedures, cases } from "./schema.ts";

/*
 * The municipality's admins edit the clearing procedure: stages with the responsible role (the
 * alliance's responsibility matrix suggests one) and target days, the first-response target, whom
 * each level alarms. A preview shows the procedure as the office will work with it and what
 * changes; saving stores a new version — running cases keep theirs.
 */

/** The roles a municipality's procedure can name. */
export const PROCEDURE_ROLES = ["clearing_officer", "leader", "municipal_admin", "staff"] as const satisfies readonly Role[];
/** Whom a level or a passed deadline may alarm: never all staff (the alarm names a case). */
export const ESCALATION_ROLES = ["clearing_officer", "leader", "municipal_admin"] as const satisfies readonly Role[];
const ESCALATIONS = ["level2", "level3", "overdue"] as const;

export const procedurePolicy = new Policy<TenantRef, "view" | "configure">("procedure", ["view", "configure"], TENANT_RELATIONS)
  .allow("view", (actor, t) => t.kind !== "national" && (hasRole(actor, t.id, "clearing_officer") || hasRole(actor, t.id, "municipal_admin")))
  .allow("configure", (actor, t) => t.kind !== "national" && hasRole(actor, t.id, "municipal_admin"));

/** The form's fields as the page names them. */
export type ProcedureForm = Record<string, string | string[]>;

export function formOf(p: Procedure): ProcedureForm {
  const form: ProcedureForm = { firstResponseHours: String(p.firstResponseHours) };
  for (const s of p.stages) {
    form[`role_${s.stage}`] = s.role;
    form[`days_${s.stage}`] = String(s.targetDays);
  }
  for (const e of ESCALATIONS) form[e] = [...p.escalation[e]];
  return form;
}

/** The procedure from the form, or the errors under the fields' names. */
export function procedureFromForm(
  body: unknown,
): { ok: true; procedure: Procedure; form: ProcedureForm } | { ok: false; errors: Record<string, string>; form: ProcedureForm } {
  const b = (body ?? {}) as Record<string, unknown>;
  const str = (k: string) => (typeof b[k] === "string" ? (b[k] as string).trim() : "");
  const list = (k: string) => (Array.isArray(b[k]) ? b[k] : b[k] === undefined ? [] : [b[k]]).filter((v): v is string => typeof v === "string");
  const form: ProcedureForm = { firstResponseHours: str("firstResponseHours") };
  const errors: Record<string, string> = {};
  const whole = (k: string, min: number, max: number) => {
    const v = str(k);
    if (!/^\d{1,4}$/.test(v) || Number(v) < min || Number(v) > max) errors[k] = `errors.procedure.${k.startsWith("days_") ? "days" : k}`;
    return Number(v);
  };
  const firstResponseHours = whole("firstResponseHours", 1, 24 * 14);
  const stages = CLEARING_STAGES.map((stage) => {
    form[`role_${stage}`] = str(`role_${stage}`);
    form[`days_${stage}`] = str(`days_${stage}`);
    const role = str(`role_${stage}`);
    if (!(PROCEDURE_ROLES as readonly string[]).includes(role)) errors[`role_${stage}`] = "errors.procedure.role";
    return { stage, role: role as Role, targetDays: whole(`days_${stage}`, 0, 365) };
  });
  const escalation = Object.fromEntries(
    ESCALATIONS.map((e) => {
      const chosen = list(e).filter((r) => (ESCALATION_ROLES as readonly string[]).includes(r));
      form[e] = chosen;
      if (chosen.length === 0) errors[e] = "errors.procedure.escalation";
      return [e, chosen as Role[]];
    }),
  ) as Procedure["escalation"];
  if (Object.keys(errors).length > 0) return { ok: false, errors, form };
  return { ok: true, procedure: procedureSchema.parse({ firstResponseHours, stages, escalation }), form };
}

export interface ProcedureOverview {
  current: { version: number; procedure: Procedure };
  versions: { version: number; createdAt: Date | null; createdByName: string | null; openCases: number }[];
  /** Per stage, the roles the alliance's responsibility matrix names as responsible. */
  suggestions: Record<ClearingStage, string[]>;
  policies: { configure: boolean };
}

export async function procedureOverview(platform: Pick<Platform, "db">, actor: Actor, tenant: TenantRef): Promise<ProcedureOverview> {
  procedurePolicy.authorize(actor, "view", tenant);
  const data = await withTenant(
    platform.db,
    tenant.id,
    async (tx) => {
      const current = await latestProcedure(tx, tenant.id);
      const stored = await tx
        .select({ version: caseProcedures.version, createdAt: caseProcedures.createdAt, createdByName: users.displayName })
        .from(caseProcedures)
        .leftJoin(users, eq(users.id, caseProcedures.createdBy))
        .where(eq(caseProcedures.tenantId, tenant.id))
        .orderBy(desc(caseProcedures.version));
      const open = await tx
        .select({ version: cases.procedureVersion, n: sql<number>`count(*)::int` })
        .from(cases)
        .where(and(eq(cases.tenantId, tenant.id), sql`${cases.status} <> 'closed'`))
        .groupBy(cases.procedureVersion);
      const openBy = new Map(open.map((o) => [o.version, o.n]));
      const versions = [...stored, ...(stored.some((s) => s.version === 1) ? [] : [{ version: 1, createdAt: null, createdByName: null }])].map((v) => ({
        ...v,
        openCases: openBy.get(v.version) ?? 0,
      }));
      return { current, versions };
    },
    actor.userId,
  );
  const suggestions = Object.fromEntries(
    await Promise.all(
      CLEARING_STAGES.map(async (stage) => {
        const who = await whoIsResponsible(platform, tenant.id, { stage });
        // A stage's role is what the procedure names: the matrix's roles are the suggestion (its partners and people stay in the alliance).
        return [stage, who.responsible.flatMap((a) => (a.kind === "role" ? [a.role] : []))];
      }),
    ),
  ) as Record<ClearingStage, string[]>;
  return { ...data, suggestions, policies: { configure: procedurePolicy.can(actor, "configure", tenant) } };
}

/** Stores the procedure as the municipality's next version; cases opened from now on follow it. */
export async function saveProcedure(platform: Pick<Platform, "db" | "clock">, actor: Actor, tenant: TenantRef, procedure: Procedure): Promise<number> {
  procedurePolicy.authorize(actor, "view", tenant);
  if (!procedurePolicy.can(actor, "configure", tenant)) throw AppError.refused({ policy: procedurePolicy.name, action: "configure", tenantId: tenant.id });
  const now = platform.clock.now();
  return withTenant(
    platform.db,
    tenant.id,
    async (tx) => {
      // Version 1 is the default while none is stored, so the first stored one is 2.
      const [{ latest }] = await tx
        .select({ latest: sql<number>`coalesce(max(${caseProcedures.version}), 1)::int` })
        .from(caseProcedures)
        .where(eq(caseProcedures.tenantId, tenant.id));
      const version = latest + 1;
      await tx.insert(caseProcedures).values({ tenantId: tenant.id, version, definition: procedure, createdBy: actor.userId, createdAt: now });
      await appendAudit(
        tx,
        { tenantId: tenant.id, actorId: actor.userId, action: "case.procedure_saved", objectType: "tenant", objectId: tenant.id, details: { version } },
        now,
      );
      return version;
    },
    actor.userId,
  );
}

/** What a new procedure changes against the current one, as keys of the page's texts. */
export function changesOf(current: Procedure, next: Procedure): string[] {
  const changed: string[] = [];
  if (current.firstResponseHours !== next.firstResponseHours) changed.push("firstResponseHours");
  for (const s of next.stages) {
    const before = current.stages.find((c) => c.stage === s.stage);
    if (before?.role !== s.role || before?.targetDays !== s.targetDays) changed.push(`stage_${s.stage}`);
  }
  for (const e of ESCALATIONS) if ([...current.escalation[e]].sort().join() !== [...next.escalation[e]].sort().join()) changed.push(e);
  return changed;
}

export { DEFAULT_PROCEDURE };
