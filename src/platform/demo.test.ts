import assert from "node:assert/strict";
import { test } from "node:test";
import { startDemoInBackground } from "./demo.ts";
import type { ModuleManifest } from "./module.ts";
import type { Platform } from "./platform.ts";

test("the console names the demo's work in the background, says when it is done, and reports a failure by its module", async () => {
  const lines: string[] = [];
  const failures: string[] = [];
  let finish = () => {};
  const modules = [
    { name: "quiet", register() {} },
    { name: "figures", register() {}, demoInBackground: { what: "the first figures, at /figures", run: () => new Promise<void>((r) => (finish = r)) } },
    { name: "broken", register() {}, demoInBackground: { what: "something that fails", run: () => Promise.reject(new Error("no")) } },
  ] as unknown as ModuleManifest[];
  startDemoInBackground(
    {} as Platform,
    modules,
    (line) => lines.push(line),
    (_err, module) => failures.push(module),
  );
  assert.deepEqual(lines, [
    "Part of the demo data is being prepared in the background (the first figures, at /figures; something that fails): it follows within minutes.",
  ]);
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(failures, ["broken"]);
  finish();
  await new Promise((r) => setImmediate(r));
  assert.equal(lines.at(-1), "Demo: done in the background — the first figures, at /figures.");
  startDemoInBackground(
    {} as Platform,
    [modules[0]],
    (line) => lines.push(line),
    () => {},
  );
  assert.equal(lines.length, 2, "nothing said where nothing runs in the background");
});
