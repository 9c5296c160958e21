import { runInThread } from "../../platform/threads.ts";
import type { ProtectedYear, ReleasedYear } from "./release-worker.ts";

/*
 * Tables protected in worker threads (`release-worker.ts`): over a sparse table the protection
 * takes seconds of CPU, which the process serving pages must not stand still for — the national
 * release's years, and a municipality's own release at its first look in a month.
 */

/** Worker threads protecting years at once: each takes a core while it works. */
const PROTECTING_AT_ONCE = 2;

/**
 * The cells each year's table withholds, worked out in worker threads
 * (`release-worker.ts`), a year each, two at a time: over a sparse table a year takes many seconds.
 */
export async function protectInWorker(years: ReleasedYear[]): Promise<ProtectedYear[]> {
  const out: ProtectedYear[] = new Array(years.length);
  let next = 0;
  const work = async () => {
    while (next < years.length) {
      const i = next++;
      [out[i]] = await protectYearsInWorker([years[i]]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(PROTECTING_AT_ONCE, years.length) }, work));
  return out;
}

/** Many small tables — municipalities' own — protected one after another in one worker thread: a thread takes a fifth of a second to start. */
export function protectBatchInWorker(years: ReleasedYear[]): Promise<ProtectedYear[]> {
  return years.length === 0 ? Promise.resolve([]) : protectYearsInWorker(years);
}

function protectYearsInWorker(years: ReleasedYear[]): Promise<ProtectedYear[]> {
  return runInThread<ProtectedYear[]>(new URL("./release-worker.ts", import.meta.url), years);
}
