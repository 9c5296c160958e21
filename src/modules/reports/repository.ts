import { and, asc, eq, inArray, isNull, type SQL, sql } from "drizzle-orm";
import type { Db } from "../../platform/db/client.ts";
import { evidence, reportContacts, reportMessages, reports } from "./schema.ts";

/*
 * The SQL of the Meldestelle's reading side: each function takes the transaction of one tenant
 * (row-level security holds it there) and names the tenant in its conditions as well. Nothing
 * here opens a sealed value, checks a permission or writes the audit log: the commands do.
 * (The intake itself is one database function, decision 006.)
 */

export type ReportRow = typeof reports.$inferSelect;

export async function reportByNumber(tx: Db, tenantId: string, caseNumber: string): Promise<ReportRow | undefined> {
  const [r] = await tx
    .select()
    .from(reports)
    .where(and(eq(reports.tenantId, tenantId), eq(reports.caseNumber, caseNumber)));
  return r;
}

export async function reportByReceipt(tx: Db, tenantId: string, receiptHash: string): Promise<ReportRow | undefined> {
  const [r] = await tx
    .select()
    .from(reports)
    .where(and(eq(reports.tenantId, tenantId), eq(reports.receiptHash, receiptHash)));
  return r;
}

export async function caseNumberOfReport(tx: Db, tenantId: string, reportId: string): Promise<string | undefined> {
  const [r] = await tx
    .select({ caseNumber: reports.caseNumber })
    .from(reports)
    .where(and(eq(reports.tenantId, tenantId), eq(reports.id, reportId)));
  return r?.caseNumber;
}

/** The sealed contact details of a report, if the reporter gave any. */
export async function sealedContactOf(tx: Db, tenantId: string, reportId: string): Promise<string | undefined> {
  const [c] = await tx
    .select({ contact: reportContacts.contact })
    .from(reportContacts)
    .where(and(eq(reportContacts.tenantId, tenantId), eq(reportContacts.reportId, reportId)));
  return c?.contact;
}

export async function messageRows(tx: Db, tenantId: string, reportId: string) {
  return tx
    .select()
    .from(reportMessages)
    .where(and(eq(reportMessages.tenantId, tenantId), eq(reportMessages.reportId, reportId)))
    .orderBy(asc(reportMessages.createdAt));
}

/** The office opened the case: the reporter's messages count as read. */
export async function markMessagesRead(tx: Db, tenantId: string, reportId: string, at: Date): Promise<void> {
  await tx
    .update(reportMessages)
    .set({ readAt: at })
    .where(and(eq(reportMessages.tenantId, tenantId), eq(reportMessages.reportId, reportId), isNull(reportMessages.readAt)));
}

/** Reporters' messages the office has not opened yet, per report (reports without any are left out). */
export async function unreadMessagesByReport(tx: Db, tenantId: string, reportIds: readonly string[]): Promise<Map<string, number>> {
  if (reportIds.length === 0) return new Map();
  const rows = await tx
    .select({ reportId: reportMessages.reportId, n: sql<number>`count(*)::int` })
    .from(reportMessages)
    .where(and(eq(reportMessages.tenantId, tenantId), inArray(reportMessages.reportId, [...reportIds]), isNull(reportMessages.readAt)))
    .groupBy(reportMessages.reportId);
  return new Map(rows.map((r) => [r.reportId, r.n]));
}

export async function unreadMessagesTotal(tx: Db, tenantId: string): Promise<number> {
  const [r] = await tx
    .select({ n: sql<number>`count(*)::int` })
    .from(reportMessages)
    .where(and(eq(reportMessages.tenantId, tenantId), isNull(reportMessages.readAt)));
  return r?.n ?? 0;
}

/** The status a reporter sees in the mailbox (the case's, set by the cases module). */
export async function setReportStatus(tx: Db, tenantId: string, reportIds: readonly string[], status: ReportRow["status"]): Promise<void> {
  if (reportIds.length === 0) return;
  await tx
    .update(reports)
    .set({ status })
    .where(and(eq(reports.tenantId, tenantId), inArray(reports.id, [...reportIds])));
}

/** Evidence rows matching `where`, in the order they arrived (the numbering the case page shows). */
export async function evidenceRows(tx: Db, tenantId: string, where: SQL) {
  return tx
    .select()
    .from(evidence)
    .where(and(eq(evidence.tenantId, tenantId), where))
    .orderBy(asc(evidence.receivedAt), asc(evidence.id));
}

/** A file of a report, found through the report's case number, and its place in the report's list. */
export async function evidenceFileOfReport(tx: Db, tenantId: string, caseNumber: string, evidenceId: string) {
  const [row] = await tx
    .select({ e: evidence })
    .from(evidence)
    .innerJoin(reports, and(eq(reports.tenantId, evidence.tenantId), eq(reports.id, evidence.reportId)))
    .where(and(eq(evidence.tenantId, tenantId), eq(evidence.id, evidenceId), eq(reports.caseNumber, caseNumber), eq(evidence.kind, "file")));
  if (!row) return undefined;
  const siblings = await evidenceRows(tx, tenantId, eq(evidence.reportId, row.e.reportId as string));
  return { ...row.e, number: siblings.findIndex((s) => s.id === evidenceId) + 1 };
}
