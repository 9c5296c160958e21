import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { and, eq, sql } from "drizzle-orm";
import type { FastifyInstance } from "fastify";
import { buildApp } from "../../src/app.ts";
import { updateTenant } from "../../src/modules/admin/commands.ts";
import { allSealedColumns, modules } from "../../src/modules/index.ts";
import { bootPlatform } from "../../src/platform/boot.ts";
import { rotateKeys } from "../../src/platform/crypto/rotate.ts";
import { openDatabase, rows, withTenant } from "../../src/platform/db/client.ts";
import { tenantKeys, tenants } from "../../src/platform/db/schema.ts";
import { translator } from "../../src/platform/i18n/i18n.ts";
import type { Platform } from "../../src/platform/platform.ts";
import { createTenantFixture, createTestEnv, createUserFixture, type TenantFixture, type TestEnv } from "../helpers/app.ts";
import { DB_KINDS } from "../helpers/db.ts";

/*
 * Two application processes behind a load balancer on one PostgreSQL must behave as one: a
 * limit reached through one holds in the other, a change made through one is seen by the
 * other at once, a key rotated by one is used by the other. "Process" B here is a second
 * platform with its own connection pool and its own listening connection, booted from the same
 * configuration; nothing in memory is shared with A (module-level caches are per platform).
 */

const RATE_LIMIT = 3;

async function secondProcess(env: TestEnv): Promise<{ platform: Platform; app: FastifyInstance; close(): Promise<void> }> {
  const database = await openDatabase({ kind: "postgres", url: env.db.url as string, poolSize: 4 });
  const platform = await bootPlatform(env.platform.config, { modules, database, clock: env.clock });
  const app = await buildApp(platform, { logger: false });
  await app.ready();
  return {
    platform,
    app,
    async close() {
      await app.close();
      await database.close();
    },
  };
}

const submitTo = (app: FastifyInstance, slug: string, ip: string, payload: object = {}) =>
  app.inject({ method: "POST", url: `/api/v1/tenants/${slug}/reports`, payload, remoteAddress: ip });

const REPORT = { mode: "anonymous", description: "Hassparolen an der Bushaltestelle am Markt, seit gestern." };

/**
 * Waits until `check` holds: a notification crosses to the other process in milliseconds. The
 * limits are far below the caches' 30 seconds, and far above what an idle machine needs, so that
 * a busy one does not fail the test.
 */
async function soon(what: string, check: () => Promise<boolean>, ms = 10_000): Promise<number> {
  const started = performance.now();
  while (performance.now() - started < ms) {
    if (await check()) return performance.now() - started;
    await new Promise((r) => setTimeout(r, 20));
  }
  assert.fail(`${what} did not happen within ${ms} ms`);
}

