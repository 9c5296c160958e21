import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, before, describe, test } from "node:test";
import pg from "pg";
import { buildApp } from "../../src/app.ts";
import { loadConfig } from "../../src/config.ts";
import { modules } from "../../src/modules/index.ts";
import { bootPlatform } from "../../src/platform/boot.ts";
import type { Platform } from "../../src/platform/platform.ts";
import { createTestEnv, type TestEnv } from "../helpers/app.ts";
import { POSTGRES_URL, TEST_DATABASE_PREFIX } from "../helpers/db.ts";

/*
 * Production logs in as a role like deploy/postgresql-roles.sql makes: owner of the database,
 * not a superuser, no BYPASSRLS. These tests make such a role on the test server.
 */
describe("the database login in production (postgres)", () => {
  const suffix = randomBytes(4).toString("hex");
  const role = `komma_t_owner_${suffix}`;
  const database = `${TEST_DATABASE_PREFIX}roles_${suffix}`;
  const admin = new pg.Client({ connectionString: POSTGRES_URL });
  let platform: Platform;
  before(async () => {
    await admin.connect();
    await admin.query(
      "DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'komma_app') THEN CREATE ROLE komma_app NOLOGIN NOBYPASSRLS; END IF; END $$",
    );
    await admin.query(`CREATE ROLE ${role} LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE`);
    await admin.query(`GRANT komma_app TO ${role}`);
    await admin.query(`CREATE DATABASE ${database} OWNER ${role} TEMPLATE template0`);
    const url = new URL(POSTGRES_URL);
    url.username = role;
    url.pathname = `/${database}`;
    const config = loadConfig({
      NODE_ENV: "test",
      DATABASE_URL: url.toString(),
      KOMMA_MASTER_KEY: randomBytes(32).toString("base64"),
      KOMMA_SESSION_SECRET: randomBytes(32).toString("base64url"),
      LOG_LEVEL: "silent",
    });
    platform = await bootPlatform(config, { modules });
  });
  after(async () => {
    await platform?.database.close();
    await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await admin.query(`DROP OWNED BY ${role}`).catch(() => {});
    await admin.query(`DROP ROLE IF EXISTS ${role}`);
    await admin.end();
  });

  test("a login that owns the database but is no superuser migrates it and is ready without warnings", async () => {
    const app = await buildApp(platform, { logger: false });
    const ready = await app.inject({ method: "GET", url: "/health/ready" });
    assert.equal(ready.statusCode, 200);
    assert.deepEqual(ready.json(), { status: "ok" });
    await app.close();
  });

  test("going back to the login with RESET ROLE does not get past row-level security", async () => {
    const rows = await platform.database.rawTransaction(async (query) => {
      await query("select set_config('role', 'komma_app', true)");
      await query("reset role");
      const who = await query("select current_user as me");
      assert.equal(who.rows[0].me, role);
      return (await query("select count(*)::int as n from tenant_keys")).rows[0].n;
    });
    assert.equal(rows, 0, "without a tenant set, not even the owner sees a tenant's rows");
  });
});

describe("a superuser login (postgres)", () => {
  let env: TestEnv;
  before(async () => {
    env = await createTestEnv("postgres");
  });
  after(() => env.close());

  test("is named in /health/ready as a warning", async () => {
    const ready = await env.app.inject({ method: "GET", url: "/health/ready" });
    assert.equal(ready.statusCode, 200);
    assert.match(String(ready.json().warnings), /is a superuser: row-level security does not bind it/);
  });
});
