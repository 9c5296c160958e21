import assert from "node:assert/strict";
import { test } from "node:test";
import { landKindsOf, pinned, pinnedInTable, type Rel, reportRows, rollupsOf } from "../../../tests/helpers/disclosure.ts";
import { INCIDENT_FORMS, PERCEIVED_MOTIVES } from "../../platform/vocabulary.ts";
import { buildCube, figure, meanScore, type RollupRow } from "./cube.ts";
import type { Dimension } from "./dimensions.ts";
import { AUXILIARY, MINIMUM, protect } from "./protect.ts";
import { contributions, type StatRecord } from "./records.ts";
import { cubeRelations } from "./relations.ts";

/*
 * Disclosure control, worked examples: the attacks each rule answers, and what it must not withhold
 * — checked by solvers of the tests' own (`tests/helpers/disclosure.ts`). Tried on many random
 * tables: `protect-properties.test.ts`; across a year's releases: `releases.test.ts`.
 */

test("which Länder have model municipalities is public: a Land of model municipalities alone is the country's model part, and the country's model figures hide no small one beside it", () => {
  // Land 05 has both kinds; Land 06 model municipalities alone, so the country's model figures are at least 06's.
  const rows = rollupsOf([
    { month: "2026-01-01", land: "05", kind: "model", place: "town_hall", count: 1 },
    { month: "2026-01-01", land: "05", kind: "platform", place: "town_hall", count: 3 },
    { month: "2026-04-01", land: "05", kind: "platform", place: "town_hall", count: 2 },
    { month: "2026-04-01", land: "06", kind: "model", place: "town_hall", count: 5 },
  ]);
  const cube = buildCube("2026", rows, true);
  const kinds = landKindsOf(rows);
  const { relations, inequalities } = cubeRelations("2026", cube.codes as Map<Dimension, string[]>, ["05", "06"], ["model", "platform"], 4, kinds);
  assert.ok(
    inequalities.some((r) => r.parent === "2026|DE|model|incidents|all" && r.children.join() === "2026|06|all|incidents|all"),
    "the country's model reports are at least Land 06's",
  );
  assert.ok(!inequalities.some((r) => r.parent.includes("|DE|platform|")), "no Land has platform municipalities alone");
  // Protected without that knowledge, the country's 1 model report of January followed from the year's 6 and Land 06's 5.
  assert.deepEqual(pinnedInTable(cube, relations, inequalities), []);
});

test("the classic attack: a year of 12, a quarter of 9 — the other quarter's 3 is not left alone", () => {
  const values = new Map([
    ["Y", 12],
    ["Q1", 9],
    ["Q2", 3],
  ]);
  const withheld = protect(values, [{ parent: "Y", children: ["Q1", "Q2"] }]);
  assert.equal(withheld.get("Q2"), "primary");
  assert.ok(withheld.has("Q1") || withheld.has("Y"), "a second figure is withheld with it");
});

test("a total of 6 made of a withheld 1 and 5 stays shown: the 1 may be anything from 1 to 5, so neither part is pinned", () => {
  const values = new Map([
    ["P", 6],
    ["a", 1],
    ["b", 5],
  ]);
  const withheld = protect(values, [{ parent: "P", children: ["a", "b"] }]);
  assert.deepEqual([...withheld.keys()].sort(), ["a", "b"]);
});

