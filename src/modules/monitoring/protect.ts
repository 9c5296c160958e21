import { boundDeterminedCells, determinedCells, type Relation } from "./exact-check.ts";
import { integerPinnedCells } from "./whole-check.ts";

/*
 * Disclosure control for figures that cross municipalities: a count of 1 to 4 is withheld
 * (primary suppression), and further counts are withheld with it (complementary suppression)
 * until no withheld count can be worked out — not from one total (a row, a column, a year, the
 * country), and not from any combination of the totals the figures are bound by.
 *
 * The figures form one table (a cube) for a year: time (months, quarters, the year) × Land (and
 * the whole country) × kind of municipality (and all) × category. Every figure shown anywhere —
 * any filter, the export, the API — is a cell of that one protected table, so that a repeated
 * question with shifted filters only finds cells already shown or already withheld. The additive
 * relations between the cells (a quarter is the sum of its months, the country the sum of its
 * Länder, a total the sum of its categories) are what an attacker could combine; after the
 * simple rule (no relation with exactly one withheld cell), an exact check solves the relations
 * for the withheld cells (Gaussian elimination) and withholds more wherever one is determined.
 * Zero is shown: it describes no one — so an attacker knows that a withheld count is at least 1,
 * and the exact check includes that bound (`boundDeterminedCells`). Where a determined cell has
 * nothing left around it to withhold (what it is tied to is withheld, zero, or shown by an earlier
 * release), the figures shown tell it already: withheld only for another, it is shown; below the
 * minimum, it stays withheld, and the check takes it as known and goes on with the others.
 */

export const MINIMUM = 5;

/**
 * A key starting with this names an auxiliary cell: a sum of cells that is no figure of the table
 * (an area plus other motives), defined by the relation that has it as its total, so that an
 * inequality can bound several cells together. Hidden, never protected, like a slack cell.
 */
export const AUXILIARY = "Σ";

export type { Relation } from "./exact-check.ts";

export type Suppression = "primary" | "secondary";

/**
 * For a table other than counts (the sums behind mean scores): which cells to withhold for
 * themselves, which are hidden already, and which sit at a bound an attacker knows.
 */
export interface ProtectOptions {
  /** Withheld for itself (default: a count from 1 to `minimum` − 1). */
  primary?: (key: string, value: number) => boolean;
  /** Not shown for another reason: counts as withheld from the start. */
  hidden?: Iterable<string>;
  /** At the lower end of what an attacker knows it could be, so it can only go up (default: a withheld 1). */
  atLowerBound?: (key: string) => boolean;
  /** At the upper end, so it can only go down (default: none). */
  atUpperBound?: (key: string) => boolean;
  /**
   * What withholding a shown cell costs its readers, as a factor on its value (default 1): the
   * cell withheld to protect another is the one of least cost, so that a headline figure (the
   * country's month) goes only where nothing else will do.
   */
  cost?: (key: string) => number;
  /**
   * Cells worth a second look once the table is protected: a withheld one among them is shown
   * again, most costly first, where the table stays protected without it (the widening, one cell
   * at a time, can take more than in the end it needs).
   */
  reconsider?: (key: string) => boolean;
  /**
   * Cells an attacker knows already — shown by an earlier release — which withholding now would not
   * hide: never withheld to protect another (only for themselves, should one have changed).
   */
  known?: Iterable<string>;
  /**
   * Cells a later release will hold, not shown now (a quarter under way, summed as if it were over):
   * withheld now, and protected where below the minimum; the others need no protection of their
   * own (like a slack cell) — their release will decide whether to show them.
   */
  future?: Iterable<string>;
  /**
   * What an attacker knows each cell lies in, for the whole-number check of a table with bounds of
   * its own (the sums behind means: between the number of answers times the lowest and the highest
   * answer). Without it, such a table is checked by its bounds alone.
   */
  range?: (key: string) => readonly [number, number];
  /**
   * How far up an attacker must be unable to rule out that a count withheld for itself goes (its
   * protection interval; default: the minimum). One found at most 4 is told to be small, though no
   * single value is.
   */
  reach?: (key: string, value: number) => number;
  /**
   * Told of each withheld figure below the minimum that the figures shown tell already, with
   * nothing left around it to withhold (it stays withheld, and the checks take it as known): a
   * caller that made a cell known for its own reasons learns whether that gave one away.
   */
  onTold?: (key: string) => void;
}

