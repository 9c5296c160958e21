import type { Dimension } from "./dimensions.ts";
import { MINIMUM, protect, type Relation, type Suppression } from "./protect.ts";

/* The means of scores (feedback, self-assessments) and what protects them: the sums behind them as a table of their own. */

/** The scale of each score's answers. */
export const SCALES: Partial<Record<Dimension, readonly [number, number]>> = { feedback: [1, 5], strategy_score: [0, 100] };

/**
 * Whether a sum of answers tells every answer: at an end of its scale (a mean of 5 out of 5), or
 * one step inside it (five answers summing to 24 are four 5s and one 4; five self-assessments
 * summing to 1 are four 0s and one 1). Further inside, several answers could make the sum.
 */
export function tellsAnswers(n: number, sum: number, [lowest, highest]: readonly [number, number]): boolean {
  return n > 0 && (sum - n * lowest <= 1 || n * highest - sum <= 1);
}

/** Where the protected table notes that a cell's mean is withheld (its count may be shown). */
export const MEAN = "mean|";
export const meanKey = (key: string) => `${MEAN}${key}`;

/**
 * The means to withhold. A mean is the sum of its answers over their number, so the sums form a
 * table of their own, bound by the same sums over time and area as the counts: a mean withheld
 * by itself could be worked out from the others (the year's sum less the shown quarters' sums).
 * Withheld for itself is a mean of fewer than 5 answers, or one that tells every answer
 * (`tellsAnswers`: at an end of its scale or one step inside); hidden already is one whose number of answers is withheld. Then
 * the sums are protected like counts, with the bounds an attacker knows: a sum lies between its
 * number of answers times the lowest and times the highest answer, and one at an end can move
 * only inwards. Answers withheld together (a shown whole less its shown parts) are held to the
 * same rule as a mean of their own.
 */
export function protectMeans(
  counts: ReadonlyMap<string, number>,
  sums: ReadonlyMap<string, number>,
  withheldCounts: ReadonlyMap<string, Suppression>,
  relations: readonly Relation[],
  /** The means earlier releases showed (their cells). */
  knownMeans: readonly string[] = [],
): Map<string, Suppression> {
  const known = new Set(knownMeans);
  const scaleOf = (key: string) => SCALES[key.split("|")[3] as Dimension];
  const values = new Map<string, number>();
  for (const [key, n] of counts) if (n > 0 && scaleOf(key)) values.set(key, sums.get(key) ?? 0);
  if (values.size === 0) return new Map();
  const at = (key: string, end: 0 | 1) => {
    const scale = scaleOf(key);
    const n = counts.get(key) ?? 0;
    return scale !== undefined && n > 0 && (values.get(key) ?? 0) === n * scale[end];
  };
  const tells = (key: string) => tellsAnswers(counts.get(key) ?? 0, values.get(key) ?? 0, scaleOf(key) ?? [1, 5]);
  const scored = relations.filter((r) => values.has(r.parent) && r.children.every((k) => values.has(k) || !counts.get(k)));
  // A shown mean less the shown means beside it is the mean of the answers withheld together: like a
  // mean of its own, from fewer than 5 answers or telling every answer it would tell too much. Where
  // it would, the smallest shown part (or the whole) is withheld as well, and the rest protected again.
  const also = new Set<string>();
  for (;;) {
    const withheld = protect(values, scored, MINIMUM, [], {
      primary: (key) => (counts.get(key) ?? 0) < MINIMUM || tells(key) || also.has(key),
      hidden: [...values.keys()].filter((k) => withheldCounts.has(k)),
      atLowerBound: (key) => at(key, 0),
      atUpperBound: (key) => at(key, 1),
      // A sum lies between its number of answers times the lowest and the highest answer; where the
      // number is withheld, an attacker knows only that there was one answer at least.
      range: (key) => {
        const [lowest, highest] = scaleOf(key) ?? [1, 5];
        const n = counts.get(key) ?? 0;
        return withheldCounts.has(key) ? [lowest, (values.get(key) ?? 0) + 1000] : [n * lowest, n * highest];
      },
      known,
    });
    const more = scored.flatMap((r) => {
      if (withheld.has(r.parent)) return [];
      const together = r.children.filter((k) => withheld.has(k));
      const n = together.reduce((x, k) => x + (counts.get(k) ?? 0), 0);
      const sum = together.reduce((x, k) => x + (values.get(k) ?? 0), 0);
      const scale = scaleOf(r.parent) ?? [0, 0];
      if (n === 0 || (n >= MINIMUM && !tellsAnswers(n, sum, scale))) return [];
      const shown = r.children.filter((k) => values.has(k) && !withheld.has(k) && !known.has(k)).sort((a, b) => (counts.get(a) ?? 0) - (counts.get(b) ?? 0));
      const pick = shown[0] ?? r.parent;
      return also.has(pick) || known.has(pick) ? [] : [pick];
    });
    if (more.length === 0) return withheld;
    for (const k of more) also.add(k);
  }
}
