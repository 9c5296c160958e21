import assert from "node:assert/strict";
import { test } from "node:test";
import type { IncidentForm } from "../../platform/vocabulary.ts";
import { proposeRiskLevel, THREAT_CRITERIA, type ThreatCriterion, weightiestForm } from "./risk.ts";

/*
 * The first assessment's proposal as a table: the level each form stands for, what raises it, and
 * that every criterion ticked is named among the reasons (the officer decides, seeing all of them).
 */

const CASES: { why: string; form: IncidentForm; criteria: ThreatCriterion[]; level: 0 | 1 | 2 | 3 }[] = [
  { why: "controversial, nothing criminal", form: "other", criteria: [], level: 0 },
  { why: "an insult", form: "insult", criteria: [], level: 1 },
  { why: "online hate that names the private address", form: "insult", criteria: ["privateAddressOrFamily"], level: 2 },
  { why: "an insult in a series by a known aggressor", form: "insult", criteria: ["seriesOrRepeatAggressor"], level: 2 },
  { why: "harassment with several signs that it is meant", form: "harassment", criteria: ["direct", "plausible"], level: 2 },
  { why: "one sign alone does not raise", form: "harassment", criteria: ["direct"], level: 1 },
  { why: "a threat", form: "threat", criteria: [], level: 2 },
  { why: "doxxing", form: "doxxing", criteria: [], level: 2 },
  { why: "a concrete threat naming how, where or when", form: "threat", criteria: ["concrete", "methodPlaceOrTime"], level: 3 },
  { why: "a threat being prepared", form: "threat", criteria: ["preparatoryActs"], level: 3 },
  { why: "a weapon or acute danger, whatever the form", form: "property_damage", criteria: ["weaponOrAcuteDanger"], level: 3 },
  { why: "online mobilisation against the person", form: "incitement", criteria: ["onlineMobilisation"], level: 2 },
];

for (const c of CASES) {
  test(`risk proposal: ${c.why} → level ${c.level}`, () => {
    const proposal = proposeRiskLevel(c.form, new Set(c.criteria));
    assert.equal(proposal.level, c.level);
    assert.equal(proposal.reasons[0], `form.${c.form}`, "the form comes first");
    for (const criterion of c.criteria) assert.ok(proposal.reasons.includes(`criterion.${criterion}`), `${criterion} is named`);
  });
}

test("risk proposal: every criterion ticked is named once, also those that raise nothing", () => {
  const all = new Set(THREAT_CRITERIA);
  const proposal = proposeRiskLevel("threat", all);
  assert.equal(proposal.level, 3);
  assert.equal(new Set(proposal.reasons).size, proposal.reasons.length, "no reason twice");
  for (const c of THREAT_CRITERIA) assert.ok(proposal.reasons.includes(`criterion.${c}`), c);
  assert.ok(proposeRiskLevel("insult", new Set(["copingPoorly"])).reasons.includes("criterion.copingPoorly"));
  assert.equal(proposeRiskLevel("insult", new Set(["copingPoorly"])).level, 1, "how the person copes guides support, not the level");
});

test("the assessment starts from the weightiest form the report names", () => {
  assert.equal(weightiestForm(["insult", "threat", "harassment"]), "threat");
  assert.equal(weightiestForm(["other", "insult"]), "insult");
  assert.equal(weightiestForm(["not-a-form"]), null);
  assert.equal(weightiestForm([]), null);
});
