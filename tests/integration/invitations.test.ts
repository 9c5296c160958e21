import assert from "node:assert/strict";
import { after, before, beforeEach, describe, test } from "node:test";
import { eq } from "drizzle-orm";
import { inTransaction } from "../../src/platform/db/client.ts";
import { mailOutbox } from "../../src/platform/db/schema.ts";
import { createMailer } from "../../src/platform/mail/mailer.ts";
import {
  Agent,
  createApiToken,
  createTenantFixture,
  createTestEnv,
  createUserFixture,
  outboxMails,
  type TenantFixture,
  type TestEnv,
  type UserFixture,
} from "../helpers/app.ts";
import { DB_KINDS } from "../helpers/db.ts";
import { mailText, startSmtpServer } from "../helpers/smtp.ts";

const NEW_PASSWORD = "Sieben-Brücken-über-den-Stadtfluss";

for (const kind of DB_KINDS) {
  describe(`invitations and password reset by mail (${kind})`, () => {
    let env: TestEnv;
    let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
    let tenant: TenantFixture;
    let admin: UserFixture;
    let adminAgent: Agent;
    before(async () => {
      smtp = await startSmtpServer();
      env = await createTestEnv(kind, { env: { SMTP_URL: smtp.url }, startJobs: true });
      tenant = await createTenantFixture(env, { name: "Beispielheim" });
      admin = await createUserFixture(env, [{ tenantId: tenant.id, role: "municipal_admin" }], { totp: true });
    });
    // Signed in afresh for each test (with a fresh second-factor code): some tests move the clock
    // past a session's timeout.
    beforeEach(async () => {
      env.clock.advance(30_000);
      adminAgent = new Agent(env.app);
      await adminAgent.signIn(admin, env.clock);
    });
    after(async () => {
      await env.close();
      await smtp.close();
    });

    test("an invalid invitation re-renders with errors and keeps the input", async () => {
      await adminAgent.get(`/verwaltung/kommunen/${tenant.slug}/personen/einladen`);
      const res = await adminAgent.post(`/verwaltung/kommunen/${tenant.slug}/personen/einladen`, { displayName: "Kai Beispiel", email: "keine-adresse" });
      assert.equal(res.statusCode, 400);
      assert.match(res.body, /Bitte korrigieren Sie die folgenden Angaben/);
      assert.match(res.body, /value="Kai Beispiel"/);
      assert.match(res.body, /value="keine-adresse"/);
      assert.match(res.body, /Bitte wählen Sie mindestens eine Rolle/);
    });

    const inviteLink = (text: string) => /http:\/\/localhost:3000(\/einladung\/[a-z0-9-]+\/[A-Za-z0-9_-]+)/.exec(text)?.[1];

    test("an invited person gets a mail over SMTP, creates the account through its link and signs in", async () => {
      const email = `neu-${kind}@test.example`;
      await adminAgent.get(`/verwaltung/kommunen/${tenant.slug}/personen/einladen`);
      const res = await adminAgent.post(`/verwaltung/kommunen/${tenant.slug}/personen/einladen`, {
        displayName: "Kai Beispiel",
        email,
        roles: ["staff", "leader"],
      });
      assert.equal(res.statusCode, 303);
      const list = await adminAgent.get(res.headers.location as string);
      assert.match(list.body, /Die Einladung an/);
      assert.match(list.body, /Offene Einladungen/);
      assert.match(list.body, /Kai Beispiel/);

      const mail = await smtp.waitFor((m) => m.to.includes(email));
      const text = mailText(mail.raw);
      assert.match(text, /Beispielheim/);
      const link = inviteLink(text);
      assert.ok(link, "the mail carries a link to accept the invitation");

      const invitee = new Agent(env.app);
      const form = await invitee.get(link);
      assert.equal(form.statusCode, 200);
      assert.match(form.body, /Einladung nach Beispielheim/);
      assert.match(form.body, /value="Kai Beispiel"/);
      const weak = await invitee.post(link, { displayName: "Kai Beispiel", password: "passwort123", confirm: "passwort123" });
      assert.equal(weak.statusCode, 400);
      assert.match(weak.body, /zu leicht zu erraten/);
      const mismatch = await invitee.post(link, { displayName: "Kai B.", password: NEW_PASSWORD, confirm: `${NEW_PASSWORD}x` });
      assert.match(mismatch.body, /stimmen nicht überein/);
      assert.match(mismatch.body, /value="Kai B\."/, "the name typed is kept");
      const ok = await invitee.post(link, { displayName: "Kai B.", password: NEW_PASSWORD, confirm: NEW_PASSWORD });
      assert.equal(ok.statusCode, 303);
      assert.equal((await invitee.get(link)).statusCode, 410, "the link works only once");

      const signIn = await new Agent(env.app).signIn({ id: "", email, password: NEW_PASSWORD }, env.clock);
      assert.equal(signIn.headers.location, "/start");
      const people = await adminAgent.get(`/verwaltung/kommunen/${tenant.slug}/personen`);
      assert.match(people.body, /Kai B\./);
      assert.doesNotMatch(people.body, /Offene Einladungen/, "accepted, the invitation is no longer open");
    });

    test("a delivered mail is marked as sent, and its text (with a working link) is gone from the database", async () => {
      const email = `zugestellt-${kind}@test.example`;
      const id = await inTransaction(env.platform.db, {}, (tx) =>
        env.platform.mailer.enqueue(tx, { to: email, subject: "Zustelltest", text: "Ihr Link: http://localhost:3000/passwort-setzen/zustelltest-link" }),
      );
      await env.platform.mailer.dispatch([id]);
      await smtp.waitFor((m) => m.to.includes(email));
      const row = async () => (await env.platform.db.select().from(mailOutbox).where(eq(mailOutbox.id, id)))[0];
      const end = performance.now() + 10_000;
      while (!(await row()).sentAt && performance.now() < end) await new Promise((r) => setTimeout(r, 50));
      const latest = await row();
      assert.ok(latest.sentAt, "delivered mail is marked as sent");
      assert.equal(latest.attempts, 1);
      assert.equal(latest.lastError, null);
      assert.equal(latest.body, "");
      const dump = await env.platform.database.rawQuery("select string_agg(row_to_json(m)::text, ' ') as all from mail_outbox m");
      assert.doesNotMatch(String(dump.rows[0].all), /einladung\/|passwort-setzen\//);
    });

    test("a refused recipient leaves only the error's codes behind, never the address", async () => {
      const refusing = await startSmtpServer({ refuse: /abgelehnt/ });
      try {
        const mailer = createMailer({
          db: env.platform.db,
          jobs: env.platform.jobs,
          smtpUrl: refusing.url,
          from: "komma@test.example",
          keyring: env.platform.keyring,
          nationalTenantId: env.platform.nationalTenant.id,
          clock: env.clock,
        });
        const email = `abgelehnt-${kind}@test.example`;
        const id = await inTransaction(env.platform.db, {}, (tx) => mailer.enqueue(tx, { to: email, subject: "Test", text: "Hallo" }));
        await assert.rejects(mailer.deliver(id), (err: Error) => !err.message.includes(email));
        const [row] = await env.platform.db.select().from(mailOutbox).where(eq(mailOutbox.id, id));
        assert.equal(row.attempts, 1);
        assert.match(row.lastError ?? "", /550/, "the server's reply code is kept for the operator");
        assert.doesNotMatch(row.lastError ?? "", /abgelehnt|@/, "the address is not");
      } finally {
        await refusing.close();
      }
    });

    test("a mail waiting for delivery keeps its text sealed", async () => {
      const email = `wartend-${kind}@test.example`;
      const link = "http://localhost:3000/passwort-setzen/nur-ein-beispiel-fuer-einen-link";
      await inTransaction(env.platform.db, {}, (tx) => env.platform.mailer.enqueue(tx, { to: email, subject: "Test", text: `Ihr Link: ${link}` }));
      const { rows } = await env.platform.database.rawQuery("select recipient, body from mail_outbox");
      assert.ok(!JSON.stringify(rows).includes(email), "the address is not in the outbox in plain");
      assert.ok(!JSON.stringify(rows).includes("nur-ein-beispiel"), "nor the link");
      assert.ok(
        (await outboxMails(env)).some((m) => m.to === email && m.body === `Ihr Link: ${link}`),
        "both open again for delivery",
      );
    });

    test("an invitation can be sent again (the old link stops working) and withdrawn", async () => {
      const email = `zweimal-${kind}@test.example`;
      await adminAgent.get(`/verwaltung/kommunen/${tenant.slug}/personen/einladen`);
      await adminAgent.post(`/verwaltung/kommunen/${tenant.slug}/personen/einladen`, { displayName: "Zweimal Eingeladen", email, roles: "staff" });
      const first = inviteLink(mailText((await smtp.waitFor((m) => m.to.includes(email))).raw)) as string;
      const page = await adminAgent.get(`/verwaltung/kommunen/${tenant.slug}/personen`);
      const resend = /action="([^"]+\/erneut-senden)"/.exec(page.body)?.[1] as string;
      assert.ok(resend);
      const again = await adminAgent.post(resend, {});
      assert.equal(again.statusCode, 303);
      const resent = await smtp.waitFor((m) => m.to.includes(email) && inviteLink(mailText(m.raw)) !== first);
      const second = inviteLink(mailText(resent.raw)) as string;
      const invitee = new Agent(env.app);
      assert.equal((await invitee.get(first)).statusCode, 410, "the first link no longer works");
      assert.equal((await invitee.get(second)).statusCode, 200);
      await adminAgent.get(`/verwaltung/kommunen/${tenant.slug}/personen`);
      const revoke = /action="([^"]+\/zurueckziehen)"/.exec(adminAgent.lastHtml)?.[1] as string;
      assert.equal((await adminAgent.post(revoke, {})).statusCode, 303);
      assert.equal((await invitee.get(second)).statusCode, 410, "a withdrawn invitation's link no longer works");
    });

    test("a password reset link arrives for a known address, and the answer is the same for an unknown one", async () => {
      const user = await createUserFixture(env, [{ tenantId: tenant.id, role: "staff" }]);
      const agent = new Agent(env.app);
      await agent.get("/passwort-vergessen");
      const known = await agent.post("/passwort-vergessen", { email: user.email });
      await agent.get("/passwort-vergessen");
      const unknown = await agent.post("/passwort-vergessen", { email: "gibt-es-nicht@test.example" });
      assert.equal(known.statusCode, 200);
      assert.equal(unknown.statusCode, 200);
      const strip = (b: string) => b.replace(/name="_csrf" value="[^"]+"/, "");
      assert.equal(strip(known.body), strip(unknown.body));

      const mail = await smtp.waitFor((m) => m.to.includes(user.email));
      const link = /http:\/\/localhost:3000(\/passwort-setzen\/[A-Za-z0-9_-]+)/.exec(mailText(mail.raw))?.[1] as string;
      const signedIn = new Agent(env.app);
      await signedIn.signIn(user, env.clock);
      const token = await createApiToken(env, user);
      const me = () => env.app.inject({ method: "GET", url: "/api/v1/me", headers: { authorization: `Bearer ${token}` } });
      assert.equal((await me()).statusCode, 200);
      await agent.get(link);
      const set = await agent.post(link, { password: NEW_PASSWORD, confirm: NEW_PASSWORD });
      assert.equal(set.statusCode, 303);
      assert.equal((await signedIn.get("/start")).statusCode, 303, "a reset ends existing sessions");
      assert.equal((await me()).statusCode, 401, "and the API tokens made with the account");
      assert.equal((await new Agent(env.app).signIn({ ...user, password: NEW_PASSWORD }, env.clock)).headers.location, "/start");
    });

    test("a reset link expires after an hour", async () => {
      const user = await createUserFixture(env, [{ tenantId: tenant.id, role: "staff" }]);
      const agent = new Agent(env.app);
      await agent.get("/passwort-vergessen");
      await agent.post("/passwort-vergessen", { email: user.email });
      const mail = await smtp.waitFor((m) => m.to.includes(user.email));
      const link = /http:\/\/localhost:3000(\/passwort-setzen\/[A-Za-z0-9_-]+)/.exec(mailText(mail.raw))?.[1] as string;
      env.clock.advance(61 * 60_000);
      assert.equal((await agent.get(link)).statusCode, 410);
    });

    test("inviting an address that has an account elsewhere reveals nothing and adds nobody until they accept", async () => {
      const second = await createTenantFixture(env, { name: "Probedorf" });
      const secondAdmin = await createUserFixture(env, [{ tenantId: second.id, role: "municipal_admin" }], { totp: true });
      const other = new Agent(env.app);
      env.clock.advance(30_000); // a fresh second-factor code: each counts once, whichever test used the last
      await other.signIn(secondAdmin, env.clock);
      const form = `/verwaltung/kommunen/${second.slug}/personen/einladen`;
      await other.get(form);
      const known = await other.post(form, { displayName: "Getippter Name", email: admin.email, roles: "trainer" });
      const knownPage = await other.get(known.headers.location as string);
      await other.get(form);
      const unknown = await other.post(form, { displayName: "Niemand Bekanntes", email: `unbekannt-${kind}@test.example`, roles: "trainer" });
      const unknownPage = await other.get(unknown.headers.location as string);
      assert.equal(known.statusCode, unknown.statusCode);
      const flash = (body: string) => /<p class="kern-title">([^<]+)<\/p>/.exec(body)?.[1]?.replace(/\S+@test\.example/, "ADDRESS");
      assert.equal(flash(knownPage.body), flash(unknownPage.body), "the same answer for a known and an unknown address");
      assert.match(knownPage.body, /Getippter Name/, "the inviter sees what they typed");
      assert.doesNotMatch(knownPage.body, new RegExp(`Testperson ${admin.email.split("@")[0]}`), "not the account's own name");
      const people = await other.get(`/api/v1/tenants/${second.slug}/people`, { "x-csrf-token": other.csrfToken() });
      assert.doesNotMatch(people.body, new RegExp(admin.email.replace(/[.]/g, "\\.")), "not a member before accepting");

      const mail = await smtp.waitFor((m) => m.to.includes(admin.email) && mailText(m.raw).includes("Probedorf"));
      const link = inviteLink(mailText(mail.raw)) as string;
      const me = new Agent(env.app);
      const anonymousView = await me.get(link);
      assert.match(anonymousView.body, /Melden Sie sich an/);
      env.clock.advance(30_000);
      await me.signIn(admin, env.clock);
      await me.get(link);
      const accepted = await me.post(link, {});
      assert.equal(accepted.statusCode, 303);
      const switcher = await me.get("/konto/kommune");
      assert.match(switcher.body, /Probedorf/);
      assert.match(switcher.body, /Beispielheim/);
      await me.post("/konto/kommune", { tenant: second.slug });
      const start = await me.get("/start");
      assert.match(start.body, /Sie arbeiten in: Probedorf/);
      assert.match(start.body, /Trainer:in/);
    });
  });
}
