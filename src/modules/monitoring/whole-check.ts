import { groupOf, type Relation, solveProgram } from "./exact-check.ts";

/*
 * The whole-number check of the disclosure control (`protect.ts`): counts are whole numbers, so a
 * withheld count is pinned, or told to be small, where no whole table moves it far enough —
 * even where tables of fractions would.
 */

/** What the whole-number check may know besides the cells: see `integerPinnedCells`. */
export interface WholeOptions {
  /** What an attacker knows a cell is at most (default: nothing but the room a move needs). */
  upper?: (k: string) => number;
  /**
   * How far up an aim must be able to go to be free, where it must (a count's protection interval);
   * undefined: one more than its value, or one less.
   */
  reach?: (k: string) => number | undefined;
  /**
   * Aims found free by an earlier check of the same table with no more shown since: withholding
   * more only adds room, so they stay free (read and added to).
   */
  free?: Set<string>;
}

/** Up to this many cells, a group's programs are solved in fractions first (see `moved`). */
const FRACTIONS_FIRST = 1000;

/**
 * The withheld cells among `aims` that whole numbers pin down. Counts are whole numbers, and an
 * attacker may use that: where the relations and the bounds let a cell move only by a fraction (a
 * withheld 1 that could rise to 1.5, were the other cells not whole), it is pinned all the same.
 * For each group of withheld cells tied by relations, an integer program looks for a whole table
 * that keeps every relation and bound and moves an aim up to its `reach` at least, where it has
 * one; else one that moves it up by 1, or down by 1 (where it can go down). A table found moves
 * several aims at once, and each aim it moves far enough is free. An aim no table moves so
 * is flagged. `lower`: what an attacker knows a cell is at least (1 for a withheld count, 0 for a
 * slack cell); `upper`: at most (for a count, nothing but the room a move needs; for the sum behind
 * a mean, five times its number of answers). `reach` is a count's protection interval: a count
 * below the minimum must be able to reach the minimum, or an attacker who finds it at most 2
 * knows it is small although no single value is told. Before any program, the bounds each
 * relation gives on its own (propagated, as a solver's presolve does) rule out the aims that
 * cannot reach so far.
 */
export function integerPinnedCells(
  withheld: ReadonlyMap<string, unknown>,
  relations: readonly Relation[],
  relationsOf: ReadonlyMap<string, number[]>,
  value: (k: string) => number,
  lower: (k: string) => number,
  aims: readonly string[],
  options: WholeOptions = {},
): string[] {
  const upper = options.upper ?? ((k: string) => value(k) + 1000);
  const reach = options.reach ?? (() => undefined);
  const free = options.free ?? new Set<string>();
  const pinned: string[] = [];
  const seen = new Set<string>();
  const isAim = new Set(aims);
  const target = (k: string, up: boolean) => (up ? Math.max(reach(k) ?? 0, value(k) + 1) : value(k) - 1);
  // A count with an interval to reach is free only where it reaches it: a move down says nothing of that.
  const downFrees = (k: string) => reach(k) === undefined;
  for (const start of aims) {
    if (seen.has(start) || !withheld.has(start)) continue;
    const { cells, rows } = groupOf(start, withheld, relations, relationsOf, seen);
    const live = [...rows.values()].filter((row) => row.size > 0);
    const open = new Set(cells.filter((k) => isAim.has(k) && !free.has(k)));
    // Without a relation among withheld cells, each moves freely.
    if (live.length === 0 || open.size === 0) continue;
    const rhs = live.map((row) => [...row].reduce((sum, [m, c]) => sum + c * value(m), 0));
    const range = propagated(cells, live, rhs, lower, upper);
    const index = new Map(cells.map((k, i) => [k, i]));
    const body = live.map((row, i) => ` r${i}: ${[...row].map(([m, c]) => `${c < 0 ? "-" : "+"} ${Math.abs(c)} y${index.get(m)}`).join(" ")} = ${rhs[i]}`);
    const bounds = cells.map((k, i) => ` ${lower(k)} <= y${i} <= ${upper(k)}`);
    const general = ["General", ` ${cells.map((_, i) => `y${i}`).join(" ")}`];
    /** A whole table with `aim` up to its reach (or one down), others of `open` moved the same way where they can be: the aims it moves so far. */
    const moved = (aim: string, up: boolean): string[] | null => {
      const others = [...open].filter((k) => k !== aim);
      const objective = others.length > 0 ? others.map((k) => `+ 1 y${index.get(k)}`).join(" ") : `+ 0 y${index.get(aim)}`;
      const aimRow = ` aim: + 1 y${index.get(aim)} ${up ? ">=" : "<="} ${target(aim, up)}`;
      const program = [up ? "Maximize" : "Minimize", ` move: ${objective}`, "Subject To", ...body, aimRow, "Bounds", ...bounds];
      // A small group's program in fractions first (a simplex answer is often whole already, the
      // relations being sums): where no table of fractions exists, no whole one does; where the
      // one found is whole, it is the table asked for. There the integer program's own set-up
      // takes two to three times as long as the simplex; in a group of thousands of cells, the
      // integer program is about as fast as the simplex, and asked directly.
      const columns = [...open].map((k) => `y${index.get(k)}`);
      const relaxed = cells.length <= FRACTIONS_FIRST ? solveProgram([...program, "End"].join("\n"), { output_flag: false, time_limit: 60 }, columns) : null;
      if (relaxed?.status === "Infeasible") return null;
      const answer =
        relaxed?.status === "Optimal" && relaxed.whole
          ? relaxed
          : solveProgram([...program, ...general, "End"].join("\n"), { output_flag: false, time_limit: 60, mip_rel_gap: 1 }, columns);
      if (answer.status !== "Optimal" && answer.status !== "Time limit reached") return null;
      const out: string[] = [];
      for (const k of open) {
        const y = answer.values.get(`y${index.get(k)}`);
        if (y !== undefined && (up ? y > target(k, up) - 0.5 : y < target(k, up) + 0.5)) out.push(k);
      }
      return out.includes(aim) ? out : null;
    };
    const reachable = (k: string, up: boolean) => {
      const [least, most] = range.get(k) ?? [lower(k), upper(k)];
      return up ? target(k, up) <= most : target(k, up) >= least;
    };
    for (const up of [true, false])
      for (const aim of [...open]) {
        if (!open.has(aim) || !reachable(aim, up) || (!up && !downFrees(aim))) continue;
        for (const k of moved(aim, up) ?? [])
          if (up || downFrees(k)) {
            open.delete(k);
            free.add(k);
          }
      }
    pinned.push(...open);
  }
  return pinned;
}

