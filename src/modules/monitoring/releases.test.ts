import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import fc from "fast-check";
import { LANDS, pinned, pinnedAcrossReleases, releasesOf, reportedAndClosed, rollupsOf, rowArbitrary } from "../../../tests/helpers/disclosure.ts";
import { buildCube, figure, type RollupRow, shownCells } from "./cube.ts";
import type { Dimension } from "./dimensions.ts";
import { AUXILIARY, MINIMUM } from "./protect.ts";
import { contributions, type StatRecord } from "./records.ts";
import { cubeRelations } from "./relations.ts";

/*
 * Disclosure control across releases: the national figures and each municipality's own are
 * released month by month, and an attacker holds every cell any release of the year showed. No
 * count below 5 may follow from all of them together.
 */

test("one release to the next within a quarter adds the month's totals and changes no sum: a small month cannot be read off a difference", () => {
  // Releases at the start of November and of December: October, then November, are in the quarter under way.
  const months = ["2026-01-01", "2026-04-01", "2026-07-01", "2026-10-01", "2026-11-01"];
  fc.assert(
    fc.property(
      fc.array(
        rowArbitrary.map((e) => ({ ...e })),
        { minLength: 1, maxLength: 12 },
      ),
      fc.array(fc.constantFrom(...months), { minLength: 12, maxLength: 12 }),
      (entries, at) => {
        const rows = rollupsOf(entries.map((e, i) => ({ ...e, month: at[i] })));
        const before = buildCube(
          "2026",
          rows.filter((r) => r.month < "2026-11-01"),
          true,
          { through: "2026-11-01" },
        );
        const after = buildCube("2026", rows, true, { through: "2026-12-01" });
        assert.equal(before.quarters, 3);
        assert.equal(after.quarters, 3);
        const keys = new Set([...before.counts.keys(), ...after.counts.keys()]);
        for (const key of keys) {
          if (key.startsWith("2026-11|")) continue;
          assert.equal(after.counts.get(key) ?? 0, before.counts.get(key) ?? 0, `${key} changed from one release to the next`);
        }
        // November's figures are its totals alone; October's are not summed into the quarter or the year.
        for (const key of after.counts.keys()) if (key.startsWith("2026-11|")) assert.match(key, /\|(incidents|closed)\|all$/);
        assert.equal([...after.counts.keys()].filter((k) => k.startsWith("2026-Q4|")).length, 0);
        // When the quarter is over (the release of January), it is summed and protected with the rest.
        const yearOver = buildCube("2026", rows, true, { through: "2027-01-01" });
        assert.equal(yearOver.quarters, 4);
        const oct = rows.filter((r) => r.month >= "2026-10-01" && r.dimension === "incidents").reduce((n, r) => n + r.count, 0);
        assert.equal(yearOver.counts.get("2026-Q4|DE|all|incidents|all") ?? 0, oct);
      },
    ),
    { numRuns: 40 },
  );
});

test("releases month after month: a cell an earlier release showed is never withheld later to protect another", () => {
  const monthly = fc.record({
    month: fc.integer({ min: 1, max: 7 }),
    count: fc.oneof(fc.constant(1), fc.integer({ min: 5, max: 9 })),
    insults: fc.integer({ min: 0, max: 9 }),
    place: fc.constantFrom("town_hall", "online"),
  });
  let checked = 0;
  fc.assert(
    fc.property(fc.array(monthly, { minLength: 3, maxLength: 10 }), fc.boolean(), fc.constantFrom(...LANDS), (entries, national, otherLand) => {
      const rows = rollupsOf(
        entries.map((e, i) => ({
          month: `2026-${String(e.month).padStart(2, "0")}-01`,
          land: national && i % 2 === 1 ? otherLand : LANDS[0],
          kind: i % 3 === 0 ? "model" : "platform",
          place: e.place,
          count: e.count,
          insults: Math.min(e.insults, e.count),
          closed: e.count,
        })),
      );
      const { tables } = releasesOf(rows, national);
      let before = new Set<string>();
      for (const cube of tables) {
        for (const k of before)
          if (cube.counts.has(k)) {
            assert.notEqual(cube.withheld.get(k), "secondary", `${k} was shown before`);
            checked++;
          }
        before = new Set([...before, ...shownCells(cube)]);
      }
    }),
    { numRuns: 40 },
  );
  assert.ok(checked > 500, "the releases show cells again");
});

