import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import ICAL from "ical.js";
import { Agent, createTenantFixture, createTestEnv, createUserFixture, type TenantFixture, type TestEnv, type UserFixture } from "../helpers/app.ts";
import { DB_KINDS } from "../helpers/db.ts";
import { type ReceivedMail, startSmtpServer } from "../helpers/smtp.ts";

/*
 * Trainings from the first format to the feedback's results: the national level puts a format
 * in the catalog (bad input refused and kept) and schedules a session; people of two
 * municipalities register until the seats are taken and the waiting list starts; one withdraws
 * and the first in line moves up and gets the invitation (ICS, parsed here); a change of time
 * sends everyone the updated invitation with a higher SEQUENCE; attendance is taken once it has
 * begun; feedback comes in, and its results show only from three answers on and once nobody
 * else can answer; attendees get a certificate. Partners never see trainings; nobody but the
 * trainer and the keepers sees who registered.
 */

/** A mail's text as read: quoted-printable undone (as UTF-8). */
function readable(mail: ReceivedMail): string {
  const qp = mail.raw.replace(/=\r?\n/g, "");
  const bytes = Buffer.from(
    qp.replace(/=([0-9A-F]{2})/g, (_m, h: string) => String.fromCharCode(Number.parseInt(h, 16))),
    "latin1",
  );
  return bytes.toString("utf8");
}

/** The calendar part of a delivered mail (nodemailer sends it as a text/calendar alternative). */
function calendarOf(mail: ReceivedMail): { method: string; uid: string; sequence: number; status: string; start: string } | null {
  const part = mail.raw.split(/\r?\n--/).find((p) => /content-type: text\/calendar/i.test(p));
  if (!part) return null;
  const [head, ...rest] = part.split(/\r?\n\r?\n/);
  let body = rest.join("\n\n").trim();
  if (/content-transfer-encoding: base64/i.test(head)) body = Buffer.from(body.replace(/\s+/g, ""), "base64").toString("utf8");
  else if (/quoted-printable/i.test(head))
    body = body.replace(/=\r?\n/g, "").replace(/=([0-9A-F]{2})/g, (_m, h: string) => String.fromCharCode(Number.parseInt(h, 16)));
  return parseIcs(body);
}

function parseIcs(text: string) {
  const calendar = new ICAL.Component(ICAL.parse(text));
  const vevent = calendar.getFirstSubcomponent("vevent");
  assert.ok(vevent, "the calendar holds an event");
  const event = new ICAL.Event(vevent);
  return {
    method: String(calendar.getFirstPropertyValue("method")),
    uid: event.uid,
    sequence: event.sequence,
    status: String(vevent.getFirstPropertyValue("status")),
    start: event.startDate.toJSDate().toISOString(),
  };
}

