import { earlierSums, quartersOver, type RollupRow, spansOf, summed, underWay } from "./cells.ts";
import type { Dimension } from "./dimensions.ts";
import { MEAN, meanKey, protectMeans, SCALES, tellsAnswers } from "./means.ts";
import { MINIMUM, protect, type Suppression } from "./protect.ts";
import { ALL_KINDS, COUNTRY, cubeRelations, OWN } from "./relations.ts";

export type { RollupRow } from "./cells.ts";

/*
 * The one table of a year's figures, protected as a whole. Cells are keyed
 * `time|area|kind|dimension|code`: time is the year ("2026"), a quarter ("2026-Q1") or, for the
 * totals, a month ("2026-03"); area a Land's code, "DE" for the country (or "*" for one
 * municipality's own figures); kind "model", "platform", "all" (or "*").
 */

/**
 * How a table is built and protected: a national release made another way (stored with an
 * earlier number) is made again, since its withheld cells were found for other sums.
 * 2: sums and breakdowns over the quarters that are over (`quartersOver`).
 * 3: a closing and a feedback count in their own months (`records.ts`); means withheld together are held
 *    to the rule of a mean (`protectMeans`).
 * 4: the cases naming both area motives tie the Phänomenbereiche to the motives; the measure
 *    Strafantrag is the Strafanträge filed; the means a release showed are noted (`shownCells`).
 * 5: what earlier releases withheld stays protected (`heldBack`).
 * 6: a Land of one kind of municipality bounds the country's figures of that kind (`landsOfOneKind`).
 * 7: a figure that one municipality's share leaves at 1 to 4 for the others is withheld like one below 5 (`largest`).
 * 8: protection intervals: a count withheld for itself must be able to reach 5 (the others' part of a
 *    dominated one, 5), not only be more than one value (`reach`).
 */
export const RELEASE_METHOD = 8;

export interface Cube {
  year: string;
  /** Counts (and for scores the number of answers). */
  counts: Map<string, number>;
  /** Sums of scores, by the same keys. */
  sums: Map<string, number>;
  withheld: Map<string, Suppression>;
  /** Codes seen per dimension. */
  codes: Map<Dimension, string[]>;
  /**
   * The quarters of the year that are over in the table (4 for a year gone by). Sums over a
   * quarter and the year, and every breakdown, count these alone; the months of the quarter under
   * way are shown one by one.
   */
  quarters: number;
}

/** How a year's table is built: see `buildCube`. */
export interface CubeOptions {
  through?: string;
  protectedAs?: ReadonlyMap<string, Suppression>;
  known?: readonly string[];
  hidden?: readonly string[];
  /** The largest share one municipality has in each cell (`shareCounter`): national tables only. */
  largest?: ReadonlyMap<string, number>;
}

/**
 * Builds and protects a year's table from rollup rows (months of that year). `national`: the
 * rows cross municipalities and carry Länder and kinds; otherwise they are one municipality's own.
 * `through`: the first month the release does not hold (`quartersOver`); none: the year is over.
 * `protectedAs`: the withheld cells found when these rows were released. `known`: the cells
 * earlier releases of the year showed (`shownCells`), which an attacker holds: never withheld to
 * protect another, and their sums (a year so far, `2026-Q1-Q2`) bound the cells like the others. `hidden`: the cells they withheld
 * and none showed since (`heldBack`), which stay hidden and are protected with the new ones.
 * `largest`: each cell's largest share of one municipality — a cell of 5 or more is withheld for
 * itself too where that share leaves 1 to 4 to the others (`dominated`): the municipality knows its
 * own share and would read the others' small figure off the total.
 *
 * A release in the middle of a quarter is protected with that quarter as it would be released were
 * it over now (`underWay`): the months it shows now must not fix a figure below 5 of the quarter's
 * release — as February's country total less a Land's fixes the other Länder's sum, which the
 * quarter shows as a category where those Länder's cases were all of it.
 */
