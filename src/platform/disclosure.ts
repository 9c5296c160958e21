/*
 * Disclosure control for counts that describe people: a count below the minimum is withheld, and
 * where one withheld count in a set could be worked out from the others and their total, a second
 * one is withheld with it.
 */

/** Below this, a count of people is withheld. */
export const DISCLOSURE_MINIMUM = 5;

/**
 * Counts below the minimum are withheld (zero too, so that "none" and "one" look alike); where that
 * would leave a single withheld count in the set, the smallest shown one is withheld with it, so
 * that the withheld one cannot be worked out from the others.
 */
export function suppressSmall(counts: Record<string, number>, minimum = DISCLOSURE_MINIMUM): Record<string, number | null> {
  const out: Record<string, number | null> = {};
  for (const [option, n] of Object.entries(counts)) out[option] = n < minimum ? null : n;
  const hidden = Object.values(out).filter((n) => n === null).length;
  if (hidden === 1) {
    const shown = Object.entries(out).filter((e): e is [string, number] => e[1] !== null);
    if (shown.length > 0) {
      const [smallest] = shown.reduce((a, b) => (b[1] < a[1] ? b : a));
      out[smallest] = null;
    }
  }
  return out;
}
