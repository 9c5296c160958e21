import { and, asc, eq, inArray } from "drizzle-orm";
import { z } from "zod";
import { appendAudit } from "../../platform/audit/audit.ts";
import type { Actor } from "../../platform/authz/policy.ts";
import { berlinDate, isCalendarDate } from "../../platform/calendar.ts";
import { type Db, withTenant } from "../../platform/db/client.ts";
import { users } from "../../platform/db/schema.ts";
import type { EventHandler } from "../../platform/events/events.ts";
import { AppError } from "../../platform/http/errors.ts";
import { notify, peopleWithRoles } from "../../platform/notifications/notifications.ts";
import type { Platform } from "../../platform/platform.ts";
import { CONTROL_CHARACTERS_MESSAGE, UUID_PATTERN, withoutControlCharacters } from "../../platform/validation.ts";
import { accountIdsOf, partnersOffering } from "../alliance/index.ts";
import {
  type ConsentRevoked,
  checkCaseNumber,
  consentInTx,
  consentRevoked,
  DATA_CATEGORIES,
  type DataCategory,
  type QuestionAnswered,
  questionAnswered,
} from "../reports/index.ts";
import { authorizeWork } from "./assessment.ts";
import type { TenantRef } from "./policy.ts";
import { caseByNumber } from "./repository.ts";
import { caseDisclosures, caseReferrals, cases, LEGAL_BASES, type LegalBasis, type ReferralStatus } from "./schema.ts";

/*
 * Referrals to partners of the alliance, only with the affected person's consent: the office
 * names the organisation, the data categories, the purpose and the end; the person agrees in the
 * mailbox (their question shows exactly that, in their language) or the office writes down a
 * consent given another way. The partner then sees that case, those categories, until the end —
 * and nothing once the person withdraws. Every look is a disclosure, in the audit log and on the
 * case. A referral without consent, under a legal exception, waits for a second officer's release
 * (referral-exception.ts).
 */

const PURPOSE = "case_referrals.purpose";
export const OUTCOME = "case_referrals.outcome";
export const EXCEPTION_REASON = "case_referrals.exception_reason";
const CONSENT_WAYS = ["mailbox", "phone", "in_person", "email", "letter", "legal_exception"] as const;
const _DATE = /^\d{4}-\d{2}-\d{2}$/;

export const referralInput = z
  .object({
    partnerId: z.string().refine((s) => UUID_PATTERN.test(s), { error: "errors.referrals.partner" }),
    categories: z.array(z.enum(DATA_CATEGORIES, { error: "errors.invalid" })).min(1, { error: "errors.referrals.categories" }),
    purpose: z
      .string()
      .trim()
      .min(1, { error: "errors.referrals.purpose" })
      .max(1000, { error: "errors.referrals.purposeLong" })
      .refine(withoutControlCharacters, { error: CONTROL_CHARACTERS_MESSAGE }),
    validUntil: z.string().refine(isCalendarDate, {
      error: "errors.referrals.until",
    }),
    consent: z.enum(CONSENT_WAYS, { error: "errors.referrals.consent" }),
    /** Only without consent: the legal exception and why it applies. */
    legalBasis: z.union([z.literal(""), z.enum(LEGAL_BASES, { error: "errors.referrals.legalBasis" })]).default(""),
    exceptionReason: z
      .string()
      .trim()
      .max(2000, { error: "errors.referrals.purposeLong" })
      .refine(withoutControlCharacters, { error: CONTROL_CHARACTERS_MESSAGE })
      .default(""),
  })
  .superRefine((r, ctx) => {
    if (r?.consent !== "legal_exception") return;
    if (!r.legalBasis) ctx.addIssue({ code: "custom", path: ["legalBasis"], message: "errors.referrals.legalBasis" });
    if (!r.exceptionReason) ctx.addIssue({ code: "custom", path: ["exceptionReason"], message: "errors.referrals.exceptionReason" });
  });
export type ReferralInput = z.infer<typeof referralInput>;

async function partnerNamed(platform: Pick<Platform, "db">, tenantId: string, partnerId: string): Promise<{ id: string; name: string } | null> {
  const all = await partnersOffering(platform, tenantId, {});
  const p = all.find((x) => x.id === partnerId);
  return p ? { id: p.id, name: p.name } : null;
}

export type ReferResult = { ok: true } | { ok: false; field: "partnerId" | "validUntil" | "consent" | "categories" };

