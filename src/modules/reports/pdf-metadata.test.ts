import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { test } from "node:test";
import { PDFDocument, StandardFonts } from "@cantoo/pdf-lib";
import fc from "fast-check";
import PDFKit from "pdfkit";
import { withoutPdfMetadata } from "./pdf-metadata.ts";

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
