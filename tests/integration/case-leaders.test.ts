import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { sql } from "drizzle-orm";
import { createReport } from "../../src/modules/reports/commands.ts";
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
 * A leader sees a staff member's case only as the person agreed: the office's summary and what
 * the case needs from them (a Strafantrag under §194 Abs. 3 StGB, protection measures) — not the
 * report, not other measures; nothing before the consent, nothing after a withdrawal.
 */

for (const kind of DB_KINDS) {
  describe(`leaders see what the person shares (${kind})`, () => {
    let env: TestEnv;
    let tenant: TenantFixture;
    let anna: UserFixture;
    let lea: UserFixture;
    let leo: UserFixture;
    let number = "";
    let code = "";

    async function signedIn(user: UserFixture) {
      const agent = new Agent(env.app);
      env.clock.advance(30_000);
      await agent.signIn(user, env.clock);
      return agent;
    }
    async function mailbox() {
      const reporter = new Agent(env.app);
      await reporter.get(`/${tenant.slug}/melden/postfach`);
      return { reporter, box: await reporter.post(`/${tenant.slug}/melden/postfach`, { code, sprache: "de" }) };
    }

    before(async () => {
      env = await createTestEnv(kind);
      tenant = await createTenantFixture(env);
      anna = await createUserFixture(env, [{ tenantId: tenant.id, role: "clearing_officer" }], { totp: true, displayName: "Anna Amsel" });
      lea = await createUserFixture(env, [{ tenantId: tenant.id, role: "leader" }], { totp: true, displayName: "Lea Lerche" });
      leo = await createUserFixture(env, [{ tenantId: tenant.id, role: "leader" }], { totp: true, displayName: "Leo Lerchenfeld" });
      const created = await createReport(env.platform, tenant, {
        answers: {
          mode: "confidential",
          mailbox: "yes",
          contactName: "Kim Vertraulich",
          description: "Ein Bürger droht mir am Schalter, er wisse, wo ich wohne.",
          forms: ["threat"],
        } as never,
        lang: "de",
        channel: "web",
      });
      number = created.caseNumber;
      code = created.receiptCode as string;
      const a = await signedIn(anna);
      await a.get(`/faelle/${number}`);
      await a.post(`/faelle/${number}/zuweisung`, { assignee: anna.id });
      const task = (form: Record<string, string>) =>
        a.post(`/faelle/${number}/massnahmen`, { ownerId: "", dueOn: "", note: "", entitled: "", fromOn: "", ...form });
      assert.equal((await task({ measure: "strafantrag", entitled: "superior", fromOn: "2026-11-24" })).statusCode, 303);
      assert.equal((await task({ measure: "house_ban", dueOn: "2026-12-04" })).statusCode, 303);
      assert.equal((await task({ measure: "criminal_complaint", note: "Anzeige bei der Kripo, Aktenzeichen folgt" })).statusCode, 303);
    });
    after(() => env.close());

    test("shared only after consent: the summary and what is needed from the leader, nothing else; withdrawn, nothing at all", async () => {
      const a = await signedIn(anna);
      await a.get(`/faelle/${number}`);
      const empty = await a.post(`/faelle/${number}/fuehrung`, { shareLeaderId: "", shareSummary: "", shareValidUntil: "2027-05-31", shareConsent: "mailbox" });
      assert.equal(empty.statusCode, 400);
      assert.match(empty.body, /Bitte wählen Sie die Führungskraft/);
      assert.match(empty.body, /Bitte schreiben Sie die Zusammenfassung/);
      await a.get(`/faelle/${number}`);
      const shared = await a.post(`/faelle/${number}/fuehrung`, {
        shareLeaderId: lea.id,
        shareSummary: "Frau K. wird am Schalter bedroht und wünscht ein Hausverbot gegen den Mann.",
        shareValidUntil: "2027-05-31",
        shareConsent: "mailbox",
      });
      assert.equal(shared.statusCode, 303);

      const l = await signedIn(lea);
      assert.match((await l.get("/fuehrung")).body, /Zurzeit ist kein Fall mit Ihnen geteilt/, "nothing before the person agrees");
      const [share] = await withTenant(env.platform.db, tenant.id, (tx) =>
        rows<{ id: string; summary: string }>(tx, sql`select id, summary from case_leader_shares`),
      );
      assert.ok(!share.summary.includes("Hausverbot"), "the summary is sealed");
      assert.equal((await l.get(`/fuehrung/${share.id}`)).statusCode, 404);

      const { reporter, box } = await mailbox();
      assert.match(box.body, /Ihre Führungskraft informieren/);
      assert.match(box.body, /Lea Lerche/, "the person sees whom");
      assert.match(box.body, /wünscht ein Hausverbot/, "and what would be shared");
      const form = mailboxForm(box.body, "entscheiden");
      await reporter.post(`/${tenant.slug}/melden/postfach`, { ...form, [`antwort-${form.frage}`]: "agree", [`notiz-${form.frage}`]: "" });

      const list = await l.get("/fuehrung");
      assert.match(list.body, new RegExp(`href="/fuehrung/${share.id}">${number}`));
      const seen = await l.get(`/fuehrung/${share.id}`);
      assert.equal(seen.statusCode, 200);
      assert.equal(seen.headers["cache-control"], "private, no-store");
      assert.match(seen.body, /wünscht ein Hausverbot gegen den Mann/);
      assert.match(seen.body, /Strafantrag der oder des Dienstvorgesetzten[\s\S]*Frist endet am 24\. Februar 2027/);
      assert.match(seen.body, /Hausverbot/);
      assert.doesNotMatch(seen.body, /Strafanzeige|Kripo/, "not the other measures");
      assert.doesNotMatch(seen.body, /wisse, wo ich wohne|Kim Vertraulich/, "not the report");
      const looks = await withTenant(env.platform.db, tenant.id, (tx) => rows(tx, sql`select 1 from audit_log where action = 'case.leader_viewed'`));
      assert.equal(looks.length, 1, "each look is audited");

      const o = await signedIn(leo);
      assert.equal((await o.get(`/fuehrung/${share.id}`)).statusCode, 404, "another leader sees nothing");
      assert.equal((await a.get("/fuehrung")).statusCode, 404, "the page is the leaders'");

      const again = await mailbox();
      const revoke = mailboxForm(again.box.body, "widerrufen");
      await again.reporter.post(`/${tenant.slug}/melden/postfach`, revoke);
      const gone = await l.get(`/fuehrung/${share.id}`);
      assert.equal(gone.statusCode, 404, "withdrawn: nothing from the next look on");
      assert.match(gone.body, /nicht mehr mit Ihnen geteilt/, "said plainly to the leader it was shared with");
      assert.doesNotMatch(gone.body, /Hausverbot/);
      assert.match((await a.get(`/faelle/${number}`)).body, /Lea Lerche<\/strong> · widerrufen/);
    });

    test("a report by a witness warns the office that consent is the affected person's", async () => {
      const witness = (
        await createReport(env.platform, tenant, {
          answers: { mode: "anonymous", reporterRole: "witness", description: "Ich habe gesehen, wie ein Kollege bedroht wurde.", forms: ["threat"] } as never,
          lang: "de",
          channel: "web",
        })
      ).caseNumber;
      const a = await signedIn(anna);
      await a.get(`/faelle/${witness}`);
      await a.post(`/faelle/${witness}/zuweisung`, { assignee: anna.id });
      assert.match((await a.get(`/faelle/${witness}`)).body, /Gemeldet hat nicht die betroffene Person \(eine Zeugin oder ein Zeuge\)/);
      assert.doesNotMatch((await a.get(`/faelle/${number}`)).body, /Gemeldet hat nicht die betroffene Person/);
    });

    test("a no by phone ends the share, as does the office; one share per leader at a time; closing as a duplicate waits for open measures", async () => {
      const a = await signedIn(anna);
      const share = (consent: string) =>
        a.post(`/faelle/${number}/fuehrung`, {
          shareLeaderId: leo.id,
          shareSummary: "Bedrohung am Schalter; Hausverbot erbeten.",
          shareValidUntil: "2027-05-31",
          shareConsent: consent,
        });
      await a.get(`/faelle/${number}`);
      assert.equal((await share("phone")).statusCode, 303);
      await a.get(`/faelle/${number}`);
      const twice = await share("phone");
      assert.equal(twice.statusCode, 400);
      assert.match(twice.body, /Mit dieser Führungskraft ist der Fall schon geteilt/);
      const o = await signedIn(leo);
      const id = /href="\/fuehrung\/([0-9a-f-]{36})"/.exec((await o.get("/fuehrung")).body)?.[1] as string;
      assert.equal((await o.get(`/fuehrung/${id}`)).statusCode, 200);

      await a.get(`/faelle/${number}`);
      await a.post(`/faelle/${number}/fragen/festhalten`, { recordTopic: "inform_leader", recordAnswer: "decline", recordChannel: "phone", recordNote: "" });
      assert.equal((await o.get(`/fuehrung/${id}`)).statusCode, 404, "a no given by phone ends it");

      await a.get(`/faelle/${number}`);
      assert.equal((await share("in_person")).statusCode, 303);
      const again = /href="\/fuehrung\/([0-9a-f-]{36})"/.exec((await o.get("/fuehrung")).body)?.[1] as string;
      await a.get(`/faelle/${number}`);
      assert.equal((await a.post(`/faelle/${number}/fuehrung/${again}/beenden`, {})).statusCode, 303);
      assert.equal((await o.get(`/fuehrung/${again}`)).statusCode, 404, "ended by the office");

      await a.get("/faelle");
      const bulk = await a.post("/faelle/sammelaktion", { faelle: [number], aktion: "duplicate", zurueck: "/faelle" });
      assert.equal(bulk.statusCode, 303);
      const [kase] = await withTenant(env.platform.db, tenant.id, (tx) => rows<{ status: string }>(tx, sql`select status from cases where number = ${number}`));
      assert.notEqual(kase.status, "closed", "open measures first");
    });
  });
}
