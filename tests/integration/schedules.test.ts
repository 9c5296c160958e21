import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { modules } from "../../src/modules/index.ts";
import { createDraft } from "../../src/modules/reports/drafts.ts";
import { bootPlatform, startBackgroundWork, stopBackgroundWork } from "../../src/platform/boot.ts";
import { openDatabase } from "../../src/platform/db/client.ts";
import type { Schedule } from "../../src/platform/jobs/schedules.ts";
import type { Platform } from "../../src/platform/platform.ts";
import { createTenantFixture, createTestEnv, type TestEnv } from "../helpers/app.ts";
import { DB_KINDS } from "../helpers/db.ts";
import { until } from "../helpers/wait.ts";

/*
 * Schedules run on the platform's clock in Europe/Berlin: moving the clock past a due time fires
 * the job once — after a long pause too (once, not once per missed time), and with two processes
 * ticking at the same moment (PostgreSQL).
 */

/** The next 03:00 in Berlin after `t`: 02:00 UTC in winter time, which the test's dates are in. */
function next0300Berlin(t: Date): Date {
  const d = new Date(t);
  d.setUTCHours(2, 0, 0, 0);
  if (d <= t) d.setUTCDate(d.getUTCDate() + 1);
  return d;
}

for (const kind of DB_KINDS) {
  describe(`schedules (${kind})`, () => {
    let env: TestEnv;
    const runs: string[] = [];
    const nightly: Schedule = {
      name: "test.nightly",
      cron: "0 3 * * *",
      async run(dueAt) {
        runs.push(dueAt.toISOString());
      },
    };
    const resumedRuns: string[] = [];
    const resumed: Schedule = {
      name: "test.resumed",
      cron: "0 4 1 1 *",
      resumeAtStart: true,
      async run(dueAt) {
        resumedRuns.push(dueAt.toISOString());
      },
    };
    // The modules' own schedules (hourly clean-ups) tick along; these tests watch their own.
    const nightlyFired = async () => (await env.platform.scheduler.tick()).filter((n) => n === "test.nightly");
    before(async () => {
      env = await createTestEnv(kind);
      env.platform.scheduler.add(nightly);
      env.platform.scheduler.add(resumed);
      await startBackgroundWork(env.platform);
    });
    after(async () => {
      await stopBackgroundWork(env.platform);
      await env.close();
    });

    test("a nightly job fires once when the clock passes 03:00 in Berlin, and once after a long pause", async () => {
      await nightlyFired(); // whatever an earlier test's clock left due fires now (its run is not looked at)
      const night = next0300Berlin(env.clock.now());
      env.clock.current = new Date(night.getTime() - 60_000); // 02:59 in Berlin
      assert.deepEqual(await nightlyFired(), []);
      env.clock.current = new Date(night.getTime() + 30_000); // 03:00:30 in Berlin (winter time, UTC+1)
      assert.deepEqual(await nightlyFired(), ["test.nightly"]);
      assert.deepEqual(await nightlyFired(), [], "not again for the same night");
      await until("the job ran", () => runs.includes(night.toISOString()));

      // The installation was down for a week: the missed nights fire once, for the latest.
      const weekLater = new Date(night.getTime() + 7 * 86_400_000);
      env.clock.current = new Date(weekLater.getTime() + 6 * 3_600_000);
      assert.deepEqual(await nightlyFired(), ["test.nightly"]);
      assert.deepEqual(await nightlyFired(), []);
      await until("the job ran again", () => runs.includes(weekLater.toISOString()));
      const between = runs.filter((r) => r > night.toISOString() && r < weekLater.toISOString());
      assert.deepEqual(between, [], "no run for the nights missed in between");
      assert.equal(runs.filter((r) => r === night.toISOString()).length, 1, "each due time ran once");
    });

    test("a schedule that resumes at a start runs once when a process starts after it ran before, and not before it ever ran", async () => {
      const resume = async () => (await env.platform.scheduler.resume()).filter((n) => n.startsWith("test."));
      await env.platform.database.rawQuery("delete from schedules where name = 'test.resumed'");
      assert.deepEqual(await resume(), [], "never run: nothing was cut off");
      await env.platform.scheduler.tick(); // seen now (its first due time counts from here)
      const before = resumedRuns.length;
      assert.deepEqual(await resume(), ["test.resumed"], "a restart runs it at once; the nightly job waits for its due time");
      await until("the resumed run ran", () => resumedRuns.length === before + 1);
      assert.deepEqual(await resume(), ["test.resumed"]);
      await until("and again at the next start", () => resumedRuns.length === before + 2);
    });

    test("an abandoned report's answers are gone within the hour after a day, in a municipality where nobody starts another", async () => {
      const tenant = await createTenantFixture(env);
      await createDraft(env.platform, tenant, "de");
      const drafts = async () => Number((await env.platform.database.rawQuery("select count(*)::int as n from report_drafts")).rows[0].n);
      assert.equal(await drafts(), 1);
      env.clock.advance(25 * 3_600_000);
      assert.ok((await env.platform.scheduler.tick()).includes("reports.expire-drafts"));
      const end = performance.now() + 15_000;
      while ((await drafts()) > 0 && performance.now() < end) await new Promise((r) => setTimeout(r, 100));
      assert.equal(await drafts(), 0);
    });

    if (kind === "postgres") {
      test("with two processes ticking at once, a due job fires exactly once", async () => {
        const database = await openDatabase({ kind: "postgres", url: env.db.url as string, poolSize: 2 });
        let second: Platform | undefined;
        try {
          second = await bootPlatform(env.platform.config, { modules, database, clock: env.clock });
          second.scheduler.add(nightly);
          await second.jobs.start({ work: false });
          // A night an earlier test's clock passed may still be on its way: count from after it.
          const pendingNights = async () =>
            Number(
              (
                await env.platform.database.rawQuery(
                  "select count(*)::int as n from pgboss.job where name = 'schedule.test.nightly' and state not in ('completed', 'failed', 'cancelled')",
                )
              ).rows[0].n,
            );
          for (const end = performance.now() + 15_000; (await pendingNights()) > 0 && performance.now() < end; ) await new Promise((r) => setTimeout(r, 50));
          const before = runs.length;
          env.clock.current = new Date(next0300Berlin(env.clock.now()).getTime() + 5_000);
          const fired = await Promise.all([env.platform.scheduler.tick(), second.scheduler.tick(), env.platform.scheduler.tick(), second.scheduler.tick()]);
          assert.equal(fired.flat().filter((n) => n === "test.nightly").length, 1, "one process fired it");
          await until(`the job ran (${JSON.stringify(runs)} ${before})`, () => runs.length === before + 1).catch(async (e) => {
            console.log(
              JSON.stringify(
                (
                  await env.platform.database.rawQuery(
                    "select name, state, start_after, created_on, retry_count, output from pgboss.job where name like 'schedule%'",
                  )
                ).rows,
              ),
            );
            throw e;
          });
          await new Promise((r) => setTimeout(r, 1_500));
          assert.equal(runs.length, before + 1, "and it ran once");
        } finally {
          await second?.jobs.stop();
          await database.close();
        }
      });
    }
  });
}
