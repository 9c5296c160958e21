import assert from "node:assert/strict";
import { test } from "node:test";
import { buildCube, type RollupRow } from "./cube.ts";
import { exportRows } from "./export-rows.ts";
import { figuresFor, keyShares } from "./figures.ts";
import { OWN } from "./relations.ts";

/* What the dashboard makes of a municipality's protected tables: comparisons and derived key figures. */

const quarter = (month: string, answers: number, sum: number): RollupRow[] => [
  { month, land: "", kind: "", dimension: "incidents", code: "all", count: answers + 5, sum: 0 },
  { month, land: "", kind: "", dimension: "closed", code: "all", count: answers + 5, sum: 0 },
  { month, land: "", kind: "", dimension: "feedback", code: "supported", count: answers, sum },
];

test("a year under way is compared with the same quarters of the year before, not with its whole", () => {
  const lastYear = buildCube(
    "2025",
    [...quarter("2025-01-01", 6, 18), ...quarter("2025-04-01", 7, 21), ...quarter("2025-07-01", 8, 32), ...quarter("2025-10-01", 9, 40)],
    false,
  );
  const thisYear = buildCube("2026", [...quarter("2026-01-01", 6, 20), ...quarter("2026-04-01", 6, 20), ...quarter("2026-07-01", 6, 20)], false, {
    through: "2026-10-01",
  });
  const f = figuresFor({ year: 2026, quarter: 0, scope: OWN }, thisYear, lastYear, undefined, { releasedAt: new Date(), month: "2026-10-01" });
  assert.equal(f.lastYearQuarters, 3);
  assert.deepEqual(f.supportedLastYear.answers, { value: 21 });
  assert.equal(f.supportedLastYear.mean, (18 + 21 + 32) / 21, "January to September 2025, not the whole year (3.7)");
  // Exported, the comparison line is the year before's, in its year column too.
  const comparison = exportRows(f).find((r) => r.period === "2025-Q1-Q3");
  assert.deepEqual([comparison?.year, comparison?.dimension, comparison?.value], [2025, "feedback", 21]);
  const whole = figuresFor({ year: 2025, quarter: 0, scope: OWN }, lastYear, buildCube("2024", [], false));
  assert.equal(whole.lastYearQuarters, 4);
});

test("the cases with a Strafantrag decided are the closed cases less those without one, where its categories are withheld", () => {
  const rows = (late: number, notFiled: number): RollupRow[] => [
    { month: "2025-03-01", land: "", kind: "", dimension: "closed", code: "all", count: 40, sum: 0 },
    { month: "2025-03-01", land: "", kind: "", dimension: "strafantrag", code: "none", count: 31 - late - notFiled, sum: 0 },
    { month: "2025-03-01", land: "", kind: "", dimension: "strafantrag", code: "in_time", count: 9, sum: 0 },
    { month: "2025-03-01", land: "", kind: "", dimension: "strafantrag", code: "late", count: late, sum: 0 },
    { month: "2025-03-01", land: "", kind: "", dimension: "strafantrag", code: "not_filed", count: notFiled, sum: 0 },
  ];
  const shares = (late: number, notFiled: number) =>
    keyShares(figuresFor({ year: 2025, quarter: 0, scope: OWN }, buildCube("2025", rows(late, notFiled), false), buildCube("2024", [], false)));
  // 2 late and 4 not filed, both withheld: each may be anything up to 5, and the decided cases are 40 − 25.
  assert.deepEqual(shares(2, 4), { inTime: { value: 0 }, filedInTime: { value: 9 }, decided: 15 });
  // 2 late and 1 not filed would be 3 together, both told to be small: the cases without one are
  // withheld with them, never the key figure.
  const few = shares(2, 1);
  assert.deepEqual(few.filedInTime, { value: 9 });
  assert.equal(few.decided, null);
});
