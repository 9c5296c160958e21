import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { test } from "node:test";
import { deflateSync } from "node:zlib";
import { PDFDocument, PDFHexString, PDFName, PDFString, StandardFonts } from "@cantoo/pdf-lib";
import fc from "fast-check";
import PDFKit from "pdfkit";
import { MAX_UNPACKED_BYTES, withoutPdfMetadata } from "./pdf-metadata.ts";

// poppler says on its error output what it skipped in a damaged file: not the test's concern.
const info = (pdf: Uint8Array) => execFileSync("pdfinfo", ["-"], { input: pdf, stdio: ["pipe", "pipe", "ignore"] }).toString("utf8");

/** A letter written by pdfkit: a classic cross-reference table, the document information in plain text. */
async function pdfkitLetter(): Promise<Buffer> {
  const doc = new PDFKit({ info: { Author: "Erika Fiktiv", Title: "Brief" } });
  const chunks: Buffer[] = [];
  doc.on("data", (c: Buffer) => chunks.push(c));
  const ended = new Promise((resolve) => doc.on("end", resolve));
  doc.text("Erste Seite.");
  doc.addPage().text("Zweite Seite.");
  doc.end();
  await ended;
  return Buffer.concat(chunks);
}

test("a PDF of either cross-reference kind keeps its pages and text and loses its author", async () => {
  const streams = await PDFDocument.create();
  streams.addPage().drawText("Mit Objektströmen.", { font: await streams.embedFont(StandardFonts.Helvetica) });
  streams.setAuthor("Erika Fiktiv");
  for (const original of [await pdfkitLetter(), await streams.save({ useObjectStreams: true })]) {
    const cleaned = await withoutPdfMetadata(original);
    assert.match(info(original), /Author:\s+Erika Fiktiv/);
    assert.doesNotMatch(info(cleaned), /Author|Erika/);
    assert.equal(/Pages:\s+(\d+)/.exec(info(cleaned))?.[1], /Pages:\s+(\d+)/.exec(info(original))?.[1]);
    const text = (pdf: Uint8Array) => execFileSync("pdftotext", ["-", "-"], { input: pdf }).toString("utf8");
    assert.equal(text(cleaned), text(original));
  }
});

test("a damaged PDF is refused whole or written without its author, never half", async () => {
  const letter = await pdfkitLetter();
  await fc.assert(
    fc.asyncProperty(
      fc.array(fc.record({ at: fc.nat({ max: letter.length - 1 }), byte: fc.integer({ min: 0, max: 255 }) }), { minLength: 1, maxLength: 8 }),
      fc.option(fc.nat({ max: letter.length })),
      async (flips, cut) => {
        const damaged = Buffer.from(letter.subarray(0, cut ?? letter.length));
        for (const { at, byte } of flips) if (at < damaged.length) damaged[at] = byte;
        const cleaned = await withoutPdfMetadata(damaged).catch(() => null);
        if (cleaned) assert.doesNotMatch(info(cleaned), /Erika/);
      },
    ),
    { numRuns: 60 },
  );
});

