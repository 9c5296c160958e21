import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { issueUserToken, setPasswordWithToken } from "../../src/platform/auth/link-tokens.ts";
import { type Role, SECOND_FACTOR_ROLES } from "../../src/platform/authz/policy.ts";
import { inTransaction, withTenant } from "../../src/platform/db/client.ts";
import { auditLog, memberships } from "../../src/platform/db/schema.ts";
import { Agent, createTenantFixture, createTestEnv, createUserFixture, type TenantFixture, type TestEnv, type UserFixture } from "../helpers/app.ts";
import { DB_KINDS } from "../helpers/db.ts";

/*
 * What an admin may do to a person's account from the people page, as a table: each role ×
 * action × kind of person, with the exact status. 303 means done, 404 means the action looks
 * like it does not exist. The second factor and the account are the person's everywhere, so a
 * municipal admin may reset or disable them only for accounts that work nowhere else.
 */

type Cell = 303 | 404;
const ALL_ROLES: Role[] = ["national_admin", "advisory_board", "municipal_admin", "clearing_officer", "leader", "staff", "alliance_partner", "trainer"];
const SECOND_FACTOR = SECOND_FACTOR_ROLES;
const ACTIONS = {
  "reset second factor": { path: "zweiter-faktor", form: { reason: "lost_device", confirmed: "yes" } },
  "disable account": { path: "sperren", form: {} },
  "remove from municipality": { path: "entfernen", form: {} },
} as const;
type Action = keyof typeof ACTIONS;
/** Whom the action is aimed at: someone only here, someone who also works in another municipality. */
type Target = "only here" | "also elsewhere";

const none = (): Record<Role, Cell> => Object.fromEntries(ALL_ROLES.map((r) => [r, 404])) as Record<Role, Cell>;
const EXPECTED: Record<Target, Record<Action, Record<Role, Cell>>> = {
  "only here": {
    "reset second factor": { ...none(), national_admin: 303, municipal_admin: 303 },
    "disable account": { ...none(), national_admin: 303, municipal_admin: 303 },
    "remove from municipality": { ...none(), national_admin: 303, municipal_admin: 303 },
  },
  "also elsewhere": {
    "reset second factor": { ...none(), national_admin: 303 },
    "disable account": { ...none(), national_admin: 303 },
    "remove from municipality": { ...none(), national_admin: 303, municipal_admin: 303 },
  },
};

