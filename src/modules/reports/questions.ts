import { and, asc, eq } from "drizzle-orm";
import { z } from "zod";
import { appendAudit } from "../../platform/audit/audit.ts";
import type { Actor } from "../../platform/authz/policy.ts";
import { type Db, withTenant } from "../../platform/db/client.ts";
import { AppError } from "../../platform/http/errors.ts";
import type { Platform } from "../../platform/platform.ts";
import { CONTROL_CHARACTERS_MESSAGE, withoutControlCharacters } from "../../platform/validation.ts";
import { checkCaseNumber, SEALED, type TenantInfo } from "./commands.ts";
import { questionAnswered } from "./events.ts";
import { reportPolicy } from "./policy.ts";
import { reportByNumber } from "./repository.ts";
import {
  ANSWER_CHANNELS,
  ANSWERS,
  type Answer,
  type AnswerChannel,
  QUESTION_TOPICS,
  type QuestionDetails,
  type QuestionTopic,
  reportQuestions,
} from "./schema.ts";

/*
 * The affected person decides: steps that need their agreement (police, Strafantrag, a solidarity
 * statement, informing their leader, a referral, closing) are asked as a structured question in
 * the mailbox, explained in the reporter's language; the answer — agree, decline, or a question
 * back — is recorded with its time and channel. An answer given another way (a call, a visit) is
 * written down by the office with that channel. Every answer is a domain event
 * (`report.question_answered`), so the case can act on it.
 */

const NOTE = SEALED.questionNote;
const ANSWER_NOTE = SEALED.answerNote;

const text = z
  .string()
  .max(2000, { error: "errors.questions.long" })
  .refine(withoutControlCharacters, { error: CONTROL_CHARACTERS_MESSAGE })
  .transform((s) => s.trim());

export const questionInput = z.object({
  topic: z.enum(QUESTION_TOPICS, { error: "errors.questions.topic" }),
  note: text,
});

export const recordedAnswerInput = z.object({
  topic: z.enum(QUESTION_TOPICS, { error: "errors.questions.topic" }),
  answer: z.enum(ANSWERS, { error: "errors.questions.answer" }),
  channel: z.enum(ANSWER_CHANNELS.filter((c) => c !== "mailbox") as [AnswerChannel, ...AnswerChannel[]], { error: "errors.questions.channel" }),
  note: text,
});

export const mailboxAnswerInput = z
  .object({
    answer: z.enum(ANSWERS, { error: "errors.questions.answer" }),
    note: text,
  })
  .refine((a) => a.answer !== "ask_back" || (typeof a.note === "string" && a.note !== ""), {
    path: ["note"],
    error: "errors.questions.askBack",
    when: () => true,
  });

export interface QuestionRow {
  id: string;
  topic: QuestionTopic;
  details: QuestionDetails | null;
  revokedAt: Date | null;
  note: string | null;
  askedAt: Date;
  answer: Answer | null;
  answerNote: string | null;
  answeredAt: Date | null;
  channel: AnswerChannel | null;
}

/** The questions of a report, oldest first, their notes opened. */
export async function questionsOf(platform: Pick<Platform, "keyring">, tx: Db, tenantId: string, reportId: string): Promise<QuestionRow[]> {
  const found = await tx
    .select({
      id: reportQuestions.id,
      topic: reportQuestions.topic,
      details: reportQuestions.details,
      revokedAt: reportQuestions.revokedAt,
      note: reportQuestions.note,
      askedAt: reportQuestions.askedAt,
      answer: reportQuestions.answer,
      answerNote: reportQuestions.answerNote,
      answeredAt: reportQuestions.answeredAt,
      channel: reportQuestions.channel,
    })
    .from(reportQuestions)
    .where(and(eq(reportQuestions.tenantId, tenantId), eq(reportQuestions.reportId, reportId)))
    .orderBy(asc(reportQuestions.seq));
  return Promise.all(
    found.map(async (q) => ({
      ...q,
      note: q.note ? await platform.keyring.openText(tx, tenantId, q.note, NOTE) : null,
      answerNote: q.answerNote ? await platform.keyring.openText(tx, tenantId, q.answerNote, ANSWER_NOTE) : null,
    })),
  );
}

type QuestionDeps = Pick<Platform, "clock" | "keyring" | "domainEvents">;

/** Asks in the caller's transaction (another module's change commits with the question). */
export async function askInTx(
  platform: Pick<Platform, "keyring">,
  tx: Db,
  actor: Actor,
  tenant: TenantInfo,
  caseNumber: string,
  input: z.infer<typeof questionInput> & { details?: QuestionDetails },
  now: Date,
): Promise<{ ok: true; questionId: string } | { ok: false; key: "office.noMailbox" }> {
  reportPolicy.authorize(actor, "reply", tenant);
  checkCaseNumber(caseNumber);
  const report = await reportByNumber(tx, tenant.id, caseNumber);
  if (!report) throw new AppError("not_found");
  if (report.receiptHash === null) return { ok: false, key: "office.noMailbox" } as const;
  const [q] = await tx
    .insert(reportQuestions)
    .values({
      tenantId: tenant.id,
      reportId: report.id,
      topic: input.topic,
      note: input.note === "" ? null : await platform.keyring.seal(tx, tenant.id, input.note, NOTE),
      details: input.details ?? null,
      askedBy: actor.userId,
      askedAt: now,
    })
    .returning({ id: reportQuestions.id });
  await appendAudit(
    tx,
    {
      tenantId: tenant.id,
      actorId: actor.userId,
      action: "report.question_asked",
      objectType: "report",
      objectId: report.id,
      details: { caseNumber, topic: input.topic, questionId: q.id },
    },
    now,
  );
  return { ok: true, questionId: q.id } as const;
}

