import { dateFormat } from "../../platform/i18n/formats.ts";
import { CsrfField, ErrorSummary, type FieldErrors, html, RadioGroup, SelectField, SubmitButton, TextArea, type ViewContext } from "../../platform/ui/html.ts";
import type { QuestionRow } from "./questions.ts";
import { ANSWER_CHANNELS, ANSWERS, QUESTION_TOPICS } from "./schema.ts";

const fmt = (ctx: ViewContext) => dateFormat(ctx.lang, { dateStyle: "long", timeStyle: "short", timeZone: "Europe/Berlin" });

/** On the case: what was asked and answered, asking anew (with a mailbox), writing down an answer given another way. */
export function OfficeQuestions({
  ctx,
  caseNumber,
  mailbox,
  questions,
  errors,
  values,
}: {
  ctx: ViewContext;
  caseNumber: string;
  mailbox: boolean;
  questions: QuestionRow[];
  errors: FieldErrors;
  values: Record<string, string>;
}) {
  const { t } = ctx;
  const topics = [{ value: "", label: t("office.questions.choose") }, ...QUESTION_TOPICS.map((q) => ({ value: q, label: t(`office.questions.topics.${q}`) }))];
  return html`<section aria-labelledby="entscheidungen">
    <h2 class="kern-heading-medium" id="entscheidungen">${t("office.questions.title")}</h2>
    <p class="kern-body">${t("office.questions.lead")}</p>
    ${
      questions.length === 0
        ? html`<p class="kern-body">${t("office.questions.none")}</p>`
        : html`<ul class="kern-list komma-questions">${questions.map(
            (q) =>
              html`<li class="komma-question-line"><strong>${t(`office.questions.topics.${q.topic}`)}</strong>:${" "}${
                q.answer
                  ? html`<span class=${`kern-badge kern-badge--${q.answer === "agree" ? "success" : q.answer === "decline" ? "danger" : "warning"}`}><span class="kern-label kern-label--small">${t(`office.questions.answers.${q.answer}`)}</span></span>${" "}${t(
                      "office.questions.when",
                      { date: fmt(ctx).format(q.answeredAt as Date), channel: t(`office.questions.channels.${q.channel}`) },
                    )}${q.answerNote && html`<br /><span class="komma-pre" dir="auto">${q.answerNote}</span>`}`
                  : t("office.questions.open", { date: fmt(ctx).format(q.askedAt) })
              }</li>`,
          )}</ul>`
    }
    <${ErrorSummary} t=${t} errors=${errors} />
    ${
      mailbox
        ? html`<details class="komma-details" open=${values.form === "ask" ? true : undefined}><summary class="kern-link">${t("office.questions.ask")}</summary>
          <form method="post" action=${`/faelle/${caseNumber}/fragen`} novalidate class="komma-form">
            <${CsrfField} ctx=${ctx} />
            <${SelectField} name="askTopic" label=${t("office.questions.topic")} hint=${t("office.questions.topicHint")} value=${values.form === "ask" ? values.askTopic : ""} error=${values.form === "ask" ? errors.askTopic : undefined} options=${topics} />
            <${TextArea} name="askNote" label=${t("office.questions.note")} hint=${t("office.questions.noteHint")} value=${values.form === "ask" ? values.askNote : ""} error=${values.form === "ask" ? errors.askNote : undefined} rows=${3} />
            <${SubmitButton} label=${t("office.questions.send")} />
          </form></details>`
        : html`<p class="kern-body">${t("office.questions.noMailbox")}</p>`
    }
    <details class="komma-details" open=${values.form === "record" ? true : undefined}><summary class="kern-link">${t("office.questions.record")}</summary>
      <form method="post" action=${`/faelle/${caseNumber}/fragen/festhalten`} novalidate class="komma-form">
        <${CsrfField} ctx=${ctx} />
        <${SelectField} name="recordTopic" label=${t("office.questions.topic")} value=${values.form === "record" ? values.recordTopic : ""} error=${values.form === "record" ? errors.recordTopic : undefined} options=${topics} />
        <${RadioGroup} name="recordAnswer" legend=${t("office.questions.answer")} value=${values.form === "record" ? values.recordAnswer : undefined} error=${values.form === "record" ? errors.recordAnswer : undefined}
          options=${ANSWERS.map((a) => ({ value: a, label: t(`office.questions.answers.${a}`) }))} />
        <${SelectField} name="recordChannel" label=${t("office.questions.channel")} value=${values.form === "record" ? values.recordChannel : ""} error=${values.form === "record" ? errors.recordChannel : undefined}
          options=${[{ value: "", label: t("office.questions.choose") }, ...ANSWER_CHANNELS.filter((c) => c !== "mailbox").map((c) => ({ value: c, label: t(`office.questions.channels.${c}`) }))]} />
        <${TextArea} name="recordNote" label=${t("office.questions.answerNote")} value=${values.form === "record" ? values.recordNote : ""} error=${values.form === "record" ? errors.recordNote : undefined} rows=${3} />
        <${SubmitButton} label=${t("office.questions.save")} variant="secondary" />
      </form>
    </details>
  </section>`;
}
