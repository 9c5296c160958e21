import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";
import { gunzipSync, gzipSync } from "node:zlib";
import type { Database } from "./client.ts";

/*
 * Backup and restore as one encrypted archive that works the same on PGlite and PostgreSQL:
 * every table of the application schema as JSON rows (parents before children), gzip, then
 * AES-256-GCM with a key derived from the master key. Sealed fields stay sealed inside.
 * Job queue state (schema pgboss) is transient and not included.
 */

const MAGIC = Buffer.from("KOMMABK1");

function backupKey(masterKey: Buffer): Buffer {
  return Buffer.from(hkdfSync("sha256", masterKey, Buffer.alloc(0), "komma-backup-v1", 32));
}

/**
 * Tables of the public schema, parents first (by foreign keys). A table whose comment begins with
 * "derived:" is kept from others (by a trigger) and is left out: the restore of its sources makes it again.
 */
async function tablesInOrder(database: Database): Promise<string[]> {
  const { rows: tables } = await database.rawQuery(
    `select c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
     where n.nspname = 'public' and c.relkind = 'r' and c.relname not like '\\_\\_drizzle%'
       and coalesce(obj_description(c.oid, 'pg_class'), '') not like 'derived:%' order by c.relname`,
  );
  const { rows: deps } = await database.rawQuery(
    `select cl.relname as child, pl.relname as parent from pg_constraint co
     join pg_class cl on cl.oid = co.conrelid join pg_class pl on pl.oid = co.confrelid
     join pg_namespace n on n.oid = cl.relnamespace where co.contype = 'f' and n.nspname = 'public'`,
  );
  const names = tables.map((t) => String(t.name));
  const parents = new Map<string, Set<string>>(names.map((n) => [n, new Set<string>()]));
  for (const d of deps) if (d.child !== d.parent) parents.get(String(d.child))?.add(String(d.parent));
  const ordered: string[] = [];
  const visit = (n: string, seen: Set<string>) => {
    if (ordered.includes(n) || seen.has(n)) return;
    seen.add(n);
    for (const p of parents.get(n) ?? []) visit(p, seen);
    ordered.push(n);
  };
  for (const n of names) visit(n, new Set());
  return ordered;
}

/** The columns of a table that hold data (generated ones, like a search vector, are computed again on insert). */
async function storedColumns(database: Pick<Database, "rawQuery">, table: string): Promise<string> {
  const { rows } = await database.rawQuery(
    `select column_name from information_schema.columns
      where table_schema = 'public' and table_name = $1 and is_generated = 'NEVER' order by ordinal_position`,
    [table],
  );
  return rows.map((r) => `"${String(r.column_name).replaceAll('"', '""')}"`).join(", ");
}

async function schemaVersion(database: Database): Promise<string> {
  const { rows } = await database.rawQuery("select hash from drizzle.__drizzle_migrations order by created_at desc limit 1");
  return String(rows[0]?.hash ?? "");
}

export async function createBackup(database: Database, masterKey: Buffer): Promise<Buffer> {
  const tables: Record<string, unknown[]> = {};
  for (const name of await tablesInOrder(database)) {
    const columns = await storedColumns(database, name);
    const { rows } = await database.rawQuery(`select coalesce(json_agg(t), '[]'::json) as rows from (select ${columns} from "${name}") t`);
    const value = rows[0].rows;
    tables[name] = (typeof value === "string" ? JSON.parse(value) : value) as unknown[];
  }
  const payload = gzipSync(Buffer.from(JSON.stringify({ version: 1, schema: await schemaVersion(database), createdAt: new Date().toISOString(), tables })));
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", backupKey(masterKey), iv);
  cipher.setAAD(MAGIC);
  const data = Buffer.concat([cipher.update(payload), cipher.final()]);
  return Buffer.concat([MAGIC, iv, cipher.getAuthTag(), data]);
}

export class RestoreError extends Error {}

/** Restores an archive into a migrated database that holds no data of its own yet. */
export async function restoreBackup(database: Database, masterKey: Buffer, archive: Buffer): Promise<Record<string, number>> {
  if (!archive.subarray(0, MAGIC.length).equals(MAGIC)) throw new RestoreError("not a KommA backup archive");
  const iv = archive.subarray(8, 20);
  const tag = archive.subarray(20, 36);
  const decipher = createDecipheriv("aes-256-gcm", backupKey(masterKey), iv);
  decipher.setAAD(MAGIC);
  decipher.setAuthTag(tag);
  let payload: Buffer;
  try {
    payload = Buffer.concat([decipher.update(archive.subarray(36)), decipher.final()]);
  } catch {
    throw new RestoreError("the archive cannot be decrypted with this master key, or it is damaged");
  }
  const content = JSON.parse(gunzipSync(payload).toString("utf8")) as { schema: string; tables: Record<string, unknown[]> };
  if (content.schema !== (await schemaVersion(database))) {
    throw new RestoreError("the archive was made with another database schema version; restore it with the matching KommA version");
  }
  const order = await tablesInOrder(database);
  const counts: Record<string, number> = {};
  // Everything in one transaction: a failed restore leaves the target as it was.
  await database.rawTransaction(async (query) => {
    await query("alter table audit_log disable trigger audit_log_append_only");
    for (const name of [...order].reverse()) await query(`delete from "${name}"`);
    for (const name of order) {
      const rows = content.tables[name] ?? [];
      counts[name] = rows.length;
      const columns = await storedColumns({ rawQuery: query }, name);
      for (let i = 0; i < rows.length; i += 500) {
        // Into an emptied target a conflict can only be a row a trigger already made from restored data
        // (a practice's published version): the archive's row is the same, and is skipped.
        await query(`insert into "${name}" (${columns}) select ${columns} from json_populate_recordset(null::"${name}", $1::json) on conflict do nothing`, [
          JSON.stringify(rows.slice(i, i + 500)),
        ]);
      }
    }
    await query("alter table audit_log enable trigger audit_log_append_only");
  });
  return counts;
}
