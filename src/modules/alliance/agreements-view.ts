import { dateFormat } from "../../platform/i18n/formats.ts";
import { CsrfField, type FieldErrors, FileField, html, SubmitButton, TextField, type ViewContext } from "../../platform/ui/html.ts";
import type { Agreement } from "./agreements.ts";
import type { PartnerDetail } from "./commands.ts";

/* A partner's cooperation agreements on its page: validity at a glance, the document, and a form for admins. */

type Values = Record<string, string | string[]>;
const one = (v: string | string[] | undefined) => (Array.isArray(v) ? (v[0] ?? "") : (v ?? ""));

const BADGE: Record<Agreement["status"], string> = { upcoming: "info", valid: "success", ending: "warning", ended: "danger" };

export function Agreements({ ctx, partner, values, errors }: { ctx: ViewContext; partner: PartnerDetail; values: Values; errors: FieldErrors }) {
  const { t } = ctx;
  const day = (d: string) => dateFormat(ctx.lang, { dateStyle: "medium", timeZone: "UTC" }).format(new Date(`${d}T00:00:00Z`));
  const base = `/allianz/partner/${partner.id}/vereinbarungen`;
  return html`<h2 class="kern-heading-medium" id="vereinbarungen">${t("alliance.agreements.title")}</h2>
    ${partner.agreements.length === 0 && html`<p class="kern-body">${t("alliance.agreements.none")}</p>`}
    <ul class="kern-list">${partner.agreements.map(
      (a) => html`<li>
        <p class="kern-body"><strong>${a.title}</strong>
          <span class=${`kern-badge kern-badge--${BADGE[a.status]}`}><span class="kern-label kern-label--small">${t(`alliance.agreements.status.${a.status}`)}</span></span></p>
        <p class="kern-body">${a.validUntil ? t("alliance.agreements.period", { from: day(a.validFrom), until: day(a.validUntil) }) : t("alliance.agreements.openEnded", { from: day(a.validFrom) })}</p>
        ${a.file && html`<p class="kern-body"><a class="kern-link" href=${`${base}/${a.id}/dokument`}>${t("alliance.agreements.download")}</a> <bdi>${a.file.name}</bdi> (${Math.max(1, Math.round(a.file.size / 1024))} KB)</p>`}
        ${
          partner.policies.edit &&
          html`<form method="post" action=${`${base}/${a.id}/entfernen`} class="komma-inline-form"><${CsrfField} ctx=${ctx} />
            <button type="submit" class="kern-btn kern-btn--tertiary kern-btn--small"><span class="kern-label">${t("alliance.agreements.remove", { title: a.title })}</span></button></form>`
        }
      </li>`,
    )}</ul>
    ${
      partner.policies.edit &&
      html`<h3 class="kern-heading-small">${t("alliance.agreements.add")}</h3>
      <form method="post" action=${base} enctype="multipart/form-data" class="komma-form" novalidate>
        <${CsrfField} ctx=${ctx} />
        <${TextField} name="title" label=${t("alliance.agreements.fieldTitle")} value=${one(values.title)} error=${errors.title} required=${true} />
        <${TextField} name="validFrom" type="date" label=${t("alliance.agreements.validFrom")} value=${one(values.validFrom)} error=${errors.validFrom} required=${true} />
        <${TextField} name="validUntil" type="date" label=${t("alliance.agreements.validUntil")} hint=${t("alliance.agreements.validUntilHint")} value=${one(values.validUntil)} error=${errors.validUntil} />
        <${FileField} name="datei" label=${t("alliance.agreements.file")} hint=${t("alliance.agreements.fileHint")} error=${errors.datei} />
        <${SubmitButton} label=${t("alliance.agreements.save")} variant="secondary" />
      </form>`
    }`;
}
