import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { describe, test } from "node:test";
import { ThreadPool } from "../../src/platform/threads.ts";
import { until } from "../helpers/wait.ts";

/*
 * The worker threads of the releases and the PDF layout (`ThreadPool`): kept for the next task,
 * ended when idle, and stopped without harm when the process shuts down.
 */

const THREAD = new URL("../fixtures/pooled-thread.ts", import.meta.url);

/** `tests/fixtures/threads-process.ts` in a process of its own: its exit and what it printed last. */
function inProcess(mode: "shutdown" | "idle") {
  const child = spawnSync(process.execPath, [new URL("../fixtures/threads-process.ts", import.meta.url).pathname, mode], { encoding: "utf8", timeout: 60_000 });
  const last = child.stdout.trim().split("\n").at(-1) ?? "";
  return {
    status: child.status,
    signal: child.signal,
    stderr: child.stderr,
    seen: last.startsWith("{") ? (JSON.parse(last) as Record<string, unknown>) : null,
  };
}

describe("worker threads", () => {
  test("a pool keeps its thread for the next task and runs up to its size at once", async () => {
    const pool = new ThreadPool<string, number>(THREAD, { size: 2 });
    const first = await pool.run("id");
    assert.equal(await pool.run("id"), first, "the second task ran in the first one's thread");
    assert.equal(pool.threads, 1);
    const [a, b] = await Promise.all([pool.run("id"), pool.run("id")]);
    assert.equal(pool.threads, 2, "two tasks at once, two threads");
    assert.ok([a, b].includes(first));
    assert.equal((await Promise.all([pool.run("id"), pool.run("id"), pool.run("id")])).length, 3, "a third task waits its turn");
    assert.equal(pool.threads, 2);
  });

  test("a task that throws fails with its message, and the thread goes on to the next", async () => {
    const pool = new ThreadPool<string, number>(THREAD, { size: 1 });
    const first = await pool.run("id");
    await assert.rejects(pool.run("fail"), /the task failed/);
    assert.equal(await pool.run("id"), first);
  });

  test("a task past its time limit fails, and its thread is ended for a new one", async () => {
    const pool = new ThreadPool<string, number>(THREAD, { size: 1, timeoutMs: 2000 });
    const first = await pool.run("id");
    await assert.rejects(pool.run("spin"), /did not answer within 2000 ms/);
    const next = await pool.run("id");
    assert.notEqual(next, first, "a new thread");
    assert.equal(pool.threads, 1);
  });

  test("a thread without a task ends after a while", async () => {
    const pool = new ThreadPool<string, number>(THREAD, { size: 1, idleMs: 200 });
    await pool.run("id");
    assert.equal(pool.threads, 1);
    await until("the idle thread has ended", () => pool.threads === 0);
  });

  test("an idle thread does not keep the process from ending", () => {
    const { status, signal, seen } = inProcess("idle");
    assert.equal(signal, null, "the process ended by itself, not by the time limit");
    assert.equal(status, 0);
    assert.equal(seen?.threads, 1);
  });

  // Cut off in the middle of the solver's WebAssembly (`worker.terminate()`, or the process's exit),
  // a thread took the process down with a V8 failure; asked to stop, it ends between two programs
  // and the process goes on to close its database and exit cleanly.
  test("a thread at work in the solver ends when the process shuts down, without taking the process with it", () => {
    const { status, signal, stderr, seen } = inProcess("shutdown");
    assert.equal(signal, null, stderr);
    assert.equal(status, 0, stderr);
    assert.equal(seen?.working, "the process is shutting down");
    assert.ok((seen?.stoppedIn as number) < 20_000, "it ended by itself, not after the grace period");
    assert.equal(seen?.later, "the process is shutting down", "no task starts once the process shuts down");
    assert.equal(seen?.threads, 0);
  });
});
