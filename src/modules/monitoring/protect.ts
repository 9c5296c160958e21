import { createRequire } from "node:module";

/** HiGHS, compiled to WebAssembly: a sparse simplex solver, settling a program over thousands of withheld cells in well under a second. */
const highs = await (createRequire(import.meta.url)("highs") as typeof import("highs")["default"])();

/*
 * Disclosure control for figures that cross municipalities: a count of 1 to 4 is withheld
 * (primary suppression), and further counts are withheld with it (complementary suppression)
 * until no withheld count can be worked out — not from one total (a row, a column, a year, the
 * country), and not from any combination of the totals the figures are bound by.
 *
 * The figures form one table (a cube) for a year: time (months, quarters, the year) × Land (and
 * the whole country) × kind of municipality (and all) × category. Every figure shown anywhere —
 * any filter, the export, the API — is a cell of that one protected table, so that a repeated
 * question with shifted filters only finds cells already shown or already withheld. The additive
 * relations between the cells (a quarter is the sum of its months, the country the sum of its
 * Länder, a total the sum of its categories) are what an attacker could combine; after the
 * simple rule (no relation with exactly one withheld cell), an exact check solves the relations
 * for the withheld cells (Gaussian elimination) and withholds more wherever one is determined.
 * Zero is shown: it describes no one — so an attacker knows that a withheld count is at least 1,
 * and the exact check includes that bound (`boundDeterminedCells`).
 */

export const MINIMUM = 5;

/**
 * A key starting with this names an auxiliary cell: a sum of cells that is no figure of the table
 * (an area plus other motives), defined by the relation that has it as its total, so that an
 * inequality can bound several cells together. Hidden, never protected, like a slack cell.
 */
export const AUXILIARY = "Σ";

/** A sum relation: the parent cell is the sum of the children. */
export interface Relation {
  parent: string;
  children: readonly string[];
}

export type Suppression = "primary" | "secondary";

/**
 * For a table other than counts (the sums behind mean scores): which cells to withhold for
 * themselves, which are hidden already, and which sit at a bound an attacker knows.
 */
export interface ProtectOptions {
  /** Withheld for itself (default: a count from 1 to `minimum` − 1). */
  primary?: (key: string, value: number) => boolean;
  /** Not shown for another reason: counts as withheld from the start. */
  hidden?: Iterable<string>;
  /** At the lower end of what an attacker knows it could be, so it can only go up (default: a withheld 1). */
  atLowerBound?: (key: string) => boolean;
  /** At the upper end, so it can only go down (default: none). */
  atUpperBound?: (key: string) => boolean;
  /**
   * What withholding a shown cell costs its readers, as a factor on its value (default 1): the
   * cell withheld to protect another is the one of least cost, so that a headline figure (the
   * country's month) goes only where nothing else will do.
   */
  cost?: (key: string) => number;
  /**
   * Cells worth a second look once the table is protected: a withheld one among them is shown
   * again, most costly first, where the table stays protected without it (the widening, one cell
   * at a time, can take more than in the end it needs).
   */
  reconsider?: (key: string) => boolean;
}

/**
 * Which cells are withheld: counts below the minimum, and what protects them. `inequalities`: what
 * an attacker knows beyond the sums — a total is at least each part counted in it (a category a
 * case may have or not, the closed cases of those reported), so that a shown part bounds a withheld
 * total. Each becomes a sum relation with a slack cell (the total less its parts): never shown,
 * never protected itself, at its bound where it is 0 — exactly like a withheld 1 (`atBound`).
 */
