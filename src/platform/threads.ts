import { Worker, workerData } from "node:worker_threads";

/*
 * Worker threads of this process (the disclosure control's releases, PDF layout): each runs one
 * task and ends. A thread cut off in the middle of WebAssembly (the release's solver) takes the
 * whole process down with a V8 failure — `worker.terminate()` and `process.exit()` both cut it
 * off. So the shutdown asks the threads to stop (`stopThreads`): a long task asks `stopAsked()`
 * between its steps and ends itself; a thread that has not ended after a grace period is
 * terminated.
 */

/** 1 once the process shuts down; shared with every thread. */
const stop = new Int32Array(new SharedArrayBuffer(4));
const live = new Set<Worker>();

/** Why a task ends early: the process shuts down. */
export const SHUTTING_DOWN = "the process is shutting down";

interface ThreadData<T> {
  task: T;
  stop: Int32Array;
}

/** Runs `file` in a worker thread with `task` (read there with `threadTask`); resolves with the first message it posts. */
export function runInThread<T>(file: URL, task: unknown): Promise<T> {
  if (Atomics.load(stop, 0) === 1) return Promise.reject(new Error(SHUTTING_DOWN));
  return new Promise<T>((resolve, reject) => {
    const worker = new Worker(file, { workerData: { task, stop } satisfies ThreadData<unknown> });
    live.add(worker);
    worker.once("message", resolve);
    worker.once("error", reject);
    worker.once("exit", (code) => {
      live.delete(worker);
      // After its message, an exit changes nothing; before it, the task did not finish.
      reject(new Error(Atomics.load(stop, 0) === 1 ? SHUTTING_DOWN : `a worker thread stopped with ${code} before it answered`));
    });
  });
}

/** In a worker thread: the task `runInThread` gave it. */
export const threadTask = <T>(): T => (workerData as ThreadData<T>).task;

/** Whether the process asks its threads to stop (in the main thread: never). */
export const stopAsked = (): boolean => {
  const flag = (workerData as ThreadData<unknown> | null)?.stop;
  return flag !== undefined && Atomics.load(flag, 0) === 1;
};

/** Asks every worker thread to stop, starts no more, and waits until each has ended (terminated after `graceMs`). */
export async function stopThreads(graceMs = 10_000): Promise<void> {
  Atomics.store(stop, 0, 1);
  await Promise.all(
    [...live].map(
      (worker) =>
        new Promise<void>((resolve) => {
          const late = setTimeout(() => void worker.terminate().then(() => resolve()), graceMs);
          worker.once("exit", () => {
            clearTimeout(late);
            resolve();
          });
        }),
    ),
  );
}
