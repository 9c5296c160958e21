// Benchmark: report intake throughput and latency on PostgreSQL and on PGlite, with a bare
// endpoint of the same server as the ceiling, measured in the same run. Prints figures only.
//
//   npm run bench -- [--duration 10] [--concurrency 12] [--rate 1000] [--database both|postgres|pglite] [--one-client]
//
// Each report comes from a client of its own (its own address, behind a trusted proxy, and its
// own e-mail address, so that each is counted and confirmed as a real reporter's would be);
// `--one-client` sends all of them from one address and one e-mail address instead, whose
// counts every report then waits for in turn.
//
// Two kinds of load: a closed loop (a fixed number of clients, each sending its next request when
// the last is answered: the most the server does) and an open loop at a fixed rate (requests
// arrive on a schedule whether or not earlier ones are answered, as real arrivals do; latency is
// counted from the scheduled moment, so a stalled server cannot hide its queue), on PostgreSQL
// where the target applies. Each figure comes with the CPU time per request of the server, the
// PostgreSQL processes (autovacuum included) and the load generator, which share the cores.
//
// The server runs as a child process (as in production); this process only sends requests,
// all on loopback.
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import pg from "pg";
import { Pool } from "undici";
import { startServerProcess } from "../scripts/server-process.ts";
import { demoMunicipalities } from "../src/platform/demo.ts";

const { values: args } = parseArgs({
  options: {
    duration: { type: "string", default: "10" },
    concurrency: { type: "string", default: "12" },
    // Arrival rate of the open-loop measurement (reports per second): the target.
    rate: { type: "string", default: "1000" },
    // Which databases to measure: both (default), postgres or pglite.
    database: { type: "string", default: "both" },
    // Diagnostic only: measures PostgreSQL with synchronous_commit off, to show what the
    // durable commit of every report costs. KommA itself never runs like that.
    "async-commit": { type: "boolean", default: false },
    // Every report from one address and one e-mail address (one rate-limit count, one confirmation throttle).
    "one-client": { type: "boolean", default: false },
  },
});
const DURATION_MS = Number(args.duration) * 1000;
const CONCURRENCY = Number(args.concurrency);
const RATE = Number(args.rate);
const root = path.resolve(import.meta.dirname, "..");
const cli = path.join(root, "src/cli.ts");
const ADMIN_URL = process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";

interface Result {
  requests: number;
  errors: number;
  rps: number;
  p50: number;
  p99: number;
  /** CPU milliseconds per successful request: server process, PostgreSQL processes, this load generator. */
  cpu: { server: number; database: number; generator: number };
}

const TICK_MS = 10; // Linux reports process CPU time in clock ticks of 1/100 s

/** CPU time (ms) used so far by one process, from /proc (Linux). */
function processCpuMs(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) * TICK_MS; // utime + stime
  } catch {
    return 0; // process ended
  }
}

/** CPU time (ms) used so far by all PostgreSQL server processes on this machine. */
function postgresCpuMs(): number {
  let total = 0;
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, "utf8").trim() === "postgres") total += processCpuMs(Number(entry));
    } catch {
      // process ended
    }
  }
  return total;
}

let serverPid = 0;
function cpuSnapshot() {
  const self = process.cpuUsage();
  return { server: processCpuMs(serverPid), database: postgresCpuMs(), generator: (self.user + self.system) / 1000 };
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/**
 * The load generator shares the machine's cores with the server and the database, so it has to
 * be cheap: undici's connection pool over kept-alive connections (a third of the CPU per request
 * of `fetch`, half of node:http's).
 */
let closedLoop: Pool;
// The open loop may have more requests under way than the closed loop has clients.
let openLoop: Pool;

async function send(via: Pool, method: "GET" | "POST", requestPath: string, body?: string, headers: Record<string, string> = {}): Promise<number> {
  const res = await via.request({
    method,
    path: requestPath,
    ...(body === undefined ? {} : { body, headers: { "content-type": "application/json", ...headers } }),
  });
  await res.body.dump(); // read and discard the body
  return res.statusCode;
}

/** Throughput, latency percentiles and CPU per request of one measurement. */
function summarise(latencies: number[], errors: number, started: number, cpuBefore: ReturnType<typeof cpuSnapshot>): Result {
  const seconds = (performance.now() - started) / 1000;
  const cpuAfter = cpuSnapshot();
  const per = (key: keyof typeof cpuAfter) => (cpuAfter[key] - cpuBefore[key]) / Math.max(1, latencies.length);
  latencies.sort((a, b) => a - b);
  return {
    requests: latencies.length,
    errors,
    rps: latencies.length / seconds,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    cpu: { server: per("server"), database: per("database"), generator: per("generator") },
  };
}

async function load(request: () => Promise<number>, durationMs: number): Promise<Result> {
  const latencies: number[] = [];
  let errors = 0;
  const end = Date.now() + durationMs;
  const cpuBefore = cpuSnapshot();
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (Date.now() < end) {
        const t0 = performance.now();
        try {
          const status = await request();
          if (status >= 400) errors++;
          else latencies.push(performance.now() - t0);
        } catch {
          errors++;
        }
      }
    }),
  );
  return summarise(latencies, errors, started, cpuBefore);
}

