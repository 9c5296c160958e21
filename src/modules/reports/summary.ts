import { isCalendarDate } from "../../platform/calendar.ts";
import { dateFormat } from "../../platform/i18n/formats.ts";
import { html, type ViewContext } from "../../platform/ui/html.ts";
import { type FieldSpec, FORM_STEPS, fieldsOf, hiddenWhenAnonymous, labelKey, optionKey } from "./fields.ts";
import type { FormValues, StepName } from "./schemas.ts";

/*
 * A report's answers as a person reads them, by step: on the summary before sending and on the
 * clearing office's case page. Rows, labels and option texts come from the field registry.
 */

const arr = (v: FormValues[string]) => (Array.isArray(v) ? v : v ? [v] : []);

/** The label of a field's value, if its values are options (codes) rather than text. */
function labelsOf(field: FieldSpec): string | undefined {
  return field.kind === "choice" || field.kind === "multi" || field.kind === "optIn" ? field.labels : undefined;
}

/** A calendar date (YYYY-MM-DD) as the language writes it; anything else as it is. */
function dateText(lang: string, value: string): string {
  // A step saved unchecked (Back, a language) may hold a date no calendar has ("2026-13-45"): shown as typed.
  return isCalendarDate(value) ? dateFormat(lang, { dateStyle: "long", timeZone: "UTC" }).format(new Date(`${value}T00:00:00Z`)) : value;
}

/** A field's value for reading: dates in the language's own way, option labels instead of codes. */
function shown(ctx: ViewContext, field: FieldSpec, value: string | string[] | undefined): string {
  return field.kind === "date" && typeof value === "string" && value !== "" ? dateText(ctx.lang, value) : displayValue(ctx, labelsOf(field), value);
}

/** A value as a person reads it: option labels instead of codes. */
export function displayValue(ctx: ViewContext, labels: string | undefined, value: string | string[] | undefined): string {
  const { t } = ctx;
  const list = arr(value);
  if (list.length === 0) return t("reports.review.empty");
  if (!labels) return list.join(", ");
  return list.map((v) => t(optionKey(labels, v))).join(", ");
}

export function SummaryList({
  ctx,
  values,
  changeLink,
  hideEmpty,
  onlyGiven,
  level = 2,
}: {
  ctx: ViewContext;
  values: FormValues;
  changeLink?: (step: StepName) => string;
  hideEmpty?: boolean;
  /** Leave out steps with nothing in them (an extract: what was not released is not "nothing"). */
  onlyGiven?: boolean;
  /** The steps' headings' level: 3 under a heading of the page's own (the case page's "Angaben"). */
  level?: 2 | 3;
}) {
  const Heading = level === 3 ? "h3" : "h2";
  const { t } = ctx;
  return html`${FORM_STEPS.map((step) => {
    const fields = fieldsOf(step)
      .filter(({ field }) => !(values.mode === "anonymous" && hiddenWhenAnonymous(field)))
      .filter(({ key }) => !hideEmpty || arr(values[key]).length > 0);
    if (onlyGiven && fields.length === 0) return null;
    return html`<section class="komma-summary-section" aria-labelledby=${`sum-${step}`}>
      <div class="komma-summary-head">
        <${Heading} class="kern-heading-small" id=${`sum-${step}`}>${t(`reports.steps.${step}`)}<//>
        ${changeLink && html`<a class="kern-link" href=${changeLink(step)}>${t("reports.change")}<span class="kern-sr-only">: ${t(`reports.steps.${step}`)}</span></a>`}
      </div>
      ${
        fields.length === 0
          ? html`<p class="kern-body">${t("reports.review.nothing")}</p>`
          : html`<dl class="kern-description-list">
        ${fields.map(
          ({ key, field }) => html`<div class="kern-description-list-item">
              <dt class="kern-description-list-item__key">${t(labelKey(key, field))}</dt>
              <dd class="kern-description-list-item__value komma-pre" dir="auto">${shown(ctx, field, values[key])}</dd>
            </div>`,
        )}
      </dl>`
      }
    </section>`;
  })}`;
}

/**
 * A report's answers as label and value, in the form's order, empty ones left out: for a document
 * (the evidence dossier). Contact fields only when asked for; the mode and danger are the case's facts.
 */
export function answerLines(t: ViewContext["t"], answers: object, opts: { contact: boolean; lang?: string }): { label: string; value: string }[] {
  const ctx = { t, lang: opts.lang ?? "de" } as ViewContext;
  // Only the form's fields are read, each a string or a list of strings.
  const values = answers as FormValues;
  return FORM_STEPS.flatMap((step) =>
    fieldsOf(step)
      .filter(({ key, field }) => (opts.contact ? !!field.contact : !field.contact) && key !== "mode" && key !== "mailbox" && arr(values[key]).length > 0)
      .map(({ key, field }) => ({ label: t(labelKey(key, field)), value: shown(ctx, field, values[key]) })),
  );
}
