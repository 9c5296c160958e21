import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { sql } from "drizzle-orm";
import { type Role, SECOND_FACTOR_ROLES } from "../../src/platform/authz/policy.ts";
import { rows, withTenant } from "../../src/platform/db/client.ts";
import { Agent, createTenantFixture, createTestEnv, createUserFixture, type TenantFixture, type TestEnv, type UserFixture } from "../helpers/app.ts";
import { DB_KINDS } from "../helpers/db.ts";

/*
 * Each role × page table: the exact status every role gets, in its own municipality
 * ("own") and in another one ("other"). 404 means the page looks like it does not exist.
 */

type Cell = 200 | 404;
const ROLES_IN_MUNICIPALITY: Role[] = ["municipal_admin", "clearing_officer", "leader", "staff", "alliance_partner", "trainer"];
const SECOND_FACTOR = SECOND_FACTOR_ROLES;

// page → role → [own municipality, other municipality]
const PAGES: Record<string, (own: string, other: string) => [string, string]> = {
  "people list": (own, other) => [`/verwaltung/kommunen/${own}/personen`, `/verwaltung/kommunen/${other}/personen`],
  "invite form": (own, other) => [`/verwaltung/kommunen/${own}/personen/einladen`, `/verwaltung/kommunen/${other}/personen/einladen`],
  "edit municipality": (own, other) => [`/verwaltung/kommunen/${own}/bearbeiten`, `/verwaltung/kommunen/${other}/bearbeiten`],
};

const EXPECTED: Record<string, Record<Role, [Cell, Cell]>> = {
  "people list": {
    national_admin: [200, 200],
    advisory_board: [404, 404],
    municipal_admin: [200, 404],
    clearing_officer: [404, 404],
    leader: [404, 404],
    staff: [404, 404],
    alliance_partner: [404, 404],
    trainer: [404, 404],
  },
  "invite form": {
    national_admin: [200, 200],
    advisory_board: [404, 404],
    municipal_admin: [200, 404],
    clearing_officer: [404, 404],
    leader: [404, 404],
    staff: [404, 404],
    alliance_partner: [404, 404],
    trainer: [404, 404],
  },
  "edit municipality": {
    national_admin: [200, 200],
    advisory_board: [404, 404],
    municipal_admin: [404, 404],
    clearing_officer: [404, 404],
    leader: [404, 404],
    staff: [404, 404],
    alliance_partner: [404, 404],
    trainer: [404, 404],
  },
};

// Pages without a municipality in the address: [status] per role.
const GLOBAL_PAGES: Record<string, Record<Role, Cell>> = {
  "/faelle/verfahren": {
    national_admin: 404,
    advisory_board: 404,
    municipal_admin: 200,
    clearing_officer: 200,
    leader: 404,
    staff: 404,
    alliance_partner: 404,
    trainer: 404,
  },
  "/faelle/aufbewahrung": {
    national_admin: 404,
    advisory_board: 404,
    municipal_admin: 200,
    clearing_officer: 200,
    leader: 404,
    staff: 404,
    alliance_partner: 404,
    trainer: 404,
  },
  "/verwaltung/kommunen": {
    national_admin: 200,
    advisory_board: 404,
    municipal_admin: 404,
    clearing_officer: 404,
    leader: 404,
    staff: 404,
    alliance_partner: 404,
    trainer: 404,
  },
  "/verwaltung/kommunen/neu": {
    national_admin: 200,
    advisory_board: 404,
    municipal_admin: 404,
    clearing_officer: 404,
    leader: 404,
    staff: 404,
    alliance_partner: 404,
    trainer: 404,
  },
  "/verwaltung/protokoll": {
    national_admin: 200,
    advisory_board: 404,
    municipal_admin: 200,
    clearing_officer: 200,
    leader: 404,
    staff: 404,
    alliance_partner: 404,
    trainer: 404,
  },
  "/verwaltung/einstellungen": {
    national_admin: 404,
    advisory_board: 404,
    municipal_admin: 200,
    clearing_officer: 404,
    leader: 404,
    staff: 404,
    alliance_partner: 404,
    trainer: 404,
  },
  "/verwaltung/rechtstexte": {
    national_admin: 200,
    advisory_board: 404,
    municipal_admin: 404,
    clearing_officer: 404,
    leader: 404,
    staff: 404,
    alliance_partner: 404,
    trainer: 404,
  },
  // Own figures for a municipality's admins, officers and leaders; national ones for the national team and the advisory board.
  "/lagebild": {
    national_admin: 200,
    advisory_board: 200,
    municipal_admin: 200,
    clearing_officer: 200,
    leader: 200,
    staff: 404,
    alliance_partner: 404,
    trainer: 404,
  },
  "/beirat": {
    national_admin: 200,
    advisory_board: 200,
    municipal_admin: 404,
    clearing_officer: 404,
    leader: 404,
    staff: 404,
    alliance_partner: 404,
    trainer: 404,
  },
  "/verwaltung/postausgang": {
    national_admin: 200,
    advisory_board: 404,
    municipal_admin: 404,
    clearing_officer: 404,
    leader: 404,
    staff: 404,
    alliance_partner: 404,
    trainer: 404,
  },
};

