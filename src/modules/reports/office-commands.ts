import { and, asc, desc, eq, isNull, sql } from "drizzle-orm";
import { appendAudit } from "../../platform/audit/audit.ts";
import type { Actor } from "../../platform/authz/policy.ts";
import { withTenant } from "../../platform/db/client.ts";
import { AppError } from "../../platform/http/errors.ts";
import type { Platform } from "../../platform/platform.ts";
import { checkCaseNumber, type EvidenceItem, listEvidenceWhere, SEALED, type TenantInfo, UUID } from "./commands.ts";
import { ALLOWED_TYPES, databaseEvidenceStore } from "./evidence.ts";
import { currentFlood } from "./flood.ts";
import { messagesOf } from "./mailbox.ts";
import { reportPolicy } from "./policy.ts";
import { evidence, reportContacts, reportMessages, reports } from "./schema.ts";
import type { DraftAnswers } from "./schemas.ts";

/*
 * The clearing office's side of the Meldestelle: the list of reports, reading one (audited),
 * its evidence files, and the notices that come first (new reports, unread answers, a flood).
 */

export interface ReportSummary {
  id: string;
  caseNumber: string;
  channel: string;
  mode: string;
  status: string;
  immediateDanger: boolean;
  createdAt: Date;
  /** Reporters' messages the office has not opened yet. */
  unreadMessages: number;
}

export async function listReports(platform: Platform, actor: Actor, tenant: TenantInfo): Promise<ReportSummary[]> {
  reportPolicy.authorize(actor, "list", tenant);
  return withTenant(
    platform.db,
    tenant.id,
    (tx) =>
      tx
        .select({
          id: reports.id,
          caseNumber: reports.caseNumber,
          channel: reports.channel,
          mode: reports.mode,
          status: reports.status,
          immediateDanger: reports.immediateDanger,
          createdAt: reports.createdAt,
          // Column references written out: drizzle leaves them unqualified inside a subquery.
          unreadMessages: sql<number>`(select count(*)::int from report_messages m where m.tenant_id = "reports"."tenant_id" and m.report_id = "reports"."id" and m.read_at is null)`,
        })
        .from(reports)
        .where(eq(reports.tenantId, tenant.id))
        .orderBy(desc(reports.createdAt), desc(reports.caseNumber)),
    actor.userId,
  );
}

export interface ReportDetail extends Omit<ReportSummary, "unreadMessages"> {
  /** The reporter holds a receipt code: the office answers through the mailbox. */
  mailbox: boolean;
  language: string;
  content: DraftAnswers;
  contact: Record<string, string> | null;
  evidence: EvidenceItem[];
  messages: { author: "reporter" | "office"; body: string; createdAt: Date }[];
}

/** Opens a report for the clearing office. Every read is written to the audit log. */
export async function readReport(platform: Platform, actor: Actor, tenant: TenantInfo, caseNumber: string): Promise<ReportDetail> {
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
export async function readEvidenceFile(platform: Platform, actor: Actor, tenant: TenantInfo, caseNumber: string, evidenceId: string) {
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

export async function reportIdByCaseNumber(platform: Platform, actor: Actor, tenant: TenantInfo, caseNumber: string): Promise<string> {
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

export interface OfficeNotices {
  newReports: number;
  /** Of the new reports, those that said someone is in acute danger. */
  newInDanger: number;
  /** Reporters' messages the office has not opened yet. */
  unreadMessages: number;
  /** Reports arriving far above the usual rate (within the last day). */
  flood: { count: number; since: Date } | null;
}

/** What the clearing office should see first: new reports, unread answers, a flood. Null for others. */
export async function officeNotices(platform: Platform, actor: Actor, tenant: TenantInfo): Promise<OfficeNotices | null> {
  if (!reportPolicy.can(actor, "list", tenant)) return null;
  const [r] = await withTenant(platform.db, tenant.id, (tx) =>
    tx
      .select({
        n: sql<number>`count(*)::int`,
        danger: sql<number>`(count(*) filter (where ${reports.immediateDanger}))::int`,
        unread: sql<number>`(select count(*)::int from ${reportMessages} m where m.tenant_id = ${tenant.id}::uuid and m.read_at is null)`,
      })
      .from(reports)
      .where(and(eq(reports.tenantId, tenant.id), eq(reports.status, "received"))),
  );
  return { newReports: r?.n ?? 0, newInDanger: r?.danger ?? 0, unreadMessages: r?.unread ?? 0, flood: await currentFlood(platform, tenant.id) };
}
