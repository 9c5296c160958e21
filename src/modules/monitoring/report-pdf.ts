import { berlinDate } from "../../platform/calendar.ts";
import { dateFormat, numberFormat } from "../../platform/i18n/formats.ts";
import type { Translate } from "../../platform/i18n/i18n.ts";
import { type FlowBlock, renderFlow } from "../../platform/pdf/flow.ts";
import { drawsChart, marksWithheld } from "./charts.ts";
import { byShown, everyAnswerWithheld, type Figure, noneAnswered } from "./cube.ts";
import { DIMENSIONS } from "./dimensions.ts";
import { everyCategoryWithheld, type Figures, keyShares, manyWithheld, nothingCounted, scopeName } from "./figures.ts";
import { pendingText, periodLabel, releaseText, shortMonth } from "./period-text.ts";
import { PMK_MAPPINGS, pmkSourceList } from "./pmk.ts";
import { COUNTRY, OWN } from "./relations.ts";

/*
 * The yearly report as a tagged PDF: the same figures as the page for the year (withheld the
 * same way), each chart as a figure with its description and its table after it. Laid out in a
 * worker thread like every longer document.
 */

const GREY = "#4b5563";

export function yearlyReportPdf(p: { t: Translate; lang: string; figures: Figures; tenantName: string; createdAt: Date }): Promise<Buffer> {
  const { t, lang, figures: f } = p;
  const locale = lang === "en" ? "en-GB" : "de-DE";
  const n = (x: number, digits = 0) => numberFormat(locale, { minimumFractionDigits: digits, maximumFractionDigits: digits }).format(x);
  const shown = (x: Figure) => ("value" in x ? n(x.value) : t("monitoring.withheld"));
  const mean = (m: number | null, digits = 1) => (m === null ? t("monitoring.headline.noValue") : n(m, digits));
  const month = (m: string) => shortMonth(lang, m);
  const scope = scopeName(t, f.filter.scope, p.tenantName);
  const title = t("monitoring.report.title", { year: f.filter.year, scope });
  // The year still running: its figures are not final.
  const running = String(f.filter.year) === berlinDate(p.createdAt).slice(0, 4);
  const h2 = (text: string, room = 80): FlowBlock => ({ type: "H2", text, style: { size: 13, bold: true, after: 4 }, room });
  const h3 = (text: string): FlowBlock => ({ type: "H3", text, style: { size: 11, bold: true, after: 3 }, room: 60 });
  const table = (head: string[], rows: string[][], after = 10): FlowBlock => ({ type: "Table", head, rows, style: { size: 9.5, after } });
  const note = (text: string, after = 8): FlowBlock => ({ type: "P", text, style: { size: 9, color: GREY, after } });
  const pending = pendingText({ t, lang }, f);
  // What stands at the page's top stands at the report's: the year waiting for its first quarter, or a report mostly "×".
  const notices = [
    ...(pending ? [`${pending.title}. ${pending.text}`] : []),
    ...(!f.pending && !nothingCounted(f) && manyWithheld(f)
      ? [
          `${t("monitoring.mostlyWithheld.title")}. ${t("monitoring.mostlyWithheld.text")}${
            f.filter.scope !== OWN && f.filter.scope !== COUNTRY ? ` ${t("monitoring.mostlyWithheld.largerArea")}` : ""
          }`,
        ]
      : []),
  ];
  const { inTime, filedInTime, decided } = keyShares(f);
  const share = (part: Figure, whole: number | null) =>
    !("value" in part) || whole === null
      ? t("monitoring.withheld")
      : whole === 0
        ? "–"
        : `${t("monitoring.key.share", { share: n((100 * part.value) / whole) })} (${t("monitoring.key.inTimeOf", { count: n(part.value), total: n(whole) })})`;
  const monthMarks = f.months.flatMap((m) => [m.figure, m.closed].map((x) => ("value" in x ? { value: x.value } : { value: null, withheld: true })));
  const drawn = drawsChart(monthMarks);
  const blocks: FlowBlock[] = [
    { type: "H1", text: title, style: { size: 18, bold: true, after: 4 } },
    {
      type: "P",
      text: t(running ? "monitoring.report.preliminary" : "monitoring.report.made", {
        date: dateFormat(locale, { dateStyle: "long", timeZone: "Europe/Berlin" }).format(p.createdAt),
      }),
      style: { size: 9.5, color: GREY, after: 4 },
    },
    { type: "P", text: releaseText({ t, lang }, f.release, f.filter.scope === OWN), style: { size: 9.5, color: GREY, after: 4 } },
    {
      type: "P",
      text: `${t("monitoring.legend")}${marksWithheld(monthMarks) ? ` ${t("monitoring.legendChart")}` : ""}${f.filter.scope === OWN ? "" : ` ${t("monitoring.legendShare")}`}`,
      style: { size: 9.5, color: GREY, after: 4 },
    },
    // The report is read without the page: what a "–" for a mean stands for, too.
    { type: "P", text: t("monitoring.headline.noValueNote"), style: { size: 9.5, color: GREY, after: notices.length > 0 ? 4 : 12 } },
    ...notices.map((text, i): FlowBlock => ({ type: "P", text, style: { size: 10, bold: true, after: i === notices.length - 1 ? 12 : 4 } })),
    h2(t("monitoring.headline.title")),
    { type: "P", text: t("monitoring.headline.lead"), style: { size: 10, after: 4 } },
    { type: "P", text: periodLabel({ t, lang }, f), style: { size: 10, after: 2 } },
    {
      type: "P",
      text: f.pending
        ? t("monitoring.headline.pendingValue")
        : "value" in f.supported.answers && f.supported.answers.value === 0
          ? t("monitoring.headline.none")
          : `${f.supported.mean === null ? t("monitoring.headline.tooFew") : t("monitoring.headline.mean", { mean: n(f.supported.mean, 1) })} · ${
              "value" in f.supported.answers ? t("monitoring.headline.answers", { count: f.supported.answers.value }) : t("monitoring.headline.answersWithheld")
            }`,
      style: { size: 12, bold: true, after: 6 },
    },
    table(
      [t("monitoring.headline.quarter"), t("monitoring.headline.meanColumn"), t("monitoring.headline.answersColumn")],
      f.supportedByQuarter.map((q, i) =>
        q.pending
          ? [t("monitoring.filter.quarterN", { n: i + 1 }), t("monitoring.headline.pending"), t("monitoring.headline.pending")]
          : [t("monitoring.filter.quarterN", { n: i + 1 }), mean(q.mean), shown(q.answers)],
      ),
    ),
    {
      type: "P",
      text:
        f.supportedLastYear.mean === null
          ? t(
              "value" in f.supportedLastYear.answers && f.supportedLastYear.answers.value === 0
                ? "monitoring.headline.lastYearNone"
                : "monitoring.headline.lastYearWithheld",
              {
                period: periodLabel({ t, lang }, { quarters: f.lastYearQuarters, filter: { ...f.filter, year: f.filter.year - 1 } }),
              },
            )
          : t("monitoring.headline.lastYear", {
              period: periodLabel({ t, lang }, { quarters: f.lastYearQuarters, filter: { ...f.filter, year: f.filter.year - 1 } }),
              value: t("monitoring.headline.mean", { mean: n(f.supportedLastYear.mean, 1) }),
            }),
      style: { size: 10, after: 10 },
    },
    ...(f.pending
      ? []
      : [
          h2(`${t("monitoring.key.incidents")} · ${periodLabel({ t, lang }, f)}`),
          table(
            [t("monitoring.column.category"), t("monitoring.column.count")],
            [
              [t("monitoring.key.incidents"), shown(f.incidents)],
              [t("monitoring.key.closed"), shown(f.closed)],
              [t("monitoring.key.inTime"), share(inTime, "value" in f.closed ? f.closed.value : null)],
              [
                t("monitoring.key.strafantrag"),
                decided === 0
                  ? `0 (${t("monitoring.key.strafantragNone")})`
                  : !("value" in filedInTime)
                    ? shown(filedInTime)
                    : decided === null
                      ? `${shown(filedInTime)} (${t("monitoring.key.strafantragOfWithheld")})`
                      : `${t("monitoring.key.share", { share: n((100 * filedInTime.value) / decided) })} (${t("monitoring.key.strafantragShareOf", { count: n(filedInTime.value), total: n(decided) })})`,
              ],
            ],
            2,
          ),
          note(
            `${t("monitoring.key.inTime")} ${t("monitoring.key.inTimeHint")}. ${t("monitoring.key.strafantrag")} ${t("monitoring.key.strafantragHint")}.`,
            10,
          ),
        ]),
    // The heading stays with its chart (a page does not end between them); a chart mostly withheld is left to its table, as on the page.
    h2(t("monitoring.months.title"), drawn ? 220 : 80),
    ...(f.months.length === 0
      ? [{ type: "P" as const, text: t("monitoring.months.none"), style: { size: 10.5, after: 6 } }]
      : [
          ...(drawn
            ? [
                {
                  type: "Columns" as const,
                  labels: f.months.map((m) => month(m.month)),
                  series: [
                    { name: t("monitoring.months.count"), values: f.months.map((m) => ("value" in m.figure ? m.figure.value : null)) },
                    { name: t("monitoring.months.closed"), values: f.months.map((m) => ("value" in m.closed ? m.closed.value : null)) },
                  ],
                  alt: t("monitoring.months.chart", { period: String(f.filter.year) }),
                  style: { size: 8, after: 8 },
                },
              ]
            : []),
          table(
            [t("monitoring.months.month"), t("monitoring.months.count"), t("monitoring.months.closed")],
            f.months.map((m) => [`${month(m.month)} ${m.month.slice(0, 4)}`, shown(m.figure), shown(m.closed)]),
          ),
        ]),
  ];
  const pmk = PMK_MAPPINGS[PMK_MAPPINGS.length - 1];
  // As on the page: why every category is withheld is said at the first breakdown where it is so, the later ones say it in a line.
  let explained = false;
  for (const b of f.pending ? [] : f.breakdowns) {
    if (b.dimension === "pmk_area") {
      blocks.push(h2(t("monitoring.pmk.title")));
      blocks.push({ type: "P", text: t("monitoring.pmk.lead", { version: pmk.version, from: pmk.validFrom.slice(0, 7) }), style: { size: 10, after: 6 } });
      // Which motives each term counts, as the page lists them: an Unterthemenfeld is larger than the motive of its name.
      blocks.push({ type: "P", text: `${t("monitoring.pmk.sources")} ${t("monitoring.pmk.sourcesLead")}`, style: { size: 9.5, after: 3 } });
      blocks.push({
        type: "L",
        items: pmkSourceList(pmk).map((s) => ({
          text: `${t(`monitoring.code.${s.dimension}.${s.code}`)}: ${s.motives.map((c) => t(`monitoring.code.motive.${c}`)).join(", ")}`,
          style: { size: 9.5, after: 1 },
        })),
      });
    }
    if (b.dimension === "level") {
      blocks.push(h2(t("monitoring.closing.title")));
      blocks.push({ type: "P", text: t("monitoring.closing.lead"), style: { size: 10, after: 6 } });
    }
    // A breakdown of a dozen rows stays on one page with its heading and its total (a longer one may break).
    blocks.push({
      type: "H3",
      text: t(`monitoring.dimension.${b.dimension}`),
      style: { size: 11, bold: true, after: 3 },
      room: Math.min(320, 40 + (b.rows.length + 2) * 15),
    });
    const label = (code: string) => t(`monitoring.code.${b.dimension}.${code}`, { defaultValue: code });
    if (everyCategoryWithheld(b)) {
      // Not a table of "×" and 0 (the page keeps it a click away): the reason, and which categories have cases.
      blocks.push(note(t(explained ? "monitoring.allWithheldAgain" : "monitoring.allWithheld"), 2));
      // By name, apart by semicolons: a category's name may hold a comma ("Belästigung, Nachstellung").
      const list = (withheld: boolean) =>
        b.rows
          .filter((r) => "value" in r.figure !== withheld)
          .map((r) => label(r.code))
          .sort((x, y) => x.localeCompare(y, locale))
          .join("; ");
      const none = list(false);
      blocks.push({
        type: "P",
        text: [t("monitoring.report.withheldCategories", { list: list(true) }), ...(none ? [t("monitoring.report.noneCategories", { list: none })] : [])].join(
          " ",
        ),
        style: { size: 9.5, after: 2 },
      });
      explained = true;
    } else
      blocks.push(
        table(
          [t("monitoring.column.category"), t("monitoring.column.count")],
          byShown(b.rows).map((r) => [label(r.code), shown(r.figure)]),
          2,
        ),
      );
    // What the codes add up to (or, where a case may have several, are counted among).
    const total = t("monitoring.totalOf", { total: shown(b.total) });
    blocks.push(note(DIMENSIONS[b.dimension].kind === "multi" ? `${total} · ${t("monitoring.multiNoteCount")}` : total));
  }
  if (!f.pending) {
    blocks.push(h2(t("monitoring.feedback.title")));
    blocks.push(
      table(
        [t("monitoring.feedback.question"), t("monitoring.headline.meanColumn"), t("monitoring.headline.answersColumn")],
        f.feedback.map((q) => [t(`monitoring.code.feedback.${q.question}`), mean(q.mean), shown(q.answers)]),
      ),
    );
  }
  if (f.activity) {
    const a = f.activity;
    blocks.push(h2(t("monitoring.activity.title")));
    blocks.push({ type: "P", text: `${t("monitoring.activity.adoptions")}: ${shown(a.adoptions)}`, style: { size: 10.5, after: 6 } });
    const own = f.filter.scope === OWN;
    blocks.push({ type: "P", text: t(own ? "monitoring.activity.notesOwn" : "monitoring.activity.notes"), style: { size: 9.5, color: GREY, after: 6 } });
    blocks.push(h3(t("monitoring.activity.reach")));
    blocks.push(
      table(
        [t("monitoring.activity.role"), t("monitoring.activity.people")],
        byShown(a.reach).map((r) => [t(`monitoring.code.training_reach.${r.code}`, { defaultValue: r.code }), shown(r.figure)]),
      ),
    );
    blocks.push(h3(t("monitoring.activity.topics")));
    blocks.push(
      table(
        [t("monitoring.activity.topic"), t("monitoring.activity.people")],
        byShown(a.topics).map((r) => [t(`trainings.topic.${r.code}`, { defaultValue: r.code }), shown(r.figure)]),
      ),
    );
    if (own) {
      blocks.push(
        h3(
          a.assessedIn
            ? t("monitoring.activity.strategyOwn", {
                month: dateFormat(locale, { month: "long", year: "numeric", timeZone: "Europe/Berlin" }).format(
                  new Date(`${a.assessedIn.slice(0, 7)}-15T12:00:00Z`),
                ),
              })
            : t("monitoring.activity.strategyOwnNone"),
        ),
      );
      if (a.strategy.length > 0)
        blocks.push(
          table(
            [t("monitoring.activity.field"), t("monitoring.activity.score")],
            a.strategy.map((r) => [t(`knowledge.dimension.${r.code}`, { defaultValue: r.code }), mean(r.mean, 0)]),
          ),
        );
    } else {
      blocks.push(h3(t("monitoring.activity.strategy")));
      // No table of headings alone, nor of "–" and "×" alone: the page says the same (and keeps the latter a click away).
      blocks.push(
        everyAnswerWithheld(a.strategy)
          ? note(t("monitoring.activity.strategyWithheld"))
          : noneAnswered(a.strategy)
            ? note(t("monitoring.activity.none"))
            : table(
                [t("monitoring.activity.field"), t("monitoring.activity.meanScore"), t("monitoring.activity.municipalities")],
                a.strategy.map((r) => [t(`knowledge.dimension.${r.code}`, { defaultValue: r.code }), mean(r.mean), shown(r.answers)]),
              ),
      );
    }
  }
  return renderFlow({ title, lang, direction: "ltr", blocks, pageLabel: t("monitoring.report.page"), continuedLabel: t("monitoring.report.continued") });
}
