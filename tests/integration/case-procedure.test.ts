import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { sql } from "drizzle-orm";
import { createReport } from "../../src/modules/reports/commands.ts";
import { rows, withTenant } from "../../src/platform/db/client.ts";
import { Agent, createTenantFixture, createTestEnv, createUserFixture, type TenantFixture, type TestEnv, type UserFixture } from "../helpers/app.ts";
import { DB_KINDS } from "../helpers/db.ts";

/*
 * The clearing procedure as the municipality's admins edit it: a preview that stores nothing and
 * names what changes, the alliance's matrix suggesting who is responsible, a new version on
 * saving that new cases follow while running ones keep theirs.
 */

const FORM = {
  firstResponseHours: "8",
  role_intake: "clearing_officer",
  days_intake: "1",
  role_assessment: "clearing_officer",
  days_assessment: "2",
  role_measures: "clearing_officer",
  days_measures: "21",
  role_aftercare: "clearing_officer",
  days_aftercare: "60",
  role_closure: "leader",
  days_closure: "14",
  level2: ["clearing_officer"],
  level3: ["clearing_officer", "leader", "municipal_admin"],
  overdue: ["leader"],
};

for (const kind of DB_KINDS) {
  describe(`editing the clearing procedure (${kind})`, () => {
    let env: TestEnv;
    let tenant: TenantFixture;
    let anna: UserFixture;
    let admin: UserFixture;

    async function signedIn(user: UserFixture) {
      const agent = new Agent(env.app);
      env.clock.advance(30_000);
      await agent.signIn(user, env.clock);
      return agent;
    }
    const versions = () =>
      withTenant(env.platform.db, tenant.id, (tx) => rows<{ version: number }>(tx, sql`select version from case_procedures order by version`));

    before(async () => {
      env = await createTestEnv(kind);
      tenant = await createTenantFixture(env);
      anna = await createUserFixture(env, [{ tenantId: tenant.id, role: "clearing_officer" }], { totp: true });
      admin = await createUserFixture(env, [{ tenantId: tenant.id, role: "municipal_admin" }], { totp: true });
    });
    after(() => env.close());

    test("admins preview and save a new version; new cases follow it, running ones keep theirs; the office reads it", async () => {
      const before = await createReport(env.platform, tenant, {
        answers: { mode: "anonymous", description: "Vor der Änderung gemeldet.", forms: ["insult"] } as never,
        lang: "de",
        channel: "web",
      });
      const x = await signedIn(admin);
      await x.get("/allianz/zustaendigkeiten");
      await x.post("/allianz/zustaendigkeiten", { stage: "closure", form: "", level: "", raci: "responsible", assignee: "role:leader" });
      const page = await x.get("/faelle/verfahren");
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /Gültig ist Version 1/);
      assert.match(page.body, /name="firstResponseHours"[^>]*value="24"/);
      assert.match(page.body, /Die Zuständigkeitsmatrix der Allianz nennt: Führungskraft/);

      const preview = await x.post("/faelle/verfahren/vorschau", FORM);
      assert.equal(preview.statusCode, 200);
      assert.match(preview.body, /Vorschau: so gälte Version 2/);
      assert.match(preview.body, /4 Änderungen gegenüber der geltenden Version/);
      assert.match(preview.body, /Erste Reaktion binnen 8 Stunden/);
      assert.deepEqual(await versions(), [], "the preview stores nothing");

      await x.get("/faelle/verfahren");
      const wrong = await x.post("/faelle/verfahren", { ...FORM, firstResponseHours: "0", role_closure: "national_admin", level2: [] });
      assert.equal(wrong.statusCode, 400);
      assert.match(wrong.body, /Bitte geben Sie eine ganze Zahl von 1 bis 336 an/);
      assert.match(wrong.body, /Bitte wählen Sie eine Rolle/);
      assert.match(wrong.body, /Bitte wählen Sie mindestens eine Rolle/);
      assert.match(wrong.body, /name="days_measures"[^>]*value="21"/, "the input is kept");

      await x.get("/faelle/verfahren");
      assert.equal((await x.post("/faelle/verfahren", FORM)).statusCode, 303);
      assert.deepEqual(
        (await versions()).map((v) => v.version),
        [2],
      );

      const after = await createReport(env.platform, tenant, {
        answers: { mode: "anonymous", description: "Nach der Änderung gemeldet.", forms: ["insult"] } as never,
        lang: "de",
        channel: "web",
      });
      await env.platform.domainEvents.idle(); // the case is opened by the report's event
      const found = await withTenant(env.platform.db, tenant.id, (tx) =>
        rows<{ number: string; procedure_version: number; hours: number }>(
          tx,
          sql`select number, procedure_version, extract(epoch from respond_by - opened_at)::int / 3600 as hours from cases order by number`,
        ),
      );
      assert.deepEqual(
        found.map((c) => [c.number, c.procedure_version, c.hours]),
        [
          [before.caseNumber, 1, 24],
          [after.caseNumber, 2, 8],
        ],
      );

      const a = await signedIn(anna);
      const read = await a.get("/faelle/verfahren");
      assert.match(read.body, /Gültig ist Version 2/);
      assert.doesNotMatch(read.body, /name="firstResponseHours"/, "the office reads, admins edit");
      assert.match(
        read.body,
        /<th class="kern-table__cell" scope="row">1<\/th>[\s\S]*?<td class="kern-table__cell">1<\/td>/,
        "one open case still on version 1",
      );
      assert.equal((await a.post("/faelle/verfahren", FORM)).statusCode, 403);
    });
  });
}
