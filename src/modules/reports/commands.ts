import { randomBytes, randomUUID } from "node:crypto";
import { and, asc, desc, eq, inArray, isNull, lt, sql } from "drizzle-orm";
import { appendAudit, auditAppendCall } from "../../platform/audit/audit.ts";
import type { Actor } from "../../platform/authz/policy.ts";
import { type Db, rows, withTenant } from "../../platform/db/client.ts";
import { AppError } from "../../platform/http/errors.ts";
import { translator } from "../../platform/i18n/i18n.ts";
import type { Platform } from "../../platform/platform.ts";
import { databaseEvidenceStore, type FileProblem, processFile, sha256 } from "./evidence.ts";
import { reportPolicy, type TenantRef } from "./policy.ts";
import { evidence, reportContacts, reportDrafts, reportMessages, reports } from "./schema.ts";
import { type CHANNELS, CONTACT_FIELDS, type DraftAnswers, type UrlEvidence } from "./schemas.ts";

export const REPORT_LANGUAGES = ["de", "en", "tr", "ar", "uk", "ru"] as const;
export type ReportLanguage = (typeof REPORT_LANGUAGES)[number];
export const DRAFT_TTL_MS = 24 * 3_600_000;
/** Case numbers count per calendar year in Germany. Made once: a formatter is costly to create. */
const BERLIN_YEAR = new Intl.DateTimeFormat("en", { year: "numeric", timeZone: "Europe/Berlin" });

const CONTENT = "reports.content";
const CONTACT = "report_contacts.contact";
const DRAFT = "report_drafts.data";
const EVIDENCE_META = "evidence.meta";
const MESSAGE = "report_messages.body";

export interface TenantInfo extends TenantRef {
  slug: string;
  name: string;
  /** The clearing office's contact, where the municipality has set it. */
  contact?: { phone: string | null; email: string | null; hours: string | null };
}

export interface Draft {
  lang: ReportLanguage;
  /** The form values as entered (re-shown on every step; validated when moving on). */
  values: Record<string, string | string[] | undefined>;
}

export interface EvidenceItem {
  id: string;
  kind: "file" | "url";
  name: string;
  mediaType: string | null;
  size: number | null;
  sha256: string;
  capturedAt: Date | null;
  capturedBy?: string;
  urlKind?: "content" | "profile";
}

/* ------------------------------------------------------------------ drafts */

export async function createDraft(platform: Platform, tenant: TenantInfo, lang: ReportLanguage): Promise<string> {
  const token = randomBytes(18).toString("base64url");
  const now = platform.clock.now();
  await withTenant(platform.db, tenant.id, async (tx) => {
    // Old drafts go when new ones come, with any files uploaded to them: no job needed, and
    // nothing of an abandoned report lingers past a day.
    const expired = tx
      .select({ id: reportDrafts.id })
      .from(reportDrafts)
      .where(and(eq(reportDrafts.tenantId, tenant.id), lt(reportDrafts.expiresAt, now)));
    await tx.delete(evidence).where(and(eq(evidence.tenantId, tenant.id), isNull(evidence.reportId), inArray(evidence.draftId, expired)));
    await tx.delete(reportDrafts).where(and(eq(reportDrafts.tenantId, tenant.id), lt(reportDrafts.expiresAt, now)));
    const draft: Draft = { lang, values: {} };
    await tx.insert(reportDrafts).values({
      tenantId: tenant.id,
      id: platform.keyring.lookupHash("draft", token),
      data: await platform.keyring.seal(tx, tenant.id, JSON.stringify(draft), DRAFT),
      expiresAt: new Date(now.getTime() + DRAFT_TTL_MS),
    });
  });
  return token;
}

export async function loadDraft(platform: Platform, tenant: TenantInfo, token: string): Promise<Draft | null> {
  if (!/^[A-Za-z0-9_-]{24}$/.test(token)) return null;
  const now = platform.clock.now();
  return withTenant(platform.db, tenant.id, async (tx) => {
    const [row] = await tx
      .select()
      .from(reportDrafts)
      .where(and(eq(reportDrafts.tenantId, tenant.id), eq(reportDrafts.id, platform.keyring.lookupHash("draft", token))));
    if (!row || row.expiresAt <= now) return null;
    return JSON.parse(await platform.keyring.openText(tx, tenant.id, row.data, DRAFT)) as Draft;
  });
}

