import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { sql } from "drizzle-orm";
import { createReport } from "../../src/modules/reports/commands.ts";
import { addMessage } from "../../src/modules/reports/mailbox.ts";
import { rows, withTenant } from "../../src/platform/db/client.ts";
import { Agent, createTenantFixture, createTestEnv, createUserFixture, type TenantFixture, type TestEnv, type UserFixture } from "../helpers/app.ts";
import { DB_KINDS } from "../helpers/db.ts";
import { pdfText } from "../helpers/pdf.ts";

/*
 * The evidence dossier: a PDF with the case's key facts and exactly the parts the officer ticked —
 * the evidence list with both checksums is in it, the account, contact and messages that were not
 * ticked are not. Every dossier is in the audit log; nobody outside the clearing office gets one.
 */

const FORM = { recipient: "police", parts: ["evidence", "timeline"] };

for (const kind of DB_KINDS) {
  describe(`the evidence dossier (${kind})`, () => {
    let env: TestEnv;
    let tenant: TenantFixture;
    let anna: UserFixture;
    let admin: UserFixture;
    let number = "";
    let hash = "";

    async function signedIn(user: UserFixture) {
      const agent = new Agent(env.app);
      env.clock.advance(30_000);
      await agent.signIn(user, env.clock);
      return agent;
    }

    before(async () => {
      env = await createTestEnv(kind);
      tenant = await createTenantFixture(env);
      anna = await createUserFixture(env, [{ tenantId: tenant.id, role: "clearing_officer" }], { totp: true, displayName: "Anna Amsel" });
      admin = await createUserFixture(env, [{ tenantId: tenant.id, role: "municipal_admin" }], { totp: true });
      const created = await createReport(env.platform, tenant, {
        answers: {
          mode: "confidential",
          mailbox: "yes",
          contactName: "Kim Vertraulich",
          contactEmail: "kim.vertraulich@example.org",
          description: "Drohbrief mit meiner Wohnadresse im Briefkasten.",
          forms: ["threat"],
          motives: ["racist"],
          urls: [{ url: "https://forum.example/beitrag/42", kind: "content", capturedAt: "2026-11-23T18:00:00Z" }],
        } as never,
        lang: "de",
        channel: "web",
      });
      number = created.caseNumber;
      const [report] = await withTenant(env.platform.db, tenant.id, (tx) =>
        rows<{ id: string }>(tx, sql`select id from reports where case_number = ${number}`),
      );
      await addMessage(env.platform, tenant, report.id, { kind: "reporter" }, "Der Nachbar hat den Mann auch gesehen.");
      const [evidence] = await withTenant(env.platform.db, tenant.id, (tx) => rows<{ sha256: string }>(tx, sql`select sha256 from evidence`));
      hash = evidence.sha256;
      const a = await signedIn(anna);
      await a.get(`/faelle/${number}`);
      await a.post(`/faelle/${number}/zuweisung`, { assignee: anna.id });
      await a.post(`/faelle/${number}/einschaetzung`, { form: "threat", criteria: ["privateAddressOrFamily"], level: "2" });
    });
    after(() => env.close());

    test("the dossier holds the key facts and the ticked parts, and nothing that was left out", async () => {
      const a = await signedIn(anna);
      const form = await a.get(`/faelle/${number}/dossier`);
      assert.equal(form.statusCode, 200);
      assert.match(form.body, /Beweise mit Prüfsummen/);
      const missing = await a.post(`/faelle/${number}/dossier`, { recipient: "", parts: ["timeline"] });
      assert.equal(missing.statusCode, 400);
      assert.match(missing.body, /Bitte wählen Sie, für wen das Dossier ist/);
      assert.match(missing.body, /value="timeline" checked/, "the choice is kept");

      await a.get(`/faelle/${number}/dossier`);
      const res = await a.post(`/faelle/${number}/dossier`, FORM);
      assert.equal(res.statusCode, 200);
      assert.equal(res.headers["content-type"], "application/pdf");
      assert.equal(res.headers["cache-control"], "private, no-store");
      const text = pdfText(res.rawPayload).replace(/\s+/g, " ");
      assert.match(text, new RegExp(`Beweisdossier – Fall ${number}`));
      assert.match(text, /für: Polizei/);
      assert.match(text, /Form des Vorfalls: Bedrohung/, "the form of the incident");
      assert.match(text, /Gefährdungsstufe: 2/);
      assert.ok(text.includes(hash), "the evidence's checksum");
      assert.doesNotMatch(text, /Link herunterlädt|Antworten Sie über das Postfach/, "nothing of the office's screen in a paper for others");
      assert.match(text, /https:\/\/forum\.example\/beitrag\/42/);
      assert.match(text, /Gefährdung eingeschätzt: Stufe 2/, "the course of the case");
      assert.doesNotMatch(text, /Drohbrief mit meiner Wohnadresse/, "not the account: not ticked");
      assert.doesNotMatch(text, /Kim Vertraulich|kim\.vertraulich/, "not the contact");
      assert.doesNotMatch(text, /Nachbar hat den Mann/, "not the messages");

      await a.get(`/faelle/${number}/dossier`);
      const full = pdfText((await a.post(`/faelle/${number}/dossier`, { recipient: "prosecutor", parts: ["account", "contact", "messages"] })).rawPayload);
      assert.match(full, /Drohbrief mit meiner Wohnadresse/);
      assert.match(full, /Kim Vertraulich/);
      assert.match(full, /Nachbar hat den Mann/);
      assert.ok(!full.includes(hash), "and the evidence only when ticked");

      const audit = await withTenant(env.platform.db, tenant.id, (tx) =>
        rows<{ details: { recipient: string; parts: string[] } }>(tx, sql`select details from audit_log where action = 'case.dossier_created' order by seq`),
      );
      assert.deepEqual(
        audit.map((r) => [r.details.recipient, r.details.parts]),
        [
          ["police", ["evidence", "timeline"]],
          ["prosecutor", ["account", "contact", "messages"]],
        ],
      );
    });

    test("the office adds evidence with its chain of custody: who, from where, when; a missing source keeps the input", async () => {
      const a = await signedIn(anna);
      const form = await a.get(`/faelle/${number}/beweise/neu`);
      assert.equal(form.statusCode, 200);
      // A number no case of the municipality has: no form to add evidence to it.
      const unknown = number.replace(/\d{4}$/, "9999");
      assert.equal((await a.get(`/faelle/${unknown}/beweise/neu`)).statusCode, 404);
      const missing = await a.postMultipart(`/faelle/${number}/beweise`, { source: "", url: "https://forum.example/beitrag/99" }, []);
      assert.equal(missing.statusCode, 400);
      assert.match(missing.body, /Bitte geben Sie die Herkunft an/);
      assert.match(missing.body, /value="https:\/\/forum\.example\/beitrag\/99"/, "the link is kept");
      await a.get(`/faelle/${number}/beweise/neu`);
      const added = await a.postMultipart(
        `/faelle/${number}/beweise`,
        { source: "Screenshot des Beitrags, gesichert am Bildschirm der Clearingstelle", url: "https://forum.example/beitrag/99" },
        [
          {
            field: "file",
            name: "drohung.eml",
            data: Buffer.from(
              "From: absender@example.org\r\nTo: rathaus@example.org\r\nSubject: Drohung\r\nDate: Mon, 23 Nov 2026 18:00:00 +0100\r\n\r\nWir wissen, wo du wohnst.\r\n",
            ),
            type: "message/rfc822",
          },
        ],
      );
      assert.equal(added.headers.location, `/faelle/${number}#beweise`, "back to the evidence, not the top of the case");
      const page = await a.get(`/faelle/${number}`);
      assert.match(page.body, /<h2 class="kern-heading-medium" id="beweise">Beweise/);
      assert.match(page.body, /Hinzugefügt von Anna Amsel am .*?: <span dir="auto">Screenshot des Beitrags, gesichert am Bildschirm der Clearingstelle/);
      await a.get(`/faelle/${number}/dossier`);
      const pdf = pdfText((await a.post(`/faelle/${number}/dossier`, { recipient: "police", parts: ["evidence"] })).rawPayload).replace(/\s+/g, " ");
      assert.match(pdf, /Hinzugefügt von Anna Amsel/);
      // A file: its kind in words, both checksums, and whether it keeps its metadata — nothing of the office's screen.
      assert.match(pdf, /drohung\.eml \(E-Mail, EML\)/);
      assert.match(pdf, /SHA-256 der gespeicherten Datei: [0-9a-f]{64} Wie eingegangen gespeichert, mit den Metadaten der Datei/);
      assert.doesNotMatch(pdf, /Link herunterlädt/);
      const audit = await withTenant(env.platform.db, tenant.id, (tx) =>
        rows<{ actor_id: string | null }>(tx, sql`select actor_id from audit_log where action = 'evidence.added' order by seq desc limit 1`),
      );
      assert.equal(audit[0].actor_id, anna.id, "in the audit log under the officer");
    });

    test("nobody outside the clearing office gets a dossier", async () => {
      const x = await signedIn(admin);
      assert.equal((await x.get(`/faelle/${number}/dossier`)).statusCode, 404);
      await x.get("/start");
      assert.equal((await x.post(`/faelle/${number}/dossier`, FORM)).statusCode, 404);
      assert.equal((await x.post("/faelle/XYZ-2026-0001/dossier", FORM)).statusCode, 404);
    });
  });
}