/** What a referral of an anonymous report may pass on: it holds no name and no contact details. */
const ANONYMOUS_CATEGORIES: readonly DataCategory[] = ["summary", "evidence"];

/** The data categories a case's referral may name: an anonymous report has no name or contact to pass on. */
export const referableCategories = (mode: string): readonly DataCategory[] => (mode === "anonymous" ? ANONYMOUS_CATEGORIES : DATA_CATEGORIES);

/** Refers a case: asks the person in the mailbox, or records their consent given another way. */
export async function referCase(
  platform: Pick<Platform, "db" | "clock" | "keyring" | "domainEvents" | "mailer" | "config">,
  actor: Actor,
  tenant: TenantRef & { slug: string; name: string },
  number: string,
  input: ReferralInput,
): Promise<ReferResult> {
  checkCaseNumber(number);
  const now = platform.clock.now();
  const today = berlinDate(now);
  // The alliance's partner first (its own read); then the question and the referral commit together.
  const partner = await partnerNamed(platform, tenant.id, input.partnerId);
  const done = await withTenant(
    platform.db,
    tenant.id,
    async (tx): Promise<{ result: ReferResult; eventId: string | null }> => {
      const row = await caseByNumber(tx, tenant.id, number);
      if (!row) throw new AppError("not_found");
      await authorizeWork(tx, actor, tenant, row.id);
      if (!partner) return { result: { ok: false, field: "partnerId" }, eventId: null };
      const referable = referableCategories(row.mode);
      if (!input.categories.every((c) => referable.includes(c))) return { result: { ok: false, field: "categories" }, eventId: null };
      if (input.validUntil < today || input.validUntil > berlinDate(now, 2 * 366)) return { result: { ok: false, field: "validUntil" }, eventId: null };
      const details = { recipient: partner.name, categories: input.categories, until: input.validUntil };
      let status: ReferralStatus = "awaiting_release";
      let questionId: string | null = null;
      let eventId: string | null = null;
      // Without consent (a legal exception) nobody is asked: a second officer releases it first.
      if (input.consent !== "legal_exception") {
        const consent = await consentInTx(platform, tx, actor, tenant, number, input.consent, { topic: "referral", note: input.purpose, details }, now);
        if (!consent.ok) return { result: { ok: false, field: "consent" }, eventId: null };
        questionId = consent.questionId;
        eventId = consent.eventId;
        status = input.consent === "mailbox" ? "awaiting_consent" : "offered";
      }
      const seal = await platform.keyring.sealer(tx, tenant.id);
      const [r] = await tx
        .insert(caseReferrals)
        .values({
          tenantId: tenant.id,
          caseId: row.id,
          partnerId: partner.id,
          categories: input.categories,
          purpose: seal(input.purpose, PURPOSE),
          validUntil: input.validUntil,
          status,
          consentQuestionId: questionId,
          consentAt: status === "offered" ? now : null,
          consentChannel: status === "offered" ? input.consent : null,
          legalBasis: input.consent === "legal_exception" ? (input.legalBasis as LegalBasis) : null,
          exceptionReason: input.consent === "legal_exception" ? seal(input.exceptionReason, EXCEPTION_REASON) : null,
          createdBy: actor.userId,
          createdAt: now,
          updatedAt: now,
        })
        .returning({ id: caseReferrals.id });
      await appendAudit(
        tx,
        {
          tenantId: tenant.id,
          actorId: actor.userId,
          action: "case.referral_created",
          objectType: "case",
          objectId: row.id,
          details: { number, referralId: r.id, partnerId: partner.id, categories: input.categories, consent: input.consent },
        },
        now,
      );
      if (status === "offered") await noticeToPartner(platform, tx, tenant.id, partner.id, r.id, number);
      if (status === "awaiting_release") {
        // The rest of the office hears that a referral without consent waits for a second pair of eyes.
        const others = (await peopleWithRoles(tx, tenant.id, ["clearing_officer"])).filter((p) => p !== actor.userId);
        await notify(
          platform,
          tx,
          tenant.id,
          others,
          { kind: "cases.notify.exception.requested", params: { caseNumber: number }, link: `/faelle/${number}#vermittlungen` },
          { mail: false },
        );
      }
      return { result: { ok: true }, eventId };
    },
    actor.userId,
  );
  if (done.eventId) await platform.domainEvents.deliver(tenant.id, [done.eventId]);
  return done.result;
}

type NoticeDeps = Pick<Platform, "clock" | "mailer" | "config">;

