import { html, Layout, PageHeading, ScrollTable, type ViewContext } from "../../platform/ui/html.ts";
import { LAENDER, LAENDER_CODES } from "../../platform/vocabulary.ts";
import { ColumnChart, marksWithheld, ShareBar } from "./charts.ts";
import { byShown, everyAnswerWithheld, noneAnswered, shownValue } from "./cube.ts";
import { DIMENSIONS } from "./dimensions.ts";
import { chartColumn, FeedbackTable, Headline, KeyFigures, monthLabel, monthYear, num, Shown } from "./figure-views.ts";
import { BREAKDOWNS, type Breakdown, everyCategoryWithheld, type Figures, KIND_SCOPES, manyWithheld, nothingCounted, scopeName } from "./figures.ts";
import { pendingText, periodLabel, releaseText } from "./period-text.ts";
import { PMK_MAPPINGS, pmkSourceList } from "./pmk.ts";
import { COUNTRY } from "./relations.ts";

/*
 * The Lagebild page: a filter (a GET form, so it works without JavaScript), the headline figure
 * (did affected people feel supported), key figures, incidents by month, and a breakdown per
 * category. Every chart is an SVG drawn on the server, with the table of its figures beside it:
 * screen readers read the table, the chart is marked as an image with its title.
 */

function BreakdownTable({ ctx, b, explained }: { ctx: ViewContext; b: Breakdown; explained: boolean }) {
  const { t } = ctx;
  const total = shownValue(b.total);
  const rows = byShown(b.rows);
  const title = t(`monitoring.dimension.${b.dimension}`);
  const multi = DIMENSIONS[b.dimension].kind === "multi";
  // The share in words and as a bar; none where the figure or its total is withheld (an empty bar would read as 0 %).
  const share = (value: number | null) =>
    value === null || !total
      ? t("monitoring.headline.noValue")
      : html`<${ShareBar} value=${value} total=${total} /><span class="komma-share-text">${t("monitoring.key.share", { share: num(ctx, Math.round((100 * value) / total)) })}</span>`;
  // Where every category with cases is withheld (a municipality's few cases), say so first; the table stays a click away.
  const allWithheld = everyCategoryWithheld(b);
  const table = html`<${ScrollTable} label=${title}><table class="kern-table kern-table--small" data-dimension=${b.dimension}>
      <thead class="kern-table__header"><tr class="kern-table__row">
        <th class="kern-table__header" scope="col">${t("monitoring.column.category")}</th>
        <th class="kern-table__header kern-table__header--numeric" scope="col">${t("monitoring.column.count")}</th>
        <th class="kern-table__header" scope="col">${t("monitoring.column.share")}</th>
      </tr></thead>
      <tbody class="kern-table__body">${rows.map(
        (r) => html`<tr class="kern-table__row" data-code=${r.code}>
          <th class="kern-table__cell" scope="row">${t(`monitoring.code.${b.dimension}.${r.code}`, { defaultValue: r.code })}</th>
          <td class="kern-table__cell kern-table__cell--numeric"><${Shown} ctx=${ctx} figure=${r.figure} /></td>
          <td class="kern-table__cell">${share(shownValue(r.figure))}</td>
        </tr>`,
      )}</tbody>
    </table><//>`;
  return html`<section class="komma-breakdown" aria-labelledby=${`b-${b.dimension}`}>
    <h3 class="kern-heading-small" id=${`b-${b.dimension}`}>${title}</h3>
    ${
      allWithheld
        ? html`<p class="kern-body" data-all-withheld>${t(explained ? "monitoring.allWithheldAgain" : "monitoring.allWithheld")}</p>
          <details class="komma-details"><summary class="kern-body">${t("monitoring.showCategories")}</summary>${table}</details>`
        : table
    }
    <p class="kern-body kern-body--small">${t("monitoring.totalOf", { total: total === null ? t("monitoring.withheld") : num(ctx, total) })}${multi ? ` · ${t("monitoring.multiNote")}` : ""}${
      // Sorted by the figures shown: a withheld one stands below them, whatever it hides.
      rows.some((r) => !("value" in r.figure)) && !allWithheld ? ` · ${t("monitoring.withheldBelow")}` : ""
    }</p>
  </section>`;
}

