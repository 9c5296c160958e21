import { dateFormat } from "../../platform/i18n/formats.ts";
import {
  CheckboxGroup,
  CsrfField,
  ErrorSummary,
  type FieldErrors,
  fieldId,
  html,
  Layout,
  PageHeading,
  RadioGroup,
  ScrollTable,
  SelectField,
  SubmitButton,
  TextArea,
  TextField,
  type ViewContext,
} from "../../platform/ui/html.ts";
import { CLEARING_STAGES, INCIDENT_FORMS, RISK_LEVELS } from "../../platform/vocabulary.ts";
import { Agreements } from "./agreements-view.ts";
import { HoursText, languageName, OpenBadge, Phone } from "./card-view.ts";
import type { Directory, PartnerDetail } from "./commands.ts";
import { HOURS_DAYS } from "./hours.ts";
import { NationalUpdate } from "./national-view.ts";
import type { Matrix } from "./responsibilities.ts";
import { CARD_SITUATIONS, CARD_VISIBILITIES, PARTNER_KINDS, RACI } from "./schema.ts";
import { MATRIX_ROLES, PARTNER_LANGUAGES } from "./schemas.ts";

/* The alliance's pages: the directory, a partner's entry and form, and the emergency card. */

export function DirectoryPage({
  ctx,
  tenant,
  dir,
  openNow,
  errors = {},
}: {
  ctx: ViewContext;
  tenant: { name: string; slug: string };
  dir: Directory;
  openNow: Set<string>;
  errors?: FieldErrors;
}) {
  const { t } = ctx;
  return html`<${Layout} ctx=${ctx} title=${t("alliance.title")}>
    <${PageHeading} title=${t("alliance.title")} lead=${t("alliance.lead", { tenant: tenant.name })} />
    <${ErrorSummary} t=${t} errors=${errors} />
    <ul class="kern-list">
      <li><a class="kern-link" href=${`/${tenant.slug}/notfallkarte`}>${t("alliance.card.open")}</a></li>
      <li><a class="kern-link" href="/allianz/zustaendigkeiten">${t("alliance.matrix.title")}</a></li>
      <li><a class="kern-link" href="/allianz/bundesweit">${t("alliance.national.browse")}</a></li>
      <li><a class="kern-link" href="/allianz/arbeitsraum">${t("alliance.workspace.title")}</a></li>
    </ul>
    ${dir.policies.edit && html`<p><a class="kern-btn kern-btn--secondary" href="/allianz/partner/neu"><span class="kern-icon kern-icon--add" aria-hidden="true"></span><span class="kern-label">${t("alliance.partner.add")}</span></a></p>`}
    ${
      (dir.policies.edit || dir.partners.length > 0) &&
      html`<ul class="kern-list">
      ${dir.policies.edit && html`<li><a class="kern-link" href="/allianz/import">${t("alliance.csv.importLink")}</a></li>`}
      ${dir.partners.length > 0 && html`<li><a class="kern-link" href="/allianz/partner.csv" download>${t("alliance.csv.export")}</a></li>`}
    </ul>`
    }
    ${
      dir.partners.length === 0
        ? html`<p class="kern-body">${t("alliance.none")}</p>`
        : html`<${ScrollTable} label=${t("alliance.partners")}><table class="kern-table">
          <caption class="kern-sr-only">${t("alliance.partners")}</caption>
          <thead class="kern-table__header"><tr class="kern-table__row">
            <th class="kern-table__header" scope="col">${t("alliance.field.name")}</th>
            <th class="kern-table__header" scope="col">${t("alliance.field.kind")}</th>
            <th class="kern-table__header" scope="col">${t("alliance.field.phone")}</th>
            <th class="kern-table__header" scope="col">${t("alliance.hours.title")}</th>
            <th class="kern-table__header" scope="col">${t("alliance.field.cardSituations")}</th>
          </tr></thead>
          <tbody class="kern-table__body">
            ${dir.partners.map(
              (p) => html`<tr class="kern-table__row">
                <th class="kern-table__cell" scope="row"><a class="kern-link" href=${`/allianz/partner/${p.id}`}>${p.name}</a>${
                  dir.nationalUpdates.has(p.id) &&
                  html` <span class="kern-badge kern-badge--info"><span class="kern-label kern-label--small">${t("alliance.national.changedBadge")}</span></span>`
                }</th>
                <td class="kern-table__cell">${t(`alliance.kind.${p.kind}`)}</td>
                <td class="kern-table__cell">${p.phone ? html`<${Phone} e164=${p.phone} />` : "–"}</td>
                <td class="kern-table__cell"><${OpenBadge} ctx=${ctx} open=${openNow.has(p.id)} hours=${p.hours} /></td>
                <td class="kern-table__cell">${p.cardSituations.length === 0 ? t("alliance.card.notOnCard") : p.cardSituations.map((s) => t(`alliance.situation.${s}`)).join(", ")}</td>
              </tr>`,
            )}
          </tbody>
        </table><//>`
    }
    ${
      dir.policies.edit &&
      html`<h2 class="kern-heading-medium">${t("alliance.card.settings")}</h2>
      <form method="post" action="/allianz/notfallkarte" class="komma-form">
        <${CsrfField} ctx=${ctx} />
        <${RadioGroup} name="cardVisibility" legend=${t("alliance.card.visibility")} error=${errors.cardVisibility} value=${dir.cardVisibility}
          options=${CARD_VISIBILITIES.map((v) => ({ value: v, label: t(`alliance.card.visibility_${v}`), hint: t(`alliance.card.visibility_${v}Hint`) }))} />
        <${SubmitButton} label=${t("alliance.save")} variant="secondary" />
      </form>`
    }
  <//>`;
}