/** Tells the people acting for the organisation, in the caller's transaction. */
export async function noticeToPartner(platform: NoticeDeps, tx: Db, tenantId: string, partnerId: string, referralId: string, number: string) {
  const accounts = (await accountIdsOf(tx, tenantId, [partnerId])).get(partnerId) ?? [];
  // In the app only: a partner's mail is outside the municipality's systems.
  await notify(
    platform,
    tx,
    tenantId,
    accounts,
    { kind: "cases.notify.referral", params: { caseNumber: number }, link: `/vermittlungen/${referralId}` },
    { mail: false },
  );
}

/** The person's answer to a referral question decides it: agreed, the partner gets it; declined, it goes nowhere. */
export function referralOnAnswer(platform: Pick<Platform, "db" | "clock" | "mailer" | "config">): EventHandler<QuestionAnswered> {
  return {
    name: "cases.referral-consent",
    event: questionAnswered,
    async handle({ tx, event }) {
      const { questionId, answer, channel, caseNumber } = event.payload;
      if (event.payload.topic !== "referral" || answer === "ask_back") return;
      const now = platform.clock.now();
      const [r] = await tx
        .update(caseReferrals)
        .set(answer === "agree" ? { status: "offered", consentAt: now, consentChannel: channel, updatedAt: now } : { status: "no_consent", updatedAt: now })
        .where(and(eq(caseReferrals.tenantId, event.tenantId), eq(caseReferrals.consentQuestionId, questionId), eq(caseReferrals.status, "awaiting_consent")))
        .returning({ id: caseReferrals.id, partnerId: caseReferrals.partnerId });
      if (r && answer === "agree") await noticeToPartner(platform, tx, event.tenantId, r.partnerId, r.id, caseNumber);
    },
  };
}

/** A withdrawn consent ends the referral at once: the partner's next look finds nothing. */
export function referralOnRevocation(platform: Pick<Platform, "clock" | "mailer" | "config">): EventHandler<ConsentRevoked> {
  return {
    name: "cases.referral-revoked",
    event: consentRevoked,
    async handle({ tx, event }) {
      const now = platform.clock.now();
      const revoked = await tx
        .update(caseReferrals)
        .set({ status: "revoked", updatedAt: now })
        .where(
          and(
            eq(caseReferrals.tenantId, event.tenantId),
            eq(caseReferrals.consentQuestionId, event.payload.questionId),
            inArray(caseReferrals.status, ["awaiting_consent", "awaiting_release", "offered", "accepted", "done"]),
          ),
        )
        .returning({ id: caseReferrals.id, caseId: caseReferrals.caseId });
      if (revoked.length === 0) return;
      // Whoever leads the case hears of it (else the office).
      const [kase] = await tx
        .select({ assigneeId: cases.assigneeId })
        .from(cases)
        .where(and(eq(cases.tenantId, event.tenantId), eq(cases.id, revoked[0].caseId)));
      const people = kase?.assigneeId ? [kase.assigneeId] : await peopleWithRoles(tx, event.tenantId, ["clearing_officer"]);
      const caseNumber = event.payload.caseNumber;
      await notify(
        platform,
        tx,
        event.tenantId,
        people,
        { kind: "cases.notify.revoked", params: { caseNumber }, link: `/faelle/${caseNumber}#vermittlungen` },
        { mail: false },
      );
    },
  };
}

export interface ReferralRow {
  id: string;
  number: string;
  partnerId: string;
  partnerName: string | null;
  categories: DataCategory[];
  purpose: string;
  validUntil: string;
  status: ReferralStatus;
  consentAt: Date | null;
  consentChannel: string | null;
  outcome: string | null;
  consentQuestionId: string | null;
  legalBasis: LegalBasis | null;
  exceptionReason: string | null;
  createdBy: string;
  disclosures: { name: string | null; at: Date; categories: string[] }[];
}

