/**
 * Waits while `busy` holds, for at most `ms` milliseconds, looking every `every`: for what a test
 * process observes from outside (files on the spool, rows written by a job), which a busy machine
 * may do slowly. A limit in time, not in turns, and far above what an idle machine needs; the
 * caller asserts what it found afterwards.
 */
export async function waitWhile(busy: () => boolean | Promise<boolean>, ms = 10_000, every = 20): Promise<void> {
  for (const end = performance.now() + ms; (await busy()) && performance.now() < end; ) await new Promise((r) => setTimeout(r, every));
}

/** Waits until `check` holds, for at most `ms` milliseconds; fails naming `what` if it never does. */
export async function until(what: string, check: () => boolean | Promise<boolean>, ms = 20_000, every = 50): Promise<void> {
  await waitWhile(async () => !(await check()), ms, every);
  if (!(await check())) throw new Error(`timed out waiting until ${what}`);
}
