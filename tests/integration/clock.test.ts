import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";

/*
 * What decides behaviour (deadlines, limits, windows, what a record says happened when) asks the
 * injected clock, so that tests can move time. The few places below read the wall clock for
 * something else, each for the reason given; a new one must be added here with its reason.
 */
const ALLOWED: Record<string, string> = {
  "src/platform/platform.ts": "the system clock itself",
  "src/modules/reports/uploads.ts": "a unique name for a temporary file",
  "src/platform/ui/assets.ts": "unique build folders and removing stale ones",
  "src/platform/db/backup.ts": "when an archive was written, for people reading it",
  "src/modules/reports/tenants.ts": "how long a cached municipality is kept (a cache, not a rule)",
  "src/cli/program.ts": "the demo's second-factor code for a person at a terminal, now",
};

const root = path.resolve(import.meta.dirname, "../..");
function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return files(full);
    return full.endsWith(".ts") && !full.endsWith(".test.ts") ? [full] : [];
  });
}

test("nothing but the listed places reads the wall clock", () => {
  const readers = files(path.join(root, "src"))
    .filter((f) => /Date\.now\(\)|new Date\(\)/.test(readFileSync(f, "utf8")))
    .map((f) => path.relative(root, f));
  assert.deepEqual(
    readers.filter((f) => !(f in ALLOWED)),
    [],
  );
  assert.deepEqual(
    Object.keys(ALLOWED).filter((f) => !readers.includes(f)),
    [],
    "an allowance no longer needed is removed",
  );
});
