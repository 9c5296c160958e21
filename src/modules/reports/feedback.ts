import { and, eq, inArray, isNull, ne, or } from "drizzle-orm";
import { z } from "zod";
import { appendAudit } from "../../platform/audit/audit.ts";
import type { Actor } from "../../platform/authz/policy.ts";
import { type Db, withTenant } from "../../platform/db/client.ts";
import { AppError, fieldErrors } from "../../platform/http/errors.ts";
import type { Platform } from "../../platform/platform.ts";
import { CONTROL_CHARACTERS_MESSAGE, withoutControlCharacters } from "../../platform/validation.ts";
import { checkCaseNumber, SEALED, type TenantInfo } from "./commands.ts";
import { feedbackGiven } from "./events.ts";
import { reportPolicy } from "./policy.ts";
import { reportByNumber } from "./repository.ts";
import { ANSWER_CHANNELS, type AnswerChannel, FEEDBACK_SOURCES, type FeedbackSource, reportFeedback, reports } from "./schema.ts";

/*
 * The affected person's feedback when their case is closed — the measure of the project's main
 * goal: did they feel supported, and by whom (superiors, colleagues, the clearing office, the
 * alliance's partners), 1–5 each, and in their own words. Asked in the mailbox in their language;
 * an answer given another way is written down by the office. The scores travel on as an event
 * (`report.feedback_given`) into the statistics record; the words stay sealed with the report.
 */

const COMMENT = SEALED.feedbackComment;

const score = (required: boolean) =>
  z
    .string()
    .refine((s) => (required ? /^[1-5]$/ : /^([1-5]|none|)$/).test(s), { error: required ? "errors.feedback.supported" : "errors.invalid" })
    .transform((s) => (/^[1-5]$/.test(s) ? Number(s) : null));

export const feedbackInput = z.object({
  supported: score(true),
  ...(Object.fromEntries(FEEDBACK_SOURCES.map((s) => [s, score(false)])) as Record<FeedbackSource, ReturnType<typeof score>>),
  comment: z
    .string()
    .max(2000, { error: "errors.questions.long" })
    .refine(withoutControlCharacters, { error: CONTROL_CHARACTERS_MESSAGE })
    .transform((s) => s.trim()),
});
export type FeedbackInput = z.infer<typeof feedbackInput>;

export const recordedFeedbackInput = feedbackInput.extend({
  channel: z.enum(ANSWER_CHANNELS.filter((c) => c !== "mailbox") as [AnswerChannel, ...AnswerChannel[]], { error: "errors.questions.channel" }),
});

/** The form's fields as strings (a field sent twice or not at all counts as empty). */
export function feedbackValues(body: unknown, prefix = ""): Record<string, string> {
  const b = (body ?? {}) as Record<string, unknown>;
  const names = ["supported", ...FEEDBACK_SOURCES, "comment", "channel"];
  return Object.fromEntries(names.map((n) => [n, typeof b[`${prefix}${n}`] === "string" ? (b[`${prefix}${n}`] as string) : ""]));
}

export interface FeedbackRow {
  askedAt: Date;
  givenAt: Date | null;
  channel: AnswerChannel | null;
  supported: number | null;
  superiors: number | null;
  colleagues: number | null;
  office: number | null;
  partners: number | null;
  comment: string | null;
}

/** The feedback asked of a report's person, with their words opened; none before the case was closed. */
export async function feedbackOf(platform: Pick<Platform, "keyring">, tx: Db, tenantId: string, reportId: string): Promise<FeedbackRow | null> {
  const [row] = await tx
    .select()
    .from(reportFeedback)
    .where(and(eq(reportFeedback.tenantId, tenantId), eq(reportFeedback.reportId, reportId)));
  if (!row) return null;
  const { tenantId: _t, reportId: _r, recordedBy: _b, comment, ...rest } = row;
  return { ...rest, comment: comment ? await platform.keyring.openText(tx, tenantId, comment, COMMENT) : null };
}

/** Asks the persons of these reports for their feedback (once: a case closed again asks nobody twice). */
export async function askFeedback(tx: Db, tenantId: string, reportIds: readonly string[], at: Date): Promise<void> {
  if (reportIds.length === 0) return;
  await tx
    .insert(reportFeedback)
    .values(reportIds.map((reportId) => ({ tenantId, reportId, askedAt: at })))
    .onConflictDoNothing();
}

