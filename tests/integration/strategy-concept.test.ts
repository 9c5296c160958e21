import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { Agent, createTenantFixture, createTestEnv, createUserFixture, type TenantFixture, type TestEnv, type UserFixture } from "../helpers/app.ts";
import { DB_KINDS } from "../helpers/db.ts";
import { pdfText } from "../helpers/pdf.ts";

/*
 * The strategy concept, without JavaScript: a municipality's admin writes it (an empty concept is
 * refused and the title kept), saves a second version, compares the two word by word, downloads
 * one as an HTML file, and publishes — first for the network, later for the public; a newer
 * version for the own municipality only leaves others reading the last one published for them.
 * A save on top of a version that is no longer the latest keeps the text and says so. Staff read,
 * only admins write; other municipalities see published versions only.
 */

const SECTIONS = {
  situation: "Im vergangenen Jahr wurden Beschäftigte des Bürgerbüros mehrfach beleidigt.",
  goals: "Jede Anfeindung wird gemeldet.\n\nJede gemeldete Person erhält binnen eines Tages Rückmeldung.",
  fields: "Allianz, Meldestelle, Qualifizierung.",
  responsibilities: "Die Clearingstelle im Hauptamt.",
  resources: "Eine halbe Stelle.",
  participation: "",
};

for (const kind of DB_KINDS) {
  describe(`strategy concept (${kind})`, () => {
    let env: TestEnv;
    let municipality: TenantFixture;
    let admin: UserFixture;
    let staff: UserFixture;
    let partner: UserFixture;
    let otherStaff: UserFixture;

    async function signedIn(user: UserFixture) {
      const agent = new Agent(env.app);
      env.clock.advance(30_000);
      await agent.signIn(user, env.clock);
      return agent;
    }
    async function save(a: Agent, body: Record<string, string>) {
      const form = await a.get("/wissen/strategie/bearbeiten");
      const base = form.body.match(/name="base" value="(\d+)"/)?.[1] ?? "0";
      return a.post("/wissen/strategie/bearbeiten", { base, ...body });
    }

    before(async () => {
      env = await createTestEnv(kind);
      municipality = await createTenantFixture(env, { name: "Konzeptstadt Probe", slug: `konzeptstadt-${kind}` });
      const other = await createTenantFixture(env, { name: "Lesegemeinde Probe" });
      admin = await createUserFixture(env, [{ tenantId: municipality.id, role: "municipal_admin" }], { totp: true });
      staff = await createUserFixture(env, [{ tenantId: municipality.id, role: "staff" }]);
      partner = await createUserFixture(env, [{ tenantId: municipality.id, role: "alliance_partner" }], { totp: true });
      otherStaff = await createUserFixture(env, [{ tenantId: other.id, role: "staff" }]);
    });
    after(() => env.close());

    test("written, refused when empty, saved in versions, compared, exported", async () => {
      const a = await signedIn(admin);
      assert.match((await a.get("/wissen")).body, /href="\/wissen\/strategie"/);
      assert.match((await a.get("/wissen/strategie")).body, /noch kein Strategiekonzept/);
      const form = await a.get("/wissen/strategie/bearbeiten");
      assert.match(form.body, /value="Strategiekonzept gegen Rassismus, Hass und Anfeindungen"/, "a title to start from");
      const empty = await a.post("/wissen/strategie/bearbeiten", { base: "0", title: "Unser Konzept" });
      assert.equal(empty.statusCode, 400);
      assert.match(empty.body, /Bitte schreiben Sie mindestens einen Teil des Konzepts/);
      assert.match(empty.body, /value="Unser Konzept"/, "the title is kept");

      assert.equal((await save(a, { title: "Unser Konzept", ...SECTIONS, note: "Erster Entwurf" })).statusCode, 303);
      const first = await a.get("/wissen/strategie");
      assert.match(first.body, /Version 1 vom/);
      assert.match(first.body, /Jede Anfeindung wird gemeldet\./);
      assert.match(first.body, /Noch nichts geschrieben\./, "the part left empty says so");
      assert.match(first.body, /Noch keine Version ist veröffentlicht/);

      const goals = "Jede Anfeindung wird gemeldet und besprochen.\n\nJede gemeldete Person erhält binnen eines Tages Rückmeldung.";
      assert.equal((await save(a, { title: "Unser Konzept", ...SECTIONS, goals, note: "Ziele nach der Ratssitzung" })).statusCode, 303);
      const second = await a.get("/wissen/strategie");
      assert.match(second.body, /Version 2 vom/);
      assert.match(second.body, /Ziele nach der Ratssitzung/, "the note in the list of versions");

      const compared = await a.get("/wissen/strategie/vergleich?von=1&zu=2");
      assert.equal(compared.statusCode, 200);
      assert.match(compared.body, /<ins><span class="kern-sr-only">[^<]*<\/span>\s?und besprochen<\/ins>/);
      assert.match(compared.body, /<h2 class="kern-heading-medium">Ziele<\/h2>/);
      assert.doesNotMatch(compared.body, /<h2 class="kern-heading-medium">Ressourcen<\/h2>/, "unchanged parts are left out");
      assert.equal((await a.get("/wissen/strategie/vergleich?von=1&zu=9")).statusCode, 404);
      assert.equal((await a.get("/wissen/strategie/vergleich?von=x")).statusCode, 404);

      const v1 = await a.get("/wissen/strategie/version/1");
      assert.match(v1.body, /Jede Anfeindung wird gemeldet\.<\/p>/);
      assert.match(v1.body, /Geändert: Erster Entwurf/);

      const exported = await a.get("/wissen/strategie/export.html?version=1");
      assert.equal(exported.statusCode, 200);
      assert.match(String(exported.headers["content-disposition"]), /attachment; filename="strategiekonzept-v1.html"/);
      assert.match(exported.body, /^<!doctype html><html lang="de">/);
      assert.match(exported.body, /<h1>Unser Konzept<\/h1>/);
      assert.match(exported.body, /<h2>Ausgangslage<\/h2><p>Im vergangenen Jahr/);
      assert.doesNotMatch(exported.body, /<script|<link|src=/, "a file of its own: no script, nothing loaded");

      // As a PDF, with the action plan.
      await a.get("/wissen/strategie/massnahmen/neu");
      await a.post("/wissen/strategie/massnahmen/neu", {
        goal: "Sicher melden",
        title: "Meldestelle im Intranet verlinken",
        owner: "Hauptamt",
        dueOn: "2027-01-15",
        status: "planned",
        progress: "",
      });
      const pdf = await a.get("/wissen/strategie/export.pdf");
      assert.equal(pdf.statusCode, 200);
      assert.equal(pdf.headers["content-type"], "application/pdf");
      assert.match(String(pdf.headers["content-disposition"]), /strategiekonzept-v2\.pdf/);
      const html = await a.get("/wissen/strategie/export.html");
      assert.match(
        html.body,
        /<h2>Maßnahmenplan<\/h2><h3>Ziel: Sicher melden<\/h3><ul><li>Meldestelle im Intranet verlinken – Hauptamt · /,
        "the HTML file has the action plan too",
      );
      const text = pdfText(pdf.rawPayload);
      for (const words of [
        "Unser Konzept",
        "Ausgangslage",
        "Jede Anfeindung wird gemeldet und besprochen.",
        "Maßnahmenplan",
        "Ziel: Sicher melden",
        "Meldestelle im Intranet verlinken – Hauptamt",
      ])
        assert.ok(text.replace(/\s+/g, " ").includes(words), `the PDF holds "${words}"`);
    });

    test("a save on top of an older version keeps the text and says so", async () => {
      const a = await signedIn(admin);
      const stale = await a.get("/wissen/strategie/bearbeiten");
      assert.match(stale.body, /name="base" value="2"/);
      const b = await signedIn(admin);
      assert.equal((await save(b, { title: "Unser Konzept", ...SECTIONS, note: "Dazwischen" })).statusCode, 303);
      const late = await a.post("/wissen/strategie/bearbeiten", { base: "2", title: "Unser Konzept", ...SECTIONS, resources: "Eine ganze Stelle.", note: "" });
      assert.equal(late.statusCode, 409);
      assert.match(late.body, /Inzwischen hat jemand eine neuere Version gespeichert/);
      assert.match(late.body, /Eine ganze Stelle\./, "the text typed is kept");
      assert.match(late.body, /name="base" value="3"/, "the next save builds on the newer version");
    });

    test("published for the network, then the public; others read the latest version published for them", async () => {
      const a = await signedIn(admin);
      await a.get("/wissen/strategie");
      const bad = await a.post("/wissen/strategie/veroeffentlichen", { version: "3", visibility: "alle" });
      assert.equal(bad.statusCode, 400);
      assert.match(bad.body, /Bitte wählen Sie, wer es lesen kann/);
      assert.equal((await a.post("/wissen/strategie/veroeffentlichen", { version: "3", visibility: "network" })).statusCode, 303);
      assert.match((await a.get("/wissen/strategie")).body, /Zuletzt veröffentlicht: Version 3, veröffentlicht am [^–]*– Im Netzwerk der Kommunen/);

      const o = await signedIn(otherStaff);
      const list = await o.get("/wissen/strategien");
      assert.match(list.body, new RegExp(`href="/wissen/strategien/${municipality.slug}"`));
      assert.match((await o.get(`/wissen/strategien/${municipality.slug}`)).body, /Eine halbe Stelle\./);
      assert.equal((await o.get("/wissen/strategie/version/1")).statusCode, 404, "its own concept has no version 1; another's is not reached");
      const anonymous = new Agent(env.app);
      assert.doesNotMatch((await anonymous.get("/wissen/strategien")).body, /Konzeptstadt Probe/, "network only: not for the public");
      assert.equal((await anonymous.get(`/wissen/strategien/${municipality.slug}`)).statusCode, 404);

      // Version 4 for the public, version 5 for the own municipality only.
      await save(a, { title: "Unser Konzept", ...SECTIONS, resources: "Eine ganze Stelle.", note: "Mehr Personal" });
      await a.get("/wissen/strategie");
      await a.post("/wissen/strategie/veroeffentlichen", { version: "4", visibility: "public" });
      await save(a, { title: "Unser Konzept", ...SECTIONS, resources: "Interner Haushaltsentwurf.", note: "Intern" });
      await a.get("/wissen/strategie");
      await a.post("/wissen/strategie/veroeffentlichen", { version: "5", visibility: "internal" });
      const publicView = await anonymous.get(`/wissen/strategien/${municipality.slug}`);
      assert.equal(publicView.statusCode, 200);
      assert.match(publicView.body, /Eine ganze Stelle\./);
      assert.doesNotMatch(publicView.body, /Interner Haushaltsentwurf/);
      assert.doesNotMatch((await o.get(`/wissen/strategien/${municipality.slug}`)).body, /Interner Haushaltsentwurf/);
    });

    test("staff read, only admins write; partners and other municipalities do not see the drafts", async () => {
      // A sixth version, not published: the admins read it, the staff the fifth.
      const a = await signedIn(admin);
      await save(a, { title: "Unser Konzept", ...SECTIONS, resources: "Noch nicht abgestimmter Entwurf.", note: "Entwurf" });
      const s = await signedIn(staff);
      const read = await s.get("/wissen/strategie");
      assert.equal(read.statusCode, 200);
      assert.match(read.body, /Interner Haushaltsentwurf/, "the version published for the municipality");
      assert.doesNotMatch(read.body, /Noch nicht abgestimmter Entwurf/, "a draft does not circulate");
      assert.equal((await s.get("/wissen/strategie/version/6")).statusCode, 404);
      assert.equal((await s.get("/wissen/strategie/export.html?version=6")).statusCode, 404);
      const draft = await a.get("/wissen/strategie/export.html?version=6");
      assert.match(draft.body, /Entwurf – nicht veröffentlicht/, "a draft says so in its file");
      assert.doesNotMatch(read.body, /href="\/wissen\/strategie\/bearbeiten"/);
      assert.equal((await s.get("/wissen/strategie/bearbeiten")).statusCode, 404);
      await s.get("/wissen/strategie");
      assert.equal((await s.post("/wissen/strategie/veroeffentlichen", { version: "5", visibility: "public" })).statusCode, 404);
      const p = await signedIn(partner);
      assert.equal((await p.get("/wissen/strategie")).statusCode, 404);
      assert.equal((await p.get("/wissen/strategie/export.html")).statusCode, 404);
    });
  });
}
