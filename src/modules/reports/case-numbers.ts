import { and, eq, inArray } from "drizzle-orm";
import { withTenant } from "../../platform/db/client.ts";
import type { Platform } from "../../platform/platform.ts";
import { evidence, reports } from "./schema.ts";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The case numbers behind report and evidence ids of one municipality (for the audit log, whose
 * entries name reports and evidence by id). Case numbers only, never content: the caller has
 * already been allowed to read that municipality's audit log. Unknown ids are left out.
 */
export async function caseNumbersOf(
  platform: Platform,
  tenantId: string,
  ids: { reportIds?: readonly string[]; evidenceIds?: readonly string[] },
): Promise<{ reports: Map<string, string>; evidence: Map<string, string> }> {
  const reportIds = [...new Set((ids.reportIds ?? []).filter((id) => UUID.test(id)))];
  const evidenceIds = [...new Set((ids.evidenceIds ?? []).filter((id) => UUID.test(id)))];
  const result = { reports: new Map<string, string>(), evidence: new Map<string, string>() };
  if (reportIds.length === 0 && evidenceIds.length === 0) return result;
  await withTenant(platform.db, tenantId, async (tx) => {
    if (reportIds.length > 0) {
      const rows = await tx
        .select({ id: reports.id, caseNumber: reports.caseNumber })
        .from(reports)
        .where(and(eq(reports.tenantId, tenantId), inArray(reports.id, reportIds)));
      for (const r of rows) result.reports.set(r.id, r.caseNumber);
    }
    if (evidenceIds.length > 0) {
      const rows = await tx
        .select({ id: evidence.id, caseNumber: reports.caseNumber })
        .from(evidence)
        .innerJoin(reports, and(eq(reports.tenantId, evidence.tenantId), eq(reports.id, evidence.reportId)))
        .where(and(eq(evidence.tenantId, tenantId), inArray(evidence.id, evidenceIds)));
      for (const r of rows) result.evidence.set(r.id, r.caseNumber);
    }
  });
  return result;
}
