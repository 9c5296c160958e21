import { randomBytes, randomUUID } from "node:crypto";
import { and, eq, isNull, type SQL, sql } from "drizzle-orm";
import pLimit from "p-limit";
import { appendAudit, auditBodyHash } from "../../platform/audit/audit.ts";
import { type Db, inTransaction, withTenant } from "../../platform/db/client.ts";
import { AppError } from "../../platform/http/errors.ts";
import { RATE_LIMIT_PURPOSE } from "../../platform/http/rate-limit-store.ts";
import { translator } from "../../platform/i18n/i18n.ts";
import type { Platform } from "../../platform/platform.ts";
import { databaseEvidenceStore, EVIDENCE_BYTES, type FileProblem, processFile, sha256 } from "./evidence.ts";
import { floodWatch } from "./flood.ts";
import type { TenantRef } from "./policy.ts";
import { evidenceRows } from "./repository.ts";
import { evidence } from "./schema.ts";
import { type CHANNELS, CONTACT_FIELDS, type DraftAnswers, type UrlEvidence } from "./schemas.ts";
import type { SpooledFile } from "./uploads.ts";

export const REPORT_LANGUAGES = ["de", "en", "tr", "ar", "uk", "ru"] as const;
export type ReportLanguage = (typeof REPORT_LANGUAGES)[number];
export const DRAFT_TTL_MS = 24 * 3_600_000;
/** Case numbers count per calendar year in Germany. Made once: a formatter is costly to create. */
const BERLIN_YEAR = new Intl.DateTimeFormat("en", { year: "numeric", timeZone: "Europe/Berlin" });

/** The context of each sealed field (bound into its ciphertext; see the keyring). */
export const SEALED = {
  content: "reports.content",
  contact: "report_contacts.contact",
  draft: "report_drafts.data",
  evidenceMeta: "evidence.meta",
  evidenceBytes: EVIDENCE_BYTES,
  message: "report_messages.body",
  questionNote: "report_questions.note",
  answerNote: "report_questions.answer_note",
  feedbackComment: "report_feedback.comment",
} as const;
const CONTENT = SEALED.content;
const CONTACT = SEALED.contact;
const EVIDENCE_META = SEALED.evidenceMeta;

export interface TenantInfo extends TenantRef {
  slug: string;
  name: string;
  /** The clearing office's contact, where the municipality has set it. */
  contact?: { phone: string | null; email: string | null; hours: string | null };
}

export interface EvidenceItem {
  id: string;
  kind: "file" | "url";
  name: string;
  mediaType: string | null;
  size: number | null;
  /** SHA-256 of the file as received. */
  sha256: string;
  /** SHA-256 of the file as stored and downloaded (differs where image metadata was removed). */
  storedSha256: string | null;
  metadataRemoved: boolean;
  capturedAt: Date | null;
  capturedBy?: string;
  urlKind?: "content" | "profile";
  /** Added by the office: who, from where, when. */
  custody?: { addedBy: string; source: string; at: Date };
}

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** MUS-2026-0042; past 9,999 reports a year the number simply grows. */
const CASE_NUMBER = /^[A-Z]{3}-[0-9]{4}-[0-9]{4,9}$/;

/** A case number from an address: one that cannot exist answers like a missing one. */
export function checkCaseNumber(caseNumber: string): void {
  if (!isCaseNumber(caseNumber)) throw new AppError("not_found");
}

/** Whether a value has the form of a case number (MUS-2026-0042). */
export function isCaseNumber(value: string): boolean {
  return CASE_NUMBER.test(value);
}

/* ---------------------------------------------------------------- evidence */

export type AddFileResult = { ok: true; id: string } | { ok: false; problem: FileProblem };

/** Chain of custody of evidence the office adds: who, and where it came from (the when is its time of receipt). */
export interface Custody {
  addedById: string;
  addedBy: string;
  source: string;
}

// Each file being stored holds its bytes and their sealed copy in memory: a few at a time.
const storing = pLimit(3);

