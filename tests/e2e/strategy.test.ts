import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { createTenantFixture, createUserFixture } from "../helpers/app.ts";
import { browserStage, expectAccessible, openPage, signInInBrowser } from "./browser.ts";

/*
 * The strategy concept and its action plan in Chromium, with and without JavaScript: an admin
 * writes the concept (an empty one is refused), saves a second version, compares the two,
 * publishes for the network and plans a measure (a wrong date is refused); the staff of another
 * municipality read the published concept. axe checks every page.
 */

const stage = browserStage();

for (const javaScript of [true, false]) {
  describe(`the strategy concept in Chromium, JavaScript ${javaScript ? "on" : "off"}`, () => {
    test("written, versioned, compared, published, planned; read by another municipality", async () => {
      const { env, base, browser } = stage;
      const suffix = javaScript ? "A" : "B";
      const municipality = await createTenantFixture(env, { name: `Strategiestadt ${suffix}` });
      const other = await createTenantFixture(env, { name: `Nachbargemeinde ${suffix}` });
      const admin = await createUserFixture(env, [{ tenantId: municipality.id, role: "municipal_admin" }], { totp: true });
      const reader = await createUserFixture(env, [{ tenantId: other.id, role: "staff" }]);
      const { page } = await openPage(browser, javaScript);
      await signInInBrowser(page, base, admin, env);
      await page.goto(`${base}/wissen`);
      await page.getByRole("link", { name: "Strategiekonzept", exact: true }).click();
      await page.getByRole("heading", { level: 1, name: "Strategiekonzept" }).waitFor();
      await expectAccessible(page, "/wissen/strategie before the first version");
      await page.getByRole("link", { name: "Strategiekonzept beginnen" }).click();
      await page.getByRole("button", { name: "Als neue Version speichern" }).click();
      await page.getByRole("alert").waitFor();
      await expectAccessible(page, "/wissen/strategie/bearbeiten with an error");
      await page.getByLabel("Ausgangslage").fill("Beschäftigte des Bürgerbüros wurden mehrfach beleidigt.");
      await page.getByLabel("Ziele").fill("Jede Anfeindung wird gemeldet.");
      await page.getByLabel("Was haben Sie geändert?").fill("Erster Entwurf");
      await page.getByRole("button", { name: "Als neue Version speichern" }).click();
      await page.getByText("Das Strategiekonzept ist als neue Version gespeichert.").waitFor();
      await expectAccessible(page, "/wissen/strategie with version 1");

      await page.getByRole("link", { name: "Strategiekonzept bearbeiten" }).click();
      await page.getByLabel("Ziele").fill("Jede Anfeindung wird gemeldet und besprochen.");
      await page.getByLabel("Was haben Sie geändert?").fill("Ziele geschärft");
      await page.getByRole("button", { name: "Als neue Version speichern" }).click();
      await page.getByText("Version 2 vom", { exact: false }).first().waitFor();
      await page.getByRole("button", { name: "Vergleichen" }).click();
      await page.getByRole("heading", { level: 1, name: "Version 1 und Version 2 im Vergleich" }).waitFor();
      assert.match((await page.locator("ins").first().textContent()) ?? "", /und besprochen/);
      await expectAccessible(page, "the comparison");

      await page.getByRole("link", { name: "Zum Strategiekonzept" }).click();
      await page.getByLabel("Im Netzwerk der Kommunen").check();
      await page.getByRole("button", { name: "Veröffentlichen" }).click();
      await page.getByText("Die Version ist veröffentlicht.").waitFor();

      await page.getByRole("link", { name: "Maßnahmenplan", exact: true }).click();
      await expectAccessible(page, "/wissen/strategie/massnahmen, empty");
      await page.getByRole("link", { name: "Maßnahme hinzufügen" }).click();
      await page.getByLabel("Maßnahme", { exact: true }).fill("Notfallkarte an alle Arbeitsplätze");
      await page.getByLabel("Ziel", { exact: true }).fill("Sicher melden");
      await page.getByLabel("Zuständige Stelle").fill("Hauptamt");
      await page.getByLabel("Frist").fill("");
      await page.getByRole("button", { name: "Maßnahme speichern" }).click();
      await page.getByRole("alert").waitFor();
      await expectAccessible(page, "the measure's form with an error");
      await page.getByLabel("Frist").fill("2027-01-15");
      await page.getByRole("button", { name: "Maßnahme speichern" }).click();
      await page.getByText("0 von 1 Maßnahmen erledigt (0 %)", { exact: false }).waitFor();
      await expectAccessible(page, "/wissen/strategie/massnahmen with a measure");

      const r = await openPage(browser, javaScript);
      await signInInBrowser(r.page, base, reader, env);
      await r.page.goto(`${base}/wissen/strategien`);
      await r.page.getByRole("link", { name: new RegExp(`Strategiestadt ${suffix}`) }).click();
      await r.page.getByText("Jede Anfeindung wird gemeldet und besprochen.").waitFor();
      await expectAccessible(r.page, "another municipality's published concept");
    });
  });
}
