import { sql } from "drizzle-orm";
import { rows, withTenant } from "../db/client.ts";
import { tenants } from "../db/schema.ts";
import type { Platform } from "../platform.ts";
import { KEYS_ROTATED } from "./keyring.ts";

/**
 * A column holding sealed values. Every module declares its own (ModuleManifest.sealedColumns),
 * so that `komma keys rotate` re-seals every value under the new data key. `tenantColumn`
 * names the row's tenant; without it the values belong to the national tenant (global tables
 * such as users). Values that are not sealed (empty, or plain where that is allowed) are left.
 */
export interface SealedColumn {
  table: string;
  /** The row's key within its tenant. */
  idColumn: string;
  column: string;
  context: string;
  tenantColumn?: string;
  /** Rows per transaction; small for large values (evidence files) to keep memory flat. */
  batchSize?: number;
}

/** The platform's own sealed columns. */
export const platformSealedColumns: SealedColumn[] = [
  { table: "users", idColumn: "id", column: "totp_secret", context: "users.totp_secret" },
  { table: "mail_outbox", idColumn: "id", column: "body", context: "mail_outbox.body" },
  { table: "mail_outbox", idColumn: "id", column: "recipient", context: "mail_outbox.recipient" },
  { table: "mail_outbox", idColumn: "id", column: "calendar", context: "mail_outbox.calendar" },
  { table: "stored_files", tenantColumn: "tenant_id", idColumn: "id", column: "name", context: "stored_files.name" },
  { table: "stored_files", tenantColumn: "tenant_id", idColumn: "id", column: "data", context: "stored_files.data", batchSize: 4 },
];

export interface RotationReport {
  tenants: number;
  rewrapped: number;
  resealed: number;
}

/**
 * Rotates keys: every data key is re-wrapped under the current master key (after
 * KOMMA_MASTER_KEY changed, with the old one in KOMMA_PREVIOUS_MASTER_KEYS), each tenant gets
 * a new active data key, and then every sealed value is re-sealed with it (see `resealAll`).
 */
export async function rotateKeys(platform: Platform, columns: SealedColumn[]): Promise<RotationReport> {
  const { db, keyring } = platform;
  const all = await db.select({ id: tenants.id }).from(tenants);
  let rewrapped = 0;
  for (const tenant of all) {
    await withTenant(db, tenant.id, async (tx) => {
      rewrapped += await keyring.rewrapTenantKeys(tx, tenant.id);
      await keyring.rotateTenantKey(tx, tenant.id);
    });
    // Every running process seals with the new key from now on (or after a moment: what one
    // sealed with the previous key meanwhile stays readable, and `--resume` re-seals it).
    await platform.broadcast.publish(KEYS_ROTATED, { tenantId: tenant.id });
  }
  const { resealed } = await resealAll(platform, columns);
  return { tenants: all.length, rewrapped, resealed };
}

/**
 * Re-seals every value that is not under its tenant's active data key, in batches of their own
 * transactions: memory stays flat, and after an interruption running it again (`komma keys
 * rotate --resume`) picks up exactly what is left.
 */
export async function resealAll(platform: Platform, columns: SealedColumn[], opts: { batchSize?: number } = {}): Promise<{ resealed: number }> {
  const { db, keyring } = platform;
  const all = await db.select({ id: tenants.id, kind: tenants.kind }).from(tenants);
  let resealed = 0;
  for (const tenant of all) {
    const keyId = await withTenant(db, tenant.id, (tx) => keyring.activeKeyId(tx, tenant.id));
    const current = `k1.${keyId}.%`;
    for (const c of columns) {
      if (!c.tenantColumn && tenant.kind !== "national") continue;
      const limit = c.batchSize ?? opts.batchSize ?? 200;
      const inTenant = c.tenantColumn ? sql`${sql.identifier(c.tenantColumn)} = ${tenant.id}::uuid` : sql`true`;
      let previous = new Set<string>();
      for (;;) {
        const done = await withTenant(db, tenant.id, async (tx) => {
          const found = await rows<{ id: string; value: string }>(
            tx,
            sql`select ${sql.identifier(c.idColumn)}::text as id, ${sql.identifier(c.column)} as value from ${sql.identifier(c.table)}
                where ${inTenant} and ${sql.identifier(c.column)} like 'k1.%' and ${sql.identifier(c.column)} not like ${current}
                limit ${limit}`,
          );
          // A row that comes back unchanged would loop for ever: say so instead.
          if (found.length > 0 && found.every((r) => previous.has(r.id))) throw new Error(`re-sealing ${c.table}.${c.column} makes no progress`);
          previous = new Set(found.map((r) => r.id));
          const seal = await keyring.sealer(tx, tenant.id);
          for (const r of found) {
            const plain = await keyring.open(tx, tenant.id, r.value, c.context);
            await tx.execute(
              sql`update ${sql.identifier(c.table)} set ${sql.identifier(c.column)} = ${seal(plain, c.context)}
                  where ${inTenant} and ${sql.identifier(c.idColumn)}::text = ${r.id}`,
            );
          }
          return found.length;
        });
        resealed += done;
        if (done < limit) break;
      }
    }
  }
  return { resealed };
}
