import { dateFormat } from "../../platform/i18n/formats.ts";
import {
  CheckboxGroup,
  CsrfField,
  ErrorSummary,
  type FieldErrors,
  html,
  Layout,
  PageHeading,
  ScrollTable,
  SelectField,
  SubmitButton,
  TextArea,
  TextField,
  type ViewContext,
} from "../../platform/ui/html.ts";
import { type ReportExtract, ReportExtractView } from "../reports/index.ts";
import type { CaseView } from "./commands.ts";
import { type ReferralRow, referableCategories } from "./referrals.ts";
import { LEGAL_BASES } from "./schema.ts";

const dateText = (ctx: ViewContext, iso: string) => dateFormat(ctx.lang, { dateStyle: "medium", timeZone: "UTC" }).format(new Date(`${iso}T00:00:00Z`));
const when = (ctx: ViewContext, d: Date) => dateFormat(ctx.lang, { dateStyle: "medium", timeStyle: "short", timeZone: "Europe/Berlin" }).format(d);

function StatusBadge({ ctx, status }: { ctx: ViewContext; status: ReferralRow["status"] }) {
  const kind =
    status === "revoked" || status === "no_consent" || status === "declined" || status === "ended"
      ? "danger"
      : status === "awaiting_consent"
        ? "warning"
        : "info";
  return html`<span class=${`kern-badge kern-badge--${kind}`}><span class="kern-label kern-label--small">${ctx.t(`cases.referrals.statuses.${status}`)}</span></span>`;
}