/** A PDF of one page beside an object stream, twice deflated, that unpacks to `size` bytes: one object (5 0: null) and blanks. */
function withPackedStream(size: number): Buffer {
  const content = Buffer.alloc(size, " ");
  content.write("5 0 null");
  const packed = deflateSync(deflateSync(content));
  const objects = ["<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [3 0 R] /Count 1 >>", "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>"];
  const parts: Buffer[] = [Buffer.from("%PDF-1.7\n")];
  const offsets: number[] = [];
  const length = () => parts.reduce((n, p) => n + p.length, 0);
  for (const [i, body] of objects.entries()) {
    offsets.push(length());
    parts.push(Buffer.from(`${i + 1} 0 obj\n${body}\nendobj\n`));
  }
  offsets.push(length());
  parts.push(
    Buffer.from(`4 0 obj\n<< /Type /ObjStm /N 1 /First 4 /Filter [/FlateDecode /FlateDecode] /Length ${packed.length} >>\nstream\n`),
    packed,
    Buffer.from("\nendstream\nendobj\n"),
  );
  const xref = length();
  parts.push(
    Buffer.from(
      `xref\n0 5\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, "0")} 00000 n \n`).join("")}trailer\n<< /Size 5 /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`,
    ),
  );
  return Buffer.concat(parts);
}

test("a stream that would unpack to more than the limit ends the cleaning early, and the limit is not in the way of an ordinary one", async () => {
  const bomb = withPackedStream(MAX_UNPACKED_BYTES + 64 * 1024 * 1024);
  assert.ok(bomb.length < 20_000, `a small file (${bomb.length} bytes)`);
  await assert.rejects(withoutPdfMetadata(bomb), /unpack to more than the limit/);
  // Within the limit the same document is read and written (its stream is no object it reaches).
  assert.equal(/Pages:\s+(\d+)/.exec(info(await withoutPdfMetadata(withPackedStream(1024))))?.[1], "1");
});

test("a document whose trailer names no catalogue is not read from another revision's", async () => {
  const letter = (await pdfkitLetter()).toString("latin1");
  // The catalogue's type taken away: a parser that looks for any catalogue would find an older one, if there were one.
  await assert.rejects(withoutPdfMetadata(Buffer.from(letter.replace("/Type /Catalog", "/Typ_ /Catalog"), "latin1")), /no catalogue/);
});

test("a comment loses its author and dates, a form field keeps its name, and the document's ID goes", async () => {
  const doc = await PDFDocument.create();
  const page = doc.addPage();
  const comment = doc.context.obj({
    Type: "Annot",
    Subtype: "Text",
    Rect: [10, 10, 30, 30],
    Contents: PDFString.of("Drohung"),
    T: PDFString.of("Erika Fiktiv"),
    M: PDFString.of("D:20261130"),
  });
  const field = doc.context.obj({ Type: "Annot", Subtype: "Widget", FT: "Tx", Rect: [40, 40, 90, 60], T: PDFString.of("Aktenzeichen") });
  page.node.set(PDFName.of("Annots"), doc.context.obj([doc.context.register(comment), doc.context.register(field)]));
  doc.context.trailerInfo.ID = doc.context.obj([PDFHexString.of("00112233"), PDFHexString.of("00112233")]);
  const cleaned = Buffer.from(await withoutPdfMetadata(await doc.save({ useObjectStreams: false }))).toString("latin1");
  assert.ok(!cleaned.includes("Erika Fiktiv") && !cleaned.includes("D:20261130"), "the comment's author and date are gone");
  assert.ok(cleaned.includes("(Drohung)") && cleaned.includes("(Aktenzeichen)"), "the comment's text and the field's name stay");
  assert.ok(!cleaned.includes("<00112233>"), "no ID to match the reporter's own copy by");
});

test("a photo embedded as JPEG loses its EXIF and comment, keeps its picture; a page's thumbnail and date go", async () => {
  const sharp = (await import("sharp")).default;
  const photo = await sharp({ create: { width: 16, height: 12, channels: 3, background: { r: 200, g: 30, b: 30 } } })
    .jpeg()
    .withExif({ IFD0: { Artist: "Erika Fiktiv", Model: "Telefon Fiktiv 7" } })
    .toBuffer();
  assert.ok(photo.includes("Erika Fiktiv"), "the photo names who took it");
  const doc = await PDFDocument.create();
  const image = await doc.embedJpg(photo);
  const page = doc.addPage([200, 200]);
  page.drawImage(image, { x: 10, y: 10, width: 160, height: 120 });
  page.node.set(PDFName.of("LastModified"), PDFString.of("D:20261201120000+01'00'"));
  page.node.set(PDFName.of("Thumb"), doc.context.register(doc.context.flateStream("Vorschau von Erika Fiktiv")));
  const original = await doc.save({ useObjectStreams: false });
  const cleaned = Buffer.from(await withoutPdfMetadata(original));
  assert.ok(!cleaned.includes("Erika Fiktiv") && !cleaned.includes("Telefon Fiktiv"), "no name or device left");
  assert.ok(!cleaned.includes("LastModified") && !cleaned.includes("/Thumb"));
  // The picture is still there, whole: the same pixels as the photo's.
  const start = cleaned.indexOf(Buffer.from([0xff, 0xd8, 0xff]));
  const end = cleaned.indexOf(Buffer.from([0xff, 0xd9]), start) + 2;
  const kept = await sharp(cleaned.subarray(start, end)).raw().toBuffer();
  assert.deepEqual(kept, await sharp(photo).raw().toBuffer());
});

test("a PDF with an attached file is kept as received: the attachment's name and path are the sender's evidence", async () => {
  const doc = await PDFDocument.create();
  doc.addPage().drawText("Anlage beigefügt.", { font: await doc.embedFont(StandardFonts.Helvetica) });
  await doc.attach(Buffer.from("Notiz"), "C:/Users/Erika/notiz.txt", { mimeType: "text/plain" });
  await assert.rejects(withoutPdfMetadata(await doc.save()), /kept as received/);
});
