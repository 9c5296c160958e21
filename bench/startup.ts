// Benchmark: how long a KommA process takes to load its code, before it does anything — what the
// server, every command and every test file pay once.
//
//   npm run bench:startup [-- --runs 5]
//
// Each run is a new process that loads the command-line program (and with it every module) and
// exits. Three ways, each the median of the runs:
//   1. as Node 24 loads it on its own (no compile cache, no resolve hook);
//   2. with the resolve hook of src/platform/preload.ts (no compile cache);
//   3. as src/cli.ts starts: the hook and Node's compile cache, warmed by one run before.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";

const { values } = parseArgs({ options: { runs: { type: "string", default: "5" } } });
const runs = Math.max(1, Number(values.runs) || 5);
const root = path.resolve(import.meta.dirname, "..");
const preload = path.join(root, "src/platform/preload.ts");
const program = path.join(root, "src/cli/program.ts");
const cacheDir = mkdtempSync(path.join(tmpdir(), "komma-startup-"));

// The child reports its own time since its start and its CPU time once everything is loaded.
const probe = `await import(${JSON.stringify(program)}); const c = process.cpuUsage(); console.log(JSON.stringify({ wall: performance.now(), cpu: (c.user + c.system) / 1000 }));`;

function once(args: string[], env: Record<string, string>): { wall: number; cpu: number } {
  const r = spawnSync(process.execPath, [...args, "--input-type=module", "-e", probe], {
    cwd: root,
    env: { PATH: process.env.PATH ?? "", ...env },
    encoding: "utf8",
  });
  if (r.status !== 0) throw new Error(`the probe failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split("\n").at(-1) as string);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function measure(label: string, args: string[], env: Record<string, string>) {
  const results = Array.from({ length: runs }, () => once(args, env));
  const wall = median(results.map((r) => r.wall));
  const cpu = median(results.map((r) => r.cpu));
  console.log(`${label.padEnd(44)} ${(wall / 1000).toFixed(2).padStart(6)} s  CPU ${(cpu / 1000).toFixed(2).padStart(6)} s`);
  return wall;
}

console.log(`Loading the program (src/cli/program.ts), median of ${runs} new processes`);
const plain = measure("Node on its own", [], { NODE_DISABLE_COMPILE_CACHE: "1" });
measure("with the resolve hook", [`--import=${preload}`], { NODE_DISABLE_COMPILE_CACHE: "1" });
once([`--import=${preload}`], { NODE_COMPILE_CACHE: cacheDir });
const fast = measure("with the hook and the compile cache (warm)", [`--import=${preload}`], { NODE_COMPILE_CACHE: cacheDir });
console.log(`→ ${(plain / fast).toFixed(1)}× faster to load`);
rmSync(cacheDir, { recursive: true, force: true });
