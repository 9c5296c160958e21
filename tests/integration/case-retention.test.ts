import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { sql } from "drizzle-orm";
import { retentionJob } from "../../src/modules/cases/retention.ts";
import { createReport } from "../../src/modules/reports/commands.ts";
import { berlinDate } from "../../src/platform/calendar.ts";
import { rows, withTenant } from "../../src/platform/db/client.ts";
import {
  Agent,
  createTenantFixture,
  createTestEnv,
  createUserFixture,
  mailboxForm,
  type TenantFixture,
  type TestEnv,
  type UserFixture,
} from "../helpers/app.ts";
import { DB_KINDS } from "../helpers/db.ts";

/*
 * Retention: a closed case is deleted after the municipality's period, with its report, contact,
 * evidence, messages, questions and feedback; its statistics record stays. A legal hold keeps it;
 * the dry run shows what the next run deletes; the application cannot delete a case otherwise.
 */

const DAY = 86_400_000;

for (const kind of DB_KINDS) {
  describe(`retention (${kind})`, () => {
    let env: TestEnv;
    let tenant: TenantFixture;
    let anna: UserFixture;
    let admin: UserFixture;
    const n = { kept: "", held: "", duplicate: "", open: "" };
    const reportOf: Record<string, string> = {};

    async function signedIn(user: UserFixture) {
      const agent = new Agent(env.app);
      env.clock.advance(30_000);
      await agent.signIn(user, env.clock);
      return agent;
    }
    const q = <T>(query: ReturnType<typeof sql>) => withTenant(env.platform.db, tenant.id, (tx) => rows<T>(tx, query));
    const caseNumbers = async () => (await q<{ number: string }>(sql`select number from cases order by number`)).map((r) => r.number);
    const report = (description: string, extra: Record<string, unknown> = {}) =>
      createReport(env.platform, tenant, {
        answers: { mode: "anonymous", description, forms: ["insult"], motives: ["racist"], ...extra } as never,
        lang: "de",
        channel: "web",
      });
    async function closeAtOnce(a: Agent, number: string) {
      await a.get(`/faelle/${number}`);
      await a.post(`/faelle/${number}/zuweisung`, { assignee: anna.id });
      await a.post(`/faelle/${number}/einschaetzung`, { form: "insult", criteria: [], level: "1" });
      const closed = await a.post(`/faelle/${number}/abschluss`, {
        closeOutcome: "supported",
        closeConversation: "anonymous",
        closeConversationOn: "",
        closeNote: "",
      });
      assert.equal(closed.statusCode, 303);
    }

    before(async () => {
      env = await createTestEnv(kind);
      tenant = await createTenantFixture(env);
      anna = await createUserFixture(env, [{ tenantId: tenant.id, role: "clearing_officer" }], { totp: true, displayName: "Anna Amsel" });
      admin = await createUserFixture(env, [{ tenantId: tenant.id, role: "municipal_admin" }], { totp: true });
      const kept = await report("Beleidigung im Bürgerbüro, Zeugin Frau Rabe.", { urls: [{ url: "https://forum.example/beitrag/7", kind: "content" }] });
      const held = await report("Hasskommentare unter dem Video der Ratssitzung.");
      const duplicate = await report("Dieselbe Beleidigung noch einmal gemeldet.");
      const open = await report("Drohanruf im Sekretariat.");
      Object.assign(n, { kept: kept.caseNumber, held: held.caseNumber, duplicate: duplicate.caseNumber, open: open.caseNumber });
      for (const [key, value] of Object.entries(n)) {
        reportOf[key] = (await q<{ id: string }>(sql`select id from reports where case_number = ${value}`))[0].id;
      }
      const a = await signedIn(anna);
      await closeAtOnce(a, n.kept);
      await closeAtOnce(a, n.held);
      await a.get("/faelle");
      await a.post("/faelle/sammelaktion", { faelle: [n.duplicate], aktion: "duplicate", zurueck: "/faelle" });

      // The person of the first case answers and gives feedback: all of it goes with the case.
      const reporter = new Agent(env.app);
      await reporter.get(`/${tenant.slug}/melden/postfach`);
      const box = await reporter.post(`/${tenant.slug}/melden/postfach`, { code: kept.receiptCode as string, sprache: "de" });
      const form = mailboxForm(box.body, "rueckmelden");
      const given = await reporter.post(`/${tenant.slug}/melden/postfach`, { ...form, "feedback-supported": "5", "feedback-comment": "Danke an Frau Rabe." });
      assert.match(given.body, /Danke für Ihre Rückmeldung/);
    });
    after(() => env.close());

    test("a legal hold keeps a case; the dry run shows what the next run deletes; only admins set the periods", async () => {
      const a = await signedIn(anna);
      await a.get(`/faelle/${n.held}`);
      const bad = await a.post(`/faelle/${n.held}/sperre`, { holdReason: "", holdUntil: "2030-02-30" });
      assert.equal(bad.statusCode, 400);
      assert.match(bad.body, /Bitte nennen Sie den Grund der Sperre/);
      assert.match(bad.body, /Bitte geben Sie ein gültiges Datum an/);
      await a.get(`/faelle/${n.held}`);
      const impossible = await a.post(`/faelle/${n.held}/sperre`, { holdReason: "Verfahren", holdUntil: "2026-13-01" });
      assert.equal(impossible.statusCode, 400, "an impossible date is refused, not a server error");
      await a.get(`/faelle/${n.held}`);
      const past = await a.post(`/faelle/${n.held}/sperre`, { holdReason: "Verfahren", holdUntil: "1969-12-31" });
      assert.match(past.body, /zwischen heute und in zehn Jahren/);
      await a.get(`/faelle/${n.held}`);
      const placed = await a.post(`/faelle/${n.held}/sperre`, { holdReason: "Strafverfahren läuft, Az. 4711 Js 12/26", holdUntil: "2030-12-31" });
      assert.equal(placed.statusCode, 303);
      const heldPage = (await a.get(`/faelle/${n.held}`)).body;
      assert.match(heldPage, /Gesperrt bis 31\. Dezember 2030/);
      assert.match(heldPage, /Die nächtliche Löschung erfasst den Fall ab dem 25\. November 2029/, "three years after closing");
      const [stored] = await q<{ reason: string }>(sql`select reason from case_legal_holds`);
      assert.ok(!stored.reason.includes("4711"), "the reason is sealed");

      const dry = await a.get("/faelle/aufbewahrung");
      assert.equal(dry.statusCode, 200);
      assert.match(dry.body, /Beim nächsten Lauf wird nichts gelöscht/);
      assert.doesNotMatch(dry.body, /name="closedMonths"/, "the office sees the periods, admins set them");
      assert.equal((await a.post("/faelle/aufbewahrung", { closedMonths: "1", dismissedMonths: "1" })).statusCode, 403);

      const x = await signedIn(admin);
      const page = await x.get("/faelle/aufbewahrung");
      assert.match(page.body, /name="closedMonths"[^>]*value="36"/);
      const wrong = await x.post("/faelle/aufbewahrung", { closedMonths: "0", dismissedMonths: "zwölf" });
      assert.equal(wrong.statusCode, 400);
      assert.match(wrong.body, /value="zwölf"/, "the input is kept");
      await x.get("/faelle/aufbewahrung");
      assert.equal((await x.post("/faelle/aufbewahrung", { closedMonths: "24", dismissedMonths: "6" })).statusCode, 303);

      env.clock.advance(200 * DAY);
      const x2 = await signedIn(admin);
      const due = await x2.get("/faelle/aufbewahrung");
      assert.match(due.body, /Wird gelöscht \(1\)/);
      assert.match(due.body, new RegExp(n.duplicate));
      assert.doesNotMatch(due.body, new RegExp(`href="/faelle/${n.duplicate}"`), "admins see numbers, not cases");
      assert.doesNotMatch(due.body, new RegExp(n.kept), "a closed case is kept for its period");
      assert.deepEqual(await caseNumbers(), [n.kept, n.held, n.duplicate, n.open].sort(), "the dry run changed nothing");
    });

    test("the nightly run deletes exactly what is due, keeps the statistics record and what is held; a lifted hold lets it go", async () => {
      await retentionJob(env.platform).run(env.clock.now());
      assert.deepEqual(await caseNumbers(), [n.kept, n.held, n.open].sort());
      assert.equal((await q(sql`select 1 from reports where id = ${reportOf.duplicate}`)).length, 0, "the report is gone with it");

      env.clock.advance(550 * DAY); // past 24 months after closing
      const a = await signedIn(anna);
      const dry = await a.get("/faelle/aufbewahrung");
      assert.match(dry.body, /Frist abgelaufen, aber gesperrt \(1\)/);
      assert.match(dry.body, new RegExp(`href="/faelle/${n.kept}"`));

      const before = await q(
        sql`select 1 from evidence where report_id = ${reportOf.kept} union all select 1 from report_feedback where report_id = ${reportOf.kept}`,
      );
      assert.equal(before.length, 2, "evidence and feedback were there");
      await retentionJob(env.platform).run(env.clock.now());
      assert.deepEqual(await caseNumbers(), [n.held, n.open].sort(), "the held case and the open one stay");
      for (const table of ["reports", "report_contacts", "evidence", "report_messages", "report_questions", "report_feedback"]) {
        const column = table === "reports" ? "id" : "report_id";
        const left = await q(sql`select 1 from ${sql.raw(table)} where ${sql.raw(column)} = ${reportOf.kept}`);
        assert.equal(left.length, 0, `nothing of the report in ${table}`);
      }
      const stats = await q<Record<string, unknown>>(sql`select * from statistics_records where state = 'closed'`);
      assert.equal(stats.length, 2, "the statistics records of both procedures stay");
      const kept = stats.find((s) => s.feedback_supported === 5);
      assert.ok(kept, "with the feedback scores");
      assert.ok(!JSON.stringify(kept).includes("Rabe"), "and no free text");
      const purged = await q<{ details: { number: string } }>(sql`select details from audit_log where action = 'case.purged' order by seq`);
      assert.deepEqual(
        purged.map((p) => p.details.number),
        [n.duplicate, n.kept],
      );

      const holdId = (await q<{ id: string }>(sql`select id from case_legal_holds`))[0].id;
      await a.get(`/faelle/${n.held}`);
      assert.equal((await a.post(`/faelle/${n.held}/sperre/${holdId}/aufheben`, {})).statusCode, 303);
      // Lifted, the hold keeps the case 14 days more: a hold lifted by mistake, or by one officer alone, can be placed again.
      assert.match((await a.get(`/faelle/${n.held}`)).body, /Nach dem Aufheben bleibt der Fall noch 14 Tage erhalten, bis einschließlich/);
      await retentionJob(env.platform).run(env.clock.now());
      assert.deepEqual(await caseNumbers(), [n.held, n.open].sort(), "kept through the grace period");
      env.clock.advance(13 * DAY);
      await retentionJob(env.platform).run(env.clock.now());
      assert.deepEqual(await caseNumbers(), [n.held, n.open].sort(), "still on its 14th day");
      // The database's own check holds to the same: the deletion function refuses the case too.
      const [refused] = await q<{ number: string | null }>(
        sql`select komma_purge_case(${tenant.id}::uuid, c.id, ${env.clock.now()}::timestamptz) as number from cases c where c.number = ${n.held}`,
      );
      assert.equal(refused.number, null);
      env.clock.advance(2 * DAY);
      await retentionJob(env.platform).run(env.clock.now());
      assert.deepEqual(await caseNumbers(), [n.open]);
    });

    test("the application cannot delete a case itself, and the deletion function refuses a case that is not due", async () => {
      await assert.rejects(
        withTenant(env.platform.db, tenant.id, (tx) => tx.execute(sql`delete from cases`)),
        (err: Error) => /permission denied/.test(String(err.cause ?? err)),
      );
      const [{ id }] = await q<{ id: string }>(sql`select id from cases where number = ${n.open}`);
      const [{ number }] = await q<{ number: string | null }>(
        sql`select komma_purge_case(${tenant.id}::uuid, ${id}::uuid, now() + interval '100 years') as number`,
      );
      assert.equal(number, null, "an open case is never deleted");
      const other = await createTenantFixture(env, { slug: "nachbarort", name: "Nachbarort" });
      await assert.rejects(
        withTenant(env.platform.db, other.id, (tx) => tx.execute(sql`select komma_purge_case(${tenant.id}::uuid, ${id}::uuid, now())`)),
        (err: Error) => /not the current tenant/.test(String(err.cause ?? err)),
      );
    });

    test("a case joined into another stays while that one runs: its risk assessment counts there", async () => {
      const a = await signedIn(anna);
      const target = (await report("Schmiererei am Rathaus, zweite Meldung.")).caseNumber;
      const joined = (await report("Schmiererei am Rathaus, dieselbe Tat.")).caseNumber;
      await a.get(`/faelle/${joined}`);
      await a.post(`/faelle/${joined}/zuweisung`, { assignee: anna.id });
      await a.post(`/faelle/${joined}/einschaetzung`, { form: "threat", criteria: [], level: "3", justification: "Drohung im Text" });
      await a.get(`/faelle/${target}`);
      await a.post(`/faelle/${target}/zuweisung`, { assignee: anna.id });
      assert.equal((await a.post(`/faelle/${target}/zusammenfuehren`, { joinOther: joined })).statusCode, 303);
      env.clock.advance(400 * DAY); // past the year a case closed as joined is kept
      await retentionJob(env.platform).run(env.clock.now());
      assert.ok((await caseNumbers()).includes(joined), "kept while the case it joined is open");
      await a.get(`/faelle/${target}`);
      await a.post(`/faelle/${target}/abschluss`, { closeOutcome: "supported", closeConversation: "anonymous", closeConversationOn: "", closeNote: "" });
      const [closing] = await q<{ status: string }>(sql`select status from cases where number = ${target}`);
      assert.equal(closing.status, "in_progress", "at level 3 through the joined case: its closing waits for a second officer");

      // A hold placed on a case joined into another holds that one: the joined case's reports are there now.
      const kept = (await report("Drohbrief, zweite Kopie.")).caseNumber;
      const copy = (await report("Drohbrief, erste Kopie.")).caseNumber;
      await a.get(`/faelle/${kept}`);
      await a.post(`/faelle/${kept}/zuweisung`, { assignee: anna.id });
      await a.post(`/faelle/${kept}/einschaetzung`, { form: "insult", criteria: [], level: "1" });
      assert.equal((await a.post(`/faelle/${kept}/zusammenfuehren`, { joinOther: copy })).statusCode, 303);
      await a.get(`/faelle/${copy}`);
      const until = berlinDate(env.clock.now(), 3650);
      assert.equal((await a.post(`/faelle/${copy}/sperre`, { reason: "Ermittlungsverfahren, Az. 1 Js 2/26", until })).statusCode, 303);
      await a.get(`/faelle/${kept}`);
      await a.post(`/faelle/${kept}/abschluss`, { closeOutcome: "supported", closeConversation: "anonymous", closeConversationOn: "", closeNote: "" });
      env.clock.advance(1200 * DAY); // past the three years a closed case is kept
      await retentionJob(env.platform).run(env.clock.now());
      const left = await caseNumbers();
      assert.ok(left.includes(kept) && left.includes(copy), "both kept while the hold on the joined case lasts");
      const [refused] = await q<{ number: string | null }>(
        sql`select komma_purge_case(${tenant.id}::uuid, c.id, ${env.clock.now()}::timestamptz) as number from cases c where c.number = ${kept}`,
      );
      assert.equal(refused.number, null, "and the database's own check refuses it too");
    });
  });
}
