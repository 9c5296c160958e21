import { parentPort, workerData } from "node:worker_threads";
import { buildCube, type RollupRow } from "./cube.ts";

/*
 * The years' national tables of a release, protected in a thread of its own (`protectInWorker`):
 * over a sparse table that takes a second or more, which the process serving pages must not
 * stand still for. It loads the table and the disclosure control only.
 */

/** A year of a release: its rollup rows, and the first month the release does not hold. */
export interface ReleasedYear {
  year: number;
  rows: RollupRow[];
  through: string;
}

if (parentPort) {
  const years = workerData as ReleasedYear[];
  parentPort.postMessage(years.map(({ year, rows, through }) => [...buildCube(String(year), rows, true, { through }).withheld]));
}
