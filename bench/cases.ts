// Benchmark: the clearing office's inbox and the daily deadline scan on PostgreSQL, at the sizes of
// a large installation. Prints figures only.
//
//   npm run bench:cases -- [--cases 10000] [--tenants 50] [--tasks 1000000] [--concurrency 20] [--duration 10] [--warmup 3] [--think 1000] [--work-duration 40]
//
// One municipality holds `--cases` cases, the others as many again (500,000 across 50 by default),
// with two tasks per case (1,000,000): most done, the open ones due over the year around today.
// The inbox's first page is fetched by `--concurrency` officers at once, each with a filter of its
// own (open, mine, level, form, motive, overdue, a tag search, sorted by due date), through the same
// function the page and the API use, row-level security included. Then the deadline scan runs once
// as the schedule runs it (reminders written), and the plan of its per-municipality query is shown.
import { createHash, randomBytes } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { sql } from "drizzle-orm";
import pg from "pg";
import { loadConfig } from "../src/config.ts";
import { inbox } from "../src/modules/cases/commands.ts";
import { DEFAULT_INBOX_QUERY, type InboxQuery } from "../src/modules/cases/inbox-query.ts";
import { deadlineReminders } from "../src/modules/cases/tasks.ts";
import { modules } from "../src/modules/index.ts";
import { bootPlatform } from "../src/platform/boot.ts";
import { openDatabase, rows, withTenant } from "../src/platform/db/client.ts";
import { systemClock } from "../src/platform/platform.ts";

const { values: args } = parseArgs({
  options: {
    cases: { type: "string", default: "10000" },
    tenants: { type: "string", default: "50" },
    tasks: { type: "string", default: "1000000" },
    concurrency: { type: "string", default: "20" },
    duration: { type: "string", default: "10" },
    warmup: { type: "string", default: "3" },
    think: { type: "string", default: "1000" },
    "work-duration": { type: "string", default: "40" },
    // Measure again on the data of the last run (same sizes) instead of making it anew.
    reuse: { type: "boolean", default: false },
  },
});
const CASES = Number(args.cases);
const TENANTS = Number(args.tenants);
const TASKS_PER_CASE = Math.max(1, Math.round(Number(args.tasks) / (CASES * TENANTS)));
const CONCURRENCY = Number(args.concurrency);
const DURATION_MS = Number(args.duration) * 1000;
const WARMUP_MS = Number(args.warmup) * 1000;
const THINK_MS = Number(args.think);
const WORK_DURATION_MS = Number(args["work-duration"]) * 1000;
const ADMIN_URL = process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";
const NAME = "komma_bench_cases";

const admin = new pg.Client({ connectionString: ADMIN_URL });
await admin.connect();
const reuse = args.reuse && (await admin.query("select 1 from pg_database where datname = $1", [NAME])).rows.length > 0;
if (!reuse) {
  await admin.query(`drop database if exists ${NAME} with (force)`);
  await admin.query(`create database ${NAME}`);
}
await admin.end();
const url = new URL(ADMIN_URL);
url.pathname = `/${NAME}`;

const database = await openDatabase({ kind: "postgres", url: url.toString(), poolSize: CONCURRENCY + 2 });
await database.migrate();
const config = loadConfig({
  NODE_ENV: "production",
  DATABASE_URL: url.toString(),
  // Fixed, so that --reuse can open the keys of the last run: a benchmark's data, nothing else.
  KOMMA_MASTER_KEY: createHash("sha256").update("komma bench cases").digest("base64"),
  KOMMA_SESSION_SECRET: randomBytes(32).toString("base64url"),
  PUBLIC_URL: "https://komma.example",
  LOG_LEVEL: "silent",
});
const platform = await bootPlatform(config, { modules, database, clock: systemClock });
if (reuse) await platform.database.rawExec("delete from case_task_reminders; delete from notifications; delete from mail_outbox");

// Municipalities, each with one clearing officer (who gets the reminders).
const tenants: { id: string; officer: string }[] = reuse
  ? ((
      await platform.database.rawQuery(
        "select t.id, m.user_id as officer from tenants t join memberships m on m.tenant_id = t.id where t.slug like 'bench-%' order by t.slug",
      )
    ).rows as { id: string; officer: string }[])
  : [];
const started = performance.now();
for (let i = 0; i < (reuse ? 0 : TENANTS); i++) {
  const [t] = await rows<{ id: string }>(
    platform.db,
    sql`insert into tenants (slug, name, kind, ags, land) values (${`bench-${i}`}, ${`Benchstadt ${i}`}, 'platform', ${`06${String(100000 + i)}`}, '06') returning id`,
  );
  const [u] = await rows<{ id: string }>(
    platform.db,
    sql`insert into users (email, display_name, status) values (${`officer-${i}@bench.example`}, ${`Officer ${i}`}, 'active') returning id`,
  );
  await withTenant(platform.db, t.id, async (tx) => {
    await platform.keyring.createTenantKey(tx, t.id);
    await tx.execute(sql`insert into memberships (tenant_id, user_id, role) values (${t.id}, ${u.id}, 'clearing_officer')`);
  });
  tenants.push({ id: t.id, officer: u.id });
}
const officers = tenants.slice(0, 5).map((t) => t.officer);