for (const kind of DB_KINDS) {
  describe(`rate limits counted in the database (${kind})`, () => {
    let env: TestEnv;
    let tenant: TenantFixture;
    before(async () => {
      env = await createTestEnv(kind, { env: { REPORT_RATE_LIMIT: String(RATE_LIMIT) } });
      tenant = await createTenantFixture(env);
    });
    after(() => env.close());

    test("a client over the limit is refused until the window has passed, and another client is not", async () => {
      for (let i = 0; i < RATE_LIMIT; i++) assert.notEqual((await submitTo(env.app, tenant.slug, "127.8.0.1")).statusCode, 429);
      const refused = await submitTo(env.app, tenant.slug, "127.8.0.1");
      assert.equal(refused.statusCode, 429);
      assert.ok(Number(refused.headers["retry-after"]) > 0 && Number(refused.headers["retry-after"]) <= 60);
      assert.notEqual((await submitTo(env.app, tenant.slug, "127.8.0.2")).statusCode, 429);
      env.clock.advance(61_000);
      assert.notEqual((await submitTo(env.app, tenant.slug, "127.8.0.1")).statusCode, 429);
    });

    test("reports count against the same limit in the intake's own call, and one over it stores nothing", async () => {
      const ip = "127.8.1.1";
      const reports = async () => Number((await env.platform.database.rawQuery("select count(*)::int as n from reports")).rows[0].n);
      const before = await reports();
      // An invalid request counts too: it is refused like a report once the client is over the limit.
      assert.equal((await submitTo(env.app, tenant.slug, ip)).statusCode, 400);
      for (let i = 1; i < RATE_LIMIT; i++) assert.equal((await submitTo(env.app, tenant.slug, ip, REPORT)).statusCode, 201);
      assert.equal(await reports(), before + RATE_LIMIT - 1);
      const refused = await submitTo(env.app, tenant.slug, ip, REPORT);
      assert.equal(refused.statusCode, 429);
      assert.equal(refused.json().code, "rate_limited");
      assert.ok(Number(refused.headers["retry-after"]) > 0 && Number(refused.headers["retry-after"]) <= 60);
      assert.equal(await reports(), before + RATE_LIMIT - 1, "the refused report is not stored");
      assert.equal((await submitTo(env.app, "no-such-town", ip, REPORT)).statusCode, 429, "nor is a request for no municipality let through");
      env.clock.advance(61_000);
      assert.equal((await submitTo(env.app, tenant.slug, ip, REPORT)).statusCode, 201);
    });

    test("the counts name no address, only keyed hashes", async () => {
      const { rows: stored } = await env.platform.database.rawQuery("select purpose, key_hash from rate_counters");
      assert.ok(stored.length > 0);
      for (const r of stored) {
        assert.match(String(r.key_hash), /^[A-Za-z0-9_-]{43}$/);
        assert.doesNotMatch(JSON.stringify(r), /127\.8\./);
      }
    });

    test("the application role can neither read nor reset the counts", async () => {
      const tries = ["select count(*) from rate_counters", "delete from rate_counters"];
      for (const statement of tries) {
        await assert.rejects(
          env.platform.database.rawTransaction(async (query) => {
            await query("set local role komma_app");
            await query(statement);
          }),
          /permission denied/,
        );
      }
    });

    test("a one-time count is taken once per window, and expired windows are swept", async () => {
      const { counters } = env.platform;
      assert.equal(await counters.take("test-once", "form-1", 60_000, 1, 1), true);
      assert.equal(await counters.take("test-once", "form-1", 60_000, 1, 1), false);
      assert.equal(await counters.take("test-budget", "client", 60_000, 70, 100), true);
      assert.equal(await counters.take("test-budget", "client", 60_000, 40, 100), false, "what would pass the budget is refused");
      assert.equal(await counters.take("test-budget", "client", 60_000, 30, 100), true, "and not counted");
      env.clock.advance(120_000);
      assert.equal(await counters.take("test-once", "form-2", 60_000, 1, 1), true);
      const swept = async () =>
        (await env.platform.database.rawQuery("select count(*)::int as n from rate_counters where purpose = 'test-budget'")).rows[0].n === 0;
      await soon("the sweep", swept);
      assert.equal(await counters.take("test-once", "form-1", 60_000, 1, 1), true, "a new window");
    });
  });
}