/** Open loop: `rate` requests per second on a schedule; latency from each request's scheduled time. */
async function loadAtRate(request: () => Promise<number>, rate: number, durationMs: number): Promise<Result> {
  const latencies: number[] = [];
  let errors = 0;
  const total = Math.round((rate * durationMs) / 1000);
  const cpuBefore = cpuSnapshot();
  const started = performance.now();
  const pending: Promise<void>[] = [];
  let sent = 0;
  while (sent < total) {
    const now = performance.now();
    // Send everything whose moment has come, each with its own scheduled time.
    const due = Math.min(total, Math.floor(((now - started) / 1000) * rate) + 1);
    for (; sent < due; sent++) {
      const scheduled = started + (sent * 1000) / rate;
      pending.push(
        request().then(
          (status) => {
            if (status >= 400) errors++;
            else latencies.push(performance.now() - scheduled);
          },
          () => {
            errors++;
          },
        ),
      );
    }
    await new Promise((r) => setTimeout(r, 1));
  }
  await Promise.all(pending);
  return summarise(latencies, errors, started, cpuBefore);
}

/**
 * Measures one database. The open loop at the target rate runs only where the target applies
 * (PostgreSQL); below its capacity an open loop only measures how long the queue grows.
 */
/**
 * Waits until the events of the reports sent so far are delivered (the case opened, the office
 * told, the report counted), so that no measurement pays for the one before; returns the seconds
 * it took. Only where the benchmark can look into the database (PostgreSQL).
 */
async function delivered(databaseUrl: string | undefined): Promise<number | null> {
  if (!databaseUrl) return null;
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const started = performance.now();
  try {
    for (;;) {
      const { rows } = await client.query("select count(*)::int as n from domain_events where settled_at is null");
      if (rows[0].n === 0 || performance.now() - started > 300_000) return (performance.now() - started) / 1000;
      await new Promise((r) => setTimeout(r, 20));
    }
  } finally {
    await client.end();
  }
}

