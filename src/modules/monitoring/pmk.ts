/*
 * How the platform's categories compare with the police statistics of politically motivated crime
 * (PMK): the Phänomenbereich, the Unterthemenfelder of the Oberthemenfeld Hasskriminalität, and the
 * attack target Amts- und Mandatsträger (counted separately since 2016). The police catalogue
 * changes, so the mapping is versioned: a record is counted by the version in force in the month
 * its case was opened, and the rollups are built again when a version is added.
 *
 * The platform asks for the motive the affected person perceived, not for the perpetrator's
 * ideology: a Phänomenbereich is named only where the motive says it (right-wing extremist,
 * Islamist); everything else is "sonstige Zuordnung" until the police attribute it. As in the
 * police statistics, a case has one Phänomenbereich: where its motives name more than one, it is
 * not clearly assignable ("sonstige Zuordnung"). A version takes effect with a new year, so that
 * every table of a year (`cube.ts`) is counted by one version.
 */

export const PMK_AREAS = ["rechts", "links", "auslaendische_ideologie", "religioese_ideologie", "sonstige_zuordnung"] as const;
export type PmkArea = (typeof PMK_AREAS)[number];

export const PMK_HATE = [
  "rassistisch",
  "fremdenfeindlich",
  "antisemitisch",
  "antiziganistisch",
  "islamfeindlich",
  "christenfeindlich",
  "sexuelle_orientierung",
  "geschlechtsbezogene_diversitaet",
  "frauenfeindlich",
  "behinderung",
] as const;
export type PmkHate = (typeof PMK_HATE)[number];

export interface PmkMapping {
  version: number;
  /** First month (YYYY-MM-01) of records counted by this version. */
  validFrom: string;
  /** Perceived motive → Phänomenbereich (motives not listed: sonstige Zuordnung). */
  areas: Record<string, PmkArea>;
  /** Perceived motive → Unterthemenfelder of Hasskriminalität. */
  hate: Record<string, readonly PmkHate[]>;
  /** Functions of the affected person that make the attack one on an Amts- oder Mandatsträger:in. */
  officeHolders: readonly string[];
}

const FIRST: PmkMapping = {
  version: 1,
  validFrom: "2016-01-01",
  areas: { right_wing_extremist: "rechts", islamist: "religioese_ideologie" },
  hate: {
    racist: ["rassistisch"],
    anti_black: ["rassistisch"],
    anti_asian: ["rassistisch"],
    antisemitic: ["antisemitisch"],
    anti_muslim: ["islamfeindlich"],
    antiziganist: ["antiziganistisch"],
    lgbtiq_hostile: ["sexuelle_orientierung", "geschlechtsbezogene_diversitaet"],
    antifeminist: ["geschlechtsbezogene_diversitaet"],
  },
  officeHolders: ["office_holder", "elected_member", "staff"],
};

/** The versions in force, oldest first. A new version is added here; the rollups follow by themselves. */
export const PMK_MAPPINGS: readonly PmkMapping[] = [
  FIRST,
  // Misogynist hostility counted in its own Unterthemenfeld.
  { ...FIRST, version: 2, validFrom: "2022-01-01", hate: { ...FIRST.hate, antifeminist: ["frauenfeindlich"] } },
];

export const CURRENT_PMK_VERSION = PMK_MAPPINGS[PMK_MAPPINGS.length - 1].version;

/** The mapping in force for a record opened in the month given (YYYY-MM-01). */
export function pmkMappingFor(month: string): PmkMapping {
  let found = PMK_MAPPINGS[0];
  for (const m of PMK_MAPPINGS) if (m.validFrom <= month) found = m;
  return found;
}

/** A record's PMK codes: its one Phänomenbereich, its Unterthemenfelder (each once), and whether an office holder was attacked. */
export function pmkCodes(
  month: string,
  motives: readonly string[],
  affectedFunction: string | null,
): { version: number; area: PmkArea; hate: PmkHate[]; officeHolder: boolean } {
  const m = pmkMappingFor(month);
  const named = new Set(motives.flatMap((x) => (m.areas[x] ? [m.areas[x]] : [])));
  const hate = new Set<PmkHate>(motives.flatMap((x) => m.hate[x] ?? []));
  return {
    version: m.version,
    area: named.size === 1 ? [...named][0] : "sonstige_zuordnung",
    hate: PMK_HATE.filter((h) => hate.has(h)),
    officeHolder: affectedFunction !== null && m.officeHolders.includes(affectedFunction),
  };
}

/** The perceived motives a code of the mapping comes from: a Phänomenbereich's, or an Unterthemenfeld's. */
export function pmkSources(mapping: PmkMapping): { areas: Map<PmkArea, string[]>; hate: Map<PmkHate, string[]> } {
  const areas = new Map<PmkArea, string[]>();
  for (const [motive, area] of Object.entries(mapping.areas)) areas.set(area, [...(areas.get(area) ?? []), motive]);
  const hate = new Map<PmkHate, string[]>();
  for (const [motive, fields] of Object.entries(mapping.hate)) for (const h of fields) hate.set(h, [...(hate.get(h) ?? []), motive]);
  return { areas, hate };
}

/** Each term of the mapping with the perceived motives it counts, Phänomenbereiche first: what the page and the yearly report list. */
export function pmkSourceList(mapping: PmkMapping): { dimension: "pmk_area" | "pmk_hate"; code: string; motives: string[] }[] {
  const { areas, hate } = pmkSources(mapping);
  return [
    ...PMK_AREAS.filter((a) => areas.has(a)).map((code) => ({ dimension: "pmk_area" as const, code, motives: areas.get(code) ?? [] })),
    ...PMK_HATE.filter((h) => hate.has(h)).map((code) => ({ dimension: "pmk_hate" as const, code, motives: hate.get(code) ?? [] })),
  ];
}
