import { html, type ViewContext } from "../../platform/ui/html.ts";
import type { FormValues, StepName } from "./schemas.ts";

/*
 * A report's answers as a person reads them, by step: on the summary before sending and on the
 * clearing office's case page.
 */

const arr = (v: FormValues[string]) => (Array.isArray(v) ? v : v ? [v] : []);

const SUMMARY: { step: StepName; fields: { name: string; group?: string; label: string }[] }[] = [
  { step: "danger", fields: [{ name: "immediateDanger", group: "yesNo", label: "reports.danger.legend" }] },
  {
    step: "mode",
    fields: [
      { name: "mode", group: "mode", label: "reports.mode.legend" },
      { name: "reporterRole", group: "roles", label: "reports.mode.reporterRole" },
      { name: "contactName", label: "reports.mode.contactName" },
      { name: "contactEmail", label: "reports.mode.contactEmail" },
      { name: "contactPhone", label: "reports.mode.contactPhone" },
      { name: "mailbox", group: "mailbox", label: "reports.mode.mailboxTitle" },
    ],
  },
  {
    step: "incident",
    fields: [
      { name: "description", label: "reports.incident.description" },
      { name: "forms", group: "forms", label: "reports.incident.forms" },
      { name: "motives", group: "motives", label: "reports.incident.motives" },
      { name: "occurredOn", label: "reports.incident.occurredOn" },
      { name: "knownOn", label: "reports.incident.knownOn" },
      { name: "knownBy", label: "reports.incident.knownBy" },
      { name: "place", group: "places", label: "reports.incident.place" },
      { name: "placeDetail", label: "reports.incident.placeDetail" },
      { name: "onlineUrl", label: "reports.incident.onlineUrl" },
    ],
  },
  {
    step: "people",
    fields: [
      { name: "affectedFunction", group: "functions", label: "reports.people.affectedFunction" },
      { name: "publicContact", group: "yesNo", label: "reports.people.publicContact" },
      { name: "perpetratorKnown", group: "perpetratorKnown", label: "reports.people.perpetratorKnown" },
      { name: "perpetratorName", label: "reports.people.perpetratorName" },
      { name: "perpetratorProfileUrl", label: "reports.people.perpetratorProfileUrl" },
      { name: "earlierIncidents", label: "reports.people.earlierIncidents" },
      { name: "witnesses", label: "reports.people.witnesses" },
    ],
  },
  {
    step: "effects",
    fields: [
      { name: "effects", group: "effects", label: "reports.effects.effects" },
      { name: "effectsDetail", label: "reports.effects.effectsDetail" },
      { name: "policeCaseNumber", label: "reports.effects.policeCaseNumber" },
      { name: "platformReported", group: "yesNo", label: "reports.effects.platformReported" },
      { name: "stepsTaken", label: "reports.effects.stepsTaken" },
      { name: "wishes", group: "wishes", label: "reports.effects.wishes" },
      { name: "contactBy", group: "contactBy", label: "reports.effects.contactBy" },
    ],
  },
];

/** A value as a person reads it: option labels instead of codes. */
export function displayValue(ctx: ViewContext, group: string | undefined, value: string | string[] | undefined): string {
  const { t } = ctx;
  const list = arr(value);
  if (list.length === 0) return t("reports.review.empty");
  if (!group) return list.join(", ");
  return list
    .map((v) =>
      group === "mode"
        ? t(`reports.mode.${v}`)
        : group === "roles"
          ? t(`reports.mode.roles.${v}`)
          : group === "mailbox"
            ? t("reports.mode.mailbox")
            : t(`reports.options.${group}.${v}`),
    )
    .join(", ");
}

export function SummaryList({
  ctx,
  values,
  changeLink,
  hideEmpty,
}: {
  ctx: ViewContext;
  values: FormValues;
  changeLink?: (step: StepName) => string;
  hideEmpty?: boolean;
}) {
  const { t } = ctx;
  return html`${SUMMARY.map((section) => {
    const fields = section.fields
      .filter((f) => !(values.mode === "anonymous" && (f.name.startsWith("contact") || f.name === "mailbox")))
      .filter((f) => !hideEmpty || arr(values[f.name]).length > 0);
    return html`<section class="komma-summary-section" aria-labelledby=${`sum-${section.step}`}>
      <div class="komma-summary-head">
        <h2 class="kern-heading-small" id=${`sum-${section.step}`}>${t(`reports.steps.${section.step}`)}</h2>
        ${changeLink && html`<a class="kern-link" href=${changeLink(section.step)}>${t("reports.change")}<span class="kern-sr-only">: ${t(`reports.steps.${section.step}`)}</span></a>`}
      </div>
      ${
        fields.length === 0
          ? html`<p class="kern-body">${t("reports.review.nothing")}</p>`
          : html`<dl class="kern-description-list">
        ${fields.map(
          (f) => html`<div class="kern-description-list-item">
              <dt class="kern-description-list-item__key">${t(f.label)}</dt>
              <dd class="kern-description-list-item__value komma-pre" dir="auto">${displayValue(ctx, f.group, values[f.name])}</dd>
            </div>`,
        )}
      </dl>`
      }
    </section>`;
  })}`;
}
