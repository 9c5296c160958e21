/**
 * Waits while `busy` holds, for at most `ms` milliseconds, looking every `every`: for what a test
 * process observes from outside (files on the spool, rows written by a job), which a busy machine
 * may do slowly. A limit in time, not in turns, and far above what an idle machine needs; the
 * caller asserts what it found afterwards. True where `busy` ended in time.
 */
export async function waitWhile(busy: () => boolean | Promise<boolean>, ms = 10_000, every = 20): Promise<boolean> {
  for (const end = performance.now() + ms; await busy(); ) {
    if (performance.now() >= end) return false;
    await new Promise((r) => setTimeout(r, every));
  }
  return true;
}

/** Waits until `check` holds, for at most `ms` milliseconds; fails naming `what` if it never does. */
export async function until(what: string, check: () => boolean | Promise<boolean>, ms = 20_000, every = 50): Promise<void> {
  if (!(await waitWhile(async () => !(await check()), ms, every))) throw new Error(`timed out waiting until ${what}`);
}

/**
 * Awaits `work`, a step of a test's tear-down, and says on the error output which step it is when
 * it has not ended after `ms` (again every `ms`), with what `detail` tells of its state: a step that
 * never ends otherwise shows only as its file's timeout, minutes later and without a name.
 */
export async function watched<T>(step: string, work: Promise<T>, detail?: () => string | Promise<string>, ms = 30_000): Promise<T> {
  const started = performance.now();
  const timer = setInterval(() => {
    void (async () => {
      const more = detail ? await Promise.resolve(detail()).catch((err: unknown) => `(${String(err)})`) : "";
      console.error(`tear-down: ${step} has not ended after ${Math.round((performance.now() - started) / 1000)} s${more ? ` — ${more}` : ""}`);
    })();
  }, ms);
  timer.unref();
  try {
    return await work;
  } finally {
    clearInterval(timer);
  }
}