/** Whether the persons of these reports were asked and have not answered yet. */
export async function feedbackPending(tx: Db, tenantId: string, reportIds: readonly string[]): Promise<boolean> {
  if (reportIds.length === 0) return false;
  const found = await tx
    .select({ id: reportFeedback.reportId })
    .from(reportFeedback)
    .where(and(eq(reportFeedback.tenantId, tenantId), inArray(reportFeedback.reportId, [...reportIds]), isNull(reportFeedback.givenAt)));
  return found.length > 0;
}

/** Stores the feedback once, emits its scores; false when none is asked or it was given already. */
async function store(
  platform: Pick<Platform, "keyring" | "domainEvents">,
  tx: Db,
  tenantId: string,
  report: { id: string; caseNumber: string },
  input: FeedbackInput,
  channel: AnswerChannel,
  recordedBy: string | null,
  now: Date,
): Promise<string | null> {
  const scores = { supported: input.supported, superiors: input.superiors, colleagues: input.colleagues, office: input.office, partners: input.partners };
  const updated = await tx
    .update(reportFeedback)
    .set({
      ...scores,
      comment: input.comment === "" ? null : await platform.keyring.seal(tx, tenantId, input.comment, COMMENT),
      givenAt: now,
      channel,
      recordedBy,
    })
    .where(
      and(
        eq(reportFeedback.tenantId, tenantId),
        eq(reportFeedback.reportId, report.id),
        // Once given, it stays — except that the person's own answer in the mailbox replaces one the office wrote down.
        channel === "mailbox" ? or(isNull(reportFeedback.givenAt), ne(reportFeedback.channel, "mailbox")) : isNull(reportFeedback.givenAt),
      ),
    )
    .returning({ id: reportFeedback.reportId });
  if (updated.length === 0) return null;
  await appendAudit(
    tx,
    {
      tenantId,
      actorId: recordedBy,
      action: "report.feedback_given",
      objectType: "report",
      objectId: report.id,
      details: { caseNumber: report.caseNumber, channel },
    },
    now,
  );
  return platform.domainEvents.emit(tx, feedbackGiven, tenantId, { reportId: report.id, caseNumber: report.caseNumber, ...scores });
}

/** The person gives their feedback in the mailbox: the answer for the page (errors, what they entered, a notice). */
export async function feedbackInMailbox(
  platform: Pick<Platform, "db" | "clock" | "keyring" | "domainEvents">,
  tenant: TenantInfo,
  reportId: string,
  values: Record<string, string>,
  t: (key: string) => string,
): Promise<{ errors: Record<string, string>; values: Record<string, string>; notice?: string }> {
  const parsed = feedbackInput.safeParse(values);
  if (!parsed.success) {
    const prefixed = (o: Record<string, string>) => Object.fromEntries(Object.entries(o).map(([k, v]) => [`feedback-${k}`, v]));
    return { errors: prefixed(fieldErrors(parsed.error, t)), values: prefixed(values) };
  }
  const now = platform.clock.now();
  const eventId = await withTenant(platform.db, tenant.id, async (tx) => {
    const [r] = await tx
      .select({ id: reports.id, caseNumber: reports.caseNumber })
      .from(reports)
      .where(and(eq(reports.tenantId, tenant.id), eq(reports.id, reportId)));
    return r ? store(platform, tx, tenant.id, r, parsed.data, "mailbox", null, now) : null;
  });
  if (!eventId) return { errors: {}, values: {}, notice: t("reports.feedback.already") };
  await platform.domainEvents.deliver(tenant.id, [eventId]);
  return { errors: {}, values: {}, notice: t("reports.feedback.thanks") };
}

/** The office writes down feedback the person gave another way (a call, the closing conversation). */
export async function recordFeedback(
  platform: Pick<Platform, "db" | "clock" | "keyring" | "domainEvents">,
  actor: Actor,
  tenant: TenantInfo,
  caseNumber: string,
  input: z.infer<typeof recordedFeedbackInput>,
): Promise<{ ok: boolean }> {
  reportPolicy.authorize(actor, "reply", tenant);
  checkCaseNumber(caseNumber);
  const now = platform.clock.now();
  const eventId = await withTenant(
    platform.db,
    tenant.id,
    async (tx) => {
      const report = await reportByNumber(tx, tenant.id, caseNumber);
      if (!report) throw new AppError("not_found");
      return store(platform, tx, tenant.id, { id: report.id, caseNumber }, input, input.channel, actor.userId, now);
    },
    actor.userId,
  );
  if (!eventId) return { ok: false };
  await platform.domainEvents.deliver(tenant.id, [eventId]);
  return { ok: true };
}
