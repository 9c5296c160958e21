import { parentPort, type ResourceLimits, type Transferable, Worker, workerData } from "node:worker_threads";

/*
 * Worker threads of this process (the disclosure control's releases, PDF layout), kept in pools:
 * a thread's start — its own copy of the modules it loads, the solver's WebAssembly set up, the
 * PDF writer's code — costs a quarter to half a second of processor time, more than a small task
 * itself, so a pool's threads stay for the next task and end after a while without one.
 *
 * A thread cut off in the middle of WebAssembly (the release's solver) takes the whole process
 * down with a V8 failure — `worker.terminate()` and `process.exit()` both cut it off. So the
 * shutdown asks the threads to stop (`stopThreads`): a long task asks `stopAsked()` between its
 * steps and ends itself; a thread without a task is ended at once, one at work when it answers,
 * and one that has not answered after a grace period is terminated.
 */

/** 1 once the process shuts down; shared with every thread. */
const stop = new Int32Array(new SharedArrayBuffer(4));
const pools = new Set<ThreadPool<unknown, unknown>>();

/** Why a task ends early: the process shuts down. */
export const SHUTTING_DOWN = "the process is shutting down";

interface ThreadData {
  stop: Int32Array;
}

type Reply = { result: unknown } | { error: string };

interface Job {
  task: unknown;
  resolve: (result: never) => void;
  reject: (err: Error) => void;
}

/**
 * Up to `size` worker threads running `file` (which answers with `serveTasks`), each doing one task
 * at a time; more tasks wait their turn. A thread without a task for `idleMs` ends (its memory —
 * the solver's grows with the largest program it met — goes with it) and keeps the process from
 * ending meanwhile no more than an idle timer would.
 */
export class ThreadPool<Task, Result> {
  readonly #file: URL;
  readonly #size: number;
  readonly #idleMs: number;
  readonly #timeoutMs: number | undefined;
  readonly #limits: ResourceLimits | undefined;
  readonly #tasksPerThread: number;
  /** How many tasks each thread has been given. */
  readonly #given = new Map<Worker, number>();
  readonly #idle: Worker[] = [];
  readonly #busy = new Map<Worker, Job>();
  readonly #waiting: Job[] = [];
  /** Each thread's timer: its end when idle, or its task's limit when at work. */
  readonly #timers = new Map<Worker, NodeJS.Timeout>();
  #threads = 0;
  #stopped = false;

  /**
   * `timeoutMs`: a task not answered by then fails, and its thread is ended (only for threads that
   * run no WebAssembly: see above); `resourceLimits`: the thread's heap, which a task that outgrows
   * it ends with its thread; `tasksPerThread`: a thread ends after so many tasks (1: each task in a
   * thread of its own, for a library that keeps what it met in caches of its own).
   */
  constructor(file: URL, opts: { size: number; idleMs?: number; timeoutMs?: number; resourceLimits?: ResourceLimits; tasksPerThread?: number }) {
    this.#file = file;
    this.#size = opts.size;
    this.#idleMs = opts.idleMs ?? 60_000;
    this.#timeoutMs = opts.timeoutMs;
    this.#limits = opts.resourceLimits;
    this.#tasksPerThread = opts.tasksPerThread ?? Number.POSITIVE_INFINITY;
    pools.add(this as ThreadPool<unknown, unknown>);
  }

