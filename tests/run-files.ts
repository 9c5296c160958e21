// Runs many test files in this one process (`node --test --test-isolation=none tests/run-files.ts`,
// started by scripts/test.ts with the list in KOMMA_TEST_FILES). Each file becomes a suite of its
// own, so its top-level hooks (`before`, `after`) and tests stay with it, as they would in a
// process of its own; the process, its compiled code and the test databases' template are shared.
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { before, describe } from "node:test";
import { pathToFileURL } from "node:url";

const root = path.resolve(import.meta.dirname, "..");
const files = JSON.parse(process.env.KOMMA_TEST_FILES ?? "[]") as string[];

// Every module the files import is loaded before the files themselves. The test runner files a
// test under the suite in whose asynchronous context it is declared; a file whose imports wait at
// their top level (the i18n catalogues, the HiGHS solver's WebAssembly) would be evaluated once
// they are ready, together with every other file waiting for them, in the context of one of them.
const IMPORT = /^\s*import\s+(?!type\b)(?:[^"';]*?\sfrom\s+)?["']([^"']+)["']/gm;
for (const file of files) {
  const absolute = path.resolve(root, file);
  for (const [, specifier] of readFileSync(absolute, "utf8").matchAll(IMPORT)) {
    await import(specifier.startsWith(".") ? pathToFileURL(path.resolve(path.dirname(absolute), specifier)).href : specifier);
  }
}

// The files run one after another, in this order: each one's time is from its start to the next one's.
const starts: [string, number][] = [];

for (const file of files) {
  const name = path.relative(root, path.resolve(root, file));
  describe(name, async () => {
    before(() => {
      starts.push([name, performance.now()]);
    });
    await import(pathToFileURL(path.resolve(root, file)).href);
  });
}

const out = process.env.KOMMA_TEST_DURATIONS;
if (out) {
  process.on("exit", () => {
    const ends = [...starts.slice(1).map(([, t]) => t), performance.now()];
    writeFileSync(out, JSON.stringify(Object.fromEntries(starts.map(([name, t], i) => [name, Math.round((ends[i] - t) / 100) / 10]))));
  });
}