export async function saveDraft(platform: Platform, tenant: TenantInfo, token: string, draft: Draft): Promise<void> {
  await withTenant(platform.db, tenant.id, async (tx) => {
    await tx
      .update(reportDrafts)
      .set({ data: await platform.keyring.seal(tx, tenant.id, JSON.stringify(draft), DRAFT) })
      .where(and(eq(reportDrafts.tenantId, tenant.id), eq(reportDrafts.id, platform.keyring.lookupHash("draft", token))));
  });
}

/* ---------------------------------------------------------------- evidence */

export type AddFileResult = { ok: true; id: string } | { ok: false; problem: FileProblem };

/** Adds a file to a draft or a report (exactly one of them). */
export async function addFileEvidence(
  platform: Platform,
  tenant: TenantInfo,
  owner: { draftToken: string } | { reportId: string },
  file: { name: string; data: Buffer; capturedBy?: string },
): Promise<AddFileResult> {
  const processed = await processFile(file.name, file.data, platform.config.reportMaxFileBytes);
  if ("problem" in processed) return { ok: false, problem: processed.problem };
  const store = databaseEvidenceStore(platform.keyring);
  const now = platform.clock.now();
  const id = await withTenant(platform.db, tenant.id, async (tx) => {
    const meta = { name: file.name.slice(0, 255), capturedBy: file.capturedBy, metadataRemoved: processed.metadataRemoved };
    const [row] = await tx
      .insert(evidence)
      .values({
        tenantId: tenant.id,
        reportId: "reportId" in owner ? owner.reportId : null,
        draftId: "draftToken" in owner ? platform.keyring.lookupHash("draft", owner.draftToken) : null,
        kind: "file",
        meta: await platform.keyring.seal(tx, tenant.id, JSON.stringify(meta), EVIDENCE_META),
        mediaType: processed.mediaType,
        size: processed.stored.length,
        sha256: processed.originalSha256,
        storedSha256: processed.storedSha256,
        capturedAt: now,
        receivedAt: now,
      })
      .returning({ id: evidence.id });
    await store.put(tx, tenant.id, row.id, processed.stored);
    if ("reportId" in owner) {
      await appendAudit(
        tx,
        {
          tenantId: tenant.id,
          actorId: null,
          action: "evidence.added",
          objectType: "evidence",
          objectId: row.id,
          details: { sha256: processed.originalSha256 },
        },
        now,
      );
    }
    return row.id;
  });
  return { ok: true, id };
}

async function insertUrlEvidence(platform: Platform, tx: Db, tenantId: string, owner: { reportId?: string; draftId?: string }, item: UrlEvidence, now: Date) {
  const meta = { name: item.url, urlKind: item.kind, capturedBy: item.capturedBy };
  await tx.insert(evidence).values({
    tenantId,
    reportId: owner.reportId ?? null,
    draftId: owner.draftId ?? null,
    kind: "url",
    meta: await platform.keyring.seal(tx, tenantId, JSON.stringify(meta), EVIDENCE_META),
    sha256: sha256(item.url),
    capturedAt: item.capturedAt ? new Date(item.capturedAt) : null,
    receivedAt: now,
  });
}

export async function addUrlEvidence(
  platform: Platform,
  tenant: TenantInfo,
  owner: { draftToken: string } | { reportId: string },
  item: UrlEvidence,
): Promise<void> {
  const now = platform.clock.now();
  await withTenant(platform.db, tenant.id, (tx) =>
    insertUrlEvidence(
      platform,
      tx,
      tenant.id,
      "reportId" in owner ? { reportId: owner.reportId } : { draftId: platform.keyring.lookupHash("draft", owner.draftToken) },
      item,
      now,
    ),
  );
}

