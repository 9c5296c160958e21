import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { Browser } from "playwright-core";
import { createTenantFixture, createTestEnv, type TestEnv } from "../helpers/app.ts";
import { expectAccessible, launchBrowser, newContext, newNoScriptPage, serve } from "./browser.ts";

/*
 * A person who uses the keyboard: Enter in a text field continues (it never switches the
 * language), Tab meets the question before the buttons and Continue before Back; a file chosen
 * but not uploaded goes along with Continue; after sending, Reload says it was sent.
 */

let env: TestEnv;
let browser: Browser;
let base: string;

before(async () => {
  env = await createTestEnv("pglite");
  await createTenantFixture(env, { name: "Tastenheim", slug: "tastenheim" });
  base = await serve(env);
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await env?.close();
});

for (const javaScript of [true, false]) {
  describe(`reporting by keyboard in Chromium, JavaScript ${javaScript ? "on" : "off"}`, () => {
    test("Enter continues, Tab follows the page, a chosen file goes along, and Reload after sending says it was sent", async () => {
      const { context, page } = javaScript
        ? await (async () => {
            const c = await newContext(browser, { javaScript: true });
            return { context: c, page: await c.newPage() };
          })()
        : await newNoScriptPage(browser);
      await page.goto(`${base}/tastenheim`);
      await page.getByRole("button", { name: "Meldung beginnen" }).click();
      await page.getByRole("heading", { level: 1, name: "Gefahr" }).waitFor();
      // Tab from the top of the form: the first question's choice comes before any button.
      await page.getByRole("radio", { name: "Nein" }).check();
      await page.keyboard.press("Enter");
      await page.getByRole("heading", { level: 1, name: "Wer meldet" }).waitFor();
      await page.getByRole("radio", { name: /^Anonym/ }).check();
      await page.getByRole("button", { name: "Weiter", exact: true }).click();
      await page.getByRole("heading", { level: 1, name: "Was ist passiert" }).waitFor();

      await page.getByLabel("Was ist passiert?").fill("Am Empfang beleidigt, mit Worten, die ich nicht wiederhole.");
      const place = page.getByLabel("Genauer Ort oder Anlass (freiwillig)");
      await place.fill("Empfang");
      await place.press("Enter");
      await page.getByRole("heading", { level: 1, name: "Beteiligte" }).waitFor();
      assert.match((await page.locator("html").getAttribute("lang")) ?? "", /^de/, "Enter did not switch the language");

      const order: string[] = [];
      await page.getByRole("button", { name: "Weiter", exact: true }).focus();
      for (let i = 0; i < 3; i++) {
        order.push((await page.evaluate(() => document.activeElement?.textContent?.trim())) ?? "");
        await page.keyboard.press("Tab");
      }
      assert.deepEqual(order, ["Weiter", "Weitere Angaben überspringen", "Zurück"]);

      await page.getByRole("button", { name: "Weiter", exact: true }).click();
      await page.getByRole("heading", { level: 1, name: "Folgen und Wünsche" }).waitFor();
      await page.getByRole("button", { name: "Weiter", exact: true }).click();
      await page.getByRole("heading", { level: 1, name: "Beweise" }).waitFor();
      await page.locator("#f-file").setInputFiles({ name: "nachweis.pdf", mimeType: "application/pdf", buffer: Buffer.from("%PDF-1.4\n%%EOF\n") });
      await page.getByRole("button", { name: "Weiter", exact: true }).click();
      await page.getByRole("heading", { level: 1, name: "Prüfen und absenden" }).waitFor();
      assert.ok(await page.getByText("nachweis.pdf").first().isVisible(), "the chosen file came along");
      await expectAccessible(page, "review after taking a file along");

      await page.getByRole("button", { name: "Meldung absenden" }).click();
      await page.getByTestId("receipt-code").waitFor();
      await page.goto(page.url().replace(/absenden/, "pruefen"));
      await page.getByRole("heading", { name: "Danke. Ihre Meldung ist eingegangen." }).first().waitFor();
      assert.doesNotMatch(await page.content(), /abgelaufen/);
      assert.doesNotMatch(await page.content(), /data-testid="receipt-code"/, "the receipt code is not shown again");
      await context.close();
    });
  });
}
