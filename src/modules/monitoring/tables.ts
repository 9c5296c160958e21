import { and, eq, gte, lt, or, sql } from "drizzle-orm";
import type { AnyPgColumn } from "drizzle-orm/pg-core";
import { type Db, inTransaction, rows, withTenant } from "../../platform/db/client.ts";
import { buildCube, type Cube, fromStoredTable, heldBack, RELEASE_METHOD, type RollupRow, type StoredTable } from "./cube.ts";
import { CURRENT_PMK_VERSION } from "./pmk.ts";
import type { Suppression } from "./protect.ts";
import { protectBatchInWorker, protectOwnInWorker } from "./protect-thread.ts";
import { type Contribution, contributionDelta, contributions, fromRow, monthOf, yearRange } from "./records.ts";
import type { ProtectedYear, ReleasedYear } from "./release-worker.ts";
import { statisticsOwnReleases, statisticsRecords, statisticsReleases, statisticsSources } from "./schema.ts";
import { soleScopes, withheldAsOwn } from "./sole.ts";

/*
 * The protected tables of a year as released: the national one (from the monthly release, kept
 * in memory until the next) and a municipality's own (released at its first look in a month),
 * and what a municipality's own activity added. `figures.ts` makes the figures of a filter from them.
 */

/** The table of a year: protected once per state of its rows (a new event changes the state). */
const cache = new Map<string, { fingerprint: string; cube: Cube }>();
const CACHED = 64;

function remember(key: string, fingerprint: string, cube: Cube): Cube {
  cache.delete(key);
  cache.set(key, { fingerprint, cube });
  if (cache.size > CACHED) cache.delete(cache.keys().next().value as string);
  return cube;
}

/** When the national figures were released, and the first month they do not hold yet. */
export interface Release {
  releasedAt: Date;
  /** The first day of the release's month: the figures hold the months before it. */
  month: string;
}

/**
 * The national table of a year, from its latest release (`releaseFigures`), protected when it
 * was released; kept in memory until the next. A release made another way than today's
 * (`RELEASE_METHOD`) is not shown: the next run of the schedule makes it again.
 */
export async function nationalCube(db: Db, year: number): Promise<{ cube: Cube; release: Release | null }> {
  const key = `national:${year}`;
  return inTransaction(db, {}, async (tx) => {
    const [release] = await tx
      .select({ releasedAt: statisticsReleases.releasedAt, month: statisticsReleases.month })
      .from(statisticsReleases)
      .where(and(eq(statisticsReleases.year, year), eq(statisticsReleases.method, RELEASE_METHOD)));
    if (!release) return { cube: buildCube(String(year), [], true), release: null };
    const fingerprint = `${release.releasedAt.toISOString()}|${release.month}`;
    const hit = cache.get(key);
    if (hit && hit.fingerprint === fingerprint) return { cube: hit.cube, release };
    // The table as released (one made before tables were stored: summed from its rows again).
    const [stored] = await tx
      .select({ table: statisticsReleases.table, withheld: statisticsReleases.withheld })
      .from(statisticsReleases)
      .where(eq(statisticsReleases.year, year));
    const withheld = stored.withheld as [string, Suppression][];
    const cube = stored.table
      ? fromStoredTable(String(year), stored.table as StoredTable, withheld)
      : await tx
          .select({ rows: statisticsReleases.rows })
          .from(statisticsReleases)
          .where(eq(statisticsReleases.year, year))
          .then(([r]) => buildCube(String(year), r.rows as RollupRow[], true, { through: release.month, protectedAs: new Map(withheld) }));
    return { cube: remember(key, fingerprint, cube), release };
  });
}

/** The years the released national figures hold anything for, newest first. */
export async function yearsWithFigures(db: Db): Promise<number[]> {
  const found = await inTransaction(db, {}, (tx) =>
    rows<{ year: number }>(tx, sql`select year from ${statisticsReleases} where jsonb_array_length(rows) > 0 and method = ${RELEASE_METHOD} order by 1 desc`),
  );
  return found.map((r) => Number(r.year));
}

/** The years a municipality's released figures hold records of (those before the month under way), the latest first. */
export async function ownYears(db: Db, tenantId: string, now: Date): Promise<number[]> {
  const found = await withTenant(db, tenantId, (tx) =>
    rows<{ year: number }>(
      tx,
      // A record counts in up to three months (its report, closing and feedback: `records.ts`).
      sql`select distinct extract(year from m.month)::int as year
            from ${statisticsRecords} r,
                 lateral (values (r.opened_month), (case when r.state = 'closed' then r.closed_month end), (r.feedback_month)) as m(month)
           where r.tenant_id = ${tenantId} and m.month < ${monthOf(now)}::date order by 1 desc`,
    ),
  );
  return found.map((r) => Number(r.year));
}

