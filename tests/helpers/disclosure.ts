import { createRequire } from "node:module";
import fc from "fast-check";
import { rowKey } from "../../src/modules/monitoring/cells.ts";
import { buildCube, type Cube, heldBack, type RollupRow, shownCells } from "../../src/modules/monitoring/cube.ts";
import type { Dimension } from "../../src/modules/monitoring/dimensions.ts";
import { AUXILIARY, MINIMUM } from "../../src/modules/monitoring/protect.ts";
import { contributions, openedRecord } from "../../src/modules/monitoring/records.ts";
import { cubeRelations } from "../../src/modules/monitoring/relations.ts";

/** HiGHS, as the engine uses it, but asked another question: each cell's least and greatest whole value. */
const highs = await (createRequire(import.meta.url)("highs") as typeof import("highs")["default"])();

/*
 * The attacker of the Lagebild's disclosure control, for its tests: solvers of its own (fractions,
 * not the engine's floating point; integer programs for each cell's least and greatest value, not
 * the engine's search for moves) that find the withheld cells the shown ones give away, and tables
 * and releases made of random rows.
 */

type Fraction = [bigint, bigint];
export type Rel = { parent: string; children: readonly string[] };
const gcd = (a: bigint, b: bigint): bigint => (b === 0n ? (a < 0n ? -a : a) : gcd(b, a % b));
const norm = ([n, d]: Fraction): Fraction => {
  if (n === 0n) return [0n, 1n];
  const g = gcd(n, d) * (d < 0n ? -1n : 1n);
  return [n / g, d / g];
};
const sub = (a: Fraction, b: Fraction): Fraction => norm([a[0] * b[1] - b[0] * a[1], a[1] * b[1]]);
const mul = (a: Fraction, b: Fraction): Fraction => norm([a[0] * b[0], a[1] * b[1]]);
const div = (a: Fraction, b: Fraction): Fraction => norm([a[0] * b[1], a[1] * b[0]]);

/** The reduced row echelon form of a dense matrix of fractions (Gauss–Jordan), without its zero rows. */
export function reduced(matrix: Fraction[][]): Fraction[][] {
  const m = matrix.map((r) => r.slice());
  let r = 0;
  const cols = m[0]?.length ?? 0;
  for (let c = 0; c < cols && r < m.length; c++) {
    const p = m.findIndex((row, i) => i >= r && row[c][0] !== 0n);
    if (p === -1) continue;
    [m[r], m[p]] = [m[p], m[r]];
    const lead = m[r][c];
    m[r] = m[r].map((x) => div(x, lead));
    for (let i = 0; i < m.length; i++) {
      if (i === r || m[i][c][0] === 0n) continue;
      const f = m[i][c];
      m[i] = m[i].map((x, j) => (m[r][j][0] === 0n ? x : sub(x, mul(f, m[r][j]))));
    }
    r++;
  }
  return m.slice(0, r);
}

/** The withheld cells an attacker could compute exactly from the relations and the shown cells. */
export function revealed(withheld: string[], relations: { parent: string; children: readonly string[] }[]): string[] {
  const index = new Map(withheld.map((k, i) => [k, i]));
  const rows: Fraction[][] = [];
  for (const r of relations) {
    const row: Fraction[] = withheld.map(() => [0n, 1n]);
    let any = false;
    const put = (k: string, c: bigint) => {
      const i = index.get(k);
      if (i === undefined) return;
      row[i] = norm([row[i][0] + c * row[i][1], row[i][1]]);
      any = true;
    };
    put(r.parent, 1n);
    for (const k of r.children) put(k, -1n);
    if (any) rows.push(row);
  }
  if (rows.length === 0) return [];
  // A cell follows exactly where its unit vector lies in the row space: a row of the reduced form holds it alone.
  const alone = new Set(
    reduced(rows)
      .map((row) => row.flatMap((x, j) => (x[0] === 0n ? [] : [j])))
      .filter((cols) => cols.length === 1)
      .map(([j]) => j),
  );
  return withheld.filter((_, i) => alone.has(i));
}

