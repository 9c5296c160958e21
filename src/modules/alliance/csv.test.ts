import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { translator } from "../../platform/i18n/i18n.ts";
import "./index.ts";
import { decodeCsv, hoursText, partnersCsv, readHoursText, readPartnersCsv } from "./csv.ts";
import type { PartnerRow } from "./repository.ts";

/*
 * The directory's spreadsheet: what Excel on a German office computer writes must be read, what we
 * write must open in it without running anything, and a wrong row is named by its line so it can
 * be fixed — with nothing saved meanwhile.
 */

const t = translator("de");
const HEADER = "Name;Art;Telefon;Erreichbarkeit;Notfallkarte;Sprachen";

function partner(over: Partial<PartnerRow> = {}): PartnerRow {
  return {
    id: "00000000-0000-4000-8000-000000000001",
    name: "Beratungsstelle Süd",
    kind: "victim_support",
    services: "Beratung; vertraulich\nauch abends",
    phone: "+4961519000123",
    email: "sued@beratung.example",
    web: "https://beratung.example/",
    region: "Testkreis",
    languages: ["de", "ar"],
    accessibility: "",
    cardSituations: ["threat", "support"],
    hours: { alwaysOpen: false, slots: [1, 2, 3, 4, 5].map((day) => ({ day: day as 1, from: "09:00", to: "17:00" })) },
    updatedAt: new Date(0),
    ...over,
  } as PartnerRow;
}

test("the export opens in German Excel and reads back as the same partners", () => {
  const csv = partnersCsv([partner(), partner({ name: "Hilfe rund um die Uhr", hours: { alwaysOpen: true, slots: [] }, phone: null, cardSituations: [] })], t);
  assert.ok(csv.startsWith("\uFEFFName;Art;"), "a byte order mark and semicolons");
  assert.match(csv, /\r\n/);
  assert.match(csv, /;Opferberatung;/, "kinds by their German name");
  const back = readPartnersCsv(new TextEncoder().encode(csv));
  assert.ok(back.ok, JSON.stringify(!back.ok && back.problems));
  assert.equal(back.partners.length, 2);
  assert.deepEqual(
    { ...back.partners[0] },
    {
      name: "Beratungsstelle Süd",
      kind: "victim_support",
      services: "Beratung; vertraulich\nauch abends",
      phone: "+4961519000123",
      email: "sued@beratung.example",
      web: "https://beratung.example/",
      region: "Testkreis",
      languages: ["de", "ar"],
      accessibility: "",
      cardSituations: ["threat", "support"],
      hours: partner().hours,
    },
  );
  assert.deepEqual(back.partners[1].hours, { alwaysOpen: true, slots: [] });
});

test("a cell a spreadsheet would run as a formula is written as text, and read back as typed", () => {
  const name = '=HYPERLINK("https://evil.example","Hilfe")';
  const csv = partnersCsv([partner({ name, region: "+1", accessibility: "@SUM(A1)", services: "-2" })], t);
  const row = csv.split("\r\n")[1];
  assert.match(row, /^"'=HYPERLINK\(""https:\/\/evil\.example"",""Hilfe""\)"/, "an apostrophe first");
  for (const cell of ["'+1", "'@SUM(A1)", "'-2"]) assert.ok(row.includes(cell), cell);
  assert.doesNotMatch(row, /;[=+\-@]/, "no cell starts with a formula character");
  const back = readPartnersCsv(new TextEncoder().encode(csv));
  assert.ok(back.ok);
  assert.equal(back.partners[0].name, name);
});

test("a Windows-1252 file from Excel is read with its umlauts", () => {
  const text = `${HEADER}\r\nBeratungsstelle Süd für Betroffene;Opferberatung;06151 9000123;Mo–Fr 09:00–17:00;Nach einer Bedrohung;de, tr\r\n`;
  const bytes = Uint8Array.from([...text].map((c) => (c === "–" ? 0x96 : c.charCodeAt(0))));
  assert.throws(() => new TextDecoder("utf-8", { fatal: true }).decode(bytes), "the bytes are not UTF-8");
  assert.equal(decodeCsv(bytes), text);
  const result = readPartnersCsv(bytes);
  assert.ok(result.ok, JSON.stringify(!result.ok && result.problems));
  assert.equal(result.partners[0].name, "Beratungsstelle Süd für Betroffene");
  assert.equal(result.partners[0].phone, "+4961519000123");
  assert.equal(result.partners[0].hours.slots.length, 5);
  assert.deepEqual(result.partners[0].cardSituations, ["threat"]);
});

test("every broken row is named by its row number (as a spreadsheet counts) and reason, and nothing is returned to save", () => {
  const text = [
    "Name,Art,Telefon,Erreichbarkeit,E-Mail,Angebot",
    "Gute Stelle,Polizei / Staatsschutz,0611 90009110,24/7,,",
    'Stelle mit Umbruch,Mobile Beratung,12,,,"Beratung',
    'in zwei Zeilen"',
    ",Opferberatung,,,,",
    "Stelle,Bäckerei,,Mo 12:00-09:00,kein@,",
    "Spätstelle,Opferberatung,,Mo 09:00-12:00; Mo 11:00-13:00,,",
  ].join("\n");
  const result = readPartnersCsv(new TextEncoder().encode(text));
  assert.equal(result.ok, false);
  const problems = !result.ok ? result.problems.map((p) => `${p.line}|${p.column}|${p.message}`) : [];
  assert.deepEqual(problems, [
    "3|Telefon|errors.alliance.phone",
    "4|Name|errors.alliance.name",
    "5|Art|alliance.csv.kind",
    "5|E-Mail|errors.alliance.email",
    "5|Erreichbarkeit|alliance.hours.endBeforeStart",
    "6|Erreichbarkeit|alliance.hours.overlap",
  ]);
});

