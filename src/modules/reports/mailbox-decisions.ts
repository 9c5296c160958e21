import { and, eq, isNull } from "drizzle-orm";
import type { z } from "zod";
import { appendAudit } from "../../platform/audit/audit.ts";
import type { Actor } from "../../platform/authz/policy.ts";
import { withTenant } from "../../platform/db/client.ts";
import { AppError, fieldErrors } from "../../platform/http/errors.ts";
import { translator } from "../../platform/i18n/i18n.ts";
import type { Platform } from "../../platform/platform.ts";
import { UUID_PATTERN } from "../../platform/validation.ts";
import { checkCaseNumber, SEALED, type TenantInfo } from "./commands.ts";
import { consentRevoked } from "./events.ts";
import { mailClearingOffice } from "./office-mail.ts";
import { reportPolicy } from "./policy.ts";
import { answered, mailboxAnswerInput, type QuestionRow, questionsOf } from "./questions.ts";
import { reportByNumber } from "./repository.ts";
import { reportQuestions, reports } from "./schema.ts";

/*
 * The person's side of a question in the mailbox — an answer, a withdrawal — and the office's
 * read of the decisions on a case. Asking and writing down answers stay in questions.ts.
 */

const ANSWER_NOTE = SEALED.answerNote;

export type MailboxAnswerResult = { ok: true } | { ok: false; reason: "unknown" | "answered" };

/** The reporter answers a question in the mailbox; the office hears of it by mail (the case number only). */
export async function answerInMailbox(
  platform: Pick<Platform, "db" | "clock" | "keyring" | "domainEvents" | "mailer" | "config">,
  tenant: TenantInfo,
  reportId: string,
  questionId: string,
  input: z.infer<typeof mailboxAnswerInput>,
): Promise<MailboxAnswerResult> {
  if (!UUID_PATTERN.test(questionId)) return { ok: false, reason: "unknown" };
  const now = platform.clock.now();
  const result = await withTenant(platform.db, tenant.id, async (tx) => {
    const [q] = await tx
      .select({ topic: reportQuestions.topic, answer: reportQuestions.answer, caseNumber: reports.caseNumber })
      .from(reportQuestions)
      .innerJoin(reports, and(eq(reports.tenantId, reportQuestions.tenantId), eq(reports.id, reportQuestions.reportId)))
      .where(and(eq(reportQuestions.tenantId, tenant.id), eq(reportQuestions.reportId, reportId), eq(reportQuestions.id, questionId)))
      .for("update", { of: reportQuestions });
    if (!q) return { ok: false, reason: "unknown" } as const;
    if (q.answer !== null) return { ok: false, reason: "answered" } as const;
    const updated = await tx
      .update(reportQuestions)
      .set({
        answer: input.answer,
        answerNote: input.note === "" ? null : await platform.keyring.seal(tx, tenant.id, input.note, ANSWER_NOTE),
        answeredAt: now,
        channel: "mailbox",
      })
      .where(and(eq(reportQuestions.tenantId, tenant.id), eq(reportQuestions.id, questionId), isNull(reportQuestions.answer)))
      .returning({ id: reportQuestions.id });
    if (updated.length === 0) return { ok: false, reason: "answered" } as const;
    const eventId = await answered(
      platform,
      tx,
      tenant.id,
      null,
      { reportId, caseNumber: q.caseNumber, questionId, topic: q.topic, answer: input.answer, channel: "mailbox" },
      now,
    );
    const t = translator("de");
    const mails = await mailClearingOffice(platform, tx, tenant.id, (place) => [
      {
        subject: t("reports.mail.decisionSubject", { caseNumber: q.caseNumber }),
        text: t("reports.mail.answerBody", { caseNumber: q.caseNumber, tenant: place.name, link: place.link(`/faelle/${q.caseNumber}`) }),
      },
    ]);
    return { ok: true, eventId, mails } as const;
  });
  if (!result.ok) return result;
  await platform.mailer.dispatch(result.mails);
  await platform.domainEvents.deliver(tenant.id, [result.eventId]);
  return { ok: true };
}

/**
 * The person takes an agreement back: in the mailbox, or the office writes down a revocation
 * given another way. What it allowed ends at once (the case hears of it before this returns).
 */
