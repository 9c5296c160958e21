import { dateFormat, numberFormat } from "../../platform/i18n/formats.ts";
import { html, ScrollTable, type ViewContext } from "../../platform/ui/html.ts";
import { type Column, ColumnChart } from "./charts.ts";
import { type Figure, shownValue } from "./cube.ts";
import { type Figures, keyShares } from "./figures.ts";
import { periodLabel, shortMonth } from "./period-text.ts";

/*
 * The Lagebild's figures as text and its sections on how affected people felt supported: the
 * headline figure with its trend by quarter, the key figures, and the answers to each feedback
 * question. `views.ts` puts them on the page with the filter and the breakdowns.
 */

export const num = (ctx: ViewContext, n: number, digits = 0) =>
  numberFormat(ctx.lang === "en" ? "en-GB" : "de-DE", { minimumFractionDigits: digits, maximumFractionDigits: digits }).format(n);

/** A figure as text: the number, or the withheld mark with its meaning for screen readers. */
export function Shown({ ctx, figure }: { ctx: ViewContext; figure: Figure }) {
  if ("value" in figure) return num(ctx, figure.value);
  return html`<abbr title=${ctx.t("monitoring.withheldLabel")} class="komma-withheld">${ctx.t("monitoring.withheld")}</abbr>`;
}

export const monthLabel = (ctx: ViewContext, month: string) => shortMonth(ctx.lang, month);

export const monthYear = (ctx: ViewContext, month: string) =>
  dateFormat(ctx.lang === "en" ? "en-GB" : "de-DE", {
    month: "long",
    year: "numeric",
    timeZone: "Europe/Berlin",
  }).format(new Date(`${month.slice(0, 7)}-15T12:00:00Z`));

/** A figure as a chart's column: the number, or "×" over a column marked withheld. */
export const chartColumn = (ctx: ViewContext, f: Figure): Column =>
  "value" in f ? { value: f.value, text: num(ctx, f.value) } : { value: null, text: ctx.t("monitoring.withheld"), withheld: true };

export function Headline({ ctx, f }: { ctx: ViewContext; f: Figures }) {
  const { t } = ctx;
  const s = f.supported;
  const answers = shownValue(s.answers);
  const last = f.supportedLastYear.mean;
  const before = periodLabel(ctx, { quarters: f.lastYearQuarters, filter: { ...f.filter, year: f.filter.year - 1 } });
  return html`<section class="komma-headline kern-card" aria-labelledby="headline-title">
    <div class="kern-card__container"><div class="kern-card__body">
      <h2 class="kern-heading-medium" id="headline-title">${t("monitoring.headline.title")}</h2>
      <p class="kern-body">${t("monitoring.headline.lead")}</p>
      <p class="kern-body kern-body--small">${periodLabel(ctx, f)}</p>
      ${
        f.pending
          ? html`<p class="kern-body" data-figure="supported">${t("monitoring.headline.pendingValue")}</p>`
          : s.mean !== null
            ? html`<p class="komma-headline__value" data-figure="supported"><strong>${t("monitoring.headline.mean", { mean: num(ctx, s.mean, 1) })}</strong></p>`
            : html`<p class="kern-body" data-figure="supported">${
                // Their number withheld: fewer than 5, or withheld for another; 5 or more shown: the mean is withheld for itself or another.
                answers === 0 ? t("monitoring.headline.none") : answers === null ? t("monitoring.headline.tooFew") : t("monitoring.headline.meanWithheld")
              }</p>`
      }
      <p class="kern-body kern-body--small">
        ${f.pending ? "" : `${answers === null ? t("monitoring.headline.answersWithheld") : t("monitoring.headline.answers", { count: answers })} · `}${
          last === null
            ? t(shownValue(f.supportedLastYear.answers) === 0 ? "monitoring.headline.lastYearNone" : "monitoring.headline.lastYearWithheld", { period: before })
            : t("monitoring.headline.lastYear", { period: before, value: t("monitoring.headline.mean", { mean: num(ctx, last, 1) }) })
        }
      </p>
    </div></div>
  </section>
  <div class="komma-chart-pair">
    <${ColumnChart}
      id="trend-title"
      title=${t("monitoring.headline.trendTitle", { year: f.filter.year })}
      labels=${f.supportedByQuarter.map((_, i) => `Q${i + 1}`)}
      scale=${[1, 5]}
      series=${[
        {
          name: t("monitoring.headline.meanColumn"),
          columns: f.supportedByQuarter.map((q) => ({
            value: q.mean,
            text: q.pending
              ? t("monitoring.headline.pending")
              : q.mean !== null
                ? num(ctx, q.mean, 1)
                : // As in the table beside it: the mean is not shown ("–"), whether or not its number of answers is.
                  t("monitoring.headline.noValue"),
          })),
        },
      ]}
    />
    <${ScrollTable} label=${t("monitoring.headline.trendTitle", { year: f.filter.year })}><table class="kern-table kern-table--small">
      <caption class="kern-title">${t("monitoring.headline.trendTitle", { year: f.filter.year })}</caption>
      <thead class="kern-table__header"><tr class="kern-table__row">
        <th class="kern-table__header" scope="col">${t("monitoring.headline.quarter")}</th>
        <th class="kern-table__header kern-table__header--numeric" scope="col">${t("monitoring.headline.meanColumn")}</th>
        <th class="kern-table__header kern-table__header--numeric" scope="col">${t("monitoring.headline.answersColumn")}</th>
      </tr></thead>
      <tbody class="kern-table__body">${f.supportedByQuarter.map(
        (q, i) => html`<tr class="kern-table__row">
          <th class="kern-table__cell" scope="row">${t("monitoring.filter.quarterN", { n: i + 1 })}</th>
          ${
            q.pending
              ? html`<td class="kern-table__cell kern-table__cell--numeric" colspan="2">${t("monitoring.headline.pending")}</td>`
              : html`<td class="kern-table__cell kern-table__cell--numeric">${q.mean === null ? t("monitoring.headline.noValue") : num(ctx, q.mean, 1)}</td>
          <td class="kern-table__cell kern-table__cell--numeric"><${Shown} ctx=${ctx} figure=${q.answers} /></td>`
          }
        </tr>`,
      )}</tbody>
    </table><//>
  </div>
  <p class="kern-body kern-body--small">${t("monitoring.headline.noValueNote")}</p>`;
}