export function protect(
  values: ReadonlyMap<string, number>,
  relations: readonly Relation[],
  minimum = MINIMUM,
  inequalities: readonly Relation[] = [],
  options: ProtectOptions = {},
): Map<string, Suppression> {
  const withheld = new Map<string, Suppression>();
  const primary = options.primary ?? ((_: string, v: number) => v > 0 && v < minimum);
  for (const [key, v] of values) if (primary(key, v)) withheld.set(key, "primary");
  if (withheld.size === 0) return withheld;
  for (const key of options.hidden ?? []) if (!withheld.has(key)) withheld.set(key, "secondary");
  const slack = new Map<string, number>();
  for (const r of relations)
    if (r.parent.startsWith(AUXILIARY) && !slack.has(r.parent)) {
      slack.set(
        r.parent,
        r.children.reduce((sum, k) => sum + (values.get(k) ?? 0), 0),
      );
      withheld.set(r.parent, "secondary");
    }
  const all = [...relations];
  for (const [i, r] of inequalities.entries()) {
    const v = (values.get(r.parent) ?? slack.get(r.parent) ?? 0) - r.children.reduce((sum, k) => sum + (values.get(k) ?? 0), 0);
    // An inequality the figures do not keep is no knowledge.
    if (v < 0) continue;
    const key = `~${i}`;
    slack.set(key, v);
    withheld.set(key, "secondary");
    all.push({ parent: r.parent, children: [...r.children, key] });
  }
  const value = (k: string) => values.get(k) ?? slack.get(k) ?? 0;
  const costOf = options.cost ?? (() => 1);
  const price = (k: string) => value(k) * costOf(k);
  const upper = options.atUpperBound ?? (() => false);
  const lower = options.atLowerBound ?? ((k: string) => value(k) <= 1);
  const atBound = (k: string) => (slack.has(k) ? value(k) <= 0 : lower(k) || upper(k));
  // A cell that can only go down is one that can only go up, counted the other way round.
  const flipped = new Set([...withheld.keys()].filter((k) => !slack.has(k) && upper(k)));
  const real = (cells: string[]) => cells.filter((k) => !slack.has(k));
  const result = () => new Map([...withheld].filter(([k]) => !slack.has(k)));
  const relationsOf = new Map<string, number[]>();
  all.forEach((r, i) => {
    for (const k of [r.parent, ...r.children]) {
      const list = relationsOf.get(k);
      if (list) list.push(i);
      else relationsOf.set(k, [i]);
    }
  });
  /** The cell to withhold with a lone one in a relation: the smallest shown count, a category before its total. */
  const complement = (r: Relation): string | null => {
    let best: string | null = null;
    for (const k of r.children) if (!withheld.has(k) && value(k) > 0 && (best === null || price(k) < price(best))) best = k;
    if (best === null && !withheld.has(r.parent) && value(r.parent) > 0) best = r.parent;
    return best;
  };
  const touched = new Set<number>([...withheld.keys()].flatMap((k) => relationsOf.get(k) ?? []));
  // The withheld 1s found able to move: withholding more only adds freedom, so they stay so.
  const movable = new Set<string>();
  for (let round = 0; round < 1000; round++) {
    // 1. No relation may hold exactly one withheld cell.
    while (touched.size > 0) {
      const [i] = touched;
      touched.delete(i);
      const r = all[i];
      const lone = [r.parent, ...r.children].filter((k) => withheld.has(k));
      // A slack cell alone needs no protection: it is not shown.
      if (lone.length !== 1 || slack.has(lone[0])) continue;
      const c = complement(r);
      if (c === null) continue;
      withheld.set(c, "secondary");
      for (const j of relationsOf.get(c) ?? []) touched.add(j);
    }
    // 2. The exact check: withhold more where the relations together still determine a cell —
    // by the sums alone, or by the sums with the bounds an attacker knows (a withheld count is at
    // least 1, since a 0 is shown, and at most the grand total).
    let determined = real(determinedCells(withheld, all, relationsOf));
    if (determined.length === 0) {
      for (const k of withheld.keys()) if (!slack.has(k) && upper(k)) flipped.add(k);
      determined = real(boundDeterminedCells(withheld, all, relationsOf, atBound, movable, flipped));
    }
    if (determined.length === 0) return reconsidered([]);
    let widened = false;
    // One at a time where they are near each other: a figure withheld for one may free its neighbours too.
    const near = new Set<number>();
    for (const cell of determined) {
      if (!withheld.has(cell)) continue;
      if ((relationsOf.get(cell) ?? []).some((i) => near.has(i))) continue;
      const extra = widen(cell, withheld, all, relationsOf, value, price);
      if (extra === null) continue;
      withheld.set(extra, "secondary");
      widened = true;
      for (const j of relationsOf.get(extra) ?? []) {
        touched.add(j);
        near.add(j);
      }
    }
    // Where nothing around a flagged cell is left to withhold (every figure it is tied to is withheld
    // or zero), the bound check, which is stricter than an attacker can be, is the only one to object.
    if (!widened && touched.size === 0) return reconsidered(determined);
  }
  throw new Error("disclosure control did not settle");

  /** What the exact check still flags, with the cells as withheld now. */
  function flagged(): string[] {
    for (const r of all) {
      const lone = [r.parent, ...r.children].filter((k) => withheld.has(k));
      if (lone.length === 1 && !slack.has(lone[0])) return lone;
    }
    const determined = real(determinedCells(withheld, all, relationsOf));
    return determined.length > 0 ? determined : real(boundDeterminedCells(withheld, all, relationsOf, atBound, new Set(), flipped));
  }

  /** The second look (`reconsider`): each candidate shown again where the check flags nothing it did not flag before. */
  function reconsidered(before: readonly string[]): Map<string, Suppression> {
    const allowed = new Set(before);
    const candidates = [...withheld]
      .filter(([k, w]) => w === "secondary" && !slack.has(k) && options.reconsider?.(k))
      .map(([k]) => k)
      .sort((a, b) => price(b) - price(a));
    const candidate = new Set(candidates);
    for (const k of candidates) {
      if (!withheld.has(k)) continue;
      // Shown again together with the candidates the check then flags (a quarter with its month), a few rounds at most.
      const trying = new Set([k]);
      for (let round = 0; round < 4; round++) {
        for (const c of trying) withheld.delete(c);
        const flaggedNow = flagged().filter((f) => !allowed.has(f));
        if (flaggedNow.length === 0) break;
        if (round === 3 || !flaggedNow.every((f) => candidate.has(f) && withheld.has(f))) {
          for (const c of trying) withheld.set(c, "secondary");
          break;
        }
        for (const f of flaggedNow) trying.add(f);
      }
    }
    return result();
  }
}

