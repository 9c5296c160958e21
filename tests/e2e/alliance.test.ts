import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { Browser } from "playwright-core";
import { seedDemoAlliance } from "../../src/modules/alliance/demo.ts";
import { createTenantFixture, createTestEnv, createUserFixture, type TestEnv, type UserFixture } from "../helpers/app.ts";
import { pdfPages, pdfText } from "../helpers/pdf.ts";
import { expectAccessible, launchBrowser, newContext, newNoScriptPage, serve, signInInBrowser } from "./browser.ts";

/*
 * The alliance in a real browser, with and without JavaScript: a municipal admin enters a partner
 * (correcting a wrong opening time on the way), and the emergency card shows it — in German and in
 * Arabic, right to left — one link from the municipality's page. The card of a full demo alliance
 * prints on one A4 page in every reporting language. axe checks every page.
 */

let env: TestEnv;
let browser: Browser;
let base: string;
let admin: UserFixture;

before(async () => {
  env = await createTestEnv("pglite");
  const tenant = await createTenantFixture(env, { name: "Musterstadt", slug: "musterstadt" });
  admin = await createUserFixture(env, [{ tenantId: tenant.id, role: "municipal_admin" }], {
    totp: true,
    email: "verwaltung@demo.example",
    displayName: "Kim Verwaltung",
  });
  await seedDemoAlliance(env.platform, {
    tenants: new Map([["musterstadt", { id: tenant.id, slug: tenant.slug, name: tenant.name, kind: tenant.kind }]]),
    users: new Map([["verwaltung@demo.example", admin.id]]),
  });
  base = await serve(env);
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await env?.close();
});

// Before the stories below add their partners: the demo alliance as a municipality starts with it.
test("the card of a whole alliance prints on one A4 page in each of the six languages", async () => {
  const context = await newContext(browser, { javaScript: true });
  const page = await context.newPage();
  for (const lang of ["de", "en", "tr", "ar", "uk", "ru"]) {
    await page.goto(`${base}/musterstadt/notfallkarte?sprache=${lang}`);
    const pdf = await page.pdf({ preferCSSPageSize: true });
    const pages = Number(/\/Count (\d+)/.exec(pdf.toString("latin1"))?.[1]);
    assert.equal(pages, 1, `one page in ${lang}`);
  }
  await context.close();
});

test("the card of a whole alliance is a one-page PDF in each of the six languages, with its contacts", async () => {
  for (const lang of ["de", "en", "tr", "ar", "uk", "ru"]) {
    const res = await fetch(`${base}/musterstadt/notfallkarte.pdf?sprache=${lang}`);
    assert.equal(res.headers.get("content-type"), "application/pdf");
    const pdf = Buffer.from(await res.arrayBuffer());
    assert.equal(pdfPages(pdf), 1, `one page in ${lang}`);
    const text = pdfText(pdf);
    for (const partner of ["Opferberatung", "110"]) assert.ok(text.includes(partner), `${partner} in ${lang}`);
  }
});

