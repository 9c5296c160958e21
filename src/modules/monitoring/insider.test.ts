import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { auxiliaryValues, landKindsOf, pinned, type Rel, rollupsOf } from "../../../tests/helpers/disclosure.ts";
import { shareCounter } from "./cells.ts";
import { buildCube, type Cube, heldBack, type RollupRow, shownCells } from "./cube.ts";
import type { Dimension } from "./dimensions.ts";
import { MINIMUM } from "./protect.ts";
import { cubeRelations } from "./relations.ts";

/*
 * The insider: a municipality knows its own share of every national figure. A figure of 5 or more
 * whose other contributors hold 1 to 4 tells that municipality their small figure by one
 * subtraction, so it is withheld like a figure below 5, and protected like one. (What its own
 * shares add as bounds on other withheld figures is not covered yet: decision 017.)
 */

/** The municipalities of the tests: each in one Land, of one kind. */
const MUNICIPALITIES = {
  a: { land: "05", kind: "platform" },
  b: { land: "05", kind: "platform" },
  c: { land: "05", kind: "model" },
  d: { land: "06", kind: "platform" },
  e: { land: "06", kind: "model" },
  f: { land: "09", kind: "platform" },
} as const;
type Municipality = keyof typeof MUNICIPALITIES;

const entryArbitrary = fc
  .record({
    municipality: fc.constantFrom(...(Object.keys(MUNICIPALITIES) as Municipality[])),
    month: fc.constantFrom("2026-01-01", "2026-02-01", "2026-04-01", "2026-07-01", "2026-11-01"),
    place: fc.constantFrom("town_hall", "online"),
    count: fc.integer({ min: 1, max: 9 }),
    insults: fc.integer({ min: 0, max: 9 }),
  })
  .map((e) => ({ ...e, ...MUNICIPALITIES[e.municipality], insults: Math.min(e.insults, e.count) }));

type Entry = { municipality: Municipality; month: string; land: string; kind: string; place: string; count: number; insults: number };

/** Each municipality's rows, the national rows (all of them), and the national table protected with each cell's largest share. */
function national(entries: readonly Entry[]) {
  const own = new Map<Municipality, RollupRow[]>();
  for (const e of entries) own.set(e.municipality, [...(own.get(e.municipality) ?? []), ...rollupsOf([e])]);
  const rows = [...own.values()].flat();
  const shares = shareCounter("2026");
  for (const list of own.values()) shares.add(list);
  return { own, rows, cube: buildCube("2026", rows, true, { largest: shares.largest }) };
}

/** One municipality's share of each cell: its rows alone, summed as the national table sums them. */
const sharesOf = (rows: readonly RollupRow[], through?: string): Cube => buildCube("2026", rows, true, { through, protectedAs: new Map() });

test("a Land's figure mostly one municipality's is withheld: the others' 2 insults are not one subtraction away", () => {
  const entries: Entry[] = [
    { municipality: "a", ...MUNICIPALITIES.a, month: "2026-01-01", place: "town_hall", count: 6, insults: 6 },
    { municipality: "b", ...MUNICIPALITIES.b, month: "2026-01-01", place: "town_hall", count: 7, insults: 2 },
    { municipality: "d", ...MUNICIPALITIES.d, month: "2026-01-01", place: "online", count: 7, insults: 0 },
  ];
  const insults = "2026-Q1|05|all|form|insult";
  // Without the shares, Land 05's 8 insults of the first quarter are shown: municipality a, with 6 of them, reads b's 2.
  assert.equal(buildCube("2026", national(entries).rows, true).withheld.has(insults), false);
  const { cube, own } = national(entries);
  assert.equal(cube.counts.get(insults), 8);
  assert.equal(cube.withheld.get(insults), "primary");
  // Withheld with it so that a cannot work it out from the Land's total either.
  const pins = insiderPins(cube, own.get("a") ?? [], national(entries).rows);
  assert.deepEqual(pins, []);
  // A figure all of one municipality's tells the others nothing (they have none): Land 06's 7 online incidents are shown.
  assert.equal(cube.withheld.has("2026-Q1|06|all|place|online"), false);
});

