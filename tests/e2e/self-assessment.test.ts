import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { ALL_QUESTIONS, recordAssessment } from "../../src/modules/knowledge/assessment.ts";
import { createTenantFixture, createUserFixture } from "../helpers/app.ts";
import { browserStage, expectAccessible, openPage, signInInBrowser } from "./browser.ts";

/*
 * The self-assessment in Chromium, with and without JavaScript: a municipality's admin answers
 * the questionnaire, forgets one statement and is led to it, saves, and reads the result as a
 * chart and a table holding the same figures, beside the median of the model municipalities;
 * the national level sees the medians. axe checks every page.
 */

// Five model municipalities have taken part, so that their median shows.
const stage = browserStage(async (env) => {
  for (let i = 0; i < 5; i++) {
    const peer = await createTenantFixture(env, { kind: "model", name: `Vergleichsstadt ${i}` });
    const level = i % 4;
    await recordAssessment(env.platform, peer.id, null, Object.fromEntries(ALL_QUESTIONS.map((q) => [q.field, level])), env.clock.now());
  }
});

for (const javaScript of [true, false]) {
  describe(`the self-assessment in Chromium, JavaScript ${javaScript ? "on" : "off"}`, () => {
    test("answered, a forgotten statement found, saved; chart and table agree; the national level sees the medians", async () => {
      const { env, base, browser } = stage;
      const municipality = await createTenantFixture(env, { name: `Netzwerkgemeinde Selbstcheck ${javaScript ? "A" : "B"}` });
      const admin = await createUserFixture(env, [{ tenantId: municipality.id, role: "municipal_admin" }], { totp: true });
      const { page } = await openPage(browser, javaScript);
      await signInInBrowser(page, base, admin, env);
      await page.goto(`${base}/wissen`);
      await page.getByRole("link", { name: "Selbstcheck" }).click();
      await page.getByRole("heading", { level: 1, name: "Selbstcheck" }).waitFor();
      await expectAccessible(page, "/wissen/selbstcheck before the first round");
      await page.getByRole("link", { name: "Selbstcheck ausfüllen" }).click();
      await page.getByRole("heading", { level: 1, name: "Selbstcheck ausfüllen" }).waitFor();
      await expectAccessible(page, "/wissen/selbstcheck/neu");

      // Every statement answered "Größtenteils", except the emergency card, forgotten.
      const groups = page.locator("fieldset");
      const count = await groups.count();
      assert.equal(count, ALL_QUESTIONS.length);
      for (let i = 0; i < count; i++) {
        const group = groups.nth(i);
        if (((await group.locator("legend").textContent()) ?? "").startsWith("Eine Notfallkarte")) continue;
        await group.getByLabel("Größtenteils").check();
      }
      await page.getByRole("button", { name: "Selbstcheck speichern" }).click();
      const alert = page.getByRole("alert");
      await alert.waitFor();
      await expectAccessible(page, "/wissen/selbstcheck/neu with an error");
      assert.equal(await page.locator("input[type=radio]:checked").count(), ALL_QUESTIONS.length - 1, "the answers given are kept");
      await alert.getByRole("link", { name: /Eine Notfallkarte/ }).click();
      const card = page.getByRole("group", { name: /Eine Notfallkarte/ });
      await card.getByLabel("Nein").check();
      await page.getByRole("button", { name: "Selbstcheck speichern" }).click();
      await page.getByText("Der Selbstcheck ist gespeichert.").waitFor();
      await expectAccessible(page, "/wissen/selbstcheck with results");

      // The chart's bars and the table's cells hold the same figures.
      const bars = await page
        .locator("svg rect[data-series]")
        .evaluateAll((rects) =>
          rects.map((r) => `${r.getAttribute("data-series")}/${r.getAttribute("data-dimension")}=${r.getAttribute("data-value")}`).sort(),
        );
      const cells = await page
        .locator("#assessment-table td[data-series]")
        .evaluateAll((tds) => tds.map((td) => `${td.getAttribute("data-series")}/${td.getAttribute("data-dimension")}=${td.textContent}`).sort());
      assert.deepEqual(bars, cells);
      assert.ok(cells.includes("own-0/alliance=44"), "two of three statements largely, one not: 4 of 9 points");
      assert.ok(cells.includes("model/strategy=33"), "the model municipalities' median");
      await page.getByRole("link", { name: "Praxisbeispiele zu „Allianz“" }).click();
      await page.getByRole("heading", { level: 1, name: "Praxisbeispiele" }).waitFor();
      assert.equal(await page.getByLabel("Handlungsfeld").inputValue(), "alliance");
      await page.goBack();
      await page.getByRole("link", { name: /^Selbstcheck vom / }).click();
      await page.getByRole("heading", { level: 1, name: /^Selbstcheck vom / }).waitFor();
      await expectAccessible(page, "one self-assessment");

      const national = await createUserFixture(env, [{ tenantId: env.platform.nationalTenant.id, role: "national_admin" }], { totp: true });
      const n = await openPage(browser, javaScript);
      await signInInBrowser(n.page, base, national, env);
      await n.page.goto(`${base}/wissen/selbstcheck`);
      await n.page.getByRole("table", { name: "Punkte je Handlungsfeld" }).waitFor();
      await expectAccessible(n.page, "/wissen/selbstcheck at the national level");
    });
  });
}