/**
 * Which motives each PMK term counts, from the mapping in force: an Unterthemenfeld often gathers
 * several motives ("rassistisch": racist, anti-Black, anti-Asian), so it is larger than the motive
 * of the same name, and a case naming two of them counts in it once.
 */
function PmkSources({ ctx }: { ctx: ViewContext }) {
  const { t } = ctx;
  return html`<details class="komma-details" data-pmk-sources><summary class="kern-body">${t("monitoring.pmk.sources")}</summary>
    <p class="kern-body">${t("monitoring.pmk.sourcesLead")}</p>
    <ul class="kern-list">
      ${pmkSourceList(PMK_MAPPINGS[PMK_MAPPINGS.length - 1]).map(
        (s) =>
          html`<li><strong>${t(`monitoring.code.${s.dimension}.${s.code}`)}</strong>: ${s.motives.map((c) => t(`monitoring.code.motive.${c}`)).join(", ")}</li>`,
      )}
    </ul>
  </details>`;
}

function FilterForm({ ctx, f, national, years }: { ctx: ViewContext; f: Figures; national: boolean; years: number[] }) {
  const { t } = ctx;
  const select = (name: string, label: string, value: string, options: { value: string; label: string }[]) =>
    html`<div class="kern-form-input"><label class="kern-label" for=${`filter-${name}`}>${label}</label>
      <div class="kern-form-input__select-wrapper"><select class="kern-form-input__select" id=${`filter-${name}`} name=${name}>
        ${options.map((o) => html`<option value=${o.value} selected=${o.value === value}>${o.label}</option>`)}
      </select></div></div>`;
  return html`<form method="get" action="/lagebild" class="komma-filter">
    <fieldset class="kern-fieldset">
      <legend class="kern-label">${t(national ? "monitoring.filter.legend" : "monitoring.filter.legendOwn")}</legend>
      <p class="kern-hint">${t(national ? "monitoring.filter.hint" : "monitoring.filter.hintOwn")}</p>
      ${national && html`<p class="kern-hint">${t("monitoring.filter.kindsHint")}</p>`}
      <div class="komma-filter__fields">
        ${select(
          "jahr",
          t("monitoring.filter.year"),
          String(f.filter.year),
          years.map((y) => ({ value: String(y), label: String(y) })),
        )}
        ${select("quartal", t("monitoring.filter.quarter"), String(f.filter.quarter), [
          { value: "0", label: t("monitoring.filter.wholeYear") },
          ...[1, 2, 3, 4].map((n) => ({ value: String(n), label: t("monitoring.filter.quarterN", { n }) })),
        ])}
        ${
          national &&
          select("gebiet", t("monitoring.filter.scope"), f.filter.scope, [
            { value: COUNTRY, label: t("monitoring.filter.country") },
            ...KIND_SCOPES.map((k) => ({ value: k, label: t(`monitoring.filter.kinds.${k}`) })),
            ...LAENDER_CODES.map((code) => ({ value: code, label: LAENDER[code] })).sort((a, b) => a.label.localeCompare(b.label, "de")),
          ])
        }
      </div>
      <button class="kern-btn kern-btn--secondary" type="submit"><span class="kern-label">${t("monitoring.filter.show")}</span></button>
    </fieldset>
  </form>`;
}

