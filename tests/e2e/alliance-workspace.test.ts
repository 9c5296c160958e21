import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { Browser } from "playwright-core";
import { saveNationalEntry } from "../../src/modules/alliance/national.ts";
import { createTenantFixture, createTestEnv, createUserFixture, type TestEnv } from "../helpers/app.ts";
import { expectAccessible, launchBrowser, openPage, serve, signInInBrowser } from "./browser.ts";

/*
 * The alliance as a municipal admin builds it and a partner works in it, in Chromium with and
 * without JavaScript: two services from the national directory taken into the alliance, a
 * partner's person linked to their organisation and taken into the alliance's circle, a meeting
 * scheduled; the partner signs in with a second factor, sees only the workspace and their entry,
 * records attendance, minutes and a decision. axe checks every page.
 */

let env: TestEnv;
let browser: Browser;
let base: string;

before(async () => {
  env = await createTestEnv("pglite");
  const nationalAdmin = await createUserFixture(env, [{ tenantId: env.platform.nationalTenant.id, role: "national_admin" }], { totp: true });
  const national = { id: env.platform.nationalTenant.id, kind: "national" as const };
  const actor = { userId: nationalAdmin.id, memberships: [{ tenantId: national.id, role: "national_admin" as const }], nationalTenantId: national.id };
  const entry = { email: null, web: null, languages: ["de" as const], accessibility: "", hours: { alwaysOpen: true, slots: [] } };
  await saveNationalEntry(env.platform, actor, national, null, {
    ...entry,
    land: "bund",
    name: "Hilfetelefon Probe",
    kind: "helpline",
    services: "Bundesweit.",
    phone: "+493023125941",
  });
  await saveNationalEntry(env.platform, actor, national, null, {
    ...entry,
    land: "06",
    name: "Landesopferberatung Probe",
    kind: "victim_support",
    services: "Im Land.",
    phone: "+496990009741",
  });
  base = await serve(env);
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await env?.close();
});

const open = (javaScript: boolean) => openPage(browser, javaScript);

for (const javaScript of [true, false]) {
  describe(`the alliance workspace in Chromium, JavaScript ${javaScript ? "on" : "off"}`, () => {
    test("an admin builds the alliance from the national directory, a partner signs in and records a meeting", async () => {
      const tenant = await createTenantFixture(env);
      const admin = await createUserFixture(env, [{ tenantId: tenant.id, role: "municipal_admin" }], { totp: true, displayName: "Kim Verwaltung" });
      const partner = await createUserFixture(env, [{ tenantId: tenant.id, role: "alliance_partner" }], { totp: true, displayName: "Noa Beraterin" });

      const { context, page } = await open(javaScript);
      await signInInBrowser(page, base, admin, env);
      await page.goto(`${base}/allianz/bundesweit`);
      await page.getByRole("heading", { level: 1, name: "Bundesweites Verzeichnis der Hilfsangebote" }).waitFor();
      await expectAccessible(page, "/allianz/bundesweit");
      await page.getByRole("button", { name: /Übernehmen.*Hilfetelefon Probe/ }).click();
      await page.getByRole("heading", { level: 1, name: "Hilfetelefon Probe" }).waitFor();
      await page.goto(`${base}/allianz/bundesweit`);
      await page.getByRole("button", { name: /Übernehmen.*Landesopferberatung Probe/ }).click();
      await page.getByRole("heading", { level: 1, name: "Landesopferberatung Probe" }).waitFor();
      await expectAccessible(page, "a partner taken from the national directory");
      await page.getByLabel("Person mit der Rolle Allianzpartner").selectOption({ label: "Noa Beraterin" });
      await page.getByRole("button", { name: "Zugang zuordnen" }).click();
      await page.getByText("Der Zugang ist der Organisation zugeordnet.").waitFor();

      await page.goto(`${base}/allianz/arbeitsraum`);
      for (const name of ["Kim Verwaltung", "Noa Beraterin (Landesopferberatung Probe)"]) {
        await page.getByLabel("Kreis", { exact: true }).selectOption({ label: "Allianz" });
        await page.getByLabel("Person", { exact: true }).selectOption({ label: name });
        await page.getByRole("button", { name: "Aufnehmen" }).first().click();
        await page.getByText("Die Person ist aufgenommen.").waitFor();
      }
      await expectAccessible(page, "/allianz/arbeitsraum");
      await page.getByLabel("Titel", { exact: true }).fill("Allianztreffen Januar");
      await page.getByLabel("Datum").fill("2027-01-20");
      await page.getByLabel("Beginn").fill("16:00");
      await page.getByLabel("Ende").fill("18:00");
      await page.getByLabel("Ort", { exact: true }).fill("Rathaus, Saal 2");
      await page.getByRole("button", { name: "Sitzung anlegen" }).click();
      await page.getByRole("heading", { level: 1, name: "Allianztreffen Januar" }).waitFor();
      await context.close();

      const second = await open(javaScript);
      const p = second.page;
      await signInInBrowser(p, base, partner, env);
      await p.getByRole("link", { name: "Allianz", exact: true }).first().click();
      await p.getByRole("heading", { level: 1, name: "Arbeitsraum der Allianz" }).waitFor();
      const nav = await p.locator("nav.komma-nav a").allInnerTexts();
      assert.deepEqual(
        nav,
        ["Start", "Vermittlungen", "Allianz", "Benachrichtigungen", "Mein Konto"],
        "a partner's navigation: referrals and the workspace, nothing else",
      );
      await p.getByRole("link", { name: "Allianztreffen Januar" }).click();
      await p.getByRole("heading", { level: 1, name: "Allianztreffen Januar" }).waitFor();
      await expectAccessible(p, "a meeting");
      await p.getByRole("radio", { name: "Noa Beraterin (Landesopferberatung Probe) anwesend" }).check();
      await p.getByRole("radio", { name: "Kim Verwaltung entschuldigt" }).check();
      await p.getByLabel("Protokoll", { exact: true }).fill("Die Notfallkarte wird in allen Bürgerbüros ausgelegt.");
      await p.getByRole("button", { name: "Protokoll speichern" }).click();
      await p.getByText("Anwesenheit und Protokoll sind gespeichert.").waitFor();
      await p.getByLabel("Beschluss", { exact: true }).fill("Schulung für die Bürgerbüros planen.");
      await p.getByLabel("Verantwortlich").selectOption({ label: "Noa Beraterin (Landesopferberatung Probe)" });
      await p.getByLabel("Zu erledigen bis").fill("2027-03-01");
      await p.getByRole("button", { name: "Beschluss speichern" }).click();
      await p.getByText("Der Beschluss ist festgehalten.").waitFor();
      assert.ok(await p.getByText("Schulung für die Bürgerbüros planen.").isVisible());
      await expectAccessible(p, "a meeting with minutes and a decision");
      const directory = await p.goto(`${base}/allianz`);
      assert.equal(directory?.status(), 404, "the directory is not for partners");
      await second.context.close();
    });
  });
}