// Cases and tasks, per municipality in one statement each (under its row-level security).
for (const t of reuse ? [] : tenants) {
  await withTenant(platform.db, t.id, async (tx) => {
    await tx.execute(sql`
      insert into cases (tenant_id, number, status, assignee_id, channel, mode, immediate_danger, stage, risk_level,
                         forms, motives, tags, respond_by, first_response_at, next_due_on, opened_at, updated_at)
      select ${t.id}::uuid, 'BEN-' || (2020 + i % 7) || '-' || lpad(i::text, 6, '0'),
             (array['received','in_progress','in_progress','in_progress','closed'])[1 + i % 5],
             case when i % 4 = 0 then null else (string_to_array(${officers.join(",")}, ',')::uuid[])[1 + i % 5] end,
             'web', (array['named','confidential','anonymous'])[1 + i % 3], i % 50 = 0,
             (array['intake','assessment','measures','aftercare','closure'])[1 + i % 5],
             case when i % 6 = 0 then null else i % 4 end,
             array[(array['insult','threat','incitement','defamation','harassment','doxxing','physical_attack','property_damage'])[1 + i % 8]],
             array[(array['racist','antisemitic','anti_muslim','right_wing_extremist','other'])[1 + i % 5]],
             case when i % 20 = 0 then array['Kampagne ' || (i % 37)] else '{}'::text[] end,
             now() - (i % 700) * interval '1 day' + interval '24 hours',
             case when i % 3 = 0 then null else now() - (i % 700) * interval '1 day' + interval '3 hours' end,
             null, now() - (i % 700) * interval '1 day', now()
        from generate_series(1, ${CASES}) as i`);
    await tx.execute(sql`
      insert into case_tasks (tenant_id, case_id, measure, status, entitled, from_on, due_on, created_by, created_at, updated_at)
      select c.tenant_id, c.id,
             (array['strafantrag','criminal_complaint','safety_walkthrough','victim_support','register_block'])[1 + (n + s) % 5],
             case when (n + s) % 5 = 0 then 'open' else 'done' end,
             case when (n + s) % 5 = 0 then 'affected' end,
             null,
             current_date + ((n * 7 + s * 13) % 365 - 180)::int,
             ${t.officer}::uuid, now(), now()
        from (select id, tenant_id, row_number() over () as n from cases where tenant_id = ${t.id}) c,
             generate_series(1, ${TASKS_PER_CASE}) as s`);
    await tx.execute(sql`update cases c set next_due_on = (select min(due_on) from case_tasks t
        where t.tenant_id = c.tenant_id and t.case_id = c.id and t.status = 'open') where c.tenant_id = ${t.id}`);
  });
}
// Vacuumed as well, so that autovacuum does not start on the fresh rows while the officers are measured,
// and written out (a checkpoint), so that the flush of what the vacuum dirtied does not either.
await platform.database.rawExec("vacuum analyze");
await platform.database.rawExec("checkpoint");
const [{ cases: totalCases, tasks: totalTasks }] = (
  await platform.database.rawQuery("select (select count(*) from cases)::int as cases, (select count(*) from case_tasks)::int as tasks")
).rows as { cases: number; tasks: number }[];
console.log(`data: ${TENANTS} municipalities, ${totalCases} cases, ${totalTasks} tasks, made in ${((performance.now() - started) / 1000).toFixed(0)} s`);

