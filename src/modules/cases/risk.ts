import type { IncidentForm, RiskLevel } from "../../platform/vocabulary.ts";

/*
 * The first assessment's proposal: from the incident's form and the threat criteria of the brief
 * (concrete, direct, plausible, detailed; method, place or time named; preparatory acts; conditional
 * wording; private address or family named; a series or known repeat aggressor; online
 * mobilisation; how the person copes) to a level 0–3, with every reason that led there. The
 * clearing officer confirms it or sets another level with a justification; the proposal never
 * decides on its own.
 *
 *   0 controversial but not criminal · 1 insult, online hate, property damage ·
 *   2 threat, coercion, scuffle, doxxing, stalking, damage at home (police the same day) ·
 *   3 armed attack or acute danger (110, alarm chain, crisis team)
 */

export const THREAT_CRITERIA = [
  "concrete",
  "direct",
  "plausible",
  "detailed",
  "methodPlaceOrTime",
  "preparatoryActs",
  "conditional",
  "privateAddressOrFamily",
  "seriesOrRepeatAggressor",
  "onlineMobilisation",
  "copingPoorly",
  "weaponOrAcuteDanger",
] as const;
export type ThreatCriterion = (typeof THREAT_CRITERIA)[number];

/** Why a level was proposed: the form's own level, or a criterion that raised it. */
export type RiskReason = `form.${IncidentForm}` | `criterion.${ThreatCriterion}` | "criteria.severalSigns" | "criteria.concretePlan";

/** The level an incident's form stands for on its own (brief: levels 0–3). */
const FORM_LEVEL: Record<IncidentForm, RiskLevel> = {
  other: 0,
  insult: 1,
  defamation: 1,
  incitement: 1,
  property_damage: 1,
  harassment: 1,
  threat: 2,
  doxxing: 2,
  physical_attack: 2,
  sexual_assault: 2,
};

/** Criteria that by themselves mean the police should hear of it the same day. */
const RAISE_TO_TWO: ThreatCriterion[] = ["privateAddressOrFamily", "seriesOrRepeatAggressor", "onlineMobilisation", "preparatoryActs"];
/** Signs that a threat is meant: several of them make a level-1 incident a level-2 one. */
const SIGNS: ThreatCriterion[] = ["concrete", "direct", "plausible", "detailed", "conditional"];

export interface RiskProposal {
  level: RiskLevel;
  reasons: RiskReason[];
}

export function proposeRiskLevel(form: IncidentForm, criteria: ReadonlySet<ThreatCriterion>): RiskProposal {
  let level: RiskLevel = FORM_LEVEL[form];
  const reasons: RiskReason[] = [`form.${form}`];
  const raise = (to: RiskLevel, reason: RiskReason) => {
    if (to > level) level = to;
    if (!reasons.includes(reason)) reasons.push(reason);
  };
  if (criteria.has("weaponOrAcuteDanger")) raise(3, "criterion.weaponOrAcuteDanger");
  // A threat that names how, where or when and is concrete, or is being prepared, is acute.
  if ((form === "threat" || form === "physical_attack") && criteria.has("concrete") && criteria.has("methodPlaceOrTime")) raise(3, "criteria.concretePlan");
  for (const c of RAISE_TO_TWO) if (criteria.has(c)) raise(2, `criterion.${c}`);
  if (criteria.has("preparatoryActs") && (form === "threat" || criteria.has("methodPlaceOrTime"))) raise(3, "criteria.concretePlan");
  const signs = SIGNS.filter((c) => criteria.has(c));
  if (signs.length >= 2) raise(2, "criteria.severalSigns");
  // Criteria that support the level but did not raise it are still named: the officer sees all of them.
  for (const c of THREAT_CRITERIA) {
    const reason: RiskReason = `criterion.${c}`;
    if (criteria.has(c) && !reasons.includes(reason)) reasons.push(reason);
  }
  return { level, reasons };
}

/** Of the forms a report names, the one that weighs most (the first of equals): the assessment's starting point. */
export function weightiestForm(forms: readonly string[]): IncidentForm | null {
  let best: IncidentForm | null = null;
  for (const f of forms) {
    if (!(f in FORM_LEVEL)) continue;
    const form = f as IncidentForm;
    if (best === null || FORM_LEVEL[form] > FORM_LEVEL[best]) best = form;
  }
  return best;
}
