import { sql } from "drizzle-orm";
import { berlinInstant } from "../../platform/calendar.ts";
import { type Db, inTransaction, rows } from "../../platform/db/client.ts";
import { memberships } from "../../platform/db/schema.ts";
import type { Schedule } from "../../platform/jobs/schedules.ts";
import type { Platform } from "../../platform/platform.ts";
import { rowKey, shareCounter } from "./cells.ts";
import { buildCube, fromStoredTable, heldBack, RELEASE_METHOD, type RollupRow, type StoredTable, shownCells } from "./cube.ts";
import { ACTIVITY_DIMENSIONS } from "./dimensions.ts";
import { STATISTICS_EVENTS } from "./handlers.ts";
import { CURRENT_PMK_VERSION } from "./pmk.ts";
import type { Suppression } from "./protect.ts";
import { protectInWorker } from "./protect-thread.ts";
import { addToRollups, type Contribution, contributions, fromRow, monthOf, yearRange } from "./records.ts";
import type { ReleasedYear } from "./release-worker.ts";
import { statisticsRecords, statisticsReleases, statisticsRollupState, statisticsRollups, statisticsSources } from "./schema.ts";
import { releaseOwnTables } from "./tables.ts";

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
    const sum = new Map<string, Contribution>();
    let counted = 0;
    await eachMunicipality(tx, async (id) => {
      const records = await recordsOf(tx, id);
      counted += records.length;
      for (const r of records)
        for (const c of contributions(fromRow(r))) {
          const key = rowKey(c);
          const s = sum.get(key) ?? { ...c, count: 0, sum: 0 };
          s.count += c.count;
          s.sum += c.sum;
          sum.set(key, s);
        }
    });
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

/** Runs `visit` for each municipality in turn, under its row-level security, in the caller's transaction. */
async function eachMunicipality(tx: Db, visit: (tenantId: string) => Promise<void>): Promise<void> {
  const tenantIds = await rows<{ id: string }>(tx, sql`select id from tenants order by id`);
  for (const { id } of tenantIds) {
    await tx.execute(sql`select set_config('app.tenant_id', ${id}, true)`);
    await visit(id);
  }
  await tx.execute(sql`select set_config('app.tenant_id', '', true)`);
}

const recordsOf = (tx: Db, tenantId: string) => tx.select().from(statisticsRecords).where(sql`${statisticsRecords.tenantId} = ${tenantId}`);

/**
 * The largest share one municipality has in each cell of each year's national table
 * (`shareCounter`): of its records' parts and of its activity (its people trained, wherever the
 * training was held; its self-assessments; its adoptions), each read under its row-level
 * security, the months before `month` alone — as the release's rows.
 */
async function largestShares(
  tx: Db,
  month: string,
  years: readonly Omit<ReleasedYear, "largest" | "rows" | "national">[],
): Promise<Map<number, [string, number][]>> {
  const counters = new Map(years.map((y) => [y.year, shareCounter(String(y.year), y)]));
  const add = (list: readonly Contribution[]) => {
    const byYear = new Map<number, RollupRow[]>();
    for (const c of list) {
      if (c.month >= month) continue;
      const year = Number(c.month.slice(0, 4));
      (byYear.get(year) ?? byYear.set(year, []).get(year))?.push(c);
    }
    for (const [year, rows] of byYear) counters.get(year)?.add(rows);
  };
  // A training's people trained are kept with the session, each with the municipality they come from.
  const activity = new Map<string, Contribution[]>();
  await eachMunicipality(tx, async (id) => {
    add((await recordsOf(tx, id)).flatMap((r) => contributions(fromRow(r))));
    const sources = await tx
      .select({ contributions: statisticsSources.contributions })
      .from(statisticsSources)
      .where(sql`${statisticsSources.tenantId} = ${id} and ${statisticsSources.source} not like 'reach:%'`);
    for (const s of sources)
      for (const { tenantId, ...c } of s.contributions as (Contribution & { tenantId?: string })[]) {
        const owner = tenantId ?? id;
        (activity.get(owner) ?? activity.set(owner, []).get(owner))?.push(c);
      }
  });
  for (const list of activity.values()) add(list);
  return new Map([...counters].map(([year, counter]) => [year, [...counter.largest]]));
}

