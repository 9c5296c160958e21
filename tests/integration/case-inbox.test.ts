import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { PAGE_SIZE } from "../../src/modules/cases/inbox-query.ts";
import { createReport } from "../../src/modules/reports/commands.ts";
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
 * The clearing office's inbox: views (mine, unassigned, overdue, closed), filters by level, stage,
 * form and motive, a search over case numbers and the office's tags (never over content), sorting,
 * paging, the first-response timer against the 24-hour target, and bulk actions — all as plain
 * links and forms.
 */

for (const kind of DB_KINDS) {
  describe(`case inbox (${kind})`, () => {
    let env: TestEnv;
    let tenant: TenantFixture;
    let anna: UserFixture;
    let ben: UserFixture;
    const numbers: Record<string, string> = {};

    async function signedIn(user: UserFixture) {
      const agent = new Agent(env.app);
      env.clock.advance(30_000);
      await agent.signIn(user, env.clock);
      return agent;
    }
    const report = async (key: string, answers: Record<string, unknown>) => {
      const created = await createReport(env.platform, tenant, {
        answers: { mode: "anonymous", description: "Drohbrief mit Hakenkreuz im Briefkasten.", ...answers } as never,
        lang: "de",
        channel: "web",
      });
      numbers[key] = created.caseNumber;
      env.clock.advance(60_000);
    };
    const rowsOf = (body: string) =>
      [...body.matchAll(/<th class="kern-table__cell" scope="row"><a class="kern-link komma-nowrap" href="\/faelle\/([^"]+)"/g)].map((m) => m[1]);

    before(async () => {
      env = await createTestEnv(kind);
      tenant = await createTenantFixture(env);
      anna = await createUserFixture(env, [{ tenantId: tenant.id, role: "clearing_officer" }], { totp: true, displayName: "Anna Amsel" });
      ben = await createUserFixture(env, [{ tenantId: tenant.id, role: "clearing_officer" }], { totp: true, displayName: "Ben Buchfink" });
      await report("threat", { forms: ["threat"], motives: ["antisemitic"] });
      await report("insult", { forms: ["insult"], motives: ["racist"] });
      await report("danger", { forms: ["physical_attack"], motives: ["racist"], immediateDanger: "yes" });
      await report("graffiti", { forms: ["property_damage"], motives: ["right_wing_extremist"] });
    });
    after(() => env.close());

    test("views and filters find what the office looks for; the search never reads content", async () => {
      const a = await signedIn(anna);
      await a.get(`/faelle/${numbers.threat}`);
      await a.post(`/faelle/${numbers.threat}/zuweisung`, { assignee: anna.id });
      await a.get(`/faelle/${numbers.threat}`);
      await a.post(`/faelle/${numbers.threat}/einschaetzung`, { form: "threat", criteria: ["privateAddressOrFamily"], level: "2" });
      await a.get(`/faelle/${numbers.graffiti}`);
      const tagged = await a.post(`/faelle/${numbers.graffiti}/schlagworte`, { tags: "Plakataktion Süd, Wahlkampf" });
      assert.equal(tagged.statusCode, 303);
      await a.get(`/faelle/${numbers.graffiti}`);
      const badTags = await a.post(`/faelle/${numbers.graffiti}/schlagworte`, { tags: "<script>, ok" });
      assert.equal(badTags.statusCode, 400);
      assert.match(badTags.body, /Schlagworte bestehen aus Buchstaben/);
      assert.match(badTags.body, /value="&lt;script>, ok"/, "the input is kept");

      const list = async (params: string) => rowsOf((await a.get(`/faelle${params}`)).body);
      assert.deepEqual(await list(""), [numbers.graffiti, numbers.danger, numbers.insult, numbers.threat], "open cases, newest first");
      assert.deepEqual(await list("?ansicht=mine"), [numbers.threat]);
      assert.deepEqual(await list("?ansicht=unassigned"), [numbers.graffiti, numbers.danger, numbers.insult]);
      assert.deepEqual(await list("?stufe=2"), [numbers.threat]);
      assert.deepEqual(await list("?phase=measures"), [numbers.threat], "assessed: on to measures");
      assert.deepEqual(await list("?form=physical_attack"), [numbers.danger]);
      assert.deepEqual(await list("?motiv=racist"), [numbers.danger, numbers.insult]);
      assert.deepEqual(await list("?suche=plakat"), [numbers.graffiti], "a tag, in any case");
      assert.deepEqual(await list("?suche=wahlkampf"), [numbers.graffiti], "the second tag too");
      assert.deepEqual(await list(`?suche=${encodeURIComponent("süd w")}`), [], "never across two tags");
      assert.deepEqual(await list(`?suche=${numbers.insult.slice(-4)}`), [numbers.insult], "part of a number");
      assert.deepEqual(await list("?suche=Hakenkreuz"), [], "never the content of a report");
      assert.deepEqual(await list("?sortierung=level"), [numbers.threat, numbers.graffiti, numbers.danger, numbers.insult]);
      assert.deepEqual(await list("?sortierung=oldest&motiv=racist"), [numbers.insult, numbers.danger]);
      for (const odd of ["?stufe=9", "?seite=-1", "?ansicht=%3Cscript%3E", "?sortierung[]=x", "?suche=%00%25_", "?seite=999999"]) {
        const res = await a.get(`/faelle${odd}`);
        assert.equal(res.statusCode, 200, odd);
      }
      const filtered = await a.get("/faelle?motiv=racist&form=insult");
      assert.match(filtered.body, /<option value="racist" selected/, "the chosen filters stay chosen");
      assert.match(filtered.body, /1 Fall/);
      assert.match(
        filtered.body,
        /<details class="komma-details" open><summary class="kern-link">Filtern und sortieren \(2 gewählt\)/,
        "chosen filters stay in sight",
      );
      const plain = (await a.get("/faelle?suche=plakat")).body;
      assert.match(
        plain,
        /<details class="komma-details"><summary class="kern-link">Filtern und sortieren<\/summary>/,
        "unused lists fold away, the search stays",
      );
      assert.match(plain, /name="suche"[^>]*value="plakat"/);
      assert.ok(plain.indexOf("</details>") < plain.indexOf('<table class="kern-table"'), "the cases follow the folded lists");
    });

    test("the first-response timer runs against 24 hours, at once for acute danger; overdue shows in its view", async () => {
      const a = await signedIn(anna);
      const fresh = await a.get("/faelle");
      const row = (n: string) =>
        fresh.body
          .split("<tr")
          .slice(1)
          .find((r) => r.includes(`/faelle/${n}"`)) ?? "";
      assert.match(row(numbers.insult), /fällig in 2[34] Stunden/);
      assert.match(row(numbers.danger), /seit \d+ Minuten? überfällig/, "acute danger: at once");
      assert.match(row(numbers.threat), /nach \d+ Minuten?/, "taken on: answered");
      // Acute danger nobody answered stands on top, whatever the view is sorted or filtered by.
      const urgentBox = (body: string) => /Akute Gefahr, noch ohne Reaktion \(\d+\)[\s\S]*?<\/ul>/.exec(body)?.[0] ?? "";
      assert.match(urgentBox(fresh.body), new RegExp(`href="/faelle/${numbers.danger}"`));
      assert.doesNotMatch(urgentBox(fresh.body), new RegExp(numbers.insult));
      assert.match(urgentBox((await a.get("/faelle?sortierung=oldest&form=insult")).body), new RegExp(numbers.danger));
      assert.doesNotMatch(fresh.body, /neue Meldunge?n? mit akuter Gefahr/, "said once: the list of cases in acute danger stands for the notice");

      env.clock.advance(25 * 3_600_000);
      const later = await signedIn(anna);
      const overdue = rowsOf((await later.get("/faelle?ansicht=overdue")).body);
      assert.deepEqual(overdue.sort(), [numbers.danger, numbers.graffiti, numbers.insult].sort());
    });

    test("pages of fifty, with the count and links that keep the filters", async () => {
      for (let i = 0; i < PAGE_SIZE; i++) await report(`bulk${i}`, { forms: ["insult"], motives: ["other"] });
      const a = await signedIn(anna);
      const first = await a.get("/faelle?ansicht=all&form=insult");
      assert.match(first.body, new RegExp(`${PAGE_SIZE + 1} Fälle`));
      assert.equal(rowsOf(first.body).length, PAGE_SIZE);
      assert.match(first.body, /Seite 1 von 2/);
      const next = /rel="next" href="([^"]+)"/.exec(first.body)?.[1].replaceAll("&amp;", "&") ?? "";
      assert.equal(next, "/faelle?ansicht=all&form=insult&seite=2");
      const second = await a.get(next);
      assert.deepEqual(rowsOf(second.body), [numbers.insult], "the oldest on the last page");
    });

    test("bulk: hand several cases on, close as duplicate (not a level-2 case), reopen; through the API the same filters", async () => {
      const a = await signedIn(anna);
      await a.get("/faelle");
      const handed = await a.post("/faelle/sammelaktion", {
        faelle: [numbers.insult, numbers.graffiti],
        aktion: "assign",
        assignee: ben.id,
        zurueck: "/faelle?ansicht=unassigned",
      });
      assert.equal(handed.statusCode, 303);
      assert.equal(handed.headers.location, "/faelle?ansicht=unassigned", "back to the inbox as it was");
      const mine = await signedIn(ben);
      assert.deepEqual(rowsOf((await mine.get("/faelle?ansicht=mine")).body).sort(), [numbers.insult, numbers.graffiti].sort());

      const b = mine;
      await b.get("/faelle");
      const closed = await b.post("/faelle/sammelaktion", { faelle: [numbers.insult, numbers.threat], aktion: "duplicate", zurueck: "https://evil.example/" });
      assert.equal(closed.headers.location, "/faelle", "never back to another site");
      const flash = await b.get("/faelle");
      assert.match(flash.body, /1 Fall als Duplikat geschlossen\. 1 Fall blieb unverändert/);
      assert.deepEqual(rowsOf((await b.get(`/faelle?suche=${numbers.insult}`)).body), [], "closed: out of the open view");
      assert.ok(rowsOf((await b.get("/faelle?ansicht=closed")).body).includes(numbers.insult));
      const page = await b.get(`/faelle/${numbers.insult}`);
      assert.match(page.body, /Als Duplikat geschlossen/);
      assert.match(page.body, /Meldung und Beweise bleiben erhalten/);
      const reopened = await b.post(`/faelle/${numbers.insult}/wieder-oeffnen`, {});
      assert.equal(reopened.statusCode, 303);
      assert.deepEqual(rowsOf((await b.get(`/faelle?suche=${numbers.insult}`)).body), [numbers.insult], "open again");

      const token = await createApiToken(env, anna);
      const api = await env.app.inject({
        method: "GET",
        url: `/api/v1/tenants/${tenant.slug}/cases?stufe=2&ansicht=all`,
        headers: { authorization: `Bearer ${token}` },
      });
      assert.equal(api.statusCode, 200);
      const body = api.json();
      assert.equal(body.total, 1);
      assert.equal(body.data[0].number, numbers.threat);
      assert.equal(body.data[0].riskLevel, 2);
      assert.deepEqual(body.data[0].motives, ["antisemitic"]);
      const bad = await env.app.inject({ method: "GET", url: `/api/v1/tenants/${tenant.slug}/cases?stufe=7`, headers: { authorization: `Bearer ${token}` } });
      assert.equal(bad.statusCode, 400);
      assert.equal(bad.headers["content-type"], "application/problem+json; charset=utf-8");
    });
  });
}
