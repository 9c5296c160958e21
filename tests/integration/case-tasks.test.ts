import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { sql } from "drizzle-orm";
import { deadlineReminders } from "../../src/modules/cases/tasks.ts";
import { modules } from "../../src/modules/index.ts";
import { createReport } from "../../src/modules/reports/commands.ts";
import { bootPlatform } from "../../src/platform/boot.ts";
import { openDatabase, rows, withTenant } from "../../src/platform/db/client.ts";
import type { Platform } from "../../src/platform/platform.ts";
import { Agent, createTenantFixture, createTestEnv, createUserFixture, type TenantFixture, type TestEnv, type UserFixture } from "../helpers/app.ts";
import { DB_KINDS } from "../helpers/db.ts";

/*
 * Measures as tasks, with the legal deadlines the office must not miss: a Strafantrag per entitled
 * person (§77b StGB, in the municipality's Land — the fixture lies in Hessen), not running while
 * the perpetrator is unknown; an Auskunftssperre's renewal. The daily scan reminds on the right
 * days, once, also with two processes, and a passed Strafantrag period reaches the leaders.
 */

/** The update form's address in the table row of the task that shows `text`. */
function formOfRow(body: string, text: string): string {
  const row = body.split("<tr").find((r) => r.includes(text)) ?? "";
  return /action="(\/faelle\/[^"]+\/massnahmen\/[0-9a-f-]{36})"/.exec(row)?.[1] ?? "";
}

