import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { createReport } from "../../src/modules/reports/commands.ts";
import { MAX_ACCOUNT_FAILURES, MAX_FAILURES } from "../../src/platform/auth/service.ts";
import { Agent, createTenantFixture, createTestEnv, createUserFixture, type TenantFixture, type TestEnv, totpCode } from "../helpers/app.ts";
import { DB_KINDS } from "../helpers/db.ts";

/** Two-sided p-value of the Mann–Whitney U test (normal approximation, ties averaged). */
function mannWhitneyP(a: number[], b: number[]): number {
  const all = [...a.map((v) => ({ v, g: 0 })), ...b.map((v) => ({ v, g: 1 }))].sort((x, y) => x.v - y.v);
  const ranks = new Array<number>(all.length);
  for (let i = 0; i < all.length; ) {
    let j = i;
    while (j + 1 < all.length && all[j + 1].v === all[i].v) j++;
    for (let k = i; k <= j; k++) ranks[k] = (i + j) / 2 + 1;
    i = j + 1;
  }
  const rankSumA = all.reduce((sum, x, i) => (x.g === 0 ? sum + ranks[i] : sum), 0);
  const u = rankSumA - (a.length * (a.length + 1)) / 2;
  const mean = (a.length * b.length) / 2;
  const sd = Math.sqrt((a.length * b.length * (a.length + b.length + 1)) / 12);
  const z = Math.abs(u - mean) / sd;
  // Two-sided tail of the standard normal distribution (Abramowitz–Stegun 7.1.26).
  const t = 1 / (1 + 0.3275911 * (z / Math.SQRT2));
  const erf = 1 - t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429)))) * Math.exp(-(z * z) / 2);
  return 1 - erf;
}

test("the Mann–Whitney check tells clearly different samples from alike ones", () => {
  const alike = Array.from({ length: 40 }, (_, i) => 10 + (i % 7));
  assert.ok(mannWhitneyP(alike, [...alike].reverse()) > 0.5);
  assert.ok(
    mannWhitneyP(
      alike,
      alike.map((v) => v + 4),
    ) < 0.001,
  );
});

async function auditActions(env: TestEnv, tenantId: string): Promise<string[]> {
  const { rows } = await env.platform.database.rawQuery("select action from audit_log where tenant_id = $1 order by seq", [tenantId]);
  return rows.map((r) => String(r.action));
}

