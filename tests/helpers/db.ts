import { createHash, randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { PGlite } from "@electric-sql/pglite";
import pg from "pg";
import lockfile from "proper-lockfile";
import { type Database, migrationsFolder, openDatabase } from "../../src/platform/db/client.ts";

/*
 * Databases for tests: each test file gets a fresh, migrated database of its own —
 * on PostgreSQL a CREATE DATABASE … TEMPLATE copy, on PGlite an in-memory instance loaded
 * from a dump of a migrated one (a new PGlite takes seconds to initialise).
 */

export type DbKind = "pglite" | "postgres";
export const DB_KINDS: DbKind[] = ["pglite", "postgres"];

export const POSTGRES_URL = process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";
/**
 * The start of the name of every database this process makes on the test server: with its
 * process id, so that a run dropping what earlier runs left behind (scripts/test.ts) spares the
 * databases of a run still going on the same server.
 */
export const TEST_DATABASE_PREFIX = `komma_t_p${process.pid}_`;
const root = path.resolve(import.meta.dirname, "../..");
const cacheDir = path.join(root, ".test-data");

/**
 * Changes with the journal and with the text of any migration, so an edited one is never stale.
 * Read once per process: a process runs many test files (tests/run-files.ts), each opening databases.
 */
let fingerprint: string | undefined;
function migrationsFingerprint(): string {
  fingerprint ??= readMigrationsFingerprint();
  return fingerprint;
}

function readMigrationsFingerprint(): string {
  const hash = createHash("sha256").update(readFileSync(path.join(migrationsFolder, "meta/_journal.json")));
  for (const file of readdirSync(migrationsFolder)
    .filter((f) => f.endsWith(".sql"))
    .sort()) {
    hash.update(file).update(readFileSync(path.join(migrationsFolder, file)));
  }
  return hash.digest("hex").slice(0, 12);
}

async function withSetupLock<T>(fn: () => Promise<T>): Promise<T> {
  mkdirSync(cacheDir, { recursive: true });
  const release = await lockfile.lock(cacheDir, {
    lockfilePath: path.join(cacheDir, "setup.lock"),
    retries: { retries: 120, minTimeout: 500, maxTimeout: 1000 },
    stale: 60_000,
  });
  try {
    return await fn();
  } finally {
    await release();
  }
}

let template: { file: string; bytes: Uint8Array<ArrayBuffer> } | undefined;

/**
 * A dump of a migrated PGlite database, made once per migration set. Not compressed: unpacking
 * 45 MB of tar is a third of a second faster than gunzipping 5.6 MB first, in every test process.
 */
export async function pgliteTemplate(): Promise<Blob> {
  const file = path.join(cacheDir, `pglite-${migrationsFingerprint()}.tar`);
  // A process runs many test files (tests/run-files.ts): the dump is read once per process.
  if (template?.file === file) return new BytesBlob(template.bytes);
  if (!existsSync(file)) {
    await withSetupLock(async () => {
      if (existsSync(file)) return;
      const db = await openDatabase({ kind: "pglite-memory" });
      await db.migrate();
      const dump = await (db.pglite as PGlite).dumpDataDir("none");
      // Written aside and renamed, so that a process looking without the lock never reads half of it.
      writeFileSync(`${file}.part`, Buffer.from(await dump.arrayBuffer()));
      renameSync(`${file}.part`, file);
      await db.close();
      // Dumps of earlier migration sets are of no more use.
      for (const old of readdirSync(cacheDir))
        if (old.startsWith("pglite-") && path.join(cacheDir, old) !== file) rmSync(path.join(cacheDir, old), { force: true });
    });
  }
  template = { file, bytes: readFileSync(file) };
  return new BytesBlob(template.bytes);
}

/**
 * A Blob over bytes already read, handed to PGlite without a copy: it reads a dump with
 * `arrayBuffer()`, and copying 45 MB into a Blob and out again cost half a second per database
 * on a machine where fresh memory is slow. Everything else reads a real Blob of the bytes.
 */
class BytesBlob extends Blob {
  readonly #bytes: Uint8Array<ArrayBuffer>;
  constructor(bytes: Uint8Array<ArrayBuffer>) {
    super();
    this.#bytes = bytes;
  }
  override get size(): number {
    return this.#bytes.byteLength;
  }
  override arrayBuffer(): Promise<ArrayBuffer> {
    const { buffer, byteOffset, byteLength } = this.#bytes;
    return Promise.resolve(byteOffset === 0 && byteLength === buffer.byteLength ? buffer : buffer.slice(byteOffset, byteOffset + byteLength));
  }
  override bytes(): Promise<Uint8Array<ArrayBuffer>> {
    return this.arrayBuffer().then((b) => new Uint8Array(b));
  }
  override slice(start?: number, end?: number, type?: string): Blob {
    return new Blob([this.#bytes]).slice(start, end, type);
  }
  override stream(): ReadableStream<Uint8Array<ArrayBuffer>> {
    return new Blob([this.#bytes]).stream();
  }
  override text(): Promise<string> {
    return new Blob([this.#bytes]).text();
  }
}

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

/** The template this process found or made on the server: later databases need not ask again. */
let postgresTemplateReady: string | undefined;

/** A migrated template database on the PostgreSQL server, made once per migration set. */
export async function postgresTemplate(): Promise<string> {
  const name = `komma_tpl_${migrationsFingerprint()}`;
  if (postgresTemplateReady === name) return name;
  const client = new pg.Client({ connectionString: POSTGRES_URL });
  await client.connect();
  try {
    const { rows } = await client.query("select 1 from pg_database where datname = $1", [name]);
    if (rows.length === 0) {
      await withSetupLock(async () => {
        const again = await client.query("select 1 from pg_database where datname = $1", [name]);
        if (again.rows.length > 0) return;
        const building = `${name}_build`;
        await client.query(`drop database if exists "${building}"`);
        await client.query(`create database "${building}"`);
        const db = await openDatabase({ kind: "postgres", url: withDatabase(POSTGRES_URL, building) });
        await db.migrate();
        await db.close();
        await client.query(`alter database "${building}" rename to "${name}"`);
        // Templates of earlier migration sets are of no more use.
        const stale = await client.query("select datname from pg_database where datname like 'komma\\_tpl\\_%' and datname <> $1", [name]);
        for (const row of stale.rows) await client.query(`drop database if exists "${row.datname}" with (force)`);
      });
    }
  } finally {
    await client.end();
  }
  postgresTemplateReady = name;
  return name;
}

export interface TestDatabase {
  kind: DbKind;
  database: Database;
  /** For PostgreSQL: the URL of this test's own database (for child processes). */
  url?: string;
  drop(): Promise<void>;
}

export async function freshDatabase(kind: DbKind): Promise<TestDatabase> {
  if (kind === "pglite") {
    // 16 MB of buffers hold a test's data; PGlite fills the default 128 MB at every start (a second each).
    const database = await openDatabase({ kind: "pglite-memory", loadDataDir: await pgliteTemplate(), sharedBuffers: "16MB" });
    return { kind, database, drop: () => database.close() };
  }
  const template = await postgresTemplate();
  const name = `${TEST_DATABASE_PREFIX}${randomBytes(6).toString("hex")}`;
  const client = new pg.Client({ connectionString: POSTGRES_URL });
  await client.connect();
  await client.query(`create database "${name}" template "${template}"`);
  await client.end();
  const url = withDatabase(POSTGRES_URL, name);
  const database = await openDatabase({ kind: "postgres", url });
  return {
    kind,
    database,
    url,
    async drop() {
      await database.close();
      const c = new pg.Client({ connectionString: POSTGRES_URL });
      await c.connect();
      await c.query(`drop database if exists "${name}" with (force)`);
      await c.end();
    },
  };
}

/** The database's own message, also when drizzle wraps the error ("Failed query: …"). */
export function dbErrorText(err: unknown): string {
  const e = err as { message?: string; cause?: { message?: string } };
  return `${e.message ?? ""} ${e.cause?.message ?? ""}`;
}

/** Asserts that a database call fails with a message matching `pattern`. */
export async function rejectsWithDb(promise: Promise<unknown>, pattern: RegExp): Promise<void> {
  try {
    await promise;
  } catch (err) {
    if (pattern.test(dbErrorText(err))) return;
    throw new Error(`expected a database error matching ${pattern}, got: ${dbErrorText(err)}`);
  }
  throw new Error(`expected a database error matching ${pattern}, but the call succeeded`);
}