/**
 * The withheld cells an attacker pins down with integer programs (counts and sums of scores are
 * whole numbers): the relations, the inequalities (a total at least its part), and the bounds
 * they know — a withheld count is at least 1 (a zero is shown). Each cell's least and greatest
 * value, solved as such (the engine instead looks for tables that move cells, `integerPinnedCells`).
 * `only`: the cells to solve for (default: all). `reach`: the value a cell's greatest must reach at
 * least — for a count, the minimum: one an attacker finds at most 4 is told to be small, though no
 * single value is (a count's protection interval). Found are the cells pinned or short of it.
 */
export function pinned(
  withheld: string[],
  relations: Rel[],
  value: (k: string) => number,
  inequalities: Rel[] = [],
  bounds: (k: string) => readonly [number, number] = () => [1, 1_000_000],
  only: (k: string) => boolean = () => true,
  reach: (k: string) => number = () => Number.NEGATIVE_INFINITY,
): string[] {
  const index = new Map(withheld.map((k, i) => [k, i]));
  const rows: string[] = [];
  const add = (name: string, r: Rel, sense: "=" | ">=") => {
    const terms = new Map<number, number>();
    let rhs = 0;
    for (const [k, c] of [[r.parent, 1] as const, ...r.children.map((k) => [k, -1] as const)]) {
      const i = index.get(k);
      // The shown cells move to the other side: Σ withheld (signed) = (or ≥) − Σ shown (signed).
      if (i === undefined) rhs -= c * value(k);
      else terms.set(i, (terms.get(i) ?? 0) + c);
    }
    for (const [i, c] of terms) if (c === 0) terms.delete(i);
    if (terms.size === 0) return;
    rows.push(` ${name}: ${[...terms].map(([i, c]) => `${c < 0 ? "-" : "+"} ${Math.abs(c)} x${i}`).join(" ")} ${sense} ${rhs}`);
  };
  for (const [i, r] of relations.entries()) add(`r${i}`, r, "=");
  for (const [i, r] of inequalities.entries()) add(`i${i}`, r, ">=");
  const limits = withheld.map((k, i) => ` ${bounds(k)[0]} <= x${i} <= ${bounds(k)[1]}`);
  const general = ["General", ` ${withheld.map((_, i) => `x${i}`).join(" ")}`];
  // Each whole table a solver finds is a witness for every cell: a cell it moves off its value is not
  // pinned, and one it takes as far as its reach is not short of it — no program of its own needed.
  const highest = withheld.map(() => Number.NEGATIVE_INFINITY);
  const moves = withheld.map(() => false);
  const extreme = (k: string, direction: "Maximize" | "Minimize", presolve: "on" | "off" = "on") => {
    const text = [
      direction,
      ` aim: x${index.get(k)}`,
      "Subject To",
      ...(rows.length > 0 ? rows : [` none: x${index.get(k)} >= 0`]),
      "Bounds",
      ...limits,
      ...general,
      "End",
    ].join("\n");
    const solution = highs.solve(text, { output_flag: false, presolve });
    if (solution.Status !== "Optimal") return Number.NaN;
    for (const [i, cell] of withheld.entries()) {
      const x = solution.Columns[`x${i}`]?.Primal;
      if (x === undefined) continue;
      highest[i] = Math.max(highest[i], x);
      if (Math.abs(x - value(cell)) > 1e-6) moves[i] = true;
    }
    return solution.ObjectiveValue;
  };
  // Pinned where neither way leads off its value; short where its greatest stays below its reach.
  return withheld.filter((k) => {
    if (!only(k)) return false;
    const i = index.get(k) as number;
    if (moves[i] && highest[i] >= reach(k) - 1e-6) return false;
    // HiGHS's presolve can end a whole-number program early at a point it calls optimal (ERGO-Code/HiGHS
    // #2900, #3094): a verdict against the engine is asked again without it. Each answer is a table that
    // holds, so the farther of the two is the attacker's.
    const most = (presolve: "on" | "off") => extreme(k, "Maximize", presolve);
    const least = (presolve: "on" | "off") => extreme(k, "Minimize", presolve);
    const isShort = (m: number) => m < reach(k) - 1e-6;
    const isPinned = (m: number, l: () => number) => !moves[i] && Math.abs(m - value(k)) < 1e-6 && Math.abs(l() - value(k)) < 1e-6;
    const first = most("on");
    if (!isShort(first) && !isPinned(first, () => least("on"))) return false;
    const again = Math.max(first, most("off"));
    return isShort(again) || isPinned(again, () => Math.min(least("on"), least("off")));
  });
}

