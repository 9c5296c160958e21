// The one test command: installs what the tests need that npm cannot (Debian's Chromium headless shell and poppler-utils,
// a running PostgreSQL), then runs every test — unit, integration on PGlite and PostgreSQL,
// and the browser stories — with Node's test runner, in a few long-lived processes.
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { existsSync, globSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";
import pg from "pg";

const DURATIONS = path.resolve(import.meta.dirname, "../tests/durations.json");
const POSTGRES_URL = process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";

function run(cmd: string, args: string[]) {
  console.log(`$ ${cmd} ${args.join(" ")}`);
  execFileSync(cmd, args, { stdio: "inherit", env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" } });
}

function asRoot(cmd: string, args: string[]) {
  if (process.getuid?.() === 0) run(cmd, args);
  else run("sudo", [cmd, ...args]);
}

let aptUpdated = false;
function aptInstall(...packages: string[]) {
  if (!aptUpdated) {
    asRoot("apt-get", ["update", "-qq"]);
    aptUpdated = true;
  }
  asRoot("apt-get", ["install", "-y", "-qq", ...packages]);
}

async function postgresReachable(): Promise<boolean> {
  const client = new pg.Client({ connectionString: POSTGRES_URL, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query("select 1");
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

async function ensurePostgres() {
  if (await postgresReachable()) return;
  if (!existsSync("/usr/lib/postgresql")) aptInstall("postgresql");
  const versions = readdirSync("/etc/postgresql").sort();
  for (const version of versions) {
    spawnSync("pg_ctlcluster", ["--skip-systemctl-redirect", version, "main", "start"], { stdio: "inherit" });
  }
  for (let i = 0; i < 30; i++) {
    if (await postgresReachable()) return;
    await new Promise((r) => setTimeout(r, 1000));
  }
  throw new Error(`PostgreSQL is not reachable at ${POSTGRES_URL}; set TEST_DATABASE_URL to a server the tests may use.`);
}

/**
 * Databases left behind by an interrupted earlier run (tests drop their own when they finish). A
 * test database's name holds its process's id (`TEST_DATABASE_PREFIX`): one whose process still
 * runs belongs to another run on this server, and is left alone.
 */
async function dropLeftoverTestDatabases() {
  const client = new pg.Client({ connectionString: POSTGRES_URL });
  await client.connect();
  const { rows } = await client.query("select datname from pg_database where datname like 'komma\\_t\\_%' or datname like 'komma\\_bench\\_%'");
  const running = (name: string) => {
    const pid = Number(/^komma_t_p(\d+)_/.exec(name)?.[1]);
    if (!pid) return false;
    try {
      process.kill(pid, 0);
      return true;
    } catch (err) {
      // Another user's process: running all the same.
      return (err as NodeJS.ErrnoException).code === "EPERM";
    }
  };
  for (const row of rows) if (!running(row.datname)) await client.query(`drop database if exists "${row.datname}" with (force)`);
  await client.end();
}

// The browser stories run in Debian's Chromium, as its headless shell (tests/e2e/browser.ts).
if (!existsSync("/usr/lib/chromium/chromium-headless-shell")) aptInstall("chromium-headless-shell");
// pdftotext and pdfinfo read the PDFs the platform writes, as a search or a screen reader would.
if (!existsSync("/usr/bin/pdftotext")) aptInstall("poppler-utils");
await ensurePostgres();
await dropLeftoverTestDatabases();

// Arguments narrow the run to some files or tests, e.g. `npm test -- tests/integration/auth.test.ts`
// or `npm test -- --test-name-pattern=Strafantrag`; `--record-durations` writes each file's time
// to tests/durations.json, which splits the next runs evenly.
const args = process.argv.slice(2);
const record = args.includes("--record-durations");
const flags = args.filter((a) => a.startsWith("--") && a !== "--record-durations");
const patterns = args.filter((a) => !a.startsWith("--"));
const ownReporter = flags.some((f) => f.startsWith("--test-reporter"));
const root = path.resolve(import.meta.dirname, "..");
const files = [
  ...new Set(
    (patterns.length > 0 ? patterns : ["src/**/*.test.ts", "tests/**/*.test.ts"]).flatMap((p) =>
      globSync(p, { cwd: path.isAbsolute(p) ? undefined : root }).map((f) => path.relative(root, path.resolve(root, f))),
    ),
  ),
].sort();
if (files.length === 0) {
  console.error(`No test file matches ${patterns.join(" ")}`);
  process.exit(1);
}

const shards = splitFiles(files, Math.min(files.length, Number(process.env.KOMMA_TEST_PROCESSES) || availableParallelism() + 1));
const scratch = mkdtempSync(path.join(tmpdir(), "komma-test-"));
const started = performance.now();
const results = await Promise.all(shards.map((shard, i) => runShard(shard, i, path.join(scratch, `durations-${i}.json`))));
const measured: Record<string, number> = Object.assign({}, ...results.map((r) => r.durations));
rmSync(scratch, { recursive: true, force: true });

const totals = new Map<string, number>();
for (const r of results) for (const [k, v] of r.counts) totals.set(k, (totals.get(k) ?? 0) + v);
// The failures again, last, with their process's number: a run is often read from its tail, where
// the processes' own summaries, printed as each one ends, may be far up.
for (const [i, r] of results.entries()) {
  if (r.failures.length > 0) console.log(`\nFailing in process ${i + 1}:\n${r.failures.join("\n")}`);
}
console.log(
  `\n${[...totals].map(([k, v]) => `${k} ${v}`).join(", ")} — ${files.length} files in ${shards.length} processes, ${Math.round((performance.now() - started) / 1000)} s: ${results
    .map((r, i) => `process ${i + 1} ${shards[i].length} files, ${Math.round(r.seconds)} s`)
    .join("; ")}`,
);
const failed = results.some((r) => r.status !== 0);
if (record && !failed) {
  const all = { ...readDurations(), ...measured };
  writeFileSync(
    DURATIONS,
    `${JSON.stringify(
      Object.fromEntries(
        Object.entries(all)
          .filter(([f]) => existsSync(path.join(root, f)))
          .sort(),
      ),
      null,
      2,
    )}\n`,
  );
  console.log(`Wrote ${path.relative(process.cwd(), DURATIONS)}.`);
}
process.exit(failed ? 1 : 0);

/**
 * Test files run in a few long-lived processes, one more than there are cores (each runs one file at
 * a time and waits now and then for Chromium or PostgreSQL), each file a suite of its own
 * (tests/run-files.ts): a process per file paid its start-up, its code's compilation and its
 * first test database again, a third of the suite's processor time. The files are dealt out by
 * their last measured times (tests/durations.json), longest first, to the process with the least
 * so far; `KOMMA_TEST_PROCESSES` sets how many processes.
 */
function splitFiles(list: string[], count: number): string[][] {
  const known = readDurations();
  const weight = (f: string) => known[f] ?? 10;
  const shards = Array.from({ length: count }, () => ({ files: [] as string[], load: 0 }));
  for (const file of [...list].sort((a, b) => weight(b) - weight(a) || a.localeCompare(b))) {
    const lightest = shards.reduce((a, b) => (b.load < a.load ? b : a));
    lightest.files.push(file);
    lightest.load += weight(file);
  }
  return shards.map((s) => s.files).filter((s) => s.length > 0);
}

function readDurations(): Record<string, number> {
  return existsSync(DURATIONS) ? (JSON.parse(readFileSync(DURATIONS, "utf8")) as Record<string, number>) : {};
}

interface ShardResult {
  status: number;
  seconds: number;
  counts: Map<string, number>;
  durations: Record<string, number>;
  /** The process's own "failing tests" summary, as the spec reporter printed it. */
  failures: string[];
}

/** One process running its files; its lines are printed with its number when there are several. */
function runShard(shard: string[], index: number, durationsFile: string): Promise<ShardResult> {
  const t0 = performance.now();
  const child = spawn(
    process.execPath,
    [
      // Every test process loads drizzle-orm; the hook spares each of them seconds (src/platform/preload.ts).
      `--import=${path.resolve(import.meta.dirname, "../src/platform/preload.ts")}`,
      "--test",
      "--test-isolation=none",
      "--test-timeout=300000",
      ...(ownReporter ? [] : ["--test-reporter=spec"]),
      ...flags,
      path.resolve(import.meta.dirname, "../tests/run-files.ts"),
    ],
    { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, KOMMA_TEST_FILES: JSON.stringify(shard), KOMMA_TEST_DURATIONS: durationsFile } },
  );
  const counts = new Map<string, number>();
  const strays: string[] = [];
  const failures: string[] = [];
  // With the spec reporter, a line at the left margin is a file's suite (tests/run-files.ts), until
  // the summary of failures; anything else there ran outside its file's suite.
  const names = new Set(shard);
  let summary = false;
  const prefix = shards.length > 1 ? `[${index + 1}] ` : "";
  for (const [stream, sink] of [
    [child.stdout, process.stdout],
    [child.stderr, process.stderr],
  ] as const) {
    createInterface({ input: stream, crlfDelay: Number.POSITIVE_INFINITY }).on("line", (line) => {
      sink.write(`${prefix}${line}\n`);
      if (line === "✖ failing tests:") summary = true;
      else if (summary && !/^ℹ /.test(line)) failures.push(line);
      const top = /^[✔✖] (.*) \([\d.]+ms\)/.exec(line);
      if (!ownReporter && !summary && top && !names.has(top[1])) strays.push(top[1]);
      const count = /^ℹ (tests|suites|pass|fail|cancelled|skipped|todo) (\d+)$/.exec(line);
      if (count) counts.set(count[1], (counts.get(count[1]) ?? 0) + Number(count[2]));
    });
  }
  return new Promise((resolve) => {
    child.on("close", (code, signal) => {
      if (signal) console.error(`${prefix}test process ended by ${signal}`);
      const durations = existsSync(durationsFile) ? (JSON.parse(readFileSync(durationsFile, "utf8")) as Record<string, number>) : {};
      if (strays.length > 0) {
        console.error(
          `${prefix}${strays.length} tests ran outside their file's suite, e.g. "${strays[0]}": the file or a module it imports waits at its top level (tests/run-files.ts loads what the files import first).`,
        );
      }
      resolve({ status: strays.length > 0 ? 1 : (code ?? 1), seconds: (performance.now() - t0) / 1000, counts, durations, failures });
    });
  });
}