export function buildCube(
  year: string,
  rows: readonly RollupRow[],
  national: boolean,
  { through, protectedAs, known = [], hidden = [], largest }: CubeOptions = {},
): Cube {
  const quarters = quartersOver(year, through);
  const { counts, sums, codes, areas, kinds, landKinds } = summed(year, rows, national, quarters);
  // Protected when it was released (the same rows give the same table), or now.
  if (protectedAs) return { year, counts, sums, withheld: new Map(protectedAs), codes, quarters };
  const { relations, inequalities } = cubeRelations(year, codes, areas, kinds, quarters, landKinds);
  // What earlier releases showed: the same cells (a month, a quarter over), and the year as it then stood.
  const knownCounts = known.filter((k) => !k.startsWith(MEAN));
  // What earlier releases withheld and none showed since: hidden still, and protected where below 5.
  const heldBefore = hidden.filter((k) => !counts.has(k));
  const earlier = earlierSums(spansOf([...knownCounts, ...heldBefore]), counts, sums);
  const ahead = underWay(year, rows, national, quarters, through);
  for (const [k, v] of ahead.counts) earlier.counts.set(k, v);
  const protectedWith = (shown: readonly string[]) => {
    const told = new Set<string>();
    const cells = protect(earlier.counts, [...relations, ...earlier.relations, ...ahead.relations], MINIMUM, [...inequalities, ...ahead.inequalities], {
      primary: (k, v) => (v > 0 && v < MINIMUM) || dominated(v, largest?.get(k) ?? 0),
      // Where one municipality's share leaves the others 1 to 4, the others' part must be able to reach 5.
      reach: (k, v) => (dominated(v, largest?.get(k) ?? 0) ? (largest?.get(k) ?? 0) + MINIMUM : MINIMUM),
      cost: costOf,
      reconsider: isHeadline,
      known: [...knownCounts, ...shown],
      future: [...ahead.counts.keys(), ...heldBefore.filter((k) => earlier.counts.has(k))],
      onTold: (k) => told.add(k),
    });
    return { cells, told };
  };
  const first = protectedWith([]);
  const withheld = national ? first.cells : withOwnTotals(year, earlier.counts, first, protectedWith);
  for (const k of earlier.relations) withheld.delete(k.parent);
  for (const k of ahead.counts.keys()) withheld.delete(k);
  const knownMeans = known.filter((k) => k.startsWith(MEAN)).map((k) => k.slice(MEAN.length));
  const means = earlierSums(spansOf(knownMeans), counts, sums);
  for (const [key, w] of protectMeans(means.counts, means.sums, withheld, [...relations, ...means.relations], knownMeans))
    if (!means.relations.some((r) => r.parent === key)) withheld.set(meanKey(key), w);
  return { year, counts, sums, withheld, codes, quarters };
}

/**
 * A municipality's own table with its year's totals shown where that costs its readers less.
 * Protecting a few dozen cases, the checks flag small categories of a quarter that only a total
 * beside them can free, and the widening takes the nearest: the year's total — a leader then saw
 * "×" for the incidents of January to September. The table is protected once more with the year's
 * withheld totals taken as shown (both, else each alone), and that protection is kept where it
 * withholds less by the readers' cost (`costOf`: the quarters' totals, say, instead of the year's)
 * and leaves no figure below 5 told that the first did not. The national table is not tried again:
 * its totals are large, and its protection takes a minute.
 */
function withOwnTotals(
  year: string,
  counts: ReadonlyMap<string, number>,
  first: { cells: Map<string, Suppression>; told: ReadonlySet<string> },
  protectedWith: (shown: readonly string[]) => { cells: Map<string, Suppression>; told: ReadonlySet<string> },
): Map<string, Suppression> {
  const totals = [`${year}|${OWN}|${OWN}|incidents|all`, `${year}|${OWN}|${OWN}|closed|all`].filter((k) => first.cells.get(k) === "secondary");
  if (totals.length === 0) return first.cells;
  const cost = (cells: ReadonlyMap<string, Suppression>) => [...cells.keys()].reduce((sum, k) => sum + (counts.get(k) ?? 0) * costOf(k), 0);
  let best = first;
  for (const shown of totals.length === 2 ? [totals, [totals[0]], [totals[1]]] : [totals]) {
    const tried = protectedWith(shown);
    if ([...tried.told].every((k) => first.told.has(k)) && cost(tried.cells) < cost(best.cells)) best = tried;
    // Both shown is the best there is.
    if (best === tried && shown.length === totals.length) break;
  }
  return best.cells;
}

/**
 * Whether one municipality's share of a figure leaves the others 1 to 4: that municipality would
 * read their small figure off the total (a Land's 8 insults, 6 of them its own).
 */
export const dominated = (value: number, largest: number) => largest > 0 && value - largest >= 1 && value - largest < MINIMUM;

/**
 * The cells a protected table shows (counts above 0, and means as `mean|<cell>`), as an attacker
 * holds them afterwards: the year of a year under way as the quarters over then (`2026-Q1-Q2`).
 */
export function shownCells(cube: Cube): string[] {
  const out: string[] = [];
  const named = releasedAs(cube);
  for (const [key, n] of cube.counts) {
    if (n === 0 || cube.withheld.has(key)) continue;
    const rest = key.split("|").slice(1);
    const as = named(key);
    out.push(as);
    if (SCALES[rest[2] as Dimension] && meanScore(cube, key).mean !== null) out.push(meanKey(as));
  }
  return out;
}

/**
 * The cells a year's releases withheld and none has shown since (a year so far named as in
 * `shownCells`): the next release protects them with its own, so that what it shows does not
 * tell one of them — the year's Q1–Q3 share of a level withheld in December is the year's
 * share less the fourth quarter's in January. `before`: the cells held back before this release;
 * `shown`: every cell the year's releases have shown, this one's too.
 */
export function heldBack(cube: Cube, before: readonly string[], shown: readonly string[]): string[] {
  const known = new Set(shown);
  const named = releasedAs(cube);
  const withheld = [...cube.withheld.keys()].filter((k) => !k.startsWith(MEAN)).map(named);
  return [...new Set([...before, ...withheld])].filter((k) => !known.has(k)).sort();
}

