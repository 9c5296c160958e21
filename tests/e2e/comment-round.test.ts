import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { createTenantFixture, createUserFixture } from "../helpers/app.ts";
import { browserStage, expectAccessible, openPage, signInInBrowser } from "./browser.ts";

/*
 * A comment round in Chromium, with and without JavaScript: an admin opens a round on the strategy
 * draft for an invited group; a member of the group comments without an account (forgetting the
 * part first); the admin approves the comment and ends the round with what changed; the group's
 * page shows the comment and the summary. axe checks every page.
 */

const stage = browserStage();

for (const javaScript of [true, false]) {
  describe(`a comment round in Chromium, JavaScript ${javaScript ? "on" : "off"}`, () => {
    test("opened, commented by an invited group, moderated, ended with what changed", async () => {
      const { env, base, browser } = stage;
      const municipality = await createTenantFixture(env, { name: `Beteiligungsstadt ${javaScript ? "A" : "B"}` });
      const admin = await createUserFixture(env, [{ tenantId: municipality.id, role: "municipal_admin" }], { totp: true });
      const { page } = await openPage(browser, javaScript);
      await signInInBrowser(page, base, admin, env);
      await page.goto(`${base}/wissen/strategie/bearbeiten`);
      await page.getByLabel("Ziele").fill("Jede Anfeindung wird gemeldet.");
      await page.getByRole("button", { name: "Als neue Version speichern" }).click();
      await page.getByRole("link", { name: "Kommentierungsrunden" }).click();
      await expectAccessible(page, "/wissen/strategie/runden");
      await page.getByLabel("Eingeladene Gruppen").fill("Migrantenorganisationen");
      await page.getByRole("button", { name: "Runde öffnen" }).click();
      const link = ((await page.locator('[data-reveal="Migrantenorganisationen"]').textContent()) ?? "").replace("http://localhost:3000", base);
      await expectAccessible(page, "a round just opened, with its links");

      const member = await openPage(browser, javaScript);
      await member.page.goto(link);
      await member.page.getByText("lädt die Gruppe „Migrantenorganisationen“ ein", { exact: false }).waitFor();
      await expectAccessible(member.page, "the group's page");
      await member.page.getByLabel("Ihr Kommentar").fill("Bitte nennen Sie die Beratungsstellen.");
      await member.page.getByRole("button", { name: "Kommentar senden" }).click();
      await member.page.getByRole("alert").waitFor();
      assert.equal(await member.page.getByLabel("Ihr Kommentar").inputValue(), "Bitte nennen Sie die Beratungsstellen.", "the words are kept");
      await expectAccessible(member.page, "the group's page with an error");
      await member.page.getByLabel("Zu welchem Teil?").selectOption("goals");
      await member.page.getByRole("button", { name: "Kommentar senden" }).click();
      await member.page.getByText("Ihr Kommentar ist eingegangen", { exact: false }).waitFor();

      await page.goto(`${base}/wissen/strategie/runden`);
      await page.getByRole("link", { name: /Kommentierung des Entwurfs/ }).click();
      await page.getByText("Bitte nennen Sie die Beratungsstellen.").waitFor();
      await expectAccessible(page, "a round with a comment waiting");
      await page.getByRole("button", { name: "Freigeben" }).click();
      await page.getByText("Der Kommentar ist freigegeben", { exact: false }).waitFor();
      await page.getByLabel("Was haben Sie aufgrund der Kommentare geändert?").fill("Die Beratungsstellen sind jetzt genannt.");
      await page.getByRole("button", { name: "Runde mit dieser Zusammenfassung beenden" }).click();
      await page.getByText("Die Runde ist beendet", { exact: false }).waitFor();
      await expectAccessible(page, "an ended round");

      await member.page.goto(link);
      await member.page.getByText("Die Beratungsstellen sind jetzt genannt.").waitFor();
      await member.page.getByText("Bitte nennen Sie die Beratungsstellen.").waitFor();
      await expectAccessible(member.page, "the group's page after the end");
    });
  });
}
