import { and, eq, gte, lt, sql } from "drizzle-orm";
import type { Db } from "../../platform/db/client.ts";
import { tenants } from "../../platform/db/schema.ts";
import { rowKey } from "./cells.ts";
import type { Cube, RollupRow } from "./cube.ts";
import { ACTIVITY_DIMENSIONS, type Dimension } from "./dimensions.ts";
import { MEAN } from "./means.ts";
import type { Suppression } from "./protect.ts";
import { ALL_KINDS, COUNTRY, OWN } from "./relations.ts";
import { statisticsRollups } from "./schema.ts";

/*
 * A municipality that makes up a national scope alone: the only one of its Land with cases in the
 * year, or the only one of its kind. Its own figures are then that Land's (or kind's) national
 * figures, cell for cell, and the two tables were protected apart: a leader holding its own table
 * and the national one (a yearly report passed on) subtracted a quarter shown in one from a half
 * year shown in the other and found a quarter of 3. Such a municipality's own table is therefore
 * withheld exactly as the national release withholds its scope: what it shows, the national
 * figures show already, and what they withhold, it withholds too.
 */

/** A national scope: [area, kind] of the national table's cells. */
export type Scope = readonly [string, string];

/**
 * The national scopes this municipality makes up alone in the months released: those whose
 * rollups (every kind of the Land summed, or every Land of the kind) equal its own rows cell for
 * cell. `own`: its rows, keyed as in its own table (no Land, no kind).
 */
export async function soleScopes(db: Db, tenantId: string, year: number, through: string, own: readonly RollupRow[]): Promise<Scope[]> {
  const [tenant] = await db.select({ land: tenants.land, kind: tenants.kind }).from(tenants).where(eq(tenants.id, tenantId));
  if (!tenant || tenant.kind === "national") return [];
  const mine = new Map(own.map((r) => [`${r.month}|${r.dimension}|${r.code}`, `${r.count}/${r.sum}`]));
  const inYear = and(gte(statisticsRollups.month, `${year}-01-01`), lt(statisticsRollups.month, through < `${year + 1}-01-01` ? through : `${year + 1}-01-01`));
  // Summed over the scope's Länder or kinds by the database: a cell per month and category, not a row per Land and kind.
  const same = async (where: ReturnType<typeof and>) => {
    const rows = await db
      .select({
        month: statisticsRollups.month,
        dimension: statisticsRollups.dimension,
        code: statisticsRollups.code,
        count: sql<number>`sum(${statisticsRollups.count})::int`,
        sum: sql<number>`sum(${statisticsRollups.sum})::int`,
      })
      .from(statisticsRollups)
      .where(and(inYear, where))
      .groupBy(statisticsRollups.month, statisticsRollups.dimension, statisticsRollups.code);
    const theirs = new Map(
      rows
        .filter((r) => !(ACTIVITY_DIMENSIONS as readonly string[]).includes(r.dimension) && (r.count !== 0 || r.sum !== 0))
        .map((r) => [`${r.month}|${r.dimension}|${r.code}`, `${r.count}/${r.sum}`]),
    );
    const nonZero = [...mine].filter(([, v]) => v !== "0/0");
    return theirs.size === nonZero.length && nonZero.every(([k, v]) => theirs.get(k) === v);
  };
  const scopes: Scope[] = [];
  if (tenant.land && (await same(eq(statisticsRollups.land, tenant.land)))) scopes.push([tenant.land, ALL_KINDS]);
  if (await same(eq(statisticsRollups.kind, tenant.kind))) scopes.push([COUNTRY, tenant.kind]);
  return scopes;
}

/**
 * The cells of the national release's table that these scopes withhold, named as cells of the
 * municipality's own table (means too; not the activity figures, which its own table shows in full).
 */
export function withheldAsOwn(national: Cube, scopes: readonly Scope[]): [string, Suppression][] {
  const out = new Map<string, Suppression>();
  for (const [key, w] of national.withheld) {
    const mean = key.startsWith(MEAN);
    const [time, area, kind, dimension, code] = (mean ? key.slice(MEAN.length) : key).split("|");
    if ((ACTIVITY_DIMENSIONS as readonly string[]).includes(dimension as Dimension)) continue;
    if (!scopes.some(([a, k]) => a === area && k === kind)) continue;
    const own = rowKey({ month: time, land: OWN, kind: OWN, dimension: dimension as Dimension, code });
    out.set(mean ? `${MEAN}${own}` : own, w);
  }
  return [...out];
}