type Values = Record<string, string | string[]>;

/** The people who act for the organisation in KommA: they see its entry and the workspace. */
function Accounts({ ctx, partner }: { ctx: ViewContext; partner: PartnerDetail }) {
  const { t } = ctx;
  return html`<h2 class="kern-heading-medium">${t("alliance.accounts.title")}</h2>
    <p class="kern-body">${t("alliance.accounts.hint")}</p>
    ${
      partner.accounts.length === 0
        ? html`<p class="kern-body">${t("alliance.accounts.none")}</p>`
        : html`<ul class="kern-list">${partner.accounts.map(
            (a) => html`<li>${a.name}
              ${
                partner.policies.edit &&
                html`<form method="post" action=${`/allianz/partner/${partner.id}/zugaenge/${a.id}/entfernen`} class="komma-inline-form"><${CsrfField} ctx=${ctx} />
                <button type="submit" class="kern-btn kern-btn--tertiary kern-btn--small"><span class="kern-label">${t("alliance.accounts.unlink", { name: a.name })}</span></button></form>`
              }</li>`,
          )}</ul>`
    }
    ${
      partner.policies.edit &&
      html`${
        partner.linkable.length > 0 &&
        html`<form method="post" action=${`/allianz/partner/${partner.id}/zugaenge`} class="komma-form">
          <${CsrfField} ctx=${ctx} />
          <${SelectField} name="userId" label=${t("alliance.accounts.choose")} options=${partner.linkable.map((p) => ({ value: p.id, label: p.name }))} />
          <${SubmitButton} label=${t("alliance.accounts.link")} variant="secondary" />
        </form>`
      }
      <p class="kern-body">${t("alliance.accounts.inviteHint")} <a class="kern-link" href=${`/verwaltung/kommunen/${ctx.tenant?.slug ?? ""}/personen/einladen`}>${t("alliance.accounts.invite")}</a></p>`
    }`;
}
const one = (v: string | string[] | undefined) => (Array.isArray(v) ? (v[0] ?? "") : (v ?? ""));
const many = (v: string | string[] | undefined) => (Array.isArray(v) ? v : v ? [v] : []);

