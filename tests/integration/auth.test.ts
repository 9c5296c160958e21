import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { eq } from "drizzle-orm";
import { LOCKOUT_MS, MAX_FAILURES } from "../../src/platform/auth/service.ts";
import { sessions } from "../../src/platform/db/schema.ts";
import { Agent, createTenantFixture, createTestEnv, createUserFixture, type TenantFixture, type TestEnv, totpCode } from "../helpers/app.ts";
import { DB_KINDS } from "../helpers/db.ts";

const SESSION = "komma_session";

for (const kind of DB_KINDS) {
  describe(`sign-in and sessions (${kind})`, () => {
    let env: TestEnv;
    let tenant: TenantFixture;
    before(async () => {
      env = await createTestEnv(kind);
      tenant = await createTenantFixture(env);
    });
    after(() => env.close());

    test("a staff member signs in with email and password and reaches the start page", async () => {
      const user = await createUserFixture(env, [{ tenantId: tenant.id, role: "staff" }]);
      const agent = new Agent(env.app);
      const res = await agent.signIn(user, env.clock);
      assert.equal(res.statusCode, 303);
      assert.equal(res.headers.location, "/start");
      const start = await agent.get("/start");
      assert.equal(start.statusCode, 200);
      assert.match(start.body, /Guten Tag, Testperson/);
      assert.match(start.body, new RegExp(tenant.name));
    });

    test("a wrong password and an unknown address get the same answer", async () => {
      const user = await createUserFixture(env, [{ tenantId: tenant.id, role: "staff" }]);
      const agent = new Agent(env.app);
      await agent.get("/anmelden");
      const wrong = await agent.post("/anmelden", { email: user.email, password: "falsch-falsch-falsch" });
      await agent.get("/anmelden");
      const unknown = await agent.post("/anmelden", { email: "niemand@test.example", password: "falsch-falsch-falsch" });
      assert.equal(wrong.statusCode, 401);
      assert.equal(unknown.statusCode, 401);
      const message = (body: string) => /<p class="kern-title">([^<]+)<\/p>/.exec(body)?.[1];
      assert.equal(message(wrong.body), "E-Mail-Adresse oder Passwort sind nicht richtig.");
      assert.equal(message(unknown.body), message(wrong.body));
      assert.match(wrong.body, new RegExp(`value="${user.email}"`), "the address stays in the form");
    });

    test("an empty form re-renders with an error summary and the input kept", async () => {
      const agent = new Agent(env.app);
      await agent.get("/anmelden");
      const res = await agent.post("/anmelden", { email: "kein-at-zeichen", password: "" });
      assert.equal(res.statusCode, 400);
      assert.match(res.body, /Bitte korrigieren Sie die folgenden Angaben/);
      assert.match(res.body, /href="#f-email"/);
      assert.match(res.body, /href="#f-password"/);
      assert.match(res.body, /value="kein-at-zeichen"/);
      assert.match(res.body, /aria-invalid="true"/);
    });

    test(`after ${MAX_FAILURES} failures the account is locked for a while, known or not, and the page says until when`, async () => {
      const user = await createUserFixture(env, [{ tenantId: tenant.id, role: "staff" }]);
      const berlinTime = (at: number) => new Intl.DateTimeFormat("de", { hour: "2-digit", minute: "2-digit", timeZone: "Europe/Berlin" }).format(at);
      const until = berlinTime(env.clock.now().getTime() + LOCKOUT_MS);
      const agents = new Map<string, Agent>();
      for (const email of [user.email, "unbekannt@test.example"]) {
        const agent = new Agent(env.app);
        agents.set(email, agent);
        for (let i = 0; i < MAX_FAILURES; i++) {
          await agent.get("/anmelden");
          await agent.post("/anmelden", { email, password: "immer-noch-falsch" });
        }
        await agent.get("/anmelden");
        const locked = await agent.post("/anmelden", { email, password: email === user.email ? user.password : "egal-was" });
        assert.equal(locked.statusCode, 429, `${email} is locked`);
        assert.match(locked.body, new RegExp(`Die Anmeldung ist bis ${until} Uhr gesperrt`));
      }
      env.clock.advance(LOCKOUT_MS - 5 * 60_000);
      for (const [email, agent] of agents) {
        await agent.get("/anmelden");
        const still = await agent.post("/anmelden", { email, password: "egal-was" });
        assert.equal(still.statusCode, 429);
        assert.match(still.body, new RegExp(`bis ${until} Uhr gesperrt`), "ten minutes later the same end, not fifteen minutes more");
      }
      env.clock.advance(5 * 60_000 + 1000);
      const agent = new Agent(env.app);
      const res = await agent.signIn(user, env.clock);
      assert.equal(res.headers.location, "/start", "the right password works again after the lockout");
    });

    test("signing in replaces the session id (no fixation)", async () => {
      const user = await createUserFixture(env, [{ tenantId: tenant.id, role: "staff" }]);
      const agent = new Agent(env.app);
      await agent.signIn(user, env.clock);
      const first = agent.cookies.get(SESSION);
      assert.ok(first);
      await agent.signIn(user, env.clock);
      const second = agent.cookies.get(SESSION);
      assert.ok(second);
      assert.notEqual(first, second);
      const stale = new Agent(env.app);
      stale.cookies.set(SESSION, first as string);
      const res = await stale.get("/start");
      assert.equal(res.statusCode, 303, "the old session no longer works");
    });

    test("a session ends after the idle timeout and after the absolute timeout", async () => {
      const user = await createUserFixture(env, [{ tenantId: tenant.id, role: "staff" }]);
      const idle = env.platform.config.sessionIdleMs;
      const agent = new Agent(env.app);
      await agent.signIn(user, env.clock);
      env.clock.advance(idle - 60_000);
      assert.equal((await agent.get("/start")).statusCode, 200, "still active shortly before the idle timeout");
      env.clock.advance(idle + 1000);
      assert.equal((await agent.get("/start")).statusCode, 303, "idle too long");

      const busy = new Agent(env.app);
      await busy.signIn(user, env.clock);
      const steps = Math.ceil(env.platform.config.sessionAbsoluteMs / (idle / 2));
      for (let i = 0; i < steps - 1; i++) {
        env.clock.advance(idle / 2);
        assert.equal((await busy.get("/start")).statusCode, 200);
      }
      env.clock.advance(idle / 2);
      assert.equal((await busy.get("/start")).statusCode, 303, "past the absolute lifetime even when active");
    });

    test("a person sees their sessions and can end another one", async () => {
      const user = await createUserFixture(env, [{ tenantId: tenant.id, role: "staff" }]);
      const laptop = new Agent(env.app);
      const phone = new Agent(env.app);
      const tablet = new Agent(env.app);
      for (const a of [laptop, phone, tablet]) await a.signIn(user, env.clock);
      const page = await laptop.get("/konto/sitzungen");
      assert.equal(page.statusCode, 200);
      const rowsHtml = page.body.split("<tr").slice(2);
      assert.equal(rowsHtml.length, 3, "three signed-in devices");
      const idOf = (row: string) => /\/konto\/sitzungen\/([0-9a-f]{64})\/beenden/.exec(row)?.[1] as string;
      const others = rowsHtml.filter((r) => !r.includes("dieses Gerät")).map(idOf);
      assert.equal(others.length, 2, "exactly one row is marked as this device");
      // The phone signed in after the laptop: end the most recent other session, then all others.
      const res = await laptop.post(`/konto/sitzungen/${others[0]}/beenden`, {});
      assert.equal(res.statusCode, 303);
      const stillIn = [(await phone.get("/start")).statusCode, (await tablet.get("/start")).statusCode].filter((c) => c === 200).length;
      assert.equal(stillIn, 1, "one of the other devices is signed out");
      await laptop.get("/konto/sitzungen");
      await laptop.post("/konto/sitzungen/andere-beenden", {});
      assert.equal((await phone.get("/start")).statusCode, 303);
      assert.equal((await tablet.get("/start")).statusCode, 303);
      assert.equal((await laptop.get("/start")).statusCode, 200, "the laptop stays signed in");
    });

    test("nobody can end someone else's session", async () => {
      const alice = await createUserFixture(env, [{ tenantId: tenant.id, role: "staff" }]);
      const bob = await createUserFixture(env, [{ tenantId: tenant.id, role: "staff" }]);
      const a = new Agent(env.app);
      const b = new Agent(env.app);
      await a.signIn(alice, env.clock);
      await b.signIn(bob, env.clock);
      const [bobSession] = await env.platform.db.select({ id: sessions.id }).from(sessions).where(eq(sessions.userId, bob.id));
      await a.get("/konto/sitzungen");
      const res = await a.post(`/konto/sitzungen/${bobSession.id}/beenden`, {});
      assert.equal(res.statusCode, 404);
      assert.equal((await b.get("/start")).statusCode, 200);
    });

    test("signing out ends the session", async () => {
      const user = await createUserFixture(env, [{ tenantId: tenant.id, role: "staff" }]);
      const agent = new Agent(env.app);
      await agent.signIn(user, env.clock);
      const token = agent.cookies.get(SESSION) as string;
      await agent.get("/start");
      const res = await agent.post("/abmelden", {});
      assert.equal(res.headers.location, "/anmelden");
      const replay = new Agent(env.app);
      replay.cookies.set(SESSION, token);
      assert.equal((await replay.get("/start")).statusCode, 303);
    });
  });

  describe(`cross-site request forgery (${kind})`, () => {
    let env: TestEnv;
    let agent: Agent;
    before(async () => {
      env = await createTestEnv(kind);
      const tenant = await createTenantFixture(env);
      const user = await createUserFixture(env, [{ tenantId: tenant.id, role: "staff" }]);
      agent = new Agent(env.app);
      await agent.signIn(user, env.clock);
      await agent.get("/konto/sitzungen");
    });
    after(() => env.close());

    test("a form without the CSRF token is refused and changes nothing", async () => {
      const res = await agent.post("/konto/sitzungen/andere-beenden", {}, { csrf: null });
      assert.equal(res.statusCode, 403);
      assert.match(res.body, /Formular abgelaufen/);
      assert.equal((await agent.get("/start")).statusCode, 200);
    });

    test("a form with another browser's token is refused", async () => {
      const other = new Agent(env.app);
      await other.get("/anmelden");
      const res = await agent.post("/abmelden", {}, { csrf: other.csrfToken() });
      assert.equal(res.statusCode, 403);
      assert.equal((await agent.get("/start")).statusCode, 200, "still signed in");
    });

    test("a post from another site is refused even with a valid token", async () => {
      await agent.get("/start");
      const res = await agent.post("/abmelden", {}, { headers: { "sec-fetch-site": "cross-site" } });
      assert.equal(res.statusCode, 403);
      const res2 = await agent.post("/abmelden", {}, { headers: { "sec-fetch-site": "", origin: "https://angreifer.example" } });
      assert.equal(res2.statusCode, 403);
      assert.equal((await agent.get("/start")).statusCode, 200, "still signed in");
    });
  });

  describe(`second factor (${kind})`, () => {
    let env: TestEnv;
    let tenant: TenantFixture;
    before(async () => {
      env = await createTestEnv(kind);
      tenant = await createTenantFixture(env);
    });
    after(() => env.close());

    test("a clearing officer without a second factor must set one up before anything else", async () => {
      const officer = await createUserFixture(env, [{ tenantId: tenant.id, role: "clearing_officer" }]);
      const agent = new Agent(env.app);
      await agent.get("/anmelden");
      const res = await agent.post("/anmelden", { email: officer.email, password: officer.password });
      assert.equal(res.headers.location, "/konto/zwei-faktor");
      assert.equal((await agent.get("/start")).statusCode, 303, "no access before enrolment");
      const page = await agent.get("/konto/zwei-faktor");
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /Ihre Rolle verlangt einen zweiten Faktor/);
      const secret = (/data-testid="totp-secret">([A-Z2-7 ]+)</.exec(page.body)?.[1] ?? "").replace(/ /g, "");
      assert.ok(secret.length >= 32);
      const wrong = await agent.post("/konto/zwei-faktor", { code: "000000" });
      assert.equal(wrong.statusCode, 400);
      assert.match(wrong.body, /Der Code passt nicht/);
      const ok = await agent.post("/konto/zwei-faktor", { code: totpCode(secret, env.clock.now()) });
      assert.equal(ok.statusCode, 200);
      const codes = [...ok.body.matchAll(/<code class="komma-code">([0-9a-z-]{14})<\/code>/g)].map((m) => m[1]);
      assert.equal(codes.length, 10);
      assert.equal((await agent.get("/start")).statusCode, 200, "full access after enrolment");

      // Next time: password, then the code.
      const again = new Agent(env.app);
      await again.get("/anmelden");
      const step1 = await again.post("/anmelden", { email: officer.email, password: officer.password });
      assert.equal(step1.headers.location, "/anmelden/zweiter-faktor");
      assert.equal((await again.get("/start")).statusCode, 303, "no access with the password alone");
      await again.get("/anmelden/zweiter-faktor");
      env.clock.advance(30_000);
      const step2 = await again.post("/anmelden/zweiter-faktor", { code: totpCode(secret, env.clock.now()) });
      assert.equal(step2.headers.location, "/start");
      assert.equal((await again.get("/start")).statusCode, 200);
    });

    test("a recovery code signs in once and only once", async () => {
      const officer = await createUserFixture(env, [{ tenantId: tenant.id, role: "clearing_officer" }]);
      const agent = new Agent(env.app);
      await agent.get("/anmelden");
      await agent.post("/anmelden", { email: officer.email, password: officer.password });
      const page = await agent.get("/konto/zwei-faktor");
      const secret = (/data-testid="totp-secret">([A-Z2-7 ]+)</.exec(page.body)?.[1] ?? "").replace(/ /g, "");
      const done = await agent.post("/konto/zwei-faktor", { code: totpCode(secret, env.clock.now()) });
      const [code] = [...done.body.matchAll(/<code class="komma-code">([0-9a-z-]{14})<\/code>/g)].map((m) => m[1]);

      const signInWith = async (c: string) => {
        const a = new Agent(env.app);
        await a.get("/anmelden");
        await a.post("/anmelden", { email: officer.email, password: officer.password });
        await a.get("/anmelden/zweiter-faktor");
        return a.post("/anmelden/zweiter-faktor", { code: c });
      };
      const first = await signInWith(code.toUpperCase().replace(/-/g, " "));
      assert.equal(first.headers.location, "/start", "a recovery code works, also typed differently");
      const second = await signInWith(code);
      assert.equal(second.statusCode, 401, "but only once");
    });

    test("wrong second-factor codes lock the second step for a while", async () => {
      const officer = await createUserFixture(env, [{ tenantId: tenant.id, role: "clearing_officer" }], { totp: true });
      const agent = new Agent(env.app);
      await agent.get("/anmelden");
      await agent.post("/anmelden", { email: officer.email, password: officer.password });
      for (let i = 0; i < MAX_FAILURES; i++) {
        await agent.get("/anmelden/zweiter-faktor");
        await agent.post("/anmelden/zweiter-faktor", { code: "111111" });
      }
      await agent.get("/anmelden/zweiter-faktor");
      const locked = await agent.post("/anmelden/zweiter-faktor", { code: totpCode(officer.totpSecret as string, env.clock.now()) });
      assert.equal(locked.statusCode, 429);
    });
  });
}
