import assert from "node:assert/strict";
import { test } from "node:test";
import { runInThread, stopThreads } from "../../src/platform/threads.ts";

/*
 * A server stopped while a release is protected: its thread is in the middle of the solver's
 * WebAssembly. Cut off there (`worker.terminate()`, or the process's exit), it took the process
 * down with a V8 failure; asked to stop, it ends between two programs and the process goes on
 * to close its database and exit cleanly. (Were it cut off, this test's process would die.)
 */
test("a thread at work in the solver ends when the process shuts down, without taking the process with it", async () => {
  const working = runInThread(new URL("../fixtures/solving-thread.ts", import.meta.url), null);
  const outcome = working.then(
    () => "answered",
    (err: Error) => err.message,
  );
  // At work for a while: the solver loaded, programs solved one after another.
  await new Promise((resolve) => setTimeout(resolve, 1500));
  const started = Date.now();
  await stopThreads(20_000);
  assert.ok(Date.now() - started < 20_000, "it ended by itself, not after the grace period");
  assert.equal(await outcome, "the process is shutting down");
  // No thread starts once the process shuts down.
  await assert.rejects(runInThread(new URL("../fixtures/solving-thread.ts", import.meta.url), null), /shutting down/);
});