/** How a release names its cells afterwards: the year of a year under way as the quarters over (`2026-Q1-Q2`). */
function releasedAs(cube: Cube): (key: string) => string {
  const time = cube.quarters === 4 ? cube.year : cube.quarters === 1 ? `${cube.year}-Q1` : `${cube.year}-Q1-Q${cube.quarters}`;
  return (key) => (key.startsWith(`${cube.year}|`) ? time + key.slice(cube.year.length) : key);
}

/** A table's cells as a release stores them (JSON, beside the cells it withholds): counts, sums, codes. */
export interface StoredTable {
  counts: [string, number][];
  sums: [string, number][];
  codes: [Dimension, string[]][];
  quarters: number;
}

export const storedTable = (cube: Cube): StoredTable => ({ counts: [...cube.counts], sums: [...cube.sums], codes: [...cube.codes], quarters: cube.quarters });

/** The table a release stored, as it was protected: read without summing its rows again. */
export const fromStoredTable = (year: string, t: StoredTable, withheld: readonly [string, Suppression][]): Cube => ({
  year,
  counts: new Map(t.counts),
  sums: new Map(t.sums),
  withheld: new Map(withheld),
  codes: new Map(t.codes),
  quarters: t.quarters,
});

/**
 * What withholding a cell costs readers: the country's totals are the headline of the national
 * picture, then the totals by Land and kind; a category of a Land in a quarter costs least. The
 * Strafanträge weigh like a total, and those filed in time like the dearest: they are a key figure
 * of their own, so a few filed late are hidden beside the measure "Strafantrag" or the cases
 * without one rather than beside them.
 */
function costOf(key: string): number {
  const [time, area, kind, dimension, code] = key.split("|");
  const keyFigure = dimension === "strafantrag" && code === "in_time";
  const total = dimension === "incidents" || dimension === "closed" || dimension === "strafantrag";
  const country = area === COUNTRY || area === OWN;
  const whole = kind === ALL_KINDS || kind === OWN;
  return (keyFigure ? 100 : total ? 10 : 1) * (country && whole ? 100 : country || whole ? 10 : 1) * (time.length === 4 ? 3 : 1);
}

/**
 * The figures a reader looks at first: the totals of reports and closed cases — the country's and
 * a kind of municipality's by month, quarter and year; a Land's and a municipality's own by quarter
 * and year (a month of those is most often below 5 anyway, and each costs the second look a
 * check) — and the key figure of Strafanträge filed in time, the country's and a municipality's
 * own. Withheld beside a few filed late or not at all, the widening had taken it for the whole
 * country: 91 of 748 closed cases in the demo's year, shown as "×".
 */
function isHeadline(key: string): boolean {
  const [time, area, , dimension, code] = key.split("|");
  if (dimension === "strafantrag") return code === "in_time" && (area === COUNTRY || area === OWN);
  if (dimension !== "incidents" && dimension !== "closed") return false;
  return area === COUNTRY || time.length === 4 || time.includes("Q");
}

/** A figure as shown: the number, or withheld (below 5, or withheld to protect one that is). */
export type Figure = { value: number } | { withheld: Suppression };

export const shownValue = (f: Figure) => ("value" in f ? f.value : null);

/** Whether a table of means has rows and every row's number of answers is withheld (the self-assessments of few municipalities). */
export const everyAnswerWithheld = (rows: readonly { answers: Figure }[]) => rows.length > 0 && rows.every((r) => shownValue(r.answers) === null);

/** Whether no row of a table of means has an answer (a period without self-assessments): said in a line, not as a table of "–" and 0. */
export const noneAnswered = (rows: readonly { answers: Figure }[]) => rows.every((r) => shownValue(r.answers) === 0);

/**
 * Rows by their figures, largest first; a withheld one (at least 1, but how much it hides is not
 * told) after those shown and before the zeros, in the order it came — on the page and in the
 * yearly report alike.
 */
export const byShown = <T extends { figure: Figure }>(list: readonly T[]) =>
  [...list].sort((x, y) => (shownValue(y.figure) ?? 0.5) - (shownValue(x.figure) ?? 0.5));

export function figure(cube: Cube, key: string): Figure {
  const w = cube.withheld.get(key);
  return w ? { withheld: w } : { value: cube.counts.get(key) ?? 0 };
}

/**
 * The mean score of a cell: shown only where its number of answers is (5 or more, and not
 * withheld), not where it tells every answer (`tellsAnswers`: a mean of 5 out of 5, or 4.8 of
 * five) and not withheld to protect another mean (`protectMeans`).
 */
export function meanScore(cube: Cube, key: string, scale: readonly [number, number] = [1, 5]): { answers: Figure; mean: number | null } {
  const answers = figure(cube, key);
  if (!("value" in answers) || answers.value === 0 || cube.withheld.has(meanKey(key))) return { answers, mean: null };
  const sum = cube.sums.get(key) ?? 0;
  return { answers, mean: tellsAnswers(answers.value, sum, scale) ? null : sum / answers.value };
}
