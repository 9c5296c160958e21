import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { createReport } from "../../src/modules/reports/commands.ts";
import { addMessage } from "../../src/modules/reports/mailbox.ts";
import {
  Agent,
  createTenantFixture,
  createTestEnv,
  createUserFixture,
  outboxMails,
  type TenantFixture,
  type TestEnv,
  type UserFixture,
} from "../helpers/app.ts";
import { DB_KINDS } from "../helpers/db.ts";

async function waitFor<T>(what: string, fn: () => Promise<T | null | undefined>, ms = 10_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const found = await fn();
    if (found) return found;
    if (Date.now() > until) throw new Error(`waited in vain for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

for (const kind of DB_KINDS) {
  describe(`what the clearing office is told (${kind})`, () => {
    let env: TestEnv;
    let tenant: TenantFixture;
    let officer: UserFixture;
    let office: Agent;
    const mailsTo = async (email: string, subject: RegExp) => (await outboxMails(env)).filter((m) => m.to === email && subject.test(m.subject));
    before(async () => {
      env = await createTestEnv(kind, { env: { REPORT_FLOOD_THRESHOLD: "5", REPORT_FLOOD_WINDOW_MINUTES: "10" } });
      tenant = await createTenantFixture(env, { name: "Flutstadt" });
      officer = await createUserFixture(env, [{ tenantId: tenant.id, role: "clearing_officer" }], { totp: true });
      office = new Agent(env.app);
      await office.signIn(officer, env.clock);
    });
    after(() => env.close());

    test("a reporter's answer reaches the office by mail (case number only) and is marked unread until the case is opened", async () => {
      // Signed in afresh: other tests move the clock past the session's idle timeout.
      env.clock.advance(30_000);
      await office.signIn(officer, env.clock);
      const info = { id: tenant.id, slug: tenant.slug, name: tenant.name, kind: tenant.kind };
      const created = await createReport(env.platform, info, {
        answers: { mode: "anonymous", description: "Hakenkreuz an der Bürotür gefunden." },
        lang: "de",
        channel: "web",
      });
      await addMessage(env.platform, info, created.id, { kind: "reporter" }, "Heute Morgen war es wieder da.");
      const mail = await mailsTo(officer.email, new RegExp(`Neue Nachricht zu ${created.caseNumber}`));
      assert.equal(mail.length, 1);
      assert.doesNotMatch(mail[0].body, /wieder da/, "no content in the mail");
      const start = await office.get("/start");
      assert.match(start.body, /1 ungelesene Antwort einer meldenden Person/);
      const list = await office.get("/faelle");
      assert.match(list.body, new RegExp(`${created.caseNumber}</a>[\\s\\S]{0,400}neue Nachricht`));
      await office.get(`/faelle/${created.caseNumber}`);
      assert.doesNotMatch((await office.get("/faelle")).body, /neue Nachricht/, "opened, it is read");
      await addMessage(env.platform, info, created.id, { kind: "office", userId: officer.id }, "Danke, wir kümmern uns.");
      assert.doesNotMatch((await office.get("/start")).body, /ungelesene Antwort/, "the office's own message is not unread");
    });

    test("a flood of reports is still accepted, and the office is alerted once, in the app and by mail", async () => {
      const submit = (i: number) =>
        env.app.inject({
          method: "POST",
          url: `/api/v1/tenants/${tenant.slug}/reports`,
          payload: { mode: "anonymous", description: `Massenhaft gemeldet, Nummer ${i} der Welle.` },
          remoteAddress: `127.3.${i}.1`,
        });
      for (let i = 0; i < 7; i++) assert.equal((await submit(i)).statusCode, 201, "every report is accepted");
      await waitFor("the flood mail", async () => (await mailsTo(officer.email, /Ungewöhnlich viele Meldungen/)).length > 0);
      assert.equal((await mailsTo(officer.email, /Ungewöhnlich viele Meldungen/)).length, 1, "one alert, not one per report");
      const list = await office.get("/faelle");
      assert.match(list.body, /Ungewöhnlich viele Meldungen: \d+ in kurzer Zeit/);
      const audit = await env.platform.database.rawQuery("select details from audit_log where tenant_id = $1 and action = 'report.flood_detected'", [
        tenant.id,
      ]);
      assert.equal(audit.rows.length, 1);
      env.clock.advance(25 * 3_600_000);
      assert.doesNotMatch((await office.get("/faelle")).body, /Ungewöhnlich viele Meldungen/, "the notice goes after a day");
    });
  });
}
