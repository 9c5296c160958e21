import { z } from "zod";
import { defineEvent } from "../../platform/events/events.ts";

/*
 * The events this module emits, with their payloads' schemas. Other modules subscribe through
 * index.ts. Payloads carry ids and categories, never what a person wrote.
 */

/** A report was stored (by the intake function, komma_receive_report, in the same transaction). */
export const reportReceived = defineEvent(
  "report.received",
  z.object({
    reportId: z.uuid(),
    /** The number the reporter was given; the case the report opens carries it. */
    caseNumber: z.string(),
    channel: z.enum(["web", "phone", "email", "letter", "in_person", "api"]),
    mode: z.enum(["named", "confidential", "anonymous"]),
    immediateDanger: z.boolean(),
    receivedAt: z.coerce.date(),
    /** The report's categories as codes (events stored before they were carried have none). */
    forms: z.array(z.string()).default([]),
    motives: z.array(z.string()).default([]),
    /** Where it happened and the affected person's function, as codes (none when not given). */
    place: z.string().nullable().default(null),
    affectedFunction: z.string().nullable().default(null),
  }),
);
export type ReportReceived = z.infer<typeof reportReceived.schema>;

/** The affected person answered a question of the office (in the mailbox, or the office wrote down an answer given another way). */
export const questionAnswered = defineEvent(
  "report.question_answered",
  z.object({
    reportId: z.uuid(),
    caseNumber: z.string(),
    questionId: z.uuid(),
    topic: z.enum(["police", "strafantrag", "solidarity_statement", "inform_leader", "referral", "closing"]),
    answer: z.enum(["agree", "decline", "ask_back"]),
    channel: z.enum(["mailbox", "phone", "in_person", "email", "letter"]),
  }),
);
export type QuestionAnswered = z.infer<typeof questionAnswered.schema>;

/** The person took back an agreement they had given (through the mailbox, or the office wrote it down). */
export const consentRevoked = defineEvent("report.consent_revoked", z.object({ reportId: z.uuid(), caseNumber: z.string(), questionId: z.uuid() }));
export type ConsentRevoked = z.infer<typeof consentRevoked.schema>;

/** The affected person gave their feedback on a closed case (scores only: their words stay sealed with the report). */
export const feedbackGiven = defineEvent(
  "report.feedback_given",
  z.object({
    reportId: z.uuid(),
    caseNumber: z.string(),
    supported: z.number().int().min(1).max(5).nullable(),
    superiors: z.number().int().min(1).max(5).nullable(),
    colleagues: z.number().int().min(1).max(5).nullable(),
    office: z.number().int().min(1).max(5).nullable(),
    partners: z.number().int().min(1).max(5).nullable(),
  }),
);
export type FeedbackGiven = z.infer<typeof feedbackGiven.schema>;
