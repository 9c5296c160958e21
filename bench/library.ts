// Benchmark: the good-practice library's German search at 10,000 published practices, on PostgreSQL
// and on the embedded PGlite. Prints figures only.
//
//   npm run bench:library -- [--practices 10000] [--concurrency 20] [--duration 10] [--warmup 3] [--think 1000] [--pglite-duration 5]
//
// 50 model municipalities publish the practices (variations of the demo corpus: its titles, tags and
// sentences recombined, so that words recur as in a real library). Searchers of a network
// municipality ask a fixed list of German queries (word forms, umlauts typed as ae/oe/ue, a typo,
// filters) through the same function the page uses, row-level security included: first at work
// (each asks, reads about `--think` ms, asks again), then saturated (each asks again at once).
import { createHash, randomBytes } from "node:crypto";
import { parseArgs } from "node:util";
import { sql } from "drizzle-orm";
import pg from "pg";
import { loadConfig } from "../src/config.ts";
import { modules } from "../src/modules/index.ts";
import { PRACTICE_CORPUS } from "../src/modules/knowledge/corpus.ts";
import { type LibraryQuery, parseLibraryQuery, searchLibrary } from "../src/modules/knowledge/search.ts";
import { bootPlatform } from "../src/platform/boot.ts";
import { type Database, openDatabase, rows, withTenant } from "../src/platform/db/client.ts";
import { type Platform, systemClock } from "../src/platform/platform.ts";

const { values: args } = parseArgs({
  options: {
    practices: { type: "string", default: "10000" },
    concurrency: { type: "string", default: "20" },
    duration: { type: "string", default: "10" },
    warmup: { type: "string", default: "3" },
    think: { type: "string", default: "1000" },
    "pglite-duration": { type: "string", default: "5" },
  },
});
const PRACTICES = Number(args.practices);
const CONCURRENCY = Number(args.concurrency);
const DURATION_MS = Number(args.duration) * 1000;
const WARMUP_MS = Number(args.warmup) * 1000;
const THINK_MS = Number(args.think);
const PGLITE_MS = Number(args["pglite-duration"]) * 1000;
const TENANTS = 50;
const ADMIN_URL = process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";
const NAME = "komma_bench_library";

const QUERIES: Partial<Record<string, string>>[] = [
  { suche: "Hausverbot" },
  { suche: "Anfeindungen" },
  { suche: "Buergerbuero Schalter" },
  { suche: "Strafanträge Frist" },
  { suche: "Strassenumbenennung" },
  { suche: "Gegenrede online" },
  { suche: "Hausverbto" },
  { suche: "Beteiligung", dimension: "participation" },
  { suche: "Checkliste Sicherheit", art: "checklist" },
  {},
];

/** The practices: the corpus recombined — a title with a place and a number, sentences of two bodies, tags of both. */
function practiceRows(tenantIds: string[]) {
  const sentences = PRACTICE_CORPUS.flatMap((p) => p.body.split(/(?<=\.)\s+/));
  return Array.from({ length: PRACTICES }, (_, i) => {
    const a = PRACTICE_CORPUS[i % PRACTICE_CORPUS.length];
    const b = PRACTICE_CORPUS[(i * 7 + 3) % PRACTICE_CORPUS.length];
    const body = [a.body, ...Array.from({ length: 4 }, (_, k) => sentences[(i * 13 + k * 29) % sentences.length])].join(" ");
    return {
      tenant_id: tenantIds[i % tenantIds.length],
      kind: a.kind,
      title: `${a.title} (${i % 3 === 0 ? "Fassung" : "Beispiel"} ${i})`,
      summary: a.summary,
      body,
      tags: [...new Set([...a.tags, ...b.tags.slice(0, 1)])],
      dimensions: a.dimensions,
      modules: a.modules,
    };
  });
}