describe("two processes on one PostgreSQL database", () => {
  let env: TestEnv;
  let b: Awaited<ReturnType<typeof secondProcess>>;
  let tenant: TenantFixture;
  before(async () => {
    env = await createTestEnv("postgres", { env: { REPORT_RATE_LIMIT: String(RATE_LIMIT) } });
    b = await secondProcess(env);
    tenant = await createTenantFixture(env, { name: "Zweiprozessdorf" });
  });
  after(async () => {
    await b.close();
    await env.close();
  });

  test("a rate limit reached through process A holds in process B", async () => {
    for (let i = 0; i < RATE_LIMIT; i++) assert.notEqual((await submitTo(env.app, tenant.slug, "127.9.0.1")).statusCode, 429);
    assert.equal((await submitTo(b.app, tenant.slug, "127.9.0.1")).statusCode, 429);
    assert.notEqual((await submitTo(b.app, tenant.slug, "127.9.0.2")).statusCode, 429, "another client is not held back");
  });

  test("a municipality renamed through process A shows under its new name in process B at once", async () => {
    const page = async () => (await b.app.inject({ method: "GET", url: `/${tenant.slug}` })).body;
    assert.match(await page(), /Zweiprozessdorf/, "B has the municipality in its cache");
    const admin = await createUserFixture(env, [{ tenantId: env.platform.nationalTenant.id, role: "national_admin" }]);
    const actor = {
      userId: admin.id,
      memberships: [{ tenantId: env.platform.nationalTenant.id, role: "national_admin" as const }],
      nationalTenantId: env.platform.nationalTenant.id,
    };
    const [row] = await env.platform.db.select().from(tenants).where(eq(tenants.id, tenant.id));
    const updated = await updateTenant(
      env.platform,
      actor,
      row,
      { name: "Neuzweiprozessdorf", slug: row.slug, ags: row.ags as string, land: row.land as "06", kind: row.kind as "platform" },
      translator("de"),
    );
    assert.ok(updated.ok);
    // Without the message B would keep the old name for the cache's 30 seconds.
    await soon("the new name in B", async () => /Neuzweiprozessdorf/.test(await page()));
  });

  test("a process whose listening connection broke listens again, and drops what it cached meanwhile", async () => {
    const page = async () => (await b.app.inject({ method: "GET", url: `/${tenant.slug}` })).body;
    assert.match(await page(), /Neuzweiprozessdorf/);
    const listeners = async () =>
      (await env.platform.database.rawQuery("select pid from pg_stat_activity where datname = current_database() and query ilike 'listen %'")).rows;
    assert.equal((await listeners()).length, 2, "each process listens on a connection of its own");
    await env.platform.database.rawQuery(
      "select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database() and query ilike 'listen %'",
    );
    // A change nobody announces (as if its message were lost while nobody listened).
    await env.platform.database.rawQuery("update tenants set name = 'Stillzweiprozessdorf' where id = $1", [tenant.id]);
    await soon("both processes listening again", async () => (await listeners()).length === 2, 15_000);
    await soon("B showing the unannounced name", async () => /Stillzweiprozessdorf/.test(await page()));
  });

  test("after key rotation through process A, process B seals with the new key without restart", async () => {
    const keyOfReport = async (caseNumber: string) => {
      const [r] = await withTenant(b.platform.db, tenant.id, (tx) =>
        rows<{ key_id: string }>(tx, sql`select split_part(content, '.', 2) as key_id from reports where case_number = ${caseNumber}`),
      );
      return r.key_id;
    };
    const activeKey = async () => {
      const [k] = await withTenant(env.platform.db, tenant.id, (tx) =>
        tx
          .select({ keyId: tenantKeys.keyId })
          .from(tenantKeys)
          .where(and(eq(tenantKeys.tenantId, tenant.id), eq(tenantKeys.active, true))),
      );
      return k.keyId;
    };
    const before = await submitTo(b.app, tenant.slug, "127.9.1.1", REPORT);
    assert.equal(before.statusCode, 201, before.body);
    const oldKey = await activeKey();
    assert.equal(await keyOfReport(before.json().data.caseNumber), oldKey, "B holds the old key");

    await rotateKeys(env.platform, allSealedColumns());
    const newKey = await activeKey();
    assert.notEqual(newKey, oldKey);
    await soon("B forgets the old key", async () => b.platform.keyring.cachedSealer(tenant.id) === null);
    const after = await submitTo(b.app, tenant.slug, "127.9.1.2", REPORT);
    assert.equal(after.statusCode, 201, after.body);
    assert.equal(await keyOfReport(after.json().data.caseNumber), newKey);
  });
});
