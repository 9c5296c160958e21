import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { sql } from "drizzle-orm";
import { createReport } from "../../src/modules/reports/commands.ts";
import { rows, withTenant } from "../../src/platform/db/client.ts";
import { PUBLIC_LANGUAGES, translator } from "../../src/platform/i18n/i18n.ts";
import { Agent, createTenantFixture, createTestEnv, createUserFixture, type TenantFixture, type TestEnv, type UserFixture } from "../helpers/app.ts";
import { DB_KINDS } from "../helpers/db.ts";
import { mailText, startSmtpServer } from "../helpers/smtp.ts";

/*
 * The affected person decides: the office asks through the mailbox, the question is explained in
 * the reporter's language (Arabic here, right to left), the answer — agree, decline or a question
 * back — is recorded with time and channel, reaches the office, and shows on the case. An answer
 * given by phone is written down by the office with that channel.
 */

const TOPICS = ["police", "strafantrag", "solidarity_statement", "inform_leader", "referral", "closing"];

test("every question is explained in all six reporting languages", () => {
  for (const lang of PUBLIC_LANGUAGES) {
    const t = translator(lang);
    for (const topic of TOPICS) {
      for (const part of ["title", "text"]) {
        const key = `reports.questions.topics.${topic}.${part}`;
        assert.notEqual(t(key), key, `${lang} ${key}`);
        if (lang !== "de") assert.notEqual(t(key), translator("de")(key), `${lang} ${key} is its own text`);
      }
    }
  }
});