/** Training reach, strategy progress and knowledge transfer across municipalities. */
function ActivitySection({ ctx, a, own }: { ctx: ViewContext; a: NonNullable<Figures["activity"]>; own: boolean }) {
  const { t } = ctx;
  /** `withheld`: why every figure of the table is withheld, said before it; the table stays a click away. */
  const table = (id: string, title: string, head: string[], rows: { label: string; cells: unknown[] }[], withheld?: string) => {
    const grid = html`<${ScrollTable} label=${title}><table class="kern-table kern-table--small" data-table=${id}>
        <thead class="kern-table__header"><tr class="kern-table__row">${head.map((h, i) => html`<th class=${`kern-table__header${i > 0 ? " kern-table__header--numeric" : ""}`} scope="col">${h}</th>`)}</tr></thead>
        <tbody class="kern-table__body">${rows.map(
          (r) =>
            html`<tr class="kern-table__row"><th class="kern-table__cell" scope="row">${r.label}</th>${r.cells.map((c) => html`<td class="kern-table__cell kern-table__cell--numeric">${c}</td>`)}</tr>`,
        )}</tbody>
      </table><//>`;
    return html`<section class="komma-breakdown" aria-labelledby=${id}>
      <h3 class="kern-heading-small" id=${id}>${title}</h3>
      ${
        rows.length === 0
          ? html`<p class="kern-body">${t("monitoring.activity.none")}</p>`
          : withheld
            ? html`<p class="kern-body" data-all-withheld>${withheld}</p>
          <details class="komma-details"><summary class="kern-body">${t("monitoring.showTable")}</summary>${grid}</details>`
            : grid
      }
    </section>`;
  };
  return html`<h2 class="kern-heading-medium">${t("monitoring.activity.title")}</h2>
    <p class="kern-body">${t(own ? "monitoring.activity.leadOwn" : "monitoring.activity.lead")}</p>
    <dl class="komma-key-figures"><div><dt>${t("monitoring.activity.adoptions")}</dt><dd data-figure="adoptions"><${Shown} ctx=${ctx} figure=${a.adoptions} /></dd></div></dl>
    <p class="kern-body kern-body--small">${t(own ? "monitoring.activity.notesOwn" : "monitoring.activity.notes")}</p>
    <div class="komma-breakdowns">
      ${table(
        "activity-reach",
        t("monitoring.activity.reach"),
        [t("monitoring.activity.role"), t("monitoring.activity.people")],
        byShown(a.reach).map((r) => ({
          label: t(`monitoring.code.training_reach.${r.code}`, { defaultValue: r.code }),
          cells: [html`<${Shown} ctx=${ctx} figure=${r.figure} />`],
        })),
      )}
      ${table(
        "activity-topics",
        t("monitoring.activity.topics"),
        [t("monitoring.activity.topic"), t("monitoring.activity.people")],
        byShown(a.topics).map((r) => ({
          label: t(`trainings.topic.${r.code}`, { defaultValue: r.code }),
          cells: [html`<${Shown} ctx=${ctx} figure=${r.figure} />`],
        })),
      )}
      ${
        own
          ? table(
              "activity-strategy",
              a.assessedIn ? t("monitoring.activity.strategyOwn", { month: monthYear(ctx, a.assessedIn) }) : t("monitoring.activity.strategyOwnNone"),
              [t("monitoring.activity.field"), t("monitoring.activity.score")],
              a.strategy.map((r) => ({
                label: t(`knowledge.dimension.${r.code}`, { defaultValue: r.code }),
                cells: [r.mean === null ? t("monitoring.headline.noValue") : num(ctx, r.mean)],
              })),
            )
          : table(
              "activity-strategy",
              t("monitoring.activity.strategy"),
              [t("monitoring.activity.field"), t("monitoring.activity.meanScore"), t("monitoring.activity.municipalities")],
              (noneAnswered(a.strategy) ? [] : a.strategy).map((r) => ({
                label: t(`knowledge.dimension.${r.code}`, { defaultValue: r.code }),
                cells: [r.mean === null ? t("monitoring.headline.noValue") : num(ctx, r.mean, 1), html`<${Shown} ctx=${ctx} figure=${r.answers} />`],
              })),
              // Self-assessments are few and spread over the Länder: often none of them can be shown.
              everyAnswerWithheld(a.strategy) ? t("monitoring.activity.strategyWithheld") : undefined,
            )
      }
    </div>`;
}