/**
 * The range each cell of a group can take by the relations one at a time, narrowed in turns until
 * nothing changes (a row of a shown total of 6 with a withheld 1 and another withheld part: that
 * part is at most 5). Valid for every table that keeps the relations and bounds, so an aim out of
 * reach here is out of reach for the solver too.
 */
function propagated(
  cells: readonly string[],
  rows: readonly Map<string, number>[],
  rhs: readonly number[],
  lower: (k: string) => number,
  upper: (k: string) => number,
): Map<string, [number, number]> {
  const range = new Map(cells.map((k) => [k, [lower(k), upper(k)] as [number, number]]));
  for (let turn = 0, changed = true; changed && turn < 20; turn++) {
    changed = false;
    for (const [i, row] of rows.entries()) {
      // Σ c·y = rhs: each term lies between rhs less the others' greatest and rhs less the others' least.
      const terms = [...row].map(([m, c]) => {
        const [lo, hi] = range.get(m) as [number, number];
        return { m, c, least: c > 0 ? c * lo : c * hi, most: c > 0 ? c * hi : c * lo };
      });
      const sum = (part: "least" | "most") => {
        let finite = 0;
        let infinite = 0;
        for (const t of terms)
          if (Number.isFinite(t[part])) finite += t[part];
          else infinite++;
        return { finite, infinite };
      };
      const least = sum("least");
      const most = sum("most");
      for (const t of terms) {
        const r = range.get(t.m) as [number, number];
        const others = (total: { finite: number; infinite: number }, own: number) =>
          total.infinite - (Number.isFinite(own) ? 0 : 1) > 0 ? Number.NaN : total.finite - (Number.isFinite(own) ? own : 0);
        // t.c·y ≤ rhs − others' least, and t.c·y ≥ rhs − others' greatest.
        const high = rhs[i] - others(least, t.least);
        const low = rhs[i] - others(most, t.most);
        const [a, b] = t.c > 0 ? [low / t.c, high / t.c] : [high / t.c, low / t.c];
        // Whole numbers: rounded inwards.
        if (Number.isFinite(b) && Math.floor(b + 1e-9) < r[1]) {
          r[1] = Math.floor(b + 1e-9);
          changed = true;
        }
        if (Number.isFinite(a) && Math.ceil(a - 1e-9) > r[0]) {
          r[0] = Math.ceil(a - 1e-9);
          changed = true;
        }
      }
    }
  }
  return range;
}
