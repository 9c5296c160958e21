import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { sql } from "drizzle-orm";
import { appendAudit } from "../../src/platform/audit/audit.ts";
import { inTransaction, rows, withTenant } from "../../src/platform/db/client.ts";
import { memberships } from "../../src/platform/db/schema.ts";
import { createTenantFixture, createTestEnv, createUserFixture, type TenantFixture, type TestEnv } from "../helpers/app.ts";
import { DB_KINDS, rejectsWithDb } from "../helpers/db.ts";

for (const kind of DB_KINDS) {
  describe(`row-level security (${kind})`, () => {
    let env: TestEnv;
    let a: TenantFixture;
    let b: TenantFixture;
    before(async () => {
      env = await createTestEnv(kind);
      a = await createTenantFixture(env);
      b = await createTenantFixture(env);
      await createUserFixture(env, [{ tenantId: a.id, role: "staff" }]);
      await createUserFixture(env, [{ tenantId: b.id, role: "staff" }]);
      for (const t of [a, b]) {
        await withTenant(env.platform.db, t.id, (tx) =>
          appendAudit(tx, { tenantId: t.id, actorId: null, action: "test", objectType: "test" }, env.clock.now()),
        );
      }
    });
    after(() => env.close());

    test("every table with a tenant_id has row-level security enabled, forced and a tenant policy", async () => {
      const tables = await rows<{ relname: string; rls: boolean; forced: boolean; policies: number }>(
        env.platform.db,
        sql`select c.relname, c.relrowsecurity as rls, c.relforcerowsecurity as forced,
              (select count(*)::int from pg_policy p where p.polrelid = c.oid and p.polname = 'tenant_isolation') as policies
            from pg_class c join pg_namespace n on n.oid = c.relnamespace
            where n.nspname = 'public' and c.relkind = 'r'
              and exists (select 1 from pg_attribute a where a.attrelid = c.oid and a.attname = 'tenant_id' and not a.attisdropped)`,
      );
      const names = tables.map((t) => t.relname).sort();
      assert.ok(names.includes("memberships") && names.includes("audit_log") && names.includes("tenant_keys"), `found ${names}`);
      for (const t of tables) {
        assert.equal(t.rls, true, `${t.relname} has RLS enabled`);
        assert.equal(t.forced, true, `${t.relname} has RLS forced`);
        assert.equal(t.policies, 1, `${t.relname} has the tenant_isolation policy`);
      }
    });

    test("the app role without a tenant sees no rows of any tenant table", async () => {
      for (const table of ["memberships", "audit_log", "audit_heads", "tenant_keys"]) {
        const [r] = await inTransaction(env.platform.db, {}, (tx) => rows<{ n: number }>(tx, sql`select count(*)::int as n from ${sql.identifier(table)}`));
        assert.equal(r.n, 0, `${table} shows nothing without a tenant`);
      }
    });

    test("the app role in tenant A sees only tenant A's rows", async () => {
      for (const table of ["memberships", "audit_log", "tenant_keys"]) {
        const found = await withTenant(env.platform.db, a.id, (tx) =>
          rows<{ tenant_id: string }>(tx, sql`select tenant_id::text from ${sql.identifier(table)}`),
        );
        assert.ok(found.length > 0, `${table} has rows for A`);
        assert.ok(
          found.every((r) => r.tenant_id === a.id),
          `${table} shows only A's rows`,
        );
      }
    });

    test("the app role in tenant A cannot write a row for tenant B", async () => {
      const user = await createUserFixture(env, []);
      await rejectsWithDb(
        withTenant(env.platform.db, a.id, (tx) => tx.insert(memberships).values({ tenantId: b.id, userId: user.id, role: "staff" })),
        /row-level security/,
      );
    });

    test("the app role in tenant A cannot change or delete tenant B's rows", async () => {
      const changed = await withTenant(env.platform.db, a.id, (tx) =>
        rows(tx, sql`update memberships set role = 'leader' where tenant_id = ${b.id} returning 1`),
      );
      assert.equal(changed.length, 0);
      const removed = await withTenant(env.platform.db, a.id, (tx) => rows(tx, sql`delete from memberships where tenant_id = ${b.id} returning 1`));
      assert.equal(removed.length, 0);
      const [still] = await withTenant(env.platform.db, b.id, (tx) =>
        rows<{ n: number }>(tx, sql`select count(*)::int as n from memberships where role = 'staff'`),
      );
      assert.ok(still.n >= 1);
    });

    test("a failed tenant transaction keeps nothing, and the next one starts clean with its own tenant", async () => {
      const user = await createUserFixture(env, []);
      await assert.rejects(
        withTenant(env.platform.db, a.id, async (tx) => {
          await tx.insert(memberships).values({ tenantId: a.id, userId: user.id, role: "leader" });
          throw new Error("stop half-way");
        }),
        /stop half-way/,
      );
      // Many transactions in a row reuse the pooled connections: each sees its own tenant only,
      // nothing of the failed one, and runs as the application role.
      for (let i = 0; i < 12; i++) {
        const [seen] = await withTenant(env.platform.db, b.id, (tx) =>
          rows<{ tenant: string; role: string; kept: number }>(
            tx,
            sql`select current_setting('app.tenant_id') as tenant, current_user as role,
                  (select count(*)::int from memberships where user_id = ${user.id}) as kept`,
          ),
        );
        assert.deepEqual(seen, { tenant: b.id, role: "komma_app", kept: 0 });
      }
      // The tenant and user are values, never SQL.
      const odd = "x'); drop table tenants; --";
      const [ctx] = await inTransaction(env.platform.db, { tenantId: odd, userId: odd }, (tx) =>
        rows<{ tenant: string; user: string }>(tx, sql`select current_setting('app.tenant_id') as tenant, current_setting('app.user_id') as user`),
      );
      assert.deepEqual(ctx, { tenant: odd, user: odd });
    });

    test("the app role cannot call the report intake function, which takes on a tenant itself", async () => {
      await rejectsWithDb(
        withTenant(env.platform.db, a.id, (tx) =>
          rows(
            tx,
            sql`select komma_receive_report(jsonb_build_object('tenant', ${b.id}::uuid, 'report', gen_random_uuid(), 'casePrefix', 'XXX', 'year', 2026, 'channel', 'web', 'mode', 'anonymous', 'immediateDanger', false, 'content', 'k1.x', 'language', 'de', 'at', now()))`,
          ),
        ),
        /permission denied/,
      );
    });

    test("the audit log cannot be changed or deleted, not even by its owner", async () => {
      await rejectsWithDb(env.platform.database.rawQuery("update audit_log set action = 'x'"), /append-only/);
      await rejectsWithDb(env.platform.database.rawQuery("delete from audit_log"), /append-only/);
      await rejectsWithDb(
        withTenant(env.platform.db, a.id, (tx) => rows(tx, sql`delete from audit_log`)),
        /permission denied|append-only/,
      );
    });

    test("German names sort with umlauts in place (ICU collation)", async () => {
      const sorted = await rows<{ name: string }>(
        env.platform.db,
        sql`select name from (values ('Zell'), ('Öhringen'), ('Aachen'), ('Überlingen'), ('Oberhausen')) v(name) order by name collate german`,
      );
      assert.deepEqual(
        sorted.map((r) => r.name),
        ["Aachen", "Oberhausen", "Öhringen", "Überlingen", "Zell"],
      );
    });
  });
}
