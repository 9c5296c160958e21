import assert from "node:assert/strict";
import { test } from "node:test";
import { pdfPages, pdfText } from "../../../tests/helpers/pdf.ts";
import { PdfWriter } from "./pdf.ts";

/*
 * What a reader of the PDF relies on: every word there once, in the order it is read — German,
 * Cyrillic and Arabic, Arabic with German names and numbers inside — and text that does not fit
 * a line or a page continues on the next instead of running off the paper.
 */

const strip = (s: string) => s.replace(/\s+/g, " ").trim();

test("left-to-right text wraps within the page, each word once, and umlauts and Cyrillic survive", async () => {
  const pdf = new PdfWriter({ title: "Probe", lang: "de", direction: "ltr" });
  const long = "Wenn Sie oder andere jetzt bedroht oder angegriffen werden, rufen Sie den Notruf. Bringen Sie sich zuerst in Sicherheit. Größe, Übel, Straße.";
  pdf.paragraph(long, { size: 11 });
  pdf.paragraph("Сохранить контакты в телефоне", { bold: true });
  const text = pdfText(await pdf.finish());
  assert.equal(strip(text), `${long} Сохранить контакты в телефоне`);
});

test("Arabic comes out in reading order, with a German name and a number inside", async () => {
  const pdf = new PdfWriter({ title: "تجربة", lang: "ar", direction: "rtl" });
  pdf.paragraph("بطاقة الطوارئ Musterstadt");
  pdf.paragraph("اتصل على \u2066030 123456\u2069 مجانا");
  const text = strip(pdfText(await pdf.finish()));
  assert.match(text, /بطاقة الطوارئ Musterstadt/);
  // pdftotext joins a right-to-left word to the number before it; the page shows the gap (pdftotext -bbox).
  assert.match(text, /اتصل على 030 123456 ?مجانا/);
});

test("a paragraph longer than the page continues on a second page", async () => {
  const pdf = new PdfWriter({ title: "Lang", lang: "de", direction: "ltr" });
  const words = Array.from({ length: 1200 }, (_, i) => `Wort${i}`);
  pdf.paragraph(words.join(" "));
  const buf = await pdf.finish();
  assert.equal(pdfPages(buf), 2);
  const found = strip(pdfText(buf)).split(" ");
  assert.deepEqual(found, words, "every word once, in order");
});

test("a word wider than the line (an address) is cut, not lost", async () => {
  const pdf = new PdfWriter({ title: "Adresse", lang: "de", direction: "ltr" });
  const address = `https://beispiel.example/${"sehr-lange-adresse-".repeat(12)}ende`;
  pdf.paragraph(address);
  assert.equal(pdfText(await pdf.finish()).replace(/\s+/g, ""), address);
});

test("a very long unbroken text is cut into lines, every character kept", async () => {
  const pdf = new PdfWriter({ title: "Lang", lang: "de", direction: "ltr" });
  const word = "W".repeat(20_000);
  pdf.paragraph(word);
  pdf.paragraph(`https://beispiel.example/${"abc".repeat(3000)} und Text danach`);
  const text = pdfText(await pdf.finish()).replace(/\s+/g, "");
  assert.ok(text.startsWith("WWWW") && text.includes("undTextdanach"), "all of it is there");
  assert.equal(text.length, word.length + `https://beispiel.example/${"abc".repeat(3000)}undTextdanach`.length);
});
