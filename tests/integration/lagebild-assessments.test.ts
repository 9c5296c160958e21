import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { sql } from "drizzle-orm";
import { assessmentTaken } from "../../src/modules/knowledge/index.ts";
import { releaseFigures } from "../../src/modules/monitoring/rebuild.ts";
import { berlinDate } from "../../src/platform/calendar.ts";
import { rows, withTenant } from "../../src/platform/db/client.ts";
import { createTenantFixture, createTestEnv, type TestEnv } from "../helpers/app.ts";
import { DB_KINDS } from "../helpers/db.ts";

/*
 * A self-assessment counts for the Lagebild in the month it was taken, like a case's event: the
 * municipality's page shows it among that month's figures. Taken in a month whose figures were
 * released already, it counts in the first month still open, so that no released figure changes.
 */

const SCORES = { alliance: 40, strategy: 40, clearing: 40, training: 40, communication: 40, participation: 40 };
const monthOf = (d: Date) => `${berlinDate(d).slice(0, 7)}-01`;
const monthsBefore = (d: Date, n: number) => new Date(d.getTime() - n * 31 * 86_400_000);

for (const kind of DB_KINDS) {
  describe(`self-assessments in the Lagebild (${kind})`, () => {
    let env: TestEnv;
    before(async () => {
      env = await createTestEnv(kind);
    });
    after(() => env.close());

    /** The months a new municipality's self-assessment, taken at `takenAt`, counts in. */
    async function countedIn(takenAt: Date): Promise<string[]> {
      const tenant = await createTenantFixture(env);
      await withTenant(env.platform.db, tenant.id, (tx) =>
        env.platform.domainEvents.emit(tx, assessmentTaken, tenant.id, { assessmentId: crypto.randomUUID(), scores: SCORES, takenAt }),
      );
      await env.platform.domainEvents.drain();
      const [source] = await withTenant(env.platform.db, tenant.id, (tx) =>
        rows<{ contributions: { month: string; dimension: string }[] }>(tx, sql`select contributions from statistics_sources where source = 'assessment'`),
      );
      return [...new Set(source.contributions.map((c) => c.month))];
    }

    test("taken in a month not released yet: counted in that month", async () => {
      const takenAt = monthsBefore(env.clock.now(), 2);
      assert.deepEqual(await countedIn(takenAt), [monthOf(takenAt)]);
    });

    test("taken in a month released already: counted in the first month open", async () => {
      await releaseFigures(env.platform.db, env.clock.now());
      assert.deepEqual(await countedIn(monthsBefore(env.clock.now(), 1)), [monthOf(env.clock.now())]);
      assert.deepEqual(await countedIn(env.clock.now()), [monthOf(env.clock.now())], "and one taken now, in this month");
    });
  });
}
