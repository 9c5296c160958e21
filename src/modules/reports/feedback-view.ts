import { randomBytes } from "node:crypto";
import { dateFormat } from "../../platform/i18n/formats.ts";
import { CsrfField, ErrorSummary, type FieldErrors, html, RadioGroup, SelectField, SubmitButton, TextArea, type ViewContext } from "../../platform/ui/html.ts";
import type { FeedbackRow } from "./feedback.ts";
import { ANSWER_CHANNELS, FEEDBACK_SOURCES } from "./schema.ts";

/* The affected person's feedback on a closed case: their form in the mailbox, and the office's view of it. */

const SCORES = ["1", "2", "3", "4", "5"] as const;

/** The score questions: "did you feel supported" (required), then by whom (each may not apply). */
function ScoreFields({ ctx, prefix, values, errors }: { ctx: ViewContext; prefix: string; values: Record<string, string>; errors: FieldErrors }) {
  const { t } = ctx;
  const options = (none: boolean) => [
    ...SCORES.map((s) => ({ value: s, label: t(`reports.feedback.scores.${s}`) })),
    ...(none ? [{ value: "none", label: t("reports.feedback.notApplicable") }] : []),
  ];
  return html`<${RadioGroup} name=${`${prefix}supported`} legend=${t("reports.feedback.supported")} hint=${t("reports.feedback.scaleHint")}
      value=${values[`${prefix}supported`]} error=${errors[`${prefix}supported`]} options=${options(false)} />
    ${FEEDBACK_SOURCES.map(
      (
        s,
      ) => html`<${RadioGroup} name=${`${prefix}${s}`} legend=${t(`reports.feedback.by.${s}`)} value=${values[`${prefix}${s}`]} error=${errors[`${prefix}${s}`]}
        options=${options(true)} />`,
    )}`;
}

/** In the mailbox, once the case is closed: the feedback form, or thanks for it. */
export function MailboxFeedback({
  ctx,
  action,
  code,
  feedback,
  errors,
  values,
}: {
  ctx: ViewContext;
  action: string;
  code: string;
  feedback: FeedbackRow | null;
  errors: FieldErrors;
  values: Record<string, string>;
}) {
  const { t } = ctx;
  if (!feedback) return null;
  // Written down by the office from a call, the person may still give it in their own words here.
  if (feedback.givenAt && feedback.channel === "mailbox") {
    return html`<section aria-labelledby="rueckmeldung"><h2 class="kern-heading-medium" id="rueckmeldung">${t("reports.feedback.title")}</h2>
      <p class="kern-body">${t("reports.feedback.given")}</p></section>`;
  }
  return html`<section aria-labelledby="rueckmeldung">
    <h2 class="kern-heading-medium" id="rueckmeldung">${t("reports.feedback.title")}</h2>
    <p class="kern-body">${t("reports.feedback.lead")}</p>
    <form method="post" action=${action} novalidate class="komma-form">
      <${CsrfField} ctx=${ctx} />
      <input type="hidden" name="sprache" value=${ctx.lang} />
      <input type="hidden" name="code" value=${code} />
      <input type="hidden" name="_aktion" value="rueckmelden" />
      <input type="hidden" name="_einmal" value=${randomBytes(16).toString("base64url")} />
      <${ScoreFields} ctx=${ctx} prefix="feedback-" values=${values} errors=${errors} />
      <${TextArea} name="feedback-comment" label=${t("reports.feedback.comment")} hint=${t("reports.feedback.commentHint")} value=${values["feedback-comment"]}
        error=${errors["feedback-comment"]} rows=${4} />
      <${SubmitButton} label=${t("reports.feedback.send")} />
    </form>
  </section>`;
}

/** On the case: what the person said (or that it is still open), and a form to write down feedback given another way. */
export function OfficeFeedback({
  ctx,
  caseNumber,
  feedback,
  canRecord,
  errors,
  values,
}: {
  ctx: ViewContext;
  caseNumber: string;
  feedback: FeedbackRow | null;
  canRecord: boolean;
  errors: FieldErrors;
  values: Record<string, string>;
}) {
  const { t } = ctx;
  if (!feedback) return null;
  const fmt = dateFormat(ctx.lang, { dateStyle: "long", timeStyle: "short", timeZone: "Europe/Berlin" });
  const score = (n: number | null) => (n === null ? t("reports.feedback.notApplicable") : t("office.feedback.score", { n }));
  return html`<section aria-labelledby="rueckmeldung">
    <h2 class="kern-heading-medium" id="rueckmeldung">${t("office.feedback.title")}</h2>
    ${
      feedback.givenAt
        ? html`<p class="kern-body">${t("office.feedback.given", { date: fmt.format(feedback.givenAt), channel: t(`office.questions.channels.${feedback.channel}`) })}</p>
          <dl class="kern-description-list">
            <div class="kern-description-list-item"><dt class="kern-description-list-item__key">${t("reports.feedback.supported")}</dt><dd class="kern-description-list-item__value">${score(feedback.supported)}</dd></div>
            ${FEEDBACK_SOURCES.map(
              (s) =>
                html`<div class="kern-description-list-item"><dt class="kern-description-list-item__key">${t(`reports.feedback.by.${s}`)}</dt><dd class="kern-description-list-item__value">${score(feedback[s])}</dd></div>`,
            )}
            ${feedback.comment && html`<div class="kern-description-list-item"><dt class="kern-description-list-item__key">${t("office.feedback.words")}</dt><dd class="kern-description-list-item__value komma-pre" dir="auto">${feedback.comment}</dd></div>`}
          </dl>`
        : html`<p class="kern-body">${t("office.feedback.open", { date: fmt.format(feedback.askedAt) })}</p>`
    }
    ${
      !feedback.givenAt &&
      canRecord &&
      html`<form method="post" action=${`/faelle/${caseNumber}/rueckmeldung`} novalidate class="komma-form">
        <h3 class="kern-heading-small">${t("office.feedback.record")}</h3>
        <${CsrfField} ctx=${ctx} />
        <${ErrorSummary} t=${t} errors=${errors} />
        <${SelectField} name="fbchannel" label=${t("office.questions.channel")} value=${values.fbchannel} error=${errors.fbchannel}
          options=${[{ value: "", label: t("office.questions.choose") }, ...ANSWER_CHANNELS.filter((c) => c !== "mailbox").map((c) => ({ value: c, label: t(`office.questions.channels.${c}`) }))]} />
        <${ScoreFields} ctx=${ctx} prefix="fb" values=${values} errors=${errors} />
        <${TextArea} name="fbcomment" label=${t("reports.feedback.comment")} value=${values.fbcomment} error=${errors.fbcomment} rows=${3} />
        <${SubmitButton} label=${t("office.feedback.save")} variant="secondary" />
      </form>`
    }
  </section>`;
}
