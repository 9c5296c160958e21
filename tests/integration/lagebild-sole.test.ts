import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { sql } from "drizzle-orm";
import { caseClosed, caseOpened } from "../../src/modules/cases/index.ts";
import { releaseFigures, releaseOwnFigures } from "../../src/modules/monitoring/rebuild.ts";
import { municipalCube, nationalCube } from "../../src/modules/monitoring/tables.ts";
import { withTenant } from "../../src/platform/db/client.ts";
import type { EventType } from "../../src/platform/events/events.ts";
import { createTenantFixture, createTestEnv, createUserFixture, type TenantFixture, type TestEnv } from "../helpers/app.ts";
import { DB_KINDS } from "../helpers/db.ts";

/*
 * A municipality that makes up its Land alone (and is the network's only model municipality):
 * its own figures are that Land's national figures, cell for cell. A leader holding both tables
 * must learn nothing from one that the other withholds — an attacker's trial subtracted the
 * Land's second quarter (8, national) from the own first half-year (11) and found a quarter of 3.
 * So its own table withholds exactly what the national release withholds of its scopes.
 */

for (const kind of DB_KINDS) {
  describe(`Lagebild: a municipality alone in its Land (${kind})`, () => {
    let env: TestEnv;
    let alone: TenantFixture;
    let others: TenantFixture[];

    const emit = async <T>(tenantId: string, type: EventType<T>, payload: T) => {
      await withTenant(env.platform.db, tenantId, (tx) => env.platform.domainEvents.emit(tx, type, tenantId, payload));
    };
    /** A case opened and closed in the clock's month, its categories picked by `i`. */
    const reportedAndClosed = async (tenantId: string, i: number) => {
      const caseId = crypto.randomUUID();
      const facts = {
        channel: ["web", "phone", "email", "letter"][i % 4],
        mode: "named",
        place: ["town_hall", "online", "meeting", "email", "letter"][i % 5],
        affectedFunction: ["office_holder", "elected_member", "staff"][i % 3],
        forms: i % 2 === 0 ? ["insult"] : ["threat", "insult"],
        motives: [["racist", "antisemitic", "anti_muslim", "other"][i % 4]],
      };
      await emit(tenantId, caseOpened, { caseId, number: `S-${i}`, reportId: crypto.randomUUID(), immediateDanger: false, ...facts });
      await emit(tenantId, caseClosed, {
        caseId,
        number: `S-${i}`,
        outcome: i % 3 === 0 ? "supported" : "referred",
        figures: {
          openedMonth: `${env.clock.now().toISOString().slice(0, 7)}-01`,
          ...facts,
          level: i % 3,
          measures: ["criminal_complaint"],
          firstResponseMinutes: 60,
          respondedInTime: i % 4 !== 0,
          strafantrag: i % 5 === 0 ? ("late" as const) : ("in_time" as const),
        },
      });
    };

    before(async () => {
      env = await createTestEnv(kind);
      alone = await createTenantFixture(env, { kind: "model" });
      others = [await createTenantFixture(env), await createTenantFixture(env)];
      await env.platform.db.execute(sql`update tenants set land = '14' where id = ${alone.id}`);
      await env.platform.db.execute(sql`update tenants set land = '05' where id in (${others[0].id}, ${others[1].id})`);
      // Its own figures are released where someone can look at them.
      await createUserFixture(env, [{ tenantId: alone.id, role: "leader" }]);
      // January to June, a few cases a month, as a small municipality has them; the others more.
      env.clock.current = new Date("2026-01-12T10:00:00Z");
      const perMonth = [2, 0, 1, 3, 4, 1];
      let i = 0;
      for (const n of perMonth) {
        for (let k = 0; k < n; k++) await reportedAndClosed(alone.id, i++);
        for (const other of others) for (let k = 0; k < 3; k++) await reportedAndClosed(other.id, i++);
        await env.platform.domainEvents.drain();
        env.clock.advance(31 * 86_400_000);
      }
    });
    after(() => env.close());

    test("its own table withholds exactly what the national release withholds of its Land and its kind, and shows nothing the national figures do not", async () => {
      const july = new Date("2026-07-06T10:00:00Z");
      env.clock.current = july;
      await releaseFigures(env.platform.db, july);
      assert.equal(await releaseOwnFigures(env.platform.db, july), 1, "only the municipality with accounts");
      const national = (await nationalCube(env.platform.db, 2026)).cube;
      const own = (await municipalCube(env.platform.db, alone.id, 2026, july)).cube;
      assert.equal(own.quarters, 2);
      const asNational = (key: string, scope: string) => key.replace("|*|*|", scope);
      let withheld = 0;
      for (const [key, value] of own.counts) {
        const land = asNational(key, "|14|all|");
        assert.equal(national.counts.get(land) ?? 0, value, `${key}: its own figure is its Land's`);
        const nationally = national.withheld.has(land) || national.withheld.has(asNational(key, "|DE|model|"));
        assert.equal(own.withheld.has(key), nationally, `${key} (${value}) withheld in its own table as nationally`);
        if (nationally) withheld++;
      }
      assert.ok(withheld > 0, "a small municipality: some of its figures are withheld");
      assert.ok(
        [...own.counts].some(([k, v]) => v >= 5 && !own.withheld.has(k)),
        "and some shown",
      );
    });

    test("until the national release of a month is made, its own release of the month before stays", async () => {
      const august = new Date("2026-08-03T10:00:00Z");
      env.clock.current = august;
      await reportedAndClosed(alone.id, 99);
      await env.platform.domainEvents.drain();
      const early = await municipalCube(env.platform.db, alone.id, 2026, new Date("2026-09-01T08:00:00Z"));
      assert.equal(early.release.month, "2026-07-01", "September's own release waits for September's national one");
      await releaseFigures(env.platform.db, new Date("2026-09-01T09:00:00Z"));
      const later = await municipalCube(env.platform.db, alone.id, 2026, new Date("2026-09-01T10:00:00Z"));
      assert.equal(later.release.month, "2026-09-01", "then it is made");
    });
  });
}