for (const javaScript of [true, false]) {
  describe(`the alliance in Chromium, JavaScript ${javaScript ? "on" : "off"}`, () => {
    test("an admin enters a partner, correcting a wrong time, and the card shows it in German and Arabic", async () => {
      const { context, page } = javaScript
        ? await (async () => {
            const c = await newContext(browser, { javaScript: true });
            return { context: c, page: await c.newPage() };
          })()
        : await newNoScriptPage(browser);
      const name = `Fachstelle Zuversicht ${javaScript ? "A" : "B"}`;
      await signInInBrowser(page, base, admin, env);
      await page.getByRole("link", { name: "Allianz", exact: true }).first().click();
      await page.getByRole("heading", { level: 1, name: "Allianz" }).waitFor();
      await expectAccessible(page, "/allianz");
      await page.getByRole("link", { name: "Partner eintragen" }).click();
      await expectAccessible(page, "/allianz/partner/neu");
      await page.getByLabel("Name der Organisation").fill(name);
      await page.getByLabel("Art", { exact: true }).selectOption("antidiscrimination");
      await page.getByLabel("Telefon").fill("030 23125 777");
      await page.getByLabel(/Montag, Zeitraum 1: von/).fill("14:00");
      await page.getByLabel(/Montag, Zeitraum 1: bis/).fill("10:00");
      await page.getByRole("checkbox", { name: "Nach einer Bedrohung" }).check();
      await page.getByRole("button", { name: "Speichern" }).click();

      const summary = page.getByRole("alert");
      await assert.doesNotReject(summary.getByRole("link", { name: /Das Ende muss nach dem Beginn liegen/ }).waitFor());
      await expectAccessible(page, "the form with an error");
      assert.equal(await page.getByLabel("Name der Organisation").inputValue(), name, "the name is kept");
      await page.getByLabel(/Montag, Zeitraum 1: bis/).fill("18:00");
      await page.getByRole("button", { name: "Speichern" }).click();
      await page.getByRole("heading", { level: 1, name }).waitFor();
      await expectAccessible(page, "a partner's page");
      assert.equal(await page.getByRole("link", { name: "030 23125777" }).getAttribute("href"), "tel:+493023125777");

      // Responsibilities: the partner is responsible for a level-2 threat at the first assessment.
      await page.goto(`${base}/allianz`);
      await page.getByRole("link", { name: "Zuständigkeiten" }).click();
      await page.getByRole("heading", { level: 1, name: "Zuständigkeiten" }).waitFor();
      await expectAccessible(page, "/allianz/zustaendigkeiten");
      await page.getByLabel("Phase").selectOption("assessment");
      await page.getByLabel("Form des Vorfalls").selectOption("threat");
      await page.getByLabel("Gefährdungsstufe").selectOption("2");
      await page.getByLabel("Rolle im Verfahren").selectOption("responsible");
      await page.getByLabel("Wer", { exact: true }).selectOption({ label: `Partner: ${name}` });
      await page.getByRole("button", { name: "Eintragen" }).click();
      await page.getByText("Die Zuständigkeit ist eingetragen.").waitFor();
      assert.ok(await page.getByRole("rowheader", { name }).first().isVisible(), "the line shows the partner");

      // Two more partners from a spreadsheet: a wrong row first, so nothing is imported until it is fixed.
      await page.goto(`${base}/allianz`);
      await page.getByRole("link", { name: "Partner aus einer Tabelle importieren" }).click();
      await expectAccessible(page, "/allianz/import");
      const sheet = (phone: string) =>
        Buffer.from(
          `Name;Art;Telefon;Notfallkarte\r\nTabellenstelle ${name};Opferberatung;030 23125 778;Beratung und Unterstützung\r\nZweite ${name};Mobile Beratung;${phone};\r\n`,
          "latin1",
        );
      await page.getByLabel("CSV-Datei").setInputFiles({ name: "partner.csv", mimeType: "text/csv", buffer: sheet("0") });
      await page.getByRole("button", { name: "Importieren" }).click();
      await page.getByRole("heading", { name: "Die Datei wurde nicht importiert" }).waitFor();
      assert.ok(await page.getByText(/Zeile 3, Spalte „Telefon“/).isVisible());
      await expectAccessible(page, "the import with a wrong row");
      await page.getByLabel("CSV-Datei").setInputFiles({ name: "partner.csv", mimeType: "text/csv", buffer: sheet("030 23125 779") });
      await page.getByRole("button", { name: "Importieren" }).click();
      await page.getByText("2 Partner sind importiert.").waitFor();
      assert.ok(await page.getByRole("link", { name: `Tabellenstelle ${name}` }).isVisible());

      await page.goto(`${base}/musterstadt`);
      await page.getByRole("link", { name: /Notfallkarte/ }).click();
      await page.getByRole("heading", { level: 1, name: "Notfallkarte Musterstadt" }).waitFor();
      await expectAccessible(page, "the emergency card");
      assert.ok(await page.getByText(name).first().isVisible());
      assert.equal(await page.getByRole("link", { name: "110" }).getAttribute("href"), "tel:110");
      await page.getByRole("link", { name: "العربية" }).click();
      await page.getByRole("heading", { level: 1, name: /بطاقة الطوارئ/ }).waitFor();
      assert.equal(await page.locator("html").getAttribute("dir"), "rtl");
      await expectAccessible(page, "the emergency card in Arabic");
      await context.close();
    });
  });
}

test("after one visit, the card opens on a phone without network", async () => {
  const context = await newContext(browser, { javaScript: true });
  const page = await context.newPage();
  await page.goto(`${base}/musterstadt/notfallkarte`);
  await page.evaluate(() => navigator.serviceWorker.ready.then(() => true));
  // Once the worker controls the card, a reload passes through it and is kept.
  await page.reload();
  await page.waitForFunction(() => !!navigator.serviceWorker.controller);
  await page.reload();
  await context.setOffline(true);
  await page.reload();
  await page.getByRole("heading", { level: 1, name: "Notfallkarte Musterstadt" }).waitFor();
  assert.equal(await page.getByRole("link", { name: "110" }).getAttribute("href"), "tel:110");
  await context.setOffline(false);
  await context.close();
});