/** The opening hours as a table of weekdays with two time ranges each; "24/7" above it. */
function HoursFieldset({ ctx, values, errors }: { ctx: ViewContext; values: Values; errors: FieldErrors }) {
  const { t } = ctx;
  const weekday = dateFormat(ctx.lang, { weekday: "long", timeZone: "UTC" });
  // 2024-01-01 was a Monday.
  const dayName = (i: number) => weekday.format(new Date(Date.UTC(2024, 0, 1 + i)));
  const timeInput = (
    name: string,
    label: string,
  ) => html`<input class=${`kern-form-input__input kern-form-input__input--width-5${errors[name] ? " kern-form-input__input--error" : ""}`}
      type="time" id=${fieldId(name)} name=${name} value=${one(values[name])} aria-label=${label} aria-invalid=${errors[name] ? "true" : undefined} />`;
  return html`<fieldset class="kern-fieldset" id="field-hours">
    <legend class="kern-label">${t("alliance.hours.title")}</legend>
    <div class="kern-hint">${t("alliance.hours.hint")}</div>
    <div class="kern-form-check">
      <input class="kern-form-check__checkbox" type="checkbox" id=${fieldId("alwaysOpen")} name="alwaysOpen" value="yes" checked=${one(values.alwaysOpen) === "yes"} />
      <label class="kern-label" for=${fieldId("alwaysOpen")}>${t("alliance.hours.alwaysOpen")}</label>
    </div>
    <${ScrollTable} label=${t("alliance.hours.title")}><table class="kern-table komma-hours-table">
      <thead class="kern-table__header"><tr class="kern-table__row">
        <th class="kern-table__header" scope="col">${t("alliance.hours.day")}</th>
        <th class="kern-table__header" scope="col">${t("alliance.hours.range", { n: 1 })}</th>
        <th class="kern-table__header" scope="col">${t("alliance.hours.range", { n: 2 })}</th>
      </tr></thead>
      <tbody class="kern-table__body">
        ${HOURS_DAYS.map((d, i) => {
          const dayErrors = [1, 2].flatMap((n) => [errors[`${d}_from_${n}`], errors[`${d}_to_${n}`]]).filter(Boolean);
          return html`<tr class="kern-table__row">
            <th class="kern-table__cell" scope="row">${dayName(i)}</th>
            ${[1, 2].map(
              (n) => html`<td class="kern-table__cell"><span class="komma-time-range">
                ${timeInput(`${d}_from_${n}`, t("alliance.hours.from", { day: dayName(i), n }))}
                <span aria-hidden="true">–</span>
                ${timeInput(`${d}_to_${n}`, t("alliance.hours.to", { day: dayName(i), n }))}</span></td>`,
            )}
          </tr>${dayErrors.length > 0 && html`<tr class="kern-table__row"><td class="kern-table__cell" colspan="3"><p class="kern-error"><span class="kern-icon kern-icon--danger" aria-hidden="true"></span> ${dayName(i)}: ${[...new Set(dayErrors)].join(" ")}</p></td></tr>`}`;
        })}
      </tbody>
    </table><//>
  </fieldset>`;
}

export function PartnerFormPage({
  ctx,
  action,
  title,
  values,
  errors,
  cancel,
  lands,
  remove,
}: {
  ctx: ViewContext;
  action: string;
  title: string;
  values: Values;
  errors: FieldErrors;
  cancel: string;
  /** For an entry of the national directory: the Länder to choose from (instead of region and card). */
  lands?: { value: string; label: string }[];
  /** Where to post to remove the entry, offered below the form. */
  remove?: string;
}) {
  const { t } = ctx;
  return html`<${Layout} ctx=${ctx} title=${title}>
    <${PageHeading} title=${title} />
    <${ErrorSummary} t=${t} errors=${errors} />
    <form method="post" action=${action} class="komma-form" novalidate>
      <${CsrfField} ctx=${ctx} />
      <${TextField} name="name" label=${t("alliance.field.name")} value=${one(values.name)} error=${errors.name} required=${true} />
      <${SelectField} name="kind" label=${t("alliance.field.kind")} value=${one(values.kind)} error=${errors.kind}
        options=${[{ value: "", label: t("alliance.field.kindChoose") }, ...PARTNER_KINDS.map((k) => ({ value: k, label: t(`alliance.kind.${k}`) }))]} />
      <${TextArea} name="services" label=${t("alliance.field.services")} hint=${t("alliance.field.servicesHint")} value=${one(values.services)} error=${errors.services} rows=${3} />
      <${TextField} name="phone" type="tel" label=${t("alliance.field.phone")} hint=${t("alliance.field.phoneHint")} value=${one(values.phone)} error=${errors.phone} autocomplete="off" dir="ltr" />
      <${TextField} name="email" type="email" label=${t("alliance.field.email")} value=${one(values.email)} error=${errors.email} dir="ltr" spellcheck=${false} />
      <${TextField} name="web" label=${t("alliance.field.web")} hint=${t("alliance.field.webHint")} value=${one(values.web)} error=${errors.web} dir="ltr" spellcheck=${false} />
      ${
        lands
          ? html`<${SelectField} name="land" label=${t("alliance.national.land")} value=${one(values.land)} error=${errors.land} options=${[{ value: "", label: t("alliance.field.kindChoose") }, ...lands]} />`
          : html`<${TextField} name="region" label=${t("alliance.field.region")} value=${one(values.region)} error=${errors.region} />`
      }
      <${HoursFieldset} ctx=${ctx} values=${values} errors=${errors} />
      <${CheckboxGroup} name="languages" legend=${t("alliance.field.languages")} error=${errors.languages} values=${many(values.languages)}
        options=${PARTNER_LANGUAGES.map((l) => ({ value: l, label: languageName(l, ctx.lang) }))} />
      <${TextArea} name="accessibility" label=${t("alliance.field.accessibility")} hint=${t("alliance.field.accessibilityHint")} value=${one(values.accessibility)} error=${errors.accessibility} rows=${2} />
      ${
        !lands &&
        html`<${CheckboxGroup} name="cardSituations" legend=${t("alliance.field.cardSituations")} hint=${t("alliance.field.cardSituationsHint")} error=${errors.cardSituations}
        values=${many(values.cardSituations)} options=${CARD_SITUATIONS.map((s) => ({ value: s, label: t(`alliance.situation.${s}`) }))} />`
      }
      <div class="komma-actions">
        <${SubmitButton} label=${t("alliance.save")} />
        <a class="kern-link" href=${cancel}>${t("alliance.cancel")}</a>
      </div>
    </form>
    ${
      remove &&
      html`<form method="post" action=${remove} class="komma-form">
        <${CsrfField} ctx=${ctx} />
        <p class="kern-body">${t("alliance.national.removeHint")}</p>
        <${SubmitButton} label=${t("alliance.partner.remove")} variant="secondary" />
      </form>`
    }
  <//>`;
}

