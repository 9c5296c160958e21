import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { berlinDate, berlinInstant } from "../../src/platform/calendar.ts";
import { MAIL_RECIPIENT_CONTEXT } from "../../src/platform/mail/mailer.ts";
import { Agent, createTenantFixture, createUserFixture, type UserFixture } from "../helpers/app.ts";
import { browserStage, expectAccessible, openPage, signInInBrowser } from "./browser.ts";

/*
 * Trainings in Chromium, with and without JavaScript, as the issue tells the story: a team fills
 * the needs assessment; its admin ends it and schedules the recommended format; people register
 * until the waiting list starts; one withdraws and the next moves up and gets the invitation;
 * the trainer takes attendance; those who came give feedback; the trainer sees the results only
 * from three answers on. axe checks every page.
 */

const stage = browserStage();

for (const javaScript of [true, false]) {
  describe(`trainings in Chromium, JavaScript ${javaScript ? "on" : "off"}`, () => {
    test("from the needs assessment to the trainer's results", async () => {
      const { env, base, browser } = stage;
      const suffix = javaScript ? "A" : "B";
      const town = await createTenantFixture(env, { name: `Trainingsstadt ${suffix}` });
      const admin = await createUserFixture(env, [{ tenantId: town.id, role: "municipal_admin" }], { totp: true });
      const trainer = await createUserFixture(env, [{ tenantId: town.id, role: "trainer" }], { displayName: `Trainerin ${suffix}` });
      const team: UserFixture[] = [];
      for (let i = 0; i < 5; i++)
        team.push(await createUserFixture(env, [{ tenantId: town.id, role: "staff" }], { displayName: `Teammitglied ${suffix}${i + 1}` }));
      const agentOf = async (user: UserFixture) => {
        const agent = new Agent(env.app);
        env.clock.advance(1000);
        await agent.signIn(user, env.clock);
        return agent;
      };

      // The admin puts the municipality's own format in the catalog and opens a needs assessment.
      const a = await openPage(browser, javaScript);
      await signInInBrowser(a.page, base, admin, env);
      await a.page.goto(`${base}/trainings`);
      await a.page.getByRole("heading", { level: 1, name: "Trainings & Coachings" }).waitFor();
      await expectAccessible(a.page, "/trainings for an admin");
      await a.page.getByRole("link", { name: "Format anlegen" }).click();
      await a.page.getByRole("button", { name: "Format speichern" }).click();
      await a.page.getByRole("alert").waitFor();
      await expectAccessible(a.page, "the format form with errors");
      await a.page.getByLabel("Titel").fill(`Ruhig am Schalter ${suffix}`);
      await a.page.getByLabel("Beschreibung").fill("Deeskalation im Bürgerbüro.");
      await a.page.getByRole("group", { name: "Themen" }).getByLabel("Deeskalation im Publikumsverkehr").check();
      await a.page.getByRole("group", { name: "Zielgruppe" }).getByLabel("Für Beschäftigte mit Publikumsverkehr").check();
      await a.page.getByRole("button", { name: "Format speichern" }).click();
      await a.page.getByText("Das Format steht im Katalog.").waitFor();
      await expectAccessible(a.page, "a format with its scheduling form");
      await a.page.goto(`${base}/trainings/bedarf`);
      await expectAccessible(a.page, "/trainings/bedarf");
      await a.page.getByRole("button", { name: "Öffnen" }).click();
      await a.page.getByText("Die Bedarfserhebung läuft.").waitFor();
      const roundPath = new URL(a.page.url()).pathname;

      // The team answers: one in the browser, the others as quickly.
      const m = await openPage(browser, javaScript);
      await signInInBrowser(m.page, base, team[0], env);
      await m.page.goto(`${base}/trainings`);
      await m.page.getByRole("link", { name: "Jetzt mitmachen (etwa drei Minuten)" }).click();
      await expectAccessible(m.page, "the needs questionnaire");
      await m.page.getByRole("button", { name: "Antworten senden" }).click();
      await m.page.getByRole("alert").waitFor();
      await expectAccessible(m.page, "the needs questionnaire with an error");
      await m.page.getByRole("group", { name: "In welchem Bereich arbeiten Sie?" }).getByLabel("Bürgerservice und Publikumsverkehr").check();
      await m.page
        .getByRole("group", { name: /Schalter oder am Telefon aggressiv/ })
        .getByLabel("Sehr unsicher")
        .check();
      await m.page.getByRole("button", { name: "Antworten senden" }).click();
      await m.page.getByRole("heading", { name: "Ihre Empfehlung" }).waitFor();
      await m.page.getByRole("link", { name: `Ruhig am Schalter ${suffix}` }).waitFor();
      await expectAccessible(m.page, "the person's recommendation");
      for (const person of team.slice(1)) {
        const s = await agentOf(person);
        await s.get(roundPath);
        assert.equal((await s.post(roundPath, { area: "citizen_service", conf_counter: "2", wishes: ["deescalation"] })).statusCode, 303);
      }

      // The admin ends it, reads the recommendation and schedules that format: three seats, led by the trainer.
      await a.page.goto(`${base}${roundPath}`);
      await a.page.getByLabel("Ja, beenden. Danach nimmt die Erhebung keine Antworten mehr an.").check();
      await a.page.getByRole("button", { name: "Jetzt beenden" }).click();
      await a.page.getByText("Am meisten gebraucht: Deeskalation im Publikumsverkehr.").waitFor();
      await expectAccessible(a.page, "the needs assessment's results");
      await a.page.getByRole("link", { name: `Ruhig am Schalter ${suffix}` }).click();
      const day = berlinDate(env.clock.now(), 7);
      await a.page.getByLabel("Tag").fill(day);
      await a.page.getByLabel("Beginn").fill("09:00");
      await a.page.getByLabel("Ende").fill("12:00");
      await a.page.getByLabel("Ort").fill("Bürgerbüro, Raum 1");
      await a.page.getByLabel("Plätze").fill("3");
      await a.page.getByLabel("Trainer:in").selectOption({ label: `Trainerin ${suffix}` });
      await a.page.getByRole("button", { name: "Termin anlegen" }).click();
      await a.page.getByText("Der Termin ist angelegt.").waitFor();
      await expectAccessible(a.page, "a session for its keeper");
      const sessionPath = new URL(a.page.url()).pathname;

      // Three register, the fourth goes on the waiting list.
      await m.page.goto(`${base}${sessionPath}`);
      await expectAccessible(m.page, "a session open for registration");
      await m.page.getByRole("button", { name: "Verbindlich anmelden" }).click();
      await m.page.getByText("Sie sind angemeldet.").waitFor();
      await expectAccessible(m.page, "registered");
      const others = await Promise.all(team.slice(1, 4).map(agentOf));
      for (const o of others.slice(0, 2)) {
        await o.get(sessionPath);
        await o.post(`${sessionPath}/anmelden`, {});
      }
      await others[2].get(sessionPath);
      assert.match(others[2].lastHtml, /Auf die Warteliste/, "the seats are taken: the fourth is offered the waiting list");
      await others[2].post(`${sessionPath}/anmelden`, {});
      assert.match((await others[2].get(sessionPath)).body, /Warteliste, Platz 1/);

      // One withdraws: the first waiting moves up and gets the invitation for the calendar.
      await others[0].get(sessionPath);
      await others[0].post(`${sessionPath}/abmelden`, { confirm: "yes" });
      assert.match((await others[2].get(sessionPath)).body, />Angemeldet</);
      const { rows } = await env.platform.database.rawQuery("select recipient, subject, calendar from mail_outbox where calendar is not null");
      const movedUp = [];
      for (const r of rows)
        if ((await env.platform.mailer.readSealed(String(r.recipient), MAIL_RECIPIENT_CONTEXT)) === team[3].email && /einen Platz/.test(String(r.subject)))
          movedUp.push(JSON.parse(await env.platform.mailer.readSealed(String(r.calendar), "mail_outbox.calendar")) as { method: string; content: string });
      assert.equal(movedUp.length, 1, "the one who moved up is written to, once");
      assert.equal(movedUp[0].method, "REQUEST");
      assert.match(movedUp[0].content, /BEGIN:VEVENT[\s\S]*SEQUENCE:0/);

      // The day comes: the trainer takes attendance.
      env.clock.current = new Date(berlinInstant(day, "09:30"));
      const tr = await openPage(browser, javaScript);
      await signInInBrowser(tr.page, base, trainer, env);
      await tr.page.goto(`${base}/trainings`);
      await tr.page.getByRole("heading", { name: "Termine, die ich leite" }).waitFor();
      await tr.page
        .getByRole("link", { name: `Ruhig am Schalter ${suffix}` })
        .first()
        .click();
      await expectAccessible(tr.page, "a session for its trainer, attendance to take");
      for (const name of [`Teammitglied ${suffix}1`, `Teammitglied ${suffix}3`, `Teammitglied ${suffix}4`]) await tr.page.getByLabel(name).check();
      await tr.page.getByRole("button", { name: "Anwesenheit speichern" }).click();
      await tr.page.getByText("Die Anwesenheit ist gespeichert.").waitFor();

      // Afterwards, those who came give feedback; the trainer sees results only from the third answer on.
      env.clock.current = new Date(berlinInstant(day, "13:00"));
      const m2 = await openPage(browser, javaScript);
      await signInInBrowser(m2.page, base, team[0], env);
      await m2.page.goto(`${base}${sessionPath}`);
      await m2.page.getByRole("heading", { name: "Ihre Rückmeldung" }).waitFor();
      await expectAccessible(m2.page, "the feedback form");
      await m2.page
        .getByRole("group", { name: /insgesamt/ })
        .getByLabel("5 – sehr zufrieden")
        .check();
      await m2.page.getByRole("button", { name: "Rückmeldung senden" }).click();
      await m2.page.getByText("Danke für Ihre Rückmeldung!").first().waitFor();
      await m2.page.getByRole("link", { name: "Teilnahmebescheinigung (PDF)" }).waitFor();
      const second = await agentOf(team[2]);
      await second.get(sessionPath);
      await second.post(`${sessionPath}/rueckmeldung`, { overall: "4", useful: "yes" });
      const tr2 = await openPage(browser, javaScript);
      await signInInBrowser(tr2.page, base, trainer, env);
      await tr2.page.goto(`${base}${sessionPath}`);
      await tr2.page.getByText("2 von 3 Teilnehmenden haben geantwortet.", { exact: false }).waitFor();
      assert.equal(await tr2.page.locator("#result-overall").count(), 0, "two answers show nothing");
      const third = await agentOf(team[3]);
      await third.get(sessionPath);
      await third.post(`${sessionPath}/rueckmeldung`, { overall: "4", recommend: "yes" });
      await tr2.page.reload();
      await tr2.page.getByText("3 Antworten").waitFor();
      const overall = tr2.page.getByRole("table", { name: /insgesamt/ });
      assert.equal(await overall.locator('td[data-option="4"]').textContent(), "2 (67 %)");
      await expectAccessible(tr2.page, "the feedback's results for the trainer");
      for (const p of [a, m, tr, m2, tr2]) await p.context.close();
    });
  });
}
