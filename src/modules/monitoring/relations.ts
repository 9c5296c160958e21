import { DIMENSIONS, type Dimension } from "./dimensions.ts";
import { pmkMappingFor, pmkSources } from "./pmk.ts";
import { AUXILIARY, type Relation } from "./protect.ts";

/*
 * The cells of a year's table and the relations between them that an attacker can combine: a
 * quarter is the sum of its months, the country the sum of its Länder and of its kinds of
 * municipality, a total the sum of its categories, and the PMK codes follow from the motives.
 * `cube.ts` builds and protects the table with them.
 */

export const COUNTRY = "DE";
export const ALL_KINDS = "all";
export const OWN = "*";

/** Dimensions shown month by month; the others by quarter and year. */
export const MONTHLY = new Set<string>(["incidents", "closed"]);

export const cellKey = (time: string, area: string, kind: string, dimension: string, code: string) => `${time}|${area}|${kind}|${dimension}|${code}`;

/**
 * The scopes a row counts in: its Land, its kind of municipality, the country. Länder and kinds
 * are not crossed (a Land's model municipalities would often be one or two): a figure is for the
 * country, a Land, or a kind of municipality.
 */
export function scopesOf(national: boolean, area: string, kind: string): [string, string][] {
  return national
    ? [
        [area, ALL_KINDS],
        [COUNTRY, kind],
        [COUNTRY, ALL_KINDS],
      ]
    : [[OWN, OWN]];
}

/** The Länder whose figures come from one kind of municipality alone, by that kind. */
export function landsOfOneKind(areas: readonly string[], landKinds: ReadonlyMap<string, ReadonlySet<string>>): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const a of areas) {
    const of = [...(landKinds.get(a) ?? [])];
    if (of.length !== 1) continue;
    const [k] = of;
    out.set(k, [...(out.get(k) ?? []), a]);
  }
  return out;
}

/**
 * Every sum relation of the table — time, area, kind and category, and how the PMK codes follow
 * from the categories — and the inequalities an attacker knows besides (a total is at least each
 * part counted in it; see `protect`). `over`: the quarters over (`quartersOver`); the year sums these.
 * `landKinds`: the kinds of municipality each Land's figures come from (`landsOfOneKind`).
 */
