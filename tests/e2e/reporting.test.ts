import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { Browser, Page } from "playwright-core";
import sharp from "sharp";
import { createTenantFixture, createTestEnv, createUserFixture, type TestEnv, type UserFixture } from "../helpers/app.ts";
import { expectAccessible, launchBrowser, newContext, openPage, serve, signInInBrowser } from "./browser.ts";

/*
 * People report in Chromium, with and without JavaScript: named, confidential and anonymous
 * (in Arabic, right to left), each with a file and a link; the anonymous reporter then reads the
 * clearing office's answer in the mailbox and replies. axe checks every step.
 */

let env: TestEnv;
let browser: Browser;
let base: string;
let officer: UserFixture;
let png: Buffer;

before(async () => {
  env = await createTestEnv("pglite");
  const tenant = await createTenantFixture(env, { name: "Musterstadt", slug: "musterstadt" });
  await env.platform.database.rawQuery(
    "update tenants set contact_phone = '0611 123456', contact_email = 'clearing@musterstadt.example', contact_hours = 'Mo–Fr 8–16 Uhr' where id = $1",
    [tenant.id],
  );
  officer = await createUserFixture(env, [{ tenantId: tenant.id, role: "clearing_officer" }], { totp: true, displayName: "Jona Clearing" });
  png = await sharp({ create: { width: 60, height: 40, channels: 3, background: "#246" } })
    .png()
    .toBuffer();
  base = await serve(env);
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await env?.close();
});

const open = (javaScript: boolean) => openPage(browser, javaScript);

async function heading(page: Page, name: string | RegExp) {
  await page.getByRole("heading", { level: 1, name }).waitFor({ timeout: 10_000 });
}

/** Fills in the steps after "who reports" with a short, complete report. */
async function incidentToReview(page: Page, labels: Record<string, string>, description: string, mark: string) {
  await page.getByLabel(labels.description).fill(description);
  await page.getByLabel(labels.insult).check();
  await page.getByRole("button", { name: labels.next, exact: true }).click();
  await heading(page, labels.people);
  await expectAccessible(page, `${mark} people`);
  await page.getByRole("button", { name: labels.next, exact: true }).click();
  await heading(page, labels.effects);
  await expectAccessible(page, `${mark} effects`);
  await page.getByRole("button", { name: labels.next, exact: true }).click();
  await heading(page, labels.evidence);
  await expectAccessible(page, `${mark} evidence`);
  await page.locator("#f-file").setInputFiles({ name: "screenshot.png", mimeType: "image/png", buffer: png });
  await page.getByRole("button", { name: labels.upload }).click();
  await page.getByText("screenshot.png").first().waitFor();
  await page.getByLabel(labels.url).fill("https://social.example/beitrag/42");
  await page.getByRole("button", { name: labels.addUrl }).click();
  await page.getByText("https://social.example/beitrag/42").first().waitFor();
  await expectAccessible(page, `${mark} evidence with items`);
  await page.getByRole("button", { name: labels.next, exact: true }).click();
  await heading(page, labels.review);
  await expectAccessible(page, `${mark} review`);
}

const DE = {
  description: "Was ist passiert?",
  insult: "Beleidigung",
  next: "Weiter",
  people: "Beteiligte",
  effects: "Folgen und Wünsche",
  evidence: "Beweise",
  upload: "Datei hochladen",
  url: "Adresse (URL) eines Beitrags oder Profils",
  addUrl: "Link hinzufügen",
  review: "Prüfen und absenden",
};

const AR = {
  description: "ماذا حدث؟",
  insult: "إهانة",
  next: "متابعة",
  people: "الأشخاص المعنيون",
  effects: "العواقب والرغبات",
  evidence: "الأدلة",
  upload: "رفع الملف",
  url: "عنوان (URL) منشور أو حساب",
  addUrl: "إضافة رابط",
  review: "المراجعة والإرسال",
};

