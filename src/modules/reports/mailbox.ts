import { eq } from "drizzle-orm";
import { appendAudit } from "../../platform/audit/audit.ts";
import { type Db, withTenant } from "../../platform/db/client.ts";
import { translator } from "../../platform/i18n/i18n.ts";
import type { Platform } from "../../platform/platform.ts";
import { normaliseReceiptCode, SEALED, type TenantInfo } from "./commands.ts";
import { type EvidenceItem, listEvidenceWhere } from "./evidence-commands.ts";
import { type FeedbackRow, feedbackOf } from "./feedback.ts";
import { mailClearingOffice } from "./office-mail.ts";
import { type QuestionRow, questionsOf } from "./questions.ts";
import { caseNumberOfReport, messageRows, reportByReceipt } from "./repository.ts";
import { evidence, reportMessages } from "./schema.ts";

/*
 * The two-way mailbox between a reporter with a receipt code and the clearing office. A
 * reporter's message reaches the office by mail (the case number only) and stays unread until
 * the case is opened.
 */

export interface MailboxView {
  reportId: string;
  caseNumber: string;
  status: string;
  createdAt: Date;
  messages: { author: "reporter" | "office"; body: string; createdAt: Date }[];
  evidence: EvidenceItem[];
  questions: QuestionRow[];
  /** The feedback asked when the case was closed (and whether it was given). */
  feedback: FeedbackRow | null;
  /** The language the report was made in: questions are explained in it. */
  language: string;
}

export async function messagesOf(platform: Pick<Platform, "keyring">, tx: Db, tenantId: string, reportId: string) {
  const rows = await messageRows(tx, tenantId, reportId);
  return Promise.all(
    rows.map(async (m) => ({
      author: m.author,
      body: await platform.keyring.openText(tx, tenantId, m.body, SEALED.message),
      createdAt: m.createdAt,
      authorUserId: m.authorUserId,
    })),
  );
}

/** The anonymous reporter's view: status, messages, their evidence. Null for an unknown code. */
export async function openMailbox(platform: Platform, tenant: TenantInfo, code: string): Promise<MailboxView | null> {
  const hash = platform.keyring.lookupHash("receipt", normaliseReceiptCode(code));
  return withTenant(platform.db, tenant.id, async (tx) => {
    const r = await reportByReceipt(tx, tenant.id, hash);
    if (!r) return null;
    const messages = (await messagesOf(platform, tx, tenant.id, r.id)).map(({ author, body, createdAt }) => ({ author, body, createdAt }));
    return {
      reportId: r.id,
      caseNumber: r.caseNumber,
      status: r.status,
      createdAt: r.createdAt,
      messages,
      evidence: await listEvidenceWhere(platform, tx, tenant.id, eq(evidence.reportId, r.id)),
      questions: await questionsOf(platform, tx, tenant.id, r.id),
      feedback: await feedbackOf(platform, tx, tenant.id, r.id),
      language: r.language,
    };
  });
}

export async function addMessage(
  platform: Platform,
  tenant: TenantInfo,
  reportId: string,
  author: { kind: "reporter" } | { kind: "office"; userId: string },
  body: string,
): Promise<void> {
  const now = platform.clock.now();
  const mailIds = await withTenant(platform.db, tenant.id, async (tx) => {
    await tx.insert(reportMessages).values({
      tenantId: tenant.id,
      reportId,
      author: author.kind,
      authorUserId: author.kind === "office" ? author.userId : null,
      body: await platform.keyring.seal(tx, tenant.id, body, SEALED.message),
      createdAt: now,
      // The office's own messages need no reading; a reporter's stays unread until opened.
      readAt: author.kind === "office" ? now : null,
    });
    await appendAudit(
      tx,
      {
        tenantId: tenant.id,
        actorId: author.kind === "office" ? author.userId : null,
        action: `report.message_${author.kind}`,
        objectType: "report",
        objectId: reportId,
      },
      now,
    );
    return author.kind === "reporter" ? notifyOffice(platform, tx, tenant, reportId) : [];
  });
  await platform.mailer.dispatch(mailIds);
}

/** The clearing office hears of a reporter's answer by mail: the case number and a link, nothing else. */
async function notifyOffice(platform: Platform, tx: Db, tenant: TenantInfo, reportId: string): Promise<string[]> {
  const caseNumber = await caseNumberOfReport(tx, tenant.id, reportId);
  const t = translator("de");
  return mailClearingOffice(platform, tx, tenant.id, (place) => [
    {
      subject: t("reports.mail.answerSubject", { caseNumber }),
      text: t("reports.mail.answerBody", { caseNumber, tenant: place.name, link: place.link(`/faelle/${caseNumber}`) }),
    },
  ]);
}
