import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { Browser } from "playwright-core";
import { savePartner } from "../../src/modules/alliance/commands.ts";
import { linkPartnerAccount } from "../../src/modules/alliance/partner-accounts.ts";
import { partnerInput } from "../../src/modules/alliance/schemas.ts";
import { createReport } from "../../src/modules/reports/commands.ts";
import { createTenantFixture, createTestEnv, createUserFixture, type TenantFixture, type TestEnv, type UserFixture } from "../helpers/app.ts";
import { expectAccessible, launchBrowser, openPage, serve, signInInBrowser } from "./browser.ts";

/*
 * The clearing office in a real browser, with and without JavaScript: an officer finds an
 * anonymous threat in the inbox by a filter, triages it to level 2 (the proposal first, then the
 * level), adds a Strafantrag whose deadline shows at once, refers the case to a partner with the
 * person's consent (given in Arabic, then revoked: the partner's next look finds nothing), and the
 * leader finds the alarm in the notification centre. The Strafantrag filed, the officer asks to
 * close; a second officer releases it; the person gives feedback in Arabic. axe checks every page.
 */

let env: TestEnv;
let browser: Browser;
let base: string;
let tenant: TenantFixture;
let officer: UserFixture;
let second: UserFixture;
let leader: UserFixture;
let partner: UserFixture;

before(async () => {
  env = await createTestEnv("pglite");
  tenant = await createTenantFixture(env, { name: "Musterstadt", slug: "musterstadt" });
  officer = await createUserFixture(env, [{ tenantId: tenant.id, role: "clearing_officer" }], { totp: true, displayName: "Jona Clearing" });
  second = await createUserFixture(env, [{ tenantId: tenant.id, role: "clearing_officer" }], { totp: true, displayName: "Luca Zweitsicht" });
  leader = await createUserFixture(env, [{ tenantId: tenant.id, role: "leader" }], { displayName: "Alex Leitung" });
  partner = await createUserFixture(env, [{ tenantId: tenant.id, role: "alliance_partner" }], { totp: true, displayName: "Helga Morgenrot" });
  const admin = await createUserFixture(env, [{ tenantId: tenant.id, role: "municipal_admin" }], { totp: true });
  const adminActor = {
    userId: admin.id,
    memberships: [{ tenantId: tenant.id, role: "municipal_admin" as const }],
    nationalTenantId: env.platform.nationalTenant.id,
  };
  const partnerId = await savePartner(env.platform, adminActor, tenant, null, {
    ...partnerInput.parse({
      name: "Beratungsstelle Morgenrot",
      kind: "victim_support",
      services: "",
      phone: "",
      email: "",
      web: "",
      region: "",
      accessibility: "",
      languages: [],
      cardSituations: [],
    }),
    hours: { alwaysOpen: false, slots: [] },
  });
  await linkPartnerAccount(env.platform, adminActor, tenant, partnerId, partner.id, true);
  base = await serve(env);
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await env?.close();
});

const open = (javaScript: boolean) => openPage(browser, javaScript);

