import { DIMENSIONS, type Dimension } from "./dimensions.ts";
import { MEAN, meanKey, protectMeans, SCALES, tellsAnswers } from "./means.ts";
import { AUXILIARY, MINIMUM, protect, type Relation, type Suppression } from "./protect.ts";
import { ALL_KINDS, COUNTRY, cellKey, cubeRelations, MONTHLY, OWN, scopesOf } from "./relations.ts";

/*
 * The one table of a year's figures, protected as a whole. Cells are keyed
 * `time|area|kind|dimension|code`: time is the year ("2026"), a quarter ("2026-Q1") or, for the
 * totals, a month ("2026-03"); area a Land's code, "DE" for the country (or "*" for one
 * municipality's own figures); kind "model", "platform", "all" (or "*").
 */

export interface RollupRow {
  month: string;
  land: string;
  kind: string;
  dimension: string;
  code: string;
  count: number;
  sum: number;
}

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
 */
export const RELEASE_METHOD = 7;

export const quarterOf = (month: string) => `${month.slice(0, 4)}-Q${Math.floor((Number(month.slice(5, 7)) - 1) / 3) + 1}`;

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

/**
 * The quarters of a year that are over before `through` (the first month not released, "YYYY-MM-01").
 * A release made in the middle of a quarter adds its months one by one, and sums them with the
 * rest when the quarter is over: a quarter's or the year's sum, or a category, that grew by one
 * month's cases from one release to the next would tell that month's small numbers (a Land's
 * year total going from 40 to 41 tells its one case of the month, whose category turns from 0 to
 * "< 5"). A whole quarter's change is a figure of the table itself, protected with the rest.
 */
export function quartersOver(year: string, through?: string): number {
  if (!through) return 4;
  const [y, m] = through.split("-").map(Number);
  const lastYear = m === 1 ? y - 1 : y;
  const lastMonth = m === 1 ? 12 : m - 1;
  if (lastYear !== Number(year)) return lastYear > Number(year) ? 4 : 0;
  return Math.floor(lastMonth / 3);
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
  const withheld = protect(earlier.counts, [...relations, ...earlier.relations, ...ahead.relations], MINIMUM, [...inequalities, ...ahead.inequalities], {
    primary: (k, v) => (v > 0 && v < MINIMUM) || dominated(v, largest?.get(k) ?? 0),
    cost: costOf,
    reconsider: isHeadline,
    known: knownCounts,
    future: [...ahead.counts.keys(), ...heldBefore.filter((k) => earlier.counts.has(k))],
  });
  for (const k of earlier.relations) withheld.delete(k.parent);
  for (const k of ahead.counts.keys()) withheld.delete(k);
  const knownMeans = known.filter((k) => k.startsWith(MEAN)).map((k) => k.slice(MEAN.length));
  const means = earlierSums(spansOf(knownMeans), counts, sums);
  for (const [key, w] of protectMeans(means.counts, means.sums, withheld, [...relations, ...means.relations], knownMeans))
    if (!means.relations.some((r) => r.parent === key)) withheld.set(meanKey(key), w);
  return { year, counts, sums, withheld, codes, quarters };
}

/**
 * Whether one municipality's share of a figure leaves the others 1 to 4: that municipality would
 * read their small figure off the total (a Land's 8 insults, 6 of them its own).
 */
export const dominated = (value: number, largest: number) => largest > 0 && value - largest >= 1 && value - largest < MINIMUM;

/**
 * Counts each municipality's share in the cells of a year's national table, as `buildCube` makes
 * them with the same options (the quarter under way and the years so far included), and keeps the
 * largest share of each cell. `add` takes one municipality's rows at a time (its rows may repeat a
 * key: they are added). A row's cells are worked out once per key, from the table of that row alone.
 */