/** On the case: each referral with its consent and every disclosure, and the form to refer. */
export function ReferralsSection({
  ctx,
  kase,
  me,
  draft,
}: {
  ctx: ViewContext;
  kase: CaseView;
  me: string;
  draft?: { values: Record<string, string | string[]>; errors: FieldErrors };
}) {
  const { t } = ctx;
  const values = draft?.values ?? {};
  const errors = draft?.errors ?? {};
  const str = (k: string) => (typeof values[k] === "string" ? (values[k] as string) : "");
  return html`<section aria-labelledby="vermittlungen">
    <h2 class="kern-heading-medium" id="vermittlungen">${t("cases.referrals.title")}</h2>
    ${
      kase.referrals.length === 0
        ? html`<p class="kern-body">${t("cases.referrals.none")}</p>`
        : html`<ul class="kern-list">${kase.referrals.map(
            (r) => html`<li class="komma-question-line">
              <strong>${r.partnerName ?? t("cases.referrals.partnerGone")}</strong>${" "}<${StatusBadge} ctx=${ctx} status=${r.status} />
              <br />${t("cases.referrals.covers", { categories: r.categories.map((c) => t(`cases.referrals.categories.${c}`)).join(", "), until: dateText(ctx, r.validUntil) })}
              <br />${t("cases.referrals.purpose")}: <span class="komma-pre" dir="auto">${r.purpose}</span>
              ${r.consentAt && html`<br />${t("cases.referrals.consentGiven", { date: when(ctx, r.consentAt), channel: t(`office.questions.channels.${r.consentChannel}`) })}`}
              ${
                r.legalBasis &&
                html`<br />${t("cases.referrals.withoutConsent", { basis: t(`cases.referrals.legalBases.${r.legalBasis}`) })}: <span class="komma-pre" dir="auto">${r.exceptionReason}</span>`
              }
              ${
                r.status === "awaiting_release" &&
                kase.policies.read &&
                kase.status !== "closed" &&
                (r.createdBy === me
                  ? html`<br /><em>${t("cases.referrals.waitingRelease")}</em>`
                  : html`<div class="komma-actions">
                      <form method="post" action=${`/faelle/${kase.number}/vermittlungen/${r.id}/ausnahme`} class="komma-inline-form"><${CsrfField} ctx=${ctx} />
                        <input type="hidden" name="decision" value="release" /><${SubmitButton} label=${t("cases.referrals.release")} /></form>
                      <form method="post" action=${`/faelle/${kase.number}/vermittlungen/${r.id}/ausnahme`} class="komma-inline-form"><${CsrfField} ctx=${ctx} />
                        <input type="hidden" name="decision" value="refuse" /><${SubmitButton} label=${t("cases.referrals.refuse")} variant="secondary" /></form>
                    </div>`)
              }
              ${r.outcome && html`<br />${t("cases.referrals.outcome")}: <span class="komma-pre" dir="auto">${r.outcome}</span>`}
              ${
                r.disclosures.length > 0 &&
                html`<details class="komma-details"><summary class="kern-link">${t("cases.referrals.disclosures")}:${" "}${t("cases.referrals.looks", {
                  count: r.disclosures.length,
                  date: when(ctx, (r.disclosures.at(-1) as { at: Date }).at),
                })}</summary>
                  <ul class="kern-list">${[...r.disclosures]
                    .reverse()
                    .slice(0, 50)
                    .map(
                      (d) => html`<li>${when(ctx, d.at)} · ${d.name ?? "?"} · ${d.categories.map((c) => t(`cases.referrals.categories.${c}`)).join(", ")}</li>`,
                    )}</ul></details>`
              }
              ${
                kase.policies.work &&
                ["awaiting_consent", "awaiting_release", "offered", "accepted", "done"].includes(r.status) &&
                html`<form method="post" action=${`/faelle/${kase.number}/vermittlungen/${r.id}/beenden`} class="komma-form">
                  <${CsrfField} ctx=${ctx} />
                  <p class="kern-hint">${t("cases.referrals.endHint")}</p>
                  <${SubmitButton} label=${t("cases.referrals.end")} variant="secondary" />
                </form>`
              }
            </li>`,
          )}</ul>`
    }
    ${
      kase.policies.work &&
      html`<details class="komma-details" open=${draft ? true : undefined}><summary class="kern-link">${t("cases.referrals.add")}</summary>
        <form method="post" action=${`/faelle/${kase.number}/vermittlungen`} novalidate class="komma-form">
          <${CsrfField} ctx=${ctx} />
          <${ErrorSummary} t=${t} errors=${errors} />
          <${SelectField} name="partnerId" label=${t("cases.referrals.partner")} value=${str("partnerId")} error=${errors.partnerId}
            options=${[{ value: "", label: t("cases.risk.chooseForm") }, ...kase.partners.map((p) => ({ value: p.id, label: p.name }))]} />
          <${CheckboxGroup} name="categories" legend=${t("cases.referrals.categoriesLegend")} hint=${t("cases.referrals.categoriesHint")} error=${errors.categories}
            values=${Array.isArray(values.categories) ? values.categories : values.categories ? [values.categories] : []}
            options=${referableCategories(kase.mode).map((c) => ({ value: c, label: t(`cases.referrals.categories.${c}`) }))} />
          <${TextArea} name="purpose" label=${t("cases.referrals.purpose")} hint=${t("cases.referrals.purposeHint")} value=${str("purpose")} error=${errors.purpose} rows=${3} />
          <${TextField} name="validUntil" type="date" label=${t("cases.referrals.until")} hint=${t("cases.referrals.untilHint")} value=${str("validUntil")} error=${errors.validUntil} />
          <${SelectField} name="consent" label=${t("cases.referrals.consent")} hint=${t("cases.referrals.consentHint")} value=${str("consent") || "mailbox"} error=${errors.consent}
            options=${["mailbox", "phone", "in_person", "email", "letter", "legal_exception"].map((c) => ({ value: c, label: t(`cases.referrals.consentWays.${c}`) }))} />
          <fieldset class="kern-fieldset"><legend class="kern-label">${t("cases.referrals.exceptionLegend")}</legend>
            <div class="kern-hint">${t("cases.referrals.exceptionHint")}</div>
            <div class="kern-fieldset__body">
              <${SelectField} name="legalBasis" label=${t("cases.referrals.legalBasis")} value=${str("legalBasis")} error=${errors.legalBasis}
                options=${[{ value: "", label: t("cases.closure.choose") }, ...LEGAL_BASES.map((b) => ({ value: b, label: t(`cases.referrals.legalBases.${b}`) }))]} />
              <${TextArea} name="exceptionReason" label=${t("cases.referrals.exceptionReason")} value=${str("exceptionReason")} error=${errors.exceptionReason} rows=${3} />
            </div>
          </fieldset>
          <${SubmitButton} label=${t("cases.referrals.save")} />
        </form></details>`
    }
  </section>`;
}

