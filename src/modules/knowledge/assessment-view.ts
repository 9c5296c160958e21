import { dateFormat } from "../../platform/i18n/formats.ts";
import { CsrfField, ErrorSummary, html, Layout, PageHeading, RadioGroup, ScrollTable, SubmitButton, type ViewContext } from "../../platform/ui/html.ts";
import { ALL_QUESTIONS, type AssessmentRecord, LEVELS, type Peers, QUESTIONS, questionField, type Scores } from "./assessment.ts";
import { DIMENSIONS, type Dimension } from "./schema.ts";

/*
 * The self-assessment's pages: the results (a bar chart as server-rendered SVG and the same
 * figures as a table beside it), the questionnaire, one past self-assessment, and the national
 * overview of the medians.
 */

/** One row of figures in chart and table: a self-assessment of the own municipality or a median. */
export interface Series {
  key: string;
  label: string;
  color: string;
  scores: Scores;
}

/** Colours with at least 3:1 contrast on white: the own results in blues (newest darkest), the medians in green and brown. */
const OWN_COLOURS = ["#26489e", "#5b77c2", "#7a8cc4"];
const MODEL_COLOUR = "#0f6b4f";
const NETWORK_COLOUR = "#9a5800";
/** How many of the own self-assessments chart and table compare. */
export const OWN_SHOWN = OWN_COLOURS.length;

const dateOf = (ctx: ViewContext, d: Date) => dateFormat(ctx.lang === "en" ? "en-GB" : "de-DE", { timeZone: "Europe/Berlin" }).format(d);

/** The rows to compare: the last three own self-assessments (oldest first), then the medians that may be shown. */
export function seriesOf(ctx: ViewContext, history: AssessmentRecord[], peers: Peers): Series[] {
  const { t } = ctx;
  const own = history.slice(0, OWN_SHOWN).reverse();
  const out: Series[] = own.map((a, i) => ({
    key: `own-${i}`,
    label: t("knowledge.assessment.seriesOwn", { date: dateOf(ctx, a.takenAt) }),
    color: OWN_COLOURS[own.length - 1 - i],
    scores: a.scores,
  }));
  if (peers.model.medians)
    out.push({
      key: "model",
      label: t("knowledge.assessment.seriesModel", { count: peers.model.contributors }),
      color: MODEL_COLOUR,
      scores: peers.model.medians,
    });
  if (peers.platform.medians)
    out.push({
      key: "network",
      label: t("knowledge.assessment.seriesNetwork", { count: peers.platform.contributors }),
      color: NETWORK_COLOUR,
      scores: peers.platform.medians,
    });
  return out;
}

const LABEL = 200;
const SCALE = 3.2; // px per point: 100 points are 320 px
const BAR = 14;
const GAP = 3;
const GROUP_GAP = 18;
const TOP = 28;

/** Horizontal bars per dimension, one per series, each with its figure written beside it. */
export function AssessmentChart({ ctx, series }: { ctx: ViewContext; series: Series[] }) {
  const { t } = ctx;
  const group = series.length * (BAR + GAP) - GAP;
  const height = TOP + DIMENSIONS.length * (group + GROUP_GAP);
  const width = LABEL + 100 * SCALE + 48;
  const yOf = (di: number, si: number) => TOP + di * (group + GROUP_GAP) + si * (BAR + GAP);
  return html`<figure class="komma-figure">
    <ul class="komma-legend" aria-hidden="true">
      ${series.map(
        (s) =>
          html`<li><svg width="14" height="14" viewBox="0 0 14 14" focusable="false"><rect width="14" height="14" fill=${s.color} /></svg> ${s.label}</li>`,
      )}
    </ul>
    <div class="komma-chart-scroll komma-scroll-region" tabindex="0" role="region" aria-label=${t("knowledge.assessment.chartTitle")}>
    <svg xmlns="http://www.w3.org/2000/svg" viewBox=${`0 0 ${width} ${height}`} width="100%" role="img" aria-labelledby="assessment-chart-title" class="komma-chart">
      <title id="assessment-chart-title">${t("knowledge.assessment.chartTitle")}</title>
      ${[0, 25, 50, 75, 100].map(
        (tick) => html`<g>
          <line x1=${LABEL + tick * SCALE} x2=${LABEL + tick * SCALE} y1=${TOP - 6} y2=${height - GROUP_GAP / 2} stroke="#6b7280" stroke-opacity="0.35" />
          <text x=${LABEL + tick * SCALE} y=${TOP - 10} text-anchor="middle" class="komma-chart__tick">${tick}</text>
        </g>`,
      )}
      ${DIMENSIONS.map(
        (d, di) => html`<g>
          <text x=${LABEL - 10} y=${yOf(di, 0) + group / 2 + 5} text-anchor="end" class="komma-chart__head">${t(`knowledge.dimension.${d}`)}</text>
          ${series.map((s, si) => {
            const v = s.scores[d];
            const y = yOf(di, si);
            return html`<g>
              <rect x=${LABEL} y=${y} width=${v * SCALE} height=${BAR} fill=${s.color} data-series=${s.key} data-dimension=${d} data-value=${String(v)}>
                <title>${t("knowledge.assessment.bar", { dimension: t(`knowledge.dimension.${d}`), series: s.label, score: v })}</title>
              </rect>
              <text x=${LABEL + v * SCALE + 6} y=${y + BAR - 2} class="komma-chart__value" data-series=${s.key} data-dimension=${d}>${v}</text>
            </g>`;
          })}
        </g>`,
      )}
    </svg>
    </div>
    <figcaption class="kern-body--small">${t("knowledge.assessment.chartCaption")}</figcaption>
  </figure>`;
}