/** The hidden fields and the action of the mailbox form that answers one question. */
function questionForm(body: string): { fields: Record<string, string>; id: string } {
  const form = body.split("<form").find((f) => f.includes('name="_aktion" value="entscheiden"')) ?? "";
  // The agent sends its own CSRF token.
  const fields = Object.fromEntries(
    [...form.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"/g)].filter((m) => m[1] !== "_csrf").map((m) => [m[1], m[2]]),
  );
  return { fields, id: fields.frage };
}

for (const kind of DB_KINDS) {
  describe(`the affected person's decisions (${kind})`, () => {
    let env: TestEnv;
    let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
    let tenant: TenantFixture;
    let anna: UserFixture;
    let staff: UserFixture;
    let number = "";
    let code = "";

    async function signedIn(user: UserFixture) {
      const agent = new Agent(env.app);
      env.clock.advance(30_000);
      await agent.signIn(user, env.clock);
      return agent;
    }

    before(async () => {
      smtp = await startSmtpServer();
      env = await createTestEnv(kind, { env: { SMTP_URL: smtp.url }, startJobs: true });
      tenant = await createTenantFixture(env);
      anna = await createUserFixture(env, [{ tenantId: tenant.id, role: "clearing_officer" }], { totp: true, email: `anna-${kind}@test.example` });
      staff = await createUserFixture(env, [{ tenantId: tenant.id, role: "staff" }]);
      const created = await createReport(env.platform, tenant, {
        answers: { mode: "anonymous", description: "رسالة تهديد في صندوق البريد.", forms: ["threat"] } as never,
        lang: "ar",
        channel: "web",
      });
      number = created.caseNumber;
      code = created.receiptCode as string;
      const a = await signedIn(anna);
      await a.get(`/faelle/${number}`);
      await a.post(`/faelle/${number}/zuweisung`, { assignee: anna.id });
    });
    after(async () => {
      await env.close();
      await smtp.close();
    });

    test("the office asks in the mailbox; the reporter answers in Arabic; the case shows it with time and channel", async () => {
      const a = await signedIn(anna);
      await a.get(`/faelle/${number}`);
      const empty = await a.post(`/faelle/${number}/fragen`, { askTopic: "", askNote: "" });
      assert.equal(empty.statusCode, 400);
      assert.match(empty.body, /Bitte wählen Sie, worum es geht/);
      await a.get(`/faelle/${number}`);
      const asked = await a.post(`/faelle/${number}/fragen`, { askTopic: "referral", askNote: "Die Beratungsstelle Morgenrot berät auch auf Arabisch." });
      assert.equal(asked.statusCode, 303);
      const page = await a.get(`/faelle/${number}`);
      assert.match(page.body, /Vermittlung an eine Beratungsstelle<\/strong>:\s*offen, gefragt am/);

      const stored = await withTenant(env.platform.db, tenant.id, (tx) => rows<{ note: string }>(tx, sql`select note from report_questions`));
      assert.match(stored[0].note, /^k1\./, "the office's note is sealed");

      const reporter = new Agent(env.app);
      await reporter.get(`/${tenant.slug}/melden/postfach?sprache=ar`);
      const box = await reporter.post(`/${tenant.slug}/melden/postfach`, { code, sprache: "ar" });
      assert.match(box.body, /<html lang="ar" dir="rtl"/);
      assert.match(box.body, /الإحالة إلى مركز استشارة/, "the question, explained in Arabic");
      assert.match(box.body, /Die Beratungsstelle Morgenrot berät auch auf Arabisch\./, "with the office's note");
      const { fields, id } = questionForm(box.body);

      const noText = await reporter.post(`/${tenant.slug}/melden/postfach`, { ...fields, [`antwort-${id}`]: "ask_back", [`notiz-${id}`]: "" });
      assert.equal(noText.statusCode, 400);
      assert.match(noText.body, /يرجى كتابة سؤالك/, "the error in Arabic");
      assert.match(noText.body, new RegExp(`name="antwort-${id}" value="ask_back" checked`), "the choice is kept");

      const again = questionForm(noText.body);
      const agreed = await reporter.post(`/${tenant.slug}/melden/postfach`, { ...again.fields, [`antwort-${id}`]: "agree", [`notiz-${id}`]: "شكرًا" });
      assert.equal(agreed.statusCode, 200);
      assert.match(agreed.body, /وصلت إجابتك إلى مكتب الفرز/);
      assert.match(agreed.body, /لقد وافقت/);
      const twice = await reporter.post(`/${tenant.slug}/melden/postfach`, {
        ...again.fields,
        _einmal: "another-key-0000000000",
        [`antwort-${id}`]: "decline",
      });
      assert.match(twice.body, /تمت الإجابة عن هذا السؤال مسبقًا/, "an answer stands: a second one is refused");

      const mail = await smtp.waitFor((m) => m.to.includes(anna.email) && mailText(m.raw).includes(number) && /Entscheidung/.test(m.raw));
      assert.doesNotMatch(mailText(mail.raw), /شكرًا/, "the office's mail names the case only");
      const after1 = await a.get(`/faelle/${number}`);
      assert.match(after1.body, /Vermittlung an eine Beratungsstelle<\/strong>:[\s\S]{0,200}Zustimmung[\s\S]{0,200}über das Postfach/);
      assert.match(after1.body, /شكرًا/, "and the person's words");
      const centre = await a.get("/konto/benachrichtigungen");
      assert.match(centre.body, new RegExp(`Fall ${number}: Antwort der betroffenen Person`));
      const log = await a.get("/verwaltung/protokoll?bereich=reports");
      assert.match(log.body, /Entscheidung der betroffenen Person/);
    });

    test("an answer given by phone is written down with its channel; a report without mailbox cannot be asked", async () => {
      const a = await signedIn(anna);
      await a.get(`/faelle/${number}`);
      const missing = await a.post(`/faelle/${number}/fragen/festhalten`, {
        recordTopic: "police",
        recordAnswer: "decline",
        recordChannel: "",
        recordNote: "",
      });
      assert.equal(missing.statusCode, 400);
      assert.match(missing.body, /Bitte wählen Sie, wie die Antwort kam/);
      assert.match(missing.body, /name="recordAnswer" value="decline" checked/, "the input is kept");
      await a.get(`/faelle/${number}`);
      const phoned = await a.post(`/faelle/${number}/fragen/festhalten`, {
        recordTopic: "police",
        recordAnswer: "decline",
        recordChannel: "phone",
        recordNote: "Möchte erst mit der Familie sprechen.",
      });
      assert.equal(phoned.statusCode, 303);
      const page = await a.get(`/faelle/${number}`);
      assert.match(page.body, /Polizei einschalten<\/strong>:[\s\S]{0,200}Ablehnung[\s\S]{0,200}am Telefon[\s\S]{0,100}Möchte erst mit der Familie sprechen/);

      const named = await createReport(env.platform, tenant, {
        answers: { mode: "named", description: "Beleidigung am Telefon.", contactName: "Kim Beispiel", contactEmail: "kim@example.org" } as never,
        lang: "de",
        channel: "web",
      });
      await a.get(`/faelle/${named.caseNumber}`);
      const noBox = await a.post(`/faelle/${named.caseNumber}/fragen`, { askTopic: "police", askNote: "" });
      assert.equal(noBox.statusCode, 400);
      assert.match(noBox.body, /kein Postfach/);

      const s = await signedIn(staff);
      const outsider = await s.post(`/faelle/${number}/fragen`, { askTopic: "closing", askNote: "" });
      assert.equal(outsider.statusCode, 404, "staff find no case");
    });
  });
}
