import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type pg from "pg";
import { RELEASE_METHOD } from "../../src/modules/monitoring/cube.ts";
import { Agent, createTestEnv, createUserFixture, type TestEnv } from "../helpers/app.ts";
import { freshDatabase, type TestDatabase } from "../helpers/db.ts";

/*
 * With DATABASE_REPLICA_URL the national figures are read from the replica, not the primary:
 * here the "replica" is a second database holding figures the primary does not have, so the
 * figures shown can only have come from it. Cases, sign-in and everything else stay on the primary.
 */

describe("national figures from a read replica (postgres)", () => {
  let replica: TestDatabase;
  let env: TestEnv;
  before(async () => {
    replica = await freshDatabase("postgres");
    // Released there in April: the national pages read the release.
    await replica.database.rawExec(
      `insert into statistics_releases (year, month, rows, withheld, released_at, method)
       values (2026, '2026-04-01', '[{"month": "2026-03-01", "land": "05", "kind": "platform", "dimension": "incidents", "code": "all", "count": 7, "sum": 0}]', '[]', now(), ${RELEASE_METHOD})`,
    );
    env = await createTestEnv("postgres", { env: { DATABASE_URL: "postgres://primary.invalid/komma", DATABASE_REPLICA_URL: replica.url as string } });
  });
  after(async () => {
    await env.close();
    await (env.platform.statisticsDb as unknown as { $client: pg.Pool }).$client.end();
    await replica.drop();
  });

  test("the board's national figures come from the replica; a municipality's own from the primary", async () => {
    assert.notEqual(env.platform.statisticsDb, env.platform.db);
    const board = await createUserFixture(env, [{ tenantId: env.platform.nationalTenant.id, role: "advisory_board" }]);
    const agent = new Agent(env.app);
    await agent.signIn(board, env.clock);
    const data = JSON.parse((await agent.get("/lagebild/zahlen.json?jahr=2026&gebiet=DE")).body) as {
      rows: { period: string; dimension: string; value: number | null }[];
    };
    // Released in April: the year so far is its first quarter.
    assert.equal(data.rows.find((r) => r.period === "2026-Q1" && r.dimension === "incidents")?.value, 7);
    assert.equal(data.rows.find((r) => r.period === "2026-03" && r.dimension === "incidents")?.value, 7);
  });
});