export function KeyFigures({ ctx, f }: { ctx: ViewContext; f: Figures }) {
  const { t } = ctx;
  const { inTime, filedInTime, decided } = keyShares(f);
  const closed = shownValue(f.closed);
  const inTimeValue = shownValue(inTime);
  // A withheld figure beside shown ones (incidents "×", 38 closed cases) says why where it stands, not only in the legend.
  const anyWithheld = [f.incidents, f.closed, inTime, filedInTime].some((x) => !("value" in x));
  return html`<dl class="komma-key-figures">
    <div><dt>${t("monitoring.key.incidents")}</dt><dd data-figure="incidents"><${Shown} ctx=${ctx} figure=${f.incidents} /></dd></div>
    <div><dt>${t("monitoring.key.closed")}</dt><dd data-figure="closed"><${Shown} ctx=${ctx} figure=${f.closed} /></dd></div>
    <div><dt>${t("monitoring.key.inTime")} <span class="kern-body--small">${t("monitoring.key.inTimeHint")}</span></dt><dd data-figure="in-time">${
      inTimeValue === null || closed === null
        ? html`<${Shown} ctx=${ctx} figure=${{ withheld: "secondary" }} />`
        : closed === 0
          ? "–"
          : html`${t("monitoring.key.share", { share: num(ctx, (100 * inTimeValue) / closed) })} <span class="kern-body--small">(${t("monitoring.key.inTimeOf", { count: num(ctx, inTimeValue), total: num(ctx, closed) })})</span>`
    }</dd></div>
    <div><dt>${t("monitoring.key.strafantrag")} <span class="kern-body--small">${t("monitoring.key.strafantragHint")}</span></dt><dd data-figure="strafantrag-in-time">${
      decided === 0
        ? // A 0 would read as Strafanträge missed: none was decided.
          html`0 <span class="kern-body--small">(${t("monitoring.key.strafantragNone")})</span>`
        : shownValue(filedInTime) === null
          ? html`<${Shown} ctx=${ctx} figure=${filedInTime} />`
          : decided === null
            ? html`<${Shown} ctx=${ctx} figure=${filedInTime} /> <span class="kern-body--small">(${t("monitoring.key.strafantragOfWithheld")})</span>`
            : // As a share, like the first reaction beside it: a bare count read as a percentage there.
              html`${t("monitoring.key.share", { share: num(ctx, (100 * (shownValue(filedInTime) as number)) / decided) })} <span class="kern-body--small">(${t(
                "monitoring.key.strafantragShareOf",
                { count: num(ctx, shownValue(filedInTime) as number), total: num(ctx, decided) },
              )})</span>`
    }</dd></div>
  </dl>
  ${anyWithheld && html`<p class="kern-body kern-body--small" data-withheld-note>${t("monitoring.key.withheldNote")}</p>`}`;
}

/** The answers to each feedback question in the period. */
export function FeedbackTable({ ctx, f }: { ctx: ViewContext; f: Figures }) {
  const { t } = ctx;
  return html`<h2 class="kern-heading-medium">${t("monitoring.feedback.title")}</h2>
    <p class="kern-body">${t("monitoring.feedback.lead")}</p>
    <${ScrollTable} label=${t("monitoring.feedback.title")}><table class="kern-table kern-table--small" data-table="feedback">
      <thead class="kern-table__header"><tr class="kern-table__row">
        <th class="kern-table__header" scope="col">${t("monitoring.feedback.question")}</th>
        <th class="kern-table__header kern-table__header--numeric" scope="col">${t("monitoring.headline.meanColumn")}</th>
        <th class="kern-table__header kern-table__header--numeric" scope="col">${t("monitoring.headline.answersColumn")}</th>
      </tr></thead>
      <tbody class="kern-table__body">${f.feedback.map(
        (q) => html`<tr class="kern-table__row"><th class="kern-table__cell" scope="row">${t(`monitoring.code.feedback.${q.question}`)}</th>
          <td class="kern-table__cell kern-table__cell--numeric">${q.mean === null ? t("monitoring.headline.noValue") : num(ctx, q.mean, 1)}</td>
          <td class="kern-table__cell kern-table__cell--numeric"><${Shown} ctx=${ctx} figure=${q.answers} /></td></tr>`,
      )}</tbody>
    </table><//>`;
}
