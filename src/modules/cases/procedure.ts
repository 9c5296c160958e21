import { and, desc, eq, sql } from "drizzle-orm";
import { z } from "zod";
import { ROLES } from "../../platform/authz/policy.ts";
import type { Db } from "../../platform/db/client.ts";
import { CLEARING_STAGES } from "../../platform/vocabulary.ts";
import { caseProcedures } from "./schema.ts";

/*
 * A municipality's clearing procedure: its stages with the role responsible and a target time,
 * the first-response target, and whom each risk level alarms. Versioned: a running case keeps the
 * version it started with. Every municipality has the default until it stores its own.
 */

const role = z.enum(ROLES);

export const procedureSchema = z.object({
  /** Hours within which the office answers a new report (level 3: at once). */
  firstResponseHours: z
    .number()
    .int()
    .min(1)
    .max(24 * 14),
  stages: z.array(z.object({ stage: z.enum(CLEARING_STAGES), role, targetDays: z.number().int().min(0).max(365) })).length(CLEARING_STAGES.length),
  escalation: z.object({
    /** Who hears of a case assessed at level 2 (police the same day) and level 3 (110, alarm chain, crisis team). */
    level2: z.array(role).min(1),
    level3: z.array(role).min(1),
    /** Who hears of a legal deadline that has passed or an overdue task. */
    overdue: z.array(role).min(1),
  }),
});
export type Procedure = z.infer<typeof procedureSchema>;

export const DEFAULT_PROCEDURE: Procedure = {
  firstResponseHours: 24,
  stages: [
    { stage: "intake", role: "clearing_officer", targetDays: 1 },
    { stage: "assessment", role: "clearing_officer", targetDays: 2 },
    { stage: "measures", role: "clearing_officer", targetDays: 30 },
    { stage: "aftercare", role: "clearing_officer", targetDays: 60 },
    { stage: "closure", role: "clearing_officer", targetDays: 14 },
  ],
  escalation: {
    level2: ["clearing_officer", "leader"],
    level3: ["clearing_officer", "leader", "municipal_admin"],
    overdue: ["leader"],
  },
};

/**
 * The procedure a case opened now starts with, as one row for the statement that opens it:
 * `version`, the latest stored or the default (1), and `hours`, its first-response target
 * (stored definitions were checked by `procedureSchema` when saved).
 */
export const currentProcedureSql = (tenantId: string) =>
  sql`select coalesce(max(p.version), 1) as version,
             coalesce((select (l.definition->>'firstResponseHours')::int from ${caseProcedures} l where l.tenant_id = ${tenantId} order by l.version desc limit 1),
                      ${DEFAULT_PROCEDURE.firstResponseHours}) as hours
        from ${caseProcedures} p where p.tenant_id = ${tenantId}`;

/** A version of the municipality's procedure; version 1 is the default while none is stored. */
export async function procedureVersion(tx: Db, tenantId: string, version: number): Promise<Procedure> {
  const [row] = await tx
    .select({ definition: caseProcedures.definition })
    .from(caseProcedures)
    .where(and(eq(caseProcedures.tenantId, tenantId), eq(caseProcedures.version, version)));
  return row ? procedureSchema.parse(row.definition) : DEFAULT_PROCEDURE;
}

/** The municipality's latest procedure with its version number. */
export async function latestProcedure(tx: Db, tenantId: string): Promise<{ version: number; procedure: Procedure }> {
  const [row] = await tx
    .select({ version: caseProcedures.version, definition: caseProcedures.definition })
    .from(caseProcedures)
    .where(eq(caseProcedures.tenantId, tenantId))
    .orderBy(desc(caseProcedures.version))
    .limit(1);
  return row ? { version: row.version, procedure: procedureSchema.parse(row.definition) } : { version: 1, procedure: DEFAULT_PROCEDURE };
}

/** Whom a level alarms under a procedure: nobody below level 2. */
export function escalationRoles(procedure: Procedure, level: number): Procedure["escalation"]["level2"] {
  if (level >= 3) return procedure.escalation.level3;
  if (level === 2) return procedure.escalation.level2;
  return [];
}
