import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, before, describe, test } from "node:test";
import { eq } from "drizzle-orm";
import fc from "fast-check";
import { loadConfig } from "../../src/config.ts";
import { allSealedColumns, modules } from "../../src/modules/index.ts";
import { bootPlatform } from "../../src/platform/boot.ts";
import { createKeyring } from "../../src/platform/crypto/keyring.ts";
import { rotateKeys } from "../../src/platform/crypto/rotate.ts";
import { withTenant } from "../../src/platform/db/client.ts";
import { tenantKeys, users } from "../../src/platform/db/schema.ts";
import { createTenantFixture, createTestEnv, createUserFixture, type TenantFixture, type TestEnv } from "../helpers/app.ts";
import { DB_KINDS } from "../helpers/db.ts";

for (const kind of DB_KINDS) {
  describe(`envelope encryption (${kind})`, () => {
    let env: TestEnv;
    let a: TenantFixture;
    let b: TenantFixture;
    before(async () => {
      env = await createTestEnv(kind);
      a = await createTenantFixture(env);
      b = await createTenantFixture(env);
    });
    after(() => env.close());

    const seal = (tenant: string, text: string, context = "test.field") =>
      withTenant(env.platform.db, tenant, (tx) => env.platform.keyring.seal(tx, tenant, text, context));
    const open = (tenant: string, sealed: string, context = "test.field") =>
      withTenant(env.platform.db, tenant, (tx) => env.platform.keyring.openText(tx, tenant, sealed, context));

    test("any text seals and opens to itself, and never shows in the ciphertext", async () => {
      await fc.assert(
        fc.asyncProperty(fc.string({ minLength: 1, maxLength: 200, unit: "grapheme" }), async (text) => {
          const sealed = await seal(a.id, text);
          assert.ok(sealed.startsWith("k1."));
          if (text.length >= 4) assert.ok(!sealed.includes(text));
          assert.equal(await open(a.id, sealed), text);
        }),
        { numRuns: 40 },
      );
    });

    test("a value sealed for one tenant or field does not open for another", async () => {
      const sealed = await seal(a.id, "vertraulich");
      await assert.rejects(open(b.id, sealed));
      await assert.rejects(open(a.id, sealed, "other.field"));
      const parts = sealed.split(".");
      const bytes = Buffer.from(parts[3], "base64url");
      bytes[0] ^= 1;
      const flipped = `${parts.slice(0, 3).join(".")}.${bytes.toString("base64url")}`;
      await assert.rejects(open(a.id, flipped), "a changed ciphertext is refused");
    });

    test("a process that holds a tenant's data key seals without the database, and only for that tenant", async () => {
      const fresh = createKeyring(env.platform.config.masterKey);
      const tenant = await createTenantFixture(env);
      await withTenant(env.platform.db, tenant.id, (tx) => env.platform.keyring.seal(tx, tenant.id, "erster Wert", "test.field"));
      assert.equal(fresh.cachedSealer(tenant.id), null, "a process that never loaded the key has no sealer");
      await withTenant(env.platform.db, tenant.id, (tx) => fresh.sealer(tx, tenant.id));
      const sealer = fresh.cachedSealer(tenant.id);
      assert.ok(sealer);
      const sealed = sealer("ohne Datenbank versiegelt", "test.field");
      assert.equal(await open(tenant.id, sealed), "ohne Datenbank versiegelt");
      await assert.rejects(open(a.id, sealed), "sealed for one tenant, it does not open for another");
    });

    test("data keys are stored wrapped, never in plain", async () => {
      const keys = await env.platform.db.select().from(tenantKeys).where(eq(tenantKeys.tenantId, a.id));
      assert.ok(keys.length >= 1);
      for (const k of keys) assert.ok(k.wrappedKey.length > 60 && k.wrappedKey.includes("."));
    });

    test("a TOTP secret is stored sealed: the database never holds it in plain", async () => {
      const user = await createUserFixture(env, [{ tenantId: a.id, role: "clearing_officer" }], { totp: true });
      const { rows } = await env.platform.database.rawQuery("select row_to_json(u)::text as row from users u where id = $1", [user.id]);
      const stored = String(rows[0].row);
      assert.ok(!stored.includes(user.totpSecret as string));
      assert.match(stored, /"totp_secret":"k1\./);
      const everything = await env.platform.database.rawQuery(
        "select string_agg(t::text, ' ') as all from (select row_to_json(x)::text as t from users x union all select row_to_json(y)::text from tenant_keys y union all select row_to_json(z)::text from recovery_codes z) s",
      );
      assert.ok(!String(everything.rows[0].all).includes(user.totpSecret as string));
    });

    test("key rotation re-seals stored values and keeps everything readable", async () => {
      const user = await createUserFixture(env, [{ tenantId: a.id, role: "clearing_officer" }], { totp: true });
      const old = await seal(a.id, "vor der Rotation");
      const [before] = await env.platform.db.select({ s: users.totpSecret }).from(users).where(eq(users.id, user.id));
      const report = await rotateKeys(env.platform, allSealedColumns());
      assert.ok(report.tenants >= 3);
      assert.ok(report.resealed >= 1);
      const [afterRow] = await env.platform.db.select({ s: users.totpSecret }).from(users).where(eq(users.id, user.id));
      assert.notEqual(afterRow.s, before.s, "the stored TOTP secret was re-sealed");
      assert.notEqual(afterRow.s?.split(".")[1], before.s?.split(".")[1], "under a new data key");
      const national = env.platform.nationalTenant.id;
      const plain = await withTenant(env.platform.db, national, (tx) => env.platform.keyring.openText(tx, national, afterRow.s as string, "users.totp_secret"));
      assert.equal(plain, user.totpSecret);
      assert.equal(await open(a.id, old), "vor der Rotation", "values sealed before rotation still open");
      const fresh = await seal(a.id, "nach der Rotation");
      assert.notEqual(fresh.split(".")[1], old.split(".")[1], "new values use the new key");
    });
  });

  // A master key change re-wraps every data key: on a database of its own, so that the tests
  // above keep the keys they started with, whatever order they run in.
  describe(`master key change (${kind})`, () => {
    let env: TestEnv;
    let b: TenantFixture;
    before(async () => {
      env = await createTestEnv(kind);
      b = await createTenantFixture(env);
    });
    after(() => env.close());
    const seal = (tenant: string, text: string, context = "test.field") =>
      withTenant(env.platform.db, tenant, (tx) => env.platform.keyring.seal(tx, tenant, text, context));

    test("after a master key change, rotation re-wraps data keys and the old master key can go", async () => {
      const sealed = await seal(b.id, "Hauptschlüsselwechsel");
      const newMaster = randomBytes(32).toString("base64");
      const env2Config = loadConfig({
        NODE_ENV: "test",
        KOMMA_MASTER_KEY: newMaster,
        KOMMA_PREVIOUS_MASTER_KEYS: env.masterKey,
        KOMMA_SESSION_SECRET: randomBytes(32).toString("base64url"),
        LOG_LEVEL: "silent",
      });
      const rotated = await bootPlatform(env2Config, { modules, database: env.db.database, clock: env.clock });
      const report = await rotateKeys(rotated, allSealedColumns());
      assert.ok(report.rewrapped >= 2);
      // Now only the new master key is needed.
      const onlyNew = { ...rotated, keyring: createKeyring(Buffer.from(newMaster, "base64")) };
      const plain = await withTenant(onlyNew.db, b.id, (tx) => onlyNew.keyring.openText(tx, b.id, sealed, "test.field"));
      assert.equal(plain, "Hauptschlüsselwechsel");
    });
  });
}
