import assert from "node:assert/strict";
import { test } from "node:test";
import { PMK_MAPPINGS, pmkCodes } from "./pmk.ts";

/* The PMK mapping: one Phänomenbereich per case, as in the police statistics; a version per year. */

test("a case has one Phänomenbereich: the one its motives name, or sonstige Zuordnung where they name none or two", () => {
  assert.equal(pmkCodes("2026-03-01", ["racist", "right_wing_extremist"], "staff").area, "rechts");
  assert.equal(pmkCodes("2026-03-01", ["racist"], "staff").area, "sonstige_zuordnung");
  assert.equal(pmkCodes("2026-03-01", ["right_wing_extremist", "islamist"], "staff").area, "sonstige_zuordnung");
  assert.equal(pmkCodes("2026-03-01", [], null).area, "sonstige_zuordnung");
});

test("an attack on a member of staff counts as one on an Amtsträger:in; an unknown function does not", () => {
  assert.equal(pmkCodes("2026-03-01", ["racist"], "staff").officeHolder, true);
  assert.equal(pmkCodes("2026-03-01", ["racist"], null).officeHolder, false);
});

test("every version of the mapping takes effect with a new year, so that a year's table is counted by one", () => {
  for (const m of PMK_MAPPINGS) assert.match(m.validFrom, /^\d{4}-01-01$/, `version ${m.version}`);
});