for (const kind of DB_KINDS) {
  describe(`permissions by role (${kind})`, () => {
    let env: TestEnv;
    let own: TenantFixture;
    let other: TenantFixture;
    const agents = new Map<Role, Agent>();
    const people = new Map<Role, UserFixture>();
    before(async () => {
      env = await createTestEnv(kind);
      own = await createTenantFixture(env);
      other = await createTenantFixture(env);
      const national = env.platform.nationalTenant.id;
      for (const role of [...ROLES_IN_MUNICIPALITY, "national_admin", "advisory_board"] as Role[]) {
        const tenantId = role === "national_admin" || role === "advisory_board" ? national : own.id;
        const user: UserFixture = await createUserFixture(env, [{ tenantId, role }], { totp: SECOND_FACTOR.includes(role) });
        const agent = new Agent(env.app);
        const res = await agent.signIn(user, env.clock);
        assert.equal(res.headers.location, "/start", `${role} signs in`);
        agents.set(role, agent);
        people.set(role, user);
      }
    });
    after(() => env.close());

    for (const [page, byRole] of Object.entries(EXPECTED)) {
      test(`${page}: each role gets exactly its access in its own and in another municipality`, async () => {
        const actual: Record<string, [number, number]> = {};
        for (const role of Object.keys(byRole) as Role[]) {
          const [ownUrl, otherUrl] = PAGES[page](own.slug, other.slug);
          const agent = agents.get(role) as Agent;
          actual[role] = [(await agent.get(ownUrl)).statusCode, (await agent.get(otherUrl)).statusCode];
        }
        assert.deepEqual(actual, byRole);
      });
    }

    for (const [url, byRole] of Object.entries(GLOBAL_PAGES)) {
      test(`${url}: each role gets exactly its access`, async () => {
        const actual: Record<string, number> = {};
        for (const role of Object.keys(byRole) as Role[]) actual[role] = (await (agents.get(role) as Agent).get(url)).statusCode;
        assert.deepEqual(actual, byRole);
      });
    }

    test("navigation shows each role only what it may open", async () => {
      const nav = async (role: Role) => {
        const body = (await (agents.get(role) as Agent).get("/start")).body;
        const navHtml = /<nav class="komma-nav"[\s\S]*?<\/nav>/.exec(body)?.[0] ?? "";
        return [...navHtml.matchAll(/href="([^"]+)"/g)].map((m) => m[1]);
      };
      assert.deepEqual(await nav("staff"), ["/start", "/allianz", "/wissen", "/trainings", "/konto/benachrichtigungen", "/konto"]);
      assert.deepEqual(await nav("alliance_partner"), ["/start", "/vermittlungen", "/allianz/arbeitsraum", "/konto/benachrichtigungen", "/konto"]);
      assert.deepEqual(await nav("municipal_admin"), [
        "/start",
        "/faelle/verfahren",
        "/allianz",
        "/wissen",
        "/trainings",
        "/lagebild",
        `/verwaltung/kommunen/${own.slug}/personen`,
        "/verwaltung/einstellungen",
        "/verwaltung/protokoll",
        "/konto/benachrichtigungen",
        "/konto",
      ]);
      assert.deepEqual(await nav("clearing_officer"), [
        "/start",
        "/faelle",
        "/allianz",
        "/wissen",
        "/trainings",
        "/lagebild",
        "/verwaltung/protokoll",
        "/konto/benachrichtigungen",
        "/konto",
      ]);
      assert.deepEqual(await nav("national_admin"), [
        "/start",
        "/allianz/bundesweit",
        "/wissen",
        "/trainings",
        "/lagebild",
        "/beirat",
        "/verwaltung/kommunen",
        "/verwaltung/protokoll",
        "/verwaltung/rechtstexte",
        "/verwaltung/postausgang",
        "/konto/benachrichtigungen",
        "/konto",
      ]);
    });

    test("a municipal admin cannot invite into or change roles in another municipality", async () => {
      const admin = agents.get("municipal_admin") as Agent;
      await admin.get(`/verwaltung/kommunen/${own.slug}/personen/einladen`);
      const invite = await admin.post(`/verwaltung/kommunen/${other.slug}/personen/einladen`, {
        displayName: "Eindringling",
        email: "x@test.example",
        roles: "staff",
      });
      assert.equal(invite.statusCode, 404);
      const victim = await createUserFixture(env, [{ tenantId: other.id, role: "staff" }]);
      await admin.get(`/verwaltung/kommunen/${own.slug}/personen`);
      const change = await admin.post(`/verwaltung/kommunen/${other.slug}/personen/${victim.id}`, { roles: "municipal_admin" });
      assert.equal(change.statusCode, 404);
      const national = agents.get("national_admin") as Agent;
      const people = await national.get(`/verwaltung/kommunen/${other.slug}/personen`);
      assert.ok(!people.body.includes("x@test.example"));
      assert.match(people.body, new RegExp(`${victim.email}[\\s\\S]*?Mitarbeiter:in`));
    });

    test("whoever gives a person the clearing office's role tells the clearing office and the other administrators: access to every case is nobody's alone to give", async () => {
      const admin = agents.get("municipal_admin") as Agent;
      const colleague = await createUserFixture(env, [{ tenantId: own.id, role: "municipal_admin" }]);
      const person = await createUserFixture(env, [{ tenantId: own.id, role: "staff" }], { displayName: "Kim Neuzugang" });
      const told = async () =>
        (
          await withTenant(env.platform.db, own.id, (tx) =>
            rows<{ user_id: string }>(
              tx,
              sql`select user_id from notifications where kind = 'admin.notify.caseAccess' and params->>'name' = 'Kim Neuzugang' order by user_id`,
            ),
          )
        ).map((r) => r.user_id);
      await admin.get(`/verwaltung/kommunen/${own.slug}/personen/${person.id}`);
      const res = await admin.post(`/verwaltung/kommunen/${own.slug}/personen/${person.id}`, { roles: ["staff", "clearing_officer"] });
      assert.equal(res.statusCode, 303);
      const officer = people.get("clearing_officer") as UserFixture;
      assert.deepEqual(await told(), [officer.id, colleague.id].sort(), "the clearing office and the other admin, not the one who gave it, nor the person");
      // Roles changed again, the clearing office's kept: nothing new to tell.
      await admin.post(`/verwaltung/kommunen/${own.slug}/personen/${person.id}`, { roles: ["clearing_officer"] });
      assert.equal((await told()).length, 2);
    });

    test("a municipal admin cannot open a person of another municipality through their own", async () => {
      const admin = agents.get("municipal_admin") as Agent;
      const stranger = await createUserFixture(env, [{ tenantId: other.id, role: "staff" }]);
      const res = await admin.get(`/verwaltung/kommunen/${own.slug}/personen/${stranger.id}`);
      assert.equal(res.statusCode, 404);
    });
  });
}
