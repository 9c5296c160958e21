import { parentPort, workerData } from "node:worker_threads";
import { buildCube, type RollupRow } from "./cube.ts";

/*
 * A year's national table, protected in a thread of its own (`protectInWorker`): over a sparse
 * table that takes a second or more, which the process serving pages must not stand still for.
 */

const { year, rows } = workerData as { year: string; rows: RollupRow[] };
parentPort?.postMessage([...buildCube(year, rows, true).withheld]);
