import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { Agent, createTenantFixture, createUserFixture } from "../helpers/app.ts";
import { browserStage, expectAccessible, openPage, signInInBrowser } from "./browser.ts";

/*
 * The anonymous staff survey in Chromium, with and without JavaScript: a municipality's admin
 * opens a survey and reads its link; a member of staff answers through it without an account
 * (sending nothing first is refused) and is thanked; once it has ended with five answers and more,
 * the admin reads the results. axe checks every page.
 */

const stage = browserStage();

for (const javaScript of [true, false]) {
  describe(`the staff survey in Chromium, JavaScript ${javaScript ? "on" : "off"}`, () => {
    test("opened, answered without an account, ended, read", async () => {
      const { env, base, browser } = stage;
      const municipality = await createTenantFixture(env, { name: `Befragungsgemeinde ${javaScript ? "A" : "B"}` });
      const admin = await createUserFixture(env, [{ tenantId: municipality.id, role: "municipal_admin" }], { totp: true });
      const a = await openPage(browser, javaScript);
      await signInInBrowser(a.page, base, admin, env);
      await a.page.goto(`${base}/wissen`);
      await a.page.getByRole("link", { name: "Befragung der Beschäftigten" }).click();
      await a.page.getByRole("heading", { level: 1, name: "Befragung der Beschäftigten" }).waitFor();
      await expectAccessible(a.page, "/wissen/befragungen");
      await a.page.getByLabel("Titel").fill("Befragung im Rathaus");
      await a.page.getByRole("button", { name: "Befragung öffnen" }).click();
      const link = ((await a.page.locator('[data-reveal="Link zur Befragung"]').textContent()) ?? "").replace("http://localhost:3000", base);
      await expectAccessible(a.page, "a survey just opened, with its link");

      // A member of staff answers, in a browser of their own and without an account.
      const s = await openPage(browser, javaScript);
      await s.page.goto(link);
      await s.page.getByText("Diese Befragung ist anonym.").waitFor();
      await expectAccessible(s.page, "the survey's form");
      await s.page.getByRole("button", { name: "Antworten absenden" }).click();
      await s.page.getByRole("alert").waitFor();
      await expectAccessible(s.page, "the survey's form with an error");
      await s.page
        .getByRole("group", { name: /rassistisch beleidigt/ })
        .getByLabel("Einmal")
        .check();
      await s.page
        .getByRole("group", { name: /an wen Sie sich/ })
        .getByLabel("Eher nein")
        .check();
      await s.page.getByRole("button", { name: "Antworten absenden" }).click();
      await s.page.getByText("Vielen Dank! Ihre Antworten sind gezählt.").waitFor();
      await expectAccessible(s.page, "thanked");

      // Five more answer; the admin ends the survey and reads the results.
      for (let i = 0; i < 5; i++) {
        const other = new Agent(env.app);
        const path = new URL(link).pathname;
        await other.get(path);
        assert.equal((await other.post(path, { racism: "never", knows: "yes" })).statusCode, 303);
      }
      await a.page.goto(`${base}/wissen/befragungen`);
      await a.page.getByRole("link", { name: "Befragung im Rathaus" }).click();
      await a.page.getByText("6 Antworten", { exact: false }).waitFor();
      await expectAccessible(a.page, "a running survey");
      await a.page.getByRole("button", { name: "Befragung jetzt beenden" }).click();
      await a.page.getByText("Die Befragung ist beendet.").waitFor();
      const racism = a.page.getByRole("table", { name: /rassistisch beleidigt/ });
      assert.equal(await racism.locator('td[data-option="once"]').textContent(), "weniger als 5", "one answer alone is withheld");
      assert.equal(await racism.locator('td[data-option="never"]').textContent(), "5");
      await expectAccessible(a.page, "a survey's results");
    });
  });
}
