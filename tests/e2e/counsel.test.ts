import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { Agent, createTenantFixture, createUserFixture, type UserFixture } from "../helpers/app.ts";
import { browserStage, expectAccessible, openPage, signInInBrowser } from "./browser.ts";

/*
 * Coaching and collegial case counselling in Chromium, with and without JavaScript. A leader asks
 * for coaching and a coach takes it. A room is opened and joined by link; the host casts the roles
 * and leads on; with JavaScript a member's page follows the phase by itself (server-sent events),
 * without it a reload shows it. The presenter's case goes through the de-identification step.
 * axe checks every page.
 */

const stage = browserStage();

for (const javaScript of [true, false]) {
  describe(`coaching and case counselling in Chromium, JavaScript ${javaScript ? "on" : "off"}`, () => {
    test("a coaching request taken; a room cast, told, and led through its phases", async () => {
      const { env, base, browser } = stage;
      const suffix = javaScript ? "A" : "B";
      const town = await createTenantFixture(env, { name: `Fallstadt ${suffix}` });
      const other = await createTenantFixture(env, { name: `Falldorf ${suffix}` });
      const people: UserFixture[] = [];
      for (let i = 0; i < 8; i++)
        people.push(
          await createUserFixture(env, [{ tenantId: i % 2 ? other.id : town.id, role: i === 0 ? "leader" : "staff" }], {
            displayName: `Kollegin ${suffix}${i + 1}`,
          }),
        );
      const coach = await createUserFixture(env, [{ tenantId: env.platform.nationalTenant.id, role: "trainer" }], { displayName: `Coach ${suffix}` });

      // Coaching: asked in the browser, taken by a coach.
      const l = await openPage(browser, javaScript);
      await signInInBrowser(l.page, base, people[0], env);
      await l.page.goto(`${base}/trainings`);
      await l.page.getByRole("link", { name: "Coaching anfragen" }).click();
      await expectAccessible(l.page, "/trainings/coaching for a leader");
      await l.page.getByRole("button", { name: "Anfrage senden" }).click();
      await l.page.getByRole("alert").waitFor();
      await expectAccessible(l.page, "the coaching form with errors");
      await l.page.getByLabel("Thema").selectOption({ label: "Beschäftigte stärken und führen" });
      await l.page.getByLabel("Worum geht es?").fill("Wie stärke ich ein Team nach wiederholten Beschimpfungen am Schalter?");
      await l.page.getByLabel("Wie und wann sind Sie erreichbar?").fill("Telefon, vormittags");
      await l.page.getByRole("button", { name: "Anfrage senden" }).click();
      await l.page.getByText("Ihre Anfrage ist gesendet.").waitFor();
      await expectAccessible(l.page, "a coaching request for the person asking");
      const c = await openPage(browser, javaScript);
      await signInInBrowser(c.page, base, coach, env);
      await c.page.goto(`${base}/trainings/coaching`);
      await expectAccessible(c.page, "the coaches' waiting list");
      await c.page.getByRole("link", { name: "Beschäftigte stärken und führen" }).click();
      await c.page.getByRole("button", { name: "Übernehmen" }).click();
      await c.page.getByText("Wie stärke ich ein Team").waitFor();
      await c.page.getByRole("textbox", { name: "Nachricht" }).fill("Gern, ich rufe Sie morgen an.");
      await c.page.getByRole("button", { name: "Nachricht senden" }).click();
      await c.page.getByText("Die Nachricht ist gesendet.").waitFor();
      await expectAccessible(c.page, "a coaching request for its coach");

      // A room: opened by the leader, joined by seven colleagues of two municipalities.
      await l.page.goto(`${base}/trainings/fallberatung`);
      await expectAccessible(l.page, "/trainings/fallberatung");
      await l.page.getByLabel("Titel").fill(`Fallberatung ${suffix}`);
      await l.page.getByRole("button", { name: "Anlegen" }).click();
      const link = ((await l.page.locator('[data-reveal="Link zur Fallberatung"]').textContent()) ?? "").replace("http://localhost:3000", "");
      const roomPath = new URL(l.page.url()).pathname;
      await expectAccessible(l.page, "a room just opened, with its link");
      const members: Agent[] = [];
      for (const person of people.slice(1)) {
        const m = new Agent(env.app);
        env.clock.advance(1000);
        await m.signIn(person, env.clock);
        await m.get(link);
        await m.post(link, {});
        members.push(m);
      }
      const watcher = await openPage(browser, javaScript);
      await signInInBrowser(watcher.page, base, people[3], env);
      await watcher.page.goto(`${base}${link}`);
      assert.equal(new URL(watcher.page.url()).pathname, roomPath, "a member following the link lands in the room");

      // The host casts: themself moderating, the second presenting, five consultants, one note-taker.
      await l.page.goto(`${base}${roomPath}`);
      const roles = ["moderator", "presenter", "consultant", "consultant", "consultant", "consultant", "consultant", "notetaker"];
      const labels: Record<string, string> = { moderator: "Moderation", presenter: "Fallgeber:in", consultant: "Beratung", notetaker: "Protokoll" };
      for (const i of people.keys()) await l.page.getByLabel(new RegExp(`^Kollegin ${suffix}${i + 1} `)).selectOption({ label: labels[roles[i]] });
      await l.page.getByRole("button", { name: "Rollen speichern" }).click();
      await l.page.getByText("Die Rollen sind gespeichert.").waitFor();
      await expectAccessible(l.page, "a room while roles are cast");
      await l.page.getByRole("button", { name: "Weiter zu: Fall erzählen" }).click();

      // The member's page follows: by itself with JavaScript, on reload without.
      if (!javaScript) await watcher.page.reload();
      await watcher.page.locator('[aria-current="step"]', { hasText: "Fall erzählen" }).waitFor({ timeout: 15_000 });
      await expectAccessible(watcher.page, "a room in the account phase, for a consultant");

      // The presenter tells the case: the check marks what identifies, the clean text is confirmed and entered.
      const p = await openPage(browser, javaScript);
      await signInInBrowser(p.page, base, people[1], env);
      await p.page.goto(`${base}${roomPath}`);
      await p.page
        .getByLabel("Was ist geschehen?")
        .fill("Frau Ayşe Demir wurde am 12.03.2026 am Schalter beschimpft; der Mann rief danach unter 0561 987654 an.");
      await p.page.getByRole("button", { name: "Text prüfen" }).click();
      await p.page.getByText("Stellen könnten jemanden erkennbar machen").waitFor();
      await expectAccessible(p.page, "the case with its findings marked");
      await p.page.getByLabel("Was ist geschehen?").fill("Eine Kollegin wurde im Frühjahr am Schalter beschimpft; der Mann rief danach mehrmals an.");
      await p.page.getByRole("button", { name: "Fall eintragen" }).click();
      // Not confirmed: the new text is checked again, and only then can it be confirmed.
      await p.page.getByText("Die Prüfung hat nichts gefunden").waitFor();
      await p.page.getByLabel("Ich habe den Text geprüft: Was darin steht, macht niemanden erkennbar.").check();
      await p.page.getByRole("button", { name: "Fall eintragen" }).click();
      await p.page.getByText("Der Fall ist eingetragen.").waitFor();
      await l.page.goto(`${base}${roomPath}`);
      await l.page.getByRole("button", { name: "Weiter zu: Schlüsselfrage" }).click();
      if (!javaScript) await watcher.page.reload();
      await watcher.page.locator('[aria-current="step"]', { hasText: "Schlüsselfrage" }).waitFor({ timeout: 15_000 });
      await watcher.page.getByText("Eine Kollegin wurde im Frühjahr").waitFor();
      for (const page of [l, c, watcher, p]) await page.context.close();
      assert.equal(members.length, 7);
    });
  });
}