test("sums behind means are whole numbers in a range: one that could move only by half an answer is pinned, and what pins it is withheld", () => {
  // Three sums of one answer each (1 to 5) and one of a withheld number of answers, here known to
  // lie between 1 and 2; three shown totals tie them. b (one answer of 1) could rise only by half:
  // d = 2b − 1 may not pass 2. Whole numbers pin it at 1 (and a and c at 2).
  const values = new Map([
    ["P1", 3],
    ["P2", 3],
    ["P3", 5],
    ["a", 2],
    ["b", 1],
    ["c", 2],
    ["d", 1],
  ]);
  const relations = [
    { parent: "P1", children: ["a", "b"] },
    { parent: "P2", children: ["b", "c"] },
    { parent: "P3", children: ["a", "c", "d"] },
  ];
  const range = (k: string): [number, number] => (k === "d" ? [1, 2] : k.startsWith("P") ? [1, 100] : [1, 5]);
  const options = {
    primary: (k: string) => k === "b",
    hidden: ["d"],
    atLowerBound: (k: string) => values.get(k) === range(k)[0],
    atUpperBound: (k: string) => values.get(k) === range(k)[1],
  };
  const byBounds = protect(values, relations, MINIMUM, [], options);
  const shownBy = (w: Map<string, unknown>) => [...values.keys()].filter((k) => !w.has(k));
  assert.deepEqual(
    pinned(
      [...byBounds.keys()],
      relations,
      (k) => values.get(k) ?? 0,
      [],
      range,
      (k) => k === "b",
    ),
    ["b"],
    "by bounds alone, b is pinned",
  );
  const whole = protect(values, relations, MINIMUM, [], { ...options, range });
  assert.deepEqual(
    pinned(
      [...whole.keys()],
      relations,
      (k) => values.get(k) ?? 0,
      [],
      range,
      (k) => k === "b",
    ),
    [],
    "in whole numbers, it is protected",
  );
  assert.ok(shownBy(whole).length < shownBy(byBounds).length, "by withholding more");
});

test("five withheld 1s under a shown total of 5 are each pinned at 1: the total is withheld with them", () => {
  const parts = ["05", "06", "07", "08", "09"];
  const values = new Map<string, number>([["DE", 5], ...parts.map((p): [string, number] => [p, 1]), ["L05", 9], ["x", 8]]);
  const relations = [
    { parent: "DE", children: parts },
    // Another relation holding one of the 1s, so that more than the total could be chosen.
    { parent: "L05", children: ["05", "x"] },
  ];
  const withheld = protect(values, relations);
  for (const p of parts) assert.ok(withheld.has(p));
  assert.ok(withheld.has("DE"), "the total that pins them is withheld");
  assert.deepEqual(
    pinned(
      [...withheld.keys()],
      relations,
      (k) => values.get(k) ?? 0,
      [],
      undefined,
      undefined,
      () => MINIMUM,
    ),
    [],
  );
});

