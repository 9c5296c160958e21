import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { Browser } from "playwright-core";
import { createReport } from "../../src/modules/reports/commands.ts";
import { Agent, createTenantFixture, createTestEnv, createUserFixture, type TenantFixture, type TestEnv, type UserFixture } from "../helpers/app.ts";
import { expectAccessible, launchBrowser, openPage, serve, signInInBrowser } from "./browser.ts";

/*
 * The case file's pages in Chromium, with and without JavaScript, axe on each: an admin previews a
 * change of the clearing procedure and looks at retention; the officer notes a call, holds a case
 * from deletion and prepares a dossier; the leader reads what the person shares with them.
 */

let env: TestEnv;
let browser: Browser;
let base: string;
let tenant: TenantFixture;
let officer: UserFixture;
let admin: UserFixture;
let leader: UserFixture;
let number = "";

before(async () => {
  env = await createTestEnv("pglite");
  tenant = await createTenantFixture(env, { name: "Musterstadt", slug: "musterstadt" });
  officer = await createUserFixture(env, [{ tenantId: tenant.id, role: "clearing_officer" }], { totp: true, displayName: "Jona Clearing" });
  admin = await createUserFixture(env, [{ tenantId: tenant.id, role: "municipal_admin" }], { totp: true, displayName: "Ada Admin" });
  leader = await createUserFixture(env, [{ tenantId: tenant.id, role: "leader" }], { totp: true, displayName: "Lea Leitung" });
  number = (
    await createReport(env.platform, tenant, {
      answers: { mode: "confidential", contactName: "Kim K.", description: "Drohanrufe im Bürgerbüro.", forms: ["threat"] } as never,
      lang: "de",
      channel: "web",
    })
  ).caseNumber;
  await env.platform.domainEvents.idle();
  const a = new Agent(env.app);
  env.clock.advance(30_000);
  await a.signIn(officer, env.clock);
  await a.get(`/faelle/${number}`);
  await a.post(`/faelle/${number}/zuweisung`, { assignee: officer.id });
  await a.post(`/faelle/${number}/massnahmen`, { measure: "strafantrag", entitled: "superior", fromOn: "2026-11-24", ownerId: "", dueOn: "", note: "" });
  await a.post(`/faelle/${number}/fuehrung`, {
    shareLeaderId: leader.id,
    shareSummary: "Frau K. erhält Drohanrufe und bittet um einen Strafantrag der Behördenleitung.",
    shareValidUntil: "2027-05-31",
    shareConsent: "phone",
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
  describe(`the case file's pages in Chromium, JavaScript ${javaScript ? "on" : "off"}`, () => {
    test("procedure and retention for the admin; notes, a hold and the dossier for the officer; the leader's view", async () => {
      const ad = await open(javaScript);
      await signInInBrowser(ad.page, base, admin, env);
      await ad.page.getByRole("navigation", { name: "Hauptnavigation" }).getByRole("link", { name: "Clearingverfahren" }).click();
      await expectAccessible(ad.page, "the clearing procedure");
      await ad.page.getByLabel("Erste Reaktion binnen (Stunden)").fill("12");
      await ad.page.getByRole("button", { name: "Vorschau zeigen" }).click();
      await ad.page.getByText("Erste Reaktion binnen 12 Stunden").first().waitFor();
      await expectAccessible(ad.page, "the procedure's preview");
      await ad.page.getByRole("link", { name: "Aufbewahrung und Löschung" }).click();
      await ad.page.getByText("Beim nächsten Lauf wird nichts gelöscht.").waitFor();
      await expectAccessible(ad.page, "retention");
      await ad.context.close();

      const of = await open(javaScript);
      await signInInBrowser(of.page, base, officer, env);
      await of.page.goto(`${base}/faelle/${number}`);
      await of.page.getByLabel("Neue Notiz").fill(`Rückruf bei Frau K. (${javaScript ? "mit" : "ohne"} JavaScript)`);
      await of.page.getByRole("button", { name: "Notiz speichern" }).click();
      await of.page.getByText("Die Notiz ist gespeichert.").waitFor();
      await of.page.getByText("Löschung sperren").click();
      await of.page.getByLabel("Grund", { exact: true }).fill("Ermittlungsverfahren läuft");
      await of.page.getByLabel("Gesperrt bis einschließlich").fill("2028-12-31");
      await of.page.getByRole("button", { name: "Sperre setzen" }).click();
      await of.page.getByText("Die Sperre ist gesetzt").waitFor();
      await expectAccessible(of.page, "a case with notes and a hold");
      await of.page.getByRole("link", { name: "Beweisdossier erstellen (PDF)" }).click();
      await expectAccessible(of.page, "the dossier's form");
      await of.page.getByLabel("Für wen?").selectOption("police");
      const download = of.page.waitForEvent("download");
      await of.page.getByRole("button", { name: "PDF erstellen" }).click();
      assert.match((await download).suggestedFilename(), new RegExp(`dossier-${number}\\.pdf`));
      await of.context.close();

      const le = await open(javaScript);
      await signInInBrowser(le.page, base, leader, env);
      await le.page.getByRole("navigation", { name: "Hauptnavigation" }).getByRole("link", { name: "Geteilte Fälle" }).click();
      await le.page.waitForURL(/\/fuehrung$/);
      await expectAccessible(le.page, "the leader's shared cases");
      await le.page.getByRole("link", { name: number }).click();
      await le.page.getByText("bittet um einen Strafantrag der Behördenleitung").waitFor();
      assert.equal(await le.page.getByText("Drohanrufe im Bürgerbüro").count(), 0, "not the report");
      await expectAccessible(le.page, "a shared case for the leader");
      await le.context.close();
    });
  });
}