/** Adds a file (spooled to disk by the upload) to a draft or a report (exactly one of them). */
export function addFileEvidence(
  platform: Platform,
  tenant: TenantInfo,
  owner: { draftToken: string } | { reportId: string },
  file: SpooledFile & { capturedBy?: string; custody?: Custody },
): Promise<AddFileResult> {
  return storing(() => storeFileEvidence(platform, tenant, owner, file));
}

async function storeFileEvidence(
  platform: Platform,
  tenant: TenantInfo,
  owner: { draftToken: string } | { reportId: string },
  file: SpooledFile & { capturedBy?: string; custody?: Custody },
): Promise<AddFileResult> {
  // What one report may hold in all: uploads must not be able to fill the database's disk.
  const ownerIs = "reportId" in owner ? eq(evidence.reportId, owner.reportId) : eq(evidence.draftId, platform.keyring.lookupHash("draft", owner.draftToken));
  const [held] = await withTenant(platform.db, tenant.id, (tx) =>
    tx
      .select({ bytes: sql<number>`coalesce(sum(${evidence.size}), 0)::bigint` })
      .from(evidence)
      .where(and(eq(evidence.tenantId, tenant.id), ownerIs)),
  );
  if (Number(held?.bytes ?? 0) + file.size > platform.config.reportMaxEvidenceBytes) return { ok: false, problem: "quotaExceeded" };
  const processed = await processFile(file, platform.config.reportMaxFileBytes);
  if ("problem" in processed) return { ok: false, problem: processed.problem };
  const store = databaseEvidenceStore(platform.keyring);
  const now = platform.clock.now();
  const id = await withTenant(platform.db, tenant.id, async (tx) => {
    const meta = { name: file.name.slice(0, 255), capturedBy: file.capturedBy, metadataRemoved: processed.metadataRemoved, custody: file.custody };
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
          actorId: file.custody?.addedById ?? null,
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

async function insertUrlEvidence(
  platform: Platform,
  tx: Db,
  tenantId: string,
  owner: { reportId?: string; draftId?: string },
  item: UrlEvidence & { custody?: Custody },
  now: Date,
) {
  const meta = { name: item.url, urlKind: item.kind, capturedBy: item.capturedBy, custody: item.custody };
  const [row] = await tx
    .insert(evidence)
    .values({
      tenantId,
      reportId: owner.reportId ?? null,
      draftId: owner.draftId ?? null,
      kind: "url",
      meta: await platform.keyring.seal(tx, tenantId, JSON.stringify(meta), EVIDENCE_META),
      sha256: sha256(item.url),
      capturedAt: item.capturedAt ? new Date(item.capturedAt) : null,
      receivedAt: now,
    })
    .returning({ id: evidence.id });
  return row.id;
}

export async function addUrlEvidence(
  platform: Platform,
  tenant: TenantInfo,
  owner: { draftToken: string } | { reportId: string },
  item: UrlEvidence & { custody?: Custody },
): Promise<void> {
  const now = platform.clock.now();
  await withTenant(platform.db, tenant.id, async (tx) => {
    const id = await insertUrlEvidence(
      platform,
      tx,
      tenant.id,
      "reportId" in owner ? { reportId: owner.reportId } : { draftId: platform.keyring.lookupHash("draft", owner.draftToken) },
      item,
      now,
    );
    // Added to a report (by the reporter in the mailbox, or by the office): in the audit log, like a file.
    if ("reportId" in owner) {
      await appendAudit(
        tx,
        {
          tenantId: tenant.id,
          actorId: item.custody?.addedById ?? null,
          action: "evidence.added",
          objectType: "evidence",
          objectId: id,
          details: { kind: "url" },
        },
        now,
      );
    }
  });
}

export async function listEvidenceWhere(platform: Pick<Platform, "keyring">, tx: Db, tenantId: string, where: SQL): Promise<EvidenceItem[]> {
  const rows = await evidenceRows(tx, tenantId, where);
  const out: EvidenceItem[] = [];
  for (const r of rows) {
    const meta = JSON.parse(await platform.keyring.openText(tx, tenantId, r.meta, EVIDENCE_META)) as {
      name: string;
      capturedBy?: string;
      urlKind?: "content" | "profile";
      metadataRemoved?: boolean;
      custody?: Custody;
    };
    out.push({
      id: r.id,
      kind: r.kind,
      name: meta.name,
      mediaType: r.mediaType,
      size: r.size,
      sha256: r.sha256,
      storedSha256: r.storedSha256,
      metadataRemoved: !!meta.metadataRemoved,
      capturedAt: r.capturedAt,
      capturedBy: meta.capturedBy,
      urlKind: meta.urlKind,
      custody: meta.custody ? { addedBy: meta.custody.addedBy, source: meta.custody.source, at: r.receivedAt } : undefined,
    });
  }
  return out;
}

export async function draftEvidence(platform: Pick<Platform, "db" | "keyring">, tenant: TenantInfo, draftToken: string): Promise<EvidenceItem[]> {
  return withTenant(platform.db, tenant.id, (tx) =>
    listEvidenceWhere(platform, tx, tenant.id, eq(evidence.draftId, platform.keyring.lookupHash("draft", draftToken))),
  );
}

export async function removeDraftEvidence(
  platform: Pick<Platform, "db" | "keyring">,
  tenant: TenantInfo,
  draftToken: string,
  evidenceId: string,
): Promise<void> {
  if (!UUID.test(evidenceId)) return;
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

const RECEIVE_REPORT = "select case_number, event_id, limit_expires, confirm from komma_receive_report($1::jsonb)";

function casePrefix(slug: string): string {
  const letters = slug.replace(/[^a-z]/g, "").toUpperCase();
  return `${letters}XXX`.slice(0, 3);
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

/** Requests a client may send within this window, counted by the intake itself (`rateLimit`). */
export const INTAKE_WINDOW_MS = 60_000;

/**
 * Stores a complete report in one transaction: case number, sealed content, sealed contact
 * apart from it, URLs, the draft's files, the audit entry and the event that opens its case.
 * Either all of it is stored or none. `rateLimit`: the client's request is counted in the same
 * round trip (`key` under the counters' purpose "rate-limit", `INTAKE_WINDOW_MS`); over `max`
 * nothing is stored and it is refused (429).
 */
export async function createReport(
  platform: Platform,
  tenant: TenantInfo,
  input: {
    answers: DraftAnswers;
    lang: ReportLanguage;
    channel: (typeof CHANNELS)[number];
    enteredBy?: string | null;
    draftToken?: string;
    rateLimit?: { key: string; max: number };
  },
): Promise<CreatedReport> {
  const now = platform.clock.now();
  const year = Number(BERLIN_YEAR.format(now));
  const anonymous = input.answers.mode === "anonymous";
  // Anonymous reporters always get the receipt-code mailbox; others when they ask for it.
  const receiptCode = anonymous || input.answers.mailbox === "yes" ? newReceiptCode() : null;
  const { urls = [], ...rest } = input.answers;
  const content: Record<string, unknown> = { ...rest };
  const contact: Record<string, unknown> = {};
  for (const f of CONTACT_FIELDS) {
    if (!anonymous && content[f]) contact[f] = content[f];
    delete content[f];
  }
  const id = randomUUID();
  const seal = platform.keyring.cachedSealer(tenant.id) ?? (await withTenant(platform.db, tenant.id, (tx) => platform.keyring.sealer(tx, tenant.id)));
  const urlEvidence = urls.map((u) => ({
    meta: seal(JSON.stringify({ name: u.url, urlKind: u.kind, capturedBy: u.capturedBy }), EVIDENCE_META),
    sha256: sha256(u.url),
    captured_at: u.capturedAt ? new Date(u.capturedAt).toISOString() : null,
  }));
  const mode = input.answers.mode ?? "anonymous";
  const details = { channel: input.channel, mode };
  const confirmTo = typeof contact.contactEmail === "string" ? contact.contactEmail : null;
  // One call, one implicit transaction (komma_receive_report, migrations 0011_domain_events and
  // 0062_intake_counts): the client's count, the next case number, the report, its contact, URLs,
  // the draft's files, the audit entry, the event `report.received` and the count of
  // confirmations to the address given — all of it or nothing. The event's handlers open the case
  // and notify the office.
  const { rows: result } = await platform.database.rawQuery(
    RECEIVE_REPORT,
    [
      JSON.stringify({
        tenant: tenant.id,
        report: id,
        casePrefix: casePrefix(tenant.slug),
        year,
        channel: input.channel,
        mode,
        immediateDanger: input.answers.immediateDanger === "yes",
        forms: input.answers.forms ?? [],
        motives: input.answers.motives ?? [],
        place: input.answers.place ?? null,
        affectedFunction: input.answers.affectedFunction ?? null,
        content: seal(JSON.stringify(content), CONTENT),
        language: input.lang,
        receiptHash: receiptCode ? platform.keyring.lookupHash("receipt", normaliseReceiptCode(receiptCode)) : null,
        enteredBy: input.enteredBy ?? null,
        at: now.toISOString(),
        contact: Object.keys(contact).length > 0 ? seal(JSON.stringify(contact), CONTACT) : null,
        urls: urlEvidence,
        draft: input.draftToken ? platform.keyring.lookupHash("draft", input.draftToken) : null,
        auditDetails: details,
        auditHash: auditBodyHash(
          { tenantId: tenant.id, actorId: input.enteredBy ?? null, action: "report.received", objectType: "report", objectId: id, details },
          now,
        ),
        ...(input.rateLimit
          ? { rateLimit: { count: platform.counters.count(RATE_LIMIT_PURPOSE, input.rateLimit.key, INTAKE_WINDOW_MS), max: input.rateLimit.max } }
          : {}),
        ...(confirmTo ? { confirmation: platform.counters.count("confirmation", confirmTo.toLowerCase(), 86_400_000, 1, CONFIRMATIONS_PER_DAY) } : {}),
      }),
    ],
    "komma_receive_report",
  );
  const stored = result[0];
  if (stored.case_number === null) throw AppError.rateLimited((new Date(stored.limit_expires as string | Date).getTime() - now.getTime()) / 1000);
  const created = { id, caseNumber: stored.case_number as string };
  const delivered = platform.domainEvents.deliver(tenant.id, [String(result[0].event_id)]);
  // The office, having entered a report, goes straight to its case: it must be open by then.
  // A reporter's answer does not wait for it.
  if (input.enteredBy) await delivered;
  const confirmation = confirmTo && stored.confirm === true ? await confirmToReporter(platform, tenant, confirmTo, created.caseNumber, input.lang) : [];
  await platform.mailer.dispatch(confirmation);
  if (input.channel === "web" || input.channel === "api") floodWatch(platform).noteReport(tenant);
  return { id: created.id, caseNumber: created.caseNumber, receiptCode };
}

// Anyone may type any address: so that the form cannot be used to flood someone's mailbox in
// the municipality's name, one address gets at most a few confirmations a day, counted across
// every process (the count keeps only a keyed hash of the address; the intake call counts it).
const CONFIRMATIONS_PER_DAY = 3;

/** A reporter who gave an address hears that the report arrived: its number, nothing of its content. */
async function confirmToReporter(platform: Platform, tenant: TenantInfo, to: string, caseNumber: string, lang: ReportLanguage): Promise<string[]> {
  const t = translator(lang);
  const id = await inTransaction(platform.db, {}, (tx) =>
    platform.mailer.enqueue(tx, {
      to,
      subject: t("reports.mail.confirmSubject", { caseNumber }),
      text: t("reports.mail.confirmBody", { caseNumber, tenant: tenant.name }),
    }),
  );
  return [id];
}
