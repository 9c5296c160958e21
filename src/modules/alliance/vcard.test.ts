import assert from "node:assert/strict";
import { test } from "node:test";
import ICAL from "ical.js";
import { contactsVcard, type VcardContact } from "./vcard.ts";

const ARABIC = "جمعية المساعدة العربية في دارمشتادت";
const LONG_NOTE = "Beratung nach rassistischen Angriffen, auch anonym; Termine nach Absprache.\nÜbersetzung ins Türkische möglich \\ ohne Kosten.";

/**
 * A strict reader for vCard 3.0 (RFC 2426): unfolds lines, splits compound values at bare semicolons
 * and undoes the escapes. Written here because ical.js applies vCard 4.0's rule to 3.0 and leaves
 * "\\;" in plain text escaped (ical.js issue #173); ical.js still checks the file's structure below.
 */
function readVcards(vcf: string): Map<string, string[][]>[] {
  const cards: Map<string, string[][]>[] = [];
  let card = new Map<string, string[][]>();
  for (const line of vcf.replace(/\r\n[ \t]/g, "").split("\r\n")) {
    if (line === "") continue;
    const colon = line.indexOf(":");
    const name = line.slice(0, colon).split(";")[0].toUpperCase();
    const value = line.slice(colon + 1);
    if (name === "BEGIN") card = new Map();
    else if (name === "END") cards.push(card);
    else {
      const components = [""];
      for (let i = 0; i < value.length; i++) {
        if (value[i] === "\\") {
          const next = value[++i];
          components[components.length - 1] += next === "n" || next === "N" ? "\n" : next;
        } else if (value[i] === ";") components.push("");
        else components[components.length - 1] += value[i];
      }
      card.set(name, [...(card.get(name) ?? []), components]);
    }
  }
  return cards;
}

/** The single-component values of one property. */
const values = (card: Map<string, string[][]>, name: string) => card.get(name)?.map((components) => components.join(";"));

const contacts: VcardContact[] = [
  {
    organisation: "Müller & Söhne; Beratung, Hilfe",
    name: "Aylin Yılmaz",
    phone: "+496151123456",
    email: "hilfe@example.de",
    web: "https://example.de/rat",
    note: LONG_NOTE,
  },
  { organisation: ARABIC, phone: "+49116006" },
  { organisation: "Polizei", phone: "110" },
];

test("the file holds one vCard 3.0 per contact, in order, as a common parser reads it", () => {
  const parsed = ICAL.parse(contactsVcard(contacts)) as [string, [string, unknown, string, unknown][]][];
  assert.equal(parsed.length, 3);
  assert.deepEqual(
    parsed.map(([kind, properties]) => [kind, properties.find((p) => p[0] === "version")?.[3], properties.find((p) => p[0] === "org")?.[3]]),
    [
      ["vcard", "3.0", "Müller & Söhne; Beratung, Hilfe"],
      ["vcard", "3.0", ARABIC],
      ["vcard", "3.0", "Polizei"],
    ],
  );
});

test("every property value comes back as it was given, umlauts, Arabic and punctuation included", () => {
  const [person, arabic] = readVcards(contactsVcard(contacts));
  assert.deepEqual(values(person, "ORG"), ["Müller & Söhne; Beratung, Hilfe"]);
  assert.deepEqual(person.get("ORG"), [["Müller & Söhne; Beratung, Hilfe"]], "one organisation, not split into units");
  assert.deepEqual(values(person, "FN"), ["Aylin Yılmaz"]);
  assert.deepEqual(person.get("N"), [["Aylin Yılmaz", "", "", "", ""]]);
  assert.deepEqual(values(person, "TEL"), ["+496151123456"]);
  assert.deepEqual(values(person, "EMAIL"), ["hilfe@example.de"]);
  assert.deepEqual(values(person, "URL"), ["https://example.de/rat"]);
  assert.deepEqual(values(person, "NOTE"), [LONG_NOTE]);
  assert.deepEqual(values(arabic, "ORG"), [ARABIC]);
  assert.deepEqual(values(arabic, "FN"), [ARABIC]);
});

test("an organisation without a contact person is filed under the organisation's name", () => {
  const [person, arabic, police] = readVcards(contactsVcard(contacts));
  assert.deepEqual(values(arabic, "X-ABSHOWAS"), ["COMPANY"]);
  assert.deepEqual(values(police, "FN"), ["Polizei"]);
  assert.equal(person.get("X-ABSHOWAS"), undefined);
});

test("numbers are stored as a phone dials them", () => {
  const [, arabic, police] = readVcards(contactsVcard(contacts));
  assert.deepEqual(values(arabic, "TEL"), ["116006"], "a 116 helpline without the country code");
  assert.deepEqual(values(police, "TEL"), ["110"]);
});

test("the text is UTF-8 with CRLF line ends and lines of at most 75 octets", () => {
  const vcf = contactsVcard(contacts);
  assert.ok(vcf.includes("Müller & Söhne"), "no quoted-printable or other encoding of umlauts");
  assert.ok(vcf.includes(ARABIC));
  assert.ok(vcf.endsWith("\r\n"));
  assert.equal(vcf.replaceAll("\r\n", "").includes("\n"), false, "no bare line feed");
  const lines = vcf.split("\r\n").slice(0, -1);
  for (const line of lines) assert.ok(Buffer.byteLength(line, "utf8") <= 75, line);
  assert.ok(
    lines.some((l) => l.startsWith(" ")),
    "the long note was folded",
  );
});

test("a line break in a value cannot start a property of its own", () => {
  const vcf = contactsVcard([{ organisation: "Verein\nEND:VCARD", email: "a@example.de\r\nTEL:0900123", note: "x\nBEGIN:VCARD" }]);
  const cards = readVcards(vcf);
  assert.equal(cards.length, 1);
  assert.equal(cards[0].get("TEL"), undefined);
  assert.deepEqual(values(cards[0], "ORG"), ["Verein\nEND:VCARD"]);
  assert.deepEqual(values(cards[0], "NOTE"), ["x\nBEGIN:VCARD"]);
});
