import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { Agent, createTenantFixture, createUserFixture } from "../helpers/app.ts";
import { browserStage, expectAccessible, openPage, signInInBrowser } from "./browser.ts";

/*
 * The live poll in Chromium, with and without JavaScript: a leader starts it and projects it; a
 * person votes on a phone-sized page without an account; with JavaScript the projected count
 * follows the votes by itself, without it a reload shows it; the leader closes the poll and the
 * result shows. axe checks every page.
 */

const stage = browserStage();

for (const javaScript of [true, false]) {
  describe(`the live poll in Chromium, JavaScript ${javaScript ? "on" : "off"}`, () => {
    test("started, projected, voted on a phone, closed, its result shown", async () => {
      const { env, base, browser } = stage;
      const municipality = await createTenantFixture(env, { name: `Ratsstadt ${javaScript ? "A" : "B"}` });
      const leader = await createUserFixture(env, [{ tenantId: municipality.id, role: "leader" }]);
      const { page } = await openPage(browser, javaScript);
      await signInInBrowser(page, base, leader, env);
      await page.goto(`${base}/wissen`);
      await page.getByRole("link", { name: "Live-Abstimmungen" }).click();
      await expectAccessible(page, "/wissen/abstimmungen");
      await page.getByLabel("Frage").fill("Soll der Rat eine Erklärung beschließen?");
      await page.getByLabel("Antworten").fill("Ja\nNein\nEnthaltung");
      await page.getByRole("button", { name: "Abstimmung starten" }).click();
      await page.getByRole("img", { name: /QR-Code zur Abstimmung/ }).waitFor();
      await expectAccessible(page, "a running poll");
      const link = ((await page.locator("#poll-link").textContent()) ?? "").replace("http://localhost:3000", base);
      await page.getByRole("link", { name: "Anzeige für den Beamer öffnen" }).click();
      await page.getByText("0 Stimmen").waitFor();
      await expectAccessible(page, "the projection");

      const phone = await openPage(browser, javaScript);
      await phone.page.setViewportSize({ width: 375, height: 740 });
      await phone.page.goto(link);
      await phone.page.getByText("Ihre Stimme ist anonym", { exact: false }).waitFor();
      await expectAccessible(phone.page, "the vote page");
      await phone.page.getByLabel("Ja", { exact: true }).check();
      await phone.page.getByRole("button", { name: "Abstimmen" }).click();
      await phone.page.getByText("Danke! Ihre Stimme ist gezählt.").waitFor();
      await expectAccessible(phone.page, "voted");

      // With JavaScript the projected count follows by itself; without, a reload shows it.
      if (!javaScript) await page.getByRole("link", { name: "Anzeige aktualisieren" }).click();
      await page.getByText("1 Stimme", { exact: true }).waitFor({ timeout: 10_000 });

      for (let i = 0; i < 9; i++) {
        const voter = new Agent(env.app);
        const path = new URL(link).pathname;
        await voter.get(path);
        assert.equal((await voter.post(path, { answer: i < 5 ? "0" : "1" })).statusCode, 303);
      }
      await page.getByRole("link", { name: "Zur Abstimmung" }).click();
      await page.getByRole("button", { name: "Abstimmung beenden" }).click();
      await page.getByText("Die Abstimmung ist beendet.").waitFor();
      const result = page.getByRole("table", { name: "Ergebnis" });
      assert.equal(await result.locator('td[data-position="0"]').textContent(), "6");
      assert.equal(await result.locator('td[data-position="1"]').textContent(), "weniger als 5", "four votes are withheld");
      await expectAccessible(page, "a closed poll with its result");
    });
  });
}