export function PartnerPage({
  ctx,
  partner,
  contactValues = {},
  agreementValues = {},
  errors = {},
}: {
  ctx: ViewContext;
  partner: PartnerDetail;
  contactValues?: Values;
  agreementValues?: Values;
  errors?: FieldErrors;
}) {
  const { t } = ctx;
  const row = (key: string, value: unknown) =>
    html`<div class="kern-description-list-item"><dt class="kern-description-list-item__key">${t(key)}</dt><dd class="kern-description-list-item__value">${value}</dd></div>`;
  return html`<${Layout} ctx=${ctx} title=${partner.name}>
    ${
      partner.policies.read
        ? html`<p><a class="kern-link" href="/allianz">${t("alliance.back")}</a></p>`
        : html`<p><a class="kern-link" href="/allianz/arbeitsraum">${t("alliance.workspace.back")}</a></p>`
    }
    <${PageHeading} title=${partner.name} lead=${t(`alliance.kind.${partner.kind}`)} />
    <${ErrorSummary} t=${t} errors=${errors} />
    ${partner.nationalEntryId && html`<p class="kern-body">${t("alliance.national.linked")}</p>`}
    ${!partner.policies.read && html`<p class="kern-body">${t("alliance.accounts.ownEntryHint", { tenant: ctx.tenant?.name ?? "" })}</p>`}
    ${partner.nationalUpdate && html`<${NationalUpdate} ctx=${ctx} partnerId=${partner.id} changes=${partner.nationalUpdate.fields} canTake=${partner.policies.edit} />`}
    <dl class="kern-description-list">
      ${partner.services && row("alliance.field.services", partner.services)}
      ${partner.phone && row("alliance.field.phone", html`<${Phone} e164=${partner.phone} />`)}
      ${partner.email && row("alliance.field.email", html`<a class="kern-link" href=${`mailto:${partner.email}`} dir="ltr">${partner.email}</a>`)}
      ${partner.web && row("alliance.field.web", html`<a class="kern-link" href=${partner.web} dir="ltr">${partner.web}</a>`)}
      ${partner.region && row("alliance.field.region", partner.region)}
      ${row("alliance.hours.title", html`<${HoursText} ctx=${ctx} hours=${partner.hours} />`)}
      ${partner.languages.length > 0 && row("alliance.field.languages", partner.languages.map((l) => languageName(l, ctx.lang)).join(", "))}
      ${partner.accessibility && row("alliance.field.accessibility", partner.accessibility)}
      ${row("alliance.field.cardSituations", partner.cardSituations.length === 0 ? t("alliance.card.notOnCard") : partner.cardSituations.map((s) => t(`alliance.situation.${s}`)).join(", "))}
    </dl>
    ${partner.policies.edit && html`<p><a class="kern-btn kern-btn--secondary" href=${`/allianz/partner/${partner.id}/bearbeiten`}><span class="kern-label">${t("alliance.partner.edit")}</span></a></p>`}
    ${partner.policies.read && html`<${Accounts} ctx=${ctx} partner=${partner} />`}
    ${partner.policies.read && html`<${Agreements} ctx=${ctx} partner=${partner} values=${agreementValues} errors=${errors} />`}
    <h2 class="kern-heading-medium">${t("alliance.contacts.title")}</h2>
    ${
      partner.contacts.length === 0
        ? html`<p class="kern-body">${t("alliance.contacts.none")}</p>`
        : html`<ul class="kern-list komma-contacts">${partner.contacts.map(
            (c) => html`<li><p class="kern-body"><strong>${c.name}</strong>${c.function && html`, ${c.function}`}</p>
              <p class="kern-body">${c.phone && html`<${Phone} e164=${c.phone} /> `}${c.email && html`<a class="kern-link" href=${`mailto:${c.email}`} dir="ltr">${c.email}</a>`}</p>
              ${partner.policies.edit && html`<form method="post" action=${`/allianz/partner/${partner.id}/kontakte/${c.id}/entfernen`}><${CsrfField} ctx=${ctx} /><button type="submit" class="kern-btn kern-btn--tertiary"><span class="kern-label">${t("alliance.contacts.remove", { name: c.name })}</span></button></form>`}</li>`,
          )}</ul>`
    }
    ${
      partner.policies.edit &&
      html`<h3 class="kern-heading-small">${t("alliance.contacts.add")}</h3>
      <p class="kern-body">${t("alliance.contacts.sealedHint")}</p>
      <form method="post" action=${`/allianz/partner/${partner.id}/kontakte`} class="komma-form" novalidate>
        <${CsrfField} ctx=${ctx} />
        <${TextField} name="name" label=${t("alliance.contacts.name")} value=${one(contactValues.name)} error=${errors.name} autocomplete="off" />
        <${TextField} name="function" label=${t("alliance.contacts.function")} value=${one(contactValues.function)} error=${errors.function} />
        <${TextField} name="phone" type="tel" label=${t("alliance.field.phone")} value=${one(contactValues.phone)} error=${errors.phone} autocomplete="off" dir="ltr" />
        <${TextField} name="email" type="email" label=${t("alliance.field.email")} value=${one(contactValues.email)} error=${errors.email} autocomplete="off" dir="ltr" />
        <${SubmitButton} label=${t("alliance.contacts.save")} variant="secondary" />
      </form>
      <h2 class="kern-heading-medium">${t("alliance.partner.remove")}</h2>
      <p><a class="kern-btn kern-btn--secondary" href=${`/allianz/partner/${partner.id}/entfernen`}><span class="kern-label">${t("alliance.partner.removeButton", { name: partner.name })}</span></a></p>`
    }
  <//>`;
}

