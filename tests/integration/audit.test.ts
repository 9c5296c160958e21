import assert from "node:assert/strict";
import { after, before, beforeEach, describe, test } from "node:test";
import { appendAudit, auditHead, verifyAudit } from "../../src/platform/audit/audit.ts";
import { withTenant } from "../../src/platform/db/client.ts";
import { createTenantFixture, createTestEnv, type TenantFixture, type TestEnv } from "../helpers/app.ts";
import { DB_KINDS } from "../helpers/db.ts";

for (const kind of DB_KINDS) {
  describe(`audit chain (${kind})`, () => {
    let env: TestEnv;
    let tenant: TenantFixture;
    const verify = () => withTenant(env.platform.db, tenant.id, (tx) => verifyAudit(tx, tenant.id));
    const raw = (sql: string, params: unknown[] = []) => env.platform.database.rawQuery(sql, params);
    // Tampering needs the append-only trigger switched off, as an attacker with database access would do.
    const tamper = async (sql: string) => {
      await raw("alter table audit_log disable trigger audit_log_append_only");
      try {
        await raw(sql, [tenant.id]);
      } finally {
        await raw("alter table audit_log enable trigger audit_log_append_only");
      }
    };

    before(async () => {
      env = await createTestEnv(kind);
    });
    beforeEach(async () => {
      tenant = await createTenantFixture(env);
      for (let i = 1; i <= 5; i++) {
        await withTenant(env.platform.db, tenant.id, (tx) =>
          appendAudit(
            tx,
            { tenantId: tenant.id, actorId: null, action: `case.read`, objectType: "case", objectId: `MUS-2026-000${i}`, details: { step: i } },
            env.clock.now(),
          ),
        );
        env.clock.advance(1000);
      }
    });
    after(() => env.close());

    test("an untouched chain verifies", async () => {
      const result = await verify();
      assert.deepEqual(result, { ok: true, entries: 5, problems: [] });
    });

    test("a changed entry is found", async () => {
      await tamper("update audit_log set object_id = 'MUS-2026-0999' where tenant_id = $1 and seq = 3");
      const result = await verify();
      assert.equal(result.ok, false);
      assert.deepEqual(result.problems, ["entry 3: content was changed"]);
    });

    test("a removed entry in the middle is found", async () => {
      await tamper("delete from audit_log where tenant_id = $1 and seq = 2");
      const result = await verify();
      assert.equal(result.ok, false);
      assert.ok(result.problems.some((p) => p.startsWith("entry 3: expected sequence number 2")));
    });

    test("a removed last entry is found", async () => {
      await tamper("delete from audit_log where tenant_id = $1 and seq = 5");
      const result = await verify();
      assert.equal(result.ok, false);
      assert.ok(result.problems.some((p) => p.includes("entries at the end were removed")));
    });

    test("an inserted entry is found", async () => {
      await tamper(
        "insert into audit_log (tenant_id, seq, at, action, object_type, details, prev_hash, hash) select tenant_id, 6, at, 'case.read', 'case', '{}'::jsonb, hash, repeat('a', 64) from audit_log where tenant_id = $1 and seq = 5",
      );
      const result = await verify();
      assert.equal(result.ok, false);
      assert.ok(result.problems.some((p) => p.startsWith("entry 6")));
    });

    test("entries cut off the end with the head moved back are found against an anchor kept outside", async () => {
      const anchor = await withTenant(env.platform.db, tenant.id, (tx) => auditHead(tx, tenant.id));
      assert.ok(anchor);
      assert.equal(anchor.seq, 5);
      // A database superuser removes the last two entries and moves the head back: the chain
      // alone is consistent again.
      await tamper("delete from audit_log where tenant_id = $1 and seq > 3");
      await raw("update audit_heads set seq = 3, hash = (select hash from audit_log where tenant_id = $1 and seq = 3) where tenant_id = $1", [tenant.id]);
      assert.equal((await verify()).ok, true, "without the anchor nothing shows");
      const result = await withTenant(env.platform.db, tenant.id, (tx) => verifyAudit(tx, tenant.id, anchor));
      assert.equal(result.ok, false);
      assert.ok(result.problems.some((p) => p.includes("entry 5 named by the anchor is missing")));
    });

    test("a chain rewritten from an anchored entry on is found against the anchor", async () => {
      const anchor = await withTenant(env.platform.db, tenant.id, (tx) => auditHead(tx, tenant.id));
      assert.ok(anchor);
      await raw("update audit_heads set hash = repeat('b', 64) where tenant_id = $1", [tenant.id]);
      await tamper("update audit_log set hash = repeat('b', 64) where tenant_id = $1 and seq = 5");
      const result = await withTenant(env.platform.db, tenant.id, (tx) => verifyAudit(tx, tenant.id, anchor));
      assert.ok(result.problems.some((p) => p.includes("entry 5 differs from the anchor")));
    });

    test("tenants have separate chains", async () => {
      const other = await createTenantFixture(env);
      await withTenant(env.platform.db, other.id, (tx) =>
        appendAudit(tx, { tenantId: other.id, actorId: null, action: "x", objectType: "y" }, env.clock.now()),
      );
      const result = await withTenant(env.platform.db, other.id, (tx) => verifyAudit(tx, other.id));
      assert.deepEqual(result, { ok: true, entries: 1, problems: [] });
    });
  });
}
