import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { createMailer } from "../../src/platform/mail/mailer.ts";
import { Agent, createTenantFixture, createTestEnv, hiddenFields, outboxMails, receiptCodeOf, type TenantFixture, type TestEnv } from "../helpers/app.ts";
import { DB_KINDS } from "../helpers/db.ts";
import { mailText, startSmtpServer } from "../helpers/smtp.ts";

/** The intents of the step form's submit buttons, in document order (what Enter and Tab meet). */
function submitButtons(html: string): string[] {
  const form = /<form[^>]*komma-report-form[^>]*>([\s\S]*?)<\/form>/.exec(html)?.[1] ?? "";
  return [...form.matchAll(/<button type="submit"([^>]*)>/g)].map((m) => /name="intent" value="([^"]+)"/.exec(m[1])?.[1] ?? `(no intent: ${m[1]})`);
}

for (const kind of DB_KINDS) {
  describe(`the reporting flow, as a person meets it (${kind})`, () => {
    let env: TestEnv;
    let tenant: TenantFixture;
    before(async () => {
      env = await createTestEnv(kind);
      tenant = await createTenantFixture(env, { name: "Ablaufstadt", slug: `ablaufstadt-${kind}` });
    });
    after(() => env.close());

    async function begin(agent: Agent, lang = "de") {
      await agent.get(`/${tenant.slug}/melden?sprache=${lang}`);
      const start = await agent.post(`/${tenant.slug}/melden`, { sprache: lang });
      return String(start.headers.location).replace(/\/gefahr\?sprache=[a-z]+$/, "");
    }

    test("on every step Continue is the form's first button, before Skip, Back and the language buttons", async () => {
      const agent = new Agent(env.app);
      const base = await begin(agent);
      for (const step of ["gefahr", "art", "vorfall", "personen", "folgen", "beweise"]) {
        const page = await agent.get(`${base}/${step}`);
        const buttons = submitButtons(page.body);
        const firstAction = buttons.find((b) => b !== "upload" && b !== "link");
        assert.equal(firstAction, "next", `${step}: ${buttons.join(", ")}`);
        const firstLanguage = buttons.findIndex((b) => b.startsWith("language:"));
        assert.ok(firstLanguage > 0 && buttons.indexOf("next") < firstLanguage, `${step}: language after Continue`);
        if (step !== "gefahr") assert.ok(buttons.indexOf("next") < buttons.indexOf("back"), `${step}: Back after Continue`);
        const question = page.body.search(
          /<(fieldset|label|textarea|input)[^>]*(kern-fieldset|kern-label|kern-form-input__input|kern-form-check__radio|kern-form-check__checkbox|type="file")/,
        );
        assert.ok(question < page.body.indexOf('value="language:'), `${step}: the first question comes before the language buttons`);
      }
      const evidence = submitButtons((await agent.get(`${base}/beweise`)).body);
      assert.equal(evidence[0], "upload", "on the evidence step Enter adds what was chosen or typed");
    });

    test("an intent the step does not offer shows the step again with the input kept, and does nothing else", async () => {
      const agent = new Agent(env.app);
      const base = await begin(agent);
      for (const intent of ["weiter", "back", "upload", "next:1", "skip:", "language:xx", "language:", "remove:nicht-eine-id", "NEXT"]) {
        await agent.get(`${base}/gefahr`);
        const res = await agent.post(`${base}/gefahr`, { immediateDanger: "yes", intent });
        assert.equal(res.statusCode, 400, intent);
        assert.match(res.body, /name="immediateDanger" value="yes" checked/, `${intent}: the answer is kept`);
        assert.match(res.body, /<h1 class="kern-heading-large">Gefahr<\/h1>/, intent);
      }
      await agent.get(`${base}/beweise`);
      const skip = await agent.postMultipart(`${base}/beweise`, { intent: "skip", url: "https://social.example/p/1" }, []);
      assert.equal(skip.statusCode, 400, "the evidence step offers no Skip");
      assert.match(skip.body, /value="https:\/\/social\.example\/p\/1"/, "the typed link is kept");
      assert.match((await agent.get(`${base}/beweise`)).body, /Noch keine Beweise/, "nothing was taken");
      const review = await agent.post(`${base}/pruefen`, { intent: "next" });
      assert.equal(review.statusCode, 400, "the summary offers only the language buttons");
    });

    test("a post that names no button does what Enter does: Continue on a step, adding on the evidence step", async () => {
      const agent = new Agent(env.app);
      const base = await begin(agent);
      const danger = await agent.post(`${base}/gefahr`, { immediateDanger: "no" });
      assert.equal(danger.headers.location, `${base}/art?sprache=de`);
      await agent.get(`${base}/beweise`);
      const nothing = await agent.postMultipart(`${base}/beweise`, {}, []);
      assert.equal(nothing.statusCode, 400);
      assert.match(nothing.body, /Bitte wählen Sie zuerst eine Datei aus/);
    });

    test("Remove takes one item off the draft's evidence and keeps the others", async () => {
      const agent = new Agent(env.app);
      const base = await begin(agent);
      await agent.get(`${base}/beweise`);
      const pdf = Buffer.from("%PDF-1.4\n1 0 obj <<>> endobj\n%%EOF\n");
      const added = await agent.postMultipart(`${base}/beweise`, { intent: "upload" }, [
        { field: "file", name: "eins.pdf", data: pdf },
        { field: "file", name: "zwei.pdf", data: pdf },
      ]);
      assert.equal(added.statusCode, 200);
      const removals = [...added.body.matchAll(/name="intent" value="(remove:[0-9a-f-]{36})" form="evidence-remove"/g)].map((m) => m[1]);
      assert.equal(removals.length, 2);
      const removed = await agent.postMultipart(`${base}/beweise`, { intent: removals[0] }, []);
      assert.equal(removed.headers.location, `${base}/beweise?sprache=de`);
      const page = (await agent.get(`${base}/beweise`)).body;
      assert.equal([...page.matchAll(/value="remove:/g)].length, 1);
      assert.ok(page.includes(removals[1]), "the other file stays");
    });

    test("the danger question offers No first, so a browser that ticks the first choice never reports danger", async () => {
      const agent = new Agent(env.app);
      const base = await begin(agent);
      const page = await agent.get(`${base}/gefahr`);
      const values = [...page.body.matchAll(/name="immediateDanger" value="([a-z]+)"/g)].map((m) => m[1]);
      assert.deepEqual(values, ["no", "yes"]);
      assert.doesNotMatch(page.body, /name="immediateDanger" value="[a-z]+" checked/, "nothing is chosen in advance");
    });

    test("optional questions start at 'Keine Angabe', so nothing is answered that the person did not choose", async () => {
      const agent = new Agent(env.app);
      const base = await begin(agent);
      const page = await agent.get(`${base}/personen`);
      for (const name of ["affectedFunction", "publicContact", "perpetratorKnown"]) {
        const first = new RegExp(`name="${name}" value(="")? checked`).test(page.body);
        assert.ok(first, `${name}: "Keine Angabe" first and chosen`);
      }
      const sent = await agent.post(`${base}/personen`, { affectedFunction: "", publicContact: "", perpetratorKnown: "", intent: "next" });
      assert.equal(sent.statusCode, 303, "no answer is a valid answer");
    });

    test("without danger, every later step still names 110 and 112 in one line, as links to call; no alert", async () => {
      const agent = new Agent(env.app);
      const base = await begin(agent);
      const next = await agent.post(`${base}/gefahr`, { immediateDanger: "no", intent: "next" });
      const page = await agent.get(next.headers.location as string);
      assert.match(
        page.body,
        /data-emergency-line[^>]*>In akuter Gefahr: Notruf <span dir="ltr"><a class="kern-link" href="tel:110">110<\/a> · <a class="kern-link" href="tel:112">112<\/a>/,
      );
      assert.ok(page.body.indexOf("data-emergency-line") < page.body.indexOf("<form"), "above the form");
      assert.doesNotMatch(page.body, /role="alert"/);
      for (const step of ["vorfall", "personen", "folgen", "beweise", "pruefen"]) {
        const later = await agent.get(`${base}/${step}?sprache=de`);
        assert.match(later.body, /data-emergency-line[^>]*>In akuter Gefahr: Notruf/, step);
        assert.doesNotMatch(later.body, /role="alert"/, step);
      }
    });

    test("after 'yes, in danger' the alert with 110 and 112 stays on every step, the evidence and the check page included", async () => {
      const agent = new Agent(env.app);
      const base = await begin(agent);
      await agent.post(`${base}/gefahr`, { immediateDanger: "yes", intent: "next" });
      for (const step of ["art", "vorfall", "personen", "folgen", "beweise", "pruefen"]) {
        const page = await agent.get(`${base}/${step}?sprache=de`);
        assert.match(page.body, /role="alert"[\s\S]*tel:110[\s\S]*tel:112/, step);
      }
    });

    test("the 110/112 alert stays when a step comes back with an error", async () => {
      const agent = new Agent(env.app);
      const base = await begin(agent);
      await agent.post(`${base}/gefahr`, { immediateDanger: "yes", intent: "next" });
      const error = await agent.post(`${base}/art`, { mode: "named", intent: "next" });
      assert.equal(error.statusCode, 400);
      assert.match(error.body, /role="alert"[\s\S]*110/);
      const dangerAgain = await agent.post(`${base}/gefahr`, { intent: "next" });
      assert.equal(dangerAgain.statusCode, 400);
      assert.match(dangerAgain.body, /110/, "the danger step shows the numbers with its error too");
    });

    test("a minimal anonymous report takes five screens: start, danger, who, what, check and send", async () => {
      const agent = new Agent(env.app);
      const base = await begin(agent);
      await agent.post(`${base}/gefahr`, { immediateDanger: "no", intent: "next" });
      await agent.get(`${base}/art`);
      await agent.post(`${base}/art`, { mode: "anonymous", intent: "next" });
      await agent.get(`${base}/vorfall`);
      const skip = await agent.post(`${base}/vorfall`, { description: "Beleidigt am Telefon, kurz und knapp.", intent: "skip" });
      assert.equal(skip.headers.location, `${base}/pruefen?sprache=de`);
      await agent.get(`${base}/pruefen?sprache=de`);
      const sent = await agent.post(`${base}/absenden?sprache=de`, {});
      assert.equal(sent.statusCode, 201);
      assert.match(receiptCodeOf(sent.body) ?? "", /^[A-Z2-9]{4}(-[A-Z2-9]{4}){4}$/);
    });

    test("contact details typed beside 'anonymous' are not dropped unseen: the step asks to clear them or report confidentially", async () => {
      const agent = new Agent(env.app);
      const base = await begin(agent);
      await agent.post(`${base}/gefahr`, { immediateDanger: "no", intent: "next" });
      await agent.get(`${base}/art`);
      const refused = await agent.post(`${base}/art`, { mode: "anonymous", contactEmail: "erreichbar@test.example", intent: "next" });
      assert.equal(refused.statusCode, 400);
      assert.match(refused.body, /Anonyme Meldungen speichern keine Kontaktdaten[^<]*„Vertraulich“/);
      assert.match(refused.body, /href="#f-contactEmail"/, "the error summary leads to the address");
      assert.match(refused.body, /value="erreichbar@test\.example"/, "the address is kept");
      assert.match(refused.body, /name="mode" value="anonymous" checked/, "the choice is kept");
      const confidential = await agent.post(`${base}/art`, { mode: "confidential", contactEmail: "erreichbar@test.example", intent: "next" });
      assert.equal(confidential.statusCode, 303);
      await agent.get(`${base}/art`);
      const cleared = await agent.post(`${base}/art`, { mode: "anonymous", contactName: " ", contactEmail: "", intent: "next" });
      assert.equal(cleared.statusCode, 303, "blank fields are no contact details");
    });

    test("a date no calendar has, kept by Back, shows as typed on the check page; sending leads back to its step", async () => {
      const agent = new Agent(env.app);
      const base = await begin(agent);
      await agent.post(`${base}/gefahr`, { immediateDanger: "no", intent: "next" });
      await agent.get(`${base}/art`);
      await agent.post(`${base}/art`, { mode: "anonymous", intent: "next" });
      for (const typed of ["2026-13-45", "0000-00-00"]) {
        await agent.get(`${base}/vorfall`);
        const back = await agent.post(`${base}/vorfall`, { description: "Beschimpfung am Schalter des Bürgerbüros.", occurredOn: typed, intent: "back" });
        assert.equal(back.statusCode, 303, "Back keeps what was typed");
        const review = await agent.get(`${base}/pruefen?sprache=de`);
        assert.equal(review.statusCode, 200, typed);
        assert.ok(review.body.includes(typed), `${typed} is shown as typed`);
        const sent = await agent.post(`${base}/absenden?sprache=de`, {});
        assert.equal(sent.statusCode, 400, typed);
        assert.match(sent.body, /<h1 class="kern-heading-large">Was ist passiert\?<\/h1>|name="occurredOn"/, "the step with the date comes back");
        assert.match(sent.body, /href="#f-occurredOn"/, "named in the error summary");
      }
    });

    test("after 'anonymous', the last step does not ask who should get in touch, which the check page would leave out", async () => {
      const agent = new Agent(env.app);
      const base = await begin(agent);
      await agent.post(`${base}/gefahr`, { immediateDanger: "no", intent: "next" });
      await agent.get(`${base}/art`);
      await agent.post(`${base}/art`, { mode: "confidential", contactEmail: "erreichbar@test.example", intent: "next" });
      assert.match((await agent.get(`${base}/folgen?sprache=de`)).body, /name="contactBy"/, "confidential: asked");
      await agent.get(`${base}/art`);
      await agent.post(`${base}/art`, { mode: "anonymous", intent: "next" });
      assert.doesNotMatch((await agent.get(`${base}/folgen?sprache=de`)).body, /name="contactBy"/, "anonymous: not asked");
    });

    test("skipping is refused while the step itself has an error", async () => {
      const agent = new Agent(env.app);
      const base = await begin(agent);
      await agent.get(`${base}/vorfall`);
      const res = await agent.post(`${base}/vorfall`, { description: "kurz", intent: "skip" });
      assert.equal(res.statusCode, 400);
    });

    test("a file chosen on the evidence step goes along with Continue", async () => {
      const agent = new Agent(env.app);
      const base = await begin(agent);
      await agent.get(`${base}/beweise`);
      const pdf = Buffer.from("%PDF-1.4\n1 0 obj <<>> endobj\n%%EOF\n");
      const res = await agent.postMultipart(`${base}/beweise`, { intent: "next", url: "https://social.example/p/9" }, [
        { field: "file", name: "brief.pdf", data: pdf },
      ]);
      assert.equal(res.statusCode, 303);
      const review = await agent.get(`${base}/pruefen`);
      assert.match(review.body, /brief\.pdf/);
      assert.match(review.body, /social\.example\/p\/9/);
    });

    test("Reload or Back after sending shows that the report was sent, not that it expired, and sends nothing twice", async () => {
      const agent = new Agent(env.app);
      const base = await begin(agent, "tr");
      await agent.post(`${base}/gefahr`, { immediateDanger: "no", intent: "next" });
      await agent.get(`${base}/art`);
      await agent.post(`${base}/art`, { mode: "named", contactEmail: "kemal@test.example", intent: "next" });
      await agent.get(`${base}/vorfall`);
      await agent.post(`${base}/vorfall`, { description: "Telefonda tehdit edildim, belediye binasında.", intent: "skip" });
      await agent.get(`${base}/pruefen`);
      const csrf = agent.csrfToken();
      const sent = await agent.post(`${base}/absenden`, {});
      assert.equal(sent.statusCode, 201);
      const before = (await env.platform.database.rawQuery("select count(*)::int as n from reports where tenant_id = $1", [tenant.id])).rows[0].n;
      const again = await agent.post(`${base}/absenden`, {}, { csrf });
      assert.equal(again.statusCode, 200);
      assert.doesNotMatch(again.body, /süresi doldu|abgelaufen/i);
      assert.match(again.body, /<html lang="tr"/);
      const back = await agent.get(`${base}/pruefen`);
      assert.equal(back.statusCode, 200);
      assert.match(back.body, /[A-Z]{3}-\d{4}-\d{4}/, "the case number, again");
      assert.equal((await env.platform.database.rawQuery("select count(*)::int as n from reports where tenant_id = $1", [tenant.id])).rows[0].n, before);
    });

    test("the last step sent several times at once (a double click on a slow line) stores one report and one confirmation; every answer says it arrived", async () => {
      const agent = new Agent(env.app);
      const base = await begin(agent);
      await agent.post(`${base}/gefahr`, { immediateDanger: "no", intent: "next" });
      await agent.post(`${base}/art`, { mode: "named", contactName: "Doppel Klick", contactEmail: "doppelklick@test.example", intent: "next" });
      await agent.post(`${base}/vorfall`, { description: "Zweimal abgeschickt, einmal gemeldet.", intent: "skip" });
      const count = async () =>
        (await env.platform.database.rawQuery("select count(*)::int as n from reports where tenant_id = $1", [tenant.id])).rows[0].n as number;
      const before = await count();
      const answers = await Promise.all(Array.from({ length: 4 }, () => agent.post(`${base}/absenden`, {})));
      assert.deepEqual(answers.map((a) => a.statusCode).sort(), [200, 200, 200, 201]);
      const numbers = new Set(answers.map((a) => /[A-Z]{3}-\d{4}-\d{4}/.exec(a.body)?.[0]));
      assert.equal(numbers.size, 1, "every answer names the one case number");
      assert.equal(await count(), before + 1);
      assert.equal((await outboxMails(env)).filter((m) => m.to === "doppelklick@test.example").length, 1);
      for (const a of answers) assert.match(a.body, /Eine Bestätigung mit dieser Nummer ist an Ihre E-Mail-Adresse unterwegs/);
    });

    test("the thank-you page says a confirmation is on its way only when one went out, not beyond the address's daily limit", async () => {
      const address = "tageslimit@test.example";
      for (let i = 0; i < 3; i++) {
        const res = await env.app.inject({
          method: "POST",
          url: `/api/v1/tenants/${tenant.slug}/reports`,
          payload: { mode: "confidential", contactEmail: address, description: `Schon gemeldet, Nummer ${i}, mit dieser Adresse.` },
          remoteAddress: "127.4.0.2",
        });
        assert.equal(res.statusCode, 201);
      }
      const agent = new Agent(env.app);
      const base = await begin(agent);
      await agent.post(`${base}/gefahr`, { immediateDanger: "no", intent: "next" });
      await agent.post(`${base}/art`, { mode: "named", contactName: "Vierte Meldung", contactEmail: address, intent: "next" });
      await agent.post(`${base}/vorfall`, { description: "Die vierte Meldung an einem Tag.", intent: "skip" });
      const done = await agent.post(`${base}/absenden`, {});
      assert.equal(done.statusCode, 201);
      assert.match(done.body, /Ihre Meldung hat die Nummer [A-Z]{3}-\d{4}-\d{4}/);
      assert.doesNotMatch(done.body, /Bestätigung/);
      assert.equal((await outboxMails(env)).filter((m) => m.to === address).length, 3);
    });

    test("a named reporter may take the receipt-code mailbox and gets a confirmation mail with the number only", async () => {
      const agent = new Agent(env.app);
      const base = await begin(agent);
      await agent.post(`${base}/gefahr`, { immediateDanger: "no", intent: "next" });
      await agent.get(`${base}/art`);
      await agent.post(`${base}/art`, { mode: "named", contactName: "Lena Fiktiv", contactEmail: "lena@test.example", mailbox: "yes", intent: "next" });
      await agent.get(`${base}/vorfall`);
      await agent.post(`${base}/vorfall`, { description: "Drohende Kommentare unter meinem Beitrag der Stadt.", intent: "skip" });
      await agent.get(`${base}/pruefen`);
      const sent = await agent.post(`${base}/absenden`, {});
      const code = receiptCodeOf(sent.body);
      assert.ok(code, "a named reporter who asked for it gets a receipt code");
      const mailbox = await agent.post(`/${tenant.slug}/melden/postfach`, { code, sprache: "de" });
      assert.equal(mailbox.statusCode, 200);
      // Past the receipt page, the thank-you page still tells of the confirmation on its way.
      const hidden = hiddenFields(sent.body, "/melden/eingang");
      const thanks = await agent.post(`/${tenant.slug}/melden/eingang`, { ...hidden, confirm: "yes" });
      assert.equal(thanks.statusCode, 200);
      assert.match(thanks.body, /Eine Bestätigung mit dieser Nummer ist an Ihre E-Mail-Adresse unterwegs/);
      const caseNumber = /[A-Z]{3}-\d{4}-\d{4}/.exec(sent.body)?.[0] as string;
      const mail = (await outboxMails(env)).find((m) => m.to === "lena@test.example");
      assert.ok(mail, "a confirmation to the address given");
      assert.equal(mail.subject, `Ihre Meldung ist eingegangen – ${caseNumber}`);
      assert.match(mail.body, new RegExp(`Clearingstelle von ${tenant.name} ist eingegangen\\. Ihre Nummer: ${caseNumber}\\.`));
      assert.doesNotMatch(mail.body, /Drohende Kommentare/);
      const { rows: stored } = await env.platform.database.rawQuery("select id, recipient from mail_outbox where subject = $1", [mail.subject]);
      assert.doesNotMatch(String(stored[0].recipient), /lena|test\.example/, "the address waits sealed");
      // And it reaches a real mail server as the reporter reads it.
      const smtp = await startSmtpServer();
      try {
        const mailer = createMailer({
          db: env.platform.db,
          jobs: env.platform.jobs,
          smtpUrl: smtp.url,
          from: "komma@test.example",
          keyring: env.platform.keyring,
          nationalTenantId: env.platform.nationalTenant.id,
          clock: env.clock,
        });
        await mailer.deliver(String(stored[0].id));
        const received = await smtp.waitFor((m) => m.to.includes("lena@test.example"));
        assert.match(mailText(received.raw), new RegExp(`Ihre Nummer: ${caseNumber}\\.`));
      } finally {
        await smtp.close();
      }
    });

    test("one mailbox gets at most three confirmations a day, however its address is written, so the form cannot flood it", async () => {
      // The same mailbox however it is written: a "+tag" or dots reach it all the same.
      const spellings = ["ziel@test.example", "Ziel+1@test.example", "zi.el@test.example", "z.i.e.l+flut@TEST.example", "ziel+2@test.example"];
      for (let i = 0; i < 5; i++) {
        const res = await env.app.inject({
          method: "POST",
          url: `/api/v1/tenants/${tenant.slug}/reports`,
          payload: { mode: "confidential", contactEmail: spellings[i], description: `Gemeldet, Nummer ${i}, mit fremder Adresse.` },
          remoteAddress: "127.4.0.1",
        });
        assert.equal(res.statusCode, 201);
      }
      const confirmations = (await outboxMails(env)).filter((m) => spellings.includes(m.to));
      assert.equal(confirmations.length, 3);
    });

    test("each municipality has a public start page with the way to report, emergency numbers and its languages", async () => {
      const page = await new Agent(env.app).get(`/${tenant.slug}`);
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /Ablaufstadt: Hilfe bei Anfeindungen/);
      assert.match(page.body, /110/);
      assert.match(page.body, new RegExp(`action="/${tenant.slug}/melden"`));
      assert.match(page.body, /Українська/);
      const arabic = await new Agent(env.app).get(`/${tenant.slug}?sprache=ar`);
      assert.match(arabic.body, /<html lang="ar" dir="rtl">/);
      assert.equal((await new Agent(env.app).get("/gibt-es-nicht")).statusCode, 404);
    });

    test("pages outside the flow speak the reporter's language: a page not found and an expired draft", async () => {
      const agent = new Agent(env.app);
      const missing = await agent.get(`/${tenant.slug}/melden/AAAAAAAAAAAAAAAAAAAAAAAA/unbekannt?sprache=uk`);
      assert.equal(missing.statusCode, 404);
      assert.match(missing.body, /<html lang="uk"/);
      const base = await begin(agent, "ru");
      await agent.post(`${base}/gefahr`, { immediateDanger: "no", intent: "next" });
      await agent.post(`${base}/art`, { mode: "anonymous", intent: "next" });
      await agent.post(`${base}/vorfall`, { description: "Слишком поздно отправлено.", intent: "skip" });
      await agent.get(`${base}/pruefen`);
      const csrf = agent.csrfToken();
      env.clock.advance(25 * 3_600_000);
      const expired = await agent.get(`${base}/art?sprache=ru`);
      assert.equal(expired.statusCode, 410);
      assert.match(expired.body, /<html lang="ru"/);
      // Sending it late is not taken for a second click on a sent draft: expired, and nothing stored.
      const count = async () => (await env.platform.database.rawQuery("select count(*)::int as n from reports where tenant_id = $1", [tenant.id])).rows[0].n;
      const before = await count();
      const late = await agent.post(`${base}/absenden?sprache=ru`, {}, { csrf }); // the address the review page's form posts to
      assert.equal(late.statusCode, 410);
      assert.match(late.body, /<html lang="ru"/);
      assert.equal(await count(), before);
    });
  });
}