for (const kind of DB_KINDS) {
  describe(`case measures and deadlines (${kind})`, () => {
    let env: TestEnv;
    let tenant: TenantFixture;
    let anna: UserFixture;
    let lea: UserFixture;
    let number = "";
    let number2 = "";

    async function signedIn(user: UserFixture) {
      const agent = new Agent(env.app);
      env.clock.advance(30_000);
      await agent.signIn(user, env.clock);
      return agent;
    }
    /** The morning of a day in Berlin (07:05), when the scan runs. */
    const morning = (date: string) => {
      env.clock.current = new Date(`${date}T06:05:00Z`);
    };
    const notices = () =>
      withTenant(env.platform.db, tenant.id, (tx) =>
        rows<{ user_id: string; kind: string; params: Record<string, string | number> }>(
          tx,
          sql`select user_id, kind, params from notifications where params->>'caseNumber' = ${number} order by created_at, kind`,
        ),
      );

    before(async () => {
      env = await createTestEnv(kind);
      tenant = await createTenantFixture(env);
      anna = await createUserFixture(env, [{ tenantId: tenant.id, role: "clearing_officer" }], { totp: true, displayName: "Anna Amsel" });
      lea = await createUserFixture(env, [{ tenantId: tenant.id, role: "leader" }], { displayName: "Lea Lerche" });
      const created = await createReport(env.platform, tenant, {
        answers: { mode: "anonymous", description: "Beleidigungen in einer Ratssitzung." },
        lang: "de",
        channel: "web",
      });
      number = created.caseNumber;
      number2 = (
        await createReport(env.platform, tenant, {
          answers: { mode: "anonymous", description: "Drohung per Post, Absender unbekannt." },
          lang: "de",
          channel: "web",
        })
      ).caseNumber;
    });
    after(() => env.close());

    test("a Strafantrag per entitled person, each with its own deadline; unknown perpetrator: not running", async () => {
      const a = await signedIn(anna);
      await a.get(`/faelle/${number}`);
      const bad = await a.post(`/faelle/${number}/massnahmen`, {
        measure: "strafantrag",
        entitled: "",
        fromOn: "2026-02-30",
        ownerId: "",
        dueOn: "",
        note: "",
      });
      assert.equal(bad.statusCode, 400);
      assert.match(bad.body, /Bitte geben Sie an, wer den Strafantrag stellt/);
      assert.match(bad.body, /Bitte geben Sie ein gültiges Datum an/);
      assert.match(bad.body, /value="2026-02-30"/, "the input is kept");

      const add = async (form: Record<string, string>) => {
        await a.get(`/faelle/${number}`);
        const res = await a.post(`/faelle/${number}/massnahmen`, { ownerId: "", dueOn: "", note: "", entitled: "", fromOn: "", ...form });
        assert.equal(res.statusCode, 303, res.body.slice(0, 200));
      };
      // The affected person learned of act and perpetrator on 24 November: the period ends 24 February 2027 (a Wednesday).
      await add({ measure: "strafantrag", entitled: "affected", fromOn: "2026-11-24", ownerId: anna.id, note: "Formular liegt vor." });
      // The mayor as superior learned on 30 November: 28 February 2027 is a Sunday, so 1 March.
      await add({ measure: "strafantrag", entitled: "superior", fromOn: "2026-11-30" });
      await add({ measure: "register_block", fromOn: "2026-11-24" });
      await a.get(`/faelle/${number}`);
      const twice = await a.post(`/faelle/${number}/massnahmen`, {
        measure: "strafantrag",
        entitled: "superior",
        fromOn: "2026-12-01",
        ownerId: "",
        dueOn: "",
        note: "",
      });
      assert.equal(twice.statusCode, 400, "one Strafantrag per entitled person");
      assert.match(twice.body, /Für diese Person gibt es schon einen Strafantrag/);

      const page = await a.get(`/faelle/${number}`);
      const section = /id="massnahmen"[\s\S]*?id="neue-massnahme"/.exec(page.body)?.[0] ?? "";
      assert.match(section, /die betroffene Person[\s\S]*?Formular liegt vor[\s\S]*?24\.02\.2027[\s\S]*?noch 92 Tage[\s\S]*?Anna Amsel/);
      const top = page.body.slice(0, page.body.indexOf('id="massnahmen"'));
      assert.match(top, /Nächste gesetzliche Frist[\s\S]*?Strafantrag[\s\S]*?24\.02\.2027/, "the first legal deadline stands at the top of the case");
      assert.match(section, /Dienstvorgesetzte:r[\s\S]*?01\.03\.2027/);
      assert.match(section, /Auskunftssperre[\s\S]*?29\.09\.2028/, "renewal eight weeks before the two years end");
      // Another incident, whose perpetrator nobody knows yet: the period does not run.
      await a.get(`/faelle/${number2}`);
      const unknown = await a.post(`/faelle/${number2}/massnahmen`, {
        measure: "strafantrag",
        entitled: "affected",
        fromOn: "",
        ownerId: "",
        dueOn: "",
        note: "",
      });
      assert.equal(unknown.statusCode, 303);
      const page2 = await a.get(`/faelle/${number2}`);
      assert.match(page2.body, /läuft noch nicht: Täter:in unbekannt/);
      assert.match(page2.body.slice(0, page2.body.indexOf('id="massnahmen"')), /Ein Strafantrag wartet: Täter:in unbekannt/);
      const sealed = await withTenant(env.platform.db, tenant.id, (tx) => rows<{ note: string }>(tx, sql`select note from case_tasks where note is not null`));
      assert.match(sealed[0].note, /^k1\./, "notes are sealed at rest");
    });

    test("the daily scan reminds 4 weeks, 2 weeks, 3 days and 1 day before — each once, also with two processes", async () => {
      const scan = deadlineReminders(env.platform);
      morning("2027-01-26"); // 29 days before 24 February: nothing yet
      await scan.run(env.clock.now());
      assert.equal((await notices()).length, 0);

      morning("2027-01-27"); // four weeks before
      await scan.run(env.clock.now());
      await scan.run(env.clock.now());
      let got = await notices();
      assert.equal(got.length, 1, "one reminder, though the scan ran twice");
      assert.equal(got[0].user_id, anna.id, "to the owner of the task");
      assert.equal(got[0].kind, "cases.notify.strafantrag.due");
      assert.equal(got[0].params.date, "24.02.2027");
      const a = await signedIn(anna);
      const centre = await a.get("/konto/benachrichtigungen");
      assert.match(centre.body, new RegExp(`Fall ${number}: Strafantragsfrist endet am 24\\.02\\.2027`), "the notice reads in words");

      // The superior's period (1 March) reaches its four weeks on 1 February; two processes scan at once.
      morning("2027-02-01");
      let second: Platform | undefined;
      const database = kind === "postgres" ? await openDatabase({ kind: "postgres", url: env.db.url as string, poolSize: 2 }) : null;
      try {
        if (database) second = await bootPlatform(env.platform.config, { modules, database, clock: env.clock });
        const other = second ? deadlineReminders(second) : scan;
        await Promise.all([scan.run(env.clock.now()), other.run(env.clock.now()), scan.run(env.clock.now())]);
      } finally {
        await second?.domainEvents.stop();
        await database?.close();
      }
      got = await notices();
      assert.equal(got.length, 2, "the superior's four-week reminder, once");
      assert.equal(got[1].params.date, "01.03.2027");

      for (const [day, expected] of [
        ["2027-02-10", 2], // two weeks before 24 February
        ["2027-02-21", 3], // three days
        ["2027-02-23", 4], // one day
        ["2027-02-24", 4], // the last day itself: the one-day reminder was the last
      ] as const) {
        morning(day);
        await scan.run(env.clock.now());
        assert.equal((await notices()).filter((n) => n.params.date === "24.02.2027").length, expected, day);
      }
    });

    test("a Strafantrag left past its end goes to the leaders; one filed in time falls silent", async () => {
      const scan = deadlineReminders(env.platform);
      morning("2027-02-25");
      await scan.run(env.clock.now());
      const overdue = (await notices()).filter((n) => n.kind === "cases.notify.strafantrag.overdue");
      assert.deepEqual(overdue.map((n) => n.user_id).sort(), [anna.id, lea.id].sort(), "the owner and the procedure's leader role");

      const a = await signedIn(anna);
      const page = await a.get(`/faelle/${number}`);
      assert.match(page.body, /seit 1 Tag abgelaufen/);
      const superior = formOfRow(page.body, "Dienstvorgesetzte:r (§ 194");
      assert.ok(superior, "the superior's task has its form");
      const missing = await a.post(superior, { status: "done", outcome: "", fromOn: "" });
      assert.equal(missing.statusCode, 400);
      assert.match(missing.body, /Bitte halten Sie das Ergebnis fest/);
      await a.get(`/faelle/${number}`);
      const done = await a.post(superior, { status: "done", outcome: "Strafantrag am 25.02. schriftlich gestellt.", fromOn: "" });
      assert.equal(done.statusCode, 303);
      const after1 = await a.get(`/faelle/${number}`);
      assert.match(after1.body, /Strafantrag am 25\.02\. schriftlich gestellt/);
      const before = (await notices()).length;
      morning("2027-02-28");
      await scan.run(env.clock.now());
      assert.equal((await notices()).length, before, "a task done reminds nobody");
    });

    test("when the perpetrator becomes known, the period starts from that day", async () => {
      const a = await signedIn(anna);
      const page = await a.get(`/faelle/${number2}`);
      const form = formOfRow(page.body, "läuft noch nicht: Täter:in unbekannt");
      const res = await a.post(form, { status: "open", outcome: "", fromOn: "2027-03-31" });
      assert.equal(res.statusCode, 303);
      const now = await a.get(`/faelle/${number2}`);
      // 31 March → 30 June (June has no 31st), a Wednesday.
      assert.match(now.body, /30\.06\.2027/);
      assert.doesNotMatch(now.body, /läuft noch nicht/);
    });
  });
}