export function LagebildPage({
  ctx,
  figures: f,
  national,
  years,
  query,
  adjusted = false,
}: {
  ctx: ViewContext;
  figures: Figures;
  national: boolean;
  years: number[];
  query: string;
  /** The filter asked for is not what is shown: an area a municipality's own figures do not have, or another year or period. */
  adjusted?: false | "period" | "area";
}) {
  const { t } = ctx;
  const period = periodLabel(ctx, f);
  const pending = pendingText(ctx, f);
  const pmk = PMK_MAPPINGS[PMK_MAPPINGS.length - 1];
  const groups: { title?: string; lead?: string; more?: unknown; dims: Breakdown["dimension"][] }[] = [
    { dims: ["form", "motive", "place", "function", "channel"] },
    {
      title: t("monitoring.pmk.title"),
      lead: t("monitoring.pmk.lead", { version: pmk.version, from: pmk.validFrom.slice(0, 7) }),
      more: html`<${PmkSources} ctx=${ctx} />`,
      dims: ["pmk_area", "pmk_hate", "pmk_target"],
    },
    { title: t("monitoring.closing.title"), lead: t("monitoring.closing.lead"), dims: ["level", "response", "strafantrag", "measure", "outcome"] },
  ];
  const byDim = new Map(f.breakdowns.map((b) => [b.dimension, b]));
  // Why every category is withheld is said at the first breakdown where it is so (the breakdowns stand in their order); the later ones say it again in a line.
  const firstAllWithheld = f.breakdowns.findIndex(everyCategoryWithheld);
  const explainedBefore = (d: Breakdown["dimension"]) => firstAllWithheld >= 0 && BREAKDOWNS.indexOf(d) > firstAllWithheld;
  const nothing = nothingCounted(f);
  // The legend explains the chart's hatched mark where the months' chart draws one.
  const hatched = !nothing && marksWithheld(f.months.flatMap((m) => [chartColumn(ctx, m.figure), chartColumn(ctx, m.closed)]));
  // Named with the area wherever a page may be printed or passed on: "2. Quartal 2026 · Bremen".
  const shownAs = national ? `${period} · ${scopeName(ctx.t, f.filter.scope, "")}` : period;
  return html`<${Layout} ctx=${ctx} title=${`${t("monitoring.title")} ${shownAs}`}>
    <${PageHeading} title=${t("monitoring.title")} lead=${t(national ? "monitoring.leadNational" : "monitoring.leadMunicipal")} />
    ${
      adjusted &&
      html`<div class="kern-alert kern-alert--info" role="status"><div class="kern-alert__header"><span class="kern-icon kern-icon--info" aria-hidden="true"></span>
        <p class="kern-title">${t(adjusted === "area" ? "monitoring.filter.adjustedOwn" : "monitoring.filter.adjusted", { shown: shownAs })}</p></div></div>`
    }
    <${FilterForm} ctx=${ctx} f=${f} national=${national} years=${years} />
    ${
      !f.unpublished &&
      html`<details class="komma-details kern-body--small" data-legend><summary class="kern-link">${t("monitoring.legendShort")}</summary>
      <p class="kern-body kern-body--small">${t("monitoring.legend")}${hatched ? ` ${t("monitoring.legendChart")}` : ""} ${t(national ? "monitoring.legendShare" : "monitoring.legendOwn")}</p>
    </details>`
    }
    <p class="kern-body kern-body--small" data-release>${releaseText(ctx, f.release, !national)}${f.releasing ? ` ${t("monitoring.release.underWay")}` : ""}</p>
    ${
      pending &&
      html`<div class="kern-alert kern-alert--info" data-pending><div class="kern-alert__header"><span class="kern-icon kern-icon--info" aria-hidden="true"></span>
        <p class="kern-title">${pending.title}</p></div><div class="kern-alert__body"><p class="kern-body">${pending.text}</p></div></div>`
    }
    ${
      // While the first release is being made, the line above says so: "no figures yet" beside it would only repeat it.
      (f.unpublished || nothing) && !f.releasing && html`<p class="kern-body" data-empty>${t("monitoring.empty")}</p>`
    }
    ${
      !f.unpublished &&
      !f.pending &&
      !nothing &&
      manyWithheld(f) &&
      html`<div class="kern-alert kern-alert--info" data-mostly-withheld><div class="kern-alert__header"><span class="kern-icon kern-icon--info" aria-hidden="true"></span>
        <p class="kern-title">${t("monitoring.mostlyWithheld.title")}</p></div><div class="kern-alert__body"><p class="kern-body">${t("monitoring.mostlyWithheld.text")}${
          f.filter.quarter !== 0
            ? ` ${t("monitoring.mostlyWithheld.wholeYear")}`
            : national && f.filter.scope !== COUNTRY
              ? ` ${t("monitoring.mostlyWithheld.largerArea")}`
              : ""
        }</p></div></div>`
    }
    ${
      // National figures not released yet (`unpublished`): no figure, table or download, only the notice above.
      !f.unpublished &&
      html`<${Headline} ctx=${ctx} f=${f} />
    <h2 class="kern-heading-medium">${shownAs}</h2>
    ${!f.pending && !nothing && html`<${KeyFigures} ctx=${ctx} f=${f} />`}
    ${
      !nothing &&
      // The months reach past the quarters summed above (those of the quarter under way): the heading names their year.
      html`<h3 class="kern-heading-small">${t("monitoring.months.title")} · ${periodLabel(ctx, { ...f, quarters: 4 })}</h3>
    ${f.months.length === 0 && html`<p class="kern-body">${t("monitoring.months.none")}</p>`}
    ${
      f.months.length > 0 &&
      html`<div class="komma-chart-pair">
      <${ColumnChart}
        id="months-title"
        title=${t("monitoring.months.chart", { period: periodLabel(ctx, { ...f, quarters: 4 }) })}
        labels=${f.months.map((m) => monthLabel(ctx, m.month))}
        series=${[
          { name: t("monitoring.months.count"), columns: f.months.map((m) => chartColumn(ctx, m.figure)) },
          { name: t("monitoring.months.closed"), columns: f.months.map((m) => chartColumn(ctx, m.closed)) },
        ]}
      />
      <${ScrollTable} label=${t("monitoring.months.title")}><table class="kern-table kern-table--small" data-table="months">
        <thead class="kern-table__header"><tr class="kern-table__row">
          <th class="kern-table__header" scope="col">${t("monitoring.months.month")}</th>
          <th class="kern-table__header kern-table__header--numeric" scope="col">${t("monitoring.months.count")}</th>
          <th class="kern-table__header kern-table__header--numeric" scope="col">${t("monitoring.months.closed")}</th>
        </tr></thead>
        <tbody class="kern-table__body">${f.months.map(
          (m) => html`<tr class="kern-table__row"><th class="kern-table__cell" scope="row">${monthLabel(ctx, m.month)} ${m.month.slice(0, 4)}</th>
            <td class="kern-table__cell kern-table__cell--numeric"><${Shown} ctx=${ctx} figure=${m.figure} /></td>
            <td class="kern-table__cell kern-table__cell--numeric"><${Shown} ctx=${ctx} figure=${m.closed} /></td></tr>`,
        )}</tbody>
      </table><//>
    </div>`
    }`
    }
    ${
      !f.pending &&
      !nothing &&
      groups.map(
        (g) => html`${g.title && html`<h2 class="kern-heading-medium">${g.title}</h2>`}${g.lead && html`<p class="kern-body">${g.lead}</p>`}${g.more}
        <div class="komma-breakdowns">${g.dims
          .filter((d) => BREAKDOWNS.includes(d))
          .map((d) => html`<${BreakdownTable} ctx=${ctx} b=${byDim.get(d)} explained=${explainedBefore(d)} />`)}</div>`,
      )
    }
    ${!f.pending && html`<${FeedbackTable} ctx=${ctx} f=${f} />`}
    ${f.activity && html`<${ActivitySection} ctx=${ctx} a=${f.activity} own=${!national} />`}
    <h2 class="kern-heading-medium">${t("monitoring.export.title")}</h2>
    <p class="kern-body">${t("monitoring.export.hint")}</p>
    <ul class="kern-list">
      <li><a class="kern-link" href=${`/lagebild/zahlen.csv${query}`} download>${t("monitoring.export.csv")}</a></li>
      <li><a class="kern-link" href=${`/lagebild/zahlen.json${query}`}>${t("monitoring.export.json")}</a></li>
      <li><a class="kern-link" href=${`/lagebild/jahresbericht.pdf${query}`} download>${t("monitoring.export.pdf", { year: f.filter.year })}</a></li>
    </ul>`
    }
  <//>`;
}