/** A further cell that takes part in the relations of a determined one (breadth first through its relations). */
function widen(
  cell: string,
  withheld: ReadonlyMap<string, Suppression>,
  relations: readonly Relation[],
  relationsOf: ReadonlyMap<string, number[]>,
  value: (k: string) => number,
  price: (k: string) => number,
): string | null {
  const seen = new Set([cell]);
  let frontier = [cell];
  while (frontier.length > 0) {
    let best: string | null = null;
    const next: string[] = [];
    for (const k of frontier)
      for (const i of relationsOf.get(k) ?? [])
        for (const m of [relations[i].parent, ...relations[i].children]) {
          if (seen.has(m)) continue;
          seen.add(m);
          if (withheld.has(m)) next.push(m);
          else if (value(m) > 0 && (best === null || price(m) < price(best))) best = m;
        }
    if (best !== null) return best;
    frontier = next;
  }
  return null;
}

/**
 * The withheld cells whose value follows from the shown ones and the relations: the unit vector
 * of such a cell lies in the row space of the relations restricted to the withheld cells.
 */
export function determinedCells(withheld: ReadonlyMap<string, unknown>, relations: readonly Relation[], relationsOf?: ReadonlyMap<string, number[]>): string[] {
  const cells = [...withheld.keys()];
  const index = new Map(cells.map((k, i) => [k, i]));
  const involved = new Set<number>();
  if (relationsOf) for (const k of cells) for (const i of relationsOf.get(k) ?? []) involved.add(i);
  else for (const i of relations.keys()) involved.add(i);
  // Rows: each relation over its withheld cells (+1 the parent, −1 each child).
  const rows: Map<number, number>[] = [];
  for (const i of involved) {
    const r = relations[i];
    const row = new Map<number, number>();
    const put = (k: string, c: number) => {
      const j = index.get(k);
      if (j !== undefined) row.set(j, (row.get(j) ?? 0) + c);
    };
    put(r.parent, 1);
    for (const k of r.children) put(k, -1);
    for (const [j, c] of row) if (c === 0) row.delete(j);
    if (row.size > 0) rows.push(row);
  }
  // Echelon form, built row by row: each kept row is reduced by the pivots before it.
  const pivotRow = new Map<number, number>();
  const basis: { pivot: number; row: Map<number, number> }[] = [];
  for (const raw of rows) {
    const row = reduce(raw, basis, pivotRow);
    if (row.size === 0) continue;
    const [pivot] = row.keys();
    pivotRow.set(pivot, basis.length);
    basis.push({ pivot, row });
  }
  // Reduced: each row loses the pivots of the rows after it, last first; a row left with its pivot alone determines that cell.
  for (let i = basis.length - 1; i >= 0; i--) {
    const { pivot, row } = basis[i];
    const reduced = reduce(new Map([...row].filter(([j]) => j !== pivot)), basis, pivotRow);
    reduced.set(pivot, row.get(pivot) as number);
    basis[i].row = reduced;
  }
  const out: string[] = [];
  for (const { pivot, row } of basis) if (row.size === 1) out.push(cells[pivot]);
  return out;
}

const EPSILON = 1e-9;