export const LANDS = ["05", "06", "09"];
export const rowArbitrary = fc
  .record({
    month: fc.constantFrom("2026-01-01", "2026-02-01", "2026-04-01", "2026-07-01", "2026-11-01"),
    land: fc.constantFrom(...LANDS),
    kind: fc.constantFrom("model", "platform"),
    place: fc.constantFrom("town_hall", "online", "meeting"),
    count: fc.integer({ min: 1, max: 9 }),
    insults: fc.integer({ min: 0, max: 9 }),
    closed: fc.integer({ min: 0, max: 9 }),
  })
  .map((e) => ({ ...e, insults: Math.min(e.insults, e.count), closed: Math.min(e.closed, e.count) }));

/**
 * Rollup rows as the records would make them: each incident counted once in total and once by
 * place; some of them insults (a category a case may have or not), some of them closed.
 */
export function rollupsOf(
  entries: { month: string; land: string; kind: string; place: string; count: number; insults?: number; closed?: number }[],
): RollupRow[] {
  const out: RollupRow[] = [];
  for (const e of entries) {
    const row = (dimension: string, code: string, count: number) => {
      if (count > 0) out.push({ month: e.month, land: e.land, kind: e.kind, dimension, code, count, sum: 0 });
    };
    row("incidents", "all", e.count);
    row("place", e.place, e.count);
    row("form", "insult", e.insults ?? 0);
    row("closed", "all", e.closed ?? 0);
  }
  return out;
}

/** The first month a release does not hold: none (the year is over), or a month of the year under way. */
export const throughArbitrary = fc.constantFrom(undefined, "2026-02-01", "2026-05-01", "2026-08-01", "2026-10-01", "2026-12-01");

/**
 * Releases from February's to the next February's (the finished year released twice), each
 * protected with what the ones before showed; the last table, every cell shown, and every year so
 * far a release held (`2026-Q1-Q2`, shown or withheld).
 */
export function releasesOf(
  rows: RollupRow[],
  national: boolean,
  useKnown = true,
  /** Whether each release protects what the ones before withheld (`heldBack`). */
  holdBack = useKnown,
): { last: Cube; known: string[]; tables: Cube[]; spans: string[] } {
  let known: string[] = [];
  let hidden: string[] = [];
  const tables: Cube[] = [];
  const spans = new Set<string>();
  for (let m = 2; m <= 14; m++) {
    const through = m >= 13 ? `2027-${String(m - 12).padStart(2, "0")}-01` : `2026-${String(m).padStart(2, "0")}-01`;
    const cube = buildCube(
      "2026",
      rows.filter((r) => r.month < through),
      national,
      { through, known: useKnown ? known : [], hidden: holdBack ? hidden : [] },
    );
    tables.push(cube);
    if (cube.quarters === 2 || cube.quarters === 3)
      for (const k of cube.counts.keys()) if (k.startsWith("2026|")) spans.add(k.replace(/^2026/, `2026-Q1-Q${cube.quarters}`));
    known = [...new Set([...known, ...shownCells(cube)])];
    hidden = heldBack(cube, hidden, known);
  }
  return { last: tables[tables.length - 1], known, tables, spans: [...spans] };
}

/**
 * The auxiliary cells of some relations (sums that are no figure: an area with other motives, the
 * reports so far) with their values, the sums of their children: hidden from an attacker, at least 0.
 */
export function auxiliaryValues(relations: readonly Rel[], value: (k: string) => number): Map<string, number> {
  return new Map(relations.filter((r) => r.parent.startsWith(AUXILIARY)).map((r) => [r.parent, r.children.reduce((n, k) => n + value(k), 0)]));
}

/**
 * The withheld cells below 5 of one protected table that an attacker pins with its relations and
 * inequalities, in whole numbers: a withheld count at least 1, an auxiliary cell (never a figure) at least 0.
 */
export function pinnedInTable(cube: Cube, relations: Rel[], inequalities: Rel[]): string[] {
  const counted = (k: string) => cube.counts.get(k) ?? 0;
  const auxiliary = auxiliaryValues(relations, counted);
  return pinned(
    [...cube.withheld.keys(), ...auxiliary.keys()],
    relations,
    (k) => auxiliary.get(k) ?? counted(k),
    inequalities,
    (k) => (auxiliary.has(k) ? [0, 1_000_000] : [1, 1_000_000]),
    (k) => !auxiliary.has(k) && counted(k) < MINIMUM,
    () => MINIMUM,
  );
}

