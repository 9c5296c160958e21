import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { PDFDocument, PDFName, StandardFonts } from "@cantoo/pdf-lib";
import sharp from "sharp";
import { createReport } from "../../src/modules/reports/commands.ts";
import {
  Agent,
  createTenantFixture,
  createTestEnv,
  createUserFixture,
  hiddenFields,
  outboxMails,
  receiptCodeOf,
  type TenantFixture,
  type TestEnv,
  totpCode,
  type UserFixture,
} from "../helpers/app.ts";
import { DB_KINDS } from "../helpers/db.ts";
import { pdfInfo, pdfPages, pdfText } from "../helpers/pdf.ts";

const NARRATIVE = "Im Bürgerbüro rief ein Besucher der Sachbearbeiterin rassistische Beleidigungen zu und drohte ihr.";

/** Walks the form like a person: start, then each step with the given answers. */
async function report(
  agent: Agent,
  slug: string,
  answers: { mode: string; contact?: Record<string, string>; description?: string; extra?: Record<string, string | string[]> },
) {
  await agent.get(`/${slug}/melden`);
  const start = await agent.post(`/${slug}/melden`, { sprache: "de" });
  const base = (start.headers.location as string).replace(/\/gefahr\?sprache=[a-z]+$/, "");
  await agent.get(`${base}/gefahr`);
  await agent.post(`${base}/gefahr`, { immediateDanger: "no", intent: "next" });
  await agent.get(`${base}/art`);
  await agent.post(`${base}/art`, { mode: answers.mode, reporterRole: "affected", ...(answers.contact ?? {}), intent: "next" });
  await agent.get(`${base}/vorfall`);
  await agent.post(`${base}/vorfall`, {
    description: answers.description ?? NARRATIVE,
    forms: ["insult", "threat"],
    motives: "racist",
    occurredOn: "2026-11-20",
    knownOn: "2026-11-21",
    place: "town_hall",
    intent: "next",
    ...(answers.extra ?? {}),
  });
  await agent.get(`${base}/personen`);
  await agent.post(`${base}/personen`, { affectedFunction: "staff", perpetratorKnown: "unknown", intent: "next" });
  await agent.get(`${base}/folgen`);
  await agent.post(`${base}/folgen`, { effects: "psychological", wishes: ["contact_office", "counselling"], intent: "next" });
  return base;
}

async function jpegWithGps(): Promise<Buffer> {
  return sharp({ create: { width: 40, height: 30, channels: 3, background: "#c00" } })
    .jpeg()
    .withExif({
      IFD0: { Copyright: "Geheim-Kamera-4711" },
      IFD3: { GPSLatitudeRef: "N", GPSLatitude: "50/1 7/1 0/1", GPSLongitudeRef: "E", GPSLongitude: "8/1 40/1 0/1" },
    })
    .toBuffer();
}

/** A scanned letter as a PDF whose metadata names the person who scanned it: author, creator, title and an XMP stream. */
async function pdfNamingItsAuthor(): Promise<Buffer> {
  const doc = await PDFDocument.create({ updateMetadata: false });
  const page = doc.addPage([400, 200]);
  page.drawText("Wir wissen, wo du wohnst.", { x: 40, y: 120, size: 14, font: await doc.embedFont(StandardFonts.Helvetica) });
  doc.setAuthor("Erika Fiktiv");
  doc.setCreator("Scanner von Erika Fiktiv");
  doc.setTitle("Brief an Erika Fiktiv");
  const xmp =
    '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:creator>XMP-Erika-Fiktiv</dc:creator></rdf:Description></rdf:RDF></x:xmpmeta>';
  doc.catalog.set(PDFName.of("Metadata"), doc.context.register(doc.context.stream(xmp, { Type: "Metadata", Subtype: "XML" })));
  return Buffer.from(await doc.save());
}

// The first bytes of a Windows executable, with a harmless body.
const EXE = Buffer.concat([Buffer.from("MZ"), Buffer.alloc(58), Buffer.from([0x80, 0, 0, 0]), Buffer.alloc(64), Buffer.from("PE\0\0"), Buffer.alloc(200)]);

