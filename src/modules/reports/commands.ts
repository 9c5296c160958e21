import { randomBytes, randomUUID } from "node:crypto";
import { auditBodyHash } from "../../platform/audit/audit.ts";
import { withTenant } from "../../platform/db/client.ts";
import { AppError } from "../../platform/http/errors.ts";
import { RATE_LIMIT_PURPOSE } from "../../platform/http/rate-limit-store.ts";
import { dateFormat } from "../../platform/i18n/formats.ts";
import { translator } from "../../platform/i18n/i18n.ts";
import type { Platform } from "../../platform/platform.ts";
import { EVIDENCE_BYTES, sha256 } from "./evidence.ts";
import { floodWatch } from "./flood.ts";
import type { TenantRef } from "./policy.ts";
import { type CHANNELS, CONTACT_FIELDS, capturedInstant, type DraftAnswers } from "./schemas.ts";

export const REPORT_LANGUAGES = ["de", "en", "tr", "ar", "uk", "ru"] as const;
export type ReportLanguage = (typeof REPORT_LANGUAGES)[number];
export const DRAFT_TTL_MS = 24 * 3_600_000;
/** Case numbers count per calendar year in Germany. Made once: a formatter is costly to create. */
const BERLIN_YEAR = dateFormat("en", { year: "numeric", timeZone: "Europe/Berlin" });

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

/* ------------------------------------------------------------------ intake */

/** A draft's report was sent by another submission of the draft already (or the draft is gone): nothing was stored. */
export class DraftSentAlready extends Error {
  constructor() {
    super("the draft was sent already");
  }
}

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
  /** A confirmation went to the e-mail address given (none beyond the address's daily limit). */
  confirmationSent: boolean;
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
    captured_at: u.capturedAt ? capturedInstant(u.capturedAt).toISOString() : null,
  }));
  const mode = input.answers.mode ?? "anonymous";
  const details = { channel: input.channel, mode };
  const confirmTo = typeof contact.contactEmail === "string" ? contact.contactEmail : null;
  const confirmation = confirmTo === null ? null : { mailbox: mailboxOf(confirmTo), mail: await confirmationMail(platform, tenant, confirmTo, input.lang) };
  // One call, one implicit transaction (komma_receive_report, migrations 0011_domain_events,
  // 0062_intake_counts and 0063_intake_confirmation): the client's count, the next case number,
  // the report, its contact, URLs, the draft's files, the audit entry, the event
  // `report.received`, the count of confirmations to the address given and the confirmation
  // itself — all of it or nothing. The event's handlers open the case and notify the office.
  const { rows: result } = await platform.database
    .rawQuery(
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
          ...(confirmation
            ? {
                confirmation: platform.counters.count("confirmation", confirmation.mailbox, 86_400_000, 1, CONFIRMATIONS_PER_DAY),
                confirmationMail: confirmation.mail,
              }
            : {}),
        }),
      ],
      "komma_receive_report",
    )
    .catch((err: unknown) => {
      // The draft was taken by another submission of it (a double click), or is gone.
      if ((err as { code?: unknown }).code === "KM001") throw new DraftSentAlready();
      throw err;
    });
  const stored = result[0];
  if (stored.case_number === null) throw AppError.rateLimited((new Date(stored.limit_expires as string | Date).getTime() - now.getTime()) / 1000);
  const created = { id, caseNumber: stored.case_number as string };
  const delivered = platform.domainEvents.deliver(tenant.id, [String(result[0].event_id)]);
  // The office, having entered a report, goes straight to its case: it must be open by then.
  // A reporter's answer does not wait for it.
  if (input.enteredBy) await delivered;
  const confirmationSent = confirmation !== null && stored.confirm === true;
  if (confirmationSent) await platform.mailer.dispatch([confirmation.mail.id]);
  if (input.channel === "web" || input.channel === "api") floodWatch(platform).noteReport(tenant);
  return { id: created.id, caseNumber: created.caseNumber, receiptCode, confirmationSent };
}

// Anyone may type any address: so that the form cannot be used to flood someone's mailbox in
// the municipality's name, one address gets at most a few confirmations a day, counted across
// every process (the count keeps only a keyed hash of the address; the intake call counts it).
const CONFIRMATIONS_PER_DAY = 3;

/**
 * The mailbox an address reaches, as the confirmations are counted: without a "+tag" and without
 * dots in the local part, since many providers deliver `a.b+x@` to `ab@`. Two people whose
 * addresses differ only so share the count, which costs them no more than a confirmation.
 */
export function mailboxOf(address: string): string {
  const at = address.lastIndexOf("@");
  const local = address.slice(0, at).split("+")[0].replaceAll(".", "");
  return `${local}${address.slice(at)}`.toLowerCase();
}

/**
 * A reporter who gave an address hears that the report arrived: its number, nothing of its
 * content. Made before the intake call, which fills in the number and stores it where the count
 * of confirmations to the address allows.
 */
async function confirmationMail(platform: Platform, tenant: TenantInfo, to: string, lang: ReportLanguage) {
  const t = translator(lang);
  const caseNumber = "{{caseNumber}}";
  return {
    id: randomUUID(),
    recipient: await platform.mailer.sealRecipient(to),
    subject: t("reports.mail.confirmSubject", { caseNumber }),
    body: t("reports.mail.confirmBody", { caseNumber, tenant: tenant.name }),
  };
}
