import { stringify } from "csv-stringify/sync";
import { numberFormat } from "../../platform/i18n/formats.ts";
import type { Translate } from "../../platform/i18n/i18n.ts";
import { neutralise } from "../../platform/spreadsheet.ts";
import type { ExportRow } from "./export-rows.ts";
import { scopeName } from "./figures.ts";

/*
 * The figures as CSV for a spreadsheet in a German office: semicolons, decimal commas (in English,
 * commas and decimal points), a byte
 * order mark so that it opens with umlauts, and beside each code its name in the reader's
 * language. The codes stay for programs (and match the JSON and the API).
 */

const LABEL_KEYS: Record<string, (code: string) => string> = {
  training_topic: (code) => `trainings.topic.${code}`,
  strategy_score: (code) => `knowledge.dimension.${code}`,
};

/** Dimensions whose lines carry a mean beside the count of answers. */
const MEANS = new Set(["feedback", "strategy_score"]);

/** A line is withheld where its count is, or where answers were given but their mean is not shown. */
const withheld = (r: ExportRow) => r.value === null || (MEANS.has(r.dimension) && r.value > 0 && r.mean === null);

/** `own`: the municipality whose own figures these are (its name stands where the JSON has "*"). */
export function figuresCsv(rows: readonly ExportRow[], t: Translate, lang: string, own: string): string {
  const decimal = (n: number) =>
    numberFormat(lang === "en" ? "en-GB" : "de-DE", { minimumFractionDigits: 1, maximumFractionDigits: 1, useGrouping: false }).format(n);
  const label = (r: ExportRow) => {
    if (r.dimension === "incidents") return t("monitoring.key.incidents");
    if (r.dimension === "closed") return t("monitoring.key.closed");
    if (r.dimension === "adoption") return t("monitoring.activity.adoptions");
    const key = LABEL_KEYS[r.dimension]?.(r.code) ?? `monitoring.code.${r.dimension}.${r.code}`;
    const name = t(key, { defaultValue: r.code });
    // A line with a mean counts answers, not the score: the name says so, and the mean's scale.
    if (r.dimension === "feedback") return t("monitoring.csv.feedbackName", { name });
    if (r.dimension === "strategy_score") return t("monitoring.csv.strategyName", { name });
    return name;
  };
  const head = ["year", "period", "area", "dimension", "code", "name", "count", "withheld", "mean"].map((c) => t(`monitoring.csv.${c}`));
  const body = rows.map((r) => [
    r.year,
    r.period,
    // The area in words, as the page names it: a Land's code ("04") would be a number to a spreadsheet (programs read the JSON's codes).
    // A municipality's name is typed by its admin: never run as a formula.
    neutralise(scopeName(t, r.scope, own)),
    r.dimension,
    r.code,
    label(r),
    r.value ?? "",
    t(withheld(r) ? "monitoring.csv.yes" : "monitoring.csv.no"),
    r.mean === null ? "" : decimal(r.mean),
  ]);
  // An English spreadsheet expects commas between fields (its decimals are points); a German one semicolons.
  const delimiter = lang === "en" ? "," : ";";
  return `\uFEFF${stringify([head, ...body], { delimiter, record_delimiter: "\r\n", quoted_match: /[\n;,"]/ })}`;
}