async function listEvidenceWhere(platform: Platform, tx: Db, tenantId: string, where: ReturnType<typeof eq>): Promise<EvidenceItem[]> {
  const rows = await tx
    .select()
    .from(evidence)
    .where(and(eq(evidence.tenantId, tenantId), where))
    .orderBy(asc(evidence.receivedAt));
  const out: EvidenceItem[] = [];
  for (const r of rows) {
    const meta = JSON.parse(await platform.keyring.openText(tx, tenantId, r.meta, EVIDENCE_META)) as {
      name: string;
      capturedBy?: string;
      urlKind?: "content" | "profile";
    };
    out.push({
      id: r.id,
      kind: r.kind,
      name: meta.name,
      mediaType: r.mediaType,
      size: r.size,
      sha256: r.sha256,
      capturedAt: r.capturedAt,
      capturedBy: meta.capturedBy,
      urlKind: meta.urlKind,
    });
  }
  return out;
}

export async function draftEvidence(platform: Platform, tenant: TenantInfo, draftToken: string): Promise<EvidenceItem[]> {
  return withTenant(platform.db, tenant.id, (tx) =>
    listEvidenceWhere(platform, tx, tenant.id, eq(evidence.draftId, platform.keyring.lookupHash("draft", draftToken))),
  );
}

export async function removeDraftEvidence(platform: Platform, tenant: TenantInfo, draftToken: string, evidenceId: string): Promise<void> {
  await withTenant(platform.db, tenant.id, (tx) =>
    tx
      .delete(evidence)
      .where(
        and(
          eq(evidence.tenantId, tenant.id),
          eq(evidence.id, evidenceId),
          eq(evidence.draftId, platform.keyring.lookupHash("draft", draftToken)),
          isNull(evidence.reportId),
        ),
      ),
  );
}

/* ------------------------------------------------------------------ intake */

function casePrefix(slug: string): string {
  const letters = slug.replace(/[^a-z]/g, "").toUpperCase();
  return (letters + "XXX").slice(0, 3);
}

/** A receipt code of 100 bits, in five groups of four for reading aloud and writing down. */
export function newReceiptCode(): string {
  const alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"; // 32 symbols: no 0/O or 1/I to confuse
  const bytes = randomBytes(20);
  const chars = Array.from(bytes, (b) => alphabet[b & 31]).join("");
  return chars.match(/.{4}/g)?.join("-") ?? chars;
}

export function normaliseReceiptCode(code: string): string {
  return code
    .toUpperCase()
    .replace(/[^A-Z0-9]/g, "")
    .replace(/O/g, "0")
    .slice(0, 20);
}

export interface CreatedReport {
  id: string;
  caseNumber: string;
  receiptCode: string | null;
}

/**
 * Stores a complete report in one transaction: case number, sealed content, sealed contact
 * apart from it, URLs, the draft's files, the audit entry and the office's notification mails.
 * Either all of it is stored or none.
 */
