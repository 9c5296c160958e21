import { sql } from "drizzle-orm";
import { rows, withTenant } from "../db/client.ts";
import { tenants } from "../db/schema.ts";
import type { Platform } from "../platform.ts";

/**
 * A column holding sealed values. Modules register theirs so that `komma keys rotate`
 * re-seals every value under the new data key. `tenantColumn` names the row's tenant;
 * without it the values belong to the national tenant (global tables such as users).
 */
export interface SealedColumn {
  table: string;
  idColumn: string;
  column: string;
  context: string;
  tenantColumn?: string;
}

export const sealedColumns: SealedColumn[] = [{ table: "users", idColumn: "id", column: "totp_secret", context: "users.totp_secret" }];

export function registerSealedColumn(column: SealedColumn): void {
  if (!sealedColumns.some((c) => c.table === column.table && c.column === column.column)) sealedColumns.push(column);
}

export interface RotationReport {
  tenants: number;
  rewrapped: number;
  resealed: number;
}

/**
 * Rotates keys: every data key is re-wrapped under the current master key (after
 * KOMMA_MASTER_KEY changed, with the old one in KOMMA_PREVIOUS_MASTER_KEYS), each tenant gets
 * a new active data key, and every registered sealed value is re-sealed with it.
 */
export async function rotateKeys(platform: Platform): Promise<RotationReport> {
  const { db, keyring } = platform;
  const all = await db.select({ id: tenants.id, kind: tenants.kind }).from(tenants);
  let rewrapped = 0;
  let resealed = 0;
  for (const tenant of all) {
    await withTenant(db, tenant.id, async (tx) => {
      rewrapped += await keyring.rewrapTenantKeys(tx, tenant.id);
      await keyring.rotateTenantKey(tx, tenant.id);
      for (const c of sealedColumns) {
        if (!c.tenantColumn && tenant.kind !== "national") continue;
        const where = c.tenantColumn ? sql`${sql.identifier(c.tenantColumn)} = ${tenant.id}` : sql`true`;
        // Read as the owner would not pass RLS for other tenants; this runs inside the tenant's own context.
        const found = await rows<{ id: string; value: string }>(
          tx,
          sql`select ${sql.identifier(c.idColumn)}::text as id, ${sql.identifier(c.column)} as value from ${sql.identifier(c.table)} where ${where} and ${sql.identifier(c.column)} is not null`,
        );
        for (const r of found) {
          const plain = await keyring.open(tx, tenant.id, r.value, c.context);
          const sealed = await keyring.seal(tx, tenant.id, plain, c.context);
          await tx.execute(
            sql`update ${sql.identifier(c.table)} set ${sql.identifier(c.column)} = ${sealed} where ${sql.identifier(c.idColumn)}::text = ${r.id}`,
          );
          resealed++;
        }
      }
    });
  }
  return { tenants: all.length, rewrapped, resealed };
}