/**
 * Releases the national figures: for each year, its rollup rows of the months before the month
 * under way, as they stand now, and the cells its protected table withholds. Until the next
 * release the national pages show these. What a release reads is read in one transaction and what
 * it stores written in another; the protection between them (minutes for a sparse year) holds no
 * transaction, so that intake and pages go on meanwhile — on PGlite, whose one connection a
 * transaction holds, they would wait for it. The months released are over and no longer change
 * (`bookedIn`), so two releases of a month at once (the job and the demo's start) store the same.
 */
export async function releaseFigures(db: Db, now: Date): Promise<number[]> {
  const month = monthOf(now);
  const started = performance.now();
  const { all, years, shares, released } = await inTransaction(db, {}, async (tx) => {
    const found = await rows<{ year: number; rows: unknown[] }>(
      tx,
      sql`select extract(year from month)::int as year,
                 jsonb_agg(jsonb_build_object('month', to_char(month, 'YYYY-MM-DD'), 'land', land, 'kind', kind, 'dimension', dimension, 'code', code, 'count', count, 'sum', sum)
                           order by month, land, kind, dimension, code) as rows
            from ${statisticsRollups} where count > 0 and month < ${month}::date group by 1`,
    );
    const released = new Set(found.map((r) => Number(r.year)));
    // A year whose rows are all gone (records dismissed) is released empty.
    const earlier = await tx
      .select({
        year: statisticsReleases.year,
        shown: statisticsReleases.shown,
        heldBack: statisticsReleases.heldBack,
        rows: statisticsReleases.rows,
        withheld: statisticsReleases.withheld,
        table: statisticsReleases.table,
        month: statisticsReleases.month,
      })
      .from(statisticsReleases);
    const all = [
      ...found.map((r) => ({ year: Number(r.year), rows: r.rows })),
      ...earlier.filter((r) => !released.has(r.year)).map((r) => ({ year: r.year, rows: [] })),
    ];
    // What the year's earlier releases showed stays shown, what they withheld stays hidden: an attacker holds the one
    // and must not learn the other (`buildCube`'s `known` and `hidden`).
    const before = new Map(earlier.map((r) => [r.year, heldSoFar(r)]));
    const years = all.map((r) => ({ year: r.year, through: month, ...(before.get(r.year) ?? { known: [], hidden: [] }) }));
    // A municipality knows its own share of each figure: where that leaves the others 1 to 4, the figure is withheld.
    const shares = await largestShares(tx, month, years);
    return { all, years, shares, released };
  });
  // Protected once, here: every page until the next release shows these tables.
  const tables = await protectInWorker(all.map((r, i) => ({ ...years[i], rows: r.rows as RollupRow[], national: true, largest: shares.get(r.year) ?? [] })));
  // Released when stored (minutes after `now` for a sparse year): a program that asks for figures released after a time is not told an earlier one.
  const releasedAt = new Date(now.getTime() + Math.round(performance.now() - started));
  await inTransaction(db, {}, async (tx) => {
    for (const [i, r] of all.entries()) {
      const { withheld, table, shown, heldBack } = tables[i];
      const release = { month, rows: r.rows, withheld, table, shown, heldBack, releasedAt, method: RELEASE_METHOD };
      await tx
        .insert(statisticsReleases)
        .values({ year: r.year, ...release })
        .onConflictDoUpdate({ target: statisticsReleases.year, set: release });
    }
  });
  return [...released].sort();
}

/**
 * What a year's releases so far showed and held back. A release made before they were kept:
 * what it showed of the reports (which count as they did then; a closing counted another way
 * then) from its table, and what it withheld.
 */
