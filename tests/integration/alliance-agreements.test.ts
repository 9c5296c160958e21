import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { sql } from "drizzle-orm";
import { agreementReminders } from "../../src/modules/alliance/agreements.ts";
import { rows, withTenant } from "../../src/platform/db/client.ts";
import { PdfWriter } from "../../src/platform/pdf/pdf.ts";
import { Agent, createTenantFixture, createTestEnv, createUserFixture, type TenantFixture, type TestEnv, type UserFixture } from "../helpers/app.ts";
import { DB_KINDS } from "../helpers/db.ts";
import { mailText, startSmtpServer } from "../helpers/smtp.ts";

/*
 * Cooperation agreements: a municipal admin records one with its signed document (kept sealed,
 * handed out unchanged and only to the directory's readers); a period that ends before it starts
 * or a file that is no document is refused with the input kept; eight weeks before the end the
 * admins get one mail over SMTP through the job queue — and only one.
 */

async function samplePdf(): Promise<Buffer> {
  const pdf = new PdfWriter({ title: "Vereinbarung", lang: "de", direction: "ltr" });
  pdf.paragraph("Kooperationsvereinbarung zwischen Testkommune und Beratungsstelle.");
  return pdf.finish();
}

for (const kind of DB_KINDS) {
  describe(`alliance agreements (${kind})`, () => {
    let env: TestEnv;
    let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
    let tenant: TenantFixture;
    let admin: UserFixture;
    let staff: UserFixture;
    let otherAdmin: UserFixture;
    let partnerPath = "";
    let documentPath = "";
    let pdf: Buffer;

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
      const other = await createTenantFixture(env);
      admin = await createUserFixture(env, [{ tenantId: tenant.id, role: "municipal_admin" }], { totp: true, email: `verwaltung-${kind}@test.example` });
      staff = await createUserFixture(env, [{ tenantId: tenant.id, role: "staff" }]);
      otherAdmin = await createUserFixture(env, [{ tenantId: other.id, role: "municipal_admin" }], { totp: true });
      pdf = await samplePdf();
    });
    after(async () => {
      await env.close();
      await smtp.close();
    });

    test("an admin records an agreement with its document; bad input is refused with the input kept", async () => {
      const agent = await signedIn(admin);
      await agent.get("/allianz/partner/neu");
      partnerPath = String((await agent.post("/allianz/partner/neu", { name: "Beratungsstelle Abendstern", kind: "victim_support" })).headers.location);
      await agent.get(partnerPath);

      const exe = Buffer.concat([Buffer.from("MZ"), Buffer.alloc(200, 1)]);
      const bad = await agent.postMultipart(
        `${partnerPath}/vereinbarungen`,
        { title: "Beratung nach Angriffen", validFrom: "2027-01-01", validUntil: "2026-12-31" },
        [{ field: "datei", name: "vertrag.pdf", data: exe, type: "application/pdf" }],
      );
      assert.equal(bad.statusCode, 400);
      assert.match(bad.body, /Das Ende muss am oder nach dem Beginn liegen/);
      assert.match(bad.body, /Bitte laden Sie ein PDF-, Word- \(.docx\) oder OpenDocument-Dokument/, "a program named .pdf is no document");
      assert.match(bad.body, /value="Beratung nach Angriffen"/);
      assert.match(bad.body, /value="2027-01-01"/);

      await agent.get(partnerPath);
      // The clock stands on 24 November 2026: ending on 15 January 2027 is within eight weeks.
      const ok = await agent.postMultipart(
        `${partnerPath}/vereinbarungen`,
        { title: "Beratung nach Angriffen", validFrom: "2026-01-01", validUntil: "2027-01-15" },
        [{ field: "datei", name: "Vereinbarung\u202Efdp.exe", data: pdf, type: "application/pdf" }],
      );
      assert.equal(ok.statusCode, 303);
      const page = await agent.get(partnerPath);
      assert.match(page.body, /Beratung nach Angriffen/);
      assert.match(page.body, /läuft bald ab/);
      assert.doesNotMatch(page.body, /\u202E/, "no direction override in the shown name");
      documentPath = /href="([^"]+\/dokument)"/.exec(page.body)?.[1] ?? "";
      const download = await agent.get(documentPath);
      assert.equal(download.statusCode, 200);
      assert.equal(download.headers["content-type"], "application/pdf");
      assert.match(String(download.headers["content-disposition"]), /^attachment;/);
      assert.match(
        String(download.headers["content-disposition"]),
        /filename="Vereinbarungfdp\.exe\.pdf"/,
        "saved as what it is: a PDF, whatever its name said",
      );
      assert.equal(download.headers["x-content-type-options"], "nosniff");
      assert.ok(download.rawPayload.equals(pdf), "the document comes back byte for byte");

      const stored = await withTenant(env.platform.db, tenant.id, (tx) =>
        rows<{ name: string; data: string; size: number }>(tx, sql`select name, data, size from stored_files`),
      );
      assert.equal(stored.length, 1);
      assert.match(stored[0].name, /^k1\./, "the file name is sealed");
      assert.match(stored[0].data, /^k1\./, "the bytes are sealed");
      assert.equal(stored[0].size, pdf.length);
    });

    test("staff read and download, but neither add nor remove; another municipality sees nothing", async () => {
      const colleague = await signedIn(staff);
      const page = await colleague.get(partnerPath);
      assert.match(page.body, /Beratung nach Angriffen/);
      assert.doesNotMatch(page.body, /Vereinbarung speichern/);
      assert.equal((await colleague.get(documentPath)).statusCode, 200);
      assert.equal((await colleague.postMultipart(`${partnerPath}/vereinbarungen`, { title: "x", validFrom: "2027-01-01" }, [])).statusCode, 404);
      const outsider = await signedIn(otherAdmin);
      assert.equal((await outsider.get(documentPath)).statusCode, 404);
      assert.equal((await outsider.post(`${documentPath.replace(/\/dokument$/, "")}/entfernen`, {})).statusCode, 404);
    });

    test("eight weeks before the end the admins get one mail, once", async () => {
      // A schedule counts from when it is first seen; the next morning at 07:00 in Berlin it fires.
      await env.platform.scheduler.tick();
      const morning = new Date(env.clock.now());
      morning.setUTCDate(morning.getUTCDate() + 1);
      morning.setUTCHours(6, 0, 30, 0); // 07:00:30 in Berlin (winter time)
      env.clock.current = morning;
      assert.ok((await env.platform.scheduler.tick()).includes("alliance.agreement-reminders"));
      const reminder = await smtp.waitFor((m) => m.to.includes(`verwaltung-${kind}@test.example`));
      const text = mailText(reminder.raw);
      assert.match(text, /Beratungsstelle Abendstern/);
      assert.match(text, /15\. Januar 2027/);
      assert.match(text, new RegExp(`${env.platform.config.publicUrl}/konto/kommune/${tenant.slug}${partnerPath}`), "a link into the municipality");
      const count = smtp.mails.length;
      // The next morning's run, awaited to its end: nothing new to send.
      env.clock.advance(86_400_000);
      await agreementReminders(env.platform).run(env.clock.now());
      assert.equal(smtp.mails.filter((m) => m.to.includes(`verwaltung-${kind}@test.example`)).length, 1, "not again the next day");
      assert.equal(smtp.mails.length, count);
    });

    test("removing the agreement removes its document", async () => {
      const agent = await signedIn(admin);
      await agent.get(partnerPath);
      assert.equal((await agent.post(`${documentPath.replace(/\/dokument$/, "")}/entfernen`, {})).statusCode, 303);
      const left = await withTenant(env.platform.db, tenant.id, (tx) => rows<{ n: number }>(tx, sql`select count(*)::int as n from stored_files`));
      assert.equal(left[0].n, 0);
    });
  });
}
