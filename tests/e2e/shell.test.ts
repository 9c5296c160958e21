import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { Browser } from "playwright-core";
import { createTenantFixture, createTestEnv, createUserFixture, freshTotpCode, type TestEnv, type UserFixture } from "../helpers/app.ts";
import { expectAccessible, launchBrowser, newContext, newNoScriptPage, serve } from "./browser.ts";

/*
 * User stories in a real browser, once with JavaScript and once without: a national admin
 * signs in with a second factor, switches the language, and visits every page of the shell.
 * axe checks each page against WCAG 2.2 AA.
 */

let env: TestEnv;
let browser: Browser;
let base: string;
let admin: UserFixture;
let staff: UserFixture;
let tenantSlug: string;

before(async () => {
  env = await createTestEnv("pglite");
  const tenant = await createTenantFixture(env, { name: "Musterstadt", slug: "musterstadt" });
  tenantSlug = tenant.slug;
  admin = await createUserFixture(env, [{ tenantId: env.platform.nationalTenant.id, role: "national_admin" }], {
    totp: true,
    displayName: "Robin Bundesmuster",
  });
  staff = await createUserFixture(env, [{ tenantId: tenant.id, role: "staff" }], { displayName: "Sam Beispiel" });
  await createUserFixture(env, [{ tenantId: tenant.id, role: "clearing_officer" }], { totp: true, displayName: "Jona Clearing" });
  base = await serve(env);
  browser = await launchBrowser();
});

async function scriptedPage() {
  const context = await newContext(browser, { javaScript: true });
  return { context, page: await context.newPage() };
}

after(async () => {
  await browser?.close();
  await env?.close();
});

