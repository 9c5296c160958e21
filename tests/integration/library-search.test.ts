import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { PRACTICE_CORPUS } from "../../src/modules/knowledge/corpus.ts";
import { savePractice, submitPractice } from "../../src/modules/knowledge/library.ts";
import { reviewPractice } from "../../src/modules/knowledge/review.ts";
import { parseLibraryQuery, searchLibrary } from "../../src/modules/knowledge/search.ts";
import type { Actor, Role } from "../../src/platform/authz/policy.ts";
import { createTenantFixture, createTestEnv, createUserFixture, type TenantFixture, type TestEnv } from "../helpers/app.ts";
import { DB_KINDS } from "../helpers/db.ts";

/*
 * Search quality: a fixed set of German queries against the library's fixed corpus, each with the
 * practice it must find among the first three — word forms, umlauts typed as ae/oe/ue, ß as ss,
 * a typo — on both databases. Printed: how many queries found their practice first.
 */

const QUERIES: [string, string][] = [
  ["Anfeindung", "Anonyme Beschäftigtenbefragung zu Anfeindungen"],
  ["Hausverbote", "Hausverbot nach Bedrohung im Rathaus"],
  ["hausverbot rathaus", "Hausverbot nach Bedrohung im Rathaus"],
  ["Hausverbto", "Hausverbot nach Bedrohung im Rathaus"],
  ["Buergerbuero", "Deeskalation am Bürgerbüro-Schalter"],
  ["Bürgerbüro", "Deeskalation am Bürgerbüro-Schalter"],
  ["Schaltern", "Deeskalation am Bürgerbüro-Schalter"],
  ["Strassenumbenennung", "Straßenumbenennung: Bürgerbeteiligung ohne Hetze"],
  ["Straßenumbenennung", "Straßenumbenennung: Bürgerbeteiligung ohne Hetze"],
  ["Ratssitzungen", "Störungen in der Ratssitzung begegnen"],
  ["Stoerung Sitzung", "Störungen in der Ratssitzung begegnen"],
  ["Hasskommentar", "Gegenrede bei Hasskommentaren in sozialen Medien"],
  ["Gegenrede online", "Gegenrede bei Hasskommentaren in sozialen Medien"],
  ["Drohschreiben sichern", "Beweissicherung bei Drohschreiben"],
  ["Strafanträge", "Strafantrag des Dienstvorgesetzten"],
  ["Dreimonatsfrist", "Strafantrag des Dienstvorgesetzten"],
  ["Auskunftssperren", "Auskunftssperre im Melderegister beantragen"],
  ["Melderegister", "Auskunftssperre im Melderegister beantragen"],
  ["Wegweiser Betroffene", "Regionaler Wegweiser für Betroffene"],
  ["Erklärungen gegen Gewalt", "Erklärung gegen Gewalt an Amts- und Mandatsträgern"],
  ["Migrantenorganisation", "Beteiligung von Migrantenorganisationen"],
  ["Pressemitteilungen", "Pressemitteilung nach einem Angriff auf eine Ratsfrau"],
  ["Übergriffe Nachsorge", "Nachsorge nach einem Übergriff"],
  ["Uebergriff", "Nachsorge nach einem Übergriff"],
  ["Fallberatungen", "Kollegiale Fallberatung zwischen Kommunen"],
  ["Sprechstunden Sicherheit", "Sicherheit bei Bürgersprechstunden"],
  ["Plakat Kampagne", "Kampagne „Wir stehen zusammen“ für die Verwaltung"],
  ["diskriminierungssensibel", "Schulung diskriminierungssensible Führung"],
];

for (const kind of DB_KINDS) {
  describe(`library search (${kind})`, () => {
    let env: TestEnv;
    let model: TenantFixture;
    let network: TenantFixture;
    let reader: Actor;

    before(async () => {
      env = await createTestEnv(kind);
      model = await createTenantFixture(env, { kind: "model", name: "Modellstadt Probe" });
      network = await createTenantFixture(env, { name: "Netzwerkgemeinde Probe" });
      const national = env.platform.nationalTenant.id;
      const actor = async (tenantId: string, role: Role): Promise<Actor> => ({
        userId: (await createUserFixture(env, [{ tenantId, role }])).id,
        memberships: [{ tenantId, role }],
        nationalTenantId: national,
      });
      const author = await actor(model.id, "municipal_admin");
      const reviewer = await actor(national, "national_admin");
      reader = await actor(network.id, "staff");
      for (const input of PRACTICE_CORPUS) {
        const id = await savePractice(env.platform, author, { id: model.id, kind: "model" }, null, input);
        await submitPractice(env.platform, author, { id: model.id, kind: "model" }, id);
        await reviewPractice(env.platform, reviewer, id, { approve: true });
      }
    });
    after(() => env.close());

    test(`${QUERIES.length} German queries find their practice among the first three`, async () => {
      let first = 0;
      const misses: string[] = [];
      for (const [q, expected] of QUERIES) {
        const { hits } = await searchLibrary(env.platform, reader, { id: network.id, kind: "platform" }, parseLibraryQuery({ suche: q }));
        const top = hits.slice(0, 3).map((h) => h.title);
        if (top[0] === expected) first++;
        if (!top.includes(expected)) misses.push(`${q} → ${top.join(" | ") || "nothing"}`);
      }
      console.log(
        `library search (${kind}): ${first} of ${QUERIES.length} queries found their practice first, ${QUERIES.length - misses.length} among the first three`,
      );
      assert.deepEqual(misses, []);
    });

    test("snippets mark the words found; facets count the tags of the matches", async () => {
      const { hits, tags } = await searchLibrary(env.platform, reader, { id: network.id, kind: "platform" }, parseLibraryQuery({ suche: "Drohungen sichern" }));
      const hit = hits.find((h) => h.title === "Beweissicherung bei Drohschreiben");
      assert.ok(hit, "found");
      const marked = hit.snippet.filter((_, i) => i % 2 === 1);
      assert.ok(marked.length > 0 && marked.every((w) => /droh|sicher/i.test(w)), `highlighted: ${marked.join(", ")}`);
      assert.ok(
        tags.some((t) => t.tag === "Beweissicherung" && t.n >= 1),
        `the tags of the matches are counted: ${JSON.stringify(tags)} ${JSON.stringify(hits.map((h) => h.title))}`,
      );
    });

    test("signed out, only public practices; a network practice needs someone working in a municipality", async () => {
      const publicOnly = await searchLibrary(env.platform, null, null, parseLibraryQuery({ suche: "Hausverbot" }));
      assert.deepEqual(publicOnly.hits, [], "a network practice is not public");
      const publicHit = await searchLibrary(env.platform, null, null, parseLibraryQuery({ suche: "Gegenrede" }));
      assert.deepEqual(
        publicHit.hits.map((h) => h.title),
        ["Gegenrede bei Hasskommentaren in sozialen Medien"],
      );
    });
  });
}