test("a sparse national table — sixty municipalities over sixteen Länder, a few incidents a month — still shows the country's totals", () => {
  // Most cells of such a table are 1 to 4; the withheld 1s tie thousands of cells together.
  const lands = ["01", "02", "03", "04", "05", "06", "07", "08", "09", "10", "11", "12", "13", "14", "15", "16"];
  let seed = 2026;
  const next = () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)];
  const sums = new Map<string, RollupRow>();
  let incidents = 0;
  for (let t = 0; t < 60; t++)
    for (let m = 1; m <= 11; m++)
      for (let i = Math.floor(next() * (t < 10 ? 7 : 3)); i > 0; i--) {
        incidents++;
        const closed = next() < 0.9;
        const record: StatRecord = {
          state: closed ? "closed" : "open",
          openedMonth: `2026-${String(m).padStart(2, "0")}-01`,
          closedMonth: closed ? `2026-${String(m).padStart(2, "0")}-01` : null,
          feedbackMonth: null,
          land: lands[t % 16],
          tenantKind: t < 10 ? "model" : "platform",
          channel: pick(["web", "web", "phone", "email", "letter"]),
          mode: "named",
          forms: [pick(INCIDENT_FORMS.slice(0, 6))],
          motives: [pick(PERCEIVED_MOTIVES.slice(0, 8))],
          place: pick(["town_hall", "meeting", "private_home", "email", "online"]),
          affectedFunction: pick(["office_holder", "elected_member", "staff"]),
          level: Math.floor(next() * 3),
          measures: closed ? [pick(["criminal_complaint", "victim_support", "alarm_plan", "house_ban"])] : [],
          firstResponseMinutes: null,
          respondedInTime: closed ? pick(["in_time", "in_time", "late"] as const) : null,
          strafantrag: null,
          outcome: closed ? pick(["supported", "referred", "protected"]) : null,
          feedback: { supported: null, superiors: null, colleagues: null, office: null, partners: null },
        };
        for (const c of contributions(record)) {
          const key = `${c.month}|${c.land}|${c.kind}|${c.dimension}|${c.code}`;
          const row = sums.get(key) ?? { ...c, count: 0, sum: 0 };
          row.count += c.count;
          sums.set(key, row);
        }
      }
  const cube = buildCube("2026", [...sums.values()], true);
  for (const [key, v] of cube.counts) if (!cube.withheld.has(key)) assert.ok(v === 0 || v >= MINIMUM, `${key} = ${v} is shown`);
  assert.ok(cube.withheld.size > 2000, "most figures of such a table are withheld");
  const country = (time: string) => figure(cube, `${time}|DE|all|incidents|all`);
  assert.deepEqual(country("2026"), { value: incidents });
  for (let m = 1; m <= 11; m++) assert.ok("value" in country(`2026-${String(m).padStart(2, "0")}`), `the country's month ${m} is shown`);
  const landsShown = lands.filter((land) => "value" in figure(cube, `2026|${land}|all|incidents|all`)).length;
  assert.ok(landsShown >= 14, `most Länder's years are shown (${landsShown})`);
  // The totals a reader of a kind of municipality or a Land looks at first: a second look shows them
  // again where a category beside them can be withheld instead.
  for (const kind of ["model", "platform"])
    for (const time of ["2026", "2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4"])
      assert.ok("value" in figure(cube, `${time}|DE|${kind}|incidents|all`), `the ${kind} municipalities' ${time} is shown`);
  const landQuarters = lands.flatMap((land) => [1, 2, 3, 4].map((q) => figure(cube, `2026-Q${q}|${land}|all|incidents|all`)));
  const landQuartersShown = landQuarters.filter((f) => "value" in f).length;
  assert.ok(landQuartersShown >= 48, `most Länder's quarters are shown (${landQuartersShown} of 64)`);
  // The PMK codes follow from the categories, so they show nothing the categories withhold: every
  // affected person here holds an office, so the attack target counts every incident; an
  // Unterthemenfeld of one motive counts that motive's cases.
  let compared = 0;
  for (const key of cube.counts.keys()) {
    const [time, area, kind, d, code] = key.split("|");
    const same = (dimension: string, c: string) => `${time}|${area}|${kind}|${dimension}|${c}`;
    const twin =
      d === "pmk_target" && code === "office_holders"
        ? same("incidents", "all")
        : d === "pmk_hate" && code === "antisemitisch"
          ? same("motive", "antisemitic")
          : null;
    if (twin === null) continue;
    assert.equal(cube.counts.get(key), cube.counts.get(twin), key);
    assert.equal(cube.withheld.has(key), cube.withheld.has(twin), `${key} is withheld exactly where ${twin} is`);
    compared++;
  }
  assert.ok(compared > 100);
});

test("a municipality's year less its one shown quarter would give the mean of the other quarters' four answers: that quarter is withheld too", () => {
  const quarter = (month: string, answers: number, sum: number): RollupRow[] => [
    { month, land: "", kind: "", dimension: "closed", code: "all", count: answers, sum: 0 },
    { month, land: "", kind: "", dimension: "feedback", code: "supported", count: answers, sum },
  ];
  // Nine answers up to September: two in Q1, five in Q2, two in Q3 (as a leader saw them).
  const cube = buildCube("2026", [...quarter("2026-01-01", 2, 5), ...quarter("2026-04-01", 5, 19), ...quarter("2026-07-01", 2, 6)], false, {
    through: "2026-10-01",
  });
  const mean = (time: string) => meanScore(cube, `${time}|*|*|feedback|supported`).mean;
  assert.equal(mean("2026-Q1"), null);
  assert.equal(mean("2026-Q3"), null);
  assert.ok(mean("2026") === null || mean("2026-Q2") === null, "the year and its second quarter are not both shown");
  assert.ok(mean("2026") !== null || mean("2026-Q2") !== null, "nor both withheld");
});