/** The same figures as the chart: a row per dimension, a column per series. */
export function AssessmentTable({ ctx, series }: { ctx: ViewContext; series: Series[] }) {
  const { t } = ctx;
  return html`<${ScrollTable} label=${t("knowledge.assessment.tableTitle")}><table class="kern-table" id="assessment-table">
    <caption class="kern-title">${t("knowledge.assessment.tableTitle")}</caption>
    <thead class="kern-table__header"><tr class="kern-table__row">
      <th class="kern-table__header" scope="col">${t("knowledge.assessment.dimensionColumn")}</th>
      ${series.map((s) => html`<th class="kern-table__header" scope="col">${s.label}</th>`)}
    </tr></thead>
    <tbody class="kern-table__body">${DIMENSIONS.map(
      (d) => html`<tr class="kern-table__row">
        <th class="kern-table__cell" scope="row">${t(`knowledge.dimension.${d}`)}</th>
        ${series.map((s) => html`<td class="kern-table__cell" data-series=${s.key} data-dimension=${d}>${s.scores[d]}</td>`)}
      </tr>`,
    )}</tbody>
  </table><//>`;
}

/** Why a median is missing: fewer than five municipalities take part. */
function PeersHidden({ ctx, peers }: { ctx: ViewContext; peers: Peers }) {
  const { t } = ctx;
  const hidden = [
    !peers.model.medians && t("knowledge.assessment.peersHidden", { group: t("knowledge.assessment.groupModel"), count: peers.model.contributors }),
    !peers.platform.medians && t("knowledge.assessment.peersHidden", { group: t("knowledge.assessment.groupNetwork"), count: peers.platform.contributors }),
  ].filter(Boolean);
  return hidden.length ? html`${hidden.map((line) => html`<p class="kern-body">${line}</p>`)}` : null;
}

/** Each dimension with the latest score and the way to the practices that address it, weakest first. */
function PracticeLinks({ ctx, scores }: { ctx: ViewContext; scores: Scores }) {
  const { t } = ctx;
  const order = [...DIMENSIONS].sort((a, b) => scores[a] - scores[b]);
  return html`<section aria-labelledby="assessment-practices">
    <h2 class="kern-heading-medium" id="assessment-practices">${t("knowledge.assessment.practices")}</h2>
    <p class="kern-body">${t("knowledge.assessment.practicesLead")}</p>
    <ul class="kern-list">
      ${order.map(
        (d) => html`<li>
          <a class="kern-link" href=${`/wissen?dimension=${d}`}>${t("knowledge.assessment.practicesLink", { dimension: t(`knowledge.dimension.${d}`) })}</a>
          <span class="kern-body--small"> – ${t("knowledge.assessment.score", { score: scores[d] })}</span>
        </li>`,
      )}
    </ul>
  </section>`;
}

export function AssessmentPage(p: { ctx: ViewContext; history: AssessmentRecord[]; peers: Peers; canTake: boolean }) {
  const { ctx, history, peers, canTake } = p;
  const { t } = ctx;
  const series = seriesOf(ctx, history, peers);
  const latest = history[0];
  return html`<${Layout} ctx=${ctx} title=${t("knowledge.assessment.title")}>
    <p><a class="kern-link" href="/wissen">${t("knowledge.title")}</a></p>
    <${PageHeading} title=${t("knowledge.assessment.title")} lead=${t("knowledge.assessment.lead")} />
    ${
      canTake &&
      html`<p><a class="kern-btn kern-btn--primary" href="/wissen/selbstcheck/neu"><span class="kern-label">${t(latest ? "knowledge.assessment.retake" : "knowledge.assessment.take")}</span></a></p>`
    }
    ${!latest && html`<p class="kern-body">${t(canTake ? "knowledge.assessment.none" : "knowledge.assessment.noneReader")}</p>`}
    ${
      series.length > 0 &&
      html`<div class="komma-chart-stack">
        <${AssessmentChart} ctx=${ctx} series=${series} />
        <${AssessmentTable} ctx=${ctx} series=${series} />
      </div>`
    }
    <${PeersHidden} ctx=${ctx} peers=${peers} />
    ${
      latest &&
      html`<${PracticeLinks} ctx=${ctx} scores=${latest.scores} />
      <section aria-labelledby="assessment-history">
        <h2 class="kern-heading-medium" id="assessment-history">${t("knowledge.assessment.history")}</h2>
        <ul class="kern-list">
          ${history.map((a) => html`<li><a class="kern-link" href=${`/wissen/selbstcheck/${a.id}`}>${t("knowledge.assessment.open", { date: dateOf(ctx, a.takenAt) })}</a></li>`)}
        </ul>
      </section>`
    }
  <//>`;
}

