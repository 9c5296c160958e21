// Benchmark: the worker threads of the PDF layout and the releases' disclosure control — a thread
// started for each task against one kept in a pool (src/platform/threads.ts). Per task, the
// process's processor time (its threads included) and the time until the answer. Prints figures only.
//
//   npm run bench:threads -- [--tasks 20]
import { parseArgs } from "node:util";
import type { ProtectedYear, ReleasedYear } from "../src/modules/monitoring/release-worker.ts";
import type { FlowDocument } from "../src/platform/pdf/flow.ts";
import { ThreadPool } from "../src/platform/threads.ts";

const { values: args } = parseArgs({ options: { tasks: { type: "string", default: "20" } } });
const TASKS = Number(args.tasks);

/** A certificate's worth of text: a heading and three paragraphs. */
const certificate = (i: number): FlowDocument => ({
  title: `Teilnahmebescheinigung ${i}`,
  lang: "de",
  direction: "ltr",
  blocks: [
    { type: "H1", text: "Teilnahmebescheinigung", style: { size: 18, bold: true } },
    { type: "P", text: `Erika Fiktiv hat am ${(i % 28) + 1}. März 2026 an der Schulung „Hass im Netz begegnen“ teilgenommen.`, style: {} },
    { type: "P", text: "Inhalte: Beweise sichern, Strafantrag stellen, Unterstützung im Kollegium, Beratungsstellen.", style: {} },
    { type: "P", text: "Musterstadt, Clearingstelle", style: {} },
  ],
});

/** A small municipality's year, different each time (no answer of the solver's kept ones fits it). */
const smallYear = (i: number): ReleasedYear => ({
  year: 2026,
  rows: [1, 2, 3, 4, 5, 6].flatMap((m) => [
    { month: `2026-0${m}-01`, land: "05", kind: "platform", dimension: "incidents", code: "all", count: 1 + ((i + m) % 4), sum: 0 },
    { month: `2026-0${m}-01`, land: "05", kind: "platform", dimension: "place", code: "town_hall", count: 1 + ((i + m) % 4), sum: 0 },
  ]),
  through: "2026-07-01",
  national: false,
  known: [],
  hidden: [],
  largest: [],
});

async function measure<T, R>(label: string, file: URL, task: (i: number) => T, kept: boolean): Promise<void> {
  let pool = new ThreadPool<T, R>(file, { size: 1 });
  await pool.run(task(-1)); // warm-up: the first thread's start is paid either way
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  for (let i = 0; i < TASKS; i++) {
    if (!kept) {
      await pool.stop(10_000);
      pool = new ThreadPool<T, R>(file, { size: 1 });
    }
    await pool.run(task(i));
  }
  const cpu = process.cpuUsage(c0);
  await pool.stop(10_000);
  console.log(
    `${label.padEnd(48)} ${((performance.now() - t0) / TASKS).toFixed(0).padStart(5)} ms to the answer, ${((cpu.user + cpu.system) / 1000 / TASKS).toFixed(0).padStart(5)} ms of processor time per task`,
  );
}

const flow = new URL("../src/platform/pdf/flow-worker.ts", import.meta.url);
const release = new URL("../src/modules/monitoring/release-worker.ts", import.meta.url);
console.log(`${TASKS} tasks each, one at a time:`);
await measure<FlowDocument, Uint8Array>("a certificate's PDF, a thread per task", flow, certificate, false);
await measure<FlowDocument, Uint8Array>("a certificate's PDF, the thread kept", flow, certificate, true);
await measure<ReleasedYear[], ProtectedYear[]>("a municipality's small year, a thread per task", release, (i) => [smallYear(i)], false);
await measure<ReleasedYear[], ProtectedYear[]>("a municipality's small year, the thread kept", release, (i) => [smallYear(i)], true);
