// The one test command: installs what the tests need that npm cannot (Debian's Chromium headless shell and poppler-utils,
// a running PostgreSQL), then runs every test — unit, integration on PGlite and PostgreSQL,
// and the browser stories — in one run of Node's test runner.
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import path from "node:path";
import pg from "pg";

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

/** Databases left behind by an interrupted earlier run (tests drop their own when they finish). */
async function dropLeftoverTestDatabases() {
  const client = new pg.Client({ connectionString: POSTGRES_URL });
  await client.connect();
  const { rows } = await client.query("select datname from pg_database where datname like 'komma\\_t\\_%' or datname like 'komma\\_bench\\_%'");
  for (const row of rows) await client.query(`drop database if exists "${row.datname}" with (force)`);
  await client.end();
}

// The browser stories run in Debian's Chromium, as its headless shell (tests/e2e/browser.ts).
if (!existsSync("/usr/lib/chromium/chromium-headless-shell")) aptInstall("chromium-headless-shell");
// pdftotext and pdfinfo read the PDFs the platform writes, as a search or a screen reader would.
if (!existsSync("/usr/bin/pdftotext")) aptInstall("poppler-utils");
await ensurePostgres();
await dropLeftoverTestDatabases();

const result = spawnSync(
  process.execPath,
  // Arguments narrow the run to some files, e.g. `npm test -- tests/integration/auth.test.ts`.
  [
    // Every test process loads drizzle-orm; the hook spares each of them seconds (src/platform/preload.ts).
    `--import=${path.resolve(import.meta.dirname, "../src/platform/preload.ts")}`,
    "--test",
    "--test-concurrency=2",
    "--test-timeout=300000",
    ...(process.argv.length > 2 ? process.argv.slice(2) : ["src/**/*.test.ts", "tests/**/*.test.ts"]),
  ],
  { stdio: "inherit" },
);
process.exit(result.status ?? 1);