type OwnRelease = typeof statisticsOwnReleases.$inferSelect;

/**
 * A municipality's own release of a year, as far as it can be made without protecting: the one
 * released this month already (or kept while events are on their way), and where a new one is due,
 * the table to protect and what stores it once protected (`pending`). Read in one transaction, protected
 * outside any (a transaction held meanwhile would hold a connection, on PGlite the only one),
 * stored in another.
 */
async function prepareOwnRelease(
  db: Db,
  tenantId: string,
  year: number,
  now: Date,
  wait: boolean,
): Promise<{ stored: OwnRelease | undefined; pending?: { input: ReleasedYear; store: (done: ProtectedYear) => Promise<OwnRelease> } }> {
  const month = monthOf(now);
  const ownRelease = () => and(eq(statisticsOwnReleases.tenantId, tenantId), eq(statisticsOwnReleases.year, year));
  const read = await withTenant(db, tenantId, async (tx) => {
    const [found] = await tx.select().from(statisticsOwnReleases).where(ownRelease());
    const current = found && found.pmkVersion === CURRENT_PMK_VERSION && found.method === RELEASE_METHOD;
    if (found && current && found.month >= month) return { found, records: null };
    if (found && current && wait) return { found, records: null };
    const [from, to] = yearRange(year);
    const within = (column: AnyPgColumn) => and(gte(column, from), lt(column, to));
    const records = await tx
      .select()
      .from(statisticsRecords)
      .where(
        and(
          eq(statisticsRecords.tenantId, tenantId),
          or(within(statisticsRecords.openedMonth), within(statisticsRecords.closedMonth), within(statisticsRecords.feedbackMonth)),
        ),
      );
    return { found, records };
  });
  if (!read.records) return { stored: read.found };
  // What the year's earlier releases showed stays shown: the leader holds it; what they withheld stays hidden
  // (`buildCube`'s `known` and `hidden`).
  const known = (read.found?.shown ?? []) as string[];
  const hidden = read.found ? ((read.found.heldBack as string[] | null) ?? heldBack(storedCube(year, read.found), [], known)) : [];
  const [from, to] = yearRange(year);
  // Summed by month and category (sorted by key), like the national rollups but for this municipality alone: the year's
  // months (a record's closing may fall in the next year), the month under way left out.
  const list: RollupRow[] = contributionDelta(
    [],
    read.records.flatMap((r) => contributions(fromRow(r))).filter((c) => c.month >= from && c.month < to && c.month < month),
  ).map((c) => ({ ...c, land: "", kind: "" }));
  // Where it makes up its Land or its kind alone, withheld as the national release withholds them (`sole.ts`):
  // until this month's is made, the own release goes as far as the last national one (none yet: it holds nothing).
  const scopes = await soleScopes(db, tenantId, year, month, list);
  let protectedAs: [string, Suppression][] | undefined;
  let through = month;
  let rows = list;
  if (scopes.length > 0) {
    const national = await nationalCube(db, year);
    // A national release of a later month than this one (a clock set back) goes further than its own could: none.
    const until = national.release && national.release.month <= month ? national.release.month : null;
    if (until !== month) {
      if (read.found && (until === null || read.found.month >= until)) return { stored: read.found };
      through = until ?? month;
      rows = until ? list.filter((r) => r.month < until) : [];
    }
    if (until) protectedAs = withheldAsOwn(national.cube, scopes);
  }
  const store = async (done: ProtectedYear): Promise<OwnRelease> => {
    const release = {
      month: through,
      pmkVersion: CURRENT_PMK_VERSION,
      rows,
      known,
      shown: done.shown,
      hidden,
      heldBack: done.heldBack,
      withheld: done.withheld,
      table: done.table,
      method: RELEASE_METHOD,
      releasedAt: now,
    };
    // Stored unless another request released the month meanwhile (the same records give the same release).
    const written = await withTenant(db, tenantId, async (tx) => {
      const [row] = await tx
        .insert(statisticsOwnReleases)
        .values({ tenantId, year, ...release })
        .onConflictDoUpdate({
          target: [statisticsOwnReleases.tenantId, statisticsOwnReleases.year],
          set: release,
          setWhere: or(
            lt(statisticsOwnReleases.month, through),
            sql`${statisticsOwnReleases.pmkVersion} <> ${CURRENT_PMK_VERSION}`,
            sql`${statisticsOwnReleases.method} <> ${RELEASE_METHOD}`,
          ),
        })
        .returning();
      return row ?? (await tx.select().from(statisticsOwnReleases).where(ownRelease()))[0];
    });
    if (written.releasedAt.getTime() === now.getTime())
      remember(ownKey(tenantId, year), fingerprintOf(written), fromStoredTable(String(year), done.table, done.withheld));
    return written;
  };
  return { stored: read.found, pending: { input: { year, rows, national: false, through, known, hidden, largest: [], protectedAs }, store } };
}

