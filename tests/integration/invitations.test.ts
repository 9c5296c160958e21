import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { desc } from "drizzle-orm";
import { mailOutbox } from "../../src/platform/db/schema.ts";
import { Agent, createTenantFixture, createTestEnv, createUserFixture, type TenantFixture, type TestEnv, type UserFixture } from "../helpers/app.ts";
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

    test("an invited person gets a mail over SMTP, sets a password and signs in", async () => {
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
      assert.match(list.body, /Kai Beispiel/);

      const mail = await smtp.waitFor((m) => m.to.includes(email));
      const text = mailText(mail.raw);
      assert.match(text, /Beispielheim/);
      const link = /http:\/\/localhost:3000(\/passwort-setzen\/[A-Za-z0-9_-]+)/.exec(text)?.[1];
      assert.ok(link, "the mail carries a link to set the password");

      const invitee = new Agent(env.app);
      const form = await invitee.get(link);
      assert.equal(form.statusCode, 200);
      assert.match(form.body, /Willkommen bei KommA/);
      const weak = await invitee.post(link, { password: "passwort123", confirm: "passwort123" });
      assert.equal(weak.statusCode, 400);
      assert.match(weak.body, /zu leicht zu erraten/);
      const mismatch = await invitee.post(link, { password: NEW_PASSWORD, confirm: `${NEW_PASSWORD}x` });
      assert.match(mismatch.body, /stimmen nicht überein/);
      const ok = await invitee.post(link, { password: NEW_PASSWORD, confirm: NEW_PASSWORD });
      assert.equal(ok.statusCode, 303);
      assert.equal((await invitee.get(link)).statusCode, 410, "the link works only once");

      const signIn = await new Agent(env.app).signIn({ id: "", email, password: NEW_PASSWORD }, env.clock);
      assert.equal(signIn.headers.location, "/start");
    });

    test("delivered mail is marked as sent in the outbox", async () => {
      const [latest] = await env.platform.db.select().from(mailOutbox).orderBy(desc(mailOutbox.createdAt)).limit(1);
      assert.ok(latest.sentAt, "delivered mail is marked as sent");
      assert.equal(latest.attempts, 1);
      assert.equal(latest.lastError, null);
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
      await agent.get(link);
      const set = await agent.post(link, { password: NEW_PASSWORD, confirm: NEW_PASSWORD });
      assert.equal(set.statusCode, 303);
      assert.equal((await signedIn.get("/start")).statusCode, 303, "a reset ends existing sessions");
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

    test("an existing account invited into a second municipality keeps its password and gains the roles", async () => {
      const second = await createTenantFixture(env, { name: "Probedorf" });
      const national = await createUserFixture(env, [{ tenantId: env.platform.nationalTenant.id, role: "national_admin" }], { totp: true });
      const nat = new Agent(env.app);
      await nat.signIn(national, env.clock);
      await nat.get(`/verwaltung/kommunen/${second.slug}/personen/einladen`);
      const res = await nat.post(`/verwaltung/kommunen/${second.slug}/personen/einladen`, { displayName: "egal", email: admin.email, roles: "trainer" });
      assert.equal(res.statusCode, 303);
      const page = await nat.get(res.headers.location as string);
      assert.match(page.body, /hat bereits ein Konto/);
      const me = new Agent(env.app);
      await me.signIn(admin, env.clock);
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