test("a month shown while its quarter ran is not withheld beside a small one when the quarter is over (a leader's May of 1 case)", () => {
  const month = (m: string, count: number, insults = 0): RollupRow[] => [
    { month: m, land: "", kind: "", dimension: "incidents", code: "all", count, sum: 0 },
    { month: m, land: "", kind: "", dimension: "closed", code: "all", count, sum: 0 },
    ...(insults > 0 ? [{ month: m, land: "", kind: "", dimension: "form", code: "insult", count: insults, sum: 0 }] : []),
  ];
  // 8, 7, 9 cases in the first quarter; April 5 (shown with the May release), May 1, June 9.
  const rows = [
    ...month("2026-01-01", 8),
    ...month("2026-02-01", 7),
    ...month("2026-03-01", 9),
    ...month("2026-04-01", 5),
    ...month("2026-05-01", 1),
    ...month("2026-06-01", 9),
  ];
  assert.deepEqual(pinnedAcrossReleases(rows, false), []);
  assert.ok(pinnedAcrossReleases(rows, false, false).includes("2026-05|*|*|incidents|all"), "protected one release at a time, May would be 15 − 5 − 9");
  // Five insults in the first quarter (shown in April's release with the year so far), two in the second.
  const insults = [...month("2026-02-01", 6, 5), ...month("2026-05-01", 6, 2)];
  assert.deepEqual(pinnedAcrossReleases(insults, false), []);
  assert.ok(
    pinnedAcrossReleases(insults, false, false).includes("2026-Q2|*|*|form|insult"),
    "protected one release at a time, the second quarter's 2 insults would follow",
  );
});

test("every release of a year together — each month's, national and own — pins no count below 5, also where cases close months after they were reported", () => {
  const entry = fc.record({
    month: fc.integer({ min: 1, max: 9 }),
    closedAfter: fc.integer({ min: 0, max: 4 }),
    count: fc.oneof(fc.constant(1), fc.integer({ min: 1, max: 9 })),
    insults: fc.integer({ min: 0, max: 9 }),
    place: fc.constantFrom("town_hall", "online", "meeting"),
    land: fc.constantFrom(...LANDS),
    kind: fc.constantFrom("model", "platform"),
  });
  fc.assert(
    fc.property(fc.array(entry, { minLength: 2, maxLength: 10 }), fc.boolean(), (entries, national) => {
      assert.deepEqual(pinnedAcrossReleases(reportedAndClosed(entries), national), []);
    }),
    { numRuns: 50 },
  );
});

test("what an earlier release withheld stays protected: the first half-year's 3 closed cases, withheld in July, are not the year's 8 less the third quarter's 5", () => {
  const rows = reportedAndClosed([
    { month: 1, closedAfter: 0, count: 1, place: "town_hall", land: "05", kind: "model" },
    { month: 1, closedAfter: 3, count: 2, place: "town_hall", land: "05", kind: "model" },
    { month: 4, closedAfter: 3, count: 5, place: "town_hall", land: "05", kind: "model" },
  ]);
  // Protected with what earlier releases showed alone, the half-year followed; now its quarters'
  // protection intervals (each of the 1 and 2 able to reach 5) also keep it from being one subtraction away.
  assert.deepEqual(pinnedAcrossReleases(rows, false), []);
  const { tables } = releasesOf(rows, false);
  // The third quarter's 5 were shown while it ran: the year's 8 is withheld with the half-year's 3.
  const last = tables[tables.length - 1];
  assert.deepEqual(figure(last, "2026-Q3|*|*|closed|all"), { value: 5 });
  assert.deepEqual(figure(last, "2026|*|*|closed|all"), { withheld: "secondary" });
});

test("February's country total less one Land's tells the other Länder's 3 cases together: where those were the quarter's only online incidents, February's release withholds more", () => {
  const rows = reportedAndClosed([
    { month: 1, closedAfter: 0, count: 2, place: "town_hall", land: "09", kind: "model" },
    { month: 2, closedAfter: 0, count: 5, place: "town_hall", land: "09", kind: "model" },
    { month: 2, closedAfter: 0, count: 1, place: "online", land: "06", kind: "model" },
    { month: 2, closedAfter: 0, count: 2, place: "online", land: "05", kind: "model" },
  ]);
  // Released in March, February shows the country's 8 and a Land's 5 at most one of them: 8 − 5 = 3 would be the quarter's online incidents.
  const march = buildCube("2026", rows, true, { through: "2026-03-01" });
  assert.ok(["2026-02|DE|all|incidents|all", "2026-02|09|all|incidents|all"].some((k) => march.withheld.has(k)));
  assert.deepEqual(pinnedAcrossReleases(rows, true), []);
});

test("a figure withheld beside a small one that earlier releases tell already is shown, and the check goes on protecting the others", () => {
  // January's 11 cases were shown; the country's first quarter of 6 model municipalities' cases equals their January.
  const rows = reportedAndClosed([
    { month: 2, closedAfter: 0, count: 1, place: "town_hall", land: "05", kind: "platform" },
    { month: 1, closedAfter: 0, count: 5, place: "online", land: "05", kind: "model" },
    { month: 1, closedAfter: 0, count: 1, place: "town_hall", land: "05", kind: "model" },
    { month: 1, closedAfter: 3, count: 5, place: "town_hall", land: "05", kind: "platform" },
  ]);
  assert.deepEqual(pinnedAcrossReleases(rows, true), []);
  const { tables } = releasesOf(rows, true);
  // The model municipalities' closed cases of the first quarter are their January's, shown in February.
  assert.deepEqual(figure(tables[2], "2026-Q1|DE|model|closed|all"), { value: 6 });
});

