import assert from "node:assert/strict";
import { test } from "node:test";
import { pdfPages, pdfText } from "../../../tests/helpers/pdf.ts";
import { type FlowBlock, layOut } from "./flow.ts";

/* A reader who turns the page in a long table or list is told what goes on there. */

const pages = async (blocks: FlowBlock[], continuedLabel?: string) => {
  const pdf = await layOut({ title: "Probe", lang: "de", direction: "ltr", blocks, continuedLabel });
  return {
    count: pdfPages(pdf),
    text: pdfText(pdf)
      .split("\f")
      .map((p) => p.trim()),
  };
};

const rows = Array.from({ length: 70 }, (_, i) => [`Zeile ${i + 1}`, String(i + 1)]);
const items = Array.from({ length: 70 }, (_, i) => ({ text: `Punkt ${i + 1}`, style: { size: 10, after: 2 } }));

test("a table going on to a new page names its heading again there, and its header row", async () => {
  const { count, text } = await pages(
    [
      { type: "H2", text: "Vorfälle nach Monat", style: { size: 13, bold: true } },
      { type: "Table", head: ["Monat", "Anzahl"], rows, style: { size: 9.5 } },
    ],
    "{title} (Fortsetzung)",
  );
  assert.equal(count, 2);
  assert.match(text[0], /^Vorfälle nach Monat\s+Monat\s+Anzahl\s+Zeile 1\s/);
  assert.match(text[1], /^Vorfälle nach Monat \(Fortsetzung\)\s+Monat\s+Anzahl\s+Zeile \d+\s/);
  assert.match(text[1], /Zeile 70\s+70$/);
});

test("a list going on to a new page names the heading it stands under, the latest one", async () => {
  const { count, text } = await pages(
    [
      { type: "H2", text: "Kapitel", style: { size: 13, bold: true } },
      { type: "H3", text: "Zuordnung der Motive", style: { size: 11, bold: true } },
      { type: "L", items },
    ],
    "{title} (Fortsetzung)",
  );
  assert.equal(count, 2);
  assert.match(text[1], /^Zuordnung der Motive \(Fortsetzung\)\s+Punkt \d+\s/);
  assert.equal(text.join(" ").match(/Punkt \d+/g)?.length, 70, "every item once");
});

test("without a label, a page goes on with the header row alone", async () => {
  const { text } = await pages([
    { type: "H2", text: "Vorfälle nach Monat", style: { size: 13, bold: true } },
    { type: "Table", head: ["Monat", "Anzahl"], rows, style: { size: 9.5 } },
  ]);
  assert.match(text[1], /^Monat\s+Anzahl\s+Zeile \d+\s/);
});

test("a paragraph of a few lines is not split across pages: it goes on to the next whole, under its heading's continued line", async () => {
  const sentence = "Ein Absatz aus einigen Zeilen, der nicht mitten im Satz auf der nächsten Seite weitergehen soll.";
  const { count, text } = await pages(
    [
      { type: "H2", text: "Vergleich mit der Statistik", style: { size: 13, bold: true } },
      ...Array.from({ length: 53 }, (_, i) => ({ type: "P" as const, text: `Zeile ${i + 1}`, style: { size: 10 } })),
      { type: "P", text: Array.from({ length: 5 }, () => sentence).join(" "), style: { size: 10 } },
    ],
    "{title} (Fortsetzung)",
  );
  assert.equal(count, 2);
  assert.match(text[1], /^Vergleich mit der Statistik \(Fortsetzung\)\s+Ein Absatz aus einigen Zeilen/);
  assert.doesNotMatch(text[0], /Ein Absatz/, "none of it on the first page");
});

test("a heading never ends a page alone: where the paragraph after it goes on to the next page, the heading goes with it", async () => {
  const sentence = "Ein Absatz aus einigen Zeilen, der mit seiner Überschrift zusammen auf der nächsten Seite stehen soll.";
  const { text } = await pages(
    [
      ...Array.from({ length: 52 }, (_, i) => ({ type: "P" as const, text: `Zeile ${i + 1}`, style: { size: 10 } })),
      { type: "H2", text: "Neuer Abschnitt", style: { size: 13, bold: true, after: 4 }, room: 30 },
      { type: "P", text: Array.from({ length: 6 }, () => sentence).join(" "), style: { size: 10 } },
    ],
    "{title} (Fortsetzung)",
  );
  assert.match(text[1], /^Neuer Abschnitt\s+Ein Absatz aus einigen Zeilen/);
  assert.doesNotMatch(text[0], /Neuer Abschnitt/);
});