for (const javaScript of [true, false]) {
  describe(`the clearing office in Chromium, JavaScript ${javaScript ? "on" : "off"}`, () => {
    test("triage to level 2, a Strafantrag with its deadline, a consented referral revoked, the leader alarmed, four-eyes closure, feedback", async () => {
      const { caseNumber, receiptCode } = await createReport(env.platform, tenant, {
        answers: { mode: "anonymous", description: "Ein Drohbrief nennt meine Wohnadresse.", forms: ["threat"], motives: ["racist"] } as never,
        lang: "de",
        channel: "web",
      });
      await createReport(env.platform, tenant, {
        answers: { mode: "anonymous", description: "Beleidigung im Ratsinformationssystem.", forms: ["insult"], motives: ["other"] } as never,
        lang: "de",
        channel: "web",
      });
      const { context, page } = await open(javaScript);
      await signInInBrowser(page, base, officer, env);

      await page.goto(`${base}/faelle`);
      await expectAccessible(page, "inbox");
      // The lists are folded away under the search until opened.
      await page.getByText("Filtern und sortieren", { exact: true }).click();
      await page.getByLabel("Form des Vorfalls").selectOption("threat");
      await page.getByLabel("Vermutetes Motiv").selectOption("racist");
      await page.getByRole("button", { name: "Anwenden", exact: true }).click();
      await page.waitForURL(/form=threat/);
      const rows = page.locator("tbody tr");
      assert.ok((await rows.count()) >= 1);
      assert.equal(await page.locator("tbody").getByText("Beleidigung").count(), 0);
      await expectAccessible(page, "inbox, filtered");
      await page.getByRole("link", { name: caseNumber }).click();

      await page.getByLabel("Privatadresse oder Familie genannt").check();
      await page.getByRole("button", { name: "Vorschlag berechnen" }).click();
      await page.getByText("Vorschlag: Stufe 2").waitFor();
      await expectAccessible(page, "case with a proposal");
      await page.getByRole("button", { name: "Einschätzung speichern" }).click();
      await page.getByText("Stufe 2: Polizei noch heute einbeziehen").waitFor();

      await page.getByLabel("Maßnahme", { exact: true }).selectOption("strafantrag");
      await page.getByLabel("die betroffene Person").check();
      await page.getByLabel("Bekannt seit oder entschieden am").fill("2026-11-24");
      await page.getByRole("button", { name: "Maßnahme hinzufügen" }).click();
      await page.getByText("Die Maßnahme ist hinzugefügt.").waitFor();
      const next = page.locator("dt", { hasText: "Nächste gesetzliche Frist" }).locator("xpath=following-sibling::dd");
      assert.match((await next.textContent()) ?? "", /24\.02\.2027/, "the Strafantrag's end stands at the top of the case");
      await expectAccessible(page, "case with a measure");

      // A referral to a counselling partner, which the affected person decides on in Arabic.
      await page.getByText("An einen Partner vermitteln").click();
      await page.getByLabel("Partner der Allianz").selectOption({ label: "Beratungsstelle Morgenrot" });
      await page.getByLabel("Schilderung des Vorfalls").check();
      await page.getByLabel("Zweck", { exact: true }).fill("Beratung auf Arabisch");
      await page.getByLabel("Zugang bis").fill("2027-02-24");
      await page.getByRole("button", { name: "Vermitteln", exact: true }).click();
      await page.getByText("Die Frage steht im Postfach.").waitFor();
      await expectAccessible(page, "case with a referral awaiting consent");
      await context.close();

      const reporter = await open(javaScript);
      await reporter.page.goto(`${base}/musterstadt/melden/postfach?sprache=ar`);
      await reporter.page.getByLabel("الرمز").fill(receiptCode as string);
      await reporter.page.getByRole("button", { name: "فتح صندوق الرسائل" }).click();
      await reporter.page.getByRole("heading", { name: "الإحالة إلى مركز استشارة" }).waitFor();
      assert.equal(await reporter.page.getAttribute("html", "dir"), "rtl");
      await expectAccessible(reporter.page, "mailbox with a question, in Arabic");
      await reporter.page.getByLabel("أوافق", { exact: true }).check();
      await reporter.page.getByRole("button", { name: "إرسال الإجابة" }).click();
      await reporter.page.getByText("وصلت إجابتك إلى مكتب الفرز").waitFor();
      await expectAccessible(reporter.page, "mailbox after the answer");
      await reporter.context.close();

      // The partner sees the referred case: the account of the incident, nothing else.
      const helper = await open(javaScript);
      await signInInBrowser(helper.page, base, partner, env);
      await helper.page.goto(`${base}/vermittlungen`);
      await expectAccessible(helper.page, "the partner's referrals");
      await helper.page.getByRole("link", { name: caseNumber }).click();
      await helper.page.getByText("Ein Drohbrief nennt meine Wohnadresse.").waitFor();
      await expectAccessible(helper.page, "a referred case for the partner");
      await helper.page.getByRole("button", { name: "Annehmen" }).click();
      await helper.page.getByText("Sie haben die Vermittlung angenommen.").waitFor();
      const referral = helper.page.url();

      // The person takes the consent back: the partner's next request finds nothing.
      const revoking = await open(javaScript);
      await revoking.page.goto(`${base}/musterstadt/melden/postfach?sprache=ar`);
      await revoking.page.getByLabel("الرمز").fill(receiptCode as string);
      await revoking.page.getByRole("button", { name: "فتح صندوق الرسائل" }).click();
      await revoking.page.getByRole("button", { name: "سحب الموافقة" }).click();
      await revoking.page.getByText("تم سحب موافقتك").waitFor();
      await revoking.context.close();
      assert.equal((await helper.page.goto(referral))?.status(), 404);
      await helper.context.close();

      const lead = await open(javaScript);
      await signInInBrowser(lead.page, base, leader, env);
      await lead.page
        .getByRole("navigation", { name: "Hauptnavigation" })
        .getByRole("link", { name: /Benachrichtigungen \(\d+ neu\)/ })
        .click();
      assert.ok(await lead.page.getByText(`Fall ${caseNumber}: Gefährdungsstufe 2`).isVisible());
      await expectAccessible(lead.page, "notification centre");
      await lead.context.close();

      // The Strafantrag filed, the officer asks to close; a second officer releases it.
      const closing = await open(javaScript);
      await signInInBrowser(closing.page, base, officer, env);
      await closing.page.goto(`${base}/faelle/${caseNumber}`);
      await closing.page.getByText("Stand ändern").click();
      await closing.page.getByLabel("erledigt", { exact: true }).check();
      await closing.page.getByLabel("Ergebnis", { exact: true }).fill("Strafantrag bei der Polizei gestellt");
      await closing.page.getByRole("button", { name: "Speichern", exact: true }).click();
      await closing.page.getByText("Die Maßnahme ist aktualisiert.").waitFor();
      await closing.page.getByLabel("Ergebnis des Falls").selectOption("proceedings");
      await closing.page.getByLabel("Nicht möglich (anonym, nur Postfach)").check();
      await closing.page.getByRole("button", { name: "Abschluss beantragen" }).click();
      await closing.page.getByText(`Der Abschluss von ${caseNumber} ist beantragt.`).waitFor();
      await expectAccessible(closing.page, "case waiting for the closure's release");
      await closing.context.close();

      const releasing = await open(javaScript);
      await signInInBrowser(releasing.page, base, second, env);
      await releasing.page.goto(`${base}/faelle/${caseNumber}`);
      await releasing.page.getByRole("button", { name: "Abschluss freigeben" }).click();
      await releasing.page.getByText(`Der Fall ${caseNumber} ist abgeschlossen.`).waitFor();
      await expectAccessible(releasing.page, "closed case");
      await releasing.context.close();

      const feedback = await open(javaScript);
      await feedback.page.goto(`${base}/musterstadt/melden/postfach?sprache=ar`);
      await feedback.page.getByLabel("الرمز").fill(receiptCode as string);
      await feedback.page.getByRole("button", { name: "فتح صندوق الرسائل" }).click();
      await feedback.page.getByRole("heading", { name: "ملاحظاتك" }).waitFor();
      await expectAccessible(feedback.page, "mailbox asking for feedback, in Arabic");
      await feedback.page.getByRole("group", { name: "بشكل عام، هل شعرت بالدعم؟" }).getByLabel("4", { exact: true }).check();
      await feedback.page.getByRole("group", { name: "هل دعمك مكتب الفرز؟" }).getByLabel("5 – تمامًا").check();
      await feedback.page.getByRole("button", { name: "إرسال الملاحظات" }).click();
      await feedback.page.getByText("شكرًا على ملاحظاتك.").waitFor();
      await feedback.context.close();
    });
  });
}
