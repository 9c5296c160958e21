import { randomBytes } from "node:crypto";
import { dateFormat } from "../../platform/i18n/formats.ts";
import { CsrfField, type FieldErrors, html, RadioGroup, SubmitButton, TextArea, type ViewContext } from "../../platform/ui/html.ts";
import type { QuestionRow } from "./questions.ts";
import { ANSWERS, type QuestionDetails } from "./schema.ts";

/* The questions in the mailbox: the reporter answers them in their language. */

const fmt = (ctx: ViewContext) => dateFormat(ctx.lang, { dateStyle: "long", timeStyle: "short", timeZone: "Europe/Berlin" });

/** What a consent covers: to whom, which data, until when. */
function Details({ ctx, details }: { ctx: ViewContext; details: QuestionDetails }) {
  const { t } = ctx;
  const until = dateFormat(ctx.lang, { dateStyle: "long", timeZone: "UTC" }).format(new Date(`${details.until}T00:00:00Z`));
  return html`<dl class="kern-description-list">
    <div class="kern-description-list-item"><dt class="kern-description-list-item__key">${t("reports.questions.recipient")}</dt><dd class="kern-description-list-item__value"><bdi>${details.recipient}</bdi></dd></div>
    <div class="kern-description-list-item"><dt class="kern-description-list-item__key">${t("reports.questions.categoriesLabel")}</dt>
      <dd class="kern-description-list-item__value">${details.categories.map((c) => t(`reports.questions.categories.${c}`)).join(", ")}</dd></div>
    <div class="kern-description-list-item"><dt class="kern-description-list-item__key">${t("reports.questions.until")}</dt><dd class="kern-description-list-item__value">${until}</dd></div>
  </dl>`;
}

/** The reporter's open questions, each a form of its own; answered ones as a line each. */
export function MailboxQuestions({
  ctx,
  action,
  code,
  questions,
  errors,
  values,
}: {
  ctx: ViewContext;
  action: string;
  code: string;
  questions: QuestionRow[];
  errors: FieldErrors;
  values: Record<string, string>;
}) {
  const { t } = ctx;
  if (questions.length === 0) return null;
  const open = questions.filter((q) => q.answer === null);
  const done = questions.filter((q) => q.answer !== null);
  return html`<section aria-labelledby="fragen">
    <h2 class="kern-heading-medium" id="fragen">${t("reports.questions.title")}</h2>
    ${open.length > 0 && html`<p class="kern-body">${t("reports.questions.lead")}</p>`}
    ${open.map(
      (q) => html`<form method="post" action=${action} novalidate class="komma-form komma-question">
        <${CsrfField} ctx=${ctx} />
        <input type="hidden" name="sprache" value=${ctx.lang} />
        <input type="hidden" name="code" value=${code} />
        <input type="hidden" name="_aktion" value="entscheiden" />
        <input type="hidden" name="frage" value=${q.id} />
        <input type="hidden" name="_einmal" value=${randomBytes(16).toString("base64url")} />
        <h3 class="kern-heading-small">${t(`reports.questions.topics.${q.topic}.title`)}</h3>
        <p class="kern-body">${t(`reports.questions.topics.${q.topic}.text`)}</p>
        ${q.details && html`<${Details} ctx=${ctx} details=${q.details} />`}
        ${q.note && html`<p class="kern-body"><strong>${t("reports.questions.officeNote")}</strong> <span class="komma-pre" dir="auto">${q.note}</span></p>`}
        <${RadioGroup} name=${`antwort-${q.id}`} legend=${t("reports.questions.yourAnswer")} error=${errors[`antwort-${q.id}`]} value=${values[`antwort-${q.id}`]}
          options=${ANSWERS.map((a) => ({ value: a, label: t(`reports.questions.answers.${a}`) }))} />
        <${TextArea} name=${`notiz-${q.id}`} label=${t("reports.questions.note")} hint=${t("reports.questions.noteHint")} value=${values[`notiz-${q.id}`]}
          error=${errors[`notiz-${q.id}`]} rows=${3} />
        <${SubmitButton} label=${t("reports.questions.send")} />
      </form>`,
    )}
    ${
      done.length > 0 &&
      html`<ul class="kern-list">${done.map(
        (
          q,
        ) => html`<li>${t(`reports.questions.topics.${q.topic}.title`)}: <strong>${t(`reports.questions.answered.${q.answer}`)}</strong>${" "}(${fmt(ctx).format(q.answeredAt as Date)})
          ${q.details && html`<${Details} ctx=${ctx} details=${q.details} />`}
          ${
            q.revokedAt
              ? html`<p class="kern-body"><strong>${t("reports.questions.revokedOn", { date: fmt(ctx).format(q.revokedAt) })}</strong></p>`
              : q.answer === "agree" &&
                q.details &&
                html`<form method="post" action=${action} class="komma-form">
                  <${CsrfField} ctx=${ctx} />
                  <input type="hidden" name="sprache" value=${ctx.lang} />
                  <input type="hidden" name="code" value=${code} />
                  <input type="hidden" name="_aktion" value="widerrufen" />
                  <input type="hidden" name="frage" value=${q.id} />
                  <input type="hidden" name="_einmal" value=${randomBytes(16).toString("base64url")} />
                  <${SubmitButton} label=${t("reports.questions.revoke")} variant="secondary" />
                </form>`
          }</li>`,
      )}</ul>`
    }
  </section>`;
}