for (const kind of DB_KINDS) {
  describe(`account actions by role (${kind})`, () => {
    let env: TestEnv;
    let own: TenantFixture;
    let other: TenantFixture;
    const agents = new Map<Role, Agent>();
    const users = new Map<Role, UserFixture>();
    const target = (where: Target, opts: { totp?: boolean } = {}) =>
      createUserFixture(
        env,
        where === "only here"
          ? [{ tenantId: own.id, role: "staff" }]
          : [
              { tenantId: own.id, role: "staff" },
              { tenantId: other.id, role: "staff" },
            ],
        opts,
      );
    const auditOf = (tenantId: string) =>
      withTenant(env.platform.db, tenantId, (tx) =>
        tx.select({ action: auditLog.action, objectId: auditLog.objectId, details: auditLog.details }).from(auditLog),
      );

    before(async () => {
      env = await createTestEnv(kind);
      own = await createTenantFixture(env);
      other = await createTenantFixture(env);
      const national = env.platform.nationalTenant.id;
      for (const role of ALL_ROLES) {
        const tenantId = role === "national_admin" || role === "advisory_board" ? national : own.id;
        const user = await createUserFixture(env, [{ tenantId, role }], { totp: SECOND_FACTOR.includes(role) });
        const agent = new Agent(env.app);
        assert.equal((await agent.signIn(user, env.clock)).headers.location, "/start", `${role} signs in`);
        agents.set(role, agent);
        users.set(role, user);
      }
    });
    after(() => env.close());

    for (const where of Object.keys(EXPECTED) as Target[]) {
      for (const action of Object.keys(ACTIONS) as Action[]) {
        test(`${action}, for a person ${where}: each role gets exactly its access`, async () => {
          const actual: Record<string, number> = {};
          // A refused action changes nothing, so the same person serves until one succeeds.
          let person = await target(where);
          for (const role of ALL_ROLES) {
            const agent = agents.get(role) as Agent;
            await agent.get("/start");
            const res = await agent.post(`/verwaltung/kommunen/${own.slug}/personen/${person.id}/${ACTIONS[action].path}`, { ...ACTIONS[action].form });
            actual[role] = res.statusCode;
            if (res.statusCode === 303) person = await target(where);
          }
          assert.deepEqual(actual, EXPECTED[where][action]);
        });
      }
    }

    test("nobody resets, disables or removes themselves, and the page offers none of it", async () => {
      const admin = agents.get("municipal_admin") as Agent;
      const self = users.get("municipal_admin") as UserFixture;
      const page = await admin.get(`/verwaltung/kommunen/${own.slug}/personen/${self.id}`);
      assert.equal(page.statusCode, 200);
      for (const { path } of Object.values(ACTIONS)) {
        assert.ok(!page.body.includes(`/personen/${self.id}/${path}"`), `no ${path} form on one's own page`);
        const res = await admin.post(`/verwaltung/kommunen/${own.slug}/personen/${self.id}/${path}`, { reason: "other", confirmed: "yes" });
        assert.equal(res.statusCode, 404, path);
      }
      assert.equal((await admin.get("/start")).statusCode, 200, "still signed in");
      const denied = (await auditOf(own.id)).filter((e) => e.action === "access.denied" && (e.details as { action?: string }).action === "disable");
      assert.ok(denied.length > 0, "the refusal is in the audit log");
    });

    test("the page offers a municipal admin exactly the actions allowed for this person", async () => {
      const admin = agents.get("municipal_admin") as Agent;
      const here = await target("only here", { totp: true });
      const elsewhere = await target("also elsewhere");
      const onlyHere = (await admin.get(`/verwaltung/kommunen/${own.slug}/personen/${here.id}`)).body;
      for (const path of ["zweiter-faktor", "sperren", "entfernen"]) assert.ok(onlyHere.includes(`/personen/${here.id}/${path}"`), path);
      // Without a second factor there is nothing to reset: the page says so instead of offering it.
      const bare = await target("only here");
      const bareOnly = (await admin.get(`/verwaltung/kommunen/${own.slug}/personen/${bare.id}`)).body;
      assert.ok(!bareOnly.includes(`/personen/${bare.id}/zweiter-faktor"`));
      assert.match(bareOnly, /noch keinen zweiten Faktor eingerichtet: Es gibt nichts zurückzusetzen/);
      const both = (await admin.get(`/verwaltung/kommunen/${own.slug}/personen/${elsewhere.id}`)).body;
      assert.ok(both.includes(`/personen/${elsewhere.id}/entfernen"`));
      assert.ok(!both.includes(`/personen/${elsewhere.id}/zweiter-faktor"`) && !both.includes(`/personen/${elsewhere.id}/sperren"`));
    });

    test("a reset second factor ends the person's sessions and API tokens and must be set up again at the next sign-in", async () => {
      const person = await target("only here", { totp: true });
      const theirs = new Agent(env.app);
      env.clock.advance(30_000);
      assert.equal((await theirs.signIn(person, env.clock)).headers.location, "/start");
      // Whoever took the account over may have made a token first: it must stop with the reset.
      await theirs.get("/konto/api-tokens");
      const token = /data-testid="api-token">([^<]+)</.exec((await theirs.post("/konto/api-tokens", { name: "Vor dem Zurücksetzen" })).body)?.[1];
      assert.ok(token);
      const me = () => env.app.inject({ method: "GET", url: "/api/v1/me", headers: { authorization: `Bearer ${token}` } });
      assert.equal((await me()).statusCode, 200);
      const admin = agents.get("municipal_admin") as Agent;
      await admin.get(`/verwaltung/kommunen/${own.slug}/personen/${person.id}`);
      const refused = await admin.post(`/verwaltung/kommunen/${own.slug}/personen/${person.id}/zweiter-faktor`, { reason: "", confirmed: "" });
      assert.equal(refused.statusCode, 400, "a reason and the check are required");
      assert.match(refused.body, /Bitte wählen Sie einen Grund/);
      const done = await admin.post(`/verwaltung/kommunen/${own.slug}/personen/${person.id}/zweiter-faktor`, { reason: "lost_device", confirmed: "yes" });
      assert.equal(done.statusCode, 303);
      assert.match((await theirs.get("/start")).headers.location ?? "", /^\/anmelden/, "the session has ended");
      assert.equal((await me()).statusCode, 401, "the token no longer works");
      // A staff member needs no second factor by role, but after a reset they set one up again.
      const again = new Agent(env.app);
      assert.equal((await again.signIn({ ...person, totpSecret: undefined }, env.clock)).headers.location, "/konto/zwei-faktor");
      const entry = (await auditOf(own.id)).find((e) => e.action === "person.second_factor_reset" && e.objectId === person.id);
      assert.deepEqual(entry?.details, { reason: "lost_device" }, "the audit entry holds the reason as a category only");
      const made = (await auditOf(own.id)).find((e) => e.action === "auth.api_token_created" && e.objectId === person.id);
      assert.deepEqual(made?.details, { name: "Vor dem Zurücksetzen" }, "making a token is in the log, by its name");
    });

    test("a disabled account cannot sign in and its sessions end; enabled again, it can", async () => {
      const person = await target("only here");
      const theirs = new Agent(env.app);
      assert.equal((await theirs.signIn(person, env.clock)).headers.location, "/start");
      const admin = agents.get("municipal_admin") as Agent;
      await admin.get(`/verwaltung/kommunen/${own.slug}/personen/${person.id}`);
      assert.equal((await admin.post(`/verwaltung/kommunen/${own.slug}/personen/${person.id}/sperren`, {})).statusCode, 303);
      assert.match((await theirs.get("/start")).headers.location ?? "", /^\/anmelden/);
      assert.equal((await new Agent(env.app).signIn(person, env.clock)).statusCode, 401);
      const page = await admin.get(`/verwaltung/kommunen/${own.slug}/personen/${person.id}`);
      assert.match(page.body, /gesperrt/);
      assert.equal((await admin.post(`/verwaltung/kommunen/${own.slug}/personen/${person.id}/entsperren`, {})).statusCode, 303);
      assert.equal((await new Agent(env.app).signIn(person, env.clock)).headers.location, "/start");
      const actions = (await auditOf(own.id)).filter((e) => e.objectId === person.id).map((e) => e.action);
      assert.ok(actions.includes("account.disabled") && actions.includes("account.enabled"));
    });

    test("a reset link sent before an account was disabled does not bring it back", async () => {
      const person = await target("only here");
      const token = await inTransaction(env.platform.db, {}, (tx) => issueUserToken(tx, person.id, "reset", env.clock.now()));
      const admin = agents.get("municipal_admin") as Agent;
      await admin.get(`/verwaltung/kommunen/${own.slug}/personen/${person.id}`);
      assert.equal((await admin.post(`/verwaltung/kommunen/${own.slug}/personen/${person.id}/sperren`, {})).statusCode, 303);
      const holder = new Agent(env.app);
      assert.equal((await holder.get(`/passwort-setzen/${token}`)).statusCode, 410);
      assert.equal((await setPasswordWithToken(env.platform, token, "Ein-ganz-neues-Passwort-2026")).ok, false);
      assert.equal((await new Agent(env.app).signIn({ ...person, password: "Ein-ganz-neues-Passwort-2026" }, env.clock)).statusCode, 401);
      const [row] = (await env.platform.database.rawQuery("select status from users where id = $1", [person.id])).rows;
      assert.equal(row.status, "disabled");
    });

    test("a role that needs a second factor, given while the person is signed in, holds them at enrolment", async () => {
      const person = await target("only here");
      const theirs = new Agent(env.app);
      assert.equal((await theirs.signIn(person, env.clock)).headers.location, "/start");
      await withTenant(env.platform.db, own.id, (tx) => tx.insert(memberships).values({ tenantId: own.id, userId: person.id, role: "clearing_officer" }));
      const inbox = await theirs.get("/faelle");
      assert.equal(inbox.statusCode, 303, "no case list without a second factor");
      const onward = await theirs.get(inbox.headers.location as string);
      assert.equal(onward.headers.location, "/konto/zwei-faktor");
      assert.equal((await theirs.get("/konto/zwei-faktor")).statusCode, 200);
    });

    test("removed from one municipality, a person keeps their account and their other municipality", async () => {
      const person = await target("also elsewhere");
      const admin = agents.get("municipal_admin") as Agent;
      await admin.get(`/verwaltung/kommunen/${own.slug}/personen/${person.id}`);
      assert.equal((await admin.post(`/verwaltung/kommunen/${own.slug}/personen/${person.id}/entfernen`, {})).statusCode, 303);
      assert.equal((await admin.get(`/verwaltung/kommunen/${own.slug}/personen/${person.id}`)).statusCode, 404);
      const theirs = new Agent(env.app);
      assert.equal((await theirs.signIn(person, env.clock)).headers.location, "/start");
      assert.match((await theirs.get("/start")).body, new RegExp(`Sie arbeiten in: ${other.name}`));
    });
  });
}
