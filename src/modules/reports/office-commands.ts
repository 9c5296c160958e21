import { eq } from "drizzle-orm";
import { appendAudit } from "../../platform/audit/audit.ts";
import type { Actor } from "../../platform/authz/policy.ts";
import { type Db, withTenant } from "../../platform/db/client.ts";
import { AppError } from "../../platform/http/errors.ts";
import type { Platform } from "../../platform/platform.ts";
import { checkCaseNumber, SEALED, type TenantInfo, UUID } from "./commands.ts";
import { caseFileName, databaseEvidenceStore } from "./evidence.ts";
import { type EvidenceItem, listEvidenceWhere } from "./evidence-commands.ts";
import { type FeedbackRow, feedbackOf } from "./feedback.ts";
import { currentFlood } from "./flood.ts";
import { addMessage, messagesOf } from "./mailbox.ts";
import { reportPolicy } from "./policy.ts";
import { type QuestionRow, questionsOf } from "./questions.ts";
import { evidenceFileOfReport, markMessagesRead, reportByNumber, sealedContactOf, setReportStatus, unreadMessagesTotal } from "./repository.ts";
import { evidence } from "./schema.ts";
import { type DraftAnswers, mailboxMessageProblem } from "./schemas.ts";

/*
 * The clearing office's side of the Meldestelle, for the case page: reading a report (audited),
 * its evidence files, answering the reporter, and the notices from reporting (unread answers, a flood). The SQL is in repository.ts.
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

export { unreadMessagesByReport } from "./repository.ts";

/** The status a reporter sees in the mailbox follows the case's (the cases module sets it, in its transaction). */
export function setReporterStatus(tx: Db, tenantId: string, reportIds: readonly string[], status: "received" | "in_progress" | "closed"): Promise<void> {
  return setReportStatus(tx, tenantId, reportIds, status);
}

export interface ReportDetail extends ReportSummary {
  /** The reporter holds a receipt code: the office answers through the mailbox. */
  mailbox: boolean;
  language: string;
  content: DraftAnswers;
  contact: Record<string, string> | null;
  evidence: EvidenceItem[];
  messages: { author: "reporter" | "office"; body: string; createdAt: Date }[];
  /** What the office asked the person to decide, and their answers. */
  questions: QuestionRow[];
  /** The person's feedback on the closed case: none before it was asked. */
  feedback: FeedbackRow | null;
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
      const r = await reportByNumber(tx, tenant.id, caseNumber);
      if (!r) throw new AppError("not_found");
      const contact = await sealedContactOf(tx, tenant.id, r.id);
      await appendAudit(
        tx,
        { tenantId: tenant.id, actorId: actor.userId, action: "report.read", objectType: "report", objectId: r.id, details: { caseNumber: r.caseNumber } },
        now,
      );
      await markMessagesRead(tx, tenant.id, r.id, now);
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
        contact: contact ? (JSON.parse(await platform.keyring.openText(tx, tenant.id, contact, SEALED.contact)) as Record<string, string>) : null,
        evidence: await listEvidenceWhere(platform, tx, tenant.id, eq(evidence.reportId, r.id)),
        messages: (await messagesOf(platform, tx, tenant.id, r.id)).map(({ author, body, createdAt }) => ({ author, body, createdAt })),
        questions: await questionsOf(platform, tx, tenant.id, r.id),
        feedback: await feedbackOf(platform, tx, tenant.id, r.id),
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
      const file = await evidenceFileOfReport(tx, tenant.id, caseNumber, evidenceId);
      if (!file) throw new AppError("not_found");
      const bytes = await store.get(tx, tenant.id, evidenceId);
      if (!bytes) throw new AppError("not_found");
      const meta = JSON.parse(await platform.keyring.openText(tx, tenant.id, file.meta, SEALED.evidenceMeta)) as { name: string };
      await appendAudit(
        tx,
        { tenantId: tenant.id, actorId: actor.userId, action: "evidence.read", objectType: "evidence", objectId: evidenceId, details: { caseNumber } },
        platform.clock.now(),
      );
      const mediaType = file.mediaType ?? "application/octet-stream";
      // Never the uploader's name: it may claim another type ("report.html") or hide one behind
      // bidirectional controls. The download is named from the case, the number and the type.
      const downloadName = caseFileName(caseNumber, file.number, mediaType);
      return { bytes, name: meta.name, downloadName, mediaType, sha256: file.storedSha256 ?? file.sha256 };
    },
    actor.userId,
  );
}