test("a municipality's share is counted in every cell a release protects: a year so far shown before, and the quarter under way", () => {
  const entries: Entry[] = [
    { municipality: "a", ...MUNICIPALITIES.a, month: "2026-02-01", place: "town_hall", count: 3, insults: 1 },
    { municipality: "a", ...MUNICIPALITIES.a, month: "2026-04-01", place: "online", count: 4, insults: 0 },
    { municipality: "a", ...MUNICIPALITIES.a, month: "2026-07-01", place: "online", count: 2, insults: 2 },
    { municipality: "b", ...MUNICIPALITIES.b, month: "2026-04-01", place: "online", count: 6, insults: 0 },
  ];
  const shares = shareCounter("2026", { through: "2026-09-01", known: ["2026-Q1-Q2|05|all|incidents|all"], hidden: ["2026-Q1-Q2|DE|all|form|insult"] });
  shares.add(entries.filter((e) => e.municipality === "a").flatMap((e) => rollupsOf([e])));
  shares.add(entries.filter((e) => e.municipality === "b").flatMap((e) => rollupsOf([e])));
  assert.deepEqual(
    [
      "2026-Q1-Q2|05|all|incidents|all",
      "2026-Q1-Q2|DE|all|form|insult",
      "2026-Q2|05|all|place|online",
      "2026-07|05|all|incidents|all",
      "2026-Q3|05|all|form|insult",
      "2026-Q1-Q3|DE|all|incidents|all",
    ].map((k) => shares.largest.get(k)),
    [7, 1, 6, 2, 2, 9],
  );
});

test("no national figure leaves the others 1 to 4 beside one municipality's share, in any release of a year (property)", () => {
  fc.assert(
    fc.property(fc.array(entryArbitrary, { minLength: 1, maxLength: 12 }), (entries) => {
      const own = new Map<Municipality, RollupRow[]>();
      for (const e of entries) own.set(e.municipality, [...(own.get(e.municipality) ?? []), ...rollupsOf([e])]);
      const rows = [...own.values()].flat();
      // The releases from February's to the next February's, each protected with what the ones before showed and withheld.
      let known: string[] = [];
      let hidden: string[] = [];
      for (let m = 2; m <= 14; m++) {
        const through = m >= 13 ? `2027-${String(m - 12).padStart(2, "0")}-01` : `2026-${String(m).padStart(2, "0")}-01`;
        const before = (list: readonly RollupRow[]) => list.filter((r) => r.month < through);
        const shares = shareCounter("2026", { through, known, hidden });
        for (const list of own.values()) shares.add(before(list));
        const cube = buildCube("2026", before(rows), true, { through, known, hidden, largest: shares.largest });
        for (const [m, list] of own) {
          const mine = sharesOf(before(list), through);
          for (const [key, v] of cube.counts) {
            if (cube.withheld.has(key) || v === 0) continue;
            const others = v - (mine.counts.get(key) ?? 0);
            assert.ok(others === 0 || others >= MINIMUM, `${through}: ${key} = ${v} is shown, ${others} of it not ${m}'s`);
          }
        }
        known = [...new Set([...known, ...shownCells(cube)])];
        hidden = heldBack(cube, hidden, known);
      }
    }),
    { numRuns: Number(process.env.RUNS ?? 30), seed: process.env.SEED ? Number(process.env.SEED) : undefined },
  );
});

/**
 * The withheld cells whose others' part (beyond the insider's own share) is 1 to 4 and that the
 * insider pins in whole numbers: the shown figures, the relations and inequalities, and as bounds
 * its own share (a cell is at least that) and a withheld count's 1.
 */
function insiderPins(cube: Cube, ownRows: readonly RollupRow[], rows: readonly RollupRow[]): string[] {
  const mine = sharesOf(ownRows);
  const areas = [...new Set(rows.map((r) => r.land))].sort();
  const kinds = [...new Set(rows.map((r) => r.kind))].sort();
  const { relations, inequalities } = cubeRelations("2026", cube.codes as Map<Dimension, string[]>, areas, kinds, cube.quarters, landKindsOf(rows));
  const counted = (k: string) => cube.counts.get(k) ?? 0;
  const ownCounted = (k: string) => mine.counts.get(k) ?? 0;
  const auxiliary = auxiliaryValues(relations, counted);
  const ownAuxiliary = auxiliaryValues(relations, ownCounted);
  const value = (k: string) => auxiliary.get(k) ?? counted(k);
  const share = (k: string) => ownAuxiliary.get(k) ?? ownCounted(k);
  return pinned(
    [...cube.withheld.keys(), ...auxiliary.keys()],
    relations as Rel[],
    value,
    inequalities as Rel[],
    (k) => [Math.max(auxiliary.has(k) ? 0 : 1, share(k)), 1_000_000],
    (k) => !auxiliary.has(k) && value(k) - share(k) >= 1 && value(k) - share(k) < MINIMUM,
    (k) => share(k) + MINIMUM,
  );
}
