import { sql } from "drizzle-orm";
import { type Db, inTransaction, rows } from "../../platform/db/client.ts";
import type { Schedule } from "../../platform/jobs/schedules.ts";
import type { Platform } from "../../platform/platform.ts";
import { CURRENT_PMK_VERSION } from "./pmk.ts";
import { ACTIVITY_DIMENSIONS, addToRollups, type Contribution, contributions, fromRow } from "./records.ts";
import { statisticsRecords, statisticsRollupState, statisticsRollups } from "./schema.ts";

/*
 * Building the rollups again from the records: after the PMK mapping changed, or when records
 * were moved in without rollups. One transaction holds the state row, so no event changes a
 * record's rollups in between; it reads each municipality's records under that municipality's
 * row-level security.
 */

/** Builds the rollups from every record; returns how many records it counted. */
export async function rebuildRollups(db: Db, now: Date): Promise<number> {
  await inTransaction(db, {}, (tx) =>
    tx.execute(sql`insert into ${statisticsRollupState} (id, pmk_version, rebuilt_at) values (1, 0, ${now}) on conflict (id) do nothing`),
  );
  return inTransaction(db, {}, async (tx) => {
    await tx.execute(sql`select 1 from ${statisticsRollupState} where id = 1 for update`);
    const tenantIds = await rows<{ id: string }>(tx, sql`select id from tenants order by id`);
    const sum = new Map<string, Contribution>();
    let counted = 0;
    for (const { id } of tenantIds) {
      await tx.execute(sql`select set_config('app.tenant_id', ${id}, true)`);
      const records = await tx.select().from(statisticsRecords).where(sql`${statisticsRecords.tenantId} = ${id}`);
      counted += records.length;
      for (const r of records)
        for (const c of contributions(fromRow(r))) {
          const key = `${c.month}|${c.land}|${c.kind}|${c.dimension}|${c.code}`;
          const s = sum.get(key) ?? { ...c, count: 0, sum: 0 };
          s.count += c.count;
          s.sum += c.sum;
          sum.set(key, s);
        }
    }
    await tx.execute(sql`select set_config('app.tenant_id', '', true)`);
    await tx
      .update(statisticsRollups)
      .set({ count: 0, sum: 0, updatedAt: now })
      .where(
        sql`${statisticsRollups.dimension} not in (${sql.join(
          ACTIVITY_DIMENSIONS.map((d) => sql`${d}`),
          sql`, `,
        )})`,
      );
    await addToRollups(tx, [...sum.values()], now);
    await tx.update(statisticsRollupState).set({ pmkVersion: CURRENT_PMK_VERSION, rebuiltAt: now });
    return counted;
  });
}

/** Every ten minutes: builds the rollups again if they were built with another mapping (or never). */
export function rollupRebuild(platform: Pick<Platform, "db" | "clock">): Schedule {
  return {
    name: "monitoring.rollups",
    cron: "*/10 * * * *",
    async run() {
      const [state] = await inTransaction(platform.db, {}, (tx: Db) =>
        rows<{ pmk_version: number }>(tx, sql`select pmk_version from ${statisticsRollupState} where id = 1`),
      );
      if (state?.pmk_version !== CURRENT_PMK_VERSION) await rebuildRollups(platform.db, platform.clock.now());
    },
  };
}
