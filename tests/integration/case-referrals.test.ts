import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { sql } from "drizzle-orm";
import { linkPartnerAccount } from "../../src/modules/alliance/partner-accounts.ts";
import { createReport } from "../../src/modules/reports/commands.ts";
import type { Actor } from "../../src/platform/authz/policy.ts";
import { rows, withTenant } from "../../src/platform/db/client.ts";
import {
  Agent,
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
import { mailText, startSmtpServer } from "../helpers/smtp.ts";

/*
 * Referrals only with consent: the office names the partner, the data and the end; the person
 * agrees in the mailbox, seeing exactly that; the partner then sees that case, those categories
 * and nothing else, until the end or until the person withdraws — after which the partner's next
 * request finds nothing. Every look is on the case and in the audit log.
 */

for (const kind of DB_KINDS) {
  describe(`referrals with consent (${kind})`, () => {
    let env: TestEnv;
    let tenant: TenantFixture;
    let anna: UserFixture;
    let helper: UserFixture;
    let stranger: UserFixture;
    let admin: UserFixture;
    let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
    let morgenrot = "";
    let abendstern = "";
    let number = "";
    let code = "";

    async function signedIn(user: UserFixture) {
      const agent = new Agent(env.app);
      env.clock.advance(30_000);
      await agent.signIn(user, env.clock);
      return agent;
    }
    async function openMailbox() {
      const reporter = new Agent(env.app);
      await reporter.get(`/${tenant.slug}/melden/postfach`);
      return { reporter, box: await reporter.post(`/${tenant.slug}/melden/postfach`, { code, sprache: "de" }) };
    }

    /** An anonymous report through the web form, as its case's first. */
    function anonymousReport(description: string, forms: string[] = ["insult"]) {
      return createReport(env.platform, tenant, { answers: { mode: "anonymous", description, forms } as never, lang: "de", channel: "web" });
    }

    /** A case of its own, led by `lead` and referred to `partnerId` by phone for a week; its number. */
    async function referredForAWeek(lead: UserFixture, partnerId: string, description: string): Promise<string> {
      const created = await anonymousReport(description);
      const number = created.caseNumber;
      const l = await signedIn(lead);
      await l.get(`/faelle/${number}`);
      await l.post(`/faelle/${number}/zuweisung`, { assignee: lead.id });
      await l.get(`/faelle/${number}`);
      const week = new Date(env.clock.now().getTime() + 7 * 86_400_000).toISOString().slice(0, 10);
      const referred = await l.post(`/faelle/${number}/vermittlungen`, {
        partnerId,
        categories: ["summary"],
        purpose: "Beratung",
        validUntil: week,
        consent: "phone",
      });
      assert.equal(referred.statusCode, 303);
      return number;
    }
    /** The municipal admin assigns an account to a partner organisation. */
    async function linkTo(partnerId: string, person: UserFixture): Promise<number> {
      const a = await signedIn(admin);
      await a.get(`/allianz/partner/${partnerId}`);
      return (await a.post(`/allianz/partner/${partnerId}/zugaenge`, { userId: person.id })).statusCode;
    }

    before(async () => {
      smtp = await startSmtpServer();
      env = await createTestEnv(kind, { env: { SMTP_URL: smtp.url }, startJobs: true });
      tenant = await createTenantFixture(env);
      anna = await createUserFixture(env, [{ tenantId: tenant.id, role: "clearing_officer" }], { totp: true, displayName: "Anna Amsel" });
      admin = await createUserFixture(env, [{ tenantId: tenant.id, role: "municipal_admin" }], { totp: true });
      helper = await createUserFixture(env, [{ tenantId: tenant.id, role: "alliance_partner" }], { totp: true, displayName: "Helga Morgenrot" });
      stranger = await createUserFixture(env, [{ tenantId: tenant.id, role: "alliance_partner" }], { totp: true, displayName: "Sven Abendstern" });
      const a = await signedIn(admin);
      for (const name of ["Beratungsstelle Morgenrot", "Fachstelle Abendstern"]) {
        await a.get("/allianz/partner/neu");
        const path = String((await a.post("/allianz/partner/neu", { name, kind: "victim_support" })).headers.location);
        if (name.includes("Morgenrot")) morgenrot = path.split("/").pop() as string;
        else abendstern = path.split("/").pop() as string;
      }
      const adminActor: Actor = {
        userId: admin.id,
        memberships: [{ tenantId: tenant.id, role: "municipal_admin" }],
        nationalTenantId: env.platform.nationalTenant.id,
      };
      await linkPartnerAccount(env.platform, adminActor, tenant, morgenrot, helper.id, true);
      await linkPartnerAccount(env.platform, adminActor, tenant, abendstern, stranger.id, true);

      const created = await createReport(env.platform, tenant, {
        answers: {
          mode: "confidential",
          mailbox: "yes",
          contactName: "Kim Vertraulich",
          contactEmail: "kim.vertraulich@example.org",
          description: "Seit Wochen Drohbriefe an meine Privatadresse.",
          forms: ["threat"],
          urls: [{ url: "https://forum.example/drohung/7", kind: "content", capturedBy: "" }],
        } as never,
        lang: "de",
        channel: "web",
      });
      number = created.caseNumber;
      code = created.receiptCode as string;
      const o = await signedIn(anna);
      await o.get(`/faelle/${number}`);
      await o.post(`/faelle/${number}/zuweisung`, { assignee: anna.id });
    });
    after(async () => {
      await env.close();
      await smtp.close();
    });

    test("asked in the mailbox, the partner sees nothing; agreed, exactly the consented data; every look is recorded", async () => {
      const o = await signedIn(anna);
      await o.get(`/faelle/${number}`);
      const bad = await o.post(`/faelle/${number}/vermittlungen`, { partnerId: morgenrot, purpose: "Beratung", validUntil: "2027-02-24", consent: "mailbox" });
      assert.equal(bad.statusCode, 400);
      assert.match(bad.body, /Bitte wählen Sie mindestens eine Angabe/);
      assert.match(bad.body, /Beratung<\/textarea>/, "the input is kept");
      await o.get(`/faelle/${number}`);
      const referred = await o.post(`/faelle/${number}/vermittlungen`, {
        partnerId: morgenrot,
        categories: ["summary", "evidence"],
        purpose: "Psychosoziale Beratung und Begleitung zur Polizei",
        validUntil: "2027-02-24",
        consent: "mailbox",
      });
      assert.equal(referred.statusCode, 303);
      assert.match(
        (await o.get(`/faelle/${number}`)).body,
        /Beratungsstelle Morgenrot<\/strong> <span class="kern-badge kern-badge--warning"><span class="kern-label kern-label--small">wartet auf Zustimmung/,
      );

      const h = await signedIn(helper);
      assert.doesNotMatch((await h.get("/vermittlungen")).body, new RegExp(number), "nothing before the person agrees");
      const id = (
        await withTenant(env.platform.db, tenant.id, (tx) => rows<{ id: string }>(tx, sql`select id from case_referrals where status = 'awaiting_consent'`))
      )[0].id;
      assert.equal((await h.get(`/vermittlungen/${id}`)).statusCode, 404);

      const { reporter, box } = await openMailbox();
      assert.match(box.body, /An eine Beratungsstelle vermitteln/);
      assert.match(box.body, /Beratungsstelle Morgenrot/, "the person sees to whom");
      assert.match(box.body, /was geschehen ist, Beweise/, "which information");
      assert.match(box.body, /24\. Februar 2027/, "and until when");
      const form = mailboxForm(box.body, "entscheiden");
      const agreed = await reporter.post(`/${tenant.slug}/melden/postfach`, { ...form, [`antwort-${form.frage}`]: "agree", [`notiz-${form.frage}`]: "" });
      assert.match(agreed.body, /Ihre Antwort ist bei der Clearingstelle angekommen/);

      const list = await h.get("/vermittlungen");
      assert.match(list.body, new RegExp(`href="/vermittlungen/${id}">${number}`));
      const seen = await h.get(`/vermittlungen/${id}`);
      assert.equal(seen.statusCode, 200);
      assert.match(seen.body, /Seit Wochen Drohbriefe an meine Privatadresse/, "the account of the incident");
      assert.doesNotMatch(seen.body, /Kim Vertraulich/, "not the name: not consented");
      assert.doesNotMatch(seen.body, /kim\.vertraulich@example\.org/, "not the contact details");
      assert.doesNotMatch(seen.body, /Noch keine Angaben/, "what was not released is left out, not shown as empty");
      assert.match(seen.body, /<li>Beweismittel 1 \(Link\)/, "the evidence listed, not offered for download");
      assert.doesNotMatch(seen.body, /herunterladen/);
      assert.equal(seen.headers["cache-control"], "private, no-store");

      assert.equal((await h.post(`/vermittlungen/${id}/antwort`, { action: "done", outcome: "zu früh" })).statusCode, 403, "done only once accepted");
      const s = await signedIn(stranger);
      assert.equal((await s.get(`/vermittlungen/${id}`)).statusCode, 404, "another organisation's people see nothing");
      assert.doesNotMatch((await s.get("/vermittlungen")).body, new RegExp(number));

      const casePage = await o.get(`/faelle/${number}`);
      assert.match(casePage.body, /Zustimmung am [^<]*über das Postfach/);
      assert.match(casePage.body, /Vom Partner eingesehen[\s\S]{0,300}Helga Morgenrot[\s\S]{0,100}Schilderung des Vorfalls/);
      const log = await o.get("/verwaltung/protokoll?bereich=reports");
      assert.match(log.body, /Angaben an einen Partner gegeben/);
    });

    test("the partner accepts and reports back; the person withdraws and the partner's next request finds nothing", async () => {
      const id = (
        await withTenant(env.platform.db, tenant.id, (tx) => rows<{ id: string }>(tx, sql`select id from case_referrals where status = 'offered'`))
      )[0].id;
      const h = await signedIn(helper);
      await h.get(`/vermittlungen/${id}`);
      assert.equal((await h.post(`/vermittlungen/${id}/antwort`, { action: "accept" })).statusCode, 303);
      await h.get(`/vermittlungen/${id}`);
      const empty = await h.post(`/vermittlungen/${id}/antwort`, { action: "done", outcome: "" });
      assert.equal(empty.statusCode, 400);
      assert.match(empty.body, /Bitte halten Sie das Ergebnis fest/);
      await h.get(`/vermittlungen/${id}`);
      assert.equal((await h.post(`/vermittlungen/${id}/antwort`, { action: "done", outcome: "Zwei Beratungsgespräche geführt." })).statusCode, 303);
      const o = await signedIn(anna);
      assert.match((await o.get(`/faelle/${number}`)).body, /Ergebnis: <span class="komma-pre" dir="auto">Zwei Beratungsgespräche geführt\./);

      const { reporter, box } = await openMailbox();
      const revoke = mailboxForm(box.body, "widerrufen");
      const withdrawn = await reporter.post(`/${tenant.slug}/melden/postfach`, revoke);
      assert.match(withdrawn.body, /Ihre Zustimmung ist widerrufen/);
      assert.equal((await h.get(`/vermittlungen/${id}`)).statusCode, 404, "revoked: gone at once");
      assert.match((await o.get(`/faelle/${number}`)).body, /widerrufen/);
    });

    test("the office ends a referral at once; a colleague cannot ask or refer; closing a case ends its referrals", async () => {
      const o = await signedIn(anna);
      await o.get(`/faelle/${number}`);
      await o.post(`/faelle/${number}/vermittlungen`, {
        partnerId: morgenrot,
        categories: ["summary"],
        purpose: "Nachsorge",
        validUntil: "2027-02-24",
        consent: "phone",
      });
      const id = (
        await withTenant(env.platform.db, tenant.id, (tx) => rows<{ id: string }>(tx, sql`select id from case_referrals where status = 'offered'`))
      )[0].id;
      const h = await signedIn(helper);
      assert.equal((await h.get(`/vermittlungen/${id}`)).statusCode, 200);
      await o.get(`/faelle/${number}`);
      const ended = await o.post(`/faelle/${number}/vermittlungen/${id}/beenden`, {});
      assert.equal(ended.statusCode, 303);
      assert.equal((await h.get(`/vermittlungen/${id}`)).statusCode, 404, "ended by the office: gone at once");

      const ben = await createUserFixture(env, [{ tenantId: tenant.id, role: "clearing_officer" }], { totp: true });
      const b = await signedIn(ben);
      await b.get(`/faelle/${number}`);
      assert.equal((await b.post(`/faelle/${number}/fragen`, { askTopic: "police", askNote: "" })).statusCode, 403, "only the lead asks the person");
      assert.equal(
        (await b.post(`/faelle/${number}/fragen/festhalten`, { recordTopic: "closing", recordAnswer: "agree", recordChannel: "phone", recordNote: "" }))
          .statusCode,
        403,
      );

      const other = await createReport(env.platform, tenant, {
        answers: { mode: "anonymous", description: "Schmähschrift am Rathaustor." } as never,
        lang: "de",
        channel: "web",
      });
      await o.get(`/faelle/${other.caseNumber}`);
      await o.post(`/faelle/${other.caseNumber}/vermittlungen`, {
        partnerId: morgenrot,
        categories: ["summary"],
        purpose: "Beratung",
        validUntil: "2027-02-24",
        consent: "phone",
      });
      const second = (
        await withTenant(env.platform.db, tenant.id, (tx) => rows<{ id: string }>(tx, sql`select id from case_referrals where status = 'offered'`))
      )[0].id;
      await o.get("/faelle");
      await o.post("/faelle/sammelaktion", { faelle: [other.caseNumber, "MUS\u0000"], aktion: "duplicate", zurueck: "/faelle" });
      assert.equal((await h.get(`/vermittlungen/${second}`)).statusCode, 404, "closed as a duplicate: referred to nobody");
      await o.get(`/faelle/${other.caseNumber}`);
      const worked = await o.post(`/faelle/${other.caseNumber}/einschaetzung`, { form: "threat", criteria: ["weaponOrAcuteDanger"], level: "3" });
      assert.equal(worked.statusCode, 403, "a closed case is not worked on");
      assert.equal((await o.post(`/faelle/${other.caseNumber}/wieder-oeffnen`, {})).statusCode, 303, "but can be reopened");
    });

    test("a consent given by phone offers the referral at once, and it ends with its last day", async () => {
      const o = await signedIn(anna);
      await o.get(`/faelle/${number}`);
      const today = new Date(env.clock.now().getTime() + 3_600_000).toISOString().slice(0, 10);
      const referred = await o.post(`/faelle/${number}/vermittlungen`, {
        partnerId: morgenrot,
        categories: ["identity", "contact"],
        purpose: "Rückruf zur Terminvereinbarung",
        validUntil: today,
        consent: "phone",
      });
      assert.equal(referred.statusCode, 303);
      const id = (
        await withTenant(env.platform.db, tenant.id, (tx) => rows<{ id: string }>(tx, sql`select id from case_referrals where status = 'offered'`))
      )[0].id;
      const h = await signedIn(helper);
      const centre = await h.get("/konto/benachrichtigungen");
      assert.match(centre.body, new RegExp(`Fall ${number}: an Ihre Organisation vermittelt`));
      const seen = await h.get(`/vermittlungen/${id}`);
      assert.match(seen.body, /Kim Vertraulich/, "the name, now consented");
      assert.doesNotMatch(seen.body, /Seit Wochen Drohbriefe/, "but not the account of the incident");
      env.clock.advance(2 * 86_400_000);
      const later = await signedIn(helper);
      assert.equal((await later.get(`/vermittlungen/${id}`)).statusCode, 404, "after its last day: nothing");
    });

    test("an anonymous report's referral offers no name or contact details, and one naming them is refused with the input kept", async () => {
      const created = await anonymousReport("Hakenkreuz an der Bürotür.");
      const o = await signedIn(anna);
      await o.post(`/faelle/${created.caseNumber}/zuweisung`, { assignee: anna.id });
      const page = (await o.get(`/faelle/${created.caseNumber}`)).body;
      const offered = [...page.matchAll(/name="categories" value="([a-z]+)"/g)].map((m) => m[1]);
      assert.deepEqual(offered, ["summary", "evidence"]);
      const refused = await o.post(`/faelle/${created.caseNumber}/vermittlungen`, {
        partnerId: morgenrot,
        categories: ["summary", "contact"],
        purpose: "Rückruf",
        validUntil: new Date(env.clock.now().getTime() + 7 * 86_400_000).toISOString().slice(0, 10),
        consent: "mailbox",
      });
      assert.equal(refused.statusCode, 400);
      assert.match(refused.body, /Eine anonyme Meldung hat keinen Namen und keine Kontaktdaten/);
      assert.match(refused.body, /Rückruf<\/textarea>/, "the input is kept");
      const stored = await withTenant(env.platform.db, tenant.id, (tx) =>
        rows<{ n: number }>(tx, sql`select count(*)::int as n from case_referrals r join cases c on c.id = r.case_id where c.number = ${created.caseNumber}`),
      );
      assert.equal(stored[0].n, 0, "nothing referred, nobody asked");
    });

    test("an account linked later to an organisation with cases referred there: whoever leads them hears who reads along", async () => {
      const own = await referredForAWeek(anna, morgenrot, "Beleidigungen am Bürgertelefon, immer derselbe Anrufer.");

      const newcomer = await createUserFixture(env, [{ tenantId: tenant.id, role: "alliance_partner" }], { totp: true, displayName: "Paul Neuberger" });
      const elsewhere = await createUserFixture(env, [{ tenantId: tenant.id, role: "alliance_partner" }], { totp: true, displayName: "Ida Abseits" });
      assert.equal(await linkTo(morgenrot, newcomer), 303);
      assert.equal(await linkTo(abendstern, elsewhere), 303);

      const lead = await signedIn(anna);
      const centre = (await lead.get("/konto/benachrichtigungen")).body;
      const told = `Fall ${own}: Paul Neuberger handelt jetzt für Beratungsstelle Morgenrot und kann lesen, was dorthin vermittelt ist`;
      const notice = new RegExp(`href="(/konto/benachrichtigungen/[0-9a-f-]{36})">${told}<`).exec(centre)?.[1];
      assert.ok(notice, "the lead of the case is told");
      assert.equal((await lead.get(notice)).headers.location, `/faelle/${own}#vermittlungen`, "with the way to the referral, to end it if need be");
      assert.ok(!centre.includes("Ida Abseits"), "an organisation nothing open was referred to tells nobody");
      const mail = await smtp.waitFor((m) => m.to.includes(anna.email) && mailText(m.raw).includes("Paul Neuberger"));
      assert.match(mailText(mail.raw), /Beratungsstelle Morgenrot/, "and by mail, sent");
      assert.deepEqual(
        (await outboxMails(env)).filter((m) => m.subject.includes("Paul Neuberger")).map((m) => m.to),
        [anna.email],
        "once, to the lead only",
      );
    });

    test("a lead who has left the office is not told, the office is; a link goes when its account stops acting for a partner or administers the municipality", async () => {
      const lea = await createUserFixture(env, [{ tenantId: tenant.id, role: "clearing_officer" }], { totp: true, displayName: "Lea Wechsel" });
      const own = await referredForAWeek(lea, abendstern, "Hassnachrichten über das Kontaktformular der Stadt.");
      const a = await signedIn(admin);
      const setRoles = async (person: UserFixture, roles: string[]) => {
        await a.get(`/verwaltung/kommunen/${tenant.slug}/personen/${person.id}`);
        return (await a.post(`/verwaltung/kommunen/${tenant.slug}/personen/${person.id}`, { roles })).statusCode;
      };
      assert.equal(await setRoles(lea, ["staff"]), 303, "Lea leaves the clearing office, still the case's lead");
      const jan = await createUserFixture(env, [{ tenantId: tenant.id, role: "alliance_partner" }], { totp: true, displayName: "Jan Später" });
      assert.equal(await linkTo(abendstern, jan), 303);
      const told = `Fall ${own}: Jan Später handelt jetzt für Fachstelle Abendstern`;
      assert.ok(!(await (await signedIn(lea)).get("/konto/benachrichtigungen")).body.includes(told), "not the lead who left");
      assert.ok((await (await signedIn(anna)).get("/konto/benachrichtigungen")).body.includes(told), "the office");

      const linked = async (person: UserFixture) =>
        (
          await withTenant(env.platform.db, tenant.id, (tx) =>
            rows<{ n: number }>(tx, sql`select count(*)::int as n from alliance_partner_accounts where user_id = ${person.id}`),
          )
        )[0].n;
      const referral = (
        await withTenant(env.platform.db, tenant.id, (tx) =>
          rows<{ id: string }>(tx, sql`select r.id from case_referrals r join cases c on c.id = r.case_id where c.number = ${own}`),
        )
      )[0].id;
      assert.equal((await (await signedIn(jan)).get(`/vermittlungen/${referral}`)).statusCode, 200, "Jan reads the referral");
      assert.equal(await setRoles(jan, ["staff"]), 303);
      assert.equal(await linked(jan), 0, "without the partner role the link goes");
      // The role back (as a second person would confirm it): the link does not come back with it.
      await withTenant(env.platform.db, tenant.id, (tx) =>
        tx.execute(sql`insert into memberships (tenant_id, user_id, role) values (${tenant.id}, ${jan.id}, 'alliance_partner')`),
      );
      assert.equal(await linked(jan), 0, "given back, the role needs a new link, which tells the office again");
      assert.equal((await (await signedIn(jan)).get(`/vermittlungen/${referral}`)).statusCode, 404);
      assert.equal(await linkTo(abendstern, jan), 303);
      assert.equal(await linked(jan), 1);
      // Made an administrator of the municipality (confirmed): acting for a partner ends with it.
      await withTenant(env.platform.db, tenant.id, (tx) =>
        tx.execute(sql`insert into memberships (tenant_id, user_id, role) values (${tenant.id}, ${jan.id}, 'municipal_admin')`),
      );
      assert.equal(await linked(jan), 0, "an administrator never acts for a partner");
      assert.equal((await (await signedIn(jan)).get(`/vermittlungen/${referral}`)).statusCode, 404);
      assert.equal(await linked(helper), 1, "other accounts keep their links");

      // Unassigned one by one: once nobody acts for the organisation, nobody there can read the referral, and the office hears it.
      const nobody = `Fall ${own}: Für Fachstelle Abendstern handelt niemand mehr in KommA`;
      const left = (
        await withTenant(env.platform.db, tenant.id, (tx) =>
          rows<{ user_id: string }>(tx, sql`select user_id from alliance_partner_accounts where partner_id = ${abendstern} order by user_id`),
        )
      ).map((r) => r.user_id);
      assert.ok(left.length >= 2, "more than one account acts for it");
      for (const [i, userId] of left.entries()) {
        await a.get(`/allianz/partner/${abendstern}`);
        assert.equal((await a.post(`/allianz/partner/${abendstern}/zugaenge/${userId}/entfernen`, {})).statusCode, 303);
        const centre = (await (await signedIn(anna)).get("/konto/benachrichtigungen")).body;
        assert.equal(centre.includes(nobody), i === left.length - 1, `after ${i + 1} of ${left.length}`);
      }
      assert.equal(await linkTo(abendstern, stranger), 303, "Sven acts for it again");
    });

    test("without consent only under a legal exception, with its basis and reason, and only once a second officer released it", async () => {
      const fresh = (await anonymousReport("Er kündigt an, morgen mit einer Waffe zu kommen.", ["threat"])).caseNumber;
      const ben = await createUserFixture(env, [{ tenantId: tenant.id, role: "clearing_officer" }], { totp: true, displayName: "Ben Buchfink" });
      const o = await signedIn(anna);
      await o.get(`/faelle/${fresh}`);
      await o.post(`/faelle/${fresh}/zuweisung`, { assignee: anna.id });
      const form = {
        partnerId: morgenrot,
        categories: ["summary"],
        purpose: "Sofortige Krisenintervention",
        validUntil: "2027-01-31",
        consent: "legal_exception",
      };
      const missing = await o.post(`/faelle/${fresh}/vermittlungen`, { ...form, legalBasis: "", exceptionReason: "" });
      assert.equal(missing.statusCode, 400);
      assert.match(missing.body, /Bitte wählen Sie die Rechtsgrundlage/);
      assert.match(missing.body, /Bitte begründen Sie, warum die Ausnahme greift/);
      await o.get(`/faelle/${fresh}`);
      const made = await o.post(`/faelle/${fresh}/vermittlungen`, {
        ...form,
        legalBasis: "necessity",
        exceptionReason: "Angekündigter Angriff mit Waffe, die Person ist nicht erreichbar.",
      });
      assert.equal(made.statusCode, 303);
      const [r] = await withTenant(env.platform.db, tenant.id, (tx) =>
        rows<{ id: string; status: string; exception_reason: string }>(
          tx,
          sql`select id, status, exception_reason from case_referrals where legal_basis = 'necessity'`,
        ),
      );
      assert.equal(r.status, "awaiting_release");
      assert.ok(!r.exception_reason.includes("Waffe"), "the reason is sealed");
      const h = await signedIn(helper);
      assert.equal((await h.get(`/vermittlungen/${r.id}`)).statusCode, 404, "the partner sees nothing before the release");

      const own = await o.get(`/faelle/${fresh}`);
      assert.match(own.body, /Wartet auf die Freigabe durch eine zweite Person/);
      await o.post(`/faelle/${fresh}/vermittlungen/${r.id}/ausnahme`, { decision: "release" });
      const still = await withTenant(env.platform.db, tenant.id, (tx) =>
        rows<{ status: string }>(tx, sql`select status from case_referrals where id = ${r.id}`),
      );
      assert.equal(still[0].status, "awaiting_release", "not by the officer who made it");

      const b = await signedIn(ben);
      const review = await b.get(`/faelle/${fresh}`);
      assert.match(review.body, /Gegenwärtige Gefahr für Leib oder Leben \(§ 34 StGB\)/);
      assert.match(review.body, /Angekündigter Angriff mit Waffe/);
      assert.equal((await b.post(`/faelle/${fresh}/vermittlungen/${r.id}/ausnahme`, { decision: "release" })).statusCode, 303);
      const h2 = await signedIn(helper);
      const seen = await h2.get(`/vermittlungen/${r.id}`);
      assert.equal(seen.statusCode, 200);
      assert.match(seen.body, /kündigt an, morgen mit einer Waffe zu kommen/);
      const audit = await withTenant(env.platform.db, tenant.id, (tx) =>
        rows<{ action: string }>(tx, sql`select action from audit_log where action = 'case.referral_released'`),
      );
      assert.equal(audit.length, 1);
    });
  });
}
