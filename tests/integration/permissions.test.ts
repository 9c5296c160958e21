import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { sql } from "drizzle-orm";
import { type Role, SECOND_FACTOR_ROLES } from "../../src/platform/authz/policy.ts";
import { rows, withTenant } from "../../src/platform/db/client.ts";
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

    /** The notices of a kind about a name, in a tenant: to whom. */
    const noticed = async (tenantId: string, kind: string, name: string) =>
      (
        await withTenant(env.platform.db, tenantId, (tx) =>
          rows<{ user_id: string }>(tx, sql`select user_id from notifications where kind = ${kind} and params->>'name' = ${name} order by user_id`),
        )
      ).map((r) => r.user_id);
    const rolesOf = async (tenantId: string, userId: string) =>
      (
        await withTenant(env.platform.db, tenantId, (tx) =>
          rows<{ role: string }>(tx, sql`select role from memberships where user_id = ${userId} order by role`),
        )
      ).map((r) => r.role);
    const signedIn = async (user: UserFixture) => {
      const agent = new Agent(env.app);
      await agent.signIn(user, env.clock);
      return agent;
    };
    /** The confirm and refuse forms of the people page, by the person's name. */
    const decisionOf = (body: string, name: string, what: "bestaetigen" | "ablehnen") =>
      new RegExp(`action="(/verwaltung/kommunen/[^"]+/freigaben/[0-9a-f-]{36}/${what})"(?:(?!</form>)[\\s\\S])*?Clearingstelle, ${name}<`).exec(body)?.[1];

    test("access to every case is nobody's alone to give: the clearing office's role given by a municipal admin waits for a second one, whom neither the giver nor the person can replace", async () => {
      const admin = agents.get("municipal_admin") as Agent;
      const adminUser = people.get("municipal_admin") as UserFixture;
      const officer = people.get("clearing_officer") as UserFixture;
      const colleagueUser = await createUserFixture(env, [{ tenantId: own.id, role: "municipal_admin" }], { totp: true, displayName: "Mo Zweitblick" });
      const person = await createUserFixture(env, [{ tenantId: own.id, role: "staff" }], { displayName: "Kim Neuzugang" });
      await admin.get(`/verwaltung/kommunen/${own.slug}/personen/${person.id}`);
      const saved = await admin.post(`/verwaltung/kommunen/${own.slug}/personen/${person.id}`, { roles: ["staff", "clearing_officer"] });
      assert.equal(saved.statusCode, 303);
      assert.match((await admin.get(saved.headers.location as string)).body, /Erst wenn eine zweite Person bestätigt, gilt auch: Clearingstelle\./);
      assert.deepEqual(await rolesOf(own.id, person.id), ["staff"], "not yet given");
      assert.deepEqual(await noticed(own.id, "admin.notify.roleAsked", "Kim Neuzugang"), [colleagueUser.id], "the other admin is asked");
      const personPage = await admin.get(`/verwaltung/kommunen/${own.slug}/personen/${person.id}`);
      assert.match(personPage.body, /value="clearing_officer" checked/, "ticked while it waits, so that saving again does not withdraw it");
      assert.match(personPage.body, /wartet auf Bestätigung durch eine zweite Person/);

      // The giver can see it wait, not confirm it; nor can the person give it to themselves that way.
      const list = await admin.get(`/verwaltung/kommunen/${own.slug}/personen`);
      assert.match(list.body, /Clearingstelle für Kim Neuzugang .* vergeben von/);
      assert.match(list.body, /Wartet auf eine zweite Person\./);
      const colleague = await signedIn(colleagueUser);
      const page = (await colleague.get(`/verwaltung/kommunen/${own.slug}/personen`)).body;
      const confirm = decisionOf(page, "Kim Neuzugang", "bestaetigen") as string;
      assert.ok(confirm, "the second admin is offered to confirm");
      await admin.get(`/verwaltung/kommunen/${own.slug}/personen`);
      assert.equal((await admin.post(confirm, {})).statusCode, 403, "not by the one who gave it");
      assert.deepEqual(await rolesOf(own.id, person.id), ["staff"]);

      // An admin who gives it to themselves waits likewise.
      await admin.get(`/verwaltung/kommunen/${own.slug}/personen/${adminUser.id}`);
      await admin.post(`/verwaltung/kommunen/${own.slug}/personen/${adminUser.id}`, { roles: ["municipal_admin", "clearing_officer"] });
      assert.deepEqual(await rolesOf(own.id, adminUser.id), ["municipal_admin"]);
      assert.equal((await admin.get("/faelle")).statusCode, 404, "no case is open to them");

      // The second admin decides: Kim's confirmed, the admin's own refused.
      const again = (await colleague.get(`/verwaltung/kommunen/${own.slug}/personen`)).body;
      assert.equal((await colleague.post(decisionOf(again, "Kim Neuzugang", "bestaetigen") as string, {})).statusCode, 303);
      assert.deepEqual(await rolesOf(own.id, person.id), ["clearing_officer", "staff"]);
      assert.deepEqual(
        await noticed(own.id, "admin.notify.caseAccess", "Kim Neuzugang"),
        [adminUser.id, officer.id].sort(),
        "given: the clearing office and the one who asked are told, not the one who confirmed",
      );
      await colleague.get(`/verwaltung/kommunen/${own.slug}/personen`);
      const adminName = String((await env.platform.database.rawQuery("select display_name from users where id = $1", [adminUser.id])).rows[0].display_name);
      assert.equal((await colleague.post(decisionOf(again, adminName, "ablehnen") as string, {})).statusCode, 303);
      assert.deepEqual(await rolesOf(own.id, adminUser.id), ["municipal_admin"], "refused: not given");
      const audit = await withTenant(env.platform.db, own.id, (tx) =>
        rows<{ action: string }>(
          tx,
          sql`select action from audit_log where action like 'person.role\\_%' and object_id in (${person.id}, ${adminUser.id}) order by seq`,
        ),
      );
      assert.deepEqual(
        audit.map((a) => a.action),
        ["person.role_requested", "person.role_requested", "person.role_confirmed", "person.role_refused"],
      );
      // Roles saved again without it: nothing is asked any more.
      await admin.get(`/verwaltung/kommunen/${own.slug}/personen/${person.id}`);
      await admin.post(`/verwaltung/kommunen/${own.slug}/personen/${person.id}`, { roles: ["staff", "clearing_officer"] });
      assert.equal((await noticed(own.id, "admin.notify.roleAsked", "Kim Neuzugang")).length, 1, "held already: nothing to ask");
    });

    test("an invitation into the clearing office by a municipal admin gives the role once a second person confirms it", async () => {
      const admin = agents.get("municipal_admin") as Agent;
      const email = `eingeladen-${kind}@test.example`;
      await admin.get(`/verwaltung/kommunen/${own.slug}/personen/einladen`);
      const invited = await admin.post(`/verwaltung/kommunen/${own.slug}/personen/einladen`, {
        displayName: "Ida Eingeladen",
        email,
        roles: ["staff", "clearing_officer"],
      });
      assert.equal(invited.statusCode, 303);
      const mail = (await outboxMails(env)).find((m) => m.to === email);
      const link = new URL(/https?:\/\/\S+\/einladung\/\S+/.exec(mail?.body ?? "")?.[0] as string).pathname;
      const person = new Agent(env.app);
      await person.get(link);
      const accepted = await person.post(link, {
        displayName: "Ida Eingeladen",
        password: "Ein-langes-Passwort-für-Ida-2026",
        confirm: "Ein-langes-Passwort-für-Ida-2026",
      });
      assert.equal(accepted.statusCode, 303);
      assert.match(
        (await person.get(accepted.headers.location as string)).body,
        /Erst wenn eine zweite Person der Verwaltung bestätigt, gilt auch: Clearingstelle/,
      );
      const id = String((await env.platform.database.rawQuery("select id from users where email = $1", [email])).rows[0].id);
      assert.deepEqual(await rolesOf(own.id, id), ["staff"], "the role that opens every case waits");
      assert.match((await admin.get(`/verwaltung/kommunen/${own.slug}/personen`)).body, /Clearingstelle für Ida Eingeladen/);
    });

    test("an administrator the asking one makes confirms nothing: the administration role waits for a second person too; one taken out of the municipality takes what was asked along", async () => {
      const admin = agents.get("municipal_admin") as Agent;
      const alias = await createUserFixture(env, [{ tenantId: own.id, role: "staff" }], { totp: true, displayName: "Alias Zweitkonto" });
      await admin.get(`/verwaltung/kommunen/${own.slug}/personen/${alias.id}`);
      const saved = await admin.post(`/verwaltung/kommunen/${own.slug}/personen/${alias.id}`, { roles: ["staff", "municipal_admin"] });
      assert.match((await admin.get(saved.headers.location as string)).body, /Erst wenn eine zweite Person bestätigt, gilt auch: Kommunale Administration\./);
      assert.deepEqual(await rolesOf(own.id, alias.id), ["staff"], "not an administrator, so nobody's confirmation");
      const aliasAgent = await signedIn(alias);
      assert.equal((await aliasAgent.get(`/verwaltung/kommunen/${own.slug}/personen`)).statusCode, 404);
      // Nor a partner of the alliance at once (linked to an organisation, it would read what is referred there).
      await admin.get(`/verwaltung/kommunen/${own.slug}/personen/${alias.id}`);
      await admin.post(`/verwaltung/kommunen/${own.slug}/personen/${alias.id}`, { roles: ["staff", "alliance_partner"] });
      assert.deepEqual(await rolesOf(own.id, alias.id), ["staff"], "the partner role waits too");

      // Asked for, then taken out: the request goes with the person, and nothing can bring them back.
      const leaving = await createUserFixture(env, [{ tenantId: own.id, role: "staff" }], { displayName: "Uli Geht" });
      await admin.get(`/verwaltung/kommunen/${own.slug}/personen/${leaving.id}`);
      await admin.post(`/verwaltung/kommunen/${own.slug}/personen/${leaving.id}`, { roles: ["staff", "clearing_officer"] });
      const national = agents.get("national_admin") as Agent;
      const before = (await national.get(`/verwaltung/kommunen/${own.slug}/personen`)).body;
      const confirm = decisionOf(before, "Uli Geht", "bestaetigen") as string;
      assert.ok(confirm);
      await admin.get(`/verwaltung/kommunen/${own.slug}/personen/${leaving.id}`);
      assert.equal((await admin.post(`/verwaltung/kommunen/${own.slug}/personen/${leaving.id}/entfernen`, {})).statusCode, 303);
      assert.equal(decisionOf((await national.get(`/verwaltung/kommunen/${own.slug}/personen`)).body, "Uli Geht", "bestaetigen"), undefined);
      assert.equal((await national.post(confirm, {})).statusCode, 404);
      assert.deepEqual(await rolesOf(own.id, leaving.id), []);
    });

    test("a national admin gives the clearing office's role at once; a municipality without a second admin asks the national admins", async () => {
      const national = agents.get("national_admin") as Agent;
      const nationalUser = people.get("national_admin") as UserFixture;
      const person = await createUserFixture(env, [{ tenantId: own.id, role: "staff" }], { displayName: "Lou Direkt" });
      await national.get(`/verwaltung/kommunen/${own.slug}/personen/${person.id}`);
      await national.post(`/verwaltung/kommunen/${own.slug}/personen/${person.id}`, { roles: ["staff", "clearing_officer"] });
      assert.deepEqual(await rolesOf(own.id, person.id), ["clearing_officer", "staff"], "given at once");
      assert.ok((await noticed(own.id, "admin.notify.caseAccess", "Lou Direkt")).length > 0, "and the clearing office is told");

      const small = await createTenantFixture(env, { name: "Kleinau", slug: `kleinau-${kind}` });
      const onlyAdmin = await createUserFixture(env, [{ tenantId: small.id, role: "municipal_admin" }], { totp: true });
      const newcomer = await createUserFixture(env, [{ tenantId: small.id, role: "staff" }], { displayName: "Rike Einzig" });
      const admin = await signedIn(onlyAdmin);
      await admin.get(`/verwaltung/kommunen/${small.slug}/personen/${newcomer.id}`);
      await admin.post(`/verwaltung/kommunen/${small.slug}/personen/${newcomer.id}`, { roles: ["staff", "clearing_officer"] });
      assert.deepEqual(await rolesOf(small.id, newcomer.id), ["staff"]);
      assert.deepEqual(
        await noticed(env.platform.nationalTenant.id, "admin.notify.roleAsked", "Rike Einzig"),
        [nationalUser.id],
        "nobody else here: the national admins",
      );
      const page = (await national.get(`/verwaltung/kommunen/${small.slug}/personen`)).body;
      assert.equal((await national.post(decisionOf(page, "Rike Einzig", "bestaetigen") as string, {})).statusCode, 303);
      assert.deepEqual(await rolesOf(small.id, newcomer.id), ["clearing_officer", "staff"]);
    });

    test("a municipal admin cannot open a person of another municipality through their own", async () => {
      const admin = agents.get("municipal_admin") as Agent;
      const stranger = await createUserFixture(env, [{ tenantId: other.id, role: "staff" }]);
      const res = await admin.get(`/verwaltung/kommunen/${own.slug}/personen/${stranger.id}`);
      assert.equal(res.statusCode, 404);
    });
  });
}