async function seed(platform: Platform, database: Database): Promise<{ viewer: { id: string; kind: "platform" }; officer: string }> {
  const tenantIds: string[] = [];
  for (let i = 0; i < TENANTS; i++) {
    const [t] = await rows<{ id: string }>(
      platform.db,
      sql`insert into tenants (slug, name, kind, ags, land) values (${`lib-${i}`}, ${`Modellstadt ${i}`}, 'model', ${`05${String(200000 + i)}`}, '05') returning id`,
    );
    tenantIds.push(t.id);
  }
  const [viewer] = await rows<{ id: string }>(
    platform.db,
    sql`insert into tenants (slug, name, kind, ags, land) values ('lib-reader', 'Netzwerkgemeinde', 'platform', '05300001', '05') returning id`,
  );
  const [u] = await rows<{ id: string }>(
    platform.db,
    sql`insert into users (email, display_name, status) values ('reader@bench.example', 'Reader', 'active') returning id`,
  );
  const all = practiceRows(tenantIds);
  for (const tenantId of tenantIds) {
    const mine = all.filter((p) => p.tenant_id === tenantId);
    await withTenant(platform.db, tenantId, (tx) =>
      tx.execute(sql`
        insert into knowledge_practices (tenant_id, kind, title, summary, body, tags, dimensions, modules, visibility, status, version,
                                         published_version, created_at, updated_at, published_at)
        select tenant_id, kind, title, summary, body, tags, dimensions, modules, 'network', 'published', 1, 1, now(), now(),
               now() - (row_number() over ()) * interval '1 hour'
          from jsonb_to_recordset(${JSON.stringify(mine)}::jsonb)
            as x(tenant_id uuid, kind text, title text, summary text, body text, tags text[], dimensions text[], modules text[])`),
    );
  }
  await database.rawExec("vacuum analyze knowledge_practices");
  await database.rawExec("vacuum analyze knowledge_search");
  if (database.kind === "postgres") await database.rawExec("checkpoint");
  return { viewer: { id: viewer.id, kind: "platform" }, officer: u.id };
}

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))] ?? 0;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function load(
  platform: Platform,
  who: { viewer: { id: string; kind: "platform" }; officer: string },
  label: string,
  thinkMs: number,
  durationMs: number,
) {
  const actor = { userId: who.officer, memberships: [{ tenantId: who.viewer.id, role: "staff" as const }], nationalTenantId: platform.nationalTenant.id };
  const queries: LibraryQuery[] = QUERIES.map((q) => parseLibraryQuery(q));
  const all: number[] = [];
  const run = (until: number, record: boolean, think: number) =>
    Promise.all(
      Array.from({ length: CONCURRENCY }, async (_, w) => {
        let n = w;
        if (think) await sleep(Math.random() * think);
        while (performance.now() < until) {
          const t0 = performance.now();
          await searchLibrary(platform, actor, who.viewer, queries[n++ % queries.length]);
          if (record) all.push(performance.now() - t0);
          if (think) await sleep(think * (0.5 + Math.random()));
        }
      }),
    );
  await run(performance.now() + WARMUP_MS, false, 0);
  await run(performance.now() + durationMs, true, thinkMs);
  console.log(
    `  ${label.padEnd(52)} p50 ${pct(all, 0.5).toFixed(1).padStart(6)} ms   p99 ${pct(all, 0.99).toFixed(1).padStart(6)} ms   ${(all.length / (durationMs / 1000)).toFixed(0)} searches/s (${all.length})`,
  );
}

async function measure(kind: "postgres" | "pglite", database: Database) {
  await database.migrate();
  const config = loadConfig({
    NODE_ENV: "production",
    ...(kind === "postgres" ? { DATABASE_URL: "postgres://unused" } : {}),
    KOMMA_MASTER_KEY: createHash("sha256").update("komma bench library").digest("base64"),
    KOMMA_SESSION_SECRET: randomBytes(32).toString("base64url"),
    PUBLIC_URL: "https://komma.example",
    LOG_LEVEL: "silent",
  });
  const platform = await bootPlatform(config, { modules, database, clock: systemClock });
  const started = performance.now();
  const who = await seed(platform, database);
  console.log(`\n${kind}: ${PRACTICES} published practices of ${TENANTS} municipalities, made in ${((performance.now() - started) / 1000).toFixed(0)} s`);
  if (kind === "postgres") {
    await load(platform, who, `${CONCURRENCY} searchers at work (one search every ${THINK_MS / 1000} s or so)`, THINK_MS, DURATION_MS * 4);
    await load(platform, who, `${CONCURRENCY} searchers saturated`, 0, DURATION_MS);
  } else {
    await load(platform, who, `${CONCURRENCY} searchers saturated (one connection)`, 0, PGLITE_MS);
  }
  await platform.domainEvents.stop();
  await database.close();
}

const admin = new pg.Client({ connectionString: ADMIN_URL });
await admin.connect();
await admin.query(`drop database if exists ${NAME} with (force)`);
await admin.query(`create database ${NAME}`);
await admin.end();
const url = new URL(ADMIN_URL);
url.pathname = `/${NAME}`;
await measure("postgres", await openDatabase({ kind: "postgres", url: url.toString(), poolSize: CONCURRENCY + 2 }));
await measure("pglite", await openDatabase({ kind: "pglite-memory" }));