export async function createReport(
  platform: Platform,
  tenant: TenantInfo,
  input: { answers: DraftAnswers; lang: ReportLanguage; channel: (typeof CHANNELS)[number]; enteredBy?: string | null; draftToken?: string },
): Promise<CreatedReport> {
  const now = platform.clock.now();
  const year = Number(BERLIN_YEAR.format(now));
  const anonymous = input.answers.mode === "anonymous";
  const receiptCode = anonymous ? newReceiptCode() : null;
  const { urls = [], ...rest } = input.answers;
  const content: Record<string, unknown> = { ...rest };
  const contact: Record<string, unknown> = {};
  for (const f of CONTACT_FIELDS) {
    if (!anonymous && content[f]) contact[f] = content[f];
    delete content[f];
  }
  const t = translator("de");
  const prefix = casePrefix(tenant.slug);
  const created = await withTenant(platform.db, tenant.id, async (tx) => {
    // Work that takes no lock first; the per-municipality case number and audit chain last,
    // so that concurrent reports of one municipality wait for each other as briefly as possible.
    const id = randomUUID();
    const sealedContent = await platform.keyring.seal(tx, tenant.id, JSON.stringify(content), CONTENT);
    const sealedContact = Object.keys(contact).length > 0 ? await platform.keyring.seal(tx, tenant.id, JSON.stringify(contact), CONTACT) : null;
    // Mail templates with the case number left as a placeholder the statement fills in.
    const placeholder = "[[CASE-NUMBER]]";
    const subject = t("reports.mail.newSubject", { caseNumber: placeholder });
    const body = t("reports.mail.newBody", { caseNumber: placeholder, link: `${platform.config.publicUrl}/faelle/${placeholder}` });
    // One statement: the next case number of this municipality and year, the report, its contact,
    // the notification mails to the clearing officers (the case number only, never content) and
    // the audit entry.
    // The number's row lock is held from here to the commit, which follows shortly.
    const [row] = await rows<{ case_number: string; mail_ids: string[] | string }>(
      tx,
      sql`with seq as (
            insert into case_sequences (tenant_id, year, last) values (${tenant.id}, ${year}, 1)
            on conflict (tenant_id, year) do update set last = case_sequences.last + 1
            returning last),
          report as (
            insert into reports (tenant_id, id, case_number, channel, mode, immediate_danger, content, language, receipt_hash, entered_by, created_at)
            select ${tenant.id}, ${id}, ${`${prefix}-${year}-`} || lpad(seq.last::text, 4, '0'), ${input.channel}, ${input.answers.mode ?? "anonymous"},
                   ${input.answers.immediateDanger === "yes"}, ${sealedContent}, ${input.lang},
                   ${receiptCode ? platform.keyring.lookupHash("receipt", normaliseReceiptCode(receiptCode)) : null}, ${input.enteredBy ?? null}, ${now.toISOString()}::timestamptz
            from seq returning id, case_number),
          contact as (
            insert into report_contacts (tenant_id, report_id, contact)
            select ${tenant.id}, report.id, ${sealedContact}::text from report where ${sealedContact}::text is not null),
          mails as (
            insert into mail_outbox (recipient, subject, body)
            select u.email, replace(${subject}, ${placeholder}, report.case_number), replace(${body}, ${placeholder}, report.case_number)
            from report, memberships m join users u on u.id = m.user_id
            where m.tenant_id = ${tenant.id} and m.role = 'clearing_officer' and u.status = 'active'
            returning id),
          audit as (
            select ${auditAppendCall(
              {
                tenantId: tenant.id,
                actorId: input.enteredBy ?? null,
                action: "report.received",
                objectType: "report",
                objectId: id,
                details: { channel: input.channel, mode: input.answers.mode },
              },
              now,
            )} as seq)
          select report.case_number, coalesce((select json_agg(id) from mails), '[]'::json) as mail_ids, (select seq from audit) as audit_seq from report`,
    );
    const caseNumber = row.case_number;
    const mailIds = (typeof row.mail_ids === "string" ? JSON.parse(row.mail_ids) : row.mail_ids) as string[];
    for (const u of urls) await insertUrlEvidence(platform, tx, tenant.id, { reportId: id }, u, now);
    if (input.draftToken) {
      const draftId = platform.keyring.lookupHash("draft", input.draftToken);
      await tx
        .update(evidence)
        .set({ reportId: id, draftId: null })
        .where(and(eq(evidence.tenantId, tenant.id), eq(evidence.draftId, draftId)));
      await tx.delete(reportDrafts).where(and(eq(reportDrafts.tenantId, tenant.id), eq(reportDrafts.id, draftId)));
    }
    return { id, caseNumber, mailIds };
  });
  await platform.mailer.dispatch(created.mailIds);
  return { id: created.id, caseNumber: created.caseNumber, receiptCode };
}

/* ----------------------------------------------------------------- mailbox */

export interface MailboxView {
  reportId: string;
  caseNumber: string;
  status: string;
  createdAt: Date;
  messages: { author: "reporter" | "office"; body: string; createdAt: Date }[];
  evidence: EvidenceItem[];
}

async function messagesOf(platform: Platform, tx: Db, tenantId: string, reportId: string) {
  const rows = await tx
    .select()
    .from(reportMessages)
    .where(and(eq(reportMessages.tenantId, tenantId), eq(reportMessages.reportId, reportId)))
    .orderBy(asc(reportMessages.createdAt));
  return Promise.all(
    rows.map(async (m) => ({
      author: m.author,
      body: await platform.keyring.openText(tx, tenantId, m.body, MESSAGE),
      createdAt: m.createdAt,
      authorUserId: m.authorUserId,
    })),
  );
}