/** The partner's list of the cases referred to their organisation. */
export function PartnerReferralsPage({ ctx, organisation, rows }: { ctx: ViewContext; organisation: string | null; rows: ReferralRow[] }) {
  const { t } = ctx;
  return html`<${Layout} ctx=${ctx} title=${t("cases.referrals.partnerTitle")}>
    <${PageHeading} title=${t("cases.referrals.partnerTitle")} lead=${organisation ? t("cases.referrals.partnerLead", { organisation }) : t("cases.referrals.noOrganisation")} />
    ${
      rows.length === 0
        ? html`<p class="kern-body">${t("cases.referrals.partnerNone")}</p>`
        : html`<${ScrollTable} label=${t("cases.referrals.partnerTitle")}><table class="kern-table">
          <caption class="kern-sr-only">${t("cases.referrals.partnerTitle")}</caption>
          <thead class="kern-table__header"><tr class="kern-table__row">
            <th class="kern-table__header" scope="col">${t("office.caseNumber")}</th>
            <th class="kern-table__header" scope="col">${t("cases.referrals.status")}</th>
            <th class="kern-table__header" scope="col">${t("cases.referrals.until")}</th>
          </tr></thead>
          <tbody class="kern-table__body">${rows.map(
            (r) => html`<tr class="kern-table__row">
              <th class="kern-table__cell" scope="row"><a class="kern-link" href=${`/vermittlungen/${r.id}`}>${r.number}</a></th>
              <td class="kern-table__cell"><${StatusBadge} ctx=${ctx} status=${r.status} /></td>
              <td class="kern-table__cell">${dateText(ctx, r.validUntil)}</td>
            </tr>`,
          )}</tbody></table><//>`
    }
  <//>`;
}

/** One referred case for the partner: the purpose, the consented data, and the answer to the office. */
export function PartnerReferralPage({
  ctx,
  referral,
  extract,
  canRespond,
  errors = {},
  outcome = "",
}: {
  ctx: ViewContext;
  referral: ReferralRow;
  extract: ReportExtract;
  canRespond: boolean;
  errors?: FieldErrors;
  outcome?: string;
}) {
  const { t } = ctx;
  const action = `/vermittlungen/${referral.id}/antwort`;
  return html`<${Layout} ctx=${ctx} title=${t("cases.referrals.partnerCase", { caseNumber: referral.number })}>
    <${PageHeading} title=${t("cases.referrals.partnerCase", { caseNumber: referral.number })} lead=${t("cases.referrals.partnerCaseLead")} />
    <dl class="kern-description-list">
      <div class="kern-description-list-item"><dt class="kern-description-list-item__key">${t("cases.referrals.status")}</dt><dd class="kern-description-list-item__value"><${StatusBadge} ctx=${ctx} status=${referral.status} /></dd></div>
      <div class="kern-description-list-item"><dt class="kern-description-list-item__key">${t("cases.referrals.purpose")}</dt><dd class="kern-description-list-item__value komma-pre" dir="auto">${referral.purpose}</dd></div>
      <div class="kern-description-list-item"><dt class="kern-description-list-item__key">${t("cases.referrals.categoriesLegend")}</dt>
        <dd class="kern-description-list-item__value">${referral.categories.map((c) => t(`cases.referrals.categories.${c}`)).join(", ")}</dd></div>
      <div class="kern-description-list-item"><dt class="kern-description-list-item__key">${t("cases.referrals.until")}</dt><dd class="kern-description-list-item__value">${dateText(ctx, referral.validUntil)}</dd></div>
    </dl>
    <h2 class="kern-heading-medium">${t("cases.referrals.whatYouSee")}</h2>
    <${ReportExtractView} ctx=${ctx} extract=${extract} />
    ${
      canRespond &&
      html`<h2 class="kern-heading-medium">${t("cases.referrals.respond")}</h2>
      <${ErrorSummary} t=${t} errors=${errors} />
      ${
        referral.status === "offered"
          ? html`<div class="komma-actions">
              <form method="post" action=${action} class="komma-inline-form"><${CsrfField} ctx=${ctx} /><input type="hidden" name="action" value="accept" /><${SubmitButton} label=${t("cases.referrals.accept")} /></form>
              <form method="post" action=${action} class="komma-inline-form"><${CsrfField} ctx=${ctx} /><input type="hidden" name="action" value="decline" /><${SubmitButton} label=${t("cases.referrals.decline")} variant="secondary" /></form>
            </div>`
          : html`<form method="post" action=${action} novalidate class="komma-form"><${CsrfField} ctx=${ctx} /><input type="hidden" name="action" value="done" />
              <${TextArea} name="outcome" label=${t("cases.referrals.outcome")} hint=${t("cases.referrals.outcomeHint")} value=${outcome} error=${errors.outcome} rows=${4} />
              <${SubmitButton} label=${t("cases.referrals.markDone")} /></form>`
      }`
    }
    <p class="kern-body"><a class="kern-link" href="/vermittlungen">${t("cases.referrals.back")}</a></p>
  <//>`;
}
