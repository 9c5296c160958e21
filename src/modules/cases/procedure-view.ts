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
  TextField,
  type ViewContext,
} from "../../platform/ui/html.ts";
import { CLEARING_STAGES } from "../../platform/vocabulary.ts";
import type { Procedure } from "./procedure.ts";
import { ESCALATION_ROLES, PROCEDURE_ROLES, type ProcedureForm, type ProcedureOverview } from "./procedure-editor.ts";

const roleName = (ctx: ViewContext, r: string) => ctx.t(`roles.${r}`, { defaultValue: r });

/** The procedure as the office works with it: who does what by when, and whom each level alarms. */
function ProcedureSummary({ ctx, procedure, changed = [] }: { ctx: ViewContext; procedure: Procedure; changed?: string[] }) {
  const { t } = ctx;
  const mark = (key: string) =>
    changed.includes(key) &&
    html` <span class="kern-badge kern-badge--warning"><span class="kern-label kern-label--small">${t("cases.procedure.changed")}</span></span>`;
  return html`<ol class="kern-list">
      <li>${t("cases.procedure.firstResponse", { hours: procedure.firstResponseHours })}${mark("firstResponseHours")}</li>
      ${procedure.stages.map(
        (s) =>
          html`<li><strong>${t(`alliance.stage.${s.stage}`)}</strong>: ${roleName(ctx, s.role)} · ${t("cases.procedure.days", { count: s.targetDays })}${mark(`stage_${s.stage}`)}</li>`,
      )}
    </ol>
    <ul class="kern-list">
      ${(["level2", "level3", "overdue"] as const).map(
        (e) => html`<li>${t(`cases.procedure.alarms.${e}`)}: ${procedure.escalation[e].map((r) => roleName(ctx, r)).join(", ")}${mark(e)}</li>`,
      )}
    </ul>`;
}

export function ProcedurePage({
  ctx,
  overview,
  form,
  errors = {},
  preview,
}: {
  ctx: ViewContext;
  overview: ProcedureOverview;
  form: ProcedureForm;
  errors?: FieldErrors;
  preview?: { procedure: Procedure; changed: string[] };
}) {
  const { t } = ctx;
  const str = (k: string) => (typeof form[k] === "string" ? (form[k] as string) : "");
  const list = (k: string) => (Array.isArray(form[k]) ? (form[k] as string[]) : []);
  const roles = PROCEDURE_ROLES.map((r) => ({ value: r, label: roleName(ctx, r) }));
  return html`<${Layout} ctx=${ctx} title=${t("cases.procedure.title")}>
    <${PageHeading} title=${t("cases.procedure.title")} lead=${t("cases.procedure.lead", { version: overview.current.version })} />
    <p class="kern-body"><a class="kern-link" href="/faelle/aufbewahrung">${t("cases.retention.link")}</a></p>
    ${
      preview &&
      html`<section aria-labelledby="vorschau" class="kern-alert kern-alert--info"><div class="kern-alert__header"><span class="kern-icon kern-icon--info" aria-hidden="true"></span>
        <h2 class="kern-title" id="vorschau">${t("cases.procedure.preview", { version: overview.current.version + 1 })}</h2></div>
        <div class="kern-alert__body">
          <p class="kern-body">${preview.changed.length === 0 ? t("cases.procedure.noChanges") : t("cases.procedure.changes", { count: preview.changed.length })}</p>
          <${ProcedureSummary} ctx=${ctx} procedure=${preview.procedure} changed=${preview.changed} />
          <p class="kern-body">${t("cases.procedure.runningKeep")}</p>
        </div></section>`
    }
    <h2 class="kern-heading-medium">${t("cases.procedure.current", { version: overview.current.version })}</h2>
    <${ProcedureSummary} ctx=${ctx} procedure=${overview.current.procedure} />
    ${
      overview.policies.configure &&
      html`<h2 class="kern-heading-medium">${t("cases.procedure.edit")}</h2>
      <form method="post" action="/faelle/verfahren" novalidate class="komma-form">
        <${CsrfField} ctx=${ctx} />
        <${ErrorSummary} t=${t} errors=${errors} />
        <${TextField} name="firstResponseHours" inputmode="numeric" width="4" label=${t("cases.procedure.firstResponseHours")} hint=${t("cases.procedure.firstResponseHint")}
          value=${str("firstResponseHours")} error=${errors.firstResponseHours} />
        ${CLEARING_STAGES.map(
          (stage) => html`<fieldset class="kern-fieldset"><legend class="kern-label kern-label--large">${t(`alliance.stage.${stage}`)}</legend>
            <div class="kern-fieldset__body komma-filter-row">
              <${SelectField} name=${`role_${stage}`} label=${t("cases.procedure.role", { stage: t(`alliance.stage.${stage}`) })}
                hint=${overview.suggestions[stage].length > 0 ? t("cases.procedure.matrix", { names: overview.suggestions[stage].map((n) => roleName(ctx, n)).join(", ") }) : undefined}
                value=${str(`role_${stage}`)} error=${errors[`role_${stage}`]} options=${roles} />
              <${TextField} name=${`days_${stage}`} inputmode="numeric" width="4" label=${t("cases.procedure.targetDays", { stage: t(`alliance.stage.${stage}`) })}
                value=${str(`days_${stage}`)} error=${errors[`days_${stage}`]} />
            </div></fieldset>`,
        )}
        ${(["level2", "level3", "overdue"] as const).map(
          (e) => html`<${CheckboxGroup} name=${e} legend=${t(`cases.procedure.alarms.${e}`)} values=${list(e)} error=${errors[e]}
            options=${ESCALATION_ROLES.map((r) => ({ value: r, label: roleName(ctx, r) }))} />`,
        )}
        <div class="komma-actions">
          <button type="submit" formaction="/faelle/verfahren/vorschau" class="kern-btn kern-btn--secondary"><span class="kern-label">${t("cases.procedure.showPreview")}</span></button>
          <${SubmitButton} label=${t("cases.procedure.save")} />
        </div>
      </form>`
    }
    <h2 class="kern-heading-medium">${t("cases.procedure.versions")}</h2>
    <${ScrollTable} label=${t("cases.procedure.versions")}><table class="kern-table">
      <caption class="kern-sr-only">${t("cases.procedure.versions")}</caption>
      <thead class="kern-table__header"><tr class="kern-table__row">
        <th class="kern-table__header" scope="col">${t("cases.procedure.version")}</th>
        <th class="kern-table__header" scope="col">${t("cases.procedure.savedBy")}</th>
        <th class="kern-table__header" scope="col">${t("cases.procedure.openCases")}</th>
      </tr></thead>
      <tbody class="kern-table__body">${overview.versions.map(
        (v) => html`<tr class="kern-table__row">
          <th class="kern-table__cell" scope="row">${v.version}${v.version === overview.current.version ? ` (${t("cases.procedure.currentShort")})` : ""}</th>
          <td class="kern-table__cell">${v.createdAt ? `${v.createdByName ?? "–"}, ${dateFormat(ctx.lang, { dateStyle: "medium", timeZone: "Europe/Berlin" }).format(v.createdAt)}` : t("cases.procedure.default")}</td>
          <td class="kern-table__cell">${v.openCases}</td>
        </tr>`,
      )}</tbody></table><//>
  <//>`;
}
