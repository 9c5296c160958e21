import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { test } from "node:test";

/*
 * The module boundaries of .dependency-cruiser.cjs (run by `npm run check`) hold for the code,
 * and each rule fails on a planted violation: a rule that cannot fail checks nothing.
 */

const root = path.resolve(import.meta.dirname, "../..");
const config = path.join(root, ".dependency-cruiser.cjs");
const depcruise = path.join(root, "node_modules/dependency-cruiser/bin/dependency-cruiser.mjs");

function cruise(cwd: string): { code: number; out: string } {
  const r = spawnSync(process.execPath, [depcruise, "src", "--config", config, "--output-type", "err"], { cwd, encoding: "utf8" });
  return { code: r.status ?? 1, out: `${r.stdout}${r.stderr}` };
}

test("the code keeps its module boundaries", () => {
  const r = cruise(root);
  assert.equal(r.code, 0, r.out);
});

test("each boundary rule fails on a planted violation", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "komma-boundaries-"));
  try {
    const file = (name: string, text: string) => {
      mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
      writeFileSync(path.join(dir, name), text);
    };
    writeFileSync(path.join(dir, "tsconfig.json"), JSON.stringify({ compilerOptions: { allowImportingTsExtensions: true, noEmit: true } }));
    file("src/modules/reports/index.ts", "export const reports = 1;\n");
    file("src/modules/reports/commands.ts", "export const secret = 2;\n");
    file("src/modules/admin/index.ts", 'import { secret } from "../reports/commands.ts";\nexport const admin = secret;\n');
    file("src/platform/kernel.ts", 'import { reports } from "../modules/reports/index.ts";\nexport const kernel = reports;\n');
    file("src/cli.ts", 'import { secret } from "./modules/reports/commands.ts";\nexport const cli = secret;\n');
    file("src/modules/admin/a.ts", 'import { b } from "./b.ts";\nexport const a = b;\n');
    file("src/modules/admin/b.ts", 'import { a } from "./a.ts";\nexport const b = () => a;\n');
    const r = cruise(dir);
    assert.notEqual(r.code, 0);
    for (const rule of ["platform-knows-no-module", "module-through-index", "assembly-through-index", "no-cycles"]) {
      assert.match(r.out, new RegExp(rule), `${rule} is reported`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
