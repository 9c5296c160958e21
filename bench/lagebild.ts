// Benchmark: the Lagebild's national figures over 1,000,000 statistics records of 10,800
// municipalities, on PostgreSQL. Prints figures only.
//
//   npm run bench:lagebild -- [--records 1000000] [--municipalities 10800] [--runs 30]
//
// The records are written straight into the table (three years, categories drawn at random with
// skew); the rollups are then built once from them (the rebuild the rollup job runs). Then:
// - a change of one case (as an event handler makes it): record and rollups together;
// - the national table of a year after such a change (read and protected again: "cold");
// - the national figures for a filter while nothing changed (the checksum only: "warm");
// - a municipality's own figures.
import { monitorEventLoopDelay } from "node:perf_hooks";
import { parseArgs } from "node:util";
import { sql } from "drizzle-orm";
import pg from "pg";
import { figuresFor } from "../src/modules/monitoring/figures.ts";
import { rebuildRollups, releaseFigures } from "../src/modules/monitoring/rebuild.ts";
import { changeRecords, openedRecord } from "../src/modules/monitoring/records.ts";
import { municipalCube, nationalCube } from "../src/modules/monitoring/tables.ts";
import { openDatabase, rows, withTenant } from "../src/platform/db/client.ts";

const { values: args } = parseArgs({
  options: {
    records: { type: "string", default: "1000000" },
    municipalities: { type: "string", default: "10800" },
    runs: { type: "string", default: "30" },
  },
});
const RECORDS = Number(args.records);
const MUNICIPALITIES = Number(args.municipalities);
const RUNS = Number(args.runs);
const ADMIN_URL = process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";
const NAME = "komma_bench_lagebild";
const YEAR = 2026;

const admin = new pg.Client({ connectionString: ADMIN_URL });
await admin.connect();
await admin.query(`drop database if exists ${NAME} with (force)`);
await admin.query(`create database ${NAME}`);
await admin.end();
const url = new URL(ADMIN_URL);
url.pathname = `/${NAME}`;
const database = await openDatabase({ kind: "postgres", url: url.toString(), poolSize: 6 });
await database.migrate();

const timed = async <T>(fn: () => Promise<T>): Promise<[T, number]> => {
  const t0 = performance.now();
  const out = await fn();
  return [out, performance.now() - t0];
};
const quantile = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))];
const ms = (x: number) => `${x.toFixed(1)} ms`;

// The municipalities: ten model ones, the rest network municipalities, across the 16 Länder.
let [, took] = await timed(() =>
  database.rawExec(`
    insert into tenants (slug, name, kind, ags, land)
    select 'bench-' || i, 'Benchgemeinde ' || i, case when i <= 10 then 'model' else 'platform' end,
           lpad(((i % 16) + 1)::text, 2, '0') || lpad(i::text, 6, '0'), lpad(((i % 16) + 1)::text, 2, '0')
      from generate_series(1, ${MUNICIPALITIES}) as i`),
);
console.log(`${MUNICIPALITIES} municipalities: ${ms(took)}`);

// The records: months from January 2024 to November 2026; a few categories much more frequent than others.
[, took] = await timed(() =>
  database.rawExec(`
    with t as (select id, land, kind, row_number() over (order by id) as n from tenants where kind <> 'national'),
         r as (select i, 1 + ((i::bigint * 7919 + (random() * 1000)::int) % ${MUNICIPALITIES})::int as n, random() as a, random() as b, random() as c, random() as d from generate_series(1, ${RECORDS}) as i)
    insert into statistics_records (tenant_id, case_id, state, opened_month, closed_month, land, tenant_kind, channel, mode, forms, motives, place,
                                    affected_function, level, measures, first_response_minutes, responded_in_time, strafantrag, outcome, feedback_supported,
                                    feedback_office, updated_at)
    select t.id, gen_random_uuid(), case when r.a < 0.8 then 'closed' else 'open' end,
           (date '2024-01-01' + ((r.b * 35)::int % 35) * interval '1 month')::date,
           case when r.a < 0.8 then (date '2024-01-01' + ((r.b * 35)::int % 35) * interval '1 month')::date end,
           t.land, t.kind,
           (array['web','web','web','phone','email','letter','in_person'])[1 + (r.c * 7)::int % 7], 'named',
           array[(array['insult','insult','threat','incitement','defamation','harassment','doxxing','physical_attack','sexual_assault','property_damage','other'])[1 + (r.d * r.d * 11)::int % 11]],
           array[(array['racist','antisemitic','anti_muslim','antiziganist','anti_black','anti_asian','right_wing_extremist','lgbtiq_hostile','antifeminist','islamist','other'])[1 + (r.c * r.d * 11)::int % 11]],
           (array['town_hall','meeting','field_work','private_home','phone','letter','email','online','other'])[1 + (r.b * r.c * 9)::int % 9],
           (array['office_holder','elected_member','staff'])[1 + (r.a * 3)::int % 3],
           (r.d * r.d * 4)::int % 4,
           case when r.a < 0.8 then array[(array['criminal_complaint','strafantrag','victim_support','alarm_plan','platform_notice'])[1 + (r.b * 5)::int % 5]] else '{}' end,
           case when r.a < 0.8 then (r.c * 5000)::int end,
           case when r.a < 0.8 then case when r.c < 0.85 then 'in_time' else 'late' end end,
           case when r.a < 0.8 and r.d > 0.7 then case when r.b < 0.9 then 'in_time' when r.b < 0.95 then 'late' else 'not_filed' end end,
           case when r.a < 0.8 then (array['supported','referred','proceedings','protected','no_further_wish','unreachable','other'])[1 + (r.d * 7)::int % 7] end,
           case when r.a < 0.5 then 1 + (r.b * 5)::int % 5 end, case when r.a < 0.5 then 1 + (r.c * 5)::int % 5 end, now()
      from r join t on t.n = r.n`),
);
console.log(`${RECORDS.toLocaleString("en")} statistics records: ${ms(took)}`);
await database.rawExec("analyze");

