import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { caseClosed, caseOpened } from "../../src/modules/cases/index.ts";
import { assessmentTaken } from "../../src/modules/knowledge/index.ts";
import { releaseFigures } from "../../src/modules/monitoring/rebuild.ts";
import { berlinDate } from "../../src/platform/calendar.ts";
import { withTenant } from "../../src/platform/db/client.ts";
import { createTenantFixture, createUserFixture } from "../helpers/app.ts";
import { browserStage, expectAccessible, openPage, signInInBrowser } from "./browser.ts";

/*
 * The Lagebild in Chromium, with and without JavaScript: a leader reads the municipality's own
 * figures; the advisory board filters the national picture by Land and quarter and downloads it;
 * the project team puts a paper in the board's workspace and removes it.
 * Every chart has its table beside it; axe checks every page.
 */

const stage = browserStage();
const PDF = Buffer.from("%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n");

for (const javaScript of [true, false]) {
  describe(`Lagebild in Chromium, JavaScript ${javaScript ? "on" : "off"}`, () => {
    test("a leader's own figures, the board's national picture by Land and quarter, the download", async () => {
      const { env, base, browser } = stage;
      const suffix = javaScript ? "A" : "B";
      const town = await createTenantFixture(env, { name: `Lagestadt ${suffix}`, kind: "model" });
      const leader = await createUserFixture(env, [{ tenantId: town.id, role: "leader" }]);
      const board = await createUserFixture(env, [{ tenantId: env.platform.nationalTenant.id, role: "advisory_board" }]);
      // Twelve cases in the last month of the quarter before, seven closed, with their figures: a
      // municipality's own figures, like the national ones, are released once a month and hold the
      // months before the one under way; sums and breakdowns count the quarters that are over.
      const today = env.clock.now();
      const [year, monthNow] = berlinDate(today).split("-").map(Number);
      const quarterStart = Date.UTC(year, Math.floor((monthNow - 1) / 3) * 3, 1, 12);
      env.clock.current = new Date(quarterStart - 10 * 86_400_000);
      const month = `${berlinDate(env.clock.now()).slice(0, 7)}-01`;
      for (let i = 0; i < 12; i++) {
        const caseId = crypto.randomUUID();
        const facts = { channel: "web", mode: "named", forms: ["insult"], motives: ["racist"], place: "online", affectedFunction: "staff" };
        await withTenant(env.platform.db, town.id, async (tx) => {
          await env.platform.domainEvents.emit(tx, caseOpened, town.id, {
            caseId,
            number: `L-${i}`,
            reportId: crypto.randomUUID(),
            immediateDanger: false,
            ...facts,
          });
          if (i < 7)
            await env.platform.domainEvents.emit(tx, caseClosed, town.id, {
              caseId,
              number: `L-${i}`,
              outcome: "supported",
              figures: { openedMonth: month, ...facts, level: 1, measures: ["criminal_complaint"], firstResponseMinutes: 60, respondedInTime: true },
            });
        });
      }
      // And a self-assessment that month: its table by Handlungsfeld is the widest on a phone.
      await withTenant(env.platform.db, town.id, (tx) =>
        env.platform.domainEvents.emit(tx, assessmentTaken, town.id, {
          assessmentId: crypto.randomUUID(),
          scores: { alliance: 40, strategy: 60, clearing: 80, training: 20, communication: 60, participation: 40 },
        }),
      );
      await env.platform.domainEvents.drain();
      env.clock.current = today;
      // The national figures as released this month (the months before it). The first run's town is the only model
      // municipality: its own figures follow this release, withheld as it withholds the model municipalities' (sole.ts).
      await releaseFigures(env.platform.db, env.clock.now());

      const l = await openPage(browser, javaScript);
      await signInInBrowser(l.page, base, leader, env);
      await l.page.getByRole("navigation", { name: "Hauptnavigation" }).getByRole("link", { name: "Lagebild" }).click();
      await l.page.getByRole("heading", { level: 1, name: "Lagebild" }).waitFor();
      await expectAccessible(l.page, "/lagebild for a leader");
      assert.equal(await l.page.locator('[data-figure="incidents"]').textContent(), "12");
      assert.equal(await l.page.getByLabel("Gebiet").count(), 0, "no national filter for a municipality");
      // The chart is an image with its title; its figures are in the table beside it.
      await l.page.getByRole("img", { name: /Vorfälle und abgeschlossene Fälle nach Monat/ }).waitFor();
      const online = l.page.getByRole("region", { name: "Ort" }).getByRole("row", { name: /Online-Plattform/ });
      assert.match((await online.textContent()) ?? "", /12/);
      // The quarter under way: its months one by one, and why no sums yet.
      const current = Math.floor((monthNow - 1) / 3) + 1;
      await l.page.getByLabel("Zeitraum", { exact: true }).selectOption({ label: `${current}. Quartal` });
      await l.page.getByRole("button", { name: "Anzeigen" }).click();
      await l.page.getByText(`Das ${current}. Quartal ${year} läuft noch`).waitFor();
      await expectAccessible(l.page, "/lagebild for a quarter under way");
      assert.equal(await l.page.locator('[data-figure="incidents"]').count(), 0, "no sum of a quarter under way");
      await l.context.close();

      const b = await openPage(browser, javaScript);
      await signInInBrowser(b.page, base, board, env);
      await b.page.goto(`${base}/lagebild`);
      await expectAccessible(b.page, "/lagebild nationally");
      // A table is a stop for the keyboard where it scrolls; with JavaScript, only there (on a wide screen, few or none do).
      const stops = await b.page.locator(".komma-scroll-region[tabindex]").count();
      const regions = await b.page.locator(".komma-scroll-region").count();
      if (javaScript) assert.ok(stops < regions, `${stops} of ${regions} tables are keyboard stops`);
      else assert.equal(stops, regions);
      // On a phone held upright (320 px, WCAG 1.4.10) the page does not scroll sideways: a wide table scrolls in its own region.
      await b.page.setViewportSize({ width: 320, height: 640 });
      await b.page.reload();
      assert.ok((await b.page.evaluate(() => document.documentElement.scrollWidth)) <= 320, "the national page reflows at 320 px");
      await b.page.setViewportSize({ width: 1280, height: 900 });
      await b.page.getByLabel("Gebiet").selectOption({ label: "Hessen" });
      await b.page.getByLabel("Zeitraum", { exact: true }).selectOption({ label: `${Math.floor((Number(month.slice(5, 7)) - 1) / 3) + 1}. Quartal` });
      await b.page.getByRole("button", { name: "Anzeigen" }).click();
      await b.page.waitForURL(/gebiet=06/);
      await expectAccessible(b.page, "/lagebild for a Land and quarter");
      const shown = Number(await b.page.locator('[data-figure="incidents"]').textContent());
      assert.ok(shown >= 12, "the Land holds the town's cases");
      const download = b.page.waitForEvent("download");
      await b.page.getByRole("link", { name: "Als CSV" }).click();
      const file = await (await download).path();
      const { readFile } = await import("node:fs/promises");
      const csv = await readFile(file, "utf8");
      assert.match(csv, /^\uFEFFjahr;zeitraum;gebiet;dimension;code;bezeichnung;anzahl;gesperrt;mittelwert/);
      assert.match(csv, new RegExp(`;Hessen;incidents;all;Gemeldete Vorfälle;${shown};nein;`));
      assert.match((await download).suggestedFilename(), /^lagebild-\d{4}-q\d-hessen\.csv$/);
      await b.context.close();
    });

    test("the project team puts a paper in the board's workspace and removes it after being asked", async () => {
      const { env, base, browser } = stage;
      const team = await createUserFixture(env, [{ tenantId: env.platform.nationalTenant.id, role: "national_admin" }], { totp: true });
      const title = `Protokoll ${javaScript ? "A" : "B"}`;
      const { context, page } = await openPage(browser, javaScript);
      await signInInBrowser(page, base, team, env);
      await page.goto(`${base}/beirat`);
      await page.getByLabel("Titel").fill(title);
      await page.getByLabel("Sitzung am").fill("2026-03-12");
      await page.getByLabel("Datei").setInputFiles({ name: "protokoll.pdf", mimeType: "application/pdf", buffer: PDF });
      await page.getByRole("button", { name: "Unterlage einstellen" }).click();
      await page.getByText("Die Unterlage ist eingestellt.").waitFor();
      await page.getByRole("link", { name: `„${title}“ entfernen` }).click();
      await page.getByRole("heading", { level: 1, name: "Unterlage entfernen?" }).waitFor();
      await expectAccessible(page, "removing a board paper");
      await page.getByRole("link", { name: "Nein, Unterlage behalten" }).click();
      await page.getByRole("link", { name: title, exact: true }).waitFor();
      await page.getByRole("link", { name: `„${title}“ entfernen` }).click();
      await page.getByRole("button", { name: "Ja, Unterlage entfernen" }).click();
      await page.getByText("Die Unterlage ist entfernt.").waitFor();
      assert.equal(await page.getByRole("link", { name: title, exact: true }).count(), 0);
      await expectAccessible(page, "/beirat after removing");
      await context.close();
    });
  });
}