export function shareCounter(
  year: string,
  { through, known = [], hidden = [] }: Pick<CubeOptions, "through" | "known" | "hidden"> = {},
): { add(rows: readonly RollupRow[]): void; largest: Map<string, number> } {
  const quarters = quartersOver(year, through);
  const spans = new Set(spansOf([...known, ...hidden].filter((k) => !k.startsWith(MEAN))));
  const cellsOfRow = new Map<string, string[]>();
  const cellsOf = (key: string, r: RollupRow): string[] => {
    let cells = cellsOfRow.get(key);
    if (!cells) {
      const one = [{ ...r, count: 1, sum: 0 }];
      const own = [...summed(year, one, true, quarters).counts.keys()];
      cells = [...new Set([...own, ...own.flatMap((k) => spansHolding(k, spans)), ...underWay(year, one, true, quarters, through, false).counts.keys()])];
      cellsOfRow.set(key, cells);
    }
    return cells;
  };
  const largest = new Map<string, number>();
  return {
    largest,
    add(rows) {
      // Summed by row first: a municipality's rows repeat keys (a record each), and each key has several cells.
      const byRow = new Map<string, { row: RollupRow; count: number }>();
      for (const r of rows) {
        if (r.count <= 0) continue;
        const key = `${r.month}|${r.land}|${r.kind}|${r.dimension}|${r.code}`;
        const found = byRow.get(key);
        if (found) found.count += r.count;
        else byRow.set(key, { row: r, count: r.count });
      }
      const mine = new Map<string, number>();
      for (const [key, { row, count }] of byRow) for (const c of cellsOf(key, row)) mine.set(c, (mine.get(c) ?? 0) + count);
      for (const [c, v] of mine) if (v > (largest.get(c) ?? 0)) largest.set(c, v);
    },
  };
}

/** The cells of a year's rows, with the quarters over (`quarters`) summed and broken down, and the months after them by themselves. */
function summed(year: string, rows: readonly RollupRow[], national: boolean, quarters: number) {
  const counts = new Map<string, number>();
  const sums = new Map<string, number>();
  const codes = new Map<Dimension, Set<string>>();
  const areas = new Set<string>();
  const kinds = new Set<string>();
  const landKinds = new Map<string, Set<string>>();
  const add = (m: Map<string, number>, k: string, v: number) => m.set(k, (m.get(k) ?? 0) + v);
  for (const r of rows) {
    if (r.month.slice(0, 4) !== year || !(r.dimension in DIMENSIONS) || r.count === 0) continue;
    const d = r.dimension as Dimension;
    const month = r.month.slice(0, 7);
    // A month of the quarter under way: its totals alone, by themselves.
    const over = Number(quarterOf(month).slice(-1)) <= quarters;
    if (!over && !MONTHLY.has(d)) continue;
    (codes.get(d) ?? codes.set(d, new Set()).get(d))?.add(r.code);
    const times = !over ? [month] : MONTHLY.has(d) ? [month, quarterOf(month), year] : [quarterOf(month), year];
    const area = national ? r.land : OWN;
    const kind = national ? r.kind : OWN;
    areas.add(area);
    kinds.add(kind);
    (landKinds.get(area) ?? landKinds.set(area, new Set()).get(area))?.add(kind);
    for (const t of times)
      for (const [a, k] of scopesOf(national, area, kind)) {
        const key = cellKey(t, a, k, d, r.code);
        add(counts, key, r.count);
        if (r.sum !== 0) add(sums, key, r.sum);
      }
  }
  return {
    counts,
    sums,
    codes: new Map([...codes].map(([d, s]) => [d, [...s].sort()])),
    areas: national ? [...areas].sort() : null,
    kinds: national ? [...kinds].sort() : null,
    landKinds,
  };
}

/**
 * The quarter under way at a release (some of its months released, not all), as its own release
 * would show it were it over now: the quarter's cells and the year so far with it (named
 * `2026-Q1-Q2`, as `shownCells` names a year so far), with their relations to the cells shown now.
 * None where no quarter is under way.
 */
function underWay(
  year: string,
  rows: readonly RollupRow[],
  national: boolean,
  quarters: number,
  through: string | undefined,
  /** False: the cells alone (a municipality's share, `shareCounter`). */
  withRelations = true,
): { counts: Map<string, number>; relations: Relation[]; inequalities: Relation[] } {
  const none = { counts: new Map<string, number>(), relations: [], inequalities: [] };
  if (!through || through.slice(0, 4) !== year || quarters === 4 || Number(through.slice(5, 7)) % 3 === 1) return none;
  const next = quarters + 1;
  const quarter = `${year}-Q${next}`;
  const sofar = `${year}-Q1-Q${next}`;
  const as = (key: string): string =>
    key.startsWith(AUXILIARY) ? AUXILIARY + as(key.slice(AUXILIARY.length)) : key.startsWith(`${year}|`) ? sofar + key.slice(year.length) : key;
  const ours = (key: string) => key.replace(AUXILIARY, "").startsWith(`${quarter}|`) || key.replace(AUXILIARY, "").startsWith(`${sofar}|`);
  const ahead = summed(
    year,
    rows.filter((r) => r.month < through),
    national,
    next,
  );
  const counts = new Map<string, number>();
  for (const [k, v] of ahead.counts) if (ours(as(k))) counts.set(as(k), v);
  if (!withRelations) return { counts, relations: [], inequalities: [] };
  const theirs = cubeRelations(year, ahead.codes, ahead.areas, ahead.kinds, next, ahead.landKinds);
  const renamed = (list: Relation[]) =>
    list.map((r) => ({ parent: as(r.parent), children: r.children.map(as) })).filter((r) => [r.parent, ...r.children].some(ours));
  return { counts, relations: renamed(theirs.relations), inequalities: renamed(theirs.inequalities) };
}

