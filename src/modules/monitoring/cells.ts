import { DIMENSIONS, type Dimension } from "./dimensions.ts";
import { MEAN } from "./means.ts";
import { AUXILIARY, type Relation } from "./protect.ts";
import { cellKey, cubeRelations, MONTHLY, OWN, scopesOf } from "./relations.ts";

/*
 * The cells of a year's table from rollup rows: the months, the quarters over and the year summed
 * and broken down (`summed`), the quarter under way as its release would show it (`underWay`), the
 * years so far an earlier release showed (`earlierSums`) — and each municipality's share of them
 * (`shareCounter`). `cube.ts` protects the table they make.
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

/** A rollup row's key: the row a record's part adds to (`records.ts`), and the row whose cells a share counts in. */
export const rowKey = (r: Pick<RollupRow, "month" | "land" | "kind" | "dimension" | "code">) => `${r.month}|${r.land}|${r.kind}|${r.dimension}|${r.code}`;

export const quarterOf = (month: string) => `${month.slice(0, 4)}-Q${Math.floor((Number(month.slice(5, 7)) - 1) / 3) + 1}`;

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

/**
 * Counts each municipality's share in the cells of a year's national table, as `buildCube` makes
 * them with the same options (the quarter under way and the years so far included), and keeps the
 * largest share of each cell. `add` takes one municipality's rows at a time (its rows may repeat a
 * key: they are added). A row's cells are worked out once per key, from the table of that row alone.
 */
export function shareCounter(
  year: string,
  { through, known = [], hidden = [] }: { through?: string; known?: readonly string[]; hidden?: readonly string[] } = {},
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
        const key = rowKey(r);
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
export function summed(year: string, rows: readonly RollupRow[], national: boolean, quarters: number) {
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
export function underWay(
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
export const spansOf = (keys: readonly string[]): string[] => [...new Set(keys.filter((k) => SPAN.test(k.slice(0, k.indexOf("|")))))];

/** The year as an earlier release showed it: its quarters over then (`2026-Q1-Q2`, from `spansOf`), as sums of the quarters in the table now. */
export function earlierSums(
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