const ownKey = (tenantId: string, year: number) => `municipal:${tenantId}:${year}`;
const fingerprintOf = (r: OwnRelease) => `${r.releasedAt.toISOString()}|${r.month}|${r.pmkVersion}|${r.method}`;

/**
 * A municipality's own table of a year, as released to it this month: the sums of its records
 * for the months before the month under way, released with the national figures or at the first
 * look in a month (or again when the PMK mapping or the way it is protected changed) and kept
 * until the next month. Like the national figures, they change once a month, not with each case.
 */
export async function municipalCube(
  db: Db,
  tenantId: string,
  year: number,
  now: Date,
  /** Events of the months before are still on their way (`eventsOnTheirWay`): the release already made stays until they are in. */
  wait = false,
): Promise<{ cube: Cube; release: Release }> {
  const prepared = await prepareOwnRelease(db, tenantId, year, now, wait);
  // Protected in a worker thread: over a year of many cases that takes a second or more, which the
  // process serving everyone's pages must not stand still for.
  const { pending } = prepared;
  const stored = pending ? await pending.store(await protectOwnInWorker(pending.input)) : prepared.stored;
  if (!stored) throw new Error("a municipality's own release was neither found nor stored");
  const key = ownKey(tenantId, year);
  const hit = cache.get(key);
  const cube = hit && hit.fingerprint === fingerprintOf(stored) ? hit.cube : remember(key, fingerprintOf(stored), storedCube(year, stored));
  return { cube, release: { releasedAt: stored.releasedAt, month: stored.month } };
}

/**
 * Releases the own figures of these municipalities for a year, as their first looks would: the
 * tables of many protected in one worker thread (a thread takes a fifth of a second to start).
 */
export async function releaseOwnTables(db: Db, tenantIds: readonly string[], year: number, now: Date): Promise<void> {
  const prepared = [];
  for (const id of tenantIds) prepared.push(await prepareOwnRelease(db, id, year, now, false));
  const pending = prepared.flatMap((p) => (p.pending ? [p.pending] : []));
  const done = await protectBatchInWorker(pending.map((p) => p.input));
  for (const [i, p] of pending.entries()) await p.store(done[i]);
}

/**
 * A municipality's own release as it was protected: its stored table, or — for one released
 * before tables were stored — protected again from the same rows, with what was shown and withheld before.
 */
const storedCube = (year: number, stored: OwnRelease): Cube =>
  stored.table && stored.withheld
    ? fromStoredTable(String(year), stored.table as StoredTable, stored.withheld as [string, Suppression][])
    : buildCube(String(year), stored.rows as RollupRow[], false, {
        through: stored.month,
        known: (stored.known ?? []) as string[],
        hidden: (stored.hidden ?? []) as string[],
      });

/**
 * What a municipality's own activity added: its people trained ("reach:", whoever held the
 * training), its latest self-assessment and its adoptions. Not about cases nor about another
 * municipality, so shown as it is, not protected like the case figures.
 */
export type OwnActivity = { source: string; contributions: Contribution[] }[];

export async function ownActivity(db: Db, tenantId: string): Promise<OwnActivity> {
  const found = await withTenant(db, tenantId, (tx) =>
    tx
      .select({ source: statisticsSources.source, contributions: statisticsSources.contributions })
      .from(statisticsSources)
      .where(
        and(
          eq(statisticsSources.tenantId, tenantId),
          sql`(${statisticsSources.source} like 'reach:%' or ${statisticsSources.source} like 'adoption:%' or ${statisticsSources.source} = 'assessment')`,
        ),
      ),
  );
  return found.map((r) => ({ source: r.source, contributions: r.contributions as Contribution[] }));
}