test("the classic attack on a mean: the year's mean less three quarters' means would give the fourth's, all 5s — another quarter's mean is withheld with it", () => {
  const quarter = (month: string, answers: number, sum: number): RollupRow[] => [
    { month, land: "", kind: "", dimension: "closed", code: "all", count: answers, sum: 0 },
    { month, land: "", kind: "", dimension: "feedback", code: "supported", count: answers, sum },
  ];
  const cube = buildCube(
    "2026",
    [...quarter("2026-01-01", 6, 20), ...quarter("2026-04-01", 8, 30), ...quarter("2026-07-01", 7, 21), ...quarter("2026-10-01", 5, 25)],
    false,
  );
  const mean = (time: string) => meanScore(cube, `${time}|*|*|feedback|supported`).mean;
  assert.equal(mean("2026-Q4"), null, "five answers of 5: not shown");
  const hidden = ["2026", "2026-Q1", "2026-Q2", "2026-Q3"].filter((t) => mean(t) === null);
  assert.ok(hidden.length > 0, "the fourth quarter's mean is not left alone among the year and its quarters");
  assert.ok(hidden.length < 4, "nor is everything withheld");
});

test("the cases naming both area motives tie the Phänomenbereiche to the motives: with them shown, a small religiöse Ideologie is not pinned", () => {
  // 10 right-wing only, 2 Islamist only, 3 both, 5 racist only: right-wing 13, Islamist 5, rechts 10,
  // religiöse Ideologie 2, sonstige Zuordnung 8. Right-wing less rechts is Islamist less religiöse
  // (the 3 naming both), so rechts less religiöse is 8 — and with their sum, 12, both are known.
  const cases: [string[], number][] = [
    [["right_wing_extremist"], 10],
    [["islamist"], 2],
    [["right_wing_extremist", "islamist"], 3],
    [["racist"], 5],
  ];
  const rows = reportRows(
    cases.map(([motives, copies]) => ({ month: "2026-02-01", land: "05", kind: "model", motives, copies })),
    ["incidents", "motive", "pmk_area"],
  );
  const cube = buildCube("2026", rows, false);
  const { relations, inequalities } = cubeRelations("2026", cube.codes as Map<Dimension, string[]>, null, null);
  const known: Rel[] = relations.filter((r) => !r.parent.startsWith(AUXILIARY));
  const unknowns: string[] = [];
  for (const time of ["2026", "2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4"]) {
    const at = (d: string, c: string) => `${time}|*|*|${d}|${c}`;
    known.push({ parent: `x:${time}`, children: [at("motive", "right_wing_extremist"), at("pmk_area", "religioese_ideologie")] });
    known.push({ parent: `x:${time}`, children: [at("motive", "islamist"), at("pmk_area", "rechts")] });
    unknowns.push(`x:${time}`);
  }
  const withheld = [...cube.withheld.keys()].filter((k) => !k.startsWith("mean|"));
  const value = (k: string) => cube.counts.get(k) ?? 0;
  const small = withheld.filter((k) => value(k) > 0 && value(k) < MINIMUM);
  assert.ok(small.includes("2026|*|*|pmk_area|religioese_ideologie"));
  const bounds = inequalities.filter((r) => !r.parent.startsWith(AUXILIARY));
  const found = pinned(
    [...withheld, ...unknowns],
    known,
    value,
    bounds,
    (k) => (k.startsWith("x:") ? [0, 1_000_000] : [1, 1_000_000]),
    (k) => small.includes(k),
    () => MINIMUM,
  );
  assert.deepEqual(found, [], "no figure below 5 is pinned, nor bounded below 5");
});
