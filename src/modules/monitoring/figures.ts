import type { Translate } from "../../platform/i18n/i18n.ts";
import { INCIDENT_FORMS, LAENDER, LAENDER_CODES, PERCEIVED_MOTIVES, RISK_LEVELS } from "../../platform/vocabulary.ts";
import { type Cube, type Figure, figure, meanScore, shownValue } from "./cube.ts";
import { DIMENSIONS, type Dimension } from "./dimensions.ts";
import { SCALES, tellsAnswers } from "./means.ts";
import { pmkMappingFor } from "./pmk.ts";
import { MINIMUM } from "./protect.ts";
import { FEEDBACK_QUESTIONS } from "./records.ts";
import { ALL_KINDS, COUNTRY, cellKey, OWN } from "./relations.ts";
import type { OwnActivity, Release } from "./tables.ts";

/*
 * The figures a dashboard, an export and the API show for a filter: all read from the one
 * protected table of the year (`cube.ts`), so that the three agree and no filter finds a figure
 * the others withhold. The national table is built from the rollups (no case, no tenant); a
 * municipality's own from its records (both read as released: `tables.ts`).
 */

/** Where the national figures are for: the country, a Land, or a kind of municipality. */
export const KIND_SCOPES = ["model", "platform"] as const;
export type Scope = typeof COUNTRY | (typeof LAENDER_CODES)[number] | (typeof KIND_SCOPES)[number];
export const SCOPES: readonly string[] = [COUNTRY, ...LAENDER_CODES, ...KIND_SCOPES];

/** A scope in words: the country, a kind of municipality, a Land — or, for a municipality's own figures, `own`. */
export const scopeName = (t: Translate, scope: string, own: string) =>
  scope === OWN
    ? own
    : scope === COUNTRY
      ? t("monitoring.filter.country")
      : (KIND_SCOPES as readonly string[]).includes(scope)
        ? t(`monitoring.filter.kinds.${scope}`)
        : (LAENDER[scope as keyof typeof LAENDER] ?? scope);

export interface Filter {
  year: number;
  /** 0: the whole year. */
  quarter: 0 | 1 | 2 | 3 | 4;
  scope: string;
}

/** A filter from the query string: anything unknown falls back to the default (the current year, the whole country). */
export function readFilter(
  query: Record<string, unknown>,
  today: string,
  national: boolean,
  /** The years with figures: another year than this one is offered only where it has some. */
  withFigures?: readonly number[],
): Filter {
  const thisYear = Number(today.slice(0, 4));
  const one = (v: unknown) => (Array.isArray(v) ? v[0] : v);
  const y = Number(one(query.jahr));
  const q = Number(one(query.quartal));
  const s = String(one(query.gebiet) ?? "");
  return {
    year: Number.isInteger(y) && y >= 2016 && y <= thisYear && (y === thisYear || !withFigures || withFigures.includes(y)) ? y : thisYear,
    quarter: q === 1 || q === 2 || q === 3 || q === 4 ? q : 0,
    scope: national && SCOPES.includes(s) ? s : national ? COUNTRY : OWN,
  };
}

/**
 * Whether the query asked for another year than the figures show (one without figures): the page
 * says so beside this year's, but a file or a program is refused, so that nobody takes this year's
 * figures for the year asked.
 */
export function otherYearAsked(query: Record<string, unknown>, filter: Filter): boolean {
  const asked = [query.jahr].flat()[0];
  return asked !== undefined && asked !== "" && Number(asked) !== filter.year;
}

/** Whether the query asked for a year, period or area the figures do not offer, or for two (the page says what it shows instead). */
export function filterAdjusted(query: Record<string, unknown>, filter: Filter, national: boolean): boolean {
  return adjustment(query, filter, national) !== false;
}

/**
 * What of the filter asked for is not what is shown: an area a municipality's own figures do not
 * have ("area"), or a year, period or area the figures do not offer ("period"); false where it is as asked.
 */
export function adjustment(query: Record<string, unknown>, filter: Filter, national: boolean): false | "period" | "area" {
  const one = (v: unknown) => (Array.isArray(v) ? v[0] : v);
  const asked = (name: string) => one(query[name]) !== undefined && String(one(query[name])) !== "";
  // A municipality's own figures have no area to choose.
  if (!national && asked("gebiet")) return "area";
  // Asked twice with different values: the first is shown, and the page says so.
  const twice = (name: string) => Array.isArray(query[name]) && new Set((query[name] as unknown[]).map(String)).size > 1;
  const other =
    ["jahr", "quartal", ...(national ? ["gebiet"] : [])].some(twice) ||
    // Compared as numbers: "01" asks for the first quarter, which is shown.
    (asked("jahr") && Number(one(query.jahr)) !== filter.year) ||
    (asked("quartal") && Number(one(query.quartal)) !== filter.quarter) ||
    (national && asked("gebiet") && String(one(query.gebiet)) !== filter.scope);
  return other ? "period" : false;
}

