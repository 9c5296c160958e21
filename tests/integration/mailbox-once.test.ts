import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { createReport } from "../../src/modules/reports/commands.ts";
import { Agent, createTenantFixture, createTestEnv, createUserFixture, outboxMails, type TenantFixture, type TestEnv } from "../helpers/app.ts";
import { DB_KINDS } from "../helpers/db.ts";

for (const kind of DB_KINDS) {
  describe(`the mailbox when a page is sent again (${kind})`, () => {
    let env: TestEnv;
    let tenant: TenantFixture;
    before(async () => {
      env = await createTestEnv(kind);
      tenant = await createTenantFixture(env, { name: "Neuladen" });
    });
    after(() => env.close());

    test("reloading after a reply stores it once and tells the office once; a report in danger says so in the office's mail", async () => {
      const officer = await createUserFixture(env, [{ tenantId: tenant.id, role: "clearing_officer" }], { totp: true });
      const info = { id: tenant.id, slug: tenant.slug, name: tenant.name, kind: tenant.kind };
      const created = await createReport(env.platform, info, {
        answers: { mode: "anonymous", immediateDanger: "yes", description: "Er steht wieder vor dem Haus der Bürgermeisterin." },
        lang: "de",
        channel: "web",
      });
      // The office hears of it from a handler of report.received, once the intake committed.
      await env.platform.domainEvents.idle();
      const subjects = (await outboxMails(env)).filter((m) => m.to === officer.email).map((m) => m.subject);
      assert.ok(subjects.includes(`Neue Meldung ${created.caseNumber} – akute Gefahr gemeldet`));

      const agent = new Agent(env.app);
      await agent.get(`/${tenant.slug}/melden/postfach`);
      await agent.post(`/${tenant.slug}/melden/postfach`, { code: created.receiptCode as string, sprache: "de" });
      const once = /name="_einmal" value="([^"]+)"/.exec(agent.lastHtml)?.[1] as string;
      const csrf = agent.csrfToken();
      const form = { code: created.receiptCode as string, sprache: "de", _aktion: "antworten", _einmal: once, message: "Bitte rufen Sie mich an." };
      assert.equal((await agent.post(`/${tenant.slug}/melden/postfach`, form, { csrf })).statusCode, 200);
      const again = await agent.post(`/${tenant.slug}/melden/postfach`, form, { csrf });
      assert.equal(again.statusCode, 200);
      assert.match(again.body, /Das war schon gesendet/);
      const stored = await env.platform.database.rawQuery("select count(*)::int as n from report_messages where tenant_id = $1", [tenant.id]);
      assert.equal(stored.rows[0].n, 1);
      const told = (await outboxMails(env)).filter((m) => m.to === officer.email && m.subject.startsWith("Neue Nachricht"));
      assert.equal(told.length, 1);
    });
  });
}