export function cubeRelations(
  year: string,
  codes: ReadonlyMap<Dimension, readonly string[]>,
  areas: string[] | null,
  kinds: string[] | null,
  over = 4,
  landKinds: ReadonlyMap<string, ReadonlySet<string>> = new Map(),
): { relations: Relation[]; inequalities: Relation[] } {
  const out: Relation[] = [];
  const inequalities: Relation[] = [];
  const quarters = [1, 2, 3, 4].slice(0, over).map((q) => `${year}-Q${q}`);
  const monthsOf = (q: number) => [1, 2, 3].map((i) => `${year}-${String((q - 1) * 3 + i).padStart(2, "0")}`);
  const scopes: [string, string][] =
    areas && kinds
      ? [...areas.map((a): [string, string] => [a, ALL_KINDS]), ...kinds.map((k): [string, string] => [COUNTRY, k]), [COUNTRY, ALL_KINDS]]
      : [[OWN, OWN]];
  const timesOf = (d: Dimension) => (MONTHLY.has(d) ? [year, ...quarters, ...[1, 2, 3, 4].flatMap(monthsOf)] : [year, ...quarters]);
  for (const [d, list] of codes) {
    for (const code of list)
      for (const [a, k] of scopes) {
        const key = (t: string) => cellKey(t, a, k, d, code);
        if (quarters.length > 0) out.push({ parent: key(year), children: quarters.map(key) });
        if (MONTHLY.has(d)) for (const [i, q] of quarters.entries()) out.push({ parent: key(q), children: monthsOf(i + 1).map(key) });
      }
    for (const t of timesOf(d))
      for (const code of list) {
        const country = cellKey(t, COUNTRY, ALL_KINDS, d, code);
        if (areas) out.push({ parent: country, children: areas.map((a) => cellKey(t, a, ALL_KINDS, d, code)) });
        if (kinds) out.push({ parent: country, children: kinds.map((k) => cellKey(t, COUNTRY, k, d, code)) });
      }
    // Which Länder have model municipalities is public: a Land of one kind is that kind's part of the
    // country, so the country's figure of a kind is at least its Länder of that kind alone.
    if (areas && kinds && kinds.length > 1)
      for (const [k, lands] of landsOfOneKind(areas, landKinds))
        for (const t of timesOf(d))
          for (const code of list)
            inequalities.push({ parent: cellKey(t, COUNTRY, k, d, code), children: lands.map((a) => cellKey(t, a, ALL_KINDS, d, code)) });
    const spec = DIMENSIONS[d] as { kind: string; parent?: Dimension };
    if (spec.kind === "single" && spec.parent)
      for (const t of timesOf(d))
        for (const [a, k] of scopes) out.push({ parent: cellKey(t, a, k, spec.parent, "all"), children: list.map((code) => cellKey(t, a, k, d, code)) });
    // The measure "Strafantrag" is a done Strafantrag task, exactly what makes a closed case's Strafantrag filed (in time or late).
    const filed = ["in_time", "late"].filter((c) => codes.get("strafantrag")?.includes(c));
    if (d === "measure" && list.includes("strafantrag") && filed.length > 0)
      for (const t of timesOf(d))
        for (const [a, k] of scopes)
          out.push({ parent: cellKey(t, a, k, "measure", "strafantrag"), children: filed.map((c) => cellKey(t, a, k, "strafantrag", c)) });
    // What a case's count may hold at most: a category it may have or not (the feedback counts in a month of its own).
    const within = d === "measure" ? "closed" : d === "form" || d === "motive" || d === "pmk_hate" ? "incidents" : null;
    if (within)
      for (const t of timesOf(d))
        for (const [a, k] of scopes)
          for (const code of list) inequalities.push({ parent: cellKey(t, a, k, within, "all"), children: [cellKey(t, a, k, d, code)] });
  }
  // The PMK codes follow from the motives and the affected person's function (`pmk.ts`), by the year's version.
  const mapping = pmkMappingFor(`${year}-01-01`);
  const sources = pmkSources(mapping);
  for (const t of [year, ...quarters])
    for (const [a, k] of scopes) {
      const at = (d: Dimension, code: string) => cellKey(t, a, k, d, code);
      if (codes.has("pmk_target")) out.push({ parent: at("pmk_target", "office_holders"), children: mapping.officeHolders.map((f) => at("function", f)) });
      if (!codes.has("pmk_hate") && !codes.has("pmk_area")) continue;
      // An Unterthemenfeld of one motive is that motive's count; of several, at least each one's.
      for (const [h, motives] of sources.hate)
        if (motives.length === 1) out.push({ parent: at("pmk_hate", h), children: [at("motive", motives[0])] });
        else for (const m of motives) inequalities.push({ parent: at("pmk_hate", h), children: [at("motive", m)] });
      // A Phänomenbereich is named for the cases whose motives name it alone: at most that motive's count,
      // and at least the cases with its motive less those with a motive naming another area (the area and
      // those motives together, an auxiliary cell, are at least its motive).
      for (const [area, motives] of sources.areas) {
        if (motives.length === 1) inequalities.push({ parent: at("motive", motives[0]), children: [at("pmk_area", area)] });
        const others = [...sources.areas].filter(([b]) => b !== area).flatMap(([, ms]) => ms);
        const together = `${AUXILIARY}${at("pmk_area", area)}`;
        out.push({ parent: together, children: [at("pmk_area", area), ...others.map((m) => at("motive", m))] });
        for (const m of motives) inequalities.push({ parent: together, children: [at("motive", m)] });
      }
      // Two areas of one motive each: the cases naming both motives are the first motive's less its
      // area, and as much the second's less its area — an equality (an auxiliary cell with two sums).
      const single = [...sources.areas].filter(([, ms]) => ms.length === 1);
      if (single.length === 2 && sources.areas.size === 2) {
        const [[a1, [m1]], [a2, [m2]]] = single;
        const both = `${AUXILIARY}${at("pmk_area", "both")}`;
        out.push({ parent: both, children: [at("motive", m1), at("pmk_area", a2)] });
        out.push({ parent: both, children: [at("motive", m2), at("pmk_area", a1)] });
      }
      // An Unterthemenfeld of several motives counts at most the cases with any of them.
      for (const [h, motives] of sources.hate)
        if (motives.length > 1) {
          const any = `${AUXILIARY}${at("pmk_hate", h)}`;
          out.push({ parent: any, children: motives.map((m) => at("motive", m)) });
          inequalities.push({ parent: any, children: [at("pmk_hate", h)] });
        }
    }
  return { relations: out, inequalities };
}