test("a file that is not CSV, has unknown columns or no rows is refused as a whole", () => {
  const read = (s: string) => {
    const r = readPartnersCsv(new TextEncoder().encode(s));
    return r.ok ? [] : r.problems.map((p) => p.message);
  };
  assert.deepEqual(read('Name;Art\n"offen;Opferberatung\n'), ["alliance.csv.unreadable"]);
  assert.deepEqual(read(""), ["alliance.csv.empty"]);
  assert.deepEqual(read("Name;Art\n"), ["alliance.csv.noRows"]);
  assert.deepEqual(read("Name;Art;Lieblingsfarbe\nA;Opferberatung;blau\n"), ["alliance.csv.unknownColumn"]);
  assert.deepEqual(read("Telefon\n069 123\n"), ["alliance.csv.nameMissing", "alliance.csv.kindMissing"]);
  assert.deepEqual(read(`Name;Art\n${"A;Opferberatung\n".repeat(501)}`), ["alliance.csv.tooManyRows"]);
  const long = readPartnersCsv(new TextEncoder().encode(`Name;Art;${"x".repeat(5000)}\nA;Opferberatung;1\n`));
  assert.ok(!long.ok && (long.problems[0].column ?? "").length <= 61, "a column's name is not echoed whole");
});

test("opening hours in one cell: what the export writes and what people type", () => {
  const hours = {
    alwaysOpen: false,
    slots: [
      { day: 1, from: "09:00", to: "12:00" },
      { day: 1, from: "13:00", to: "16:00" },
      { day: 2, from: "09:00", to: "12:00" },
      { day: 2, from: "13:00", to: "16:00" },
      { day: 6, from: "10:00", to: "12:00" },
    ],
  } as const;
  const text = hoursText(hours as never);
  assert.equal(text, "Mo–Di 09:00–12:00, 13:00–16:00; Sa 10:00–12:00");
  assert.deepEqual(readHoursText(text), { ok: true, hours });
  assert.deepEqual(readHoursText("Mo-Di 9-12, 13-16; Sa 10:00-12:00 Uhr"), { ok: true, hours });
  assert.deepEqual(readHoursText("Fr 22:00-0:00"), { ok: true, hours: { alwaysOpen: false, slots: [{ day: 5, from: "22:00", to: "24:00" }] } });
  assert.deepEqual(readHoursText("rund um die Uhr"), { ok: true, hours: { alwaysOpen: true, slots: [] } });
  assert.deepEqual(readHoursText("montags"), { ok: false, message: "alliance.csv.hoursFormat" });
  assert.deepEqual(readHoursText("Fr-Mo 09:00-10:00"), { ok: false, message: "alliance.csv.hoursFormat" });
  assert.deepEqual(readHoursText("Mo 8-9, 10-11, 12-13"), { ok: false, message: "alliance.hours.tooManyRanges" });
});

test("any bytes give partners or problems, never an exception", () => {
  const cell = fc.oneof(fc.string({ maxLength: 20 }), fc.constantFrom('"', '""', "\r", "\n", ";", ",", "=1+1", "\u0000", "Opferberatung", "24/7", "Mo 9-12"));
  const csvLike = fc
    .array(fc.array(cell, { maxLength: 6 }), { maxLength: 6 })
    .map((rows) => new TextEncoder().encode(["Name;Art;Telefon;Erreichbarkeit", ...rows.map((r) => r.join(";"))].join("\r\n")));
  fc.assert(
    fc.property(fc.oneof(fc.uint8Array({ maxLength: 400 }), csvLike), (bytes) => {
      const result = readPartnersCsv(bytes);
      assert.ok(result.ok ? Array.isArray(result.partners) : result.problems.length > 0);
    }),
    { numRuns: 400 },
  );
});

test("languages may be written as names, and a wrong value names the values the column takes, once", () => {
  const ok = readPartnersCsv(new TextEncoder().encode("Name;Art;Sprachen\nStelle;Opferberatung;Deutsch, Arabisch, tr\n"));
  assert.ok(ok.ok);
  assert.deepEqual(ok.partners[0].languages, ["de", "ar", "tr"]);
  const bad = readPartnersCsv(new TextEncoder().encode("Name;Art;Sprachen;Notfallkarte\nStelle;Opferberatung;Klingonisch, Vulkanisch;Irgendwo\n"));
  assert.ok(!bad.ok);
  assert.deepEqual(
    bad.problems.map((p) => [p.column, p.message]),
    [
      ["Sprachen", "alliance.csv.languages"],
      ["Notfallkarte", "alliance.csv.situations"],
    ],
  );
  assert.match(String(bad.problems[1].params?.values), /Nach einer Bedrohung, Hass im Netz, Beratung und Unterstützung/);
});
