import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { dailyDigest } from "../../src/modules/cases/digest.ts";
import { createReport } from "../../src/modules/reports/commands.ts";
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

/*
 * The daily summary: an officer asks for it on the notification page; each morning it names the
 * cases they lead, new ones nobody leads, overdue first responses and due measures — figures and
 * case numbers only; whoever did not ask gets none.
 */

for (const kind of DB_KINDS) {
  describe(`the daily summary (${kind})`, () => {
    let env: TestEnv;
    let tenant: TenantFixture;
    let anna: UserFixture;
    let ben: UserFixture;

    before(async () => {
      env = await createTestEnv(kind);
      tenant = await createTenantFixture(env);
      anna = await createUserFixture(env, [{ tenantId: tenant.id, role: "clearing_officer" }], { totp: true, displayName: "Anna Amsel" });
      ben = await createUserFixture(env, [{ tenantId: tenant.id, role: "clearing_officer" }], { totp: true, displayName: "Ben Buchfink" });
    });
    after(() => env.close());

    test("asked for on the notification page, it comes each morning with figures and numbers, never content", async () => {
      const report = async (description: string) =>
        (
          await createReport(env.platform, tenant, {
            answers: { mode: "anonymous", description, forms: ["insult"] } as never,
            lang: "de",
            channel: "web",
          })
        ).caseNumber;
      const mine = await report("Beleidigung im Stadtrat, vertraulicher Inhalt.");
      const waiting = await report("Noch niemand hat diesen Fall übernommen.");
      await env.platform.domainEvents.idle();
      const a = new Agent(env.app);
      env.clock.advance(30_000);
      await a.signIn(anna, env.clock);
      await a.get(`/faelle/${mine}`);
      await a.post(`/faelle/${mine}/zuweisung`, { assignee: anna.id });
      await a.post(`/faelle/${mine}/massnahmen`, { measure: "victim_support", ownerId: anna.id, dueOn: "2026-11-24", note: "", entitled: "", fromOn: "" });
      // Found from the account page as well as from the main navigation.
      const account = await a.get("/konto");
      const link = /<a class="kern-link" href="([^"]+)">Benachrichtigungen und tägliche Zusammenfassung per E-Mail<\/a>/.exec(account.body)?.[1];
      assert.equal(link, "/konto/benachrichtigungen#einstellungen");
      const page = await a.get("/konto/benachrichtigungen");
      assert.match(page.body, /id="einstellungen"[^>]*>Einstellungen<\/h2>/);
      assert.match(page.body, /Tägliche Zusammenfassung per E-Mail/);
      assert.equal((await a.post("/konto/benachrichtigungen/einstellungen", { digest: "yes" })).statusCode, 303);
      assert.match((await a.get("/konto/benachrichtigungen")).body, /id="f-digest" name="digest" value="yes" checked/);

      env.clock.advance(2 * 86_400_000);
      await dailyDigest(env.platform).run(env.clock.now());
      const mails = (await outboxMails(env)).filter((m) => m.subject.includes("tägliche Zusammenfassung"));
      assert.equal(mails.length, 1, "only who asked for it");
      assert.equal(mails[0].to, anna.email);
      assert.match(mails[0].body, /1 Fall, den Sie führen/);
      assert.match(mails[0].body, /1 offener Fall ohne Federführung/);
      assert.match(mails[0].body, new RegExp(`Erste Reaktion überfällig: ${waiting}`));
      assert.match(mails[0].body, new RegExp(`Maßnahmen heute fällig oder überfällig: ${mine}`));
      assert.doesNotMatch(mails[0].body, /Stadtrat|vertraulich|übernommen/, "nothing of any case's content");
      assert.ok(!(await outboxMails(env)).some((m) => m.to === ben.email && m.subject.includes("Zusammenfassung")));
    });
  });
}
