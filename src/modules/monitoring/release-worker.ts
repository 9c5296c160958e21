import { parentPort, workerData } from "node:worker_threads";
import { buildCube, type RollupRow } from "./cube.ts";

/*
 * The years' national tables of a release, protected in a thread of its own (`protectInWorker`):
 * over a sparse table that takes a second or more, which the process serving pages must not
 * stand still for. It loads the table and the disclosure control only.
 */

const years = workerData as { year: number; rows: RollupRow[] }[];
parentPort?.postMessage(years.map(({ year, rows }) => [...buildCube(String(year), rows, true).withheld]));
