import type { Translate } from "../../platform/i18n/i18n.ts";
import type { Figure } from "./cube.ts";
import type { Figures } from "./figures.ts";

/* The figures of a filter as the lines of the CSV, the JSON and the API: each figure once. */

/** One line of an export: a figure of the dashboard, with its filter. */
export interface ExportRow {
  year: number;
  period: string;
  scope: string;
  dimension: string;
  code: string;
  /** null: withheld (fewer than 5, or withheld so that such a figure cannot be worked out). */
  value: number | null;
  /** For scores: the mean of the answers (null where the answers are withheld or none). */
  mean: number | null;
}

/** Every figure of the dashboard for the filter, as export lines. */
export function exportRows(f: Figures): ExportRow[] {
  // Figures not yet released are none, not zeros.
  if (f.unpublished) return [];
  const base = { year: f.filter.year, scope: f.filter.scope };
  const v = (x: Figure) => ("value" in x ? x.value : null);
  // Means with one decimal, as the page and the CSV show them.
  const round = (m: number | null) => (m === null ? null : Math.round(m * 10) / 10);
  // A period under way: its months alone.
  const whole = (rows: ExportRow[]) => (f.pending ? [] : rows);
  const out: ExportRow[] = [
    ...whole([
      { ...base, period: f.period, dimension: "incidents", code: "all", value: v(f.incidents), mean: null },
      { ...base, period: f.period, dimension: "closed", code: "all", value: v(f.closed), mean: null },
    ]),
    ...f.months.flatMap((m) => [
      { ...base, period: m.month, dimension: "incidents", code: "all", value: v(m.figure), mean: null },
      { ...base, period: m.month, dimension: "closed", code: "all", value: v(m.closed), mean: null },
    ]),
    ...whole(f.feedback.map((q) => ({ ...base, period: f.period, dimension: "feedback", code: q.question, value: v(q.answers), mean: round(q.mean) }))),
    // (The quarter shown is among the feedback rows already.)
    ...f.supportedByQuarter
      .filter((q) => q.quarter !== f.period && !q.pending)
      .map((q) => ({ ...base, period: q.quarter, dimension: "feedback", code: "supported", value: v(q.answers), mean: round(q.mean) })),
    {
      ...base,
      // The year before, for comparison: its own year.
      year: f.filter.year - 1,
      period:
        f.filter.quarter !== 0
          ? `${f.filter.year - 1}-Q${f.filter.quarter}`
          : f.lastYearQuarters < 4
            ? `${f.filter.year - 1}-Q1${f.lastYearQuarters > 1 ? `-Q${f.lastYearQuarters}` : ""}`
            : String(f.filter.year - 1),
      dimension: "feedback",
      code: "supported",
      value: v(f.supportedLastYear.answers),
      mean: round(f.supportedLastYear.mean),
    },
  ];
  if (!f.pending)
    for (const b of f.breakdowns)
      for (const r of b.rows) out.push({ ...base, period: f.period, dimension: b.dimension, code: r.code, value: v(r.figure), mean: null });
  if (f.activity) {
    const a = f.activity;
    for (const r of a.reach) out.push({ ...base, period: f.period, dimension: "training_reach", code: r.code, value: v(r.figure), mean: null });
    for (const r of a.topics) out.push({ ...base, period: f.period, dimension: "training_topic", code: r.code, value: v(r.figure), mean: null });
    for (const r of a.strategy) out.push({ ...base, period: f.period, dimension: "strategy_score", code: r.code, value: v(r.answers), mean: round(r.mean) });
    out.push({ ...base, period: f.period, dimension: "adoption", code: "all", value: v(a.adoptions), mean: null });
  }
  return out;
}

/** What null stands for in the JSON download's and the API's rows; across municipalities, also why a large figure can be withheld. */
export const exportNote = (t: Translate, national: boolean) =>
  national ? `${t("monitoring.exportNote")}. ${t("monitoring.legendShare")}` : t("monitoring.exportNote");