/** The kinds of municipality each Land's rows come from: which Länder have model municipalities is public. */
export function landKindsOf(rows: readonly RollupRow[]): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const r of rows) out.set(r.land, new Set([...(out.get(r.land) ?? []), r.kind]));
  return out;
}

/** The cells below 5 that every release together pins: the attacker holds each cell any release showed (a year so far as its quarters' sum). */
export function pinnedAcrossReleases(rows: RollupRow[], national: boolean, useKnown = true, holdBack = useKnown): string[] {
  const { last, known, spans: years } = releasesOf(rows, national, useKnown, holdBack);
  const areas = national ? [...new Set(rows.map((r) => r.land))].sort() : null;
  const kinds = national ? [...new Set(rows.map((r) => r.kind))].sort() : null;
  const { relations, inequalities } = cubeRelations("2026", last.codes as Map<Dimension, string[]>, areas, kinds, 4, landKindsOf(rows));
  const quarterly = (k: string, q: number) => k.replace(/^2026-Q1-Q[23]/, `2026-Q${q}`);
  const spanOf = (k: string) => /^2026-Q1-Q([23])\|/.exec(k);
  const value = (k: string) => {
    const span = spanOf(k);
    return span ? [1, 2, 3].slice(0, Number(span[1])).reduce((n, q) => n + (last.counts.get(quarterly(k, q)) ?? 0), 0) : (last.counts.get(k) ?? 0);
  };
  // Every year so far a release held, shown or withheld: the sum of its quarters.
  const spans = [...new Set([...known.filter((k) => spanOf(k)), ...years])].map((k) => ({
    parent: k,
    children: [1, 2, 3].slice(0, Number(spanOf(k)?.[1])).map((q) => quarterly(k, q)),
  }));
  // An auxiliary cell (an area with other motives) is no figure: unknown, at least 0.
  const auxiliary = auxiliaryValues(relations, value);
  const held = new Set(known);
  const hidden = [...new Set([...last.counts.keys(), ...years])].filter((k) => !held.has(k) && value(k) > 0);
  return pinned(
    [...hidden, ...auxiliary.keys()],
    [...relations, ...spans],
    (k) => auxiliary.get(k) ?? value(k),
    inequalities,
    (k) => (auxiliary.has(k) ? [0, 1_000_000] : [1, 1_000_000]),
    (k) => !auxiliary.has(k) && value(k) < MINIMUM,
    () => MINIMUM,
  );
}

/** Rollup rows of incidents reported in one month and closed some months later (the closing counts in its own month). */
export function reportedAndClosed(
  entries: { month: number; closedAfter: number; count: number; insults?: number; place: string; land: string; kind: string }[],
): RollupRow[] {
  const month = (m: number) => `2026-${String(Math.min(12, m)).padStart(2, "0")}-01`;
  return entries.flatMap((e) => [
    ...rollupsOf([{ month: month(e.month), land: e.land, kind: e.kind, place: e.place, count: e.count, insults: Math.min(e.insults ?? 0, e.count) }]),
    ...rollupsOf([{ month: month(e.month + e.closedAfter), land: e.land, kind: e.kind, place: e.place, count: 0, closed: e.count }]),
  ]);
}

/** Open reports (an insult online to a staff member) by their motives, each counted `copies` times, as rollup rows of the dimensions given. */
export function reportRows(
  entries: { month: string; land: string; kind: string; motives: string[]; copies: number }[],
  dimensions: readonly string[],
): RollupRow[] {
  const sums = new Map<string, RollupRow>();
  for (const e of entries) {
    const record = openedRecord({ land: e.land, kind: e.kind }, e.month, {
      channel: "web",
      mode: "named",
      forms: ["insult"],
      motives: e.motives,
      place: "online",
      affectedFunction: "staff",
    });
    for (const c of contributions(record)) {
      if (!dimensions.includes(c.dimension)) continue;
      const key = rowKey(c);
      const row = sums.get(key) ?? { ...c, count: 0, sum: 0 };
      row.count += c.count * e.copies;
      sums.set(key, row);
    }
  }
  return [...sums.values()];
}