// The inbox: 20 officers of the first municipality, each with its own view, as fast as answered.
const tenant = { id: tenants[0].id, kind: "platform" as const };
const filters: [string, Partial<InboxQuery>][] = [
  ["open, newest", {}],
  ["mine", { view: "mine" }],
  ["level 2", { level: 2 }],
  ["form threat", { form: "threat" }],
  ["motive antisemitic", { motive: "antisemitic" }],
  ["overdue", { view: "overdue" }],
  ["tag search", { q: "kampagne 1" }],
  ["next due first", { sort: "due" }],
  ["all, page 100", { view: "all", page: 100 }],
];
// Where the time goes: this process's CPU, and the whole machine's (the database's share is the rest).
const machineBusy = () => {
  const [, ...ticks] = readFileSync("/proc/stat", "utf8").split("\n")[0].trim().split(/\s+/).map(Number);
  return (ticks[0] + ticks[1] + ticks[2] + ticks[5] + ticks[6]) * 10; // user, nice, system, irq, softirq in ms (100 Hz)
};
// Two loads. At work: each officer opens a page, reads it for about `--think` ms (half to one and a
// half times that, at random) and opens the next — a very busy office, humans click less often.
// Saturated: every officer opens the next page the moment one is answered, which shows how many
// pages the machine answers at most. Each first warms up for `--warmup` seconds unmeasured and without
// pause, so that every connection has prepared every filter's statement (as on a server that runs).
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))] ?? 0;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
async function officerLoad(label: string, think: number, durationMs: number) {
  const latencies = new Map<string, number[]>(filters.map(([name]) => [name, []]));
  const all: number[] = [];
  const run = (until: number, record: boolean, thinkMs: number) =>
    Promise.all(
      Array.from({ length: CONCURRENCY }, async (_, w) => {
        const actor = {
          userId: officers[w % officers.length],
          memberships: [{ tenantId: tenant.id, role: "clearing_officer" as const }],
          nationalTenantId: "",
        };
        let n = w;
        if (thinkMs) await sleep(Math.random() * thinkMs);
        while (performance.now() < until) {
          const [name, change] = filters[n++ % filters.length];
          const t0 = performance.now();
          await inbox(platform, actor, tenant, { ...DEFAULT_INBOX_QUERY, ...change });
          const ms = performance.now() - t0;
          if (record) {
            latencies.get(name)?.push(ms);
            all.push(ms);
          }
          if (thinkMs) await sleep(thinkMs * (0.5 + Math.random()));
        }
      }),
    );
  await run(performance.now() + WARMUP_MS, false, 0);
  const cpuBefore = process.cpuUsage();
  const busyBefore = existsSync("/proc/stat") ? machineBusy() : 0;
  await run(performance.now() + durationMs, true, think);
  const cpu = process.cpuUsage(cpuBefore);
  const nodeMs = (cpu.user + cpu.system) / 1000;
  const busyMs = existsSync("/proc/stat") ? machineBusy() - busyBefore : 0;
  console.log(`\ninbox, ${label}: ${CONCURRENCY} officers, ${CASES} cases in the municipality, ${totalCases} in all:`);
  for (const [name, xs] of latencies)
    console.log(`  ${name.padEnd(20)} p50 ${pct(xs, 0.5).toFixed(1).padStart(6)} ms   p99 ${pct(xs, 0.99).toFixed(1).padStart(6)} ms   (${xs.length})`);
  console.log(
    `  ${"all filters".padEnd(20)} p50 ${pct(all, 0.5).toFixed(1).padStart(6)} ms   p99 ${pct(all, 0.99).toFixed(1).padStart(6)} ms   ${(all.length / (durationMs / 1000)).toFixed(0)} pages/s`,
  );
  console.log(
    `  CPU per page: ${(nodeMs / all.length).toFixed(2)} ms in this process (${((nodeMs / durationMs) * 100).toFixed(0)} % of a core)` +
      (busyMs ? `, ${(Math.max(0, busyMs - nodeMs) / all.length).toFixed(2)} ms elsewhere on the machine (the database)` : ""),
  );
}
await officerLoad(`at work (a page every ${THINK_MS / 1000} s or so each)`, THINK_MS, WORK_DURATION_MS);
await officerLoad("saturated (the next page as soon as one is answered)", 0, DURATION_MS);

// The daily deadline scan, as the schedule runs it: the due tasks of every municipality, then the reminders.
const scan = deadlineReminders(platform);
const t0 = performance.now();
const found = (await platform.database.rawQuery("select count(*)::int as n from komma_due_case_tasks(current_date + 28)")).rows[0].n as number;
const findMs = performance.now() - t0;
const t1 = performance.now();
await scan.run(new Date());
const runMs = performance.now() - t1;
const [{ n: written }] = (await platform.database.rawQuery("select count(*)::int as n from case_task_reminders")).rows as { n: number }[];
console.log(`\ndeadline scan over ${totalTasks} tasks: finding the ${found} due ${findMs.toFixed(0)} ms`);
console.log(`  first run (catching up every mark at once): ${written} reminders, ${runMs.toFixed(0)} ms`);
// The next morning, as every day after: only the marks reached that day are new.
const tomorrow = deadlineReminders({ ...platform, clock: { now: () => new Date(Date.now() + 86_400_000) } });
const t2 = performance.now();
await tomorrow.run(new Date(Date.now() + 86_400_000));
const dayMs = performance.now() - t2;
const [{ n: more }] = (await platform.database.rawQuery("select count(*)::int as n from case_task_reminders")).rows as { n: number }[];
console.log(`  the next day's run: ${more - written} new reminders, ${dayMs.toFixed(0)} ms`);

// The plan of the scan's query for one municipality (as the function runs it, under its tenant).
const plan = await withTenant(platform.db, tenant.id, (tx) =>
  rows<{ "QUERY PLAN": string }>(
    tx,
    sql`explain (analyze, costs off, timing off, summary off) select c.tenant_id, c.id from case_tasks c
         where c.tenant_id = ${tenant.id} and c.status = 'open' and c.due_on is not null and c.due_on <= current_date + 28`,
  ),
);
console.log("\nplan of the scan's query for one municipality:");
for (const line of plan) console.log(`  ${line["QUERY PLAN"]}`);

await platform.domainEvents.stop();
await database.close();
