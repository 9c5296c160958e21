import assert from "node:assert/strict";
import { test } from "node:test";
import { startDemoInBackground } from "./demo.ts";
import type { ModuleManifest } from "./module.ts";
import type { Platform } from "./platform.ts";

const settle = () => new Promise((r) => setImmediate(r));

test("the console names the demo's work in the background, says when it is done, and reports a failure by its module", async () => {
  const lines: string[] = [];
  const failures: string[] = [];
  let finish = () => {};
  const modules = [
    { name: "quiet", register() {} },
    {
      name: "figures",
      register() {},
      demoInBackground: { what: "the first figures, at /figures", due: async () => false, run: () => new Promise<void>((r) => (finish = r)) },
    },
    { name: "broken", register() {}, demoInBackground: { what: "something that fails", due: async () => true, run: () => Promise.reject(new Error("no")) } },
  ] as unknown as ModuleManifest[];
  const say = (line: string) => lines.push(line);
  await startDemoInBackground({} as Platform, modules, { seeded: true, say, failed: (_err, module) => failures.push(module) });
  assert.deepEqual(lines, [
    "Part of the demo data is being prepared in the background (the first figures, at /figures; something that fails): it follows within minutes.",
  ]);
  await settle();
  assert.deepEqual(failures, ["broken"]);
  finish();
  await settle();
  assert.equal(lines.at(-1), "Demo: done in the background — the first figures, at /figures.");
  await startDemoInBackground({} as Platform, [modules[0]], { seeded: true, say, failed: () => {} });
  assert.equal(lines.length, 2, "nothing said where nothing runs in the background");
});

test("a later start goes on with what a stop left undone, and says so; what is done is not begun again", async () => {
  const lines: string[] = [];
  const ran: string[] = [];
  const work = (name: string, due: boolean) => ({
    name,
    register() {},
    demoInBackground: { what: `the ${name}`, due: async () => due, run: async () => void ran.push(name) },
  });
  const modules = [work("figures", true), work("report", false)] as unknown as ModuleManifest[];
  await startDemoInBackground({} as Platform, modules, { seeded: false, say: (line) => lines.push(line), failed: () => {} });
  await settle();
  assert.deepEqual(ran, ["figures"]);
  assert.deepEqual(lines, [
    "Part of the demo data was not done at the last stop and is being prepared in the background again (the figures): it follows within minutes.",
    "Demo: done in the background — the figures.",
  ]);
  lines.length = 0;
  await startDemoInBackground({} as Platform, [modules[1]], { seeded: false, say: (line) => lines.push(line), failed: () => {} });
  assert.deepEqual(lines, [], "a start after all was done says nothing of it");
});
