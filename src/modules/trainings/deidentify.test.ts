import assert from "node:assert/strict";
import { test } from "node:test";
import { type FindingKind, findIdentifying, markFindings } from "./deidentify.ts";

/*
 * The de-identification step on a fixed, fictional German account of an incident: every name,
 * e-mail address, phone number and street address in it must be found; places and dates too. The
 * figures (precision and recall per kind) are printed, so a change to the patterns shows what it
 * gains and loses.
 */

const TEXT = `Am 12.03.2026 rief Frau Ayşe Demir aus dem Bürgerbüro in Lindenhausen an. Ein Mann, der sich als Klaus Berger vorstellte, hatte sie am Schalter beschimpft und ihr später von kb-wut@beispiel.example geschrieben. Er wohnt nach ihren Worten in der Birkenallee 14 in 34567 Lindenhausen und rief zweimal unter 0561 987654 an. Ihre Kollegin Jana sprach danach mit Bürgermeister Dr. Hoffmann. Am 3. April kam eine weitere Mail, diesmal an ihre private Adresse Am Lindenplatz 7. Die Mitarbeiterin ist seitdem krankgeschrieben; das Team ist verunsichert und fragt, wie es sie stärken kann. Ihr Handy: +49 151 23456789. Die Verwaltung prüft eine Strafanzeige nach § 185 StGB. Im Rathaus gibt es seit 2024 einen Notfallknopf, und der Schalter hat zwei Ausgänge. Der Mann schrieb auch an Herrn Oliver Schütz aus Mühlbach im Kreis.`;

/** What must be found (kind and the text as written). */
const GOLD: { kind: FindingKind; text: string }[] = [
  { kind: "date", text: "12.03.2026" },
  { kind: "name", text: "Ayşe Demir" },
  { kind: "place", text: "Lindenhausen" },
  { kind: "name", text: "Klaus Berger" },
  { kind: "email", text: "kb-wut@beispiel.example" },
  { kind: "address", text: "Birkenallee 14" },
  { kind: "place", text: "34567 Lindenhausen" },
  { kind: "phone", text: "0561 987654" },
  { kind: "name", text: "Jana" },
  { kind: "name", text: "Dr. Hoffmann" },
  { kind: "date", text: "3. April" },
  { kind: "address", text: "Am Lindenplatz 7" },
  { kind: "phone", text: "+49 151 23456789" },
  { kind: "name", text: "Oliver Schütz" },
  { kind: "place", text: "Mühlbach" },
];

function spansOf(text: string, gold: typeof GOLD) {
  let from = 0;
  return gold.map((g) => {
    const start = text.indexOf(g.text, from);
    assert.ok(start >= 0, `"${g.text}" is in the text`);
    from = start + 1;
    return { ...g, start, end: start + g.text.length };
  });
}

test("names, e-mail addresses, phone numbers and street addresses in a German account are found (precision and recall printed)", () => {
  const gold = spansOf(TEXT, GOLD);
  const found = findIdentifying(TEXT);
  const overlaps = (a: { start: number; end: number }, b: { start: number; end: number }) => a.start < b.end && b.start < a.end;
  const kinds: FindingKind[] = ["name", "email", "phone", "address", "place", "date"];
  const lines: string[] = [];
  let truePositives = 0;
  let foundCorrectly = 0;
  for (const kind of kinds) {
    const g = gold.filter((x) => x.kind === kind);
    const f = found.filter((x) => x.kind === kind);
    const hit = g.filter((x) => f.some((y) => overlaps(x, y))).length;
    const right = f.filter((y) => g.some((x) => overlaps(x, y))).length;
    truePositives += hit;
    foundCorrectly += right;
    const precision = f.length ? right / f.length : 1;
    const recall = g.length ? hit / g.length : 1;
    lines.push(
      `${kind.padEnd(8)} precision ${precision.toFixed(2)}  recall ${recall.toFixed(2)}  (${hit}/${g.length} found, ${f.length - right} wrongly flagged)`,
    );
    if (["name", "email", "phone", "address"].includes(kind))
      assert.equal(recall, 1, `every ${kind} is found: ${g.filter((x) => !f.some((y) => overlaps(x, y))).map((x) => x.text)}`);
  }
  const precision = foundCorrectly / found.length;
  const recall = truePositives / gold.length;
  lines.push(`all      precision ${precision.toFixed(2)}  recall ${recall.toFixed(2)}`);
  console.log(`de-identification on the fixed text:\n${lines.join("\n")}`);
  assert.ok(recall >= 0.9, `recall ${recall}`);
  assert.ok(precision >= 0.85, `precision ${precision}: ${found.filter((y) => !gold.some((x) => overlaps(x, y))).map((y) => `${y.kind}:${y.text}`)}`);
});

test("plain words of the trade are not flagged", () => {
  const text =
    "Die Mitarbeiterin ist krankgeschrieben. Das Team trifft sich im Rathaus. Die Verwaltung stellt Strafantrag nach § 194 StGB, seit 2024 gibt es einen Notfallknopf.";
  assert.deepEqual(findIdentifying(text), []);
});

test("the marked text keeps every character in order", () => {
  const parts = markFindings(TEXT, findIdentifying(TEXT));
  assert.equal(parts.map((p) => p.text).join(""), TEXT);
  assert.ok(parts.some((p) => p.kind === "email" && p.text === "kb-wut@beispiel.example"));
});