const db = database.db;
const [counted, rebuilt] = await timed(() => rebuildRollups(db, new Date()));
const [{ n: rollupRows }] = await withTenant(db, "00000000-0000-0000-0000-000000000000", (tx) =>
  rows<{ n: number }>(tx, sql`select count(*)::int as n from statistics_rollups where count > 0`),
);
console.log(`rollups built from ${counted.toLocaleString("en")} records: ${rollupRows.toLocaleString("en")} rows, ${ms(rebuilt)}`);

const tenants = await rows<{ id: string }>(db, sql`select id from tenants where kind <> 'national' order by id limit 200`);
const change = (i: number) => {
  const tenant = tenants[i % tenants.length].id;
  return withTenant(db, tenant, (tx) =>
    changeRecords(
      tx,
      tenant,
      [
        {
          caseId: crypto.randomUUID(),
          next: (_, t) =>
            openedRecord(t, `${YEAR}-11-01`, {
              channel: "web",
              mode: "named",
              forms: ["threat"],
              motives: ["racist"],
              place: "online",
              affectedFunction: "staff",
            }),
        },
      ],
      new Date(),
    ),
  );
};

const changes: number[] = [];
// How long the event loop stands still while a release runs (its tables are protected in a worker thread). A histogram
// of its own per release: one enabled again after a pause counts the pause as a delay.
const stalls: number[] = [];
const releases: number[] = [];
const cold: number[] = [];
const warm: number[] = [];
const own: number[] = [];
const scopes = ["DE", "05", "14", "model", "platform"];
const national = async (quarter: 0 | 1 | 2 | 3 | 4, scope: string) => {
  const [now, before] = [await nationalCube(db, YEAR), await nationalCube(db, YEAR - 1)];
  return figuresFor({ year: YEAR, quarter, scope }, now.cube, before.cube, undefined, now.release);
};
for (let i = 0; i < RUNS; i++) {
  changes.push((await timed(() => change(i)))[1]);
  // A release (once a month in use; here every tenth run), then the first national page after it.
  if (i % 10 === 0) {
    const loopDelay = monitorEventLoopDelay({ resolution: 5 });
    loopDelay.enable();
    releases.push((await timed(() => releaseFigures(db, new Date(Date.UTC(YEAR + 1, 0, 2) + i * 1000))))[1]);
    loopDelay.disable();
    stalls.push(loopDelay.max / 1e6);
    cold.push((await timed(() => national(0, "DE")))[1]);
  }
  warm.push((await timed(() => national((i % 5) as 0 | 1 | 2 | 3 | 4, scopes[i % scopes.length])))[1]);
  own.push((await timed(() => municipalCube(db, tenants[i % tenants.length].id, YEAR, new Date(Date.UTC(YEAR + 1, 0, 2)))))[1]);
}
const line = (label: string, xs: number[]) =>
  console.log(`${label.padEnd(58)} p50 ${ms(quantile(xs, 0.5))}  p95 ${ms(quantile(xs, 0.95))}  max ${ms(Math.max(...xs))}`);
console.log(`\n${RUNS} runs each (releases every tenth), PostgreSQL, one client:`);
line("a case's change (record + rollups, as a handler)", changes);
line("the monthly release (every year's rollup rows)", releases);
console.log(`${"  the event loop's longest stand-still during releases".padEnd(58)} ${ms(Math.max(...stalls))}`);
line("national figures, first read after a release (its rows)", cold);
line("national figures between releases (2 years)", warm);
line("a municipality's own figures (released from its records)", own);
await database.close();