async function runTarget(name: string, env: Record<string, string>, { openLoopAtTarget }: { openLoopAtTarget: boolean }) {
  const base = {
    ...env,
    KOMMA_MASTER_KEY: randomBytes(32).toString("base64"),
    KOMMA_SESSION_SECRET: randomBytes(32).toString("base64url"),
    REPORT_RATE_LIMIT: "1000000",
    // The load generator stands in for the reverse proxy that names each client's address.
    TRUST_PROXY: "true",
  };
  // The 60 demo municipalities: load on one of them, and spread over all of them.
  const created = spawnSync(process.execPath, [cli, "seed", "--demo"], {
    cwd: root,
    env: { PATH: process.env.PATH ?? "", ...base, LOG_LEVEL: "warn" },
    encoding: "utf8",
  });
  if (created.status !== 0) throw new Error(created.stderr);
  const port = 22000 + Math.floor(Math.random() * 20000);
  // The default configuration, request log included; the log goes where a log collector would take it.
  const server = await startServerProcess(base, port, ["ignore", "ignore", "inherit"]);
  serverPid = server.pid ?? 0;
  try {
    let client = 0;
    const report = () => {
      const i = args["one-client"] ? 0 : client++;
      const body = JSON.stringify({
        mode: "named",
        contactEmail: `bench-${i}@test.example`,
        description: "Benchmark: eine Beleidigung am Schalter des Bürgerbüros.",
        forms: ["insult"],
        motives: ["racist"],
      });
      return { body, headers: { "x-forwarded-for": `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}` } };
    };
    const slugs = demoMunicipalities().map((m) => m.slug);
    let n = 0;
    closedLoop = new Pool(`http://127.0.0.1:${port}`, { connections: CONCURRENCY });
    openLoop = new Pool(`http://127.0.0.1:${port}`, { connections: 256 });
    const reportTo = (slug: string, via = closedLoop) => {
      const { body, headers } = report();
      return send(via, "POST", `/api/v1/tenants/${slug}/reports`, body, headers);
    };
    const spread = () => reportTo(slugs[n++ % slugs.length]);
    const single = () => reportTo("musterstadt");
    const bare = () => send(closedLoop, "GET", "/health/live");
    // Each measurement of reports is followed by the delivery of their events (`drain`): the
    // reports a second that the platform keeps up with are those sent and delivered in the time.
    // Its CPU time per report then counts the delivery too.
    const drained = async (measure: () => Promise<Result>) => {
      const cpuBefore = cpuSnapshot();
      const r = await measure();
      const drain = await delivered(env.DATABASE_URL);
      if (drain === null) return r;
      const cpuAfter = cpuSnapshot();
      const per = (key: keyof typeof cpuAfter) => (cpuAfter[key] - cpuBefore[key]) / Math.max(1, r.requests);
      const cpu = { server: per("server"), database: per("database"), generator: per("generator") };
      return { ...r, cpu, drain, sustained: r.requests / (r.requests / r.rps + drain) };
    };
    await load(spread, 2000); // warm-up: every municipality gets its data key
    await delivered(env.DATABASE_URL);
    const ceiling = await load(bare, DURATION_MS);
    const atRate = openLoopAtTarget ? await drained(() => loadAtRate(() => reportTo(slugs[n++ % slugs.length], openLoop), RATE, DURATION_MS)) : null;
    const intake = await drained(() => load(spread, DURATION_MS));
    const one = await drained(() => load(single, DURATION_MS));
    const fmt = (r: Result & { drain?: number | null; sustained?: number | null }) =>
      `${r.rps.toFixed(0).padStart(6)} req/s  p50 ${r.p50.toFixed(1).padStart(6)} ms  p99 ${r.p99.toFixed(1).padStart(6)} ms  (${r.requests} ok, ${r.errors} errors)\n` +
      `${" ".repeat(28)}CPU per request: server ${r.cpu.server.toFixed(2)} ms, PostgreSQL ${r.cpu.database.toFixed(2)} ms, load generator ${r.cpu.generator.toFixed(2)} ms` +
      (r.drain === undefined || r.drain === null || r.sustained === undefined || r.sustained === null
        ? ""
        : ` (delivery included)\n${" ".repeat(28)}all events delivered ${r.drain.toFixed(1)} s after the last report: ${r.sustained.toFixed(0)} reports/s sent and delivered`);
    console.log(`\n${name}`);
    console.log(`  bare endpoint (ceiling)  ${fmt(ceiling)}`);
    console.log(`  reports, 60 municipalities ${fmt(intake)}`);
    console.log(`  reports, one municipality  ${fmt(one)}`);
    if (atRate) console.log(`  reports arriving at ${RATE}/s (60 municipalities, open loop)\n${" ".repeat(28)}${fmt(atRate)}`);
    console.log(
      `  intake / ceiling         ${((intake.rps / ceiling.rps) * 100).toFixed(1)} % of throughput, p99 ×${(intake.p99 / ceiling.p99).toFixed(1)} (60 municipalities)`,
    );
    const rss = spawnSync("ps", ["-o", "rss=", "-p", String(server.pid)], { encoding: "utf8" }).stdout.trim();
    console.log(`  server memory (RSS)      ${(Number(rss) / 1024).toFixed(0)} MiB`);
  } finally {
    await Promise.all([closedLoop?.close(), openLoop?.close()]);
    server.kill("SIGTERM");
    await new Promise((r) => server.once("exit", r));
  }
}

console.log(
  `KommA intake benchmark: ${CONCURRENCY} concurrent clients (closed loop), ${RATE} reports/s (open loop), ${DURATION_MS / 1000} s per measurement, ${args["one-client"] ? "every report from one client" : "each report from a client of its own"}, ${new Date().toISOString()}`,
);

if (args.database !== "pglite") {
  const dbName = `komma_bench_${randomBytes(4).toString("hex")}`;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`create database "${dbName}"`);
  if (args["async-commit"]) await admin.query(`alter database "${dbName}" set synchronous_commit = off`);
  const pgUrl = new URL(ADMIN_URL);
  pgUrl.pathname = `/${dbName}`;
  try {
    await runTarget(
      args["async-commit"] ? "PostgreSQL (diagnostic: synchronous_commit off)" : "PostgreSQL",
      {
        DATABASE_URL: pgUrl.toString(),
        ...(process.env.DATABASE_POOL_SIZE ? { DATABASE_POOL_SIZE: process.env.DATABASE_POOL_SIZE } : {}),
      },
      { openLoopAtTarget: true },
    );
  } finally {
    await admin.query(`drop database if exists "${dbName}" with (force)`);
    await admin.end();
  }
}

if (args.database !== "postgres") {
  const dir = mkdtempSync(path.join(tmpdir(), "komma-bench-"));
  try {
    await runTarget("PGlite (embedded)", { KOMMA_DATA_DIR: dir }, { openLoopAtTarget: false });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