const SPAN = /^(\d{4})-Q1-Q([23])$/;

/** The cells among `keys` that are years so far an earlier release showed (`2026-Q1-Q2|…`), each once. */
const spansOf = (keys: readonly string[]): string[] => [...new Set(keys.filter((k) => SPAN.test(k.slice(0, k.indexOf("|")))))];

/** The year as an earlier release showed it: its quarters over then (`2026-Q1-Q2`, from `spansOf`), as sums of the quarters in the table now. */
function earlierSums(
  spans: readonly string[],
  counts: ReadonlyMap<string, number>,
  sums: ReadonlyMap<string, number>,
): { counts: Map<string, number>; sums: Map<string, number>; relations: Relation[] } {
  const out = { counts: new Map(counts), sums: new Map(sums), relations: [] as Relation[] };
  if (spans.length === 0) return out;
  const wanted = new Set(spans);
  for (const key of spans) {
    const [time, ...rest] = key.split("|");
    const span = SPAN.exec(time) as RegExpExecArray;
    out.relations.push({ parent: key, children: [1, 2, 3].slice(0, Number(span[2])).map((q) => [`${span[1]}-Q${q}`, ...rest].join("|")) });
    out.counts.set(key, 0);
    out.sums.set(key, 0);
  }
  for (const [key, n] of counts)
    for (const span of spansHolding(key, wanted)) {
      out.counts.set(span, (out.counts.get(span) ?? 0) + n);
      out.sums.set(span, (out.sums.get(span) ?? 0) + (sums.get(key) ?? 0));
    }
  return out;
}

/** The years so far among `wanted` that a quarter's cell adds to (the second quarter's to Q1–Q2 and Q1–Q3). */
function spansHolding(key: string, wanted: ReadonlySet<string>): string[] {
  const bar = key.indexOf("|");
  const quarter = /^(\d{4})-Q([123])$/.exec(key.slice(0, bar));
  if (!quarter) return [];
  const out: string[] = [];
  for (let last = Math.max(2, Number(quarter[2])); last <= 3; last++) {
    const span = `${quarter[1]}-Q1-Q${last}${key.slice(bar)}`;
    if (wanted.has(span)) out.push(span);
  }
  return out;
}

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
 * Strafanträge filed in time weigh like a total: they are a key figure of their own, so a few
 * filed late are hidden beside the measure "Strafantrag" rather than beside them.
 */
function costOf(key: string): number {
  const [time, area, kind, dimension] = key.split("|");
  const total = dimension === "incidents" || dimension === "closed" || dimension === "strafantrag";
  const country = area === COUNTRY || area === OWN;
  const whole = kind === ALL_KINDS || kind === OWN;
  return (total ? 10 : 1) * (country && whole ? 100 : country || whole ? 10 : 1) * (time.length === 4 ? 3 : 1);
}

/**
 * The totals of reports and closed cases a reader looks at first: the country's and a kind of
 * municipality's by month, quarter and year; a Land's and a municipality's own by quarter and year
 * (a month of those is most often below 5 anyway, and each costs the second look a check: a
 * municipality's own table is protected while its page waits).
 */
function isHeadline(key: string): boolean {
  const [time, area, , dimension] = key.split("|");
  if (dimension !== "incidents" && dimension !== "closed") return false;
  return area === COUNTRY || time.length === 4 || time.includes("Q");
}

/** A figure as shown: the number, or withheld (below 5, or withheld to protect one that is). */
export type Figure = { value: number } | { withheld: Suppression };

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