/* ------------------------------------------------------------ the responsibility matrix */

export function MatrixPage({ ctx, matrix, values = {}, errors = {} }: { ctx: ViewContext; matrix: Matrix; values?: Values; errors?: FieldErrors }) {
  const { t } = ctx;
  const who = (r: Matrix["rows"][number]) =>
    r.assigneeKind === "role" ? t(`roles.${r.assigneeRole}`) : r.assigneeKind === "partner" ? (r.partnerName ?? "–") : (r.userName ?? "–");
  const scope = (r: Matrix["rows"][number]) =>
    [
      r.form ? t(`reports.options.forms.${r.form}`) : t("alliance.matrix.anyForm"),
      r.level === null ? t("alliance.matrix.anyLevel") : t("alliance.matrix.level", { level: r.level }),
    ].join(", ");
  return html`<${Layout} ctx=${ctx} title=${t("alliance.matrix.title")}>
    <p><a class="kern-link" href="/allianz">${t("alliance.back")}</a></p>
    <${PageHeading} title=${t("alliance.matrix.title")} lead=${t("alliance.matrix.lead")} />
    <${ErrorSummary} t=${t} errors=${errors} />
    ${CLEARING_STAGES.map((stage) => {
      const rows = matrix.rows.filter((r) => r.stage === stage);
      return html`<section aria-labelledby=${`stage-${stage}`}>
        <h2 class="kern-heading-medium" id=${`stage-${stage}`}>${t(`alliance.stage.${stage}`)}</h2>
        ${
          rows.length === 0
            ? html`<p class="kern-body">${t("alliance.matrix.none")}</p>`
            : html`<${ScrollTable} label=${t(`alliance.stage.${stage}`)}><table class="kern-table">
              <thead class="kern-table__header"><tr class="kern-table__row">
                <th class="kern-table__header" scope="col">${t("alliance.matrix.raci")}</th>
                <th class="kern-table__header" scope="col">${t("alliance.matrix.who")}</th>
                <th class="kern-table__header" scope="col">${t("alliance.matrix.scope")}</th>
                ${matrix.policies.edit && html`<th class="kern-table__header" scope="col"><span class="kern-sr-only">${t("alliance.matrix.remove")}</span></th>`}
              </tr></thead>
              <tbody class="kern-table__body">${rows.map(
                (r) => html`<tr class="kern-table__row">
                  <td class="kern-table__cell">${t(`alliance.raci.${r.raci}`)}</td>
                  <th class="kern-table__cell" scope="row">${who(r)}</th>
                  <td class="kern-table__cell">${scope(r)}</td>
                  ${
                    matrix.policies.edit &&
                    html`<td class="kern-table__cell"><form method="post" action=${`/allianz/zustaendigkeiten/${r.id}/entfernen`}><${CsrfField} ctx=${ctx} />
                      <button type="submit" class="kern-btn kern-btn--tertiary"><span class="kern-label">${t("alliance.matrix.removeLine", { who: who(r) })}</span></button></form></td>`
                  }
                </tr>`,
              )}</tbody>
            </table><//>`
        }
      </section>`;
    })}
    ${
      matrix.policies.edit &&
      html`<h2 class="kern-heading-medium" id="add-line">${t("alliance.matrix.add")}</h2>
      <form method="post" action="/allianz/zustaendigkeiten" class="komma-form" novalidate>
        <${CsrfField} ctx=${ctx} />
        <${SelectField} name="stage" label=${t("alliance.matrix.stage")} value=${one(values.stage)} error=${errors.stage}
          options=${CLEARING_STAGES.map((s) => ({ value: s, label: t(`alliance.stage.${s}`) }))} />
        <${SelectField} name="form" label=${t("alliance.matrix.form")} value=${one(values.form)} error=${errors.form}
          options=${[{ value: "", label: t("alliance.matrix.anyForm") }, ...INCIDENT_FORMS.map((f) => ({ value: f, label: t(`reports.options.forms.${f}`) }))]} />
        <${SelectField} name="level" label=${t("alliance.matrix.levelLabel")} hint=${t("alliance.matrix.levelHint")} value=${one(values.level)} error=${errors.level}
          options=${[{ value: "", label: t("alliance.matrix.anyLevel") }, ...RISK_LEVELS.map((l) => ({ value: String(l), label: t("alliance.matrix.level", { level: l }) }))]} />
        <${SelectField} name="raci" label=${t("alliance.matrix.raci")} value=${one(values.raci)} error=${errors.raci}
          options=${RACI.map((r) => ({ value: r, label: t(`alliance.raci.${r}`) }))} />
        <${SelectField} name="assignee" label=${t("alliance.matrix.who")} value=${one(values.assignee)} error=${errors.assignee}
          options=${[
            { value: "", label: t("alliance.field.kindChoose") },
            ...MATRIX_ROLES.map((r) => ({ value: `role:${r}`, label: `${t("alliance.matrix.role")}: ${t(`roles.${r}`)}` })),
            ...matrix.partners.map((p) => ({ value: `partner:${p.id}`, label: `${t("alliance.matrix.partner")}: ${p.name}` })),
            ...matrix.people.map((p) => ({ value: `person:${p.id}`, label: `${t("alliance.matrix.person")}: ${p.name}` })),
          ]} />
        <${SubmitButton} label=${t("alliance.matrix.save")} />
      </form>`
    }
  <//>`;
}

/** Removing a partner takes a second step: it also leaves the card and the responsibilities. */
export function RemovePartnerPage({ ctx, partner }: { ctx: ViewContext; partner: PartnerDetail }) {
  const { t } = ctx;
  return html`<${Layout} ctx=${ctx} title=${t("alliance.partner.removeTitle", { name: partner.name })}>
    <${PageHeading} title=${t("alliance.partner.removeTitle", { name: partner.name })} />
    <div class="kern-alert kern-alert--warning" role="note"><div class="kern-alert__header"><span class="kern-icon kern-icon--warning" aria-hidden="true"></span>
      <p class="kern-title">${t("alliance.partner.removeHint")}</p></div></div>
    <form method="post" action=${`/allianz/partner/${partner.id}/entfernen`} class="komma-actions">
      <${CsrfField} ctx=${ctx} />
      <button type="submit" class="kern-btn kern-btn--primary"><span class="kern-label">${t("alliance.partner.removeConfirm")}</span></button>
      <a class="kern-link" href=${`/allianz/partner/${partner.id}`}>${t("alliance.cancel")}</a>
    </form>
  <//>`;
}