export async function referralRows(
  platform: Pick<Platform, "keyring">,
  tx: Db,
  tenantId: string,
  where: ReturnType<typeof eq>,
  partnerNames: Map<string, string>,
): Promise<ReferralRow[]> {
  const found = await tx
    .select({
      id: caseReferrals.id,
      number: cases.number,
      partnerId: caseReferrals.partnerId,
      categories: caseReferrals.categories,
      purpose: caseReferrals.purpose,
      validUntil: caseReferrals.validUntil,
      status: caseReferrals.status,
      consentAt: caseReferrals.consentAt,
      consentChannel: caseReferrals.consentChannel,
      outcome: caseReferrals.outcome,
      consentQuestionId: caseReferrals.consentQuestionId,
      legalBasis: caseReferrals.legalBasis,
      exceptionReason: caseReferrals.exceptionReason,
      createdBy: caseReferrals.createdBy,
    })
    .from(caseReferrals)
    .innerJoin(cases, and(eq(cases.tenantId, caseReferrals.tenantId), eq(cases.id, caseReferrals.caseId)))
    .where(and(eq(caseReferrals.tenantId, tenantId), where))
    .orderBy(asc(caseReferrals.seq));
  const ids = found.map((f) => f.id);
  const looks =
    ids.length === 0
      ? []
      : await tx
          .select({ referralId: caseDisclosures.referralId, name: users.displayName, at: caseDisclosures.at, categories: caseDisclosures.categories })
          .from(caseDisclosures)
          .leftJoin(users, eq(users.id, caseDisclosures.userId))
          .where(and(eq(caseDisclosures.tenantId, tenantId), inArray(caseDisclosures.referralId, ids)))
          .orderBy(asc(caseDisclosures.at));
  return Promise.all(
    found.map(async (f) => ({
      ...f,
      categories: f.categories as DataCategory[],
      partnerName: partnerNames.get(f.partnerId) ?? null,
      purpose: await platform.keyring.openText(tx, tenantId, f.purpose, PURPOSE),
      outcome: f.outcome ? await platform.keyring.openText(tx, tenantId, f.outcome, OUTCOME) : null,
      exceptionReason: f.exceptionReason ? await platform.keyring.openText(tx, tenantId, f.exceptionReason, EXCEPTION_REASON) : null,
      disclosures: looks.filter((l) => l.referralId === f.id).map(({ name, at, categories }) => ({ name, at, categories })),
    })),
  );
}

/** The referrals of a case and the alliance's partners to refer to, for its page (the office has read the case already). */
export async function referralsOfCase(
  platform: Pick<Platform, "db" | "keyring">,
  tenantId: string,
  caseId: string,
): Promise<{ rows: ReferralRow[]; partners: { id: string; name: string }[] }> {
  const partners = (await partnersOffering(platform, tenantId, {})).map((p) => ({ id: p.id, name: p.name }));
  const names = new Map(partners.map((p) => [p.id, p.name]));
  const rows = await withTenant(platform.db, tenantId, (tx) => referralRows(platform, tx, tenantId, eq(caseReferrals.caseId, caseId), names));
  return { rows, partners };
}

/** Ends every referral of a case that still stands (the case was closed): partners see nothing from now on. */
export async function endReferralsOf(tx: Db, tenantId: string, caseId: string, at: Date): Promise<void> {
  await tx
    .update(caseReferrals)
    .set({ status: "ended", updatedAt: at })
    .where(
      and(
        eq(caseReferrals.tenantId, tenantId),
        eq(caseReferrals.caseId, caseId),
        inArray(caseReferrals.status, ["awaiting_consent", "awaiting_release", "offered", "accepted", "done"]),
      ),
    );
}

/** The office ends a referral (the person withdrew by phone, the wrong partner, no longer needed): at once. */
export async function endReferral(
  platform: Pick<Platform, "db" | "clock">,
  actor: Actor,
  tenant: TenantRef,
  number: string,
  referralId: string,
): Promise<void> {
  checkCaseNumber(number);
  if (!UUID_PATTERN.test(referralId)) throw new AppError("not_found");
  const now = platform.clock.now();
  await withTenant(
    platform.db,
    tenant.id,
    async (tx) => {
      const row = await caseByNumber(tx, tenant.id, number);
      if (!row) throw new AppError("not_found");
      await authorizeWork(tx, actor, tenant, row.id);
      const [ended] = await tx
        .update(caseReferrals)
        .set({ status: "ended", updatedAt: now })
        .where(
          and(
            eq(caseReferrals.tenantId, tenant.id),
            eq(caseReferrals.caseId, row.id),
            eq(caseReferrals.id, referralId),
            inArray(caseReferrals.status, ["awaiting_consent", "awaiting_release", "offered", "accepted", "done"]),
          ),
        )
        .returning({ id: caseReferrals.id });
      if (!ended) throw new AppError("not_found");
      await appendAudit(
        tx,
        { tenantId: tenant.id, actorId: actor.userId, action: "case.referral_ended", objectType: "case", objectId: row.id, details: { number, referralId } },
        now,
      );
    },
    actor.userId,
  );
}