/**
 * Which cells are withheld: counts below the minimum, and what protects them. `inequalities`: what
 * an attacker knows beyond the sums — a total is at least each part counted in it (a category a
 * case may have or not, the closed cases of those reported), so that a shown part bounds a withheld
 * total. Each becomes a sum relation with a slack cell (the total less its parts): never shown,
 * never protected itself, at its bound where it is 0 — exactly like a withheld 1 (`atBound`).
 */
export function protect(
  values: ReadonlyMap<string, number>,
  relations: readonly Relation[],
  minimum = MINIMUM,
  inequalities: readonly Relation[] = [],
  options: ProtectOptions = {},
): Map<string, Suppression> {
  const withheld = new Map<string, Suppression>();
  const primary = options.primary ?? ((_: string, v: number) => v > 0 && v < minimum);
  for (const [key, v] of values) if (primary(key, v)) withheld.set(key, "primary");
  if (withheld.size === 0) return withheld;
  const hidden = new Set(options.hidden ?? []);
  for (const key of hidden) if (!withheld.has(key)) withheld.set(key, "secondary");
  const slack = new Map<string, number>();
  for (const key of options.future ?? [])
    if (!withheld.has(key) && (values.get(key) ?? 0) > 0) {
      slack.set(key, values.get(key) ?? 0);
      withheld.set(key, "secondary");
    }
  for (const r of relations)
    if (r.parent.startsWith(AUXILIARY) && !slack.has(r.parent)) {
      slack.set(
        r.parent,
        r.children.reduce((sum, k) => sum + (values.get(k) ?? 0), 0),
      );
      withheld.set(r.parent, "secondary");
    }
  const all = [...relations];
  for (const [i, r] of inequalities.entries()) {
    const total = values.get(r.parent) ?? slack.get(r.parent) ?? 0;
    const v = total - r.children.reduce((sum, k) => sum + (values.get(k) ?? 0), 0);
    // An inequality the figures do not keep is no knowledge; one over zeros alone tells nothing (a zero is shown, never withheld).
    if (v < 0 || total === 0) continue;
    const key = `~${i}`;
    slack.set(key, v);
    withheld.set(key, "secondary");
    all.push({ parent: r.parent, children: [...r.children, key] });
  }
  const value = (k: string) => values.get(k) ?? slack.get(k) ?? 0;
  const costOf = options.cost ?? (() => 1);
  const price = (k: string) => value(k) * costOf(k);
  const upper = options.atUpperBound ?? (() => false);
  const lower = options.atLowerBound ?? ((k: string) => value(k) <= 1);
  const atBound = (k: string) => (slack.has(k) ? value(k) <= 0 : lower(k) || upper(k));
  // A cell that can only go down is one that can only go up, counted the other way round.
  const flipped = () => new Set([...withheld.keys()].filter((k) => !slack.has(k) && upper(k)));
  const real = (cells: string[]) => cells.filter((k) => !slack.has(k));
  const result = () => new Map([...withheld].filter(([k]) => !slack.has(k)));
  const known = new Set(options.known ?? []);
  const relationsOf = new Map<string, number[]>();
  all.forEach((r, i) => {
    for (const k of [r.parent, ...r.children]) {
      const list = relationsOf.get(k);
      if (list) list.push(i);
      else relationsOf.set(k, [i]);
    }
  });
  /**
   * The cell to withhold with a lone one in a relation: the cheapest shown count, a category before
   * its total — unless the total costs readers less (the measure "Strafantrag" beside the key figure
   * of those filed in time).
   */
  const complement = (r: Relation, spared: ReadonlySet<string> = new Set()): string | null => {
    const open = (k: string) => !withheld.has(k) && !spared.has(k) && !known.has(k) && value(k) > 0;
    let best: string | null = null;
    for (const k of r.children) if (open(k) && (best === null || price(k) < price(best))) best = k;
    if (open(r.parent) && (best === null || price(r.parent) < price(best))) best = r.parent;
    return best;
  };
  /**
   * Works through the relations in `pending` until none holds exactly one withheld cell, withholding
   * the cheapest shown one beside it (none of `spared`). False where one was left alone: nothing
   * beside it was left to withhold.
   */
  const coverLone = (pending: Set<number>, spared: ReadonlySet<string> = new Set()): boolean => {
    let covered = true;
    while (pending.size > 0) {
      const [i] = pending;
      pending.delete(i);
      const r = all[i];
      const lone = [r.parent, ...r.children].filter((k) => withheld.has(k));
      // A slack cell alone needs no protection: it is not shown.
      if (lone.length !== 1 || slack.has(lone[0])) continue;
      const c = complement(r, spared);
      if (c === null) {
        covered = false;
        continue;
      }
      withheld.set(c, "secondary");
      for (const j of relationsOf.get(c) ?? []) pending.add(j);
    }
    return covered;
  };
  const touched = new Set<number>([...withheld.keys()].flatMap((k) => relationsOf.get(k) ?? []));
  // The withheld 1s found able to move: withholding more only adds freedom, so they stay so.
  const movable = new Set<string>();
  // Withheld figures below the minimum that what is shown already tells — nothing tied to them is
  // left to withhold (shown by an earlier release, or zero): the checks take them as an attacker
  // does, as known, so that they go on protecting the others.
  const told = new Set<string>();
  let looked = false;
  const checked = () => (told.size === 0 ? withheld : new Map([...withheld].filter(([k]) => !told.has(k))));
  // The figures the whole-number check found free: they stay so while cells are only withheld, not shown.
  let wholeFree = new Set<string>();
  for (let round = 0; round < 1000; round++) {
    // 1. No relation may hold exactly one withheld cell.
    coverLone(touched);
    // 2. The exact check: withhold more where the relations together still determine a cell —
    // by the sums alone, or by the sums with the bounds an attacker knows (a withheld count is at
    // least 1, since a 0 is shown, and at most the grand total).
    const now = checked();
    let determined = real(determinedCells(now, all, relationsOf));
    if (determined.length === 0) determined = real(boundDeterminedCells(now, all, relationsOf, atBound, movable, flipped()));
    if (determined.length === 0) determined = wholePinned(now);
    if (determined.length === 0) {
      if (looked) return result();
      // The second look shows again what it can; then the checks run once more, whole numbers
      // included (which the second look, for its many trials, leaves to them), and withhold where needed.
      looked = true;
      reconsidered(told);
      wholeFree = new Set();
      continue;
    }
    // One at a time where they are near each other: a figure withheld for one may free its neighbours too.
    const near = new Set<number>();
    const stuck: string[] = [];
    for (const cell of determined) {
      if ((relationsOf.get(cell) ?? []).some((i) => near.has(i))) continue;
      const extra = widen(cell, withheld, all, relationsOf, value, price, known);
      if (extra === null) {
        stuck.push(cell);
        continue;
      }
      withheld.set(extra, "secondary");
      for (const j of relationsOf.get(extra) ?? []) {
        touched.add(j);
        near.add(j);
      }
    }
    if (near.size > 0) continue;
    // Nothing around the flagged cells is left to withhold (every figure they are tied to is withheld,
    // shown by an earlier release, or zero). A figure withheld only to protect another is shown: it
    // tells nothing the figures shown do not (and stays shown, like one an earlier release showed).
    if (stuck.length > 0) wholeFree = new Set();
    for (const cell of stuck)
      if (withheld.get(cell) === "secondary" && !hidden.has(cell)) {
        withheld.delete(cell);
        known.add(cell);
        for (const j of relationsOf.get(cell) ?? []) touched.add(j);
      } else {
        told.add(cell);
        options.onTold?.(cell);
      }
  }
  throw new Error("disclosure control did not settle");

  /** What the exact check still flags, with the cells as withheld now (none of `allowed`, which it flagged before). */
  function flagged(allowed: ReadonlySet<string>): string[] {
    const alone = new Set<string>();
    for (const r of all) {
      const lone = [r.parent, ...r.children].filter((k) => withheld.has(k) && !told.has(k));
      if (lone.length === 1 && !slack.has(lone[0]) && !allowed.has(lone[0])) alone.add(lone[0]);
    }
    if (alone.size > 0) return [...alone];
    const now = checked();
    const determined = real(determinedCells(now, all, relationsOf)).filter((k) => !allowed.has(k));
    if (determined.length > 0) return determined;
    return real(boundDeterminedCells(now, all, relationsOf, atBound, new Set(), flipped())).filter((k) => !allowed.has(k));
  }

  /**
   * The figures withheld for themselves that whole numbers pin (`integerPinnedCells`): for counts,
   * whose bounds are known (at least 1 withheld, at least 0 a slack cell); for a table with bounds
   * of its own (the sums behind means), within the `range` it gives.
   */
  function wholePinned(now: ReadonlyMap<string, Suppression>): string[] {
    const range = options.range;
    if ((options.atLowerBound || options.atUpperBound) && !range) return [];
    const aims = [...now].filter(([k, w]) => w === "primary" && !slack.has(k)).map(([k]) => k);
    // A count is at least 1, bounded above only for the solver's sake; a cell with a range keeps to it.
    return integerPinnedCells(now, all, relationsOf, value, (k) => (slack.has(k) ? 0 : range ? range(k)[0] : 1), aims, {
      upper: (k) => (slack.has(k) || !range ? value(k) + 1000 : range(k)[1]),
      // A count below the minimum must be able to reach it: "at most 2" tells it is small.
      reach: (k) => (range ? undefined : (options.reach?.(k, value(k)) ?? minimum)),
      free: wholeFree,
    });
  }

  /**
   * The second look (`reconsider`): each candidate shown again where the check then flags nothing
   * it did not flag before — shown together with the candidates it flags (a quarter with its
   * month), or, where it flags others, with a cheaper cell beside each withheld instead (a swap: a
   * Land's category for the country's month).
   */
  function reconsidered(before: Iterable<string>): Map<string, Suppression> {
    /** The cheapest shown figure in a relation of `cell` with one of `spared` (else around it), none of `spared`. */
    const beside = (cell: string, spared: ReadonlySet<string>): string | null => {
      let best: string | null = null;
      for (const i of relationsOf.get(cell) ?? []) {
        const r = all[i];
        if (![r.parent, ...r.children].some((c) => spared.has(c))) continue;
        const c = complement({ parent: r.parent, children: r.children.filter((k) => k !== cell) }, spared);
        if (c !== null && c !== cell && (best === null || price(c) < price(best))) best = c;
      }
      return best ?? widen(cell, withheld, all, relationsOf, value, price, new Set([...spared, ...known]));
    };
    const allowed = new Set(before);
    const candidates = [...withheld]
      .filter(([k, w]) => w === "secondary" && !slack.has(k) && !hidden.has(k) && options.reconsider?.(k))
      .map(([k]) => k)
      .sort((x, y) => price(y) - price(x));
    for (const k of candidates) {
      if (withheld.get(k) !== "secondary") continue;
      const snapshot = new Map(withheld);
      const trying = new Set([k]);
      let shown = false;
      for (let round = 0; round < 12 && !shown; round++) {
        for (const c of trying) withheld.delete(c);
        const flaggedNow = flagged(allowed);
        if (flaggedNow.length === 0) {
          // Worth it where what is withheld instead costs readers less than what is shown again.
          const cost = (from: ReadonlyMap<string, Suppression>, to: ReadonlyMap<string, Suppression>) =>
            [...from.keys()].filter((c) => !to.has(c) && !slack.has(c)).reduce((sum, c) => sum + price(c), 0);
          shown = cost(withheld, snapshot) < cost(snapshot, withheld);
          break;
        }
        const primaries = flaggedNow.filter((f) => withheld.get(f) === "primary" || hidden.has(f));
        // A withheld figure the shown ones determine tells nothing more when shown: shown with them.
        if (primaries.length === 0) for (const f of flaggedNow) trying.add(f);
        else {
          // A figure below 5 determined: withheld beside it the cheapest figure of a relation it shares
          // with one shown again (another category of the same total), then what that leaves alone.
          const extras = primaries.map((f) => beside(f, trying));
          if (extras.includes(null)) break;
          for (const e of extras as string[]) withheld.set(e, "secondary");
          if (!coverLone(new Set((extras as string[]).flatMap((e) => relationsOf.get(e) ?? [])), trying)) break;
        }
      }
      if (shown) continue;
      withheld.clear();
      for (const [c, w] of snapshot) withheld.set(c, w);
    }
    return result();
  }
}

/** A further cell that takes part in the relations of a determined one (breadth first through its relations). */
function widen(
  cell: string,
  withheld: ReadonlyMap<string, Suppression>,
  relations: readonly Relation[],
  relationsOf: ReadonlyMap<string, number[]>,
  value: (k: string) => number,
  price: (k: string) => number,
  /** Cells not to take (those being shown again). */
  spared: ReadonlySet<string> = new Set(),
): string | null {
  const seen = new Set([cell, ...spared]);
  let frontier = [cell];
  while (frontier.length > 0) {
    let best: string | null = null;
    const next: string[] = [];
    for (const k of frontier)
      for (const i of relationsOf.get(k) ?? [])
        for (const m of [relations[i].parent, ...relations[i].children]) {
          if (seen.has(m)) continue;
          seen.add(m);
          if (withheld.has(m)) next.push(m);
          else if (value(m) > 0 && (best === null || price(m) < price(best))) best = m;
        }
    if (best !== null) return best;
    frontier = next;
  }
  return null;
}
