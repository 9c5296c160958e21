import { createHash } from "node:crypto";
import { mkdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { PGlite } from "@electric-sql/pglite";
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";
import { type SQL, sql } from "drizzle-orm";
import { drizzle as drizzlePg } from "drizzle-orm/node-postgres";
import { migrate as migratePg } from "drizzle-orm/node-postgres/migrator";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import pg from "pg";
import { loggableError } from "../logging/loggable-error.ts";
import { DataDirLockedError, lockDataDir } from "./data-dir-lock.ts";
import { type ChannelListener, createListener, type Listener } from "./listener.ts";

// Both drivers share this surface; code never depends on which one runs.
// biome-ignore lint/suspicious/noExplicitAny: the two drivers differ only in their result type
export type Db = PgDatabase<PgQueryResultHKT & any>;
/** A transaction or the database: whatever runs a query. */
export type Executor = Pick<Db, "select" | "insert" | "update" | "delete" | "execute">;

export const migrationsFolder = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../drizzle");

export type RawQuery = (text: string, params?: unknown[]) => Promise<{ rows: Record<string, unknown>[] }>;

export interface Database {
  kind: "pglite" | "postgres";
  db: Db;
  /**
   * Runs SQL with positional parameters as the owner (migrations, backup, pg-boss, database
   * functions that take on a tenant themselves). With `prepareAs`, PostgreSQL prepares the
   * statement once per connection under that name (for hot paths).
   */
  rawQuery(text: string, params?: unknown[], prepareAs?: string): Promise<{ rows: Record<string, unknown>[] }>;
  /** Runs one or more statements without parameters as the owner. */
  rawExec(text: string): Promise<void>;
  /** Runs `fn` on one connection inside BEGIN … COMMIT (ROLLBACK on error), as the owner. */
  rawTransaction<T>(fn: (query: RawQuery) => Promise<T>): Promise<T>;
  /**
   * PostgreSQL only: hears NOTIFY on `channel` through a connection of its own that reconnects
   * (listener.ts); closed with the database. PGlite serves one process: nobody else to hear.
   */
  listen?(channel: string, listener: ChannelListener): Promise<void>;
  migrate(): Promise<void>;
  close(): Promise<void>;
  /** Present on PGlite: the embedded instance (for data-dir dumps). */
  pglite?: PGlite;
}

export class DatabaseLockedError extends Error {}

export type DatabaseTarget =
  | { kind: "pglite"; dataDir: string; loadDataDir?: Blob }
  /**
   * In memory, for tests: starts from a dump of a migrated database. `sharedBuffers` sets
   * PostgreSQL's buffer cache (default 128MB): PGlite fills it when it starts, most of its start.
   */
  | { kind: "pglite-memory"; loadDataDir?: Blob; sharedBuffers?: string }
  | { kind: "postgres"; url: string; poolSize?: number };

/** Opens the configured database. PGlite gets a lock file, since it has none of its own. */
export async function openDatabase(target: DatabaseTarget): Promise<Database> {
  if (target.kind === "postgres") {
    const pool = new pg.Pool({ connectionString: target.url, max: target.poolSize ?? 20 });
    // A pool error on an idle client must not crash the process; it is reported and replaced.
    pool.on("error", (err) => console.error("database pool error:", JSON.stringify(loggableError(err))));
    const db = drizzlePg(pool) as unknown as Db;
    let listener: Listener | undefined;
    return {
      kind: "postgres",
      db,
      rawQuery: async (text, params, prepareAs) => {
        const r = await pool.query({ text, values: params as unknown[], ...(prepareAs ? { name: prepareAs } : {}) });
        return { rows: r.rows };
      },
      rawExec: async (text) => {
        await pool.query(text);
      },
      rawTransaction: async (fn) => {
        const client = await pool.connect();
        try {
          await client.query("begin");
          const result = await fn(async (text, params) => ({ rows: (await client.query(text, params as unknown[])).rows }));
          await client.query("commit");
          return result;
        } catch (err) {
          await client.query("rollback");
          throw err;
        } finally {
          client.release();
        }
      },
      listen: (channel, l) => {
        listener ??= createListener(target.url);
        return listener.listen(channel, l);
      },
      migrate: () => migratePg(db as never, { migrationsFolder }),
      close: async () => {
        await listener?.close();
        await pool.end();
      },
    };
  }
  let release: () => Promise<void> = async () => {};
  let pgDir: string | undefined;
  if (target.kind === "pglite") {
    pgDir = path.join(target.dataDir, "pg");
    mkdirSync(pgDir, { recursive: true });
    try {
      release = await lockDataDir(target.dataDir, pgDir);
    } catch (err) {
      if (!(err instanceof DataDirLockedError)) throw err;
      throw new DatabaseLockedError(
        `The embedded database in ${target.dataDir} is in use by another KommA process. Stop it first, or set KOMMA_DATA_DIR to another folder.`,
      );
    }
  }
  const sharedBuffers = target.kind === "pglite-memory" && target.sharedBuffers ? ["-c", `shared_buffers=${target.sharedBuffers}`] : [];
  const pglite = await PGlite.create({
    dataDir: pgDir,
    loadDataDir: target.loadDataDir,
    extensions: { pg_trgm },
    ...(sharedBuffers.length > 0 ? { startParams: [...PGlite.defaultStartParams, ...sharedBuffers] } : {}),
  });
  const db = drizzlePglite(pglite) as unknown as Db;
  return {
    kind: "pglite",
    db,
    pglite,
    rawQuery: async (text, params) => {
      const r = await pglite.query<Record<string, unknown>>(text, params as unknown[]);
      return { rows: r.rows };
    },
    rawExec: async (text) => {
      await pglite.exec(text);
    },
    rawTransaction: (fn) =>
      pglite.transaction((tx) => fn(async (text, params) => ({ rows: (await tx.query<Record<string, unknown>>(text, params as unknown[])).rows }))),
    migrate: () => migratePglite(db as never, { migrationsFolder }),
    close: async () => {
      await pglite.close();
      await release();
    },
  };
}

export interface TxOptions {
  tenantId?: string | null;
  userId?: string | null;
}

/**
 * Runs `fn` in a transaction as the application role (no BYPASSRLS), with the tenant and
 * user of this unit of work set for row-level security. Without a tenant, tenant tables
 * show nothing. All request work goes through here.
 */
export function inTransaction<T>(db: Db, opts: TxOptions, fn: (tx: Db) => Promise<T>): Promise<T> {
  const pool = (db as { $client?: unknown }).$client;
  if (pool instanceof pg.Pool) return pooledTransaction(pool, opts, fn);
  if (pool instanceof pg.Client) throw new Error("inTransaction inside a transaction: pass the transaction on instead");
  return db.transaction(async (tx) => {
    // One round trip: set_config('role', …, true) is SET LOCAL ROLE.
    await tx.execute(
      sql`select set_config('app.tenant_id', ${opts.tenantId ?? ""}, true), set_config('app.user_id', ${opts.userId ?? ""}, true), set_config('role', 'komma_app', true)`,
    );
    return fn(tx as unknown as Db);
  });
}

/** A drizzle instance per pooled connection, made once: transactions run on one connection. */
const connectionDbs = new WeakMap<pg.PoolClient, Db>();

/**
 * The same on a PostgreSQL pool, with BEGIN and the tenant context sent together: one round trip
 * fewer per transaction. Without parameters node-postgres uses the simple protocol, which takes
 * several statements at once; the two values are quoted by the driver's escapeLiteral.
 */
async function pooledTransaction<T>(pool: pg.Pool, opts: TxOptions, fn: (tx: Db) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let tx = connectionDbs.get(client);
  if (!tx) {
    tx = drizzlePg(client) as unknown as Db;
    connectionDbs.set(client, tx);
  }
  let broken: Error | undefined;
  try {
    await client.query(
      `begin; select set_config('app.tenant_id', ${client.escapeLiteral(opts.tenantId ?? "")}, true), set_config('app.user_id', ${client.escapeLiteral(opts.userId ?? "")}, true), set_config('role', 'komma_app', true)`,
    );
    const result = await fn(tx);
    await client.query("commit");
    return result;
  } catch (err) {
    try {
      await client.query("rollback");
    } catch (rollbackError) {
      broken = rollbackError as Error; // the connection is unusable: the pool drops it
    }
    throw err;
  } finally {
    client.release(broken);
  }
}

/** Runs `fn` in a transaction for one tenant. */
export function withTenant<T>(db: Db, tenantId: string, fn: (tx: Db) => Promise<T>, userId?: string | null) {
  return inTransaction(db, { tenantId, userId }, fn);
}

/** Rows of a raw SQL query through drizzle (both drivers return `rows`). */
export async function rows<T>(ex: Pick<Db, "execute">, query: SQL): Promise<T[]> {
  const r = (await ex.execute(query)) as unknown as { rows: T[] };
  return r.rows;
}

/** The name each statement text is prepared under: the text's hash, so one name never means two texts. */
const statementNames = new Map<string, string>();
const STATEMENT_NAMES_KEPT = 2000;

/**
 * Rows of a query on a hot read path. On PostgreSQL the statement is prepared once per connection
 * (named by a hash of its text) and executed with the values of each call: the server neither
 * parses it again nor, once it has chosen a generic plan, plans it again. On PGlite it runs as
 * `rows` does. Values come back as node-postgres types them (timestamps as Date).
 */
export async function preparedRows<T>(tx: Db, query: SQL): Promise<T[]> {
  const client = (tx as { $client?: unknown }).$client;
  if (!(client instanceof pg.Client) && !(client instanceof pg.Pool)) return rows<T>(tx, query);
  const { sql: text, params } = (tx as unknown as { dialect: { sqlToQuery(q: SQL): { sql: string; params: unknown[] } } }).dialect.sqlToQuery(query);
  let name = statementNames.get(text);
  if (!name) {
    if (statementNames.size >= STATEMENT_NAMES_KEPT) statementNames.clear();
    name = `komma_${createHash("sha256").update(text).digest("base64url").slice(0, 32)}`;
    statementNames.set(text, name);
  }
  const result = await (client as pg.ClientBase).query({ name, text, values: params });
  return result.rows as T[];
}

/**
 * What is wrong with the database login for production: a superuser or a role with BYPASSRLS
 * is not held by row-level security, whatever role a transaction takes on (deploy/postgresql-roles.sql
 * sets up one that is). The embedded PGlite runs as its own superuser and is for evaluation.
 */
export async function databaseLoginWarnings(database: Database): Promise<string[]> {
  if (database.kind !== "postgres") return [];
  const { rows } = await database.rawQuery("select rolname, rolsuper, rolbypassrls from pg_roles where rolname = session_user");
  const login = rows[0] as { rolname: string; rolsuper: boolean; rolbypassrls: boolean } | undefined;
  const warnings: string[] = [];
  if (login?.rolsuper)
    warnings.push(
      `the database login ${login.rolname} is a superuser: row-level security does not bind it; use a login like deploy/postgresql-roles.sql makes`,
    );
  else if (login?.rolbypassrls)
    warnings.push(`the database login ${login.rolname} may bypass row-level security (BYPASSRLS); use a login like deploy/postgresql-roles.sql makes`);
  return warnings;
}