export async function revokeConsent(
  platform: Pick<Platform, "db" | "clock" | "domainEvents" | "mailer" | "config">,
  tenant: TenantInfo,
  where: { reportId: string } | { caseNumber: string; actor: Actor },
  questionId: string,
): Promise<boolean> {
  if (!UUID_PATTERN.test(questionId)) return false;
  if ("actor" in where) reportPolicy.authorize(where.actor, "reply", tenant);
  const now = platform.clock.now();
  const result = await withTenant(platform.db, tenant.id, async (tx) => {
    const [q] = await tx
      .select({ reportId: reportQuestions.reportId, caseNumber: reports.caseNumber, answer: reportQuestions.answer, revokedAt: reportQuestions.revokedAt })
      .from(reportQuestions)
      .innerJoin(reports, and(eq(reports.tenantId, reportQuestions.tenantId), eq(reports.id, reportQuestions.reportId)))
      .where(
        and(
          eq(reportQuestions.tenantId, tenant.id),
          eq(reportQuestions.id, questionId),
          "reportId" in where ? eq(reportQuestions.reportId, where.reportId) : eq(reports.caseNumber, where.caseNumber),
        ),
      )
      .for("update", { of: reportQuestions });
    if (q?.answer !== "agree" || q.revokedAt) return null;
    await tx
      .update(reportQuestions)
      .set({ revokedAt: now })
      .where(and(eq(reportQuestions.tenantId, tenant.id), eq(reportQuestions.id, questionId)));
    const actorId = "actor" in where ? where.actor.userId : null;
    await appendAudit(
      tx,
      { tenantId: tenant.id, actorId, action: "report.consent_revoked", objectType: "report", objectId: q.reportId, details: { caseNumber: q.caseNumber } },
      now,
    );
    const eventId = await platform.domainEvents.emit(tx, consentRevoked, tenant.id, { reportId: q.reportId, caseNumber: q.caseNumber, questionId });
    const t = translator("de");
    const mails =
      actorId === null
        ? await mailClearingOffice(platform, tx, tenant.id, (place) => [
            {
              subject: t("reports.mail.revokedSubject", { caseNumber: q.caseNumber }),
              text: t("reports.mail.answerBody", { caseNumber: q.caseNumber, tenant: place.name, link: place.link(`/faelle/${q.caseNumber}`) }),
            },
          ])
        : [];
    return { eventId, mails };
  });
  if (!result) return false;
  await platform.domainEvents.deliver(tenant.id, [result.eventId]);
  await platform.mailer.dispatch(result.mails);
  return true;
}

/**
 * A decision posted in the mailbox: the answer to one question (its fields carry the question's
 * id, so each form on the page has its own) or the withdrawal of an agreement. Returns what the
 * page shows: field errors with the input kept, or the notice of what happened.
 */
export async function decideInMailbox(
  platform: Parameters<typeof answerInMailbox>[0] & Parameters<typeof revokeConsent>[0],
  tenant: TenantInfo,
  reportId: string,
  action: "entscheiden" | "widerrufen",
  values: Record<string, string | string[] | undefined>,
  t: (key: string) => string,
): Promise<{ errors: Record<string, string>; values: Record<string, string>; notice?: string }> {
  const first = (v: string | string[] | undefined) => (Array.isArray(v) ? (v[0] ?? "") : (v ?? ""));
  const question = first(values.frage);
  if (action === "widerrufen") {
    const revoked = await revokeConsent(platform, tenant, { reportId }, question);
    return { errors: {}, values: {}, notice: t(revoked ? "reports.questions.revokedNotice" : "reports.questions.unknown") };
  }
  const names = { answer: `antwort-${question}`, note: `notiz-${question}` };
  const entered = { [names.answer]: first(values[names.answer]), [names.note]: first(values[names.note]) };
  const parsed = mailboxAnswerInput.safeParse({ answer: entered[names.answer], note: entered[names.note] });
  if (!parsed.success) {
    const errors: Record<string, string> = {};
    for (const [field, message] of Object.entries(fieldErrors(parsed.error, t))) errors[field === "answer" ? names.answer : names.note] = message;
    return { errors, values: entered };
  }
  const result = await answerInMailbox(platform, tenant, reportId, question, parsed.data);
  const key = result.ok ? "reports.questions.thanks" : result.reason === "answered" ? "reports.questions.already" : "reports.questions.unknown";
  return { errors: {}, values: entered, notice: t(key) };
}

/** The person's decisions on a case, for the clearing office (the API's case file): no side effects. */
export async function decisionsOf(
  platform: Pick<Platform, "db" | "keyring">,
  actor: Actor,
  tenant: TenantInfo | { id: string; kind: TenantInfo["kind"] },
  caseNumber: string,
): Promise<QuestionRow[]> {
  reportPolicy.authorize(actor, "read", tenant);
  checkCaseNumber(caseNumber);
  return withTenant(
    platform.db,
    tenant.id,
    async (tx) => {
      const report = await reportByNumber(tx, tenant.id, caseNumber);
      if (!report) throw new AppError("not_found");
      return questionsOf(platform, tx, tenant.id, report.id);
    },
    actor.userId,
  );
}