for (const kind of DB_KINDS) {
  describe(`Meldestelle (${kind})`, () => {
    let env: TestEnv;
    let tenant: TenantFixture;
    let other: TenantFixture;
    let officer: UserFixture;
    let office: Agent;
    before(async () => {
      env = await createTestEnv(kind, { env: { REPORT_MAX_FILE_MB: "1" } });
      tenant = await createTenantFixture(env, { name: "Musterstadt", slug: `musterstadt-${kind}` });
      other = await createTenantFixture(env, { name: "Beispielheim", slug: `beispielheim-${kind}` });
      officer = await createUserFixture(env, [{ tenantId: tenant.id, role: "clearing_officer" }], { totp: true });
      office = new Agent(env.app);
      await office.signIn(officer, env.clock);
    });
    after(() => env.close());
    const latestCaseNumber = async (tenantId: string) =>
      String(
        (await env.platform.database.rawQuery("select case_number from reports where tenant_id = $1 order by case_number desc limit 1", [tenantId])).rows[0]
          .case_number,
      );

    test("a named report arrives complete, with a case number per municipality and year", async () => {
      const agent = new Agent(env.app);
      const base = await report(agent, tenant.slug, { mode: "named", contact: { contactName: "Ayşe Beispiel", contactEmail: "ayse@test.example" } });
      const review = await agent.get(`${base}/pruefen`);
      assert.match(review.body, /Sachbearbeiterin/);
      assert.match(review.body, /Beleidigung, Bedrohung/);
      const done = await agent.post(`${base}/absenden`, {});
      assert.equal(done.statusCode, 201);
      assert.match(done.body, /Ihre Meldung ist eingegangen/);
      assert.match(done.body, /Sie sind nicht allein/);
      const caseNumber = /die Nummer ([A-Z]{3}-\d{4}-\d{4})/.exec(done.body)?.[1] as string;
      assert.match(caseNumber, /^MUS-2026-\d{4}$/);
      const detail = await office.get(`/faelle/${caseNumber}`);
      assert.equal(detail.statusCode, 200);
      for (const expected of [
        NARRATIVE,
        "Ayşe Beispiel",
        "ayse@test.example",
        "Rassistisch",
        "Im Rathaus, im Amt",
        "21. November 2026",
        "Seelische Belastung",
      ]) {
        assert.ok(detail.body.includes(expected.replace(/&/g, "&amp;")), `${expected} is shown to the office`);
      }
    });

    test("case numbers count up per municipality", async () => {
      const numbers: string[] = [];
      for (const t of [tenant, tenant, other]) {
        const agent = new Agent(env.app);
        const base = await report(agent, t.slug, { mode: "anonymous" });
        await agent.post(`${base}/absenden`, {});
        numbers.push(await latestCaseNumber(t.id));
      }
      const n = (s: string) => Number(s.slice(-4));
      assert.equal(n(numbers[1]), n(numbers[0]) + 1);
      assert.equal(numbers[2], "BEI-2026-0001");
    });

    test("a named or confidential report needs a way to reach the person; an invalid field keeps all other input", async () => {
      const agent = new Agent(env.app);
      await agent.get(`/${tenant.slug}/melden`);
      const start = await agent.post(`/${tenant.slug}/melden`, { sprache: "de" });
      const base = (start.headers.location as string).replace(/\/gefahr\?sprache=[a-z]+$/, "");
      await agent.get(`${base}/art`);
      const res = await agent.post(`${base}/art`, { mode: "confidential", contactName: "Kim Muster", contactEmail: "nicht-gueltig", intent: "next" });
      assert.equal(res.statusCode, 400);
      assert.match(res.body, /Bitte korrigieren Sie die folgenden Angaben/);
      assert.match(res.body, /value="Kim Muster"/);
      assert.match(res.body, /value="nicht-gueltig"/);
      assert.match(res.body, /value="confidential" checked/);
      const noContact = await agent.post(`${base}/art`, { mode: "named", intent: "next" });
      assert.match(noContact.body, /oder wählen Sie „Anonym“/);

      await agent.get(`${base}/vorfall`);
      const bad = await agent.post(`${base}/vorfall`, {
        description: NARRATIVE,
        forms: ["insult"],
        occurredOn: "2026-13-45",
        onlineUrl: "javascript:alert(1)",
        knownBy: "die Amtsleitung",
        intent: "next",
      });
      assert.equal(bad.statusCode, 400);
      assert.match(bad.body, /href="#f-occurredOn"/);
      assert.match(bad.body, /href="#f-onlineUrl"/);
      assert.ok(bad.body.includes(NARRATIVE), "the description stays");
      assert.match(bad.body, /value="insult" checked/);
      assert.match(bad.body, /value="die Amtsleitung"/);
    });

    test("back, forward and a language switch keep the answers", async () => {
      const agent = new Agent(env.app);
      await agent.get(`/${tenant.slug}/melden`);
      const start = await agent.post(`/${tenant.slug}/melden`, { sprache: "de" });
      const base = (start.headers.location as string).replace(/\/gefahr\?sprache=[a-z]+$/, "");
      await agent.get(`${base}/vorfall`);
      const switched = await agent.post(`${base}/vorfall`, {
        description: "Halb fertig geschrieben, noch nicht geprüft",
        motives: "antisemitic",
        intent: "language:en",
      });
      assert.equal(switched.headers.location, `${base}/vorfall?sprache=en`);
      const english = await agent.get(`${base}/vorfall`);
      assert.match(english.body, /What happened\?/);
      assert.match(english.body, /Halb fertig geschrieben/);
      assert.match(english.body, /value="antisemitic" checked/);
      const back = await agent.post(`${base}/vorfall`, { description: "Halb fertig geschrieben, jetzt weiter", intent: "back" });
      assert.equal(back.headers.location, `${base}/art?sprache=en`);
      const forward = await agent.get(`${base}/vorfall`);
      assert.match(forward.body, /jetzt weiter/);
      const arabic = await agent.post(`${base}/vorfall`, { description: "نص تجريبي للبلاغ", intent: "language:ar" });
      const rtl = await agent.get(arabic.headers.location as string);
      assert.match(rtl.body, /<html lang="ar" dir="rtl">/);
      assert.match(rtl.body, /نص تجريبي للبلاغ/);
    });

    test("the clearing office's contact, set by the municipal admin, is shown with the form and after sending", async () => {
      const admin = await createUserFixture(env, [{ tenantId: tenant.id, role: "municipal_admin" }], { totp: true });
      const a = new Agent(env.app);
      await a.signIn(admin, env.clock);
      await a.get("/verwaltung/einstellungen");
      const bad = await a.post("/verwaltung/einstellungen", {
        contactPhone: "keine Nummer",
        contactEmail: "clearing@musterstadt.example",
        contactHours: "Mo–Fr 8–16 Uhr",
      });
      assert.equal(bad.statusCode, 400);
      assert.match(bad.body, /value="clearing@musterstadt\.example"/);
      const ok = await a.post("/verwaltung/einstellungen", {
        contactPhone: "0611 123456",
        contactEmail: "clearing@musterstadt.example",
        contactHours: "Mo–Fr 8–16 Uhr",
      });
      assert.equal(ok.statusCode, 303);
      const landing = await new Agent(env.app).get(`/${tenant.slug}/melden`);
      assert.match(landing.body, /Ihre Clearingstelle/);
      assert.match(landing.body, /href="tel:0611123456"/);
      assert.match(landing.body, /Mo–Fr 8–16 Uhr/);
      const agent = new Agent(env.app);
      const base = await report(agent, tenant.slug, { mode: "anonymous" });
      const receipt = await agent.post(`${base}/absenden`, {});
      const code = receiptCodeOf(receipt.body) as string;
      const done = await agent.post(`/${tenant.slug}/melden/eingang`, { code, fall: "x", sprache: "de", confirm: "yes" });
      assert.match(done.body, /clearing@musterstadt\.example/);
    });

    test("an abandoned report and its files are gone after a day", async () => {
      const agent = new Agent(env.app);
      await agent.get(`/${tenant.slug}/melden`);
      const start = await agent.post(`/${tenant.slug}/melden`, { sprache: "de" });
      const base = (start.headers.location as string).replace(/\/gefahr\?sprache=[a-z]+$/, "");
      await agent.get(`${base}/beweise`);
      await agent.postMultipart(`${base}/beweise`, { intent: "upload" }, [
        { field: "file", name: "liegengelassen.jpg", data: await jpegWithGps(), type: "image/jpeg" },
      ]);
      const countDrafts = async () =>
        Number(
          (await env.platform.database.rawQuery("select count(*)::int as n from evidence where report_id is null and tenant_id = $1", [tenant.id])).rows[0].n,
        );
      assert.equal(await countDrafts(), 1);
      env.clock.advance(25 * 3_600_000);
      assert.equal((await agent.get(`${base}/vorfall`)).statusCode, 410, "the draft has expired");
      const fresh = new Agent(env.app);
      await fresh.get(`/${tenant.slug}/melden`);
      await fresh.post(`/${tenant.slug}/melden`, { sprache: "de" });
      assert.equal(await countDrafts(), 0, "the abandoned file is deleted");
      // A day has passed for everyone: the office signs in again for the tests that follow.
      await office.signIn(officer, env.clock);
    });

    test("answering yes to immediate danger shows 110 and 112 first", async () => {
      const agent = new Agent(env.app);
      await agent.get(`/${tenant.slug}/melden`);
      const start = await agent.post(`/${tenant.slug}/melden`, { sprache: "de" });
      const base = (start.headers.location as string).replace(/\/gefahr\?sprache=[a-z]+$/, "");
      await agent.get(`${base}/gefahr`);
      const res = await agent.post(`${base}/gefahr`, { immediateDanger: "yes", intent: "next" });
      const next = await agent.get(res.headers.location as string);
      const alertAt = next.body.indexOf("Rufen Sie jetzt den Notruf: 110");
      assert.ok(alertAt > 0);
      assert.ok(alertAt < next.body.indexOf("<form"), "the emergency numbers come before the form");
    });

    test("evidence: images lose their metadata, hashes are kept, disguised and oversized files are refused", async () => {
      const agent = new Agent(env.app);
      const base = await report(agent, tenant.slug, { mode: "named", contact: { contactEmail: "beweis@test.example" } });
      await agent.get(`${base}/beweise`);
      const photo = await jpegWithGps();
      assert.ok(photo.includes(Buffer.from("Geheim-Kamera-4711")));
      const up = await agent.postMultipart(`${base}/beweise`, { intent: "upload" }, [
        { field: "file", name: "screenshot.jpg", data: photo, type: "image/jpeg" },
      ]);
      assert.equal(up.statusCode, 200, up.body.slice(0, 300));
      assert.match(up.body, /„screenshot\.jpg“ wurde hinzugefügt/);

      const disguised = await agent.postMultipart(`${base}/beweise`, { intent: "upload" }, [{ field: "file", name: "foto.png", data: EXE, type: "image/png" }]);
      assert.equal(disguised.statusCode, 400);
      assert.match(disguised.body, /„foto\.png“ hat einen Dateityp, der nicht angenommen wird/);

      const big = Buffer.concat([Buffer.from("%PDF-1.4\n"), Buffer.alloc(1_200_000, 0x20)]);
      const tooLarge = await agent.postMultipart(`${base}/beweise`, { intent: "upload" }, [
        { field: "file", name: "gross.pdf", data: big, type: "application/pdf" },
      ]);
      assert.equal(tooLarge.statusCode, 400);
      assert.match(tooLarge.body, /„gross\.pdf“ ist größer als 1 MB/);

      const link = await agent.postMultipart(
        `${base}/beweise`,
        { intent: "link", url: "https://social.example/post/123", urlKind: "content", capturedAt: "2026-11-22T10:15", capturedBy: "Kollegin aus dem Amt" },
        [],
      );
      assert.equal(link.statusCode, 200);
      const done = await agent.post(`${base}/absenden`, {});
      const caseNumber = /die Nummer ([A-Z]{3}-\d{4}-\d{4})/.exec(done.body)?.[1] as string;

      const detail = await office.get(`/faelle/${caseNumber}`);
      assert.match(detail.body, /screenshot\.jpg/);
      assert.match(detail.body, /https:\/\/social\.example\/post\/123/);
      assert.match(detail.body, /22\.11\.2026, 10:15 · Kollegin aus dem Amt/, "saved at 10:15 as the person typed it, Berlin time");
      assert.doesNotMatch(detail.body, /foto\.png|gross\.pdf/);
      const id = /\/beweise\/([0-9a-f-]{36})"/.exec(detail.body)?.[1] as string;
      const download = await office.get(`/faelle/${caseNumber}/beweise/${id}`);
      assert.equal(download.statusCode, 200);
      assert.match(String(download.headers["content-disposition"]), /^attachment;/);
      assert.equal(download.headers["x-content-type-options"], "nosniff");
      assert.match(String(download.headers["content-security-policy"]), /sandbox/);
      const stored = download.rawPayload;
      assert.ok(!stored.includes(Buffer.from("Geheim-Kamera-4711")), "EXIF is gone");
      const meta = await sharp(stored).metadata();
      assert.equal(meta.exif, undefined);
      assert.equal(meta.width, 40);
      const { createHash } = await import("node:crypto");
      assert.ok(detail.body.includes(createHash("sha256").update(photo).digest("hex")), "the hash of the file as received is recorded");
    });

    test("evidence downloads are named from the case and the detected type, and an uploader's name cannot spoof", async () => {
      const agent = new Agent(env.app);
      const base = await report(agent, tenant.slug, { mode: "named", contact: { contactEmail: "ben@test.example" } });
      const polyglot = Buffer.from("%PDF-1.4\n<html><script>alert(document.domain)</script></html>\n%%EOF\n");
      const png = await sharp({ create: { width: 8, height: 8, channels: 3, background: "#123" } })
        .png()
        .toBuffer();
      await agent.get(`${base}/beweise`);
      const up = await agent.postMultipart(`${base}/beweise`, { intent: "upload" }, [
        { field: "file", name: "report.html", data: polyglot, type: "text/html" },
        { field: "file", name: "invoice\u202Egnp.exe", data: png, type: "image/png" },
      ]);
      assert.equal(up.statusCode, 200);
      const done = await agent.post(`${base}/absenden`, {});
      const caseNumber = /die Nummer ([A-Z]{3}-\d{4}-\d{4,})/.exec(done.body)?.[1] as string;
      const detail = await office.get(`/faelle/${caseNumber}`);
      assert.ok(!detail.body.includes("\u202E"), "no bidirectional control reaches the page");
      assert.match(detail.body, /<bdi[^>]*>invoicegnp\.exe<\/bdi>/);
      assert.match(detail.body, /SHA-256 der Datei wie eingegangen/);
      assert.match(detail.body, /SHA-256 der gespeicherten Datei/, "the downloaded file's hash is shown too, labelled");
      // Each file is named by the kind the office reads, decided from its content, not its name or declared type.
      const listed = [...detail.body.matchAll(/\/beweise\/([0-9a-f-]{36})"[^(]*\((Bild, PNG|PDF-Dokument)\)/g)].map((m) => ({ id: m[1], type: m[2] }));
      assert.equal(listed.length, 2);
      for (const [i, item] of listed.entries()) {
        const download = await office.get(`/faelle/${caseNumber}/beweise/${item.id}`);
        const ext = item.type === "PDF-Dokument" ? "pdf" : "png";
        assert.equal(download.headers["content-disposition"], `attachment; filename="${caseNumber}-${i + 1}.${ext}"`);
      }
    });

    test("an anonymous reporter gets a receipt code, reads the office's reply and answers", async () => {
      const agent = new Agent(env.app);
      const base = await report(agent, tenant.slug, { mode: "anonymous", description: "Anonym gemeldet: Drohbrief im Briefkasten des Rathauses." });
      const receipt = await agent.post(`${base}/absenden`, {});
      assert.equal(receipt.statusCode, 201);
      const code = receiptCodeOf(receipt.body) as string;
      assert.match(code, /^[A-Z2-9]{4}(-[A-Z2-9]{4}){4}$/, "20 symbols of 5 bits: 100 bits");
      assert.match(receipt.body, /nur dieses eine Mal angezeigt/);
      const unconfirmed = await agent.post(`/${tenant.slug}/melden/eingang`, { code, fall: "x", sprache: "de" });
      assert.equal(unconfirmed.statusCode, 400);
      assert.ok(unconfirmed.body.includes(code), "the code stays on the page until confirmed");
      const confirmed = await agent.post(`/${tenant.slug}/melden/eingang`, { code, fall: "x", sprache: "de", confirm: "yes" });
      assert.equal(confirmed.statusCode, 200);

      const stored = await env.platform.database.rawQuery("select receipt_hash from reports where receipt_hash is not null");
      const plainCode = code.replace(/-/g, "");
      for (const r of stored.rows) assert.ok(!String(r.receipt_hash).includes(plainCode));

      const caseNumber = await latestCaseNumber(tenant.id);
      await office.get(`/faelle/${caseNumber}`);
      await office.post(`/faelle/${caseNumber}/antwort`, { message: "Danke für Ihre Meldung. Dürfen wir die Polizei einschalten?" });

      const mailbox = new Agent(env.app);
      await mailbox.get(`/${tenant.slug}/melden/postfach`);
      const wrong = await mailbox.post(`/${tenant.slug}/melden/postfach`, { code: "AAAA-BBBB-CCCC-DDDD-EEEE", sprache: "de" });
      assert.equal(wrong.statusCode, 404);
      assert.match(wrong.body, /Zu diesem Code gibt es kein Postfach/);
      const open = await mailbox.post(`/${tenant.slug}/melden/postfach`, { code: code.toLowerCase().replace(/-/g, " "), sprache: "de" });
      assert.equal(open.statusCode, 200);
      assert.match(open.body, /Dürfen wir die Polizei einschalten\?/);
      assert.match(open.body, /data-testid="mailbox-status">Eingegangen/);
      const answer = await mailbox.post(`/${tenant.slug}/melden/postfach`, {
        code,
        sprache: "de",
        _aktion: "antworten",
        message: "Ja, bitte mit Aktenzeichen.",
      });
      assert.match(answer.body, /Ihre Nachricht ist angekommen/);
      const withFile = await mailbox.postMultipart(`/${tenant.slug}/melden/postfach`, { code, sprache: "de", _aktion: "beweis" }, [
        { field: "file", name: "brief.jpg", data: await jpegWithGps(), type: "image/jpeg" },
      ]);
      assert.equal(withFile.statusCode, 200);
      // An anonymous report keeps no name its reporter gave a file: each goes by the case and its place.
      assert.ok(withFile.body.includes(`${caseNumber}-1.jpg`), "the file, named by the case");
      assert.doesNotMatch(withFile.body, /<li[^>]*>[^<]*brief\.jpg/);
      // One form for both: adding evidence keeps a message typed and does not send it; sending takes a chosen file along.
      const typed = await mailbox.postMultipart(
        `/${tenant.slug}/melden/postfach`,
        { code, sprache: "de", message: "Noch ein Foto vom Briefkasten.", _aktion: "beweis" },
        [{ field: "file", name: "briefkasten.jpg", data: await jpegWithGps(), type: "image/jpeg" }],
      );
      assert.ok(typed.body.includes(`${caseNumber}-2.jpg`));
      assert.match(typed.body, /<textarea[^>]*name="message"[^>]*>Noch ein Foto vom Briefkasten\.<\/textarea>/, "the message stays typed");
      const both = await mailbox.postMultipart(
        `/${tenant.slug}/melden/postfach`,
        { code, sprache: "de", message: "Und hier der Umschlag.", _aktion: "antworten" },
        [{ field: "file", name: "umschlag.jpg", data: await jpegWithGps(), type: "image/jpeg" }],
      );
      assert.match(both.body, /Ihre Nachricht ist angekommen/);
      assert.ok(both.body.includes(`${caseNumber}-3.jpg`));
      assert.doesNotMatch(both.body, /<textarea[^>]*name="message"[^>]*>Und hier/, "sent, so cleared");
      // A link: one with a mistake is refused and kept as typed, with its kind; a profile's is added as a profile.
      const badLink = await mailbox.postMultipart(
        `/${tenant.slug}/melden/postfach`,
        { code, sprache: "de", _aktion: "beweis", url: "htps://social.example/profil/stoerer", urlKind: "profile" },
        [],
      );
      assert.equal(badLink.statusCode, 400);
      assert.match(badLink.body, /mit https:\/\/ beginnt/);
      assert.match(badLink.body, /name="url" type="url" value="htps:\/\/social\.example\/profil\/stoerer"/, "the link stays typed");
      assert.match(badLink.body, /name="urlKind" value="profile" checked/, "and its kind chosen");
      assert.match(badLink.body, /<button type="submit" name="_aktion" value="beweis"[^>]*><span class="kern-label">Link hinzufügen</);
      const profile = await mailbox.postMultipart(
        `/${tenant.slug}/melden/postfach`,
        // Typed without https://, as an address bar takes it.
        { code, sprache: "de", _aktion: "beweis", url: "social.example/profil/stoerer", urlKind: "profile" },
        [],
      );
      assert.equal(profile.statusCode, 200);
      assert.doesNotMatch(profile.body, /name="url" type="url" value="[^"]/, "added, so cleared");
      assert.match(
        (await office.get(`/faelle/${caseNumber}`)).body,
        /https:\/\/social\.example\/profil\/stoerer<\/span> \(Das Profil der Täterin oder des Täters\)/,
        "the office sees it as the perpetrator's profile",
      );
      const detail = await office.get(`/faelle/${caseNumber}`);
      assert.match(detail.body, /Ja, bitte mit Aktenzeichen\./);
      for (const place of [1, 2, 3]) assert.ok(detail.body.includes(`${caseNumber}-${place}.jpg`), `file ${place}`);
      assert.doesNotMatch(detail.body, /brief\.jpg|briefkasten\.jpg|umschlag\.jpg/, "no name the reporter gave");
      assert.match(detail.body, /Und hier der Umschlag\./);
      assert.doesNotMatch(detail.body, /Noch ein Foto vom Briefkasten/, "a message is sent only by its button");
      assert.match(detail.body, /Anonyme Meldung: keine Kontaktdaten/);
    });

    test("an anonymous report's files lose the names they were uploaded under once it is stored; a confidential one's keep them", async () => {
      for (const mode of ["anonymous", "confidential"] as const) {
        const agent = new Agent(env.app);
        const contact: Record<string, string> = mode === "confidential" ? { contactEmail: "vertraulich@test.example" } : {};
        const base = await report(agent, tenant.slug, { mode, contact, description: "Drohschreiben, eingescannt und fotografiert." });
        await agent.get(`${base}/beweise`);
        const up = await agent.postMultipart(`${base}/beweise`, { intent: "upload" }, [
          { field: "file", name: "Anzeige Max Mustermann.jpg", data: await jpegWithGps(), type: "image/jpeg" },
        ]);
        assert.equal(up.statusCode, 200);
        assert.ok(up.body.includes("Anzeige Max Mustermann.jpg"), "the reporter sees their own file's name while reporting");
        await agent.post(`${base}/absenden`, {});
        const caseNumber = await latestCaseNumber(tenant.id);
        await env.platform.domainEvents.drain();
        const detail = await office.get(`/faelle/${caseNumber}`);
        assert.equal(detail.body.includes("Max Mustermann"), mode === "confidential", mode);
        if (mode === "anonymous") assert.ok(detail.body.includes(`${caseNumber}-1.jpg`), "named by the case and its place");
        // And the label says what the name is: the one it was stored under, or the one it was uploaded under.
        assert.equal(
          detail.body.includes(
            `Gespeichert als (der Name beim Hochladen ist bei anonymen Meldungen nicht aufbewahrt): <bdi class="komma-break">${caseNumber}-1.jpg`,
          ),
          mode === "anonymous",
          mode,
        );
        assert.equal(detail.body.includes("Name beim Hochladen: <bdi"), mode === "confidential", mode);
      }
    });

    /** Uploads `data` as the report's one file, sends the report and returns what the office downloads, with the case page. */
    async function storedFile(agent: Agent, base: string, name: string, data: Buffer) {
      await agent.get(`${base}/beweise`);
      const up = await agent.postMultipart(`${base}/beweise`, { intent: "upload" }, [{ field: "file", name, data, type: "application/pdf" }]);
      assert.equal(up.statusCode, 200, up.body.slice(0, 300));
      await agent.post(`${base}/absenden`, {});
      const caseNumber = await latestCaseNumber(tenant.id);
      await env.platform.domainEvents.drain();
      const detail = await office.get(`/faelle/${caseNumber}`);
      const id = /\/beweise\/([0-9a-f-]{36})"/.exec(detail.body)?.[1] as string;
      return { uploaded: up.body, detail: detail.body, stored: (await office.get(`/faelle/${caseNumber}/beweise/${id}`)).rawPayload };
    }

    test("a PDF loses the metadata that names who made it — author, creator, title, XMP — and keeps its page", async () => {
      const agent = new Agent(env.app);
      const base = await report(agent, tenant.slug, { mode: "anonymous", description: "Drohbrief, eingescannt." });
      const letter = await pdfNamingItsAuthor();
      assert.match(pdfInfo(letter), /Author:\s+Erika Fiktiv/);
      assert.match(pdfInfo(letter, "-meta"), /XMP-Erika-Fiktiv/);
      const { uploaded, detail, stored } = await storedFile(agent, base, "scan.pdf", letter);
      assert.doesNotMatch(uploaded, /Unverändert gespeichert/, "the reporter is told of no metadata left");
      assert.match(detail, /Ohne Metadaten gespeichert/);
      const info = pdfInfo(stored);
      assert.doesNotMatch(info, /Erika|Author|Creator|Title/, info);
      assert.doesNotMatch(pdfInfo(stored, "-meta"), /Erika/);
      assert.ok(!stored.includes("XMP-Erika-Fiktiv"), "the metadata stream is not left in the file either");
      assert.equal(pdfPages(stored), 1);
      assert.match(pdfText(stored), /Wir wissen, wo du wohnst\./);
      const { createHash } = await import("node:crypto");
      assert.ok(detail.includes(createHash("sha256").update(letter).digest("hex")), "the hash of the file as received is recorded");
    });

    test("a PDF that cannot be read whole is kept as it came, and the reporter and the office are told", async () => {
      const agent = new Agent(env.app);
      const base = await report(agent, tenant.slug, { mode: "named", contact: { contactEmail: "kaputt@test.example" } });
      // Its header and a page, the rest cut off: no cross-reference table, no trailer.
      const cut = (await pdfNamingItsAuthor()).subarray(0, 400);
      const { uploaded, detail, stored } = await storedFile(agent, base, "abgeschnitten.pdf", cut);
      assert.deepEqual(stored, cut);
      // Both sides are told: the reporter beside the file, before sending, and the office beside its checksums.
      assert.match(
        uploaded,
        /abgeschnitten\.pdf<\/bdi> \(1 KB\)\s*<br ?\/><span class="kern-body kern-body--small">Unverändert gespeichert: Angaben in der Datei selbst/,
      );
      assert.match(detail, /Wie eingegangen gespeichert, mit den Metadaten der Datei/);
      assert.doesNotMatch(detail, /Ohne Metadaten gespeichert/);
    });

    test("the clearing office is told the case number by mail, and nothing of the content", async () => {
      // Another municipality's clearing office must not hear of it.
      await createUserFixture(env, [{ tenantId: other.id, role: "clearing_officer" }]);
      const agent = new Agent(env.app);
      const base = await report(agent, tenant.slug, { mode: "anonymous", description: "Inhalt, der niemals in einer E-Mail stehen darf." });
      await agent.post(`${base}/absenden`, {});
      const caseNumber = await latestCaseNumber(tenant.id);
      // The office is told by a handler of the event report.received, after the intake committed.
      await env.platform.domainEvents.drain();
      const told = (await outboxMails(env)).filter((m) => m.subject === `Neue Meldung ${caseNumber}`);
      assert.deepEqual(
        told.map((m) => m.to),
        [officer.email],
        "only this municipality's clearing office hears of it",
      );
      const [mail] = told;
      assert.match(mail.subject, /^Neue Meldung MUS-2026-\d{4}$/);
      assert.match(mail.body, /\/faelle\/MUS-2026-\d{4}/);
      assert.doesNotMatch(mail.body, /niemals in einer E-Mail/);
      const start = await office.get("/start");
      assert.match(start.body, /href="\/faelle">\d+ neue Meldung/, "the start page counts the new reports");
    });

    test("a mail about a case names its municipality, and its link opens the case there – asking first someone who works in another", async () => {
      // Two municipalities whose case numbers share a prefix: MUS-… is in both.
      const nearby = await createTenantFixture(env, { name: "Musterdorf", slug: `musterdorf-${kind}` });
      const both = await createUserFixture(
        env,
        [
          { tenantId: tenant.id, role: "clearing_officer" },
          { tenantId: nearby.id, role: "clearing_officer" },
        ],
        { totp: true },
      );
      const file = async (t: TenantFixture, description: string) =>
        (
          await createReport(
            env.platform,
            { id: t.id, slug: t.slug, name: t.name, kind: t.kind },
            { answers: { mode: "anonymous", description }, lang: "de", channel: "web" },
          )
        ).caseNumber;
      await file(tenant, "Schmiererei am Rathaustor in der Stadt.");
      const number = await file(nearby, "Drohbrief im Briefkasten des Dorfes.");
      await env.platform.domainEvents.drain();
      const mail = (await outboxMails(env)).find((m) => m.to === both.email && m.subject === `Neue Meldung ${number}` && m.body.includes("Musterdorf"));
      assert.ok(mail, "the mail names the municipality");
      const link = new URL(/https?:\/\/\S+/.exec(mail.body)?.[0] as string);
      assert.equal(link.pathname, `/konto/kommune/${nearby.slug}/faelle/${number}`);

      const person = new Agent(env.app);
      const signIn = await person.get(link.pathname);
      assert.equal(signIn.headers.location, `/anmelden?weiter=${encodeURIComponent(link.pathname)}`, "signed out: sign-in first, then on");
      // Signed in from there, with the second factor: on to the link, not the start page.
      await person.get(signIn.headers.location as string);
      const password = await person.post("/anmelden", { email: both.email, password: both.password, weiter: link.pathname });
      assert.equal(password.headers.location, `/anmelden/zweiter-faktor?weiter=${encodeURIComponent(link.pathname)}`);
      const factor = await person.get(password.headers.location as string);
      const code = await person.post("/anmelden/zweiter-faktor", {
        ...hiddenFields(factor.body, 'action="/anmelden/zweiter-faktor"'),
        code: totpCode(both.totpSecret as string, env.clock.now()),
      });
      assert.equal(code.headers.location, link.pathname, "the mail's link opens after the second factor");
      await person.get("/konto/kommune");
      await person.post("/konto/kommune", { tenant: tenant.slug });
      const asked = await person.get(link.pathname);
      assert.equal(asked.statusCode, 200, "working in Musterstadt, the link does not switch by itself");
      assert.match(asked.body, /Dieser Link gehört zu Musterdorf/);
      assert.match(asked.body, /Sie arbeiten gerade in Musterstadt/);
      const switched = await person.post("/konto/kommune", hiddenFields(asked.body, 'action="/konto/kommune"'));
      assert.equal(switched.headers.location, `/faelle/${number}`);
      const page = await person.get(`/faelle/${number}`);
      assert.match(page.body, /Drohbrief im Briefkasten des Dorfes/, "Musterdorf's case, not Musterstadt's of the same number");
      assert.equal((await person.get(link.pathname)).headers.location, `/faelle/${number}`, "working there, the link opens the case at once");

      assert.equal((await office.get(link.pathname)).statusCode, 404, "for someone not of Musterdorf the link leads nowhere");
    });

    test("nothing readable in a database dump: no narrative, names, contact or evidence bytes; no IP or user agent", async () => {
      const agent = new Agent(env.app);
      const marker = "Einzigartiger-Klartext-Marker-9931";
      const base = await report(agent, tenant.slug, {
        mode: "named",
        contact: { contactName: "Klartext-Name-Zeta", contactEmail: "klartext-zeta@test.example" },
        description: `${marker} im Ratssaal.`,
      });
      await agent.get(`${base}/beweise`);
      await agent.postMultipart(`${base}/beweise`, { intent: "upload" }, [
        { field: "file", name: "beleg.pdf", data: Buffer.from("%PDF-1.4\nBeweis-Bytes-Klartext-7781\n%%EOF"), type: "application/pdf" },
      ]);
      await agent.post(`${base}/absenden`, {}, { headers: { "user-agent": "Testbrowser/42 Fingerprint-XYZ" } });
      const dump = await env.platform.database.rawQuery(
        "select string_agg(row_to_json(t)::text, E'\\n') as all from (select * from reports) t union all select string_agg(row_to_json(c)::text, E'\\n') from report_contacts c union all select string_agg(row_to_json(e)::text, E'\\n') from evidence e union all select string_agg(row_to_json(b)::text, E'\\n') from evidence_blobs b union all select string_agg(row_to_json(a)::text, E'\\n') from audit_log a union all select string_agg(row_to_json(d)::text, E'\\n') from report_drafts d union all select string_agg(row_to_json(m)::text, E'\\n') from mail_outbox m union all select string_agg(row_to_json(s)::text, E'\\n') from sessions s",
      );
      const text = dump.rows.map((r) => String(r.all ?? "")).join("\n");
      for (const secret of [
        marker,
        "Klartext-Name-Zeta",
        "klartext-zeta@test.example",
        "Beweis-Bytes-Klartext-7781",
        "beleg.pdf",
        "Fingerprint-XYZ",
        agent.remoteAddress,
      ]) {
        assert.ok(!text.includes(secret), `${secret} is not in the database in plain text`);
      }
    });

    test("the clearing office of another municipality, and other roles, see no report", async () => {
      const [row] = (await env.platform.database.rawQuery("select case_number from reports where tenant_id = $1 limit 1", [tenant.id])).rows;
      const caseNumber = String(row.case_number);
      const foreignOfficer = await createUserFixture(env, [{ tenantId: other.id, role: "clearing_officer" }], { totp: true });
      const foreign = new Agent(env.app);
      await foreign.signIn(foreignOfficer, env.clock);
      assert.equal((await foreign.get(`/faelle/${caseNumber}`)).statusCode, 404);
      for (const role of ["staff", "leader", "municipal_admin"] as const) {
        const user = await createUserFixture(env, [{ tenantId: tenant.id, role }], { totp: role === "municipal_admin" });
        const a = new Agent(env.app);
        await a.signIn(user, env.clock);
        assert.equal((await a.get("/faelle")).statusCode, 404, `${role} has no report list`);
        assert.equal((await a.get(`/faelle/${caseNumber}`)).statusCode, 404, `${role} cannot open a report`);
      }
    });

    test("every read of a report by the office is in the audit log", async () => {
      const [row] = (await env.platform.database.rawQuery("select case_number from reports where tenant_id = $1 limit 1", [tenant.id])).rows;
      const count = async () =>
        Number(
          (
            await env.platform.database.rawQuery(
              "select count(*)::int as n from audit_log a join reports r on r.tenant_id = a.tenant_id and r.id::text = a.object_id where a.tenant_id = $1 and a.action = 'report.read' and r.case_number = $2",
              [tenant.id, row.case_number],
            )
          ).rows[0].n,
        );
      const before = await count();
      await office.get(`/faelle/${row.case_number}`);
      await office.get(`/faelle/${row.case_number}`);
      assert.equal(await count(), before + 2);
    });

    test("the clearing office enters a report received by phone, with the channel recorded", async () => {
      await office.get("/faelle/neu");
      const bad = await office.post("/faelle/neu", { channel: "", mode: "named", contactPhone: "0611 987654", description: "kurz" });
      assert.equal(bad.statusCode, 400);
      assert.match(bad.body, /value="0611 987654"/);
      const ok = await office.post("/faelle/neu", {
        channel: "phone",
        mode: "named",
        contactPhone: "0611 987654",
        description: "Anruf: Bedrohung nach der Ratssitzung am Parkplatz.",
      });
      assert.equal(ok.statusCode, 303);
      const detail = await office.get(ok.headers.location as string);
      assert.match(detail.body, /Telefon/);
      assert.match(detail.body, /Parkplatz/);
    });
  });
}
