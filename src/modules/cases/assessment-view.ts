import { dateFormat } from "../../platform/i18n/formats.ts";
import {
  CheckboxGroup,
  CsrfField,
  ErrorSummary,
  type FieldErrors,
  html,
  RadioGroup,
  ScrollTable,
  SelectField,
  TextArea,
  type ViewContext,
} from "../../platform/ui/html.ts";
import { INCIDENT_FORMS, RISK_LEVELS } from "../../platform/vocabulary.ts";
import type { Assignee } from "../alliance/index.ts";
import { displayPhone } from "../alliance/index.ts";
import type { CaseView } from "./commands.ts";
import { type RiskProposal, THREAT_CRITERIA } from "./risk.ts";

/** What the assessment form shows again: the officer's input, the proposal it led to, errors. */
export interface AssessmentDraft {
  values: { form?: string; criteria: string[]; level?: string; justification: string };
  proposal: RiskProposal | null;
  errors: FieldErrors;
}

export function reasonLabel(t: ViewContext["t"], reason: string): string {
  const [kind, key] = reason.split(".");
  if (kind === "form") return t("cases.risk.reasonForm", { form: t(`reports.options.forms.${key}`) });
  if (kind === "criterion") return t(`cases.risk.criteria.${key}`);
  return t(`cases.risk.combined.${key}`);
}

function LevelBadge({ t, level }: { t: ViewContext["t"]; level: number | null }) {
  if (level === null) return html`<span class="kern-badge kern-badge--info"><span class="kern-label kern-label--small">${t("cases.risk.none")}</span></span>`;
  const kind = level >= 3 ? "danger" : level === 2 ? "warning" : "info";
  return html`<span class=${`kern-badge kern-badge--${kind}`}><span class="kern-label kern-label--small">${t("cases.risk.level", { level })}</span></span>`;
}

function who(t: ViewContext["t"], a: Assignee): string {
  if (a.kind === "role") return t(`roles.${a.role}`);
  if (a.kind === "person") return a.person.name;
  return [a.partner.name, a.partner.phone && displayPhone(a.partner.phone)].filter(Boolean).join(", ");
}

/** What a level 2 or 3 asks of the office at once, and whom the alliance's matrix names. */
function Instructions({ ctx, kase }: { ctx: ViewContext; kase: CaseView }) {
  const { t } = ctx;
  const level = kase.riskLevel;
  // What to do at once is for a case under way: once closed, or its closing asked for, the course of the case tells what was done.
  if (level === null || level < 2 || kase.status === "closed" || (kase.closure !== null && kase.closure.decision === null)) return null;
  const named = (["responsible", "consulted", "informed"] as const).flatMap((raci) => kase.responsible[raci].map((a) => ({ raci, a })));
  return html`<div class=${`kern-alert kern-alert--${level >= 3 ? "danger" : "warning"}`} role="status">
    <div class="kern-alert__header"><span class=${`kern-icon kern-icon--${level >= 3 ? "danger" : "warning"}`} aria-hidden="true"></span>
      <p class="kern-title">${t(`cases.risk.instructions.level${level}.title`)}</p></div>
    <div class="kern-alert__body">
      <ul class="kern-list">${(t(`cases.risk.instructions.level${level}.steps`, { returnObjects: true }) as string[]).map((s) => html`<li>${s}</li>`)}</ul>
      ${
        named.length > 0
          ? html`<p class="kern-body"><strong>${t("cases.risk.matrix")}</strong></p>
            <ul class="kern-list">${named.map(({ raci, a }) => html`<li>${who(t, a)} (${t(`alliance.raci.${raci}`)})</li>`)}</ul>`
          : html`<p class="kern-body">${t("cases.risk.noMatrix")}</p>`
      }
    </div>
  </div>`;
}

function History({ ctx, kase }: { ctx: ViewContext; kase: CaseView }) {
  const { t } = ctx;
  if (kase.assessments.length === 0) return html`<p class="kern-body">${t("cases.risk.notYet")}</p>`;
  const fmt = dateFormat(ctx.lang, { dateStyle: "medium", timeStyle: "short", timeZone: "Europe/Berlin" });
  return html`<${ScrollTable} label=${t("cases.risk.history")}><table class="kern-table">
    <caption class="kern-title">${t("cases.risk.history")}</caption>
    <thead class="kern-table__header"><tr class="kern-table__row">
      <th class="kern-table__header" scope="col">${t("cases.risk.when")}</th>
      <th class="kern-table__header" scope="col">${t("cases.risk.by")}</th>
      <th class="kern-table__header" scope="col">${t("cases.risk.proposed")}</th>
      <th class="kern-table__header" scope="col">${t("cases.risk.set")}</th>
      <th class="kern-table__header" scope="col">${t("cases.risk.reasons")}</th>
    </tr></thead>
    <tbody class="kern-table__body">
      ${[...kase.assessments].reverse().map(
        (a) => html`<tr class="kern-table__row">
          <td class="kern-table__cell">${fmt.format(a.assessedAt)}</td>
          <td class="kern-table__cell">${a.assessedBy ?? ""}</td>
          <td class="kern-table__cell">${t("cases.risk.level", { level: a.proposedLevel })}</td>
          <td class="kern-table__cell">${t("cases.risk.level", { level: a.level })}${a.justification && html`<br /><span class="kern-body kern-body--small">${t("cases.risk.because", { text: a.justification })}</span>`}</td>
          <td class="kern-table__cell"><ul class="kern-list">${a.reasons.map((r) => html`<li>${reasonLabel(t, r)}</li>`)}</ul></td>
        </tr>`,
      )}
    </tbody></table><//>`;
}

