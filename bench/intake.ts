// Benchmark: report intake throughput and latency on PostgreSQL and on PGlite, with a bare
// endpoint of the same server as the ceiling, measured in the same run. Prints figures only.
//
//   npm run bench -- [--duration 10] [--concurrency 32]
//
// The server runs as a child process (as in production); this process only sends requests,
// all on loopback.
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import pg from "pg";
import { demoMunicipalities } from "../src/platform/demo.ts";

const { values: args } = parseArgs({
  options: {
    duration: { type: "string", default: "10" },
    concurrency: { type: "string", default: "32" },
    // Diagnostic only: measures PostgreSQL with synchronous_commit off, to show what the
    // durable commit of every report costs. KommA itself never runs like that.
    "async-commit": { type: "boolean", default: false },
  },
});
const DURATION_MS = Number(args.duration) * 1000;
const CONCURRENCY = Number(args.concurrency);
const root = path.resolve(import.meta.dirname, "..");
const cli = path.join(root, "src/cli.ts");
const ADMIN_URL = process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";

interface Result {
  requests: number;
  errors: number;
  rps: number;
  p50: number;
  p99: number;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function load(send: () => Promise<Response>, durationMs: number): Promise<Result> {
  const latencies: number[] = [];
  let errors = 0;
  const end = Date.now() + durationMs;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (Date.now() < end) {
        const t0 = performance.now();
        try {
          const res = await send();
          await res.arrayBuffer();
          if (res.status >= 400) errors++;
          else latencies.push(performance.now() - t0);
        } catch {
          errors++;
        }
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return { requests: latencies.length, errors, rps: latencies.length / seconds, p50: percentile(latencies, 50), p99: percentile(latencies, 99) };
}

async function startServer(env: Record<string, string>, port: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, [cli, "serve"], {
    cwd: root,
    env: { PATH: process.env.PATH ?? "", ...env, PORT: String(port), HOST: "127.0.0.1", LOG_LEVEL: "warn" },
    stdio: "inherit",
  });
  const until = Date.now() + 60_000;
  while (Date.now() < until) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/health/ready`)).ok) return child;
    } catch {
      // starting
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  child.kill("SIGKILL");
  throw new Error("server did not start");
}

async function runTarget(name: string, env: Record<string, string>) {
  const base = {
    ...env,
    KOMMA_MASTER_KEY: randomBytes(32).toString("base64"),
    KOMMA_SESSION_SECRET: randomBytes(32).toString("base64url"),
    REPORT_RATE_LIMIT: "1000000",
  };
  // The 60 demo municipalities: load on one of them, and spread over all of them.
  const created = spawnSync(process.execPath, [cli, "seed", "--demo"], {
    cwd: root,
    env: { PATH: process.env.PATH ?? "", ...base, LOG_LEVEL: "warn" },
    encoding: "utf8",
  });
  if (created.status !== 0) throw new Error(created.stderr);
  const port = 22000 + Math.floor(Math.random() * 20000);
  const server = await startServer(base, port);
  const url = `http://127.0.0.1:${port}`;
  try {
    const body = JSON.stringify({
      mode: "named",
      contactEmail: "bench@test.example",
      description: "Benchmark: eine Beleidigung am Schalter des Bürgerbüros.",
      forms: ["insult"],
      motives: ["racist"],
    });
    const slugs = demoMunicipalities().map((m) => m.slug);
    let n = 0;
    const reportTo = (slug: string) =>
      fetch(`${url}/api/v1/tenants/${slug}/reports`, { method: "POST", headers: { "content-type": "application/json" }, body });
    const spread = () => reportTo(slugs[n++ % slugs.length]);
    const single = () => reportTo("musterstadt");
    const bare = () => fetch(`${url}/health/live`);
    await load(spread, 2000); // warm-up: every municipality gets its data key
    const ceiling = await load(bare, DURATION_MS);
    const intake = await load(spread, DURATION_MS);
    const one = await load(single, DURATION_MS);
    const fmt = (r: Result) =>
      `${r.rps.toFixed(0).padStart(6)} req/s  p50 ${r.p50.toFixed(1).padStart(6)} ms  p99 ${r.p99.toFixed(1).padStart(6)} ms  (${r.requests} ok, ${r.errors} errors)`;
    console.log(`\n${name}`);
    console.log(`  bare endpoint (ceiling)  ${fmt(ceiling)}`);
    console.log(`  reports, 60 municipalities ${fmt(intake)}`);
    console.log(`  reports, one municipality  ${fmt(one)}`);
    console.log(
      `  intake / ceiling         ${((intake.rps / ceiling.rps) * 100).toFixed(1)} % of throughput, p99 ×${(intake.p99 / ceiling.p99).toFixed(1)} (60 municipalities)`,
    );
    const rss = spawnSync("ps", ["-o", "rss=", "-p", String(server.pid)], { encoding: "utf8" }).stdout.trim();
    console.log(`  server memory (RSS)      ${(Number(rss) / 1024).toFixed(0)} MiB`);
  } finally {
    server.kill("SIGTERM");
    await new Promise((r) => server.once("exit", r));
  }
}

console.log(`KommA intake benchmark: ${CONCURRENCY} concurrent clients, ${DURATION_MS / 1000} s per measurement, ${new Date().toISOString()}`);

const dbName = `komma_bench_${randomBytes(4).toString("hex")}`;
const admin = new pg.Client({ connectionString: ADMIN_URL });
await admin.connect();
await admin.query(`create database "${dbName}"`);
if (args["async-commit"]) await admin.query(`alter database "${dbName}" set synchronous_commit = off`);
const pgUrl = new URL(ADMIN_URL);
pgUrl.pathname = `/${dbName}`;
try {
  await runTarget(args["async-commit"] ? "PostgreSQL (diagnostic: synchronous_commit off)" : "PostgreSQL", {
    DATABASE_URL: pgUrl.toString(),
    ...(process.env.DATABASE_POOL_SIZE ? { DATABASE_POOL_SIZE: process.env.DATABASE_POOL_SIZE } : {}),
  });
} finally {
  await admin.query(`drop database if exists "${dbName}" with (force)`);
  await admin.end();
}

const dir = mkdtempSync(path.join(tmpdir(), "komma-bench-"));
try {
  await runTarget("PGlite (embedded)", { KOMMA_DATA_DIR: dir });
} finally {
  rmSync(dir, { recursive: true, force: true });
}
