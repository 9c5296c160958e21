import { dateFormat } from "../../platform/i18n/formats.ts";
import { CsrfField, ErrorSummary, type FieldErrors, html, SelectField, SubmitButton, TextField, type ViewContext } from "../../platform/ui/html.ts";
import type { CaseView } from "./commands.ts";
import { LINK_KINDS } from "./schema.ts";

const day = (ctx: ViewContext, iso: string) => dateFormat(ctx.lang, { dateStyle: "long", timeZone: "UTC" }).format(new Date(`${iso}T00:00:00Z`));

/** Related cases and the perpetrator record, with the forms for who leads the case. */
export function RelatedSection({ ctx, kase, draft }: { ctx: ViewContext; kase: CaseView; draft?: { values: Record<string, string>; errors: FieldErrors } }) {
  const { t } = ctx;
  const values = draft?.values ?? {};
  const errors = draft?.errors ?? {};
  const suggested = [...new Set(kase.perpetrators.flatMap((p) => p.alsoIn))].filter((n) => !kase.related.some((r) => r.number === n));
  return html`<section aria-labelledby="verbunden">
    <h2 class="kern-heading-medium" id="verbunden">${t("cases.related.title")}</h2>
    ${
      kase.related.length === 0
        ? html`<p class="kern-body">${t("cases.related.none")}</p>`
        : html`<ul class="kern-list">${kase.related.map((r) => html`<li><a class="kern-link" href=${`/faelle/${r.number}`}>${r.number}</a> · ${t(`cases.related.kinds.${r.kind}`)}</li>`)}</ul>`
    }
    <h3 class="kern-heading-small">${t("cases.related.perpetrators")}</h3>
    <p class="kern-body">${t("cases.related.perpetratorsLead")}</p>
    ${
      kase.perpetrators.length > 0 &&
      html`<ul class="kern-list">${kase.perpetrators.map(
        (p) =>
          html`<li>${
            p.description === null
              ? html`<em>${t("cases.related.expired", { date: day(ctx, p.until) })}</em>`
              : html`<bdi>${p.description}</bdi> · ${t("cases.related.keptUntil", { date: day(ctx, p.until) })}${
                  p.alsoIn.length > 0 &&
                  html`<br /><strong>${t("cases.related.alsoIn")}</strong> ${p.alsoIn.map((n, i) => html`${i > 0 ? ", " : ""}<a class="kern-link" href=${`/faelle/${n}`}>${n}</a>`)}`
                }`
          }</li>`,
      )}</ul>`
    }
    ${
      kase.policies.work &&
      html`<${ErrorSummary} t=${t} errors=${errors} />
      ${suggested.length > 0 && html`<p class="kern-body">${t("cases.related.suggest", { numbers: suggested.join(", ") })}</p>`}
      <details class="komma-details" open=${draft ? true : undefined}><summary class="kern-link">${t("cases.related.link")}</summary>
        <form method="post" action=${`/faelle/${kase.number}/verbunden`} novalidate class="komma-form">
          <${CsrfField} ctx=${ctx} />
          <${TextField} name="linkOther" label=${t("cases.related.other")} hint=${t("cases.related.otherHint")} value=${values.linkOther ?? suggested[0] ?? ""} error=${errors.linkOther} />
          <${SelectField} name="linkKind" label=${t("cases.related.kind")} value=${values.linkKind} error=${errors.linkKind}
            options=${LINK_KINDS.map((k) => ({ value: k, label: t(`cases.related.kinds.${k}`) }))} />
          <${SubmitButton} label=${t("cases.related.save")} variant="secondary" />
        </form>
      </details>
      <details class="komma-details" open=${draft?.values.perpDescription !== undefined ? true : undefined}><summary class="kern-link">${t("cases.related.addPerpetrator")}</summary>
        <form method="post" action=${`/faelle/${kase.number}/taeter`} novalidate class="komma-form">
          <${CsrfField} ctx=${ctx} />
          <${TextField} name="perpDescription" label=${t("cases.related.description")} hint=${t("cases.related.descriptionHint")} value=${values.perpDescription} error=${errors.perpDescription} />
          <${TextField} name="perpUntil" type="date" label=${t("cases.related.until")} hint=${t("cases.related.untilHint")} value=${values.perpUntil} error=${errors.perpUntil} />
          <${SubmitButton} label=${t("cases.related.savePerpetrator")} variant="secondary" />
        </form>
      </details>`
    }
  </section>`;
}

/** The reports of the case beyond its first, and the form to join another case's reports into it. */
export function JoinedReports({
  ctx,
  kase,
  reportNumbers,
  draft,
}: {
  ctx: ViewContext;
  kase: CaseView;
  /** The numbers of the case's other reports. */
  reportNumbers: string[];
  draft?: { values: Record<string, string>; errors: FieldErrors };
}) {
  const { t } = ctx;
  if (reportNumbers.length === 0 && !kase.policies.work) return null;
  return html`<section aria-labelledby="meldungen">
    <h2 class="kern-heading-medium" id="meldungen">${t("cases.join.title")}</h2>
    ${
      reportNumbers.length === 0
        ? html`<p class="kern-body">${t("cases.join.none")}</p>`
        : html`<ul class="kern-list">${reportNumbers.map(
            (n) => html`<li><a class="kern-link" href=${`/faelle/${kase.number}/meldungen/${n}`}>${t("cases.join.report", { number: n })}</a></li>`,
          )}</ul>`
    }
    ${
      kase.policies.work &&
      html`<details class="komma-details" open=${draft ? true : undefined}><summary class="kern-link">${t("cases.join.add")}</summary>
        <form method="post" action=${`/faelle/${kase.number}/zusammenfuehren`} novalidate class="komma-form">
          <${CsrfField} ctx=${ctx} />
          <${ErrorSummary} t=${t} errors=${draft?.errors ?? {}} />
          <${TextField} name="joinOther" label=${t("cases.join.other")} hint=${t("cases.join.otherHint")} value=${draft?.values.joinOther} error=${draft?.errors.joinOther} />
          <${SubmitButton} label=${t("cases.join.save")} variant="secondary" />
        </form></details>`
    }
  </section>`;
}