for (const javaScript of [true, false]) {
  describe(`the shell in Chromium, JavaScript ${javaScript ? "on" : "off"}`, () => {
    test("a national admin signs in with a second factor, switches language and visits every page", async () => {
      const { context, page } = javaScript ? await scriptedPage() : await newNoScriptPage(browser);
      const visit = async (path: string, heading: RegExp | string) => {
        await page.goto(base + path);
        await assert.doesNotReject(page.getByRole("heading", { level: 1, name: heading }).waitFor(), `heading on ${path}`);
        await expectAccessible(page, path);
      };

      await visit("/", /Niemand muss Anfeindungen allein bewältigen/);
      await page.getByRole("link", { name: "Anmelden", exact: true }).first().click();
      await expectAccessible(page, "/anmelden");

      // A failed attempt first: the error is announced and the address kept.
      await page.getByLabel("E-Mail-Adresse").fill(admin.email);
      await page.getByLabel("Passwort", { exact: true }).fill("falsch-falsch-falsch");
      await page.getByRole("button", { name: "Anmelden" }).click();
      await page.getByText("E-Mail-Adresse oder Passwort sind nicht richtig.").waitFor();
      assert.equal(await page.getByLabel("E-Mail-Adresse").inputValue(), admin.email);
      await expectAccessible(page, "sign-in with error");

      await page.getByLabel("Passwort", { exact: true }).fill(admin.password);
      await page.getByRole("button", { name: "Anmelden" }).click();
      await page.getByRole("heading", { level: 1, name: "Zweiter Faktor" }).waitFor();
      await expectAccessible(page, "/anmelden/zweiter-faktor");
      await page.getByLabel("Code").fill(freshTotpCode(admin.totpSecret as string, env.clock));
      await page.getByRole("button", { name: "Bestätigen" }).click();
      await page.getByRole("heading", { level: 1, name: "Guten Tag, Robin Bundesmuster" }).waitFor();
      await expectAccessible(page, "/start");

      const nav = page.getByRole("navigation", { name: "Hauptnavigation" });
      await nav.getByRole("link", { name: "Kommunen" }).click();
      await page.getByRole("heading", { level: 1, name: "Kommunen" }).waitFor();
      await expectAccessible(page, "/verwaltung/kommunen");

      // Add a municipality with a mistake first: errors are summarised and the input stays.
      await page.getByRole("link", { name: "Kommune anlegen" }).click();
      await page.getByLabel("Name", { exact: true }).fill("Entwurfsdorf");
      await page.getByLabel("Kurzname für Adressen").fill(`entwurfsdorf-${javaScript ? "js" : "nojs"}`);
      await page.getByLabel("Land", { exact: true }).selectOption({ label: "Hessen" });
      await page.getByLabel("Amtlicher Gemeindeschlüssel (AGS)").fill("0991");
      await page.getByLabel("Art").selectOption({ label: "Plattformkommune" });
      await page.getByRole("button", { name: "Speichern" }).click();
      const summary = page.getByRole("alert").filter({ hasText: "Bitte korrigieren Sie die folgenden Angaben" });
      await summary.waitFor();
      assert.equal(await page.getByLabel("Name", { exact: true }).inputValue(), "Entwurfsdorf");
      if (javaScript) {
        assert.equal(await summary.evaluate((el) => el === document.activeElement), true, "the error summary has focus");
      }
      await expectAccessible(page, "new municipality with errors");
      await page.getByLabel("Amtlicher Gemeindeschlüssel (AGS)").fill(javaScript ? "06991001" : "06991002");
      await page.getByRole("button", { name: "Speichern" }).click();
      await page.getByText("Entwurfsdorf wurde angelegt.").waitFor();

      await visit(`/verwaltung/kommunen/${tenantSlug}/personen`, "Personen in Musterstadt");
      await page.getByRole("link", { name: "Person einladen" }).click();
      await page.getByRole("heading", { level: 1, name: "Person nach Musterstadt einladen" }).waitFor();
      await expectAccessible(page, "invite form");
      await page.getByLabel("Name", { exact: true }).fill("Kai Einladung");
      await page.getByLabel("E-Mail-Adresse").fill(`kai-${javaScript ? "js" : "nojs"}@test.example`);
      await page.getByLabel("Führungskraft").check();
      await page.getByRole("button", { name: "Einladung senden" }).click();
      await page.getByText(/Die Einladung an .* ist verschickt/).waitFor();
      await expectAccessible(page, "people list after invitation");
      await page.getByRole("link", { name: /Rollen ändern\s*:\s*Sam Beispiel/ }).click();
      await page.getByRole("heading", { level: 1, name: "Sam Beispiel in Musterstadt" }).waitFor();
      await expectAccessible(page, "roles form");

      await visit("/verwaltung/protokoll", "Protokoll");
      assert.ok(await page.getByText(/Die Protokollkette ist unverändert/).isVisible());
      await visit("/verwaltung/postausgang", "Postausgang");
      assert.ok(await page.getByRole("heading", { name: "Einladung zu KommA – Musterstadt" }).first().isVisible());
      await visit("/konto", "Mein Konto");
      await visit("/konto/sitzungen", "Angemeldete Geräte");
      await visit("/konto/api-tokens", "API-Zugänge");
      await visit("/impressum", "Impressum");
      await visit("/datenschutz", "Datenschutzerklärung");
      await visit("/barrierefreiheit", "Erklärung zur Barrierefreiheit");
      await page.getByRole("button", { name: "Rückmeldung senden" }).click();
      await page.getByText("Bitte beschreiben Sie die Barriere.").first().waitFor();
      await expectAccessible(page, "accessibility feedback with error");
      await page.getByLabel("Beschreibung der Barriere").fill("Der Kontrast im Kopfbereich ist zu schwach.");
      await page.getByRole("button", { name: "Rückmeldung senden" }).click();
      await page.getByText("Danke für Ihre Rückmeldung.").waitFor();
      await visit("/api/docs", "API-Dokumentation");
      await page.goto(`${base}/gibt-es-nicht`);
      await page.getByRole("heading", { level: 1, name: "Seite nicht gefunden" }).waitFor();
      await expectAccessible(page, "404");

      // Switch to English and back: the page stays where it is.
      await page.goto(`${base}/konto`);
      await page.getByRole("link", { name: "English" }).click();
      await page.getByRole("heading", { level: 1, name: "My account" }).waitFor();
      assert.equal(new URL(page.url()).pathname, "/konto");
      assert.equal(await page.locator("html").getAttribute("lang"), "en");
      await expectAccessible(page, "/konto in English");
      await page.getByRole("navigation", { name: "Main navigation" }).getByRole("link", { name: "Municipalities" }).click();
      await page.getByRole("heading", { level: 1, name: "Municipalities" }).waitFor();
      await page.getByRole("link", { name: "Deutsch" }).click();
      await page.getByRole("heading", { level: 1, name: "Kommunen" }).waitFor();

      await page.getByRole("button", { name: "Abmelden" }).click();
      await page.getByText("Sie sind abgemeldet.").waitFor();
      await context.close();
    });

    test("a staff member without a second factor sees only their own pages", async () => {
      const { context, page } = javaScript ? await scriptedPage() : await newNoScriptPage(browser);
      await page.goto(`${base}/anmelden`);
      await page.getByLabel("E-Mail-Adresse").fill(staff.email);
      await page.getByLabel("Passwort", { exact: true }).fill(staff.password);
      await page.getByRole("button", { name: "Anmelden" }).click();
      await page.getByRole("heading", { level: 1, name: "Guten Tag, Sam Beispiel" }).waitFor();
      const links = await page.getByRole("navigation", { name: "Hauptnavigation" }).getByRole("link").allTextContents();
      assert.deepEqual(links, ["Start", "Allianz", "Wissen", "Trainings", "Benachrichtigungen", "Mein Konto"]);
      await page.goto(`${base}/verwaltung/kommunen`);
      await page.getByRole("heading", { level: 1, name: "Seite nicht gefunden" }).waitFor();
      await page.goto(`${base}/konto/zwei-faktor`);
      await page.getByRole("heading", { level: 1, name: "Zweiten Faktor einrichten" }).waitFor();
      await expectAccessible(page, "/konto/zwei-faktor");
      await page.goto(`${base}/passwort-vergessen`);
      await expectAccessible(page, "/passwort-vergessen");
      await context.close();
    });
  });
}

test("sent to sign in from a place in a page, a person lands at that place afterwards (with JavaScript)", async () => {
  const { context, page } = await scriptedPage();
  await page.goto(`${base}/konto/benachrichtigungen#einstellungen`);
  await page.getByRole("heading", { level: 1, name: "Anmelden" }).waitFor();
  await page.getByLabel("E-Mail-Adresse").fill(staff.email);
  await page.getByLabel("Passwort", { exact: true }).fill(staff.password);
  await page.getByRole("button", { name: "Anmelden" }).click();
  await page.waitForURL(/\/konto\/benachrichtigungen#einstellungen$/);
  await context.close();
});

test("the page glides to an anchor only where the person has not asked for less motion", async () => {
  const behaviour = async (reducedMotion: "reduce" | "no-preference") => {
    const context = await browser.newContext({ locale: "de-DE", reducedMotion });
    const page = await context.newPage();
    await page.goto(`${base}/anmelden`);
    const value = await page.evaluate(() => getComputedStyle(document.documentElement).scrollBehavior);
    await context.close();
    return value;
  };
  assert.equal(await behaviour("reduce"), "auto");
  assert.equal(await behaviour("no-preference"), "smooth");
});
