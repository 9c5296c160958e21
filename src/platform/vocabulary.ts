/*
 * Words of the domain that several modules share and none owns: the forms an incident takes
 * (reported in the Meldestelle, routed by the alliance's responsibilities, assessed in the clearing
 * procedure, counted in the Lagebild), the stages of the clearing procedure and its risk levels.
 * Their labels live with the reporting form's texts (`reports.options.forms.*`) and the alliance's.
 */

export const INCIDENT_FORMS = [
  "insult",
  "threat",
  "incitement",
  "defamation",
  "harassment",
  "doxxing",
  "physical_attack",
  "sexual_assault",
  "property_damage",
  "other",
] as const;
export type IncidentForm = (typeof INCIDENT_FORMS)[number];

/** The motives a reporter may perceive (brief: perceived motive), as codes; labels in `reports.options.motives.*`. */
export const PERCEIVED_MOTIVES = [
  "racist",
  "antisemitic",
  "anti_muslim",
  "antiziganist",
  "anti_black",
  "anti_asian",
  "right_wing_extremist",
  "lgbtiq_hostile",
  "antifeminist",
  "islamist",
  "other",
] as const;
export type PerceivedMotive = (typeof PERCEIVED_MOTIVES)[number];

/** The stages of the clearing procedure (brief: Eingang → Ersteinschätzung → Maßnahmen → Nachsorge → Abschluss). */
export const CLEARING_STAGES = ["intake", "assessment", "measures", "aftercare", "closure"] as const;
export type ClearingStage = (typeof CLEARING_STAGES)[number];

/** Risk levels 0–3 of the clearing procedure's threat assessment. */
export const RISK_LEVELS = [0, 1, 2, 3] as const;
export type RiskLevel = (typeof RISK_LEVELS)[number];

/** The Länder with the first two digits of their Amtliche Gemeindeschlüssel. */
export const LAENDER = {
  "01": "Schleswig-Holstein",
  "02": "Hamburg",
  "03": "Niedersachsen",
  "04": "Bremen",
  "05": "Nordrhein-Westfalen",
  "06": "Hessen",
  "07": "Rheinland-Pfalz",
  "08": "Baden-Württemberg",
  "09": "Bayern",
  "10": "Saarland",
  "11": "Berlin",
  "12": "Brandenburg",
  "13": "Mecklenburg-Vorpommern",
  "14": "Sachsen",
  "15": "Sachsen-Anhalt",
  "16": "Thüringen",
} as const;
export type LandCode = keyof typeof LAENDER;
/** In the order of their keys ("01" Schleswig-Holstein … "16" Thüringen): Object.keys would put "10"–"16" first, as integer keys. */
export const LAENDER_CODES = (Object.keys(LAENDER) as LandCode[]).sort();

/**
 * Where a help service works: a Land, or "bund" across the country (the help lines). A
 * municipality's Land decides its public holidays and which services of the national directory
 * are its own.
 */
export const LANDS = { bund: "Bundesweit", ...LAENDER } as const;
export type Land = keyof typeof LANDS;
export const LAND_CODES: Land[] = ["bund", ...LAENDER_CODES];
