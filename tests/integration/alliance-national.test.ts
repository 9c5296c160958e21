import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { sql } from "drizzle-orm";
import { rows, withTenant } from "../../src/platform/db/client.ts";
import {
  Agent,
  createApiToken,
  createTenantFixture,
  createTestEnv,
  createUserFixture,
  type TenantFixture,
  type TestEnv,
  type UserFixture,
} from "../helpers/app.ts";
import { DB_KINDS } from "../helpers/db.ts";

/*
 * The national directory of help services: the national level keeps it; a municipality sees the
 * services of its Land and those across the country, adds one to its alliance in one step as a
 * linked copy, and is told — with the fields — when the national entry changes, to take the
 * change over without losing its own choices. Nobody else writes to the directory.
 */

const ENTRY = {
  land: "bund",
  name: "Hilfetelefon Probe",
  kind: "helpline",
  services: "Bundesweite Beratung.",
  phone: "030 23125 931",
  email: "",
  web: "",
  languages: ["de", "ar"],
  accessibility: "",
  alwaysOpen: "yes",
};

for (const kind of DB_KINDS) {
  describe(`national directory (${kind})`, () => {
    let env: TestEnv;
    let tenant: TenantFixture;
    let other: TenantFixture;
    let nationalAdmin: UserFixture;
    let admin: UserFixture;
    let staff: UserFixture;

    async function signedIn(user: UserFixture) {
      const agent = new Agent(env.app);
      env.clock.advance(30_000);
      await agent.signIn(user, env.clock);
      return agent;
    }
    const entryIds = async () =>
      withTenant(env.platform.db, env.platform.nationalTenant.id, (tx) =>
        rows<{ id: string; name: string }>(tx, sql`select id, name from alliance_national_entries order by name`),
      );

    before(async () => {
      env = await createTestEnv(kind);
      tenant = await createTenantFixture(env); // in Land 06
      other = await createTenantFixture(env);
      nationalAdmin = await createUserFixture(env, [{ tenantId: env.platform.nationalTenant.id, role: "national_admin" }], { totp: true });
      admin = await createUserFixture(env, [{ tenantId: tenant.id, role: "municipal_admin" }], { totp: true });
      staff = await createUserFixture(env, [{ tenantId: tenant.id, role: "staff" }]);
    });
    after(() => env.close());

    test("the national level enters help services per Land; bad input is refused and kept", async () => {
      const agent = await signedIn(nationalAdmin);
      const home = await agent.get("/start");
      assert.match(home.body, /href="\/allianz\/bundesweit"/, "the national admin's navigation leads to the directory");
      await agent.get("/allianz/bundesweit/neu");
      const bad = await agent.post("/allianz/bundesweit/neu", { ...ENTRY, land: "17", phone: "12" });
      assert.equal(bad.statusCode, 400);
      assert.match(bad.body, /Bitte wählen Sie das Land/);
      assert.match(bad.body, /value="Hilfetelefon Probe"/);
      for (const entry of [
        ENTRY,
        { ...ENTRY, land: "06", name: "Opferberatung Land Probe", kind: "victim_support" },
        { ...ENTRY, land: "09", name: "Fachstelle Anderland" },
      ]) {
        await agent.get("/allianz/bundesweit/neu");
        assert.equal((await agent.post("/allianz/bundesweit/neu", entry)).statusCode, 303);
      }
      const list = await agent.get("/allianz/bundesweit");
      for (const name of ["Hilfetelefon Probe", "Opferberatung Land Probe", "Fachstelle Anderland"]) assert.match(list.body, new RegExp(name));
    });

    test("a municipality sees its Land's services and those across the country, and adds one as a linked copy once", async () => {
      const agent = await signedIn(admin);
      const list = await agent.get("/allianz/bundesweit");
      assert.equal(list.statusCode, 200);
      assert.match(list.body, /Hilfetelefon Probe/);
      assert.match(list.body, /Opferberatung Land Probe/);
      assert.doesNotMatch(list.body, /Fachstelle Anderland/, "another Land's service is not offered");
      const [anderland, hilfetelefon] = await entryIds();
      const adopted = await agent.post(`/allianz/bundesweit/${hilfetelefon.id}/uebernehmen`, {});
      assert.equal(adopted.statusCode, 303);
      const partnerPath = String(adopted.headers.location);
      const page = await agent.get(partnerPath);
      assert.match(page.body, /Übernommen aus dem bundesweiten Verzeichnis/);
      assert.match(page.body, /tel:\+493023125931/);
      await agent.get("/allianz/bundesweit");
      const again = await agent.post(`/allianz/bundesweit/${hilfetelefon.id}/uebernehmen`, {});
      assert.equal(again.headers.location, partnerPath, "the same copy, not a second one");
      assert.match((await agent.get("/allianz/bundesweit")).body, new RegExp(`href="${partnerPath}"[^>]*>In der Allianz`));
      assert.equal((await agent.post(`/allianz/bundesweit/${anderland.id}/uebernehmen`, {})).statusCode, 404, "not another Land's entry");
      assert.equal((await agent.post("/allianz/bundesweit/neu", ENTRY)).statusCode, 404, "a municipality does not write the national directory");

      const token = await createApiToken(env, admin);
      const api = await env.app.inject({ url: `/api/v1/tenants/${tenant.slug}/alliance/national-directory`, headers: { authorization: `Bearer ${token}` } });
      assert.equal(api.statusCode, 200);
      const names = api.json().data.map((e: { name: string; adoptedAs: string | null }) => [e.name, e.adoptedAs]);
      assert.deepEqual(names, [
        ["Opferberatung Land Probe", null],
        ["Hilfetelefon Probe", partnerPath.split("/").at(-1)],
      ]);
      const partners = await env.app.inject({ url: `/api/v1/tenants/${tenant.slug}/alliance/partners`, headers: { authorization: `Bearer ${token}` } });
      assert.equal(partners.json().data[0].nationalEntryId, hilfetelefon.id);
      const outsider = await env.app.inject({
        url: `/api/v1/tenants/${other.slug}/alliance/national-directory`,
        headers: { authorization: `Bearer ${token}` },
      });
      assert.equal(outsider.statusCode, 404, "not another municipality's view");
    });

    test("a change at the national level is shown on the copy with its fields, and taken over keeping the municipality's choices", async () => {
      const [, hilfetelefon] = await entryIds();
      const municipal = await signedIn(admin);
      const [copy] = await withTenant(env.platform.db, tenant.id, (tx) =>
        rows<{ id: string }>(tx, sql`select id from alliance_partners where national_entry_id = ${hilfetelefon.id}`),
      );
      const partnerPath = `/allianz/partner/${copy.id}`;
      await municipal.get(`${partnerPath}/bearbeiten`);
      const own = await municipal.post(`${partnerPath}/bearbeiten`, {
        ...ENTRY,
        services: "Unsere eigene Beschreibung.",
        region: "Testkreis",
        cardSituations: "support",
      });
      assert.equal(own.statusCode, 303, "the municipality puts it on its card and words the offer its own way");
      assert.doesNotMatch((await municipal.get(partnerPath)).body, /wurde geändert/);

      const national = await signedIn(nationalAdmin);
      await national.get(`/allianz/bundesweit/${hilfetelefon.id}/bearbeiten`);
      assert.equal((await national.post(`/allianz/bundesweit/${hilfetelefon.id}/bearbeiten`, { ...ENTRY, phone: "030 23125 932" })).statusCode, 303);

      const page = await municipal.get(partnerPath);
      assert.match(page.body, /Der bundesweite Eintrag wurde geändert/);
      assert.match(
        (await municipal.get("/allianz")).body,
        /Hilfetelefon Probe<\/a> <span class="kern-badge[^"]*"><span[^>]*>bundesweit geändert/,
        "the directory marks it",
      );
      const notice = /kern-alert--info[\s\S]*?<\/div>\s*<\/div>/.exec(page.body)?.[0] ?? "";
      assert.match(notice, /Telefon<\/dt>[\s\S]*bisher: 030 23125931[\s\S]*neu: 030 23125932/, "old and new value side by side");
      assert.doesNotMatch(notice, /Angebot/, "the municipality's own wording is not a national change");
      assert.equal((await municipal.post(`${partnerPath}/abgleichen`, {})).statusCode, 303);
      const after = await municipal.get(partnerPath);
      assert.match(after.body, /tel:\+493023125932/);
      assert.match(after.body, /Unsere eigene Beschreibung\./, "its own wording stays");
      assert.doesNotMatch(after.body, /wurde geändert/);
      assert.match(after.body, /Beratung und Unterstützung/, "the card section chosen by the municipality stays");
      assert.match(after.body, /Testkreis/);
      const card = await env.app.inject({ url: `/${tenant.slug}/notfallkarte` });
      assert.match(card.body, /tel:\+493023125932/);

      // When the national level changes what the municipality had worded itself, it is warned.
      await national.get(`/allianz/bundesweit/${hilfetelefon.id}/bearbeiten`);
      await national.post(`/allianz/bundesweit/${hilfetelefon.id}/bearbeiten`, {
        ...ENTRY,
        phone: "030 23125 932",
        services: "Neue bundesweite Beschreibung.",
      });
      assert.match((await municipal.get(partnerPath)).body, /Ihr Eintrag weicht hier ab \(Unsere eigene Beschreibung\.\) und würde ersetzt/);
    });

    test("staff read the national directory but add nothing; only the national level writes it, also at the database", async () => {
      const [, hilfetelefon] = await entryIds();
      const colleague = await signedIn(staff);
      const list = await colleague.get("/allianz/bundesweit");
      assert.equal(list.statusCode, 200);
      assert.doesNotMatch(list.body, /Übernehmen<span/);
      assert.equal((await colleague.post(`/allianz/bundesweit/${hilfetelefon.id}/uebernehmen`, {})).statusCode, 404);
      assert.equal((await colleague.get(`/allianz/bundesweit/${hilfetelefon.id}/bearbeiten`)).statusCode, 404);

      // Row-level security: a municipality's transaction may read the entries, never write one.
      await assert.rejects(
        withTenant(env.platform.db, tenant.id, (tx) =>
          tx.execute(sql`insert into alliance_national_entries (tenant_id, land, name, kind, hours, created_at, updated_at)
            values (${tenant.id}, 'bund', 'Untergeschoben', 'helpline', '{"alwaysOpen":true,"slots":[]}', now(), now())`),
        ),
      );
      await assert.rejects(
        withTenant(env.platform.db, tenant.id, (tx) =>
          tx.execute(sql`insert into alliance_national_entries (tenant_id, land, name, kind, hours, created_at, updated_at)
            values (${env.platform.nationalTenant.id}, 'bund', 'Untergeschoben', 'helpline', '{"alwaysOpen":true,"slots":[]}', now(), now())`),
        ),
      );
      const changed = await withTenant(env.platform.db, tenant.id, (tx) =>
        rows<{ id: string }>(tx, sql`update alliance_national_entries set name = 'Gekapert' returning id`),
      );
      assert.equal(changed.length, 0, "an update from a municipality touches nothing");
    });

    test("an entry removed nationally stays in the alliances that took it, unlinked", async () => {
      const [, hilfetelefon] = await entryIds();
      const national = await signedIn(nationalAdmin);
      await national.get(`/allianz/bundesweit/${hilfetelefon.id}/bearbeiten`);
      assert.equal((await national.post(`/allianz/bundesweit/${hilfetelefon.id}/entfernen`, {})).statusCode, 303);
      const copies = await withTenant(env.platform.db, tenant.id, (tx) =>
        rows<{ name: string; national_entry_id: string | null }>(tx, sql`select name, national_entry_id from alliance_partners`),
      );
      assert.deepEqual(copies, [{ name: "Hilfetelefon Probe", national_entry_id: null }]);
      const audit = await withTenant(env.platform.db, env.platform.nationalTenant.id, (tx) =>
        rows<{ action: string }>(tx, sql`select action from audit_log where action like 'alliance.national.%' order by seq`),
      );
      assert.deepEqual(
        audit.map((a) => a.action),
        [
          "alliance.national.created",
          "alliance.national.created",
          "alliance.national.created",
          "alliance.national.updated",
          "alliance.national.updated",
          "alliance.national.removed",
        ],
      );
    });
  });
}
