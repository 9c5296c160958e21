import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { Browser } from "playwright-core";
import { createTenantFixture, createTestEnv, createUserFixture, type TestEnv } from "../helpers/app.ts";
import { expectAccessible, launchBrowser, openPage, serve, signInInBrowser } from "./browser.ts";

/*
 * Knowledge that travels, in Chromium with and without JavaScript: a model municipality writes a
 * template and submits it; the national level publishes it after review; a network municipality
 * finds it by a German search with another word form, adopts it, adapts its copy and says it
 * worked; the national level sees the adoption with the feedback. axe checks every page.
 */

let env: TestEnv;
let browser: Browser;
let base: string;

before(async () => {
  env = await createTestEnv("pglite");
  base = await serve(env);
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await env?.close();
});

const open = (javaScript: boolean) => openPage(browser, javaScript);

for (const javaScript of [true, false]) {
  describe(`the library in Chromium, JavaScript ${javaScript ? "on" : "off"}`, () => {
    test("published after review, found by another word form, adopted, adapted, given feedback; the national level sees it", async () => {
      const title = `Erklärung gegen Anfeindungen im Stadtrat ${javaScript ? "A" : "B"}`;
      const model = await createTenantFixture(env, { kind: "model", name: `Modellstadt ${javaScript ? "A" : "B"}` });
      const network = await createTenantFixture(env, { name: `Netzwerkgemeinde ${javaScript ? "A" : "B"}` });
      const author = await createUserFixture(env, [{ tenantId: model.id, role: "municipal_admin" }], { totp: true });
      const reviewer = await createUserFixture(env, [{ tenantId: env.platform.nationalTenant.id, role: "national_admin" }], { totp: true });
      const adopter = await createUserFixture(env, [{ tenantId: network.id, role: "municipal_admin" }], { totp: true });

      // The model municipality writes the template; a title too short is refused and the rest kept.
      const a = await open(javaScript);
      await signInInBrowser(a.page, base, author, env);
      await a.page.getByRole("navigation", { name: "Hauptnavigation" }).getByRole("link", { name: "Wissen" }).click();
      await a.page.getByRole("heading", { level: 1, name: "Praxisbeispiele" }).waitFor();
      await expectAccessible(a.page, "/wissen");
      await a.page.getByRole("link", { name: "Eigene Praxisbeispiele" }).click();
      await expectAccessible(a.page, "/wissen/eigene");
      await a.page.getByRole("link", { name: "Praxisbeispiel schreiben" }).click();
      await a.page.getByLabel("Art").selectOption("template");
      await a.page.getByLabel("Titel").fill("Er");
      await a.page.getByLabel("Kurzbeschreibung").fill("Eine Vorlage, mit der der Rat sich hinter seine Mitglieder stellt.");
      await a.page.getByLabel("Beschreibung", { exact: true }).fill("Der Rat beschließt die Erklärung.\n\nSie nennt die Meldestelle.");
      await a.page.getByLabel("Schlagworte").fill("Erklärung, Rat");
      await a.page.getByLabel("Kommunikation").check();
      await a.page.getByLabel("Im Netzwerk der Kommunen").check();
      await a.page.getByRole("button", { name: "Speichern" }).click();
      await a.page.getByRole("alert").waitFor();
      assert.equal(await a.page.getByLabel("Schlagworte").inputValue(), "Erklärung, Rat", "what was typed is kept");
      await expectAccessible(a.page, "/wissen/neu with errors");
      await a.page.getByLabel("Titel").fill(title);
      await a.page.getByRole("button", { name: "Speichern" }).click();
      await a.page.getByRole("heading", { level: 1, name: title }).waitFor();
      await expectAccessible(a.page, "a draft");
      await a.page.getByRole("button", { name: "Zur Prüfung einreichen" }).click();
      await a.page.getByText("In Prüfung", { exact: true }).waitFor();

      // The national level reviews it and publishes it.
      const r = await open(javaScript);
      await signInInBrowser(r.page, base, reviewer, env);
      await r.page.goto(`${base}/wissen/pruefung`);
      await expectAccessible(r.page, "/wissen/pruefung");
      await r.page.getByRole("link", { name: title }).click();
      await expectAccessible(r.page, "a practice in review");
      await r.page.getByRole("button", { name: "Veröffentlichen" }).click();
      await r.page.getByText("Es wartet nichts auf Prüfung.").waitFor();

      // A network municipality finds it by another word form, adopts and adapts it, and says it worked.
      const b = await open(javaScript);
      await signInInBrowser(b.page, base, adopter, env);
      await b.page.goto(`${base}/wissen`);
      await b.page.getByLabel("Suche", { exact: true }).fill("Anfeindung Stadtraete");
      await b.page.getByRole("button", { name: "Suchen" }).click();
      await b.page.getByRole("link", { name: title }).waitFor();
      assert.ok((await b.page.locator("mark").count()) > 0, "the words found are highlighted");
      await expectAccessible(b.page, "search results");
      await b.page.getByRole("link", { name: title }).click();
      await b.page.getByRole("button", { name: "In die eigene Kommune übernehmen" }).click();
      await b.page.getByText("Übernommen aus").waitFor();
      await expectAccessible(b.page, "the adopted copy");
      await b.page.getByRole("link", { name: "Bearbeiten" }).click();
      await b.page.getByLabel("Beschreibung", { exact: true }).fill("Der Rat beschließt die Erklärung.\n\nSie nennt die Meldestelle und das Bürgertelefon.");
      await b.page.getByRole("button", { name: "Speichern" }).click();
      await b.page.getByText("das Bürgertelefon").waitFor();
      await b.page.getByRole("link", { name: /Übernommen aus/ }).click();
      await b.page.getByLabel("4 von 5").check();
      await b.page.getByLabel("Was sollten andere wissen? (freiwillig)").fill("Im Rat einstimmig beschlossen.");
      await b.page.getByRole("button", { name: "Rückmeldung senden" }).click();
      await b.page.getByText("Ihre Rückmeldung: 4 von 5.").waitFor();
      await expectAccessible(b.page, "feedback given");

      // The national level sees who adopted it and what they said.
      await r.page.goto(`${base}/wissen?suche=${encodeURIComponent(title)}`);
      await r.page.getByRole("link", { name: title }).click();
      const row = r.page.getByRole("row", { name: new RegExp(network.name) });
      await row.waitFor();
      assert.match((await row.textContent()) ?? "", /Im Rat einstimmig beschlossen\./);
      await expectAccessible(r.page, "a practice with its adoptions");
      await r.page.goto(`${base}/wissen/weitergabe`);
      await r.page.getByRole("img", { name: "Weitergabe: von welcher Kommune zu welcher" }).waitFor();
      await r.page.getByRole("cell", { name: network.name }).first().waitFor();
      await expectAccessible(r.page, "/wissen/weitergabe");

      // The origin changes: the copy shows what changed since the version taken.
      await a.page.goto(`${base}/wissen/eigene`);
      await a.page.getByRole("link", { name: title }).click();
      await a.page.getByRole("button", { name: "Zurücknehmen und bearbeiten" }).click();
      await a.page.getByLabel("Beschreibung", { exact: true }).fill("Der Rat beschließt die Erklärung einstimmig.\n\nSie nennt die Meldestelle.");
      await a.page.getByRole("button", { name: "Speichern" }).click();
      await a.page.getByRole("button", { name: "Zur Prüfung einreichen" }).click();
      await a.page.getByText("In Prüfung", { exact: true }).waitFor();
      await r.page.goto(`${base}/wissen/pruefung`);
      await r.page.getByRole("link", { name: title }).click();
      await r.page.getByRole("button", { name: "Veröffentlichen" }).click();
      await r.page.getByText("Es wartet nichts auf Prüfung.").waitFor();
      await b.page.goto(`${base}/wissen/eigene`);
      await b.page.getByRole("link", { name: title }).click();
      await b.page.getByRole("heading", { name: /Die Vorlage hat sich geändert/ }).waitFor();
      assert.match((await b.page.locator("ins").first().textContent()) ?? "", /^eingefügt: +einstimmig$/);
      await expectAccessible(b.page, "a copy whose origin changed");

      // Signed out, a network practice is not in the library.
      const anon = await open(javaScript);
      await anon.page.goto(`${base}/wissen?suche=${encodeURIComponent(title)}`);
      await anon.page.getByText("Keine Praxisbeispiele gefunden.").waitFor();
      await expectAccessible(anon.page, "/wissen signed out");
      for (const c of [a, r, b, anon]) await c.context.close();
    });
  });
}