/** The anonymous reporter's view: status, messages, their evidence. Null for an unknown code. */
export async function openMailbox(platform: Platform, tenant: TenantInfo, code: string): Promise<MailboxView | null> {
  const hash = platform.keyring.lookupHash("receipt", normaliseReceiptCode(code));
  return withTenant(platform.db, tenant.id, async (tx) => {
    const [r] = await tx
      .select()
      .from(reports)
      .where(and(eq(reports.tenantId, tenant.id), eq(reports.receiptHash, hash)));
    if (!r) return null;
    const messages = (await messagesOf(platform, tx, tenant.id, r.id)).map(({ author, body, createdAt }) => ({ author, body, createdAt }));
    return {
      reportId: r.id,
      caseNumber: r.caseNumber,
      status: r.status,
      createdAt: r.createdAt,
      messages,
      evidence: await listEvidenceWhere(platform, tx, tenant.id, eq(evidence.reportId, r.id)),
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
  await withTenant(platform.db, tenant.id, async (tx) => {
    await tx.insert(reportMessages).values({
      tenantId: tenant.id,
      reportId,
      author: author.kind,
      authorUserId: author.kind === "office" ? author.userId : null,
      body: await platform.keyring.seal(tx, tenant.id, body, MESSAGE),
      createdAt: now,
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
  });
}

/* ---------------------------------------------------------- clearing office */

export interface ReportSummary {
  id: string;
  caseNumber: string;
  channel: string;
  mode: string;
  status: string;
  immediateDanger: boolean;
  createdAt: Date;
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
        })
        .from(reports)
        .where(eq(reports.tenantId, tenant.id))
        .orderBy(desc(reports.createdAt), desc(reports.caseNumber)),
    actor.userId,
  );
}

export interface ReportDetail extends ReportSummary {
  language: string;
  content: DraftAnswers;
  contact: Record<string, string> | null;
  evidence: EvidenceItem[];
  messages: { author: "reporter" | "office"; body: string; createdAt: Date }[];
}

/** Opens a report for the clearing office. Every read is written to the audit log. */
export async function readReport(platform: Platform, actor: Actor, tenant: TenantInfo, caseNumber: string): Promise<ReportDetail> {
  reportPolicy.authorize(actor, "read", tenant);
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
      return {
        id: r.id,
        caseNumber: r.caseNumber,
        channel: r.channel,
        mode: r.mode,
        status: r.status,
        immediateDanger: r.immediateDanger,
        createdAt: r.createdAt,
        language: r.language,
        content: JSON.parse(await platform.keyring.openText(tx, tenant.id, r.content, CONTENT)) as DraftAnswers,
        contact: c ? (JSON.parse(await platform.keyring.openText(tx, tenant.id, c.contact, CONTACT)) as Record<string, string>) : null,
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
      const bytes = await store.get(tx, tenant.id, evidenceId);
      if (!bytes) throw new AppError("not_found");
      const meta = JSON.parse(await platform.keyring.openText(tx, tenant.id, row.e.meta, EVIDENCE_META)) as { name: string };
      await appendAudit(
        tx,
        { tenantId: tenant.id, actorId: actor.userId, action: "evidence.read", objectType: "evidence", objectId: evidenceId, details: { caseNumber } },
        platform.clock.now(),
      );
      return { bytes, name: meta.name, mediaType: row.e.mediaType ?? "application/octet-stream", sha256: row.e.storedSha256 ?? row.e.sha256 };
    },
    actor.userId,
  );
}

export async function reportIdByCaseNumber(platform: Platform, actor: Actor, tenant: TenantInfo, caseNumber: string): Promise<string> {
  reportPolicy.authorize(actor, "reply", tenant);
  const [r] = await withTenant(platform.db, tenant.id, (tx) =>
    tx
      .select({ id: reports.id })
      .from(reports)
      .where(and(eq(reports.tenantId, tenant.id), eq(reports.caseNumber, caseNumber))),
  );
  if (!r) throw new AppError("not_found");
  return r.id;
}

export async function countNewReports(platform: Platform, actor: Actor, tenant: TenantInfo): Promise<number> {
  if (!reportPolicy.can(actor, "list", tenant)) return 0;
  const [r] = await withTenant(platform.db, tenant.id, (tx) =>
    tx
      .select({ n: sql<number>`count(*)::int` })
      .from(reports)
      .where(and(eq(reports.tenantId, tenant.id), eq(reports.status, "received"))),
  );
  return r?.n ?? 0;
}
