import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { sql } from "drizzle-orm";
import ICAL from "ical.js";
import { rows, withTenant } from "../../src/platform/db/client.ts";
import { PdfWriter } from "../../src/platform/pdf/pdf.ts";
import {
  Agent,
  createApiToken,
  createTenantFixture,
  createTestEnv,
  createUserFixture,
  type TenantFixture,
  type TestEnv,
  type UserFixture,
} from "../helpers/app.ts";
import { DB_KINDS } from "../helpers/db.ts";

/*
 * Partner accounts and the alliance's workspace. A partner's person signs in with a second factor
 * and sees the workspace and their own organisation's entry — every other page and the API answer
 * 404. Only a circle's members see it (the confidential strategy group included); a meeting's
 * agenda, minutes and decisions are sealed at rest, and its calendar entry parses and updates.
 */

for (const kind of DB_KINDS) {
  describe(`alliance workspace (${kind})`, () => {
    let env: TestEnv;
    let tenant: TenantFixture;
    let other: TenantFixture;
    let admin: UserFixture;
    let partnerPerson: UserFixture;
    let officer: UserFixture;
    let staff: UserFixture;
    let otherAdmin: UserFixture;
    let partnerPath = "";
    let otherPartnerPath = "";
    let meetingPath = "";

    async function signedIn(user: UserFixture) {
      const agent = new Agent(env.app);
      env.clock.advance(30_000);
      const res = await agent.signIn(user, env.clock);
      assert.equal(res.headers.location, "/start");
      return agent;
    }

    before(async () => {
      env = await createTestEnv(kind);
      tenant = await createTenantFixture(env);
      other = await createTenantFixture(env);
      admin = await createUserFixture(env, [{ tenantId: tenant.id, role: "municipal_admin" }], { totp: true, displayName: "Kim Verwaltung" });
      partnerPerson = await createUserFixture(env, [{ tenantId: tenant.id, role: "alliance_partner" }], { totp: true, displayName: "Noa Beraterin" });
      officer = await createUserFixture(env, [{ tenantId: tenant.id, role: "clearing_officer" }], { totp: true, displayName: "Jona Clearing" });
      staff = await createUserFixture(env, [{ tenantId: tenant.id, role: "staff" }], { displayName: "Sam Mitarbeit" });
      otherAdmin = await createUserFixture(env, [{ tenantId: other.id, role: "municipal_admin" }], { totp: true });
    });
    after(() => env.close());

    test("a partner's person without a second factor must set one up before seeing anything", async () => {
      const unenrolled = await createUserFixture(env, [{ tenantId: tenant.id, role: "alliance_partner" }]);
      const agent = new Agent(env.app);
      const res = await agent.signIn(unenrolled, env.clock);
      assert.notEqual(res.headers.location, "/start", "the role requires a second factor");
      assert.notEqual((await agent.get("/allianz/arbeitsraum")).statusCode, 200);
    });

    test("the municipal admin links the partner's person to its organisation and builds the circles", async () => {
      const agent = await signedIn(admin);
      for (const name of ["Beratungsstelle Morgenrot", "Polizei Testkreis"]) {
        await agent.get("/allianz/partner/neu");
        const res = await agent.post("/allianz/partner/neu", { name, kind: name.startsWith("Polizei") ? "police" : "victim_support", phone: "069 90009 555" });
        assert.equal(res.statusCode, 303);
        if (name.startsWith("Beratung")) partnerPath = String(res.headers.location);
        else otherPartnerPath = String(res.headers.location);
      }
      const page = await agent.get(partnerPath);
      assert.match(page.body, /Zugänge der Organisation/);
      assert.match(page.body, /<option value="[^"]+">Noa Beraterin<\/option>/, "the unlinked partner account is offered");
      assert.equal((await agent.post(`${partnerPath}/zugaenge`, { userId: partnerPerson.id })).statusCode, 303);
      assert.match((await agent.get(partnerPath)).body, /<li>Noa Beraterin/);
      await agent.get(otherPartnerPath);
      assert.equal((await agent.post(`${otherPartnerPath}/zugaenge`, { userId: partnerPerson.id })).statusCode, 404, "one organisation per person");
      assert.equal((await agent.post(`${otherPartnerPath}/zugaenge`, { userId: staff.id })).statusCode, 404, "only accounts with the partner role");
      // Who administers the municipality never acts for a partner: linked, they would read what is referred.
      const adminPartner = await createUserFixture(env, [
        { tenantId: tenant.id, role: "municipal_admin" },
        { tenantId: tenant.id, role: "alliance_partner" },
      ]);
      assert.equal((await agent.post(`${otherPartnerPath}/zugaenge`, { userId: adminPartner.id })).statusCode, 404, "not an administrator");

      await agent.get("/allianz/arbeitsraum");
      for (const [circle, userId] of [
        ["allianz", admin.id],
        ["allianz", partnerPerson.id],
        ["allianz", officer.id],
        ["strategiegruppe", admin.id],
      ]) {
        assert.equal((await agent.post("/allianz/arbeitsraum/mitglieder", { memberKreis: circle, userId })).statusCode, 303);
        await agent.get("/allianz/arbeitsraum");
      }
      assert.equal(
        (await agent.post("/allianz/arbeitsraum/mitglieder", { memberKreis: "allianz", userId: otherAdmin.id })).statusCode,
        404,
        "nobody from elsewhere",
      );
    });

    test("a member schedules a meeting; bad input is refused with the input kept", async () => {
      const agent = await signedIn(officer);
      const ws = await agent.get("/allianz/arbeitsraum");
      assert.match(ws.body, /Allianz/);
      assert.doesNotMatch(ws.body, /id="circle-strategy"/, "not a member of the strategy group: it is not shown");
      const bad = await agent.post("/allianz/arbeitsraum/sitzungen", {
        kreis: "allianz",
        title: "Allianztreffen",
        date: "2027-02-30",
        from: "18:00",
        to: "16:00",
        place: "",
        link: "",
        agenda: "",
      });
      assert.equal(bad.statusCode, 400);
      assert.match(bad.body, /Bitte geben Sie ein Datum ein/);
      assert.match(bad.body, /Das Ende muss nach dem Beginn liegen/);
      assert.match(bad.body, /Bitte geben Sie einen Ort oder einen Link an/);
      assert.match(bad.body, /value="Allianztreffen"/);
      const ok = await agent.post("/allianz/arbeitsraum/sitzungen", {
        kreis: "allianz",
        title: "Allianztreffen",
        date: "2027-01-20",
        from: "16:00",
        to: "18:00",
        place: "Rathaus, Saal 2",
        link: "",
        agenda: "Bedrohung gegen Bürgermeisterin Beispiel besprechen",
      });
      assert.equal(ok.statusCode, 303);
      meetingPath = String(ok.headers.location);
      assert.equal((await agent.post("/allianz/arbeitsraum/sitzungen", { kreis: "strategiegruppe", title: "x" })).statusCode, 404);
    });

    test("the partner's person sees the workspace and their organisation, records minutes and a decision; the calendar entry parses", async () => {
      const agent = await signedIn(partnerPerson);
      const start = await agent.get("/start");
      assert.match(start.body, /href="\/allianz\/arbeitsraum"/);
      const ws = await agent.get("/allianz/arbeitsraum");
      assert.match(ws.body, /Sie vertreten:/);
      assert.match(ws.body, /Allianztreffen/);
      assert.equal((await agent.get(partnerPath)).statusCode, 200, "their own organisation's entry");
      assert.equal((await agent.get(otherPartnerPath)).statusCode, 404, "not another organisation's");

      const page = await agent.get(meetingPath);
      assert.match(page.body, /Bedrohung gegen Bürgermeisterin Beispiel besprechen/);
      const saved = await agent.post(`${meetingPath}/protokoll`, {
        minutes: "Die Opferberatung übernimmt die Nachsorge.",
        [`attendance_${partnerPerson.id}`]: "present",
        [`attendance_${officer.id}`]: "excused",
        [`attendance_${otherAdmin.id}`]: "present",
      });
      assert.equal(saved.statusCode, 303);
      await agent.get(meetingPath);
      const badDecision = await agent.post(`${meetingPath}/beschluesse`, { text: "Schulung planen", ownerId: staff.id, due: "" });
      assert.equal(badDecision.statusCode, 400, "the owner must be a member of the circle");
      assert.match(badDecision.body, /Bitte wählen Sie ein Mitglied des Kreises/);
      assert.equal((await agent.post(`${meetingPath}/beschluesse`, { text: "Schulung planen", ownerId: partnerPerson.id, due: "2027-03-01" })).statusCode, 303);
      const after = await agent.get(meetingPath);
      assert.match(after.body, /Die Opferberatung übernimmt die Nachsorge/);
      assert.match(after.body, /Schulung planen/);
      assert.match(after.body, new RegExp(`name="attendance_${officer.id}" value="excused"[^>]*checked`));

      const ics = await agent.get(`${meetingPath}/kalender.ics`);
      assert.match(String(ics.headers["content-type"]), /^text\/calendar/);
      const event = new ICAL.Event(new ICAL.Component(ICAL.parse(ics.body)).getFirstSubcomponent("vevent") ?? undefined);
      assert.equal(event.summary, "Allianztreffen");
      assert.equal(event.startDate.toJSDate().toISOString(), "2027-01-20T15:00:00.000Z", "16:00 in Berlin");
      assert.equal(event.location, "Rathaus, Saal 2");
      assert.doesNotMatch(ics.body, /Bedrohung|Nachsorge/, "no agenda or minutes in a calendar");

      const stored = await withTenant(env.platform.db, tenant.id, (tx) =>
        rows<{ agenda: string; minutes: string; text: string }>(
          tx,
          sql`select m.agenda, m.minutes, d.text from alliance_meetings m join alliance_decisions d on d.meeting_id = m.id`,
        ),
      );
      assert.match(stored[0].agenda, /^k1\./, "the agenda is sealed");
      assert.match(stored[0].minutes, /^k1\./);
      assert.match(stored[0].text, /^k1\./);
      const attendance = await withTenant(env.platform.db, tenant.id, (tx) => rows<{ user_id: string }>(tx, sql`select user_id from alliance_attendance`));
      assert.ok(!attendance.some((a) => a.user_id === otherAdmin.id), "attendance only of the circle's members");
    });

    test("a meeting moved gets a calendar entry with a higher sequence; one called off becomes a cancellation", async () => {
      const agent = await signedIn(officer);
      const page = await agent.get(meetingPath);
      assert.match(page.body, /name="date"[^>]*value="2027-01-20"|value="2027-01-20"[^>]*name="date"/, "the change form shows the meeting as it is");
      const entry = async () => {
        const ics = (await agent.get(`${meetingPath}/kalender.ics`)).body;
        const calendar = new ICAL.Component(ICAL.parse(ics));
        const event = calendar.getFirstSubcomponent("vevent") ?? undefined;
        return {
          method: calendar.getFirstPropertyValue("method"),
          sequence: Number(event?.getFirstPropertyValue("sequence") ?? 0),
          status: event?.getFirstPropertyValue("status"),
          start: new ICAL.Event(event).startDate.toJSDate().toISOString(),
        };
      };
      const before = await entry();
      const bad = await agent.post(`${meetingPath}/bearbeiten`, {
        title: "Allianztreffen",
        date: "2027-01-21",
        from: "19:00",
        to: "18:00",
        place: "Rathaus, Saal 2",
        link: "",
        agenda: "",
      });
      assert.equal(bad.statusCode, 400);
      assert.match(bad.body, /value="2027-01-21"/, "the changed values are kept");
      const moved = await agent.post(`${meetingPath}/bearbeiten`, {
        title: "Allianztreffen",
        date: "2027-01-21",
        from: "17:00",
        to: "19:00",
        place: "Rathaus, Saal 2",
        link: "",
        agenda: "Bedrohung gegen Bürgermeisterin Beispiel besprechen",
      });
      assert.equal(moved.statusCode, 303);
      const after = await entry();
      assert.equal(after.start, "2027-01-21T16:00:00.000Z");
      assert.equal(after.sequence, before.sequence + 1, "calendars replace the old entry");
      assert.equal(after.method, "PUBLISH");

      assert.equal((await agent.post(`${meetingPath}/absagen`, {})).statusCode, 303);
      const cancelled = await entry();
      assert.equal(cancelled.method, "CANCEL");
      assert.equal(cancelled.status, "CANCELLED");
      assert.equal(cancelled.sequence, after.sequence + 1);
      const shown = await agent.get(meetingPath);
      assert.match(shown.body, /Diese Sitzung ist abgesagt/);
      assert.match((await agent.get("/allianz/arbeitsraum")).body, /Allianztreffen<\/a> \(abgesagt\)/);
      const late = await agent.post(`${meetingPath}/bearbeiten`, {
        title: "Allianztreffen",
        date: "2027-01-22",
        from: "17:00",
        to: "19:00",
        place: "Saal",
        link: "",
        agenda: "",
      });
      assert.equal(late.statusCode, 409, "a cancelled meeting is not moved");
    });

    test("two people saving the minutes at once: the second is told and loses nothing", async () => {
      const first = await signedIn(admin);
      const second = await signedIn(partnerPerson);
      const stand = (body: string) => /name="stand" value="([^"]+)"/.exec(body)?.[1] ?? "";
      const firstStand = stand((await first.get(meetingPath)).body);
      const secondStand = stand((await second.get(meetingPath)).body);
      assert.equal((await second.post(`${meetingPath}/protokoll`, { minutes: "Fassung der Beratungsstelle", stand: secondStand })).statusCode, 303);
      const late = await first.post(`${meetingPath}/protokoll`, { minutes: "Fassung der Verwaltung", stand: firstStand });
      assert.equal(late.statusCode, 409);
      assert.match(late.body, /Inzwischen hat jemand anderes gespeichert/);
      assert.match(late.body, /Fassung der Beratungsstelle/, "what was saved is shown");
      assert.match(late.body, /<textarea[^>]*name="minutes"[^>]*>Fassung der Verwaltung<\/textarea>/, "and the late text is kept in the form");
      const again = await first.post(`${meetingPath}/protokoll`, { minutes: "Fassung der Beratungsstelle\nErgänzung der Verwaltung", stand: stand(late.body) });
      assert.equal(again.statusCode, 303);
      assert.match((await first.get(meetingPath)).body, /Ergänzung der Verwaltung/);
    });

    test("members share documents in their circle; others cannot fetch them", async () => {
      const agent = await signedIn(partnerPerson);
      await agent.get("/allianz/arbeitsraum");
      const refused = await agent.postMultipart("/allianz/arbeitsraum/dokumente", { docKreis: "allianz", docTitle: "Leitfaden" }, [
        { field: "datei", name: "leitfaden.pdf", data: Buffer.from("<script>alert(1)</script>"), type: "application/pdf" },
      ]);
      assert.equal(refused.statusCode, 400);
      assert.match(refused.body, /Bitte laden Sie ein PDF-/);
      assert.match(refused.body, /value="Leitfaden"/);
      const pdf = new PdfWriter({ title: "Leitfaden", lang: "de", direction: "ltr" });
      pdf.paragraph("Leitfaden für die Bürgerbüros.");
      const bytes = await pdf.finish();
      await agent.get("/allianz/arbeitsraum");
      assert.equal(
        (
          await agent.postMultipart("/allianz/arbeitsraum/dokumente", { docKreis: "allianz", docTitle: "Leitfaden" }, [
            { field: "datei", name: "leitfaden.pdf", data: bytes },
          ])
        ).statusCode,
        303,
      );
      await agent.get("/allianz/arbeitsraum");
      assert.equal(
        (
          await agent.postMultipart("/allianz/arbeitsraum/dokumente", { docKreis: "strategiegruppe", docTitle: "Eingeschmuggelt" }, [
            { field: "datei", name: "x.pdf", data: bytes },
          ])
        ).statusCode,
        404,
        "not into a circle one is not a member of",
      );
      const ws = await agent.get("/allianz/arbeitsraum");
      const docPath = /href="(\/allianz\/dokument\/[^"]+)"/.exec(ws.body)?.[1] ?? "";
      const download = await agent.get(docPath);
      assert.ok(download.rawPayload.equals(bytes));
      assert.match(String(download.headers["content-disposition"]), /^attachment/);
      const colleague = await signedIn(staff);
      assert.equal((await colleague.get(docPath)).statusCode, 404, "not for someone outside the circle");
      assert.equal((await colleague.post(`${docPath}/entfernen`, {})).statusCode, 404);
    });

    test("a partner's person sees nothing else: every other page and the API answer 404", async () => {
      const agent = await signedIn(partnerPerson);
      for (const path of [
        "/allianz",
        "/allianz/zustaendigkeiten",
        "/allianz/bundesweit",
        "/allianz/import",
        "/allianz/partner.csv",
        "/allianz/partner/neu",
        `${partnerPath}/bearbeiten`,
        "/faelle",
        `/verwaltung/kommunen/${tenant.slug}/personen`,
        "/protokoll",
      ]) {
        assert.equal((await agent.get(path)).statusCode, 404, path);
      }
      assert.equal((await agent.post(`${partnerPath}/bearbeiten`, { name: "Übernommen", kind: "police" })).statusCode, 404);
      assert.equal(
        (await agent.post("/allianz/arbeitsraum/mitglieder", { memberKreis: "allianz", userId: staff.id })).statusCode,
        404,
        "no say in who belongs",
      );
      const token = await createApiToken(env, partnerPerson);
      for (const url of [`/api/v1/tenants/${tenant.slug}/alliance/partners`, `/api/v1/tenants/${tenant.slug}/cases`]) {
        const res = await env.app.inject({ url, headers: { authorization: `Bearer ${token}` } });
        assert.equal(res.statusCode, 404, url);
      }
    });

    test("only members see a circle: staff, other municipalities and removed members get 404", async () => {
      const colleague = await signedIn(staff);
      const ws = await colleague.get("/allianz/arbeitsraum");
      assert.equal(ws.statusCode, 200);
      assert.match(ws.body, /Sie gehören noch keinem Kreis an/);
      assert.doesNotMatch(ws.body, /Allianztreffen/);
      assert.equal((await colleague.get(meetingPath)).statusCode, 404);
      assert.equal((await colleague.get(`${meetingPath}/kalender.ics`)).statusCode, 404);
      assert.equal((await colleague.post(`${meetingPath}/protokoll`, { minutes: "Überschrieben" })).statusCode, 404);

      const outsider = await signedIn(otherAdmin);
      assert.equal((await outsider.get(meetingPath)).statusCode, 404);
      assert.equal((await outsider.get(partnerPath)).statusCode, 404);

      const admin1 = await signedIn(admin);
      await admin1.get("/allianz/arbeitsraum");
      assert.equal((await admin1.post(`/allianz/arbeitsraum/allianz/mitglieder/${officer.id}/entfernen`, {})).statusCode, 303);
      const former = await signedIn(officer);
      assert.equal((await former.get(meetingPath)).statusCode, 404, "a member taken out sees the circle no more");

      const audit = await withTenant(env.platform.db, tenant.id, (tx) =>
        rows<{ action: string; details: unknown }>(tx, sql`select action, details from audit_log where action like 'alliance.%' order by seq`),
      );
      assert.ok(audit.some((a) => a.action === "alliance.meeting.minutes"));
      assert.ok(audit.some((a) => a.action === "alliance.circle.memberRemoved"));
      assert.doesNotMatch(JSON.stringify(audit), /Nachsorge|Bürgermeisterin|Schulung/, "no content in the audit log");
    });
  });
}