const scopeCell = (scope: string): [string, string] =>
  scope === OWN ? [OWN, OWN] : (KIND_SCOPES as readonly string[]).includes(scope) ? [COUNTRY, scope] : [scope, ALL_KINDS];

/** A municipality's own activity in a period: people trained and adoptions in its months; its latest self-assessment of those months. */
function ownActivityIn(own: OwnActivity, months: readonly string[]): Activity {
  const inPeriod = new Set(months.map((m) => `${m}-01`));
  const sum = (dimension: Dimension) => {
    const by = new Map<string, number>();
    for (const s of own)
      for (const c of s.contributions) if (c.dimension === dimension && inPeriod.has(c.month)) by.set(c.code, (by.get(c.code) ?? 0) + c.count);
    return [...by].sort(([a], [b]) => (a < b ? -1 : 1)).map(([code, value]) => ({ code, figure: { value } as Figure }));
  };
  // A self-assessment counts in its month; one taken again in a later month stands beside it (`replaceSource`).
  const taken = (own.find((s) => s.source === "assessment")?.contributions ?? []).filter((c) => inPeriod.has(c.month));
  // Months are ISO dates: the last in sorted order is the latest.
  const latest =
    taken
      .map((c) => c.month)
      .sort()
      .at(-1) ?? "";
  const assessment = taken.filter((c) => c.month === latest);
  return {
    reach: sum("training_reach"),
    topics: sum("training_topic"),
    strategy: assessment.map((c) => ({ code: c.code, answers: { value: 1 }, mean: c.sum })),
    assessedIn: assessment[0]?.month ?? null,
    adoptions: { value: sum("adoption").reduce((n, r) => n + ("value" in r.figure ? r.figure.value : 0), 0) },
  };
}

export interface Breakdown {
  dimension: Dimension;
  rows: { code: string; figure: Figure }[];
  /** What the codes add up to (single-valued dimensions) or are counted among (several per case). */
  total: Figure;
}

export interface Figures {
  filter: Filter;
  /** The period as the exports name it: "2026", "2026-Q2", or a year under way by its quarters over, "2026-Q1-Q3". */
  period: string;
  /** The quarters of the year that are over in the figures (4 for a year gone by): sums and breakdowns count these. */
  quarters: number;
  /** The period's quarter is under way (or, for a year, none is over yet): its months are shown, its sums and breakdowns wait for its end. */
  pending: boolean;
  incidents: Figure;
  closed: Figure;
  /** Incidents month by month in the period. */
  /** Each month's reports, and the cases closed in it. */
  months: { month: string; figure: Figure; closed: Figure }[];
  /** "Did you feel supported?" (1–5): the headline, with the quarters of the year and the year before. */
  supported: { answers: Figure; mean: number | null };
  supportedByQuarter: { quarter: string; answers: Figure; mean: number | null; pending: boolean }[];
  /** The same, for the same period of the year before. */
  supportedLastYear: { answers: Figure; mean: number | null };
  /** The quarters of the year before that `supportedLastYear` holds: 4, or for a year under way as many as are over in it. */
  lastYearQuarters: number;
  feedback: { question: string; answers: Figure; mean: number | null }[];
  breakdowns: Breakdown[];
  /** Training reach, strategy progress and knowledge transfer (a municipality's own: where its activity was given). */
  activity: Activity | null;
  /** The national figures' release (null: a municipality's own figures, which are current). */
  release: Release | null;
  /** National figures never released yet: there is nothing to show — not zeros (`loadFigures`). */
  unpublished?: boolean;
  /** Not released yet, and the first release is being made now (`releaseUnderWay`). */
  releasing?: boolean;
}

export interface Activity {
  /** People trained, by their role. */
  reach: { code: string; figure: Figure }[];
  /** People trained, by the topics of their format. */
  topics: { code: string; figure: Figure }[];
  /** The latest self-assessments: per field of action the municipalities and their mean score (0–100). */
  strategy: { code: string; answers: Figure; mean: number | null }[];
  /** A municipality's own figures: the month of its latest self-assessment. */
  assessedIn?: string | null;
  adoptions: Figure;
}