for (const kind of DB_KINDS) {
  describe(`trainings (${kind})`, () => {
    let env: TestEnv;
    let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
    let town: TenantFixture;
    let village: TenantFixture;
    let nationalAdmin: UserFixture;
    let townAdmin: UserFixture;
    let partner: UserFixture;
    let trainer: UserFixture;
    const learners: UserFixture[] = [];

    async function signedIn(user: UserFixture) {
      const agent = new Agent(env.app);
      env.clock.advance(30_000);
      await agent.signIn(user, env.clock);
      return agent;
    }

    const mailsTo = (user: UserFixture) => smtp.mails.filter((m) => m.to.includes(user.email));
    /** The `nth` mail (1: the first) to a person whose text matches, once it has arrived. */
    const waitForMail = async (user: UserFixture, words: RegExp, nth = 1) => {
      const matching = () => smtp.mails.filter((m) => m.to.includes(user.email) && words.test(readable(m)));
      await smtp.waitFor(() => matching().length >= nth);
      return matching()[nth - 1];
    };

    before(async () => {
      smtp = await startSmtpServer();
      env = await createTestEnv(kind, { env: { SMTP_URL: smtp.url }, startJobs: true });
      town = await createTenantFixture(env, { name: "Fortbildungsstadt Probe", kind: "model" });
      village = await createTenantFixture(env, { name: "Lerngemeinde Probe" });
      const national = env.platform.nationalTenant.id;
      nationalAdmin = await createUserFixture(env, [{ tenantId: national, role: "national_admin" }], { totp: true });
      townAdmin = await createUserFixture(env, [{ tenantId: town.id, role: "municipal_admin" }], { totp: true });
      partner = await createUserFixture(env, [{ tenantId: town.id, role: "alliance_partner" }], { totp: true });
      trainer = await createUserFixture(env, [{ tenantId: national, role: "trainer" }], { displayName: "Toni Trainerprobe" });
      for (const [i, tenant] of [town, town, village, village].entries())
        learners.push(
          await createUserFixture(env, [{ tenantId: tenant.id, role: i % 2 === 0 ? "staff" : "leader" }], { displayName: `Lernende Person ${i + 1}` }),
        );
    });
    after(async () => {
      await env.close();
      await smtp.close();
    });

    test("from the catalog to the feedback's results", async () => {
      const admin = await signedIn(nationalAdmin);
      // A format with mistakes comes back with every error and what was typed.
      await admin.get("/trainings/formate/neu");
      let res = await admin.post("/trainings/formate", {
        title: "Hass im Netz – Probe",
        summary: "",
        minutes: "abc",
        mode: "on_site",
        topics: ["online_hate"],
      });
      assert.equal(res.statusCode, 400);
      assert.match(res.body, /Bitte beschreiben Sie das Format/);
      assert.match(res.body, /Bitte geben Sie die Dauer in Minuten an/);
      assert.match(res.body, /Bitte wählen Sie die Zielgruppe/);
      assert.match(res.body, /value="Hass im Netz – Probe"/, "the title typed is kept");
      assert.match(res.body, /value="online_hate" checked/, "the topic ticked is kept");
      res = await admin.post("/trainings/formate", {
        title: "Hass im Netz – Probe",
        summary: "Beweise sichern und anzeigen.",
        minutes: "120",
        mode: "online",
        audience: "all_staff",
        topics: ["online_hate", "evidence"],
        trainerName: "Projektteam Probe",
      });
      assert.equal(res.statusCode, 303);
      const formatPath = String(res.headers.location);
      assert.match(formatPath, /^\/trainings\/formate\/[0-9a-f-]{36}$/);

      // A session: bad input kept; then four seats... two, so that the waiting list starts.
      await admin.get(formatPath);
      res = await admin.post(`${formatPath}/termine`, {
        date: "2026-12-10",
        from: "14:00",
        to: "13:00",
        place: "",
        onlineLink: "http://unsicher.example",
        seats: "0",
      });
      assert.equal(res.statusCode, 400);
      assert.match(res.body, /Das Ende muss nach dem Beginn liegen/);
      assert.match(res.body, /mit https:\/\/ beginnt/);
      assert.match(res.body, /Zahl der Plätze/);
      assert.match(res.body, /value="2026-12-10"/);
      const trainerId = res.body.match(/<option value="([0-9a-f-]{36})"[^>]*>Toni Trainerprobe</)?.[1];
      assert.ok(trainerId, "the national level's trainers can be chosen");
      res = await admin.post(`${formatPath}/termine`, {
        date: "2026-12-10",
        from: "10:00",
        to: "12:00",
        place: "",
        onlineLink: "https://video.example/probe",
        seats: "2",
        trainerId,
      });
      assert.equal(res.statusCode, 303);
      const sessionPath = String(res.headers.location);

      // People of both municipalities see it and register; the third waits.
      let agents = await Promise.all(learners.map((l) => signedIn(l)));
      for (const a of agents) {
        const overview = await a.get("/trainings");
        assert.match(overview.body, /Hass im Netz – Probe/, "the national level's session is offered to every municipality");
      }
      const statuses: string[] = [];
      for (const a of agents.slice(0, 3)) {
        await a.get(sessionPath);
        res = await a.post(`${sessionPath}/anmelden`, {});
        assert.equal(res.statusCode, 303);
        statuses.push((await a.get(sessionPath)).body.match(/kern-badge--(info|warning)"><span class="kern-label kern-label--small">([^<]+)</)?.[2] ?? "");
      }
      assert.deepEqual(statuses, ["Angemeldet", "Angemeldet", "Warteliste, Platz 1"]);
      const first = await waitForMail(learners[0], /Sie sind angemeldet für/);
      const invitation = calendarOf(first);
      assert.ok(invitation, "the confirmation carries the invitation");
      assert.equal(invitation.method, "REQUEST");
      assert.equal(invitation.sequence, 0);
      assert.equal(invitation.start, "2026-12-10T09:00:00.000Z", "10:00 in Berlin");
      const waiting = await waitForMail(learners[2], /Alle Plätze für/);
      assert.equal(calendarOf(waiting), null, "someone waiting gets no calendar entry yet");

      // A second click registers nobody twice; staff see no roster.
      await agents[0].get(sessionPath);
      await agents[0].post(`${sessionPath}/anmelden`, {});
      let page = await agents[0].get(sessionPath);
      assert.doesNotMatch(page.body, /Lernende Person 2/, "participants do not see who else registered");
      assert.match(page.body, /https:\/\/video\.example\/probe/, "the registered see the link");
      assert.doesNotMatch((await agents[2].get(sessionPath)).body, /video\.example/, "someone waiting does not");

      // The trainer sees who registered and who waits, in order.
      let trainerAgent = await signedIn(trainer);
      page = await trainerAgent.get(sessionPath);
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /Lernende Person 1[\s\S]*Lernende Person 2[\s\S]*Warteliste[\s\S]*Lernende Person 3/);

      // One withdraws: the first waiting moves up and gets the invitation; the one withdrawing the cancellation.
      await agents[1].get(sessionPath);
      res = await agents[1].post(`${sessionPath}/abmelden`, { confirm: "yes" });
      assert.equal(res.statusCode, 303);
      const withdrawn = calendarOf(await waitForMail(learners[1], /Sie sind von „/));
      assert.equal(withdrawn?.method, "CANCEL");
      const moved = calendarOf(await waitForMail(learners[2], /Ein Platz ist frei geworden/));
      assert.equal(moved?.method, "REQUEST");
      assert.match((await agents[2].get(sessionPath)).body, />Angemeldet</);

      // The time changes: everyone registered gets the update, same UID, higher SEQUENCE.
      page = await admin.get(sessionPath);
      res = await admin.post(`${sessionPath}/aendern`, {
        date: "2026-12-10",
        from: "11:00",
        to: "13:00",
        place: "",
        onlineLink: "https://video.example/probe",
        seats: "1",
        trainerId,
      });
      assert.equal(res.statusCode, 409, "fewer seats than people registered is refused");
      assert.match(res.body, /2 Personen sind schon angemeldet/);
      assert.match(res.body, /value="11:00"/, "the typed change is kept");
      res = await admin.post(`${sessionPath}/aendern`, {
        date: "2026-12-10",
        from: "11:00",
        to: "13:00",
        place: "",
        onlineLink: "https://video.example/probe",
        seats: "2",
        trainerId,
      });
      assert.equal(res.statusCode, 303);
      const update = calendarOf(await waitForMail(learners[0], /hat sich geändert/));
      assert.ok(update);
      assert.equal(update.uid, invitation.uid, "the same entry is updated");
      assert.ok(update.sequence > invitation.sequence, "with a higher SEQUENCE");
      assert.equal(update.start, "2026-12-10T10:00:00.000Z");
      const ics = await agents[0].get(`${sessionPath}/kalender.ics`);
      assert.equal(ics.statusCode, 200);
      assert.match(String(ics.headers["content-type"]), /^text\/calendar/);
      assert.deepEqual(parseIcs(ics.body).sequence, update.sequence, "the download matches the latest invitation");
      assert.equal((await agents[3].get(`${sessionPath}/kalender.ics`)).statusCode, 404, "no calendar entry for someone not registered");

      // Before it begins there is no attendance; once it has, the trainer takes it.
      page = await trainerAgent.get(sessionPath);
      assert.doesNotMatch(page.body, /name="attended"/);
      res = await trainerAgent.post(`${sessionPath}/anwesenheit`, { attended: [] });
      assert.equal(res.statusCode, 404);
      assert.equal((await agents[3].get(sessionPath)).body.includes("/anmelden"), true, "a fourth person could still join the waiting list");
      // Days later (everyone signs in anew, as they would).
      env.clock.current = new Date("2026-12-10T10:30:00Z");
      agents = await Promise.all(learners.map((l) => signedIn(l)));
      trainerAgent = await signedIn(trainer);
      assert.doesNotMatch((await agents[3].get(sessionPath)).body, /\/anmelden"/, "registration closes once it has begun");
      page = await trainerAgent.get(sessionPath);
      const ids = [...page.body.matchAll(/name="attended" value="([0-9a-f-]{36})"/g)].map((m) => m[1]);
      assert.equal(ids.length, 2, "the two registered are on the list");
      res = await trainerAgent.post(`${sessionPath}/anwesenheit`, { attended: ids });
      assert.equal(res.statusCode, 303);

      // Feedback after the end; results only from three answers on.
      env.clock.current = new Date("2026-12-10T13:30:00Z");
      agents = await Promise.all(learners.map((l) => signedIn(l)));
      trainerAgent = await signedIn(trainer);
      await waitForMail(learners[0], /Danke für Ihre Teilnahme/);
      for (const i of [0, 2]) {
        page = await agents[i].get(sessionPath);
        assert.match(page.body, /Ihre Rückmeldung/);
        res = await agents[i].post(`${sessionPath}/rueckmeldung`, { overall: "9" });
        assert.equal(res.statusCode, 400, "a forged answer is refused");
        res = await agents[i].post(`${sessionPath}/rueckmeldung`, { overall: "5", useful: "yes", pace: "right" });
        assert.equal(res.statusCode, 303);
        assert.doesNotMatch((await agents[i].get(sessionPath)).body, /name="overall"/, "answered once");
      }
      page = await trainerAgent.get(sessionPath);
      assert.match(page.body, /Ergebnisse zeigen wir erst ab 3 Antworten/, "everyone answered, but two answers are too few");
      assert.doesNotMatch(page.body, /id="result-overall"/);

      // Certificates for those who came.
      const pdf = await agents[0].get(`${sessionPath}/bescheinigung.pdf`);
      assert.equal(pdf.statusCode, 200);
      assert.equal(String(pdf.headers["content-type"]), "application/pdf");
      const dir = mkdtempSync(join(tmpdir(), "komma-cert-"));
      writeFileSync(join(dir, "c.pdf"), pdf.rawPayload);
      const text = execFileSync("pdftotext", ["-layout", join(dir, "c.pdf"), "-"], { encoding: "utf8" });
      assert.match(text, /Teilnahmebescheinigung/);
      assert.match(text, /Lernende Person 1/);
      assert.match(text, /Hass im Netz – Probe/);
      assert.match(text, /Toni Trainerprobe/);
      assert.equal((await agents[1].get(`${sessionPath}/bescheinigung.pdf`)).statusCode, 404, "not for someone who withdrew");

      // Partners see no trainings at all; another municipality's admin sees no roster of a national session.
      const partnerAgent = await signedIn(partner);
      assert.equal((await partnerAgent.get("/trainings")).statusCode, 404);
      assert.equal((await partnerAgent.get(sessionPath)).statusCode, 404);
      const townAdminAgent = await signedIn(townAdmin);
      page = await townAdminAgent.get(sessionPath);
      assert.equal(page.statusCode, 200);
      assert.doesNotMatch(page.body, /Lernende Person/);
      assert.ok(mailsTo(learners[3]).length === 0, "nobody who did not register was written to");
    });

    test("results show from three answers once all who came have answered; a cancellation reaches every calendar", async () => {
      env.clock.current = new Date("2027-01-04T08:00:00Z");
      const admin = await signedIn(nationalAdmin);
      await admin.get("/trainings/formate/neu");
      let res = await admin.post("/trainings/formate", {
        title: "Deeskalation – Probe",
        summary: "Am Tresen.",
        minutes: "60",
        mode: "on_site",
        audience: "public_contact",
        topics: ["deescalation"],
      });
      const formatPath = String(res.headers.location);
      await admin.get(formatPath);
      res = await admin.post(`${formatPath}/termine`, {
        date: "2027-01-12",
        from: "09:00",
        to: "10:00",
        place: "Rathaus Probe, Saal",
        onlineLink: "",
        seats: "10",
        trainerId: "",
      });
      const sessionPath = String(res.headers.location);
      let agents = await Promise.all(learners.map((l) => signedIn(l)));
      for (const a of agents) {
        await a.get(sessionPath);
        await a.post(`${sessionPath}/anmelden`, {});
      }
      env.clock.current = new Date("2027-01-12T09:10:00Z");
      let admin2 = await signedIn(nationalAdmin);
      let page = await admin2.get(sessionPath);
      const ids = [...page.body.matchAll(/name="attended" value="([0-9a-f-]{36})"/g)].map((m) => m[1]);
      assert.equal(ids.length, 4);
      await admin2.post(`${sessionPath}/anwesenheit`, { attended: ids });
      // Who was trained goes to the Lagebild as an event: per municipality and role, the month, no names.
      const { rows: events } = await env.platform.database.rawQuery("select payload from domain_events where name = 'trainings.attendance_recorded'");
      const reach = events
        .map((e) => (typeof e.payload === "string" ? JSON.parse(e.payload) : e.payload))
        .find((p) => p.sessionId === sessionPath.split("/").pop());
      assert.ok(reach, "attendance is an event");
      assert.equal(reach.month, "2027-01");
      assert.deepEqual(reach.topics, ["deescalation"]);
      assert.deepEqual(
        [...reach.reach].sort((x: { tenantId: string; role: string }, y: { tenantId: string; role: string }) =>
          `${x.tenantId}${x.role}`.localeCompare(`${y.tenantId}${y.role}`),
        ),
        [
          { tenantId: town.id, role: "leader", count: 1 },
          { tenantId: town.id, role: "staff", count: 1 },
          { tenantId: village.id, role: "leader", count: 1 },
          { tenantId: village.id, role: "staff", count: 1 },
        ].sort((x, y) => `${x.tenantId}${x.role}`.localeCompare(`${y.tenantId}${y.role}`)),
      );
      assert.doesNotMatch(JSON.stringify(reach), /Lernende|@test\.example/, "no names, no addresses");
      env.clock.current = new Date("2027-01-12T11:00:00Z");
      agents = await Promise.all(learners.map((l) => signedIn(l)));
      admin2 = await signedIn(nationalAdmin);
      for (const [i, a] of agents.slice(0, 3).entries()) {
        await a.get(sessionPath);
        await a.post(`${sessionPath}/rueckmeldung`, { overall: String(3 + i), recommend: "yes" });
      }
      page = await admin2.get(sessionPath);
      assert.match(page.body, /3 von 4 Teilnehmenden haben geantwortet/, "a fourth answer would still show in the figures");
      // Who attended is fixed once feedback came in: unticking the one missing would make the three "everyone".
      assert.doesNotMatch(page.body, /name="attended"/);
      res = await admin2.post(`${sessionPath}/anwesenheit`, { attended: ids.slice(0, 3) });
      assert.equal(res.statusCode, 303);
      page = await admin2.get(sessionPath);
      assert.match(page.body, /lässt sich die Anwesenheit nicht mehr ändern/);
      assert.match(page.body, /3 von 4 Teilnehmenden haben geantwortet/, "still four who came");
      // The answers' rows were all rewritten by each answer: none tells which options an answer chose.
      const { rows: versions } = await env.platform.database.rawQuery(
        "select count(distinct xmin::text)::int as versions, count(*)::int as cells from training_feedback_counts where session_id = $1",
        [sessionPath.split("/").pop()],
      );
      assert.equal(versions[0].versions, 1);
      assert.equal(versions[0].cells, 18, "every option of every question has its row");
      assert.doesNotMatch(page.body, /id="result-overall"/);
      await agents[3].get(sessionPath);
      await agents[3].post(`${sessionPath}/rueckmeldung`, { overall: "5", recommend: "no" });
      page = await admin2.get(sessionPath);
      assert.match(page.body, /id="result-overall"/, "everyone answered: the results show");
      assert.match(page.body, /data-option="5">2 \(50 %\)/);
      assert.match(page.body, /data-option="no">1 \(25 %\)/);

      // A session called off: those registered get the cancellation for their calendar; it needs a confirmation.
      env.clock.current = new Date("2027-01-20T08:00:00Z");
      agents = await Promise.all(learners.map((l) => signedIn(l)));
      admin2 = await signedIn(nationalAdmin);
      await admin2.get(formatPath);
      res = await admin2.post(`${formatPath}/termine`, {
        date: "2027-02-01",
        from: "09:00",
        to: "10:00",
        place: "Rathaus Probe, Saal",
        onlineLink: "",
        seats: "1",
        trainerId: "",
      });
      const second = String(res.headers.location);
      for (const a of agents.slice(0, 2)) {
        await a.get(second);
        await a.post(`${second}/anmelden`, {});
      }
      // The invitation to this date, not the first one's: the two may arrive in either order.
      const invitation = calendarOf(
        await smtp.waitFor(
          (m) => m.to.includes(learners[0].email) && calendarOf(m)?.method === "REQUEST" && calendarOf(m)?.start === "2027-02-01T08:00:00.000Z",
        ),
      );
      await admin2.get(second);
      res = await admin2.post(`${second}/absagen`, {});
      assert.equal(res.statusCode, 400);
      assert.match(res.body, /Bitte bestätigen Sie die Absage/);
      res = await admin2.post(`${second}/absagen`, { confirm: "yes" });
      assert.equal(res.statusCode, 303);
      const cancelled = calendarOf(await waitForMail(learners[0], /ist leider abgesagt/));
      assert.equal(cancelled?.method, "CANCEL");
      assert.equal(cancelled?.status, "CANCELLED");
      assert.equal(cancelled?.uid, invitation?.uid);
      const waitingWord = await waitForMail(learners[1], /ist leider abgesagt/);
      assert.equal(calendarOf(waitingWord), null, "the one waiting had no entry to take back");
      assert.match((await agents[0].get(second)).body, /Abgesagt/);
      await agents[2].get(second);
      assert.equal((await agents[2].post(`${second}/anmelden`, {})).statusCode, 404, "nobody registers for a cancelled session");
    });

    test("the day before, everyone registered is reminded once", async () => {
      env.clock.current = new Date("2027-03-01T08:00:00Z");
      const admin = await signedIn(nationalAdmin);
      await admin.get("/trainings/formate/neu");
      let res = await admin.post("/trainings/formate", {
        title: "Erinnerung – Probe",
        summary: "Probe.",
        minutes: "60",
        mode: "online",
        audience: "all_staff",
        topics: ["self_care"],
      });
      const formatPath = String(res.headers.location);
      await admin.get(formatPath);
      res = await admin.post(`${formatPath}/termine`, {
        date: "2027-03-05",
        from: "09:00",
        to: "10:00",
        place: "",
        onlineLink: "https://video.example/erinnerung",
        seats: "5",
        trainerId: "",
      });
      const sessionPath = String(res.headers.location);
      const a = await signedIn(learners[3]);
      await a.get(sessionPath);
      await a.post(`${sessionPath}/anmelden`, {});
      const { sessionReminders } = await import("../../src/modules/trainings/participation.ts");
      const job = sessionReminders(env.platform);
      const reminders = () => smtp.mails.filter((m) => m.to.includes(learners[3].email) && /Zur Erinnerung/.test(readable(m)));
      await job.run(env.clock.now());
      assert.equal(reminders().length, 0, "four days before: no reminder yet");
      env.clock.current = new Date("2027-03-04T09:00:00Z");
      await job.run(env.clock.now());
      await job.run(env.clock.now());
      await waitForMail(learners[3], /Zur Erinnerung/);
      await new Promise((r) => setTimeout(r, 500));
      assert.equal(reminders().length, 1, "once");
    });
  });
}
