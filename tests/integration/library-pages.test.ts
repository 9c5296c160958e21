import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
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
 * The library's pages, without JavaScript: a model municipality writes a practice (bad input is
 * refused and kept), submits it; the national level gives it back without a note (refused), then
 * publishes it; a network municipality finds it by another word form, adopts it and says whether it
 * worked (a missing score is refused and the words kept); the authors see who adopted it. Signed
 * out, the library shows public practices only; another municipality's draft answers 404.
 */

const PRACTICE = {
  kind: "intervention_guide",
  title: "Hausverbot nach Bedrohung im Bürgerbüro",
  summary: "Wie die Verwaltung ein Hausverbot ausspricht und durchsetzt.",
  body: "Das Hausverbot wird schriftlich begründet.\n\nEs gilt höchstens ein Jahr.",
  tags: "Hausverbot, Hausrecht",
  dimensions: ["clearing"],
  modules: ["clearing"],
  visibility: "network",
};

for (const kind of DB_KINDS) {
  describe(`library pages (${kind})`, () => {
    let env: TestEnv;
    let model: TenantFixture;
    let network: TenantFixture;
    let author: UserFixture;
    let reviewer: UserFixture;
    let adopter: UserFixture;
    let staff: UserFixture;
    let practicePath = "";

    async function signedIn(user: UserFixture) {
      const agent = new Agent(env.app);
      env.clock.advance(30_000);
      await agent.signIn(user, env.clock);
      return agent;
    }

    before(async () => {
      env = await createTestEnv(kind);
      model = await createTenantFixture(env, { kind: "model", name: "Modellstadt Probe" });
      network = await createTenantFixture(env, { name: "Netzwerkgemeinde Probe" });
      author = await createUserFixture(env, [{ tenantId: model.id, role: "municipal_admin" }], { totp: true });
      reviewer = await createUserFixture(env, [{ tenantId: env.platform.nationalTenant.id, role: "national_admin" }], { totp: true });
      adopter = await createUserFixture(env, [{ tenantId: network.id, role: "municipal_admin" }], { totp: true });
      staff = await createUserFixture(env, [{ tenantId: network.id, role: "staff" }]);
    });
    after(() => env.close());

    test("a model municipality writes and submits; the national level gives back only with a note, then publishes", async () => {
      const a = await signedIn(author);
      assert.match((await a.get("/start")).body, /href="\/wissen"/, "the navigation leads to the library");
      await a.get("/wissen/neu");
      const bad = await a.post("/wissen/neu", { ...PRACTICE, title: "H", tags: "<script>" });
      assert.equal(bad.statusCode, 400);
      assert.match(bad.body, /Bitte geben Sie einen Titel mit 3 bis 200 Zeichen an/);
      assert.match(bad.body, /Schlagworte bestehen aus/);
      assert.match(bad.body, /Das Hausverbot wird schriftlich begründet/, "what was typed is kept");
      const created = await a.post("/wissen/neu", PRACTICE);
      assert.equal(created.statusCode, 303);
      practicePath = String(created.headers.location);
      const draft = await a.get(practicePath);
      assert.match(draft.body, /Entwurf/);
      assert.match(draft.body, /Zur Prüfung einreichen/);
      assert.equal((await a.post(`${practicePath}/einreichen`, {})).statusCode, 303);
      assert.match((await a.get(practicePath)).body, /In Prüfung/);

      const staffAgent = await signedIn(staff);
      assert.equal((await staffAgent.get(practicePath)).statusCode, 404, "in review: not for another municipality");

      const r = await signedIn(reviewer);
      const queue = await r.get("/wissen/pruefung");
      assert.match(queue.body, /Hausverbot nach Bedrohung im Bürgerbüro/);
      const versionOn = (body: string) => body.match(/name="version" value="(\d+)"/)?.[1] ?? "";
      const read = await r.get(practicePath);
      const noNote = await r.post(`${practicePath}/pruefen`, { decision: "return", note: "  ", version: versionOn(read.body) });
      assert.equal(noNote.statusCode, 400);
      assert.match(noNote.body, /Bitte schreiben Sie, was zu ändern ist/);
      assert.equal((await r.post(`${practicePath}/pruefen`, { decision: "maybe", version: versionOn(read.body) })).statusCode, 400, "no decision, no review");
      await r.get(practicePath);
      assert.equal(
        (await r.post(`${practicePath}/pruefen`, { decision: "return", note: "Bitte die Dauer nennen.", version: versionOn(read.body) })).statusCode,
        303,
      );
      const returned = await a.get(practicePath);
      assert.match(returned.body, /Von der Prüfung zurückgegeben/);
      assert.match(returned.body, /Bitte die Dauer nennen\./);
      await a.post(`${practicePath}/einreichen`, {});
      const reviewed = await r.get(practicePath);

      // The authors swap the text after the reviewer read it: the reviewer's approval publishes nothing.
      await a.get(practicePath);
      await a.post(`${practicePath}/zuruecknehmen`, {});
      await a.get(`${practicePath}/bearbeiten`);
      await a.post(`${practicePath}/bearbeiten`, { ...PRACTICE, body: "Ungeprüfter Text." });
      await a.get(practicePath);
      await a.post(`${practicePath}/einreichen`, {});
      await r.get(practicePath);
      const stale = await r.post(`${practicePath}/pruefen`, { decision: "approve", note: "", version: versionOn(reviewed.body) });
      assert.equal(stale.statusCode, 303);
      assert.match((await r.get(practicePath)).body, /inzwischen geändert/);
      assert.match((await a.get(practicePath)).body, /In Prüfung/, "not published: the reviewer read another version");

      const current = await r.get(practicePath);
      assert.match(current.body, /Ungeprüfter Text\./, "the reviewer reads what would be published");
      assert.equal((await r.post(`${practicePath}/pruefen`, { decision: "approve", note: "", version: versionOn(current.body) })).statusCode, 303);
      assert.match((await r.get("/wissen/pruefung")).body, /Es wartet nichts auf Prüfung/);
    });

    test("a network municipality finds it by another word form, adopts it once and says whether it worked", async () => {
      const b = await signedIn(adopter);
      const found = await b.get(`/wissen?suche=${encodeURIComponent("Hausverboten buergerbuero")}`);
      assert.equal(found.statusCode, 200);
      assert.match(found.body, new RegExp(`href="${practicePath}"`));
      assert.match(found.body, /<mark>/, "the words found are highlighted");
      const page = await b.get(practicePath);
      assert.match(page.body, /In die eigene Kommune übernehmen/);
      const adopted = await b.post(`${practicePath}/uebernehmen`, {});
      assert.equal(adopted.statusCode, 303);
      const copyPath = String(adopted.headers.location);
      const copy = await b.get(copyPath);
      assert.match(copy.body, /Übernommen aus/);
      assert.match(copy.body, /Nur in der eigenen Kommune/);
      await b.get(practicePath);
      assert.equal(String((await b.post(`${practicePath}/uebernehmen`, {})).headers.location), copyPath, "the same copy, not a second one");

      await b.get(practicePath);
      const noScore = await b.post(`${practicePath}/rueckmeldung`, { text: "Hat geholfen." });
      assert.equal(noScore.statusCode, 400);
      assert.match(noScore.body, /Bitte wählen Sie eine Bewertung von 1 bis 5/);
      assert.match(noScore.body, /Hat geholfen\./, "the words are kept");
      assert.equal((await b.post(`${practicePath}/rueckmeldung`, { score: "5", text: "Hat geholfen." })).statusCode, 303);
      assert.match((await b.get(practicePath)).body, /Ihre Rückmeldung: 5 von 5/);

      const bad = await b.post("/wissen/neu", { ...PRACTICE, visibility: "public" });
      assert.equal(bad.statusCode, 400, "a network municipality publishes for itself");

      const a = await signedIn(author);
      const own = await a.get(practicePath);
      assert.match(own.body, /Übernommen von/);
      assert.match(own.body, /Netzwerkgemeinde Probe/);
      assert.match(own.body, /Hat geholfen\./);
      assert.equal((await a.get("/wissen/weitergabe")).statusCode, 404, "the transfer across the network is the national level's view");

      const r = await signedIn(reviewer);
      const view = await r.get("/wissen/weitergabe");
      assert.equal(view.statusCode, 200);
      assert.match(view.body, /<svg[^>]*role="img"/, "the graph");
      const cells = [...view.body.matchAll(/<td class="kern-table__cell">([^<]*)<\/td>/g)].map((m) => m[1]);
      assert.deepEqual(cells.slice(0, 3), ["Modellstadt Probe", "Netzwerkgemeinde Probe", "1"], "the table holds the graph's figures");
      assert.match(view.body, /5 von 5 \(1 Rückmeldung\)/);

      // The same through the API: the transfer for the national level, search and practice for who may read them.
      const token = await createApiToken(env, reviewer);
      const auth = { authorization: `Bearer ${token}` };
      const api = await env.app.inject({ url: "/api/v1/knowledge/transfer", headers: auth });
      assert.equal(api.statusCode, 200);
      assert.deepEqual(
        api.json().byMunicipality.map((m: { municipality: string; given: number; taken: number }) => [m.municipality, m.given, m.taken]),
        [
          ["Modellstadt Probe", 1, 0],
          ["Netzwerkgemeinde Probe", 0, 1],
        ],
      );
      const adopterToken = await createApiToken(env, adopter);
      const practiceId = practicePath.split("/").at(-1);
      const viaApi = await env.app.inject({
        method: "POST",
        url: `/api/v1/knowledge/practices/${practiceId}/adoptions`,
        headers: { authorization: `Bearer ${adopterToken}` },
      });
      assert.equal(viaApi.statusCode, 200, "adopted already through the page: the same copy");
      assert.equal(`/wissen/${viaApi.json().data.copyId}`, copyPath);
      const ownAdoption = await env.app.inject({ method: "POST", url: `/api/v1/knowledge/practices/${practiceId}/adoptions`, headers: auth });
      assert.equal(ownAdoption.statusCode, 404, "the national level does not adopt into a municipality");
      const anonymousAdoption = await env.app.inject({ method: "POST", url: `/api/v1/knowledge/practices/${practiceId}/adoptions` });
      assert.equal(anonymousAdoption.statusCode, 401);
      const staffToken = await createApiToken(env, staff);
      const staffAdoption = await env.app.inject({
        method: "POST",
        url: `/api/v1/knowledge/practices/${practiceId}/adoptions`,
        headers: { authorization: `Bearer ${staffToken}` },
      });
      assert.equal(staffAdoption.statusCode, 404, "staff do not adopt, nor learn of the copy");
      assert.equal((await env.app.inject({ url: "/api/v1/knowledge/transfer", headers: { authorization: `Bearer ${adopterToken}` } })).statusCode, 404);
      const search = await env.app.inject({ url: "/api/v1/knowledge/practices?suche=Hausverbote", headers: { authorization: `Bearer ${adopterToken}` } });
      assert.equal(search.statusCode, 200);
      assert.ok(search.json().data.some((h: { id: string }) => practicePath.endsWith(h.id)));
      const anonymousSearch = await env.app.inject({ url: "/api/v1/knowledge/practices?suche=Hausverbote" });
      assert.deepEqual(anonymousSearch.json().data, [], "signed out: public practices only");
      const badQuery = await env.app.inject({ url: "/api/v1/knowledge/practices?art=x" });
      assert.equal(badQuery.statusCode, 400);
      assert.match(String(badQuery.headers["content-type"]), /application\/problem\+json/);
      const one = await env.app.inject({ url: `/api/v1/knowledge/practices/${practicePath.split("/").at(-1)}`, headers: auth });
      assert.equal(one.json().adoptions[0].municipality, "Netzwerkgemeinde Probe");
    });

    test("signed out: public practices only; odd addresses answer 404, never 500", async () => {
      const anonymous = new Agent(env.app);
      const list = await anonymous.get("/wissen?suche=Hausverbot");
      assert.equal(list.statusCode, 200);
      assert.doesNotMatch(list.body, /Hausverbot nach Bedrohung im Bürgerbüro/, "a network practice is not public");
      assert.equal((await anonymous.get(practicePath)).statusCode, 404);
      for (const path of ["/wissen/not-a-uuid", "/wissen/00000000-0000-0000-0000-000000000000", "/wissen?suche=%00%25&art[]=x&dimension=%3Cscript%3E"]) {
        const res = await anonymous.get(path);
        assert.ok(res.statusCode === 404 || res.statusCode === 200, `${path}: ${res.statusCode}`);
      }
      assert.equal((await anonymous.get("/wissen/eigene")).statusCode, 303, "the workspace asks to sign in");
    });
  });
}
