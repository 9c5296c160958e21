import { and, asc, eq, inArray, isNull, sql } from "drizzle-orm";
import { appendAudit } from "../../platform/audit/audit.ts";
import type { Actor } from "../../platform/authz/policy.ts";
import { type Db, withTenant } from "../../platform/db/client.ts";
import { AppError } from "../../platform/http/errors.ts";
import type { Platform } from "../../platform/platform.ts";
import { checkCaseNumber, type EvidenceItem, listEvidenceWhere, SEALED, type TenantInfo, UUID } from "./commands.ts";
import { ALLOWED_TYPES, databaseEvidenceStore } from "./evidence.ts";
import { currentFlood } from "./flood.ts";
import { addMessage, messagesOf } from "./mailbox.ts";
import { reportPolicy } from "./policy.ts";
import { evidence, reportContacts, reportMessages, reports } from "./schema.ts";
import { type DraftAnswers, mailboxMessageProblem } from "./schemas.ts";

/*
 * The clearing office's side of the Meldestelle: the list of reports, reading one (audited),
 * its evidence files, and the notices that come first (new reports, unread answers, a flood).
 */

export interface ReportSummary {
  id: string;
  caseNumber: string;
  channel: string;
  mode: string;
  /** The status the reporter sees in the mailbox (set by the case: setReporterStatus). */
  status: string;
  immediateDanger: boolean;
  createdAt: Date;
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

/** The status a reporter sees in the mailbox follows the case's (the cases module sets it, in its transaction). */
export async function setReporterStatus(tx: Db, tenantId: string, reportIds: readonly string[], status: "received" | "in_progress" | "closed"): Promise<void> {
  if (reportIds.length === 0) return;
  await tx
    .update(reports)
    .set({ status })
    .where(and(eq(reports.tenantId, tenantId), inArray(reports.id, [...reportIds])));
}

export interface ReportDetail extends ReportSummary {
  /** The reporter holds a receipt code: the office answers through the mailbox. */
  mailbox: boolean;
  language: string;
  content: DraftAnswers;
  contact: Record<string, string> | null;
  evidence: EvidenceItem[];
  messages: { author: "reporter" | "office"; body: string; createdAt: Date }[];
}

/** Opens a report for the clearing office. Every read is written to the audit log. */
export async function readReport(
  platform: Pick<Platform, "db" | "clock" | "keyring">,
  actor: Actor,
  tenant: TenantInfo,
  caseNumber: string,
): Promise<ReportDetail> {
  reportPolicy.authorize(actor, "read", tenant);
  checkCaseNumber(caseNumber);
  const now = platform.clock.now();
  return withTenant(
    platform.db,
    tenant.id,
    async (tx) => {
      const [r] = await tx
        .select()
        .from(reports)
        .where(and(eq(reports.tenantId, tenant.id), eq(reports.caseNumber, caseNumber)));
      if (!r) throw new AppError("not_found");
      const [c] = await tx
        .select()
        .from(reportContacts)
        .where(and(eq(reportContacts.tenantId, tenant.id), eq(reportContacts.reportId, r.id)));
      await appendAudit(
        tx,
        { tenantId: tenant.id, actorId: actor.userId, action: "report.read", objectType: "report", objectId: r.id, details: { caseNumber: r.caseNumber } },
        now,
      );
      await tx
        .update(reportMessages)
        .set({ readAt: now })
        .where(and(eq(reportMessages.tenantId, tenant.id), eq(reportMessages.reportId, r.id), isNull(reportMessages.readAt)));
      return {
        id: r.id,
        caseNumber: r.caseNumber,
        channel: r.channel,
        mode: r.mode,
        status: r.status,
        immediateDanger: r.immediateDanger,
        createdAt: r.createdAt,
        language: r.language,
        mailbox: r.receiptHash !== null,
        content: JSON.parse(await platform.keyring.openText(tx, tenant.id, r.content, SEALED.content)) as DraftAnswers,
        contact: c ? (JSON.parse(await platform.keyring.openText(tx, tenant.id, c.contact, SEALED.contact)) as Record<string, string>) : null,
        evidence: await listEvidenceWhere(platform, tx, tenant.id, eq(evidence.reportId, r.id)),
        messages: (await messagesOf(platform, tx, tenant.id, r.id)).map(({ author, body, createdAt }) => ({ author, body, createdAt })),
      };
    },
    actor.userId,
  );
}

/** The bytes of an evidence file, for download by the clearing office (audited). */
export async function readEvidenceFile(
  platform: Pick<Platform, "db" | "clock" | "keyring">,
  actor: Actor,
  tenant: TenantInfo,
  caseNumber: string,
  evidenceId: string,
) {
  reportPolicy.authorize(actor, "read", tenant);
  checkCaseNumber(caseNumber);
  if (!UUID.test(evidenceId)) throw new AppError("not_found");
  const store = databaseEvidenceStore(platform.keyring);
  return withTenant(
    platform.db,
    tenant.id,
    async (tx) => {
      const [row] = await tx
        .select({ e: evidence, caseNumber: reports.caseNumber })
        .from(evidence)
        .innerJoin(reports, and(eq(reports.tenantId, evidence.tenantId), eq(reports.id, evidence.reportId)))
        .where(and(eq(evidence.tenantId, tenant.id), eq(evidence.id, evidenceId), eq(reports.caseNumber, caseNumber), eq(evidence.kind, "file")));
      if (!row) throw new AppError("not_found");
      // The evidence's number in its case: its place in the list the case page shows.
      const siblings = await tx
        .select({ id: evidence.id })
        .from(evidence)
        .where(and(eq(evidence.tenantId, tenant.id), eq(evidence.reportId, row.e.reportId as string)))
        .orderBy(asc(evidence.receivedAt), asc(evidence.id));
      const number = siblings.findIndex((s) => s.id === evidenceId) + 1;
      const bytes = await store.get(tx, tenant.id, evidenceId);
      if (!bytes) throw new AppError("not_found");
      const meta = JSON.parse(await platform.keyring.openText(tx, tenant.id, row.e.meta, SEALED.evidenceMeta)) as { name: string };
      await appendAudit(
        tx,
        { tenantId: tenant.id, actorId: actor.userId, action: "evidence.read", objectType: "evidence", objectId: evidenceId, details: { caseNumber } },
        platform.clock.now(),
      );
      const mediaType = row.e.mediaType ?? "application/octet-stream";
      // Never the uploader's name: it may claim another type ("report.html") or hide one behind
      // bidirectional controls. The download is named from the case, the number and the type.
      const downloadName = `${caseNumber}-${number}.${ALLOWED_TYPES[mediaType] ?? "bin"}`;
      return { bytes, name: meta.name, downloadName, mediaType, sha256: row.e.storedSha256 ?? row.e.sha256 };
    },
    actor.userId,
  );
}

export async function reportIdByCaseNumber(platform: Pick<Platform, "db">, actor: Actor, tenant: TenantInfo, caseNumber: string): Promise<string> {
  reportPolicy.authorize(actor, "reply", tenant);
  checkCaseNumber(caseNumber);
  const [r] = await withTenant(platform.db, tenant.id, (tx) =>
    tx
      .select({ id: reports.id })
      .from(reports)
      .where(and(eq(reports.tenantId, tenant.id), eq(reports.caseNumber, caseNumber))),
  );
  if (!r) throw new AppError("not_found");
  return r.id;
}

/** What the clearing office should see first from the Meldestelle: unread answers and a flood. */
export async function reportNotices(platform: Platform, tenantId: string): Promise<{ unreadMessages: number; flood: { count: number; since: Date } | null }> {
  const [r] = await withTenant(platform.db, tenantId, (tx) =>
    tx
      .select({ unread: sql<number>`count(*)::int` })
      .from(reportMessages)
      .where(and(eq(reportMessages.tenantId, tenantId), isNull(reportMessages.readAt))),
  );
  return { unreadMessages: r?.unread ?? 0, flood: await currentFlood(platform, tenantId) };
}

/** The clearing office answers the reporter through the mailbox. A message that does not fit says why (an i18n key). */
export async function replyToReporter(
  platform: Platform,
  actor: Actor,
  tenant: TenantInfo,
  caseNumber: string,
  message: string,
): Promise<{ ok: true } | { ok: false; key: string }> {
  const reportId = await reportIdByCaseNumber(platform, actor, tenant, caseNumber);
  const checked = mailboxMessageProblem(message);
  if (!checked.ok) return { ok: false, key: checked.key };
  await addMessage(platform, tenant, reportId, { kind: "office", userId: actor.userId }, checked.message);
  return { ok: true };
}