function heldSoFar(r: { year: number; shown: unknown; heldBack: unknown; rows: unknown; withheld: unknown; table: unknown; month: string }): {
  known: string[];
  hidden: string[];
} {
  const year = String(r.year);
  const withheld = r.withheld as [string, Suppression][];
  const table = () =>
    r.table
      ? fromStoredTable(year, r.table as StoredTable, withheld)
      : buildCube(year, r.rows as RollupRow[], true, { through: r.month, protectedAs: new Map(withheld) });
  const known = (r.shown as string[] | null) ?? shownCells(table()).filter((k) => !k.startsWith("mean|") && REPORT_SIDE.has(k.split("|")[3]));
  return { known, hidden: (r.heldBack as string[] | null) ?? heldBack(table(), [], known) };
}

/** The dimensions of a report (not of its closing or feedback): what a release made before `shown` was kept showed of them still holds. */
const REPORT_SIDE = new Set(["incidents", "form", "motive", "place", "channel", "function", "pmk_area", "pmk_hate", "pmk_target"]);

/**
 * Releases each municipality's own figures of the year of the month before: with the national
 * release, so that a leader's first look in a month finds them protected already rather than
 * waiting for the protection. Only municipalities with records in that year and people to look
 * (a municipality without accounts has nobody to read them); fifty protected in one worker thread
 * at a time. With ten thousand municipalities in use that is an hour or more of one core a month
 * (about half a second each), off the request path; each leader's first look would cost the same.
 */
/** Municipalities whose own tables one worker thread protects: most are small, and a thread takes a fifth of a second to start. */
const OWN_PER_THREAD = 50;

export async function releaseOwnFigures(db: Db, now: Date): Promise<number> {
  const month = monthOf(now);
  const year = Number(month.slice(0, 4)) - (month.slice(5, 7) === "01" ? 1 : 0);
  const [from, to] = yearRange(year);
  const tenants: string[] = [];
  await inTransaction(db, {}, (tx: Db) =>
    eachMunicipality(tx, async (id) => {
      const [found] = await rows<{ any: boolean }>(
        tx,
        sql`select exists (select from ${statisticsRecords} r where r.tenant_id = ${id}
              and ((r.opened_month >= ${from}::date and r.opened_month < ${to}::date)
                or (r.closed_month >= ${from}::date and r.closed_month < ${to}::date)
                or (r.feedback_month >= ${from}::date and r.feedback_month < ${to}::date)))
           and exists (select from ${memberships} m where m.tenant_id = ${id}) as any`,
      );
      if (found?.any) tenants.push(id);
    }),
  );
  for (let i = 0; i < tenants.length; i += OWN_PER_THREAD) await releaseOwnTables(db, tenants.slice(i, i + OWN_PER_THREAD), year, now);
  return tenants.length;
}

/**
 * How long a release's lease holds unless renewed: the release renews it every minute while it
 * runs (an hour or more for ten thousand municipalities' own figures), so a process that died
 * leaves it behind for five minutes at most, and the next run after that takes over. Five, not
 * one: a renewal waits for the embedded database's one connection while the release reads.
 */
const RELEASE_LEASE_MS = 5 * 60_000;
const RENEW_EVERY_MS = 60_000;

/**
 * Releases the national figures and with them each municipality's own — unless a release is under
 * way already, in this process or another: the demo's first in the background and the schedule's
 * next run, or two app processes, would protect the same tables at once, each slowing the other
 * down for nothing. The lease is a time in `statistics_rollup_state`, taken with a compare-and-set
 * and given back at the end (if still its own). Returns false where another release held it.
 */
