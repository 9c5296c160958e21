import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import type { Browser } from "playwright-core";
import { createTenantFixture, createTestEnv, createUserFixture, type TestEnv, type UserFixture } from "../helpers/app.ts";
import { expectAccessible, launchBrowser, serve, signInInBrowser } from "./browser.ts";

/*
 * A municipal admin on a phone sends an open invitation again: the button pressed is the one
 * that acts (the small buttons of a row once lay on top of each other).
 */

let env: TestEnv;
let browser: Browser;
let base: string;
let admin: UserFixture;

before(async () => {
  env = await createTestEnv("pglite");
  const tenant = await createTenantFixture(env, { name: "Einladungsdorf", slug: "einladungsdorf" });
  admin = await createUserFixture(env, [{ tenantId: tenant.id, role: "municipal_admin" }], { totp: true });
  base = await serve(env);
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await env?.close();
});

test("on a phone, 'Erneut senden' sends the invitation again and 'Zurückziehen' withdraws it", async () => {
  const context = await browser.newContext({ viewport: { width: 360, height: 740 }, locale: "de-DE" });
  const page = await context.newPage();
  await signInInBrowser(page, base, admin, env);
  await page.goto(`${base}/verwaltung/kommunen/einladungsdorf/personen/einladen`);
  await page.getByLabel("Name").fill("Rike Beispiel");
  await page.getByLabel("E-Mail-Adresse").fill("rike.mit.einer.recht.langen.adresse@einladungsdorf.example");
  await page.getByLabel("Mitarbeiter:in").check();
  await page.getByRole("button", { name: "Einladung senden" }).click();
  await page.getByRole("heading", { name: "Offene Einladungen" }).waitFor();
  assert.ok((await page.evaluate(() => document.documentElement.scrollWidth)) <= 360, "nothing scrolls sideways");
  await expectAccessible(page, "people with an open invitation");
  await page.getByRole("button", { name: /^Erneut senden/ }).click();
  await page.getByText("ist neu verschickt").waitFor();
  await page.getByRole("button", { name: /^Zurückziehen/ }).click();
  await page.getByText("Die Einladung ist zurückgezogen").waitFor();
  await context.close();
});
