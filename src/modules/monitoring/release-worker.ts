import { serveTasks } from "../../platform/threads.ts";
import { buildCube, heldBack, type RollupRow, type StoredTable, shownCells, storedTable } from "./cube.ts";
import type { Suppression } from "./protect.ts";

/*
 * The years' tables of a release — national, or a municipality's own — protected in a thread of
 * `protect-thread.ts`'s pool: over a sparse table that takes a second or more, which the
 * process serving pages must not stand still for. It loads the table and the disclosure control only.
 */

/** A year of a release: its rollup rows, and the first month the release does not hold. */
export interface ReleasedYear {
  year: number;
  rows: RollupRow[];
  through: string;
  /** The national table (across municipalities, with their shares), or one municipality's own. */
  national: boolean;
  /** The cells the year's earlier releases showed (`shownCells`). */
  known: string[];
  /** The cells they withheld and none showed since (`heldBack`). */
  hidden: string[];
  /** Each cell's largest share of one municipality (`shareCounter`; none for a municipality's own). */
  largest: [string, number][];
  /**
   * Withheld as these cells, not protected here: a municipality's own table where it makes up a
   * national scope alone, withheld as the national release withholds that scope (`sole.ts`).
   */
  protectedAs?: [string, Suppression][];
}

/** A year's table as protected: the cells it withholds, its cells (so that a read need not sum the rows again), and what the year's releases have shown with it. */
export interface ProtectedYear {
  withheld: [string, Suppression][];
  table: StoredTable;
  shown: string[];
  /** What the year's releases have withheld and none has shown, this one's withheld cells too. */
  heldBack: string[];
}

serveTasks((years: ReleasedYear[]) =>
  years.map(({ year, rows, national, through, known, hidden, largest, protectedAs }): ProtectedYear => {
    const cube = buildCube(String(year), rows, national, {
      through,
      known,
      hidden,
      largest: new Map(largest),
      protectedAs: protectedAs && new Map(protectedAs),
    });
    const shown = [...new Set([...known, ...shownCells(cube)])].sort();
    return { withheld: [...cube.withheld], table: storedTable(cube), shown, heldBack: heldBack(cube, hidden, shown) };
  }),
);