/**
 * The withheld cells an attacker could pin down with the relations and the bound a shown zero
 * gives away: a withheld count is at least 1. Exact: the true table can move in a direction `d`
 * that keeps every relation (`M d = 0`) and lowers no withheld 1 (`d ≥ 0` there); a cell is
 * pinned when no such direction changes it. The withheld 1s that can move up at all (`findMovableOnes`,
 * by linear algebra and linear programs) can all move up together; the others stay at 1 in every direction, so they
 * are pinned and count as known — and every other cell is pinned exactly when the relations
 * determine it with those known (`determinedCells`). A `flipped` cell is at an upper bound (it can
 * only go down): its column counts the other way round, so that it too can only "go up".
 */
export function boundDeterminedCells(
  withheld: ReadonlyMap<string, unknown>,
  relations: readonly Relation[],
  relationsOf: ReadonlyMap<string, number[]>,
  atBound: (k: string) => boolean,
  movable: Set<string> = new Set(),
  flipped: ReadonlySet<string> = new Set(),
): string[] {
  const ones = [...withheld.keys()].filter(atBound);
  if (ones.length === 0) return determinedCells(withheld, relations, relationsOf);
  findMovableOnes(withheld, ones, relations, relationsOf, movable, flipped);
  const fixed = ones.filter((k) => !movable.has(k));
  const known = new Set(fixed);
  return [...fixed, ...determinedCells(new Map([...withheld].filter(([k]) => !known.has(k))), relations, relationsOf)];
}

/**
 * Adds to `movable` the withheld 1s that some direction keeping the relations (and lowering no
 * withheld 1) moves up. A 1 whose column (its part in each relation) is a combination of the
 * columns of cells free to move either way — those above 1, and 1s already found, which can all
 * be raised enough together — moves up: that is linear algebra. For the rest, one linear program
 * per group of withheld cells tied by relations finds every one that moves (`moveUp`). A 1 it
 * does not find (should the solver stop without an answer) counts as pinned, which can only
 * withhold more.
 */
function findMovableOnes(
  withheld: ReadonlyMap<string, unknown>,
  ones: readonly string[],
  relations: readonly Relation[],
  relationsOf: ReadonlyMap<string, number[]>,
  movable: Set<string>,
  flipped: ReadonlySet<string>,
): void {
  const isOne = new Set(ones);
  // The column of a cell: +1 in the relations it is the total of, −1 in those it is a part of (the other way round where flipped).
  const column = (k: string) => {
    const col = new Map<number, number>();
    const sign = flipped.has(k) ? -1 : 1;
    for (const i of relationsOf.get(k) ?? []) col.set(i, (col.get(i) ?? 0) + sign * (relations[i].parent === k ? 1 : -1));
    for (const [i, c] of col) if (c === 0) col.delete(i);
    return col;
  };
  const pivotRow = new Map<number, number>();
  const basis: { pivot: number; row: Map<number, number> }[] = [];
  for (const k of withheld.keys()) {
    if (isOne.has(k) && !movable.has(k)) continue;
    const col = reduce(column(k), basis, pivotRow);
    if (col.size === 0) continue;
    const [pivot] = col.keys();
    pivotRow.set(pivot, basis.length);
    basis.push({ pivot, row: col });
  }
  const rest = ones.filter((k) => {
    if (movable.has(k)) return false;
    if (reduce(column(k), basis, pivotRow).size > 0) return true;
    movable.add(k);
    return false;
  });
  if (rest.length > 0) for (const k of moveUpInGroups(withheld, isOne, relations, relationsOf, new Set(rest), flipped)) movable.add(k);
}

/** The `aims` that a linear program moves up, solved for each group of withheld cells tied by relations that holds one of them. */
function moveUpInGroups(
  withheld: ReadonlyMap<string, unknown>,
  ones: ReadonlySet<string>,
  relations: readonly Relation[],
  relationsOf: ReadonlyMap<string, number[]>,
  aims: ReadonlySet<string>,
  flipped: ReadonlySet<string>,
): Set<string> {
  const moved = new Set<string>();
  const seen = new Set<string>();
  for (const start of aims) {
    if (seen.has(start)) continue;
    // The group: withheld cells reached through relations, with those relations restricted to them.
    const cells: string[] = [];
    const rows = new Map<number, Map<string, number>>();
    const queue = [start];
    seen.add(start);
    while (queue.length > 0) {
      const k = queue.pop() as string;
      cells.push(k);
      for (const i of relationsOf.get(k) ?? []) {
        if (rows.has(i)) continue;
        const row = new Map<string, number>();
        const r = relations[i];
        for (const [m, c] of [[r.parent, 1] as const, ...r.children.map((m) => [m, -1] as const)])
          if (withheld.has(m)) row.set(m, (row.get(m) ?? 0) + (flipped.has(m) ? -c : c));
        for (const [m, c] of row) if (c === 0) row.delete(m);
        rows.set(i, row);
        for (const m of row.keys())
          if (!seen.has(m)) {
            seen.add(m);
            queue.push(m);
          }
      }
    }
    const groupAims = new Set(cells.filter((k) => aims.has(k)));
    const live = [...rows.values()].filter((row) => row.size > 0);
    if (live.length === 0) for (const k of groupAims) moved.add(k);
    else for (const k of moveUp(cells, ones, live, groupAims)) moved.add(k);
  }
  return moved;
}

