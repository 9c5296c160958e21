import { createHash } from "node:crypto";
import { createRequire } from "node:module";
import { SHUTTING_DOWN, stopAsked } from "../../platform/threads.ts";

/*
 * The exact check of the disclosure control (`protect.ts`): which withheld cells the relations
 * determine (linear algebra), and which the relations pin down together with the bounds an
 * attacker knows (linear programs, solved by HiGHS). In whole numbers: `whole-check.ts`.
 */

/** HiGHS, compiled to WebAssembly: a sparse simplex solver, settling a program over thousands of withheld cells in well under a second. */
const highs = await (createRequire(import.meta.url)("highs") as typeof import("highs")["default"])();

type SolveOptions = NonNullable<Parameters<typeof highs.solve>[1]>;

/** HiGHS's status and the values of the columns asked for: all a check reads of an answer. */
export interface Answer {
  status: string;
  values: ReadonlyMap<string, number>;
  /** Every column of the answer a whole number (a linear program's answer may be one). */
  whole: boolean;
}

/** Programs solved lately, by a hash of their text and options (see `solveProgram`). */
const solved = new Map<string, Answer>();
const SOLVED_KEPT = 2000;

/**
 * HiGHS's answer to a program in the CPLEX LP format, with the values of `columns` (which the
 * text determines: a caller asks for columns named in it). The same program comes again and
 * again — a group of withheld cells that a new secondary suppression elsewhere left as it was,
 * checked again; the same months in each release of a year — and HiGHS answers a program the same
 * way each time, so the last few thousand answers are kept and given again (two thirds of the
 * programs of a year's releases are repeats). Kept are only the columns asked for: HiGHS's whole
 * answer to a program over thousands of cells is a megabyte, and a cache of them held gigabytes.
 */
export function solveProgram(text: string, options: SolveOptions, columns: Iterable<string>): Answer {
  const key = createHash("sha256").update(JSON.stringify(options)).update(text).digest("base64");
  const known = solved.get(key);
  if (known) {
    // Most recently used last: the oldest is the first to go.
    solved.delete(key);
    solved.set(key, known);
    return known;
  }
  // In a release's thread when the process shuts down: ended here, between two programs, not inside one.
  if (stopAsked()) throw new Error(SHUTTING_DOWN);
  const solution = highs.solve(text, options);
  const values = new Map<string, number>();
  for (const name of columns) {
    const column = solution.Columns[name];
    if (column && "Primal" in column) values.set(name, column.Primal);
  }
  const whole = Object.values(solution.Columns).every((c) => !("Primal" in c) || Math.abs(c.Primal - Math.round(c.Primal)) < 1e-6);
  const answer = { status: solution.Status, values, whole };
  solved.set(key, answer);
  if (solved.size > SOLVED_KEPT) solved.delete(solved.keys().next().value as string);
  return answer;
}

/** A sum relation: the parent cell is the sum of the children. */
export interface Relation {
  parent: string;
  children: readonly string[];
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
    const { cells, rows } = groupOf(start, withheld, relations, relationsOf, seen, flipped);
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
  const answer = solveProgram(
    lines.join("\n"),
    { output_flag: false, time_limit: 60 },
    aimList.map((_, i) => `t${i}`),
  );
  const moved = new Set<string>();
  if (answer.status !== "Optimal") return moved;
  for (const [i, k] of aimList.entries()) if ((answer.values.get(`t${i}`) ?? 0) > 0.5) moved.add(k);
  return moved;
}

/**
 * The group of withheld cells reached from `start` through relations (marked in `seen`), with those
 * relations restricted to them: +1 the total, −1 each part (the other way round where `flipped`).
 */
export function groupOf(
  start: string,
  withheld: ReadonlyMap<string, unknown>,
  relations: readonly Relation[],
  relationsOf: ReadonlyMap<string, number[]>,
  seen: Set<string>,
  flipped: ReadonlySet<string> = new Set(),
): { cells: string[]; rows: Map<number, Map<string, number>> } {
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
  return { cells, rows };
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
