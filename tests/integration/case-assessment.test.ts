import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { sql } from "drizzle-orm";
import { createReport } from "../../src/modules/reports/commands.ts";
import { rows, withTenant } from "../../src/platform/db/client.ts";
import { Agent, createTenantFixture, createTestEnv, createUserFixture, type TenantFixture, type TestEnv, type UserFixture } from "../helpers/app.ts";
import { DB_KINDS } from "../helpers/db.ts";
import { mailText, startSmtpServer } from "../helpers/smtp.ts";

/*
 * The risk assessment of a case: the rules propose a level from the threat criteria the officer
 * ticks, the officer confirms it or departs from it with a justification, and a case reaching
 * level 2 or 3 alarms the roles of the procedure — in the app and by mail, with the number only —
 * and shows what the level asks and whom the alliance names.
 */

for (const kind of DB_KINDS) {
  describe(`case risk assessment (${kind})`, () => {
    let env: TestEnv;
    let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
    let tenant: TenantFixture;
    let anna: UserFixture;
    let ben: UserFixture;
    let lea: UserFixture;
    let admin: UserFixture;
    let staff: UserFixture;

    async function signedIn(user: UserFixture) {
      const agent = new Agent(env.app);
      env.clock.advance(30_000);
      await agent.signIn(user, env.clock);
      return agent;
    }
    const report = (description: string) =>
      createReport(env.platform, tenant, {
        answers: { mode: "anonymous", description, forms: ["insult", "threat"] } as never,
        lang: "de",
        channel: "web",
      });

    before(async () => {
      smtp = await startSmtpServer();
      env = await createTestEnv(kind, { env: { SMTP_URL: smtp.url }, startJobs: true });
      tenant = await createTenantFixture(env);
      anna = await createUserFixture(env, [{ tenantId: tenant.id, role: "clearing_officer" }], {
        totp: true,
        displayName: "Anna Amsel",
        email: `anna-${kind}@test.example`,
      });
      ben = await createUserFixture(env, [{ tenantId: tenant.id, role: "clearing_officer" }], {
        totp: true,
        displayName: "Ben Buchfink",
        email: `ben-${kind}@test.example`,
      });
      lea = await createUserFixture(env, [{ tenantId: tenant.id, role: "leader" }], { displayName: "Lea Lerche", email: `lea-${kind}@test.example` });
      admin = await createUserFixture(env, [{ tenantId: tenant.id, role: "municipal_admin" }], { totp: true, email: `admin-${kind}@test.example` });
      staff = await createUserFixture(env, [{ tenantId: tenant.id, role: "staff" }], { email: `staff-${kind}@test.example` });
      // The alliance names a counselling service for level-2 threats once measures are decided.
      const a = await signedIn(admin);
      await a.get("/allianz/partner/neu");
      const partner = String((await a.post("/allianz/partner/neu", { name: "Beratungsstelle Morgenrot", kind: "victim_support" })).headers.location);
      await a.get("/allianz/zustaendigkeiten");
      const added = await a.post("/allianz/zustaendigkeiten", {
        stage: "measures",
        form: "threat",
        level: "2",
        raci: "consulted",
        assignee: `partner:${partner.split("/").pop()}`,
      });
      assert.equal(added.statusCode, 303);
    });
    after(async () => {
      await env.close();
      await smtp.close();
    });

    test("the rules propose, the officer departs only with a reason, and the input is never lost", async () => {
      const created = await report("Brief mit der Wohnadresse der Bürgermeisterin.");
      const agent = await signedIn(anna);
      const page = await agent.get(`/faelle/${created.caseNumber}`);
      assert.match(page.body, /Gefährdungseinschätzung/);
      assert.match(page.body, /noch nicht eingeschätzt/);
      assert.match(page.body, /<option value="threat" selected/, "the weightiest form the report names is preselected");

      const proposal = await agent.post(`/faelle/${created.caseNumber}/einschaetzung/vorschlag`, {
        form: "threat",
        criteria: ["privateAddressOrFamily", "direct"],
      });
      assert.equal(proposal.statusCode, 200);
      assert.match(proposal.body, /Vorschlag: Stufe 2/);
      assert.match(proposal.body, /Privatadresse oder Familie genannt/);
      assert.match(proposal.body, /value="2" checked/, "the proposed level is preselected");
      const stored = await withTenant(env.platform.db, tenant.id, (tx) => rows<{ n: number }>(tx, sql`select count(*)::int as n from case_assessments`));
      assert.equal(stored[0].n, 0, "a proposal stores nothing");

      await agent.get(`/faelle/${created.caseNumber}`);
      const lower = await agent.post(`/faelle/${created.caseNumber}/einschaetzung`, {
        form: "threat",
        criteria: ["privateAddressOrFamily", "direct"],
        level: "1",
        justification: "",
      });
      assert.equal(lower.statusCode, 400);
      assert.match(lower.body, /Bitte begründen Sie, warum Sie vom Vorschlag \(Stufe 2\) abweichen/);
      assert.match(lower.body, /value="privateAddressOrFamily" checked/, "the ticked criteria stay ticked");
      assert.match(lower.body, /value="1" checked/, "and the chosen level stays chosen");

      await agent.get(`/faelle/${created.caseNumber}`);
      const noForm = await agent.post(`/faelle/${created.caseNumber}/einschaetzung`, { form: "", criteria: ["direct", "nonsense"], level: "7" });
      assert.equal(noForm.statusCode, 400);
      assert.match(noForm.body, /Bitte wählen Sie die Form des Vorfalls/);

      await agent.get(`/faelle/${created.caseNumber}`);
      const justified = await agent.post(`/faelle/${created.caseNumber}/einschaetzung`, {
        form: "threat",
        criteria: ["privateAddressOrFamily", "direct"],
        level: "1",
        justification: "Die Adresse ist seit Jahren öffentlich im Impressum.",
      });
      assert.equal(justified.statusCode, 303);
      const after1 = await agent.get(`/faelle/${created.caseNumber}`);
      assert.match(after1.body, /Stufe 1/);
      assert.match(after1.body, /Begründung: Die Adresse ist seit Jahren öffentlich im Impressum/);
      assert.match(after1.body, /Maßnahmen/, "the first assessment moves the case on to measures");
      assert.doesNotMatch(after1.body, /Polizei noch heute/, "level 1 asks nothing urgent");

      const sealed = await withTenant(env.platform.db, tenant.id, (tx) => rows<{ justification: string }>(tx, sql`select justification from case_assessments`));
      assert.match(sealed[0].justification, /^k1\./, "the justification is sealed at rest");
    });

    test("level 2 alarms the procedure's roles by number only, shows what to do and whom the alliance names; once", async () => {
      const created = await report("Drohung am Telefon.");
      const agent = await signedIn(anna);
      await agent.get(`/faelle/${created.caseNumber}`);
      const saved = await agent.post(`/faelle/${created.caseNumber}/einschaetzung`, { form: "threat", criteria: ["privateAddressOrFamily"], level: "2" });
      assert.equal(saved.statusCode, 303);
      const page = await agent.get(`/faelle/${created.caseNumber}`);
      assert.match(page.body, /Stufe 2: Polizei noch heute einbeziehen/);
      assert.match(page.body, /Beratungsstelle Morgenrot \(beteiligt\)/, "the partner the matrix names for a level-2 threat");

      // The default procedure alarms the clearing office and the leaders at level 2 — not admins, not staff.
      const alarm = (m: { raw: string }, level: number) =>
        mailText(m.raw).includes(`Fall ${created.caseNumber}:`) && mailText(m.raw).includes(`stufe ${level}`);
      // Everyone the procedure names, but not Anna: she assessed it herself.
      for (const who of [ben, lea]) {
        const mail = await smtp.waitFor((m) => m.to.includes(who.email) && alarm(m, 2));
        const text = mailText(mail.raw);
        assert.doesNotMatch(text, /Drohung am Telefon/, "the mail carries the number, never content");
        // The officer is led to the case; the leader, who may not open it, to the office's contact.
        assert.match(text, who === ben ? new RegExp(`/faelle/${created.caseNumber}`) : /\/start/);
      }
      await new Promise((r) => setTimeout(r, 300));
      assert.ok(!smtp.mails.some((m) => (m.to.includes(admin.email) || m.to.includes(staff.email) || m.to.includes(anna.email)) && alarm(m, 2)));

      // In the app: Lea's navigation counts the notice; opening it marks it read and leads to the case.
      const l = new Agent(env.app);
      await l.signIn(lea, env.clock);
      const start = await l.get("/start");
      assert.match(start.body, /Benachrichtigungen \(1 neu\)/);
      const list = await l.get("/konto/benachrichtigungen");
      assert.match(list.body, new RegExp(`Fall ${created.caseNumber}: Gefährdungsstufe 2`));
      const link = /href="(\/konto\/benachrichtigungen\/[0-9a-f-]{36})"/.exec(list.body)?.[1] ?? "";
      const opened = await l.get(link);
      assert.equal(opened.statusCode, 303);
      assert.equal(opened.headers.location, "/start", "to where the office's contact is: the leader cannot open the case");
      assert.doesNotMatch((await l.get("/start")).body, /1 neu/);
      const leaderOnCase = await l.get(`/faelle/${created.caseNumber}`);
      assert.equal(leaderOnCase.statusCode, 404, "the leader learns of the alarm, not the case content");

      // Assessed again at level 2, nobody is alarmed twice; raised to 3, the admins hear of it too.
      const count = () => smtp.mails.filter((m) => alarm(m, 2) || alarm(m, 3)).length;
      const before2 = count();
      await agent.get(`/faelle/${created.caseNumber}`);
      await agent.post(`/faelle/${created.caseNumber}/einschaetzung`, { form: "threat", criteria: ["privateAddressOrFamily"], level: "2" });
      await agent.get(`/faelle/${created.caseNumber}`);
      await agent.post(`/faelle/${created.caseNumber}/einschaetzung`, {
        form: "threat",
        criteria: ["privateAddressOrFamily", "weaponOrAcuteDanger"],
        level: "3",
      });
      await smtp.waitFor((m) => m.to.includes(admin.email) && alarm(m, 3));
      // Mails go out one job each: wait until the three are in (on a busy machine they trickle), then a moment for any extra.
      await smtp.waitFor(() => count() - before2 >= 3).catch(() => undefined);
      await new Promise((r) => setTimeout(r, 300));
      assert.equal(count() - before2, 3, "level 3 only: the other officer, the leader and the admin");
      const three = await agent.get(`/faelle/${created.caseNumber}`);
      assert.match(three.body, /Stufe 3: akute Gefahr/);
      assert.match(three.body, /Notruf 110/);
      assert.match(three.body, /Verlauf der Einschätzungen[\s\S]*Stufe 3[\s\S]*Stufe 2[\s\S]*Stufe 2/, "the history keeps every assessment, newest first");

      // Lowered again, those alarmed at level 3 hear that the alarm is eased — the leader too.
      await agent.get(`/faelle/${created.caseNumber}`);
      const lowered = await agent.post(`/faelle/${created.caseNumber}/einschaetzung`, {
        form: "threat",
        criteria: ["privateAddressOrFamily"],
        level: "1",
        justification: "Der Verfasser ist gefasst und in Haft; keine weitere Gefahr.",
      });
      assert.equal(lowered.statusCode, 303);
      const eased = await smtp.waitFor((m) => m.to.includes(lea.email) && mailText(m.raw).includes(`Fall ${created.caseNumber}: Entwarnung`));
      assert.doesNotMatch(mailText(eased.raw), /Haft/, "the number and level only");
      assert.match((await l.get("/konto/benachrichtigungen")).body, /Entwarnung – die Gefährdung ist jetzt auf Stufe 1 eingeschätzt/);
    });

    test("only who leads the case assesses it; a colleague reads, the attempt is refused and logged", async () => {
      const created = await report("Schmiererei am Auto.");
      const a = await signedIn(anna);
      await a.get(`/faelle/${created.caseNumber}`);
      await a.post(`/faelle/${created.caseNumber}/zuweisung`, { assignee: anna.id });
      const b = await signedIn(ben);
      const seen = await b.get(`/faelle/${created.caseNumber}`);
      assert.match(seen.body, /Einschätzen kann, wer den Fall führt/);
      assert.doesNotMatch(seen.body, /action="\/faelle\/[^"]+\/einschaetzung"/);
      const tried = await b.post(`/faelle/${created.caseNumber}/einschaetzung`, { form: "insult", criteria: [], level: "1" });
      assert.equal(tried.statusCode, 403);
      const s = await signedIn(staff);
      const outsider = await s.post(`/faelle/${created.caseNumber}/einschaetzung`, { form: "insult", criteria: [], level: "1" });
      assert.equal(outsider.statusCode, 404, "staff find no case");
      const log = await a.get("/verwaltung/protokoll?bereich=denied");
      assert.match(log.body, /Zugriff verweigert: Fälle \(am Fall arbeiten\)/);
    });
  });
}