/** The dimensions shown as breakdowns, in the order of the dashboard. */
export const BREAKDOWNS: readonly Dimension[] = [
  "form",
  "motive",
  "place",
  "function",
  "channel",
  "pmk_area",
  "pmk_hate",
  "pmk_target",
  "level",
  "response",
  "strafantrag",
  "measure",
  "outcome",
];

/**
 * The codes a breakdown lists even where the year counted none, so that a 0 says so: the forms and
 * motives a report offers, the risk levels, the PMK codes the year's mapping can give, whether the
 * first response came in time and what became of a Strafantrag. (A code
 * the year never counted is 0 in every cell; listing it tells nothing its absence did not.)
 */
function everyCode(d: Dimension, year: number): readonly string[] {
  const mapping = pmkMappingFor(`${year}-12-01`);
  switch (d) {
    case "form":
      return INCIDENT_FORMS;
    case "motive":
      return PERCEIVED_MOTIVES;
    case "level":
      return RISK_LEVELS.map(String);
    case "pmk_area":
      return [...Object.values(mapping.areas), "sonstige_zuordnung"];
    case "pmk_hate":
      return Object.values(mapping.hate).flat();
    case "pmk_target":
      return ["office_holders", "other"];
    case "response":
      return ["in_time", "late"];
    case "strafantrag":
      return ["in_time", "late", "not_filed", "none"];
    default:
      return [];
  }
}

/**
 * The mean of the first `over` quarters of a year gone by, from figures shown: the sum of those
 * quarters' shown means, or the year's less the other quarters'. (`protectMeans` holds what such a
 * difference leaves to the rule of a mean.) Withheld where neither is shown.
 */
function sameQuartersBefore(cube: Cube, key: (time: string) => string, year: number, over: number): { answers: Figure; mean: number | null } {
  const shown = (time: string) => {
    const m = meanScore(cube, key(time));
    if ("value" in m.answers && m.answers.value === 0) return { n: 0, sum: 0 };
    return m.mean === null ? null : { n: cube.counts.get(key(time)) ?? 0, sum: cube.sums.get(key(time)) ?? 0 };
  };
  type Part = { n: number; sum: number };
  const add = (list: (Part | null)[]): Part | null =>
    list.some((p) => p === null) ? null : (list as Part[]).reduce((a, b) => ({ n: a.n + b.n, sum: a.sum + b.sum }), { n: 0, sum: 0 });
  const quarters = [1, 2, 3, 4].map((q) => `${year}-Q${q}`);
  const parts = add(quarters.slice(0, over).map(shown));
  const whole = shown(String(year));
  const rest = add(quarters.slice(over).map(shown));
  const found = parts ?? (whole && rest ? { n: whole.n - rest.n, sum: whole.sum - rest.sum } : null);
  if (!found) return { answers: { withheld: "secondary" }, mean: null };
  const told = found.n < MINIMUM || tellsAnswers(found.n, found.sum, SCALES.feedback ?? [1, 5]);
  return { answers: { value: found.n }, mean: found.n === 0 || told ? null : found.sum / found.n };
}