export async function releaseOnce(db: Db, clock: { now(): Date }): Promise<boolean> {
  const now = clock.now();
  let until = new Date(now.getTime() + RELEASE_LEASE_MS);
  const taken = await inTransaction(db, {}, (tx: Db) =>
    rows(
      tx,
      sql`update ${statisticsRollupState} set releasing_until = ${until}
           where id = 1 and (releasing_until is null or releasing_until <= ${now}) returning id`,
    ),
  );
  if (taken.length === 0) return false;
  // Renewed while the release runs (its protection is in a worker thread, so this process's timers keep going).
  let renewing = Promise.resolve();
  const renew = setInterval(() => {
    const next = new Date(clock.now().getTime() + RELEASE_LEASE_MS);
    renewing = renewing
      .then(() =>
        inTransaction(db, {}, (tx: Db) =>
          rows(tx, sql`update ${statisticsRollupState} set releasing_until = ${next} where id = 1 and releasing_until = ${until} returning id`),
        ),
      )
      .then((kept) => {
        if (kept.length > 0) until = next;
      })
      .catch(() => {});
  }, RENEW_EVERY_MS);
  try {
    await releaseFigures(db, now);
    await releaseOwnFigures(db, now);
  } finally {
    clearInterval(renew);
    await renewing;
    await inTransaction(db, {}, (tx: Db) =>
      tx.execute(sql`update ${statisticsRollupState} set releasing_until = null where id = 1 and releasing_until = ${until}`),
    );
  }
  return true;
}

/** Whether figures were released ever (the demo's first release is done). */
export async function anyReleased(db: Db): Promise<boolean> {
  const [found] = await inTransaction(db, {}, (tx: Db) => rows(tx, sql`select 1 from ${statisticsReleases} limit 1`));
  return found !== undefined;
}

/** Whether a release holds the lease now (the national page before the first release says that one is being made). */
export async function releaseUnderWay(db: Db, now: Date): Promise<boolean> {
  const [state] = await inTransaction(db, {}, (tx: Db) =>
    rows<{ under_way: boolean }>(tx, sql`select coalesce(releasing_until > ${now}, false) as under_way from ${statisticsRollupState} where id = 1`),
  );
  return state?.under_way === true;
}

/** How long a release waits for the events of the months before it that are still being delivered. */
const WAIT_FOR_EVENTS_MS = 24 * 3_600_000;

/**
 * Whether a release made now should wait: cases' events of the months before it are still being
 * delivered (one taken later would change a month already released), and the month began less
 * than a day ago. For the national release and a municipality's own alike.
 */
export async function eventsOnTheirWay(platform: Pick<Platform, "domainEvents">, now: Date): Promise<boolean> {
  const start = berlinInstant(monthOf(now), "00:00");
  return now.getTime() - start.getTime() < WAIT_FOR_EVENTS_MS && platform.domainEvents.pendingBefore(STATISTICS_EVENTS, start);
}

/**
 * Every ten minutes: builds the rollups again if they were built with another mapping (or
 * never), and releases the national figures once a month (the first run in a month, or the
 * first run at all), or again when a release was made another way (`RELEASE_METHOD`), and with
 * them each municipality's own (`releaseOwnFigures`). A
 * month's release waits (a day at most) until the cases' events of the months before it are
 * delivered: one taken later would change a month after its release.
 */
export function rollupRebuild(platform: Pick<Platform, "db" | "clock" | "domainEvents">): Schedule {
  return {
    name: "monitoring.rollups",
    cron: "*/10 * * * *",
    // A release a restart stopped (the demo's first, a month's) goes on at the start, not ten minutes later.
    resumeAtStart: true,
    async run() {
      const [state] = await inTransaction(platform.db, {}, (tx: Db) =>
        rows<{ pmk_version: number; released: string | null; outdated: boolean }>(
          tx,
          sql`select (select pmk_version from ${statisticsRollupState} where id = 1) as pmk_version,
                     (select to_char(max(month), 'YYYY-MM-DD') from ${statisticsReleases}) as released,
                     exists (select from ${statisticsReleases} where method <> ${RELEASE_METHOD}) as outdated`,
        ),
      );
      const now = platform.clock.now();
      if (state?.pmk_version !== CURRENT_PMK_VERSION) await rebuildRollups(platform.db, now);
      const month = monthOf(now);
      if (state?.released && state.released >= month && !state.outdated) return;
      if (await eventsOnTheirWay(platform, now)) return;
      // Where another release is under way, it makes this one: the next run looks again.
      await releaseOnce(platform.db, platform.clock);
    },
  };
}