for (const javaScript of [true, false]) {
  describe(`reporting in Chromium, JavaScript ${javaScript ? "on" : "off"}`, () => {
    test("a named report with a file and a link", async () => {
      const { context, page } = await open(javaScript);
      await page.goto(`${base}/musterstadt/melden`);
      await heading(page, "Vorfall melden – Musterstadt");
      await expectAccessible(page, "landing");
      await page.getByRole("button", { name: "Meldung beginnen" }).click();
      await heading(page, "Gefahr");
      await expectAccessible(page, "danger");
      await page.getByRole("button", { name: "Weiter", exact: true }).click();
      await page.getByText("Bitte wählen Sie Ja oder Nein.").first().waitFor();
      await expectAccessible(page, "danger with error");
      await page.getByLabel("Nein").check();
      await page.getByRole("button", { name: "Weiter", exact: true }).click();
      await heading(page, "Wer meldet");
      await expectAccessible(page, "mode");
      await page.getByLabel("Mit Namen").check();
      await page.getByLabel("Ich bin selbst betroffen").check();
      await page.getByLabel("Name (freiwillig)").fill("Deniz Beispiel");
      await page.getByLabel("E-Mail-Adresse").fill(`deniz-${javaScript}@test.example`);
      await page.getByRole("button", { name: "Weiter", exact: true }).click();
      await heading(page, "Was ist passiert");
      await expectAccessible(page, "incident");
      await incidentToReview(page, DE, "Bei der Bürgersprechstunde wurde ich rassistisch beschimpft und bedroht.", "named");
      assert.ok(await page.getByText("Deniz Beispiel").isVisible());
      await page.getByRole("button", { name: "Meldung absenden" }).click();
      await heading(page, "Danke. Ihre Meldung ist eingegangen.");
      await page.getByText("Sie sind nicht allein.").waitFor();
      assert.ok(await page.getByRole("link", { name: "clearing@musterstadt.example" }).isVisible(), "whom to contact at once");
      await expectAccessible(page, "done");
      await context.close();
    });

    test("a confidential report, correcting a mistake on the way and going back", async () => {
      const { context, page } = await open(javaScript);
      await page.goto(`${base}/musterstadt/melden`);
      await page.getByRole("button", { name: "Meldung beginnen" }).click();
      await page.getByLabel("Ja").check();
      await page.getByRole("button", { name: "Weiter", exact: true }).click();
      await page
        .getByText(/Rufen Sie jetzt den Notruf: 110/)
        .first()
        .waitFor();
      await expectAccessible(page, "mode after danger");
      await page.getByLabel("Vertraulich").check();
      await page.getByRole("button", { name: "Weiter", exact: true }).click();
      await page.getByRole("alert").filter({ hasText: "Bitte korrigieren Sie die folgenden Angaben" }).waitFor();
      await expectAccessible(page, "mode with error");
      await page.getByLabel("Telefonnummer").fill("0611 555123");
      await page.getByRole("button", { name: "Weiter", exact: true }).click();
      await heading(page, "Was ist passiert");
      await page.getByLabel("Was ist passiert?").fill("Nach der Ratssitzung folgte mir jemand bis zum Parkplatz.");
      await page.getByRole("button", { name: "Zurück" }).click();
      await heading(page, "Wer meldet");
      assert.equal(await page.getByLabel("Telefonnummer").inputValue(), "0611 555123");
      await page.getByRole("button", { name: "Weiter", exact: true }).click();
      assert.equal(await page.getByLabel("Was ist passiert?").inputValue(), "Nach der Ratssitzung folgte mir jemand bis zum Parkplatz.");
      await incidentToReview(page, DE, "Nach der Ratssitzung folgte mir jemand bis zum Parkplatz.", "confidential");
      await page.getByRole("button", { name: "Meldung absenden" }).click();
      await heading(page, "Danke. Ihre Meldung ist eingegangen.");
      await context.close();
    });

    if (javaScript) {
      test("a double click on the last step sends the report once and shows the anonymous reporter's code", async () => {
        const { context, page } = await open(javaScript);
        await page.goto(`${base}/musterstadt/melden`);
        await page.getByRole("button", { name: "Meldung beginnen" }).click();
        await page.getByLabel("Nein").check();
        await page.getByRole("button", { name: "Weiter", exact: true }).click();
        await page.getByRole("radio", { name: /^Anonym/ }).check();
        await page.getByRole("button", { name: "Weiter", exact: true }).click();
        await heading(page, "Was ist passiert");
        await incidentToReview(page, DE, "Doppelt geklickt: ein Aufkleber mit Drohung am Rathausbriefkasten.", "double click");
        const count = async () => Number((await env.platform.database.rawQuery("select count(*)::int as n from reports")).rows[0].n);
        const before = await count();
        await page.getByRole("button", { name: "Meldung absenden" }).dblclick();
        await page.getByTestId("receipt-code").waitFor();
        assert.match((await page.getByTestId("receipt-code").textContent())?.trim() ?? "", /^[A-Z2-9]{4}(-[A-Z2-9]{4}){4}$/);
        assert.equal(await count(), before + 1);
        await context.close();
      });
    }

    test("an anonymous report in Arabic, right to left; the mailbox shows the office's answer", async () => {
      const { context, page } = await open(javaScript);
      await page.goto(`${base}/musterstadt/melden?sprache=ar`);
      assert.equal(await page.locator("html").getAttribute("dir"), "rtl");
      assert.equal(await page.locator("html").getAttribute("lang"), "ar");
      await heading(page, "الإبلاغ عن حادثة – Musterstadt");
      await expectAccessible(page, "landing ar");
      await page.getByRole("button", { name: "ابدأ البلاغ" }).click();
      await heading(page, "الخطر");
      await page.getByLabel("لا").check();
      await page.getByRole("button", { name: "متابعة" }).click();
      await heading(page, "من يبلّغ");
      await expectAccessible(page, "mode ar");
      await page.getByLabel("دون ذكر الهوية").check();
      await page.getByRole("button", { name: "متابعة" }).click();
      await heading(page, "ماذا حدث");
      await incidentToReview(page, AR, "وصلتني رسالة تهديد إلى مكتبي في البلدية بسبب أصلي.", "anonymous");
      await page.getByRole("button", { name: "إرسال البلاغ" }).click();
      await heading(page, "رمزك لصندوق الرسائل");
      await expectAccessible(page, "receipt ar");
      const code = (await page.getByTestId("receipt-code").textContent())?.trim() as string;
      assert.match(code, /^[A-Z2-9]{4}(-[A-Z2-9]{4}){4}$/);
      // The code copied for a note on the phone; without JavaScript no button that could not work.
      const copy = page.getByRole("button", { name: "نسخ الرمز" });
      if (javaScript) {
        await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: base });
        await copy.click();
        await page.getByRole("status").filter({ hasText: "تم النسخ" }).waitFor();
        assert.equal(await page.evaluate(() => navigator.clipboard.readText()), code);
      } else assert.equal(await copy.count(), 0);
      await page.getByRole("button", { name: "متابعة" }).click();
      await page.getByText("يرجى التأكيد أنك دوّنت الرمز.").first().waitFor();
      await page.getByLabel("لقد دوّنت الرمز").check();
      await page.getByRole("button", { name: "متابعة" }).click();
      await heading(page, "شكرًا. وصل بلاغك.");
      await expectAccessible(page, "done ar");

      // The clearing office answers (signed in elsewhere).
      const officeContext = await newContext(browser, { javaScript: true });
      const office = await officeContext.newPage();
      await signInInBrowser(office, base, officer, env);
      await office.getByRole("navigation", { name: "Hauptnavigation" }).getByRole("link", { name: "Meldungen" }).click();
      await heading(office, "Meldungen");
      await expectAccessible(office, "office list");
      await office.getByRole("row").filter({ hasText: "Anonym" }).first().getByRole("link").click();
      await heading(office, /^Meldung MUS-2026-\d{4}$/);
      assert.ok(await office.getByText("وصلتني رسالة تهديد").isVisible());
      await expectAccessible(office, "office detail");
      await office.getByLabel("Antwort an die meldende Person").fill("شكرًا لبلاغك. هل يمكننا التواصل مع الشرطة؟");
      await office.getByRole("button", { name: "Antwort senden" }).click();
      await office.getByText("Die Antwort ist im Postfach.").waitFor();
      await officeContext.close();

      await page.goto(`${base}/musterstadt/melden/postfach?sprache=ar`);
      await heading(page, "صندوق رسائل بلاغك");
      await expectAccessible(page, "mailbox entry ar");
      await page.getByLabel("الرمز").fill(code);
      await page.getByRole("button", { name: "فتح صندوق الرسائل" }).click();
      await page.getByText("هل يمكننا التواصل مع الشرطة؟").waitFor();
      await expectAccessible(page, "mailbox ar");
      await page.getByLabel("رسالتك إلى مكتب الفرز").fill("نعم، من فضلكم.");
      await page.getByRole("button", { name: "إرسال الرسالة" }).click();
      await page.getByText("وصلت رسالتك.").waitFor();
      await page.getByText("نعم، من فضلكم.").waitFor();
      await context.close();
    });
  });
}