/** Asks the reporter in the mailbox. Only a reporter with a receipt code reads it. */
export async function askReporter(
  platform: Pick<Platform, "db" | "clock" | "keyring">,
  actor: Actor,
  tenant: TenantInfo,
  caseNumber: string,
  input: z.infer<typeof questionInput> & { details?: QuestionDetails },
): Promise<{ ok: true; questionId: string } | { ok: false; key: "office.noMailbox" }> {
  reportPolicy.authorize(actor, "reply", tenant);
  checkCaseNumber(caseNumber);
  const now = platform.clock.now();
  return withTenant(platform.db, tenant.id, (tx) => askInTx(platform, tx, actor, tenant, caseNumber, input, now), actor.userId);
}

/** Writes down an answer given another way, in the caller's transaction; deliver the event after the commit. */
export async function recordInTx(
  platform: QuestionDeps,
  tx: Db,
  actor: Actor,
  tenant: TenantInfo,
  caseNumber: string,
  input: z.infer<typeof recordedAnswerInput> & { details?: QuestionDetails },
  now: Date,
): Promise<{ questionId: string; eventId: string }> {
  reportPolicy.authorize(actor, "reply", tenant);
  checkCaseNumber(caseNumber);
  const report = await reportByNumber(tx, tenant.id, caseNumber);
  if (!report) throw new AppError("not_found");
  const [q] = await tx
    .insert(reportQuestions)
    .values({
      tenantId: tenant.id,
      reportId: report.id,
      topic: input.topic,
      askedBy: actor.userId,
      askedAt: now,
      answer: input.answer,
      answerNote: input.note === "" ? null : await platform.keyring.seal(tx, tenant.id, input.note, ANSWER_NOTE),
      answeredAt: now,
      channel: input.channel,
      recordedBy: actor.userId,
      details: input.details ?? null,
    })
    .returning({ id: reportQuestions.id });
  const eventId = await answered(
    platform,
    tx,
    tenant.id,
    actor.userId,
    { reportId: report.id, caseNumber, questionId: q.id, topic: input.topic, answer: input.answer, channel: input.channel },
    now,
  );
  return { questionId: q.id, eventId };
}

/** Writes down an answer the person gave another way (a call, a visit, a letter). */
export async function recordAnswer(
  platform: Pick<Platform, "db" | "clock" | "keyring" | "domainEvents">,
  actor: Actor,
  tenant: TenantInfo,
  caseNumber: string,
  input: z.infer<typeof recordedAnswerInput> & { details?: QuestionDetails },
): Promise<string> {
  const now = platform.clock.now();
  const { questionId, eventId } = await withTenant(
    platform.db,
    tenant.id,
    (tx) => recordInTx(platform, tx, actor, tenant, caseNumber, input, now),
    actor.userId,
  );
  await platform.domainEvents.deliver(tenant.id, [eventId]);
  return questionId;
}

/**
 * A consent for a step of another module, in its transaction: asked in the mailbox, or written
 * down as given another way. `eventId`, when there is one, is delivered after the commit.
 */
export async function consentInTx(
  platform: QuestionDeps,
  tx: Db,
  actor: Actor,
  tenant: TenantInfo,
  caseNumber: string,
  way: "mailbox" | "phone" | "in_person" | "email" | "letter",
  input: { topic: QuestionTopic; note: string; details: QuestionDetails },
  now: Date,
): Promise<{ ok: true; questionId: string; eventId: string | null } | { ok: false }> {
  if (way === "mailbox") {
    const asked = await askInTx(platform, tx, actor, tenant, caseNumber, input, now);
    return asked.ok ? { ok: true, questionId: asked.questionId, eventId: null } : { ok: false };
  }
  const recorded = await recordInTx(
    platform,
    tx,
    actor,
    tenant,
    caseNumber,
    { topic: input.topic, answer: "agree", channel: way, note: "", details: input.details },
    now,
  );
  return { ok: true, ...recorded };
}

export async function answered(
  platform: Pick<Platform, "domainEvents">,
  tx: Db,
  tenantId: string,
  actorId: string | null,
  a: { reportId: string; caseNumber: string; questionId: string; topic: QuestionTopic; answer: Answer; channel: AnswerChannel },
  now: Date,
): Promise<string> {
  await appendAudit(
    tx,
    {
      tenantId,
      actorId,
      action: "report.question_answered",
      objectType: "report",
      objectId: a.reportId,
      details: { caseNumber: a.caseNumber, topic: a.topic, answer: a.answer, channel: a.channel },
    },
    now,
  );
  return platform.domainEvents.emit(tx, questionAnswered, tenantId, {
    reportId: a.reportId,
    caseNumber: a.caseNumber,
    questionId: a.questionId,
    topic: a.topic,
    answer: a.answer,
    channel: a.channel,
  });
}