/**
 * One linear program: a direction `d` keeping the rows (`M d = 0`), with the 1s not lowered
 * (`d ≥ 0` there) and the other cells free, maximising Σ min(d, 1) over the `aims`. Directions
 * form a cone, so the sum of one direction per movable aim (each scaled to raise it by 1) raises
 * all of them at once: the optimum is the number of movable aims, reached only with each at 1.
 */
function moveUp(cells: readonly string[], ones: ReadonlySet<string>, rows: readonly Map<string, number>[], aims: ReadonlySet<string>): Set<string> {
  // Written in the CPLEX LP format HiGHS reads: d0… the cells' moves, t0… the aims' gains.
  const index = new Map(cells.map((k, i) => [k, i]));
  const aimList = [...aims];
  const lines = ["Maximize", ` gain: ${aimList.map((_, i) => `t${i}`).join(" + ")}`, "Subject To"];
  for (const [i, row] of rows.entries())
    lines.push(` r${i}: ${[...row].map(([m, c]) => `${c < 0 ? "-" : "+"} ${Math.abs(c)} d${index.get(m)}`).join(" ")} = 0`);
  for (const [i, k] of aimList.entries()) lines.push(` a${i}: t${i} - d${index.get(k)} <= 0`);
  lines.push("Bounds");
  // A variable is at least 0 unless declared free: the 1s may not go down, the others may.
  for (const [i, k] of cells.entries()) if (!ones.has(k)) lines.push(` d${i} free`);
  for (const i of aimList.keys()) lines.push(` 0 <= t${i} <= 1`);
  lines.push("End");
  const solution = highs.solve(lines.join("\n"), { output_flag: false, time_limit: 60 });
  const moved = new Set<string>();
  if (solution.Status !== "Optimal") return moved;
  for (const [i, k] of aimList.entries()) if ((solution.Columns[`t${i}`]?.Primal ?? 0) > 0.5) moved.add(k);
  return moved;
}

/** The vector less its combination of the basis rows (each pivot taken out in the order the rows were built). */
function reduce(vector: ReadonlyMap<number, number>, basis: readonly { pivot: number; row: Map<number, number> }[], pivotRow: ReadonlyMap<number, number>) {
  const v = new Map(vector);
  // Taking out row r brings in only columns that are free or pivots of later rows: a heap of row numbers suffices.
  const heap: number[] = [];
  const queued = new Set<number>();
  const push = (r: number) => {
    if (queued.has(r)) return;
    queued.add(r);
    heap.push(r);
    for (let i = heap.length - 1; i > 0; ) {
      const up = (i - 1) >> 1;
      if (heap[up] <= heap[i]) break;
      [heap[up], heap[i]] = [heap[i], heap[up]];
      i = up;
    }
  };
  const pop = (): number => {
    const top = heap[0];
    const last = heap.pop() as number;
    if (heap.length > 0) {
      heap[0] = last;
      for (let i = 0; ; ) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < heap.length && heap[l] < heap[m]) m = l;
        if (r < heap.length && heap[r] < heap[m]) m = r;
        if (m === i) break;
        [heap[m], heap[i]] = [heap[i], heap[m]];
        i = m;
      }
    }
    return top;
  };
  for (const j of v.keys()) {
    const r = pivotRow.get(j);
    if (r !== undefined) push(r);
  }
  while (heap.length > 0) {
    const { pivot, row } = basis[pop()];
    const at = v.get(pivot);
    if (at === undefined) continue;
    const factor = at / (row.get(pivot) as number);
    for (const [j, c] of row) {
      const x = (v.get(j) ?? 0) - factor * c;
      if (Math.abs(x) < EPSILON) v.delete(j);
      else {
        if (!v.has(j)) {
          const r = pivotRow.get(j);
          if (r !== undefined) push(r);
        }
        v.set(j, x);
      }
    }
    v.delete(pivot);
  }
  return v;
}
