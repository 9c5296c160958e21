import { dateFormat } from "../../platform/i18n/formats.ts";
import {
  CsrfField,
  ErrorSummary,
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
import type { Measure, Progress } from "./action-plan.ts";
import { MEASURE_STATUSES, type MeasureStatus } from "./schema.ts";

/* The action plan's pages: where the plan stands (with what is overdue), the measures by goal, and the form. */

const BADGE: Record<MeasureStatus, string> = { planned: "info", in_progress: "warning", done: "success", dropped: "danger" };
const COLOUR: Record<MeasureStatus, string> = { planned: "#6b7280", in_progress: "#9a5800", done: "#0f6b4f", dropped: "#b4b9c2" };
const dayOf = (ctx: ViewContext, day: string) =>
  dateFormat(ctx.lang === "en" ? "en-GB" : "de-DE", { timeZone: "Europe/Berlin" }).format(new Date(`${day}T12:00:00Z`));

function StatusBadge({ ctx, status }: { ctx: ViewContext; status: MeasureStatus }) {
  return html`<span class=${`kern-badge kern-badge--${BADGE[status]}`}><span class="kern-label kern-label--small">${ctx.t(`knowledge.plan.status.${status}`)}</span></span>`;
}

/** The plan's progress: a bar with a part per status, and the same figures as a list beside it. */
function ProgressBar({ ctx, progress }: { ctx: ViewContext; progress: Progress }) {
  const { t } = ctx;
  let x = 0;
  const width = 480;
  return html`<figure class="komma-figure">
    <svg xmlns="http://www.w3.org/2000/svg" viewBox=${`0 0 ${width} 28`} width="100%" role="img" aria-labelledby="plan-bar-title" class="komma-chart">
      <title id="plan-bar-title">${t("knowledge.plan.barTitle")}</title>
      ${MEASURE_STATUSES.map((s) => {
        const w = progress.total ? (progress.byStatus[s] / progress.total) * width : 0;
        const part = html`<rect x=${x} y="0" width=${w} height="28" fill=${COLOUR[s]} data-status=${s}><title>${t(`knowledge.plan.status.${s}`)}: ${progress.byStatus[s]}</title></rect>`;
        x += w;
        return part;
      })}
    </svg>
    <figcaption>
      <ul class="komma-legend">
        ${MEASURE_STATUSES.map(
          (s) =>
            html`<li><svg width="14" height="14" viewBox="0 0 14 14" aria-hidden="true" focusable="false"><rect width="14" height="14" fill=${COLOUR[s]} /></svg> ${t(`knowledge.plan.status.${s}`)}: <span data-count=${s}>${progress.byStatus[s]}</span></li>`,
        )}
      </ul>
    </figcaption>
  </figure>`;
}

export function ActionPlanPage(p: { ctx: ViewContext; list: Measure[]; progress: Progress; canWrite: boolean }) {
  const { ctx, list, progress, canWrite } = p;
  const { t } = ctx;
  const goals = [...new Set(list.map((m) => m.goal))];
  const th = (key: string) => html`<th class="kern-table__header" scope="col">${t(key)}</th>`;
  const overdue = new Set(progress.overdue.map((m) => m.id));
  return html`<${Layout} ctx=${ctx} title=${t("knowledge.plan.title")}>
    <p><a class="kern-link" href="/wissen/strategie">${t("knowledge.strategy.back")}</a></p>
    <${PageHeading} title=${t("knowledge.plan.title")} lead=${t("knowledge.plan.lead")} />
    ${canWrite && html`<p><a class="kern-btn kern-btn--primary" href="/wissen/strategie/massnahmen/neu"><span class="kern-label">${t("knowledge.plan.add")}</span></a></p>`}
    ${list.length === 0 && html`<p class="kern-body">${t("knowledge.plan.none")}</p>`}
    ${
      list.length > 0 &&
      html`<section aria-labelledby="plan-progress">
        <h2 class="kern-heading-medium" id="plan-progress">${t("knowledge.plan.progress")}</h2>
        <p class="kern-body">${
          progress.donePercent === null
            ? t("knowledge.plan.nothingCounted")
            : t("knowledge.plan.done", { done: progress.byStatus.done, counted: progress.total - progress.byStatus.dropped, percent: progress.donePercent })
        }</p>
        <${ProgressBar} ctx=${ctx} progress=${progress} />
        ${
          progress.overdue.length > 0 &&
          html`<div class="kern-alert kern-alert--warning" role="status">
            <div class="kern-alert__header"><span class="kern-icon kern-icon--warning" aria-hidden="true"></span><h3 class="kern-title">${t("knowledge.plan.overdue", { count: progress.overdue.length })}</h3></div>
            <div class="kern-alert__body"><ul class="kern-list">${progress.overdue.map(
              (m) =>
                html`<li><a class="kern-link" href=${`/wissen/strategie/massnahmen/${m.id}`}>${m.title}</a> – ${t("knowledge.plan.dueWas", { date: dayOf(ctx, m.dueOn) })}</li>`,
            )}</ul></div>
          </div>`
        }
        ${progress.dueSoon.length > 0 && html`<p class="kern-body">${t("knowledge.plan.dueSoon", { count: progress.dueSoon.length, titles: progress.dueSoon.map((m) => m.title).join(", ") })}</p>`}
      </section>
      ${goals.map(
        (goal, i) => html`<section aria-labelledby=${`goal-${i}`}>
          <h2 class="kern-heading-medium" id=${`goal-${i}`}>${t("knowledge.plan.goal", { goal })}</h2>
          <${ScrollTable} label=${goal}><table class="kern-table">
            <thead class="kern-table__header"><tr class="kern-table__row">
              ${th("knowledge.plan.measure")}${th("knowledge.plan.owner")}${th("knowledge.plan.due")}${th("knowledge.plan.statusLabel")}${th("knowledge.plan.evidence")}
            </tr></thead>
            <tbody class="kern-table__body">${list
              .filter((m) => m.goal === goal)
              .map(
                (m) => html`<tr class="kern-table__row">
                  <th class="kern-table__cell" scope="row"><a class="kern-link" href=${`/wissen/strategie/massnahmen/${m.id}`}>${m.title}</a></th>
                  <td class="kern-table__cell">${m.owner}</td>
                  <td class="kern-table__cell">${dayOf(ctx, m.dueOn)}${overdue.has(m.id) ? html`<br /><strong>${t("knowledge.plan.overdueMark")}</strong>` : ""}</td>
                  <td class="kern-table__cell"><${StatusBadge} ctx=${ctx} status=${m.status} /></td>
                  <td class="kern-table__cell">${m.progress || "–"}</td>
                </tr>`,
              )}</tbody>
          </table><//>
        </section>`,
      )}`
    }
  <//>`;
}

/** A measure: the form for admins, the same fields to read for everyone else. */
export function MeasurePage(p: {
  ctx: ViewContext;
  title: string;
  action: string | null;
  values: Record<string, string>;
  errors: Record<string, string>;
  goals: string[];
}) {
  const { ctx, title, action, values, errors, goals } = p;
  const { t } = ctx;
  const statuses = MEASURE_STATUSES.map((s) => ({ value: s, label: t(`knowledge.plan.status.${s}`) }));
  return html`<${Layout} ctx=${ctx} title=${title}>
    <p><a class="kern-link" href="/wissen/strategie/massnahmen">${t("knowledge.plan.back")}</a></p>
    <${PageHeading} title=${title} />
    ${
      action === null
        ? html`<dl class="kern-description-list">
            ${["goal", "owner", "dueOn", "status", "progress"].map(
              (k) => html`<div class="kern-description-list-item">
                <dt class="kern-description-list-item__key">${t(`knowledge.plan.field.${k}`)}</dt>
                <dd class="kern-description-list-item__value">${
                  k === "status" ? t(`knowledge.plan.status.${values.status}`) : k === "dueOn" ? dayOf(ctx, values.dueOn) : values[k] || "–"
                }</dd>
              </div>`,
            )}
          </dl>`
        : html`<form method="post" action=${action} novalidate><${CsrfField} ctx=${ctx} />
            <${ErrorSummary} t=${t} errors=${errors} />
            <${TextField} name="title" label=${t("knowledge.plan.field.title")} value=${values.title} error=${errors.title} />
            <${TextField} name="goal" label=${t("knowledge.plan.field.goal")} hint=${t("knowledge.plan.field.goalHint", { goals: goals.join(" · ") || "–" })} value=${values.goal} error=${errors.goal} />
            <${TextField} name="owner" label=${t("knowledge.plan.field.owner")} hint=${t("knowledge.plan.field.ownerHint")} value=${values.owner} error=${errors.owner} />
            <${TextField} name="dueOn" type="date" label=${t("knowledge.plan.field.dueOn")} value=${values.dueOn} error=${errors.dueOn} />
            <${SelectField} name="status" label=${t("knowledge.plan.field.status")} value=${values.status} error=${errors.status} options=${statuses} />
            <${TextArea} name="progress" label=${t("knowledge.plan.field.progress")} hint=${t("knowledge.plan.field.progressHint")} value=${values.progress} error=${errors.progress} rows=${4} />
            <div class="komma-actions">
              <${SubmitButton} label=${t("knowledge.plan.save")} />
              <a class="kern-link" href="/wissen/strategie/massnahmen">${t("knowledge.assessment.cancel")}</a>
            </div>
          </form>`
    }
  <//>`;
}
