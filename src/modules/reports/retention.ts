import { sql } from "drizzle-orm";
import { type Db, rows } from "../../platform/db/client.ts";

/**
 * The Meldestelle's part of deleting a case past its retention period: the reports with their
 * contact details, evidence, messages, questions and feedback. The database function deletes
 * only closed reports whose case is gone already (komma_purge_reports, drizzle/0031_retention.sql).
 */
export async function purgeReports(tx: Db, tenantId: string, reportIds: readonly string[]): Promise<number> {
  if (reportIds.length === 0) return 0;
  const [{ n }] = await rows<{ n: number }>(tx, sql`select komma_purge_reports(${tenantId}::uuid, ${`{${reportIds.join(",")}}`}::uuid[]) as n`);
  return n;
}