/** The figures for a filter, from the tables of its year and the year before. */
export function figuresFor(filter: Filter, cube: Cube, lastYear: Cube, own?: OwnActivity, release: Release | null = null): Figures {
  const [area, kind] = scopeCell(filter.scope);
  const year = String(filter.year);
  const period = filter.quarter === 0 ? year : `${year}-Q${filter.quarter}`;
  const over = cube.quarters;
  const pending = filter.quarter === 0 ? over === 0 : filter.quarter > over;
  const at = (time: string, d: Dimension, code: string) => cellKey(time, area, kind, d, code);
  // Released figures hold the months before the release's month: a later month is not shown as 0, but not at all.
  const months = (filter.quarter === 0 ? [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12] : [1, 2, 3].map((i) => (filter.quarter - 1) * 3 + i))
    .map((m) => `${year}-${String(m).padStart(2, "0")}`)
    .filter((m) => release === null || m < release.month.slice(0, 7));
  const breakdowns = BREAKDOWNS.map((d): Breakdown => {
    const spec = DIMENSIONS[d] as { kind: string; parent?: Dimension };
    const parent: Dimension = spec.parent ?? (d === "response" || d === "measure" || d === "outcome" ? "closed" : "incidents");
    return {
      dimension: d,
      rows: [...new Set([...(cube.codes.get(d) ?? []), ...everyCode(d, filter.year)])]
        .sort()
        .map((code) => ({ code, figure: figure(cube, at(period, d, code)) })),
      total: figure(cube, at(period, parent, "all")),
    };
  });
  return {
    filter,
    period: filter.quarter === 0 && over > 0 && over < 4 ? `${year}-Q1${over > 1 ? `-Q${over}` : ""}` : period,
    quarters: over,
    pending,
    release,
    incidents: figure(cube, at(period, "incidents", "all")),
    closed: figure(cube, at(period, "closed", "all")),
    months: months.map((month) => ({ month, figure: figure(cube, at(month, "incidents", "all")), closed: figure(cube, at(month, "closed", "all")) })),
    supported: meanScore(cube, at(period, "feedback", "supported")),
    supportedByQuarter: [1, 2, 3, 4].map((q) => ({
      quarter: `${year}-Q${q}`,
      ...meanScore(cube, at(`${year}-Q${q}`, "feedback", "supported")),
      pending: q > over,
    })),
    // The same period of the year before: a quarter with its quarter, a year with its year, a year under way with the same quarters.
    supportedLastYear:
      filter.quarter === 0 && over > 0 && over < 4
        ? sameQuartersBefore(lastYear, (time) => at(time, "feedback", "supported"), filter.year - 1, over)
        : meanScore(lastYear, at(filter.quarter === 0 ? String(filter.year - 1) : `${filter.year - 1}-Q${filter.quarter}`, "feedback", "supported")),
    lastYearQuarters: filter.quarter === 0 && over > 0 && over < 4 ? over : 4,
    feedback: FEEDBACK_QUESTIONS.map((question) => ({ question, ...meanScore(cube, at(period, "feedback", question)) })),
    breakdowns,
    activity: pending
      ? null
      : filter.scope === OWN
        ? own
          ? ownActivityIn(
              own,
              months.filter((m) => Number(m.slice(5, 7)) <= over * 3),
            )
          : null
        : {
            reach: (cube.codes.get("training_reach") ?? []).map((code) => ({ code, figure: figure(cube, at(period, "training_reach", code)) })),
            topics: (cube.codes.get("training_topic") ?? []).map((code) => ({ code, figure: figure(cube, at(period, "training_topic", code)) })),
            strategy: (cube.codes.get("strategy_score") ?? []).map((code) => ({ code, ...meanScore(cube, at(period, "strategy_score", code), [0, 100]) })),
            adoptions: figure(cube, at(period, "adoption", "all")),
          },
  };
}

/**
 * The shares among the key figures: first responses in time (of the closed cases), Strafanträge
 * filed in their three months (of the closed cases where one was decided; null where one of
 * those is withheld).
 */
export function keyShares(f: Figures): { inTime: Figure; filedInTime: Figure; decided: number | null } {
  const rowOf = (d: Dimension, code: string) => f.breakdowns.find((b) => b.dimension === d)?.rows.find((r) => r.code === code)?.figure ?? { value: 0 };
  const decidedCells = (f.breakdowns.find((b) => b.dimension === "strafantrag")?.rows ?? [])
    .filter((r) => r.code !== "none")
    .map((r) => ("value" in r.figure ? r.figure.value : null));
  // The cases with a Strafantrag decided: their categories' sum, or the closed cases less those without one (both shown figures).
  const closed = "value" in f.closed ? f.closed.value : null;
  const none = rowOf("strafantrag", "none");
  const decided = !decidedCells.includes(null)
    ? decidedCells.reduce<number>((a, b) => a + (b ?? 0), 0)
    : closed !== null && "value" in none
      ? closed - none.value
      : null;
  return { inTime: rowOf("response", "in_time"), filedInTime: rowOf("strafantrag", "in_time"), decided };
}

/** Whether every category with cases is withheld (none shown above 0, one at least withheld): a municipality's few cases. */
export const everyCategoryWithheld = (b: Breakdown) =>
  b.rows.some((r) => !("value" in r.figure)) && b.rows.every((r) => !("value" in r.figure) || r.figure.value === 0);

/**
 * Whether the figures are mostly "×" — few cases, or the incidents withheld beside another figure:
 * the incidents' total is withheld, or half of the breakdowns or more are withheld whole. The page
 * and the yearly report say so at their top, with where more is shown.
 */
export const manyWithheld = (f: Figures) =>
  !("value" in f.incidents) || (f.breakdowns.length > 0 && 2 * f.breakdowns.filter(everyCategoryWithheld).length >= f.breakdowns.length);

/** Nothing reported and nothing closed in the period, nor in a month of it: said once, not in a page of zeros. */
export const nothingCounted = (f: Figures) =>
  !f.pending && shownValue(f.incidents) === 0 && shownValue(f.closed) === 0 && f.months.every((m) => shownValue(m.figure) === 0 && shownValue(m.closed) === 0);
