import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { sql } from "drizzle-orm";
import { createReport } from "../../src/modules/reports/commands.ts";
import { rows, withTenant } from "../../src/platform/db/client.ts";
import {
  Agent,
  caseContentsOf,
  createTenantFixture,
  createTestEnv,
  createUserFixture,
  mailboxForm,
  outboxMails,
  type TenantFixture,
  type TestEnv,
  type UserFixture,
} from "../helpers/app.ts";
import { DB_KINDS } from "../helpers/db.ts";

/*
 * Closing a case: the lead states the outcome and the closing conversation; from level 2 a
 * second officer releases it (or gives it back, saying why). Closing asks the affected person for
 * feedback in their language; the scores join the case's statistics record, their words stay
 * sealed with the report.
 */

const CLOSING = {
  closeOutcome: "protected",
  closeConversation: "held",
  closeConversationOn: "2026-11-24",
  closeNote: "Gespräch im Rathaus: Alarmplan steht, nichts mehr offen.",
};

for (const kind of DB_KINDS) {
  describe(`closing a case (${kind})`, () => {
    let env: TestEnv;
    let tenant: TenantFixture;
    let anna: UserFixture;
    let ben: UserFixture;
    let admin: UserFixture;
    let number = "";
    let code = "";

    async function signedIn(user: UserFixture) {
      const agent = new Agent(env.app);
      env.clock.advance(30_000);
      await agent.signIn(user, env.clock);
      return agent;
    }
    const q = <T>(query: ReturnType<typeof sql>) => withTenant(env.platform.db, tenant.id, (tx) => rows<T>(tx, query));
    // The statistics follow the case's events in the background: read them once those are through.
    const statistics = async () => {
      await env.platform.domainEvents.idle();
      return q<Record<string, unknown>>(sql`select * from statistics_records`);
    };
    const caseStatus = async (n: string) => (await q<{ status: string }>(sql`select status from cases where number = ${n}`))[0].status;

    before(async () => {
      env = await createTestEnv(kind);
      tenant = await createTenantFixture(env);
      anna = await createUserFixture(env, [{ tenantId: tenant.id, role: "clearing_officer" }], { totp: true, displayName: "Anna Amsel" });
      ben = await createUserFixture(env, [{ tenantId: tenant.id, role: "clearing_officer" }], { totp: true, displayName: "Ben Buchfink" });
      admin = await createUserFixture(env, [{ tenantId: tenant.id, role: "municipal_admin" }], { totp: true });
      const created = await createReport(env.platform, tenant, {
        answers: {
          mode: "anonymous",
          description: "Drohbrief an meine Privatadresse, mit meinem Foto.",
          forms: ["threat"],
          motives: ["racist"],
          place: "private_home",
          affectedFunction: "office_holder",
        } as never,
        lang: "ar",
        channel: "web",
      });
      number = created.caseNumber;
      code = created.receiptCode as string;
      const a = await signedIn(anna);
      await a.get(`/faelle/${number}`);
      await a.post(`/faelle/${number}/zuweisung`, { assignee: anna.id });
      await a.post(`/faelle/${number}/einschaetzung`, { form: "threat", criteria: ["privateAddressOrFamily"], level: "2" });
      await a.post(`/faelle/${number}/massnahmen`, { measure: "alarm_plan", ownerId: anna.id, dueOn: "", note: "", entitled: "", fromOn: "" });
    });
    after(() => env.close());

    test("a level-2 case closes only once a second officer released it; open measures come first; a request given back says why", async () => {
      const a = await signedIn(anna);
      await a.get(`/faelle/${number}`);
      const empty = await a.post(`/faelle/${number}/abschluss`, { ...CLOSING, closeOutcome: "", closeConversationOn: "" });
      assert.equal(empty.statusCode, 400);
      assert.match(empty.body, /Bitte wählen Sie das Ergebnis/);
      assert.match(empty.body, /Bitte geben Sie an, wann das Gespräch war/);
      assert.match(empty.body, /Alarmplan steht, nichts mehr offen\.<\/textarea>/, "the note is kept");

      const open = await a.post(`/faelle/${number}/abschluss`, CLOSING);
      assert.equal(open.statusCode, 400);
      assert.match(open.body, /Noch eine offene Maßnahme: Erledigen/);
      const task = /action="(\/faelle\/[^"]+\/massnahmen\/[0-9a-f-]{36})"/.exec(open.body)?.[1] as string;
      assert.equal((await a.post(task, { status: "done", outcome: "Alarmplan mit dem Ordnungsamt abgestimmt", fromOn: "" })).statusCode, 303);

      await a.get(`/faelle/${number}`);
      assert.equal((await a.post(`/faelle/${number}/abschluss`, CLOSING)).statusCode, 303);
      const waiting = await a.get(`/faelle/${number}`);
      assert.match(waiting.body, /Sie haben den Abschluss beantragt/);
      assert.doesNotMatch(waiting.body, /Stufe 2: Polizei noch heute/, "what to do at once is for a case under way, not one whose closing waits");
      const pages = { waiting };
      const inboxRow = (await a.get("/faelle")).body.split("<tr").find((r) => r.includes(`href="/faelle/${number}"`)) ?? "";
      assert.match(inboxRow, /beantragt – wartet auf Freigabe/, "the inbox shows the pending closure");
      assert.doesNotMatch(waiting.body, /Abschluss freigeben/, "the one who asked cannot release");
      assert.equal(await caseStatus(number), "in_progress");
      await a.post(`/faelle/${number}/abschluss/freigeben`, {});
      assert.equal(await caseStatus(number), "in_progress", "not by the same officer, even by a crafted post");

      const notices = await q<{ user_id: string }>(sql`select user_id from notifications where kind = 'cases.notify.closureRequested'`);
      assert.deepEqual(
        notices.map((n) => n.user_id),
        [ben.id],
      );
      const mail = (await outboxMails(env)).find((m) => m.to === ben.email && m.subject.includes("Abschluss beantragt"));
      assert.ok(mail, "the second officer is mailed");
      assert.doesNotMatch(mail.body, /Drohbrief|Alarmplan/, "with the number only");

      const x = await signedIn(admin);
      await x.get("/start");
      const foreign = await x.post(`/faelle/${number}/abschluss/freigeben`, {});
      assert.ok([403, 404].includes(foreign.statusCode), "only the clearing office releases");

      const b = await signedIn(ben);
      const review = await b.get(`/faelle/${number}`);
      assert.match(review.body, /Abschluss beantragt – bitte prüfen/);
      Object.assign(pages, { review });
      assert.match(review.body, /Schutzmaßnahmen stehen/);
      const noReason = await b.post(`/faelle/${number}/abschluss/zurueckgeben`, { reason: " " });
      assert.equal(noReason.statusCode, 400);
      assert.match(noReason.body, /Bitte sagen Sie, warum Sie den Antrag zurückgeben/);
      await b.get(`/faelle/${number}`);
      assert.equal((await b.post(`/faelle/${number}/abschluss/zurueckgeben`, { reason: "Bitte erst die Polizei nach dem Stand fragen." })).statusCode, 303);
      const back = await a.get(`/faelle/${number}`);
      assert.match(back.body, /Zurückgegeben von Ben Buchfink/);
      assert.match(back.body, /Bitte erst die Polizei nach dem Stand fragen/);
      assert.match(back.body, /Abschluss beantragen/, "the lead can ask again");

      assert.equal((await a.post(`/faelle/${number}/abschluss`, CLOSING)).statusCode, 303);
      // A measure added while the request waits comes first.
      await a.get(`/faelle/${number}`);
      await a.post(`/faelle/${number}/massnahmen`, { measure: "safety_walkthrough", ownerId: "", dueOn: "", note: "", entitled: "", fromOn: "" });
      await b.get(`/faelle/${number}`);
      await b.post(`/faelle/${number}/abschluss/freigeben`, {});
      assert.equal(await caseStatus(number), "in_progress", "not released with an open measure");
      const forms = [...(await a.get(`/faelle/${number}`)).body.matchAll(/action="(\/faelle\/[^"]+\/massnahmen\/[0-9a-f-]{36})"/g)];
      const added = forms.at(-1)?.[1] as string;
      await a.post(added, { status: "cancelled", outcome: "", fromOn: "" });
      await b.get(`/faelle/${number}`);
      assert.equal((await b.post(`/faelle/${number}/abschluss/freigeben`, {})).statusCode, 303);
      assert.equal(await caseStatus(number), "closed");
      const closed = await b.get(`/faelle/${number}`);
      assert.match(closed.body, /Abgeschlossen am .*, freigegeben von Ben Buchfink/);
      assert.match(closed.body, /Beim Abschluss erbeten am/, "the feedback is asked");
      assert.doesNotMatch(closed.body, /Stufe 2: Polizei noch heute/, "what to do at once is for a case under way");
      Object.assign(pages, { closed });
      for (const [state, page] of Object.entries(pages)) {
        const { links, headings } = caseContentsOf(page.body);
        assert.deepEqual(links, headings, `${state}: the links at the top are the page's parts, in order`);
      }

      const [stats] = await statistics();
      assert.equal(stats.level, 2);
      assert.deepEqual(stats.measures, ["alarm_plan"]);
      assert.deepEqual(stats.forms, ["threat"]);
      assert.equal(stats.place, "private_home");
      assert.equal(stats.affected_function, "office_holder");
      assert.equal(stats.outcome, "protected");
      assert.equal(String(stats.opened_month).slice(0, 10), "2026-11-01");
      assert.equal(stats.state, "closed");
      assert.equal(stats.feedback_supported, null);
      assert.equal(stats.strafantrag, null, "no Strafantrag was decided");
      const sealed = await q<{ note: string; return_reason: string | null }>(sql`select note, return_reason from case_closures`);
      assert.ok(
        sealed.every((c) => !c.note.includes("Rathaus") && !(c.return_reason ?? "").includes("Polizei")),
        "notes and reasons are sealed",
      );
      const audit = await q<{ action: string }>(sql`select action from audit_log where action like 'case.clos%' order by seq`);
      assert.deepEqual(
        audit.map((r) => r.action),
        ["case.closure_requested", "case.closure_returned", "case.closure_requested", "case.closed"],
      );
    });

    test("the person gives feedback in their language; the scores join the statistics, their words stay sealed", async () => {
      const reporter = new Agent(env.app);
      await reporter.get(`/${tenant.slug}/melden/postfach`);
      const box = await reporter.post(`/${tenant.slug}/melden/postfach`, { code, sprache: "ar" });
      assert.match(box.body, /ملاحظاتك/, "asked in Arabic");
      const form = mailboxForm(box.body, "rueckmelden");
      const missing = await reporter.post(`/${tenant.slug}/melden/postfach`, { ...form, "feedback-comment": "شكرا للفريق" });
      assert.equal(missing.statusCode, 400);
      assert.match(missing.body, /يرجى تحديد ما إذا كنت قد شعرت بالدعم/);
      assert.match(missing.body, /شكرا للفريق<\/textarea>/, "the words are kept");

      const again = mailboxForm(missing.body, "rueckmelden");
      const given = await reporter.post(`/${tenant.slug}/melden/postfach`, {
        ...again,
        "feedback-supported": "4",
        "feedback-superiors": "none",
        "feedback-colleagues": "3",
        "feedback-office": "5",
        "feedback-partners": "",
        "feedback-comment": "شكرا للفريق",
      });
      assert.equal(given.statusCode, 200);
      assert.match(given.body, /شكرًا على ملاحظاتك/);
      assert.doesNotMatch(given.body, /name="_aktion" value="rueckmelden"/, "asked once");

      const [stats] = await statistics();
      assert.deepEqual(
        [stats.feedback_supported, stats.feedback_superiors, stats.feedback_colleagues, stats.feedback_office, stats.feedback_partners],
        [4, null, 3, 5, null],
      );
      const [stored] = await q<{ comment: string }>(sql`select comment from report_feedback`);
      assert.ok(!stored.comment.includes("شكرا"), "the words are sealed");

      const twice = await reporter.post(`/${tenant.slug}/melden/postfach`, {
        ...again,
        _einmal: "neu-und-einmalig",
        "feedback-supported": "1",
        "feedback-comment": "",
      });
      assert.match(twice.body, /لقد وصلتنا ملاحظاتك بالفعل/);
      assert.equal((await statistics())[0].feedback_supported, 4, "given once, kept");

      const a = await signedIn(anna);
      const page = await a.get(`/faelle/${number}`);
      assert.match(page.body, /Rückmeldung der betroffenen Person/);
      assert.match(page.body, /شكرا للفريق/);
      assert.deepEqual(caseContentsOf(page.body).links, caseContentsOf(page.body).headings, "with the feedback too");
      assert.ok(caseContentsOf(page.body).links.includes("rueckmeldung"));
    });

    test("below level 2 the lead closes at once; reopened and closed again, the case keeps one statistics record; feedback by phone is written down", async () => {
      const created = await createReport(env.platform, tenant, {
        answers: {
          mode: "named",
          contactName: "Mira Mauersegler",
          contactEmail: "mira@example.org",
          description: "Beleidigung am Telefon.",
          forms: ["insult"],
        } as never,
        lang: "de",
        channel: "phone",
      });
      const n = created.caseNumber;
      const a = await signedIn(anna);
      await a.get(`/faelle/${n}`);
      await a.post(`/faelle/${n}/zuweisung`, { assignee: anna.id });
      await a.post(`/faelle/${n}/einschaetzung`, { form: "insult", criteria: [], level: "1" });
      // Raised to 3 and lowered again, it still needs a second officer: the highest level decides.
      const lowered = (
        await createReport(env.platform, tenant, {
          answers: { mode: "named", contactName: "Ria Rotkehlchen", description: "Drohung mit einem Messer.", forms: ["threat"] } as never,
          lang: "de",
          channel: "phone",
        })
      ).caseNumber;
      await a.get(`/faelle/${lowered}`);
      await a.post(`/faelle/${lowered}/zuweisung`, { assignee: anna.id });
      await a.post(`/faelle/${lowered}/einschaetzung`, { form: "threat", criteria: ["weaponOrAcuteDanger"], level: "3" });
      await a.post(`/faelle/${lowered}/einschaetzung`, { form: "threat", criteria: [], level: "0", justification: "Irrtum" });
      await a.post(`/faelle/${lowered}/abschluss`, { closeOutcome: "supported", closeConversation: "held", closeConversationOn: "2026-11-24", closeNote: "" });
      assert.equal(await caseStatus(lowered), "in_progress", "waits for a second officer");
      const closed = await a.post(`/faelle/${n}/abschluss`, {
        closeOutcome: "supported",
        closeConversation: "declined",
        closeConversationOn: "",
        closeNote: "",
      });
      assert.equal(closed.statusCode, 303);
      assert.equal(await caseStatus(n), "closed");
      await a.get(`/faelle/${n}`);
      assert.equal((await a.post(`/faelle/${n}/wieder-oeffnen`, {})).statusCode, 303);
      assert.equal(await caseStatus(n), "in_progress");
      await a.get(`/faelle/${n}`);
      await a.post(`/faelle/${n}/abschluss`, { closeOutcome: "no_further_wish", closeConversation: "declined", closeConversationOn: "", closeNote: "" });
      assert.equal(await caseStatus(n), "closed");
      // The other phone case still runs: its record counts it as open.
      const mine = (await statistics()).filter((s) => s.channel === "phone" && s.state === "closed");
      assert.equal(mine.length, 1, "one record for the case closed twice");
      assert.equal(mine[0].outcome, "no_further_wish");

      const page = await a.get(`/faelle/${n}`);
      assert.match(page.body, /Eine Rückmeldung festhalten, die anders kam/);
      const bad = await a.post(`/faelle/${n}/rueckmeldung`, { fbchannel: "", fbsupported: "9", fbcomment: "Am Telefon bedankt" });
      assert.equal(bad.statusCode, 400);
      assert.match(bad.body, /Am Telefon bedankt<\/textarea>/);
      await a.get(`/faelle/${n}`);
      const recorded = await a.post(`/faelle/${n}/rueckmeldung`, { fbchannel: "phone", fbsupported: "5", fbcomment: "Am Telefon bedankt" });
      assert.equal(recorded.statusCode, 303);
      assert.equal((await statistics()).find((s) => s.channel === "phone" && s.state === "closed")?.feedback_supported, 5);
      assert.match((await a.get(`/faelle/${n}`)).body, /Gegeben am .*, am Telefon/);

      // Written down by the office first, the person's own answer in the mailbox still counts.
      const own = await createReport(env.platform, tenant, {
        answers: { mode: "anonymous", description: "Beleidigung per E-Mail.", forms: ["insult"] } as never,
        lang: "de",
        channel: "web",
      });
      await a.get(`/faelle/${own.caseNumber}`);
      await a.post(`/faelle/${own.caseNumber}/zuweisung`, { assignee: anna.id });
      await a.post(`/faelle/${own.caseNumber}/einschaetzung`, { form: "insult", criteria: [], level: "1" });
      await a.post(`/faelle/${own.caseNumber}/abschluss`, {
        closeOutcome: "supported",
        closeConversation: "held",
        closeConversationOn: "2026-11-24",
        closeNote: "",
      });
      await a.get(`/faelle/${own.caseNumber}`);
      await a.post(`/faelle/${own.caseNumber}/rueckmeldung`, { fbchannel: "phone", fbsupported: "2", fbcomment: "" });
      const reporter = new Agent(env.app);
      await reporter.get(`/${tenant.slug}/melden/postfach`);
      const box = await reporter.post(`/${tenant.slug}/melden/postfach`, { code: own.receiptCode as string, sprache: "de" });
      const form = mailboxForm(box.body, "rueckmelden");
      const given = await reporter.post(`/${tenant.slug}/melden/postfach`, { ...form, "feedback-supported": "5", "feedback-comment": "" });
      assert.match(given.body, /Danke für Ihre Rückmeldung/);
      await env.platform.domainEvents.idle();
      const [stats] = await q<{ feedback_supported: number }>(
        sql`select s.feedback_supported from statistics_records s join cases c on c.tenant_id = s.tenant_id and c.id = s.case_id where c.number = ${own.caseNumber}`,
      );
      assert.equal(stats.feedback_supported, 5);
    });

    test("the statistics learn whether a Strafantrag decided for the case was filed within its three months", async () => {
      const a = await signedIn(anna);
      const today = (await q<{ d: string }>(sql`select to_char((${env.clock.now()}::timestamptz at time zone 'Europe/Berlin')::date, 'YYYY-MM-DD') as d`))[0].d;
      const daysAgo = (n: number) => new Date(Date.parse(`${today}T12:00:00Z`) - n * 86_400_000).toISOString().slice(0, 10);
      const tasksOf = async (n: string) =>
        [...(await a.get(`/faelle/${n}`)).body.matchAll(/action="(\/faelle\/[^"]+\/massnahmen\/[0-9a-f-]{36})"/g)].map((m) => m[1]);
      // Each case: which applications are decided (who, since when they knew), and what becomes of each.
      const cases = [
        {
          expect: "in_time",
          tasks: [
            { entitled: "superior", fromOn: daysAgo(10), status: "done" },
            { entitled: "affected", fromOn: daysAgo(10), status: "cancelled" },
          ],
        },
        { expect: "late", tasks: [{ entitled: "superior", fromOn: daysAgo(120), status: "done" }] },
        { expect: "not_filed", tasks: [{ entitled: "affected", fromOn: "", status: "cancelled" }] },
      ];
      const numbers: string[] = [];
      for (const c of cases) {
        const n = (
          await createReport(env.platform, tenant, {
            answers: { mode: "named", contactName: "Kai Kleiber", description: "Beleidigung im Bürgerbüro.", forms: ["insult"] } as never,
            lang: "de",
            channel: "in_person",
          })
        ).caseNumber;
        numbers.push(n);
        await a.get(`/faelle/${n}`);
        await a.post(`/faelle/${n}/zuweisung`, { assignee: anna.id });
        await a.post(`/faelle/${n}/einschaetzung`, { form: "insult", criteria: [], level: "1" });
        for (const task of c.tasks) {
          await a.get(`/faelle/${n}`);
          const added = await a.post(`/faelle/${n}/massnahmen`, {
            measure: "strafantrag",
            entitled: task.entitled,
            fromOn: task.fromOn,
            ownerId: "",
            dueOn: "",
            note: "",
          });
          assert.equal(added.statusCode, 303, added.body.slice(0, 300));
        }
        const actions = await tasksOf(n);
        for (const [i, task] of c.tasks.entries()) {
          await a.get(`/faelle/${n}`);
          const res = await a.post(actions[i], { status: task.status, outcome: task.status === "done" ? "Bei der Polizei gestellt" : "", fromOn: task.fromOn });
          assert.equal(res.statusCode, 303, res.body.slice(0, 300));
        }
        await a.get(`/faelle/${n}`);
        assert.equal(
          (await a.post(`/faelle/${n}/abschluss`, { closeOutcome: "proceedings", closeConversation: "declined", closeConversationOn: "", closeNote: "" }))
            .statusCode,
          303,
        );
        assert.equal(await caseStatus(n), "closed");
      }
      await env.platform.domainEvents.idle();
      const found = await q<{ number: string; strafantrag: string | null; measures: string[] }>(
        sql`select c.number, s.strafantrag, s.measures from statistics_records s join cases c on c.tenant_id = s.tenant_id and c.id = s.case_id`,
      );
      for (const [i, c] of cases.entries()) {
        const record = found.find((r) => r.number === numbers[i]);
        assert.equal(record?.strafantrag, c.expect, `case ${i + 1}`);
      }
      const rollup = await rows<{ code: string; count: number }>(
        env.platform.db,
        sql`select code, sum(count)::int as count from statistics_rollups where dimension = 'strafantrag' group by code`,
      );
      for (const code of ["in_time", "late", "not_filed"]) assert.ok((rollup.find((r) => r.code === code)?.count ?? 0) >= 1, `${code} is counted nationally`);
    });

    test("the second officer cannot be skipped: not by lowering the level and closing from the inbox, nor by joining a case away", async () => {
      const a = await signedIn(anna);
      const assessed = async (description: string, levels: string[]) => {
        const n = (
          await createReport(env.platform, tenant, { answers: { mode: "anonymous", description, forms: ["threat"] } as never, lang: "de", channel: "web" })
        ).caseNumber;
        await a.get(`/faelle/${n}`);
        await a.post(`/faelle/${n}/zuweisung`, { assignee: anna.id });
        for (const level of levels) await a.post(`/faelle/${n}/einschaetzung`, { form: "threat", criteria: [], level, justification: "Nach Rücksprache" });
        return n;
      };
      // Once at level 3, lowered to 0: the inbox's "close as abuse" leaves it open, as a closing request would wait.
      const lowered = await assessed("Drohung am Telefon, später zurückgenommen.", ["3", "0"]);
      await a.get("/faelle");
      await a.post("/faelle/sammelaktion", { faelle: [lowered], aktion: "abuse", zurueck: "/faelle" });
      assert.match((await a.get("/faelle")).body, /1 Fall blieb unverändert/);
      assert.equal(await caseStatus(lowered), "in_progress");
      // Nor a report of acute danger, assessed or not: it goes through the procedure.
      const danger = (
        await createReport(env.platform, tenant, {
          answers: { mode: "anonymous", immediateDanger: "yes", description: "Er steht wieder vor dem Haus.", forms: ["threat"] } as never,
          lang: "de",
          channel: "web",
        })
      ).caseNumber;
      await a.get("/faelle");
      await a.post("/faelle/sammelaktion", { faelle: [danger], aktion: "abuse", zurueck: "/faelle" });
      assert.equal(await caseStatus(danger), "received");

      // A level-3 case joined into one at level 0: its assessment counts there, the case is at level 3 now and waits for a second officer.
      const low = await assessed("Beleidigung im Bürgerbüro.", ["0"]);
      const high = await assessed("Dieselbe Person droht mit einer Waffe.", ["3"]);
      await a.get(`/faelle/${low}`);
      assert.equal((await a.post(`/faelle/${low}/zusammenfuehren`, { joinOther: high })).statusCode, 303);
      const [joined] = await q<{ risk_level: number }>(sql`select risk_level from cases where number = ${low}`);
      assert.equal(joined.risk_level, 3);
      assert.match((await a.get(`/faelle/${low}`)).body, /Stufe 3/);
      await env.platform.domainEvents.idle();
      const [record] = await q<{ level: number }>(
        sql`select s.level from statistics_records s join cases c on c.tenant_id = s.tenant_id and c.id = s.case_id where c.number = ${low}`,
      );
      assert.equal(record.level, 3, "the statistics count the incident at its level");
      await a.get(`/faelle/${low}`);
      await a.post(`/faelle/${low}/abschluss`, { closeOutcome: "no_further_wish", closeConversation: "declined", closeConversationOn: "", closeNote: "" });
      assert.equal(await caseStatus(low), "in_progress", "waits for a second officer");

      // While its closing waits, no case joins it (the second officer would release what they never saw), and a case
      // whose own closing waits joins none.
      const third = await assessed("Noch ein Anruf derselben Person.", ["1"]);
      await a.get(`/faelle/${low}`);
      const refused = await a.post(`/faelle/${low}/zusammenfuehren`, { joinOther: third });
      assert.equal(refused.statusCode, 400);
      assert.match(refused.body, /wartet auf die Freigabe durch eine zweite Person/);
      await a.get(`/faelle/${third}`);
      const busy = await a.post(`/faelle/${third}/zusammenfuehren`, { joinOther: low });
      assert.equal(busy.statusCode, 400);
      assert.match(busy.body, /Der andere Fall hat schon Maßnahmen/);
      assert.equal(await caseStatus(low), "in_progress");
      const b = await signedIn(ben);
      await b.get(`/faelle/${low}`);
      assert.equal((await b.post(`/faelle/${low}/abschluss/freigeben`, {})).statusCode, 303);
      assert.equal(await caseStatus(low), "closed", "released by the second officer");

      // Joined along a chain: the level a case took by a join goes on with it.
      const threat = await assessed("Drohung per Brief.", ["3"]);
      const unassessed = await assessed("Derselbe Brief, an die Pressestelle.", []);
      const calm = await assessed("Derselbe Brief, im Bürgerbüro abgegeben.", ["0"]);
      await a.get(`/faelle/${unassessed}`);
      assert.equal((await a.post(`/faelle/${unassessed}/zusammenfuehren`, { joinOther: threat })).statusCode, 303);
      await a.get(`/faelle/${calm}`);
      assert.equal((await a.post(`/faelle/${calm}/zusammenfuehren`, { joinOther: unassessed })).statusCode, 303);
      const [chained] = await q<{ risk_level: number }>(sql`select risk_level from cases where number = ${calm}`);
      assert.equal(chained.risk_level, 3);
    });
  });
}