function AssessmentForm({
  ctx,
  kase,
  draft,
  suggestedForm,
}: {
  ctx: ViewContext;
  kase: CaseView;
  draft: AssessmentDraft | undefined;
  suggestedForm: string | null;
}) {
  const { t } = ctx;
  const last = kase.assessments.at(-1);
  const values = draft?.values ?? { form: last?.form ?? suggestedForm ?? undefined, criteria: last?.criteria ?? [], justification: "" };
  const errors = draft?.errors ?? {};
  const proposal = draft?.proposal ?? null;
  const action = `/faelle/${kase.number}/einschaetzung`;
  return html`<form method="post" action=${action} novalidate class="komma-form" id="einschaetzung">
    <${CsrfField} ctx=${ctx} />
    <${ErrorSummary} t=${t} errors=${errors} />
    <${SelectField} name="form" label=${t("cases.risk.form")} hint=${t("cases.risk.formHint")} value=${values.form ?? ""} error=${errors.form}
      options=${[{ value: "", label: t("cases.risk.chooseForm") }, ...INCIDENT_FORMS.map((f) => ({ value: f, label: t(`reports.options.forms.${f}`) }))]} />
    <${CheckboxGroup} name="criteria" legend=${t("cases.risk.criteriaLegend")} hint=${t("cases.risk.criteriaHint")} error=${errors.criteria}
      values=${values.criteria} options=${THREAT_CRITERIA.map((c) => ({ value: c, label: t(`cases.risk.criteria.${c}`), hint: t(`cases.risk.criteriaHints.${c}`) }))} />
    <p><button type="submit" class="kern-btn kern-btn--secondary" formaction=${`${action}/vorschlag#einschaetzung`}><span class="kern-label">${t("cases.risk.propose")}</span></button></p>
    ${
      proposal &&
      html`<div class="kern-alert kern-alert--info" role="status" id="vorschlag">
        <div class="kern-alert__header"><span class="kern-icon kern-icon--info" aria-hidden="true"></span>
          <p class="kern-title">${t("cases.risk.proposal", { level: proposal.level })}</p></div>
        <div class="kern-alert__body"><p class="kern-body">${t("cases.risk.proposalBecause")}</p>
          <ul class="kern-list">${proposal.reasons.map((r) => html`<li>${reasonLabel(t, r)}</li>`)}</ul></div>
      </div>`
    }
    <${RadioGroup} name="level" legend=${t("cases.risk.levelLegend")} hint=${t("cases.risk.levelHint")} error=${errors.level}
      value=${values.level ?? (proposal ? String(proposal.level) : undefined)}
      options=${RISK_LEVELS.map((l) => ({ value: String(l), label: t("cases.risk.level", { level: l }), hint: t(`cases.risk.levels.${l}`) }))} />
    <${TextArea} name="justification" label=${t("cases.risk.justification")} hint=${t("cases.risk.justificationHint")} value=${values.justification} error=${errors.justification} rows=${3} />
    <button type="submit" class="kern-btn kern-btn--primary"><span class="kern-label">${t("cases.risk.save")}</span></button>
  </form>`;
}

/** The case's risk: its level with what that level asks, the history, and the form to assess. */
export function RiskSection({ ctx, kase, draft, suggestedForm }: { ctx: ViewContext; kase: CaseView; draft?: AssessmentDraft; suggestedForm: string | null }) {
  const { t } = ctx;
  return html`<section aria-labelledby="risiko-titel">
    <h2 class="kern-heading-medium" id="risiko-titel">${t("cases.risk.title")} <${LevelBadge} t=${t} level=${kase.riskLevel} /></h2>
    <${Instructions} ctx=${ctx} kase=${kase} />
    <${History} ctx=${ctx} kase=${kase} />
    ${
      !kase.policies.work
        ? html`<p class="kern-body">${t("cases.risk.onlyLead")}</p>`
        : kase.assessments.length === 0
          ? html`<${AssessmentForm} ctx=${ctx} kase=${kase} draft=${draft} suggestedForm=${suggestedForm} />`
          : html`<details class="komma-details" open=${draft ? true : undefined}>
              <summary class="kern-link">${t("cases.risk.again")}</summary>
              <${AssessmentForm} ctx=${ctx} kase=${kase} draft=${draft} suggestedForm=${suggestedForm} />
            </details>`
    }
  </section>`;
}