/** The national level's view: the medians only, with how many municipalities contribute. */
export function AssessmentOverviewPage({ ctx, peers }: { ctx: ViewContext; peers: Peers }) {
  const { t } = ctx;
  const series = seriesOf(ctx, [], peers);
  return html`<${Layout} ctx=${ctx} title=${t("knowledge.assessment.title")}>
    <p><a class="kern-link" href="/wissen">${t("knowledge.title")}</a></p>
    <${PageHeading} title=${t("knowledge.assessment.title")} lead=${t("knowledge.assessment.overviewLead")} />
    ${
      series.length > 0 &&
      html`<div class="komma-chart-stack">
        <${AssessmentChart} ctx=${ctx} series=${series} />
        <${AssessmentTable} ctx=${ctx} series=${series} />
      </div>`
    }
    <${PeersHidden} ctx=${ctx} peers=${peers} />
  <//>`;
}

/** The questionnaire: a section per dimension, a choice per statement. */
export function AssessmentFormPage(p: { ctx: ViewContext; values: Record<string, string>; errors: Record<string, string>; prefilledFrom: Date | null }) {
  const { ctx, values, errors, prefilledFrom } = p;
  const { t } = ctx;
  const levels = LEVELS.map((n) => ({ value: String(n), label: t(`knowledge.assessment.level.${n}`) }));
  return html`<${Layout} ctx=${ctx} title=${t("knowledge.assessment.formTitle")}>
    <p><a class="kern-link" href="/wissen/selbstcheck">${t("knowledge.assessment.back")}</a></p>
    <${PageHeading} title=${t("knowledge.assessment.formTitle")} lead=${t("knowledge.assessment.formLead")} />
    ${prefilledFrom && html`<p class="kern-body">${t("knowledge.assessment.prefilled", { date: dateOf(ctx, prefilledFrom) })}</p>`}
    <form method="post" action="/wissen/selbstcheck/neu" class="komma-questionnaire" novalidate><${CsrfField} ctx=${ctx} />
      <${ErrorSummary} t=${t} errors=${errors} />
      ${DIMENSIONS.map(
        (d: Dimension) => html`<section aria-labelledby=${`dimension-${d}`}>
          <h2 class="kern-heading-medium" id=${`dimension-${d}`}>${t(`knowledge.dimension.${d}`)}</h2>
          ${QUESTIONS[d].map((key) => {
            const field = questionField(d, key);
            return html`<${RadioGroup} name=${field} legend=${t(`knowledge.assessment.q.${d}.${key}`)} error=${errors[field]} value=${values[field]} options=${levels} horizontal />`;
          })}
        </section>`,
      )}
      <div class="komma-actions">
        <${SubmitButton} label=${t("knowledge.assessment.submit")} />
        <a class="kern-link" href="/wissen/selbstcheck">${t("knowledge.assessment.cancel")}</a>
      </div>
    </form>
  <//>`;
}

/** One past self-assessment: every statement with the answer given, and the scores. */
export function AssessmentDetailPage({ ctx, assessment }: { ctx: ViewContext; assessment: AssessmentRecord }) {
  const { t } = ctx;
  const title = t("knowledge.assessment.detailTitle", { date: dateOf(ctx, assessment.takenAt) });
  return html`<${Layout} ctx=${ctx} title=${title}>
    <p><a class="kern-link" href="/wissen/selbstcheck">${t("knowledge.assessment.back")}</a></p>
    <${PageHeading} title=${title} />
    ${DIMENSIONS.map(
      (d) => html`<section aria-labelledby=${`dimension-${d}`}>
        <h2 class="kern-heading-medium" id=${`dimension-${d}`}>${t(`knowledge.dimension.${d}`)}: ${t("knowledge.assessment.score", { score: assessment.scores[d] })}</h2>
        <dl class="kern-description-list">
          ${ALL_QUESTIONS.filter((q) => q.dimension === d).map(
            (q) => html`<div class="kern-description-list-item">
              <dt class="kern-description-list-item__key">${t(`knowledge.assessment.q.${d}.${q.key}`)}</dt>
              <dd class="kern-description-list-item__value">${q.field in assessment.answers ? t(`knowledge.assessment.level.${assessment.answers[q.field]}`) : "–"}</dd>
            </div>`,
          )}
        </dl>
      </section>`,
    )}
  <//>`;
}