test("whole numbers pin nothing either: thirteen cases in three Länder, where a withheld 1 could rise only to 1.5 were counts fractions", () => {
  // Found by an attacker's integer program: without the engine's whole-number check, April's single case in a Land — and its form,
  // place, channel and the function of the person affected — followed from what the year's releases showed.
  const records = JSON.parse(readFileSync(new URL("../../../tests/fixtures/lagebild-whole-numbers.json", import.meta.url), "utf8")) as StatRecord[];
  const sums = new Map<string, RollupRow>();
  for (const c of records.flatMap(contributions)) {
    const key = `${c.month}|${c.land}|${c.kind}|${c.dimension}|${c.code}`;
    const row = sums.get(key) ?? { ...c, count: 0, sum: 0 };
    row.count += c.count;
    row.sum += c.sum;
    sums.set(key, row);
  }
  assert.deepEqual(pinnedAcrossReleases([...sums.values()], true), []);
});

test("a release notes the means it showed, so that the next one protects them too", () => {
  const rows: RollupRow[] = [
    { month: "2026-02-01", land: "", kind: "", dimension: "closed", code: "all", count: 6, sum: 0 },
    { month: "2026-02-01", land: "", kind: "", dimension: "feedback", code: "supported", count: 6, sum: 20 },
  ];
  const cells = shownCells(buildCube("2026", rows, false));
  assert.ok(cells.includes("mean|2026-Q1|*|*|feedback|supported"), "the quarter's mean of six answers is among the cells shown");
});

/** A municipality's closed cases of February by their Strafantrag, and the measures Strafantrag and counselling. */
function strafantraege(n: { closed: number; none: number; inTime: number; late: number; notFiled: number; measure: number; counselling: number }): RollupRow[] {
  const row = (dimension: string, code: string, count: number): RollupRow => ({ month: "2026-02-01", land: "", kind: "", dimension, code, count, sum: 0 });
  return [
    row("closed", "all", n.closed),
    row("strafantrag", "none", n.none),
    row("strafantrag", "in_time", n.inTime),
    row("strafantrag", "late", n.late),
    row("strafantrag", "not_filed", n.notFiled),
    row("measure", "strafantrag", n.measure),
    row("measure", "counselling", n.counselling),
  ].filter((r) => r.count > 0);
}

test("the measure Strafantrag is the Strafanträge filed, in time or late: a small one is not left to a subtraction", () => {
  // 29 closed cases: 25 without a Strafantrag, 3 filed in time, 1 late — so the measure counts 4.
  const rows = strafantraege({ closed: 29, none: 25, inTime: 3, late: 1, notFiled: 0, measure: 4, counselling: 20 });
  const cube = buildCube("2026", rows, false);
  const { relations, inequalities } = cubeRelations("2026", cube.codes as Map<Dimension, string[]>, null, null);
  // The attacker's own reading of the case's tasks: the measure is done exactly where the Strafantrag was filed.
  const known = relations.filter((r) => !r.parent.startsWith(AUXILIARY));
  for (const t of ["2026", "2026-Q1"])
    known.push({ parent: `${t}|*|*|measure|strafantrag`, children: [`${t}|*|*|strafantrag|in_time`, `${t}|*|*|strafantrag|late`] });
  const withheld = [...cube.withheld.keys()].filter((k) => !k.startsWith("mean|"));
  const value = (k: string) => cube.counts.get(k) ?? 0;
  const small = withheld.filter((k) => value(k) > 0 && value(k) < MINIMUM);
  assert.ok(small.includes("2026|*|*|measure|strafantrag"));
  const bounds = inequalities.filter((r) => !r.parent.startsWith(AUXILIARY));
  assert.deepEqual(
    pinned(
      withheld,
      known,
      value,
      bounds,
      () => [1, 1_000_000],
      (k) => small.includes(k),
      () => MINIMUM,
    ),
    [],
  );
});

test("a few Strafanträge filed late are hidden beside the measure, not beside those filed in time: the key figure stays", () => {
  const rows = strafantraege({ closed: 938, none: 780, inTime: 142, late: 4, notFiled: 12, measure: 146, counselling: 500 });
  const cube = buildCube("2026", rows, false);
  assert.deepEqual(figure(cube, "2026|*|*|strafantrag|in_time"), { value: 142 });
  assert.deepEqual(figure(cube, "2026|*|*|strafantrag|late"), { withheld: "primary" });
  assert.deepEqual(figure(cube, "2026|*|*|measure|strafantrag"), { withheld: "secondary" });
});