for (const kind of DB_KINDS) {
  describe(`account security (${kind})`, () => {
    let env: TestEnv;
    let tenant: TenantFixture;
    let other: TenantFixture;
    before(async () => {
      env = await createTestEnv(kind, { startJobs: true });
      tenant = await createTenantFixture(env, { name: "Sicherstadt" });
      other = await createTenantFixture(env, { name: "Anderdorf" });
    });
    after(() => env.close());

    test("a second-factor code works once: the same code again is refused", async () => {
      const user = await createUserFixture(env, [{ tenantId: tenant.id, role: "clearing_officer" }], { totp: true });
      const code = totpCode(user.totpSecret as string, env.clock.now());
      const first = new Agent(env.app);
      await first.get("/anmelden");
      await first.post("/anmelden", { email: user.email, password: user.password });
      await first.get("/anmelden/zweiter-faktor");
      assert.equal((await first.post("/anmelden/zweiter-faktor", { code })).headers.location, "/start");

      const thief = new Agent(env.app);
      await thief.get("/anmelden");
      await thief.post("/anmelden", { email: user.email, password: user.password });
      await thief.get("/anmelden/zweiter-faktor");
      const replay = await thief.post("/anmelden/zweiter-faktor", { code });
      assert.equal(replay.statusCode, 401, "a code seen once does not work again");
      env.clock.advance(30_000);
      const next = await thief.post("/anmelden/zweiter-faktor", { code: totpCode(user.totpSecret as string, env.clock.now()) });
      assert.equal(next.headers.location, "/start", "the next step's code does");
    });

    test("a wrong second-factor code and a refused read of another municipality are in the audit log", async () => {
      const user = await createUserFixture(env, [{ tenantId: tenant.id, role: "clearing_officer" }], { totp: true });
      const agent = new Agent(env.app);
      await agent.get("/anmelden");
      await agent.post("/anmelden", { email: user.email, password: user.password });
      await agent.get("/anmelden/zweiter-faktor");
      await agent.post("/anmelden/zweiter-faktor", { code: "000000" });
      assert.ok((await auditActions(env, tenant.id)).includes("auth.second_factor_failed"));
      await agent.post("/anmelden/zweiter-faktor", { code: totpCode(user.totpSecret as string, env.clock.now()) });

      const probe = await agent.get(`/api/v1/tenants/${other.slug}/people`);
      assert.equal(probe.statusCode, 404);
      const logged = await env.platform.database.rawQuery("select actor_id, details from audit_log where tenant_id = $1 and action = 'access.denied'", [
        other.id,
      ]);
      assert.equal(logged.rows.length, 1, "the refusal is recorded where it was aimed");
      assert.equal(logged.rows[0].actor_id, user.id);
      assert.doesNotMatch(probe.body, /denied/);
    });

    test("sign-ins of a municipality's staff are in that municipality's audit log, not the national one", async () => {
      const user = await createUserFixture(env, [{ tenantId: tenant.id, role: "staff" }]);
      const before = (await auditActions(env, env.platform.nationalTenant.id)).length;
      await new Agent(env.app).signIn(user, env.clock);
      const { rows } = await env.platform.database.rawQuery("select 1 from audit_log where tenant_id = $1 and action = 'auth.sign_in' and actor_id = $2", [
        tenant.id,
        user.id,
      ]);
      assert.equal(rows.length, 1);
      assert.equal((await auditActions(env, env.platform.nationalTenant.id)).length, before);
    });

    test("asking for a password reset takes as long for an unknown address as for a known one", async () => {
      const user = await createUserFixture(env, [{ tenantId: tenant.id, role: "staff" }]);
      const time = async (email: string) => {
        const agent = new Agent(env.app);
        await agent.get("/passwort-vergessen");
        const start = process.hrtime.bigint();
        const res = await agent.post("/passwort-vergessen", { email });
        const ms = Number(process.hrtime.bigint() - start) / 1e6;
        assert.equal(res.statusCode, 200);
        return ms;
      };
      for (let i = 0; i < 5; i++) await time(i % 2 ? user.email : "warmup@test.example");
      const known: number[] = [];
      const unknown: number[] = [];
      for (let i = 0; i < 40; i++) {
        // Interleaved, so that drift of the machine's speed hits both alike.
        if (i % 2) {
          known.push(await time(user.email));
          unknown.push(await time(`niemand-${i}@test.example`));
        } else {
          unknown.push(await time(`niemand-${i}@test.example`));
          known.push(await time(user.email));
        }
      }
      const p = mannWhitneyP(known, unknown);
      assert.ok(p > 0.001, `known and unknown addresses differ in answer time (p = ${p.toFixed(5)})`);
    });

    /** Browsers, each with its cookies, from one address (`from`) or each from its own. */
    const browsers = (count: number, from?: string) =>
      Promise.all(
        Array.from({ length: count }, async () => {
          const agent = new Agent(env.app);
          if (from) (agent as { remoteAddress: string }).remoteAddress = from;
          await agent.get("/anmelden");
          return agent;
        }),
      );
    const guess = (agents: Agent[], email: string) => Promise.all(agents.map((a, i) => a.post("/anmelden", { email, password: `falsch-${i}-falsch-falsch` })));

    test("parallel wrong passwords from one client are checked at most five times; that client is locked, the person elsewhere is not", async () => {
      const user = await createUserFixture(env, [{ tenantId: tenant.id, role: "staff" }]);
      const answers = await guess(await browsers(20, "127.9.0.1"), user.email);
      const checked = answers.filter((r) => r.statusCode === 401).length;
      assert.ok(checked <= MAX_FAILURES, `${checked} passwords were checked`);
      assert.equal(answers.filter((r) => r.statusCode === 429).length, 20 - checked);
      const [again] = await browsers(1, "127.9.0.1");
      assert.equal(
        (await again.post("/anmelden", { email: user.email, password: user.password })).statusCode,
        429,
        "locked there, even for the right password",
      );
      // Whoever knows a person's address cannot lock them out: from their own computer they sign in.
      const [own] = await browsers(1);
      assert.equal((await own.post("/anmelden", { email: user.email, password: user.password })).statusCode, 303);
    });

    test("wrong passwords spread over many clients are checked at most twenty times before the address is locked for all", async () => {
      const user = await createUserFixture(env, [{ tenantId: tenant.id, role: "staff" }]);
      const answers = await guess(await browsers(30), user.email);
      const checked = answers.filter((r) => r.statusCode === 401).length;
      assert.ok(checked <= MAX_ACCOUNT_FAILURES, `${checked} passwords were checked`);
      assert.equal(answers.filter((r) => r.statusCode === 429).length, 30 - checked);
      const [own] = await browsers(1);
      assert.equal((await own.post("/anmelden", { email: user.email, password: user.password })).statusCode, 429, "locked, even for the right password");
    });

    test("a browser that signed in to an address before is not locked out by wrong passwords from many clients; its own wrong passwords lock it", async () => {
      const user = await createUserFixture(env, [{ tenantId: tenant.id, role: "staff" }]);
      const other = await createUserFixture(env, [{ tenantId: tenant.id, role: "staff" }]);
      const [own] = await browsers(1);
      assert.equal((await own.post("/anmelden", { email: user.email, password: user.password })).statusCode, 303);
      const device = [...own.cookies].find(([name]) => name.endsWith("komma_device"));
      assert.ok(device, "the browser is told it signed in to this address");
      assert.doesNotMatch(decodeURIComponent(device[1]), /@|test\.example/, "the cookie names no address");
      await own.post("/abmelden", {});

      await guess(await browsers(30), user.email);
      await guess(await browsers(30), other.email);
      const [stranger] = await browsers(1);
      assert.equal((await stranger.post("/anmelden", { email: user.email, password: user.password })).statusCode, 429, "locked for everyone else");
      await own.get("/anmelden");
      assert.equal((await own.post("/anmelden", { email: user.email, password: user.password })).statusCode, 303, "not for the person's own browser");
      await own.post("/abmelden", {});

      // The token is for one address: it does not open the lock of another.
      const [borrowed] = await browsers(1);
      borrowed.cookies.set(device[0], device[1]);
      assert.equal((await borrowed.post("/anmelden", { email: other.email, password: other.password })).statusCode, 429);
      // Nor is it a way around the lock: wrong passwords from the browser lock it as they would any client.
      await own.get("/anmelden");
      for (let i = 0; i < MAX_FAILURES; i++) {
        assert.equal((await own.post("/anmelden", { email: user.email, password: `falsch-${i}-falsch-falsch` })).statusCode, 401);
      }
      assert.equal((await own.post("/anmelden", { email: user.email, password: user.password })).statusCode, 429, "its own lock holds");
    });

    test("the 10,000th and the 100,000th report of a year get numbers of their own", async () => {
      const info = { id: tenant.id, slug: tenant.slug, name: tenant.name, kind: tenant.kind };
      const year = Number(new Intl.DateTimeFormat("en", { year: "numeric", timeZone: "Europe/Berlin" }).format(env.clock.now()));
      const submit = () =>
        createReport(env.platform, info, { answers: { mode: "anonymous", description: "Schmiererei am Rathaustor." }, lang: "de", channel: "web" });
      await submit();
      const setLast = (n: number) =>
        env.platform.database.rawQuery("update case_sequences set last = $1 where tenant_id = $2 and year = $3", [n, tenant.id, year]);
      await setLast(999);
      assert.match((await submit()).caseNumber, /-1000$/);
      await setLast(9_999);
      assert.match((await submit()).caseNumber, /-10000$/);
      assert.match((await submit()).caseNumber, /-10001$/);
      await setLast(99_999);
      assert.match((await submit()).caseNumber, /-100000$/);
    });
  });
}