  /** The result of `task` in one of the pool's threads. */
  run(task: Task): Promise<Result> {
    if (this.#stopped || Atomics.load(stop, 0) === 1) return Promise.reject(new Error(SHUTTING_DOWN));
    return new Promise<Result>((resolve, reject) => {
      this.#waiting.push({ task, resolve: resolve as (result: never) => void, reject });
      this.#dispatch();
    });
  }

  /** How many threads the pool holds now, at work or not. */
  get threads(): number {
    return this.#threads;
  }

  #dispatch(): void {
    while (this.#waiting.length > 0) {
      const worker = this.#idle.pop() ?? (this.#threads < this.#size ? this.#start() : undefined);
      if (!worker) return;
      clearTimeout(this.#timers.get(worker));
      this.#timers.delete(worker);
      worker.ref();
      const job = this.#waiting.shift() as Job;
      this.#busy.set(worker, job);
      this.#given.set(worker, (this.#given.get(worker) ?? 0) + 1);
      if (this.#timeoutMs !== undefined)
        this.#timers.set(
          worker,
          setTimeout(() => this.#late(worker), this.#timeoutMs),
        );
      worker.postMessage(job.task);
    }
  }

  #start(): Worker {
    const worker = new Worker(this.#file, { workerData: { stop } satisfies ThreadData, resourceLimits: this.#limits });
    this.#threads++;
    worker.on("message", (reply: Reply) => {
      clearTimeout(this.#timers.get(worker));
      this.#timers.delete(worker);
      const job = this.#busy.get(worker);
      this.#busy.delete(worker);
      if ("error" in reply) job?.reject(new Error(reply.error));
      else job?.resolve(reply.result as never);
      // Between two tasks a thread is outside WebAssembly: ended there when the process shuts down.
      if (this.#stopped || Atomics.load(stop, 0) === 1 || (this.#given.get(worker) ?? 0) >= this.#tasksPerThread) {
        void worker.terminate();
        return;
      }
      this.#rest(worker);
      this.#dispatch();
    });
    // A thread that fails outside a task (its module did not load) ends: its task with it.
    worker.on("error", (err) => this.#busy.get(worker)?.reject(err));
    worker.on("exit", (code) => {
      this.#threads--;
      this.#given.delete(worker);
      clearTimeout(this.#timers.get(worker));
      this.#timers.delete(worker);
      const at = this.#idle.indexOf(worker);
      if (at >= 0) this.#idle.splice(at, 1);
      const job = this.#busy.get(worker);
      this.#busy.delete(worker);
      job?.reject(new Error(Atomics.load(stop, 0) === 1 ? SHUTTING_DOWN : `a worker thread stopped with ${code} before it answered`));
      if (!this.#stopped && Atomics.load(stop, 0) === 0) this.#dispatch();
    });
    return worker;
  }

  /** A task that took too long: failed, its thread ended. */
  #late(worker: Worker): void {
    const job = this.#busy.get(worker);
    this.#busy.delete(worker);
    job?.reject(new Error(`a worker thread did not answer within ${this.#timeoutMs} ms`));
    void worker.terminate();
  }

  /** A thread without a task: it keeps the process from ending no more, and ends after `idleMs`. */
  #rest(worker: Worker): void {
    worker.unref();
    this.#idle.push(worker);
    this.#timers.set(worker, setTimeout(() => void worker.terminate(), this.#idleMs).unref());
  }

  /** Ends the pool: its threads without a task and its waiting tasks at once; resolves when every thread has ended (terminated after `graceMs`). */
  async stop(graceMs: number): Promise<void> {
    this.#stopped = true;
    pools.delete(this as ThreadPool<unknown, unknown>);
    for (const job of this.#waiting.splice(0)) job.reject(new Error(SHUTTING_DOWN));
    const idle = [...this.#idle];
    const threads = [...idle, ...this.#busy.keys()];
    for (const worker of idle) void worker.terminate();
    await Promise.all(
      threads.map(
        (worker) =>
          new Promise<void>((resolve) => {
            const late = setTimeout(() => void worker.terminate(), graceMs);
            worker.once("exit", () => {
              clearTimeout(late);
              resolve();
            });
          }),
      ),
    );
  }
}

/**
 * In a pool's worker thread: answers each task the pool sends with `work`'s result (its
 * `transfer`able parts moved, not copied), or with the message of what it threw.
 */
export function serveTasks<Task, Result>(work: (task: Task) => Result | Promise<Result>, transfer: (result: Result) => Transferable[] = () => []): void {
  const port = parentPort;
  if (!port) throw new Error("serveTasks answers tasks in a worker thread");
  port.on("message", async (task: Task) => {
    let reply: Reply;
    let moved: Transferable[] = [];
    try {
      const result = await work(task);
      reply = { result };
      moved = transfer(result);
    } catch (err) {
      reply = { error: err instanceof Error ? err.message : String(err) };
    }
    port.postMessage(reply, moved);
  });
}

/** Whether the process asks its threads to stop (in the main thread: never). */
export const stopAsked = (): boolean => {
  const flag = (workerData as ThreadData | null)?.stop;
  return flag !== undefined && Atomics.load(flag, 0) === 1;
};

/** Asks every worker thread to stop, starts no more, and waits until each has ended (terminated after `graceMs`). */
export async function stopThreads(graceMs = 10_000): Promise<void> {
  Atomics.store(stop, 0, 1);
  await Promise.all([...pools].map((pool) => pool.stop(graceMs)));
}