/** What the clearing office should see first from the Meldestelle: unread answers and a flood. */
export async function reportNotices(platform: Platform, tenantId: string): Promise<{ unreadMessages: number; flood: { count: number; since: Date } | null }> {
  const unread = await withTenant(platform.db, tenantId, (tx) => unreadMessagesTotal(tx, tenantId));
  return { unreadMessages: unread, flood: await currentFlood(platform, tenantId) };
}

/** The clearing office answers the reporter through the mailbox. A message that does not fit says why (an i18n key). */
export async function replyToReporter(
  platform: Platform,
  actor: Actor,
  tenant: TenantInfo,
  caseNumber: string,
  message: string,
): Promise<{ ok: true } | { ok: false; key: string }> {
  reportPolicy.authorize(actor, "reply", tenant);
  checkCaseNumber(caseNumber);
  const report = await withTenant(platform.db, tenant.id, (tx) => reportByNumber(tx, tenant.id, caseNumber));
  if (!report) throw new AppError("not_found");
  // Only a reporter with a receipt code reads the mailbox: an answer to anyone else would never arrive.
  if (report.receiptHash === null) return { ok: false, key: "office.noMailbox" };
  const reportId = report.id;
  const checked = mailboxMessageProblem(message);
  if (!checked.ok) return { ok: false, key: checked.key };
  await addMessage(platform, tenant, reportId, { kind: "office", userId: actor.userId }, checked.message);
  return { ok: true };
}

/** What a referral lets a partner see of a report, by data category; nothing else leaves it. */
export interface ReportExtract {
  caseNumber: string;
  /** The incident: what happened, its form, motive, time and place, the person's function, effects and wishes. */
  summary: DraftAnswers | null;
  /** How to reach the person (no name). */
  contact: Record<string, string> | null;
  /** Who the person is. */
  identity: { contactName: string } | null;
  /** The evidence: numbered, with type, both hashes and capture time (no names of files). */
  evidence: { number: number; mediaType: string | null; sha256: string; storedSha256: string | null; capturedAt: Date | null }[] | null;
}

const SUMMARY_FIELDS = ["description", "forms", "motives", "occurredOn", "place", "affectedFunction", "effects", "wishes"] as const;

/**
 * The categories of a report a referral covers, for a partner. The caller (the cases module)
 * has checked the referral's rules; this writes the disclosure to the audit log.
 */
export async function disclosedExtract(
  platform: Pick<Platform, "db" | "clock" | "keyring">,
  tenantId: string,
  caseNumber: string,
  categories: readonly ("summary" | "evidence" | "contact" | "identity")[],
  disclosure: { actorId: string; referralId: string },
): Promise<ReportExtract> {
  checkCaseNumber(caseNumber);
  return withTenant(
    platform.db,
    tenantId,
    async (tx) => {
      const r = await reportByNumber(tx, tenantId, caseNumber);
      if (!r) throw new AppError("not_found");
      const has = (c: (typeof categories)[number]) => categories.includes(c);
      const sealedContact = has("contact") || has("identity") ? await sealedContactOf(tx, tenantId, r.id) : null;
      const contact = sealedContact
        ? (JSON.parse(await platform.keyring.openText(tx, tenantId, sealedContact, SEALED.contact)) as Record<string, string>)
        : null;
      let summary: DraftAnswers | null = null;
      if (has("summary")) {
        const content = JSON.parse(await platform.keyring.openText(tx, tenantId, r.content, SEALED.content)) as Record<string, unknown>;
        summary = Object.fromEntries(SUMMARY_FIELDS.filter((f) => content[f] !== undefined).map((f) => [f, content[f]])) as DraftAnswers;
      }
      const evidenceRows = has("evidence") ? await listEvidenceWhere(platform, tx, tenantId, eq(evidence.reportId, r.id)) : null;
      await appendAudit(
        tx,
        {
          tenantId,
          actorId: disclosure.actorId,
          action: "report.disclosed",
          objectType: "report",
          objectId: r.id,
          details: { caseNumber, categories: [...categories], referralId: disclosure.referralId },
        },
        platform.clock.now(),
      );
      return {
        caseNumber,
        summary,
        contact: has("contact") && contact ? Object.fromEntries(Object.entries(contact).filter(([k]) => k !== "contactName")) : null,
        identity: has("identity") && contact?.contactName ? { contactName: contact.contactName } : null,
        evidence:
          evidenceRows?.map((e, i) => ({
            number: i + 1,
            mediaType: e.mediaType ?? null,
            sha256: e.sha256,
            storedSha256: e.storedSha256 ?? null,
            capturedAt: e.capturedAt ?? null,
          })) ?? null,
      };
    },
    disclosure.actorId,
  );
}
