import { ThreadPool } from "../../platform/threads.ts";
import type { ProtectedYear, ReleasedYear } from "./release-worker.ts";

/*
 * Tables protected in worker threads (`release-worker.ts`): over a sparse table the protection
 * takes seconds of CPU, which the process serving pages must not stand still for — the national
 * release's years, and a municipality's own release at its first look in a month.
 */

/**
 * The threads that protect tables: two at a time, each taking a core while it works. They stay for
 * the next tables (`ThreadPool`): a thread's start — the solver's WebAssembly set up again — took
 * longer than a municipality's small table, and a thread kept keeps the solver's answers to
 * programs it met before (the same months come again in each release of a year).
 */
const protecting = new ThreadPool<ReleasedYear[], ProtectedYear[]>(new URL("./release-worker.ts", import.meta.url), { size: 2 });

/**
 * A municipality's own table at its first look in a month, in a thread of its own: a small table
 * protected in a moment, which must not wait behind the national release's years (minutes over a
 * sparse table, both threads above) while someone waits for the page.
 */
const looking = new ThreadPool<ReleasedYear[], ProtectedYear[]>(new URL("./release-worker.ts", import.meta.url), { size: 1 });

/** One municipality's own table, protected for a page someone is waiting for. */
export async function protectOwnInWorker(year: ReleasedYear): Promise<ProtectedYear> {
  return (await looking.run([year]))[0];
}

/** The cells each year's table withholds, worked out in worker threads, a year each, two at a time: over a sparse table a year takes many seconds. */
export async function protectInWorker(years: ReleasedYear[]): Promise<ProtectedYear[]> {
  return (await Promise.all(years.map((year) => protecting.run([year])))).flat();
}

/** Many small tables — municipalities' own — protected one after another in one worker thread. */
export function protectBatchInWorker(years: ReleasedYear[]): Promise<ProtectedYear[]> {
  return years.length === 0 ? Promise.resolve([]) : protecting.run(years);
}
