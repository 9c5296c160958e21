import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { solve } from "yalps";
import { INCIDENT_FORMS, PERCEIVED_MOTIVES } from "../../platform/vocabulary.ts";
import { buildCube, type Cube, cubeRelations, figure, meanScore, type RollupRow, shownCells } from "./cube.ts";
import type { Dimension } from "./dimensions.ts";
import { AUXILIARY, MINIMUM, protect } from "./protect.ts";
import { contributions, type StatRecord } from "./records.ts";

/*
 * Disclosure control, tried on many random tables: no shown figure is below 5 (other than 0), and
 * no withheld figure can be worked out from the shown ones — checked here by an exact solver of
 * its own (fractions, not the engine's floating point): a withheld cell is revealed exactly when
 * its unit vector lies in the span of the relations restricted to the withheld cells.
 */

type Fraction = [bigint, bigint];
type Rel = { parent: string; children: readonly string[] };
const gcd = (a: bigint, b: bigint): bigint => (b === 0n ? (a < 0n ? -a : a) : gcd(b, a % b));
const norm = ([n, d]: Fraction): Fraction => {
  if (n === 0n) return [0n, 1n];
  const g = gcd(n, d) * (d < 0n ? -1n : 1n);
  return [n / g, d / g];
};
const sub = (a: Fraction, b: Fraction): Fraction => norm([a[0] * b[1] - b[0] * a[1], a[1] * b[1]]);
const mul = (a: Fraction, b: Fraction): Fraction => norm([a[0] * b[0], a[1] * b[1]]);
const div = (a: Fraction, b: Fraction): Fraction => norm([a[0] * b[1], a[1] * b[0]]);

/** Rank of a dense matrix of fractions (Gauss–Jordan). */
function rank(matrix: Fraction[][]): number {
  const m = matrix.map((r) => r.slice());
  let r = 0;
  const cols = m[0]?.length ?? 0;
  for (let c = 0; c < cols && r < m.length; c++) {
    const p = m.findIndex((row, i) => i >= r && row[c][0] !== 0n);
    if (p === -1) continue;
    [m[r], m[p]] = [m[p], m[r]];
    for (let i = 0; i < m.length; i++) {
      if (i === r || m[i][c][0] === 0n) continue;
      const f = div(m[i][c], m[r][c]);
      m[i] = m[i].map((x, j) => sub(x, mul(f, m[r][j])));
    }
    r++;
  }
  return r;
}

/** The withheld cells an attacker could compute exactly from the relations and the shown cells. */
function revealed(withheld: string[], relations: { parent: string; children: readonly string[] }[]): string[] {
  const index = new Map(withheld.map((k, i) => [k, i]));
  const rows: Fraction[][] = [];
  for (const r of relations) {
    const row: Fraction[] = withheld.map(() => [0n, 1n]);
    let any = false;
    const put = (k: string, c: bigint) => {
      const i = index.get(k);
      if (i === undefined) return;
      row[i] = norm([row[i][0] + c * row[i][1], row[i][1]]);
      any = true;
    };
    put(r.parent, 1n);
    for (const k of r.children) put(k, -1n);
    if (any) rows.push(row);
  }
  if (rows.length === 0) return [];
  const base = rank(rows);
  return withheld.filter((_, i) => rank([...rows, withheld.map((__, j): Fraction => [j === i ? 1n : 0n, 1n])]) === base);
}

/**
 * The withheld cells an attacker pins down with a linear program: the relations, the inequalities
 * (a total at least its part), and the bounds they know: a withheld count is at least 1 (a zero is
 * shown). (Upper bounds from shown totals follow from the relations themselves; a large cap keeps
 * the program bounded.)
 */
function pinned(
  withheld: string[],
  relations: Rel[],
  value: (k: string) => number,
  inequalities: Rel[] = [],
  bounds: (k: string) => readonly [number, number] = () => [1, 1_000_000],
): string[] {
  const set = new Set(withheld);
  const constraints = new Map<string, { equal?: number; min?: number; max?: number }>();
  const variables = new Map<string, Map<string, number>>(withheld.map((k) => [k, new Map([[`b:${k}`, 1]])]));
  for (const k of withheld) {
    const [min, max] = bounds(k);
    constraints.set(`b:${k}`, { min, max });
  }
  const add = (name: string, r: Rel, bound: (shown: number) => { equal?: number; min?: number }) => {
    const terms = [[r.parent, 1] as const, ...r.children.map((k) => [k, -1] as const)];
    const free = terms.filter(([k]) => set.has(k));
    if (free.length === 0) return;
    // The shown cells move to the other side: Σ withheld (signed) = (or ≥) − Σ shown (signed).
    constraints.set(name, bound(-terms.filter(([k]) => !set.has(k)).reduce((s, [k, c]) => s + c * value(k), 0)));
    for (const [k, c] of free) (variables.get(k) as Map<string, number>).set(name, c);
  };
  for (const [i, r] of relations.entries()) add(`r${i}`, r, (v) => ({ equal: v }));
  for (const [i, r] of inequalities.entries()) add(`i${i}`, r, (v) => ({ min: v }));
  const extreme = (k: string, direction: "maximize" | "minimize") => {
    const vars = [...variables].map(([name, coefs]): [string, Map<string, number>] => [name, name === k ? new Map([...coefs, ["aim", 1]]) : coefs]);
    const solution = solve({ direction, objective: "aim", constraints, variables: vars });
    return solution.status === "optimal" ? solution.result : Number.NaN;
  };
  return withheld.filter((k) => Math.abs(extreme(k, "maximize") - extreme(k, "minimize")) < 1e-6);
}

const LANDS = ["05", "06", "09"];
const rowArbitrary = fc
  .record({
    month: fc.constantFrom("2026-01-01", "2026-02-01", "2026-04-01", "2026-07-01", "2026-11-01"),
    land: fc.constantFrom(...LANDS),
    kind: fc.constantFrom("model", "platform"),
    place: fc.constantFrom("town_hall", "online", "meeting"),
    count: fc.integer({ min: 1, max: 9 }),
    insults: fc.integer({ min: 0, max: 9 }),
    closed: fc.integer({ min: 0, max: 9 }),
  })
  .map((e) => ({ ...e, insults: Math.min(e.insults, e.count), closed: Math.min(e.closed, e.count) }));

/**
 * Rollup rows as the records would make them: each incident counted once in total and once by
 * place; some of them insults (a category a case may have or not), some of them closed.
 */
function rollupsOf(entries: { month: string; land: string; kind: string; place: string; count: number; insults?: number; closed?: number }[]): RollupRow[] {
  const out: RollupRow[] = [];
  for (const e of entries) {
    const row = (dimension: string, code: string, count: number) => {
      if (count > 0) out.push({ month: e.month, land: e.land, kind: e.kind, dimension, code, count, sum: 0 });
    };
    row("incidents", "all", e.count);
    row("place", e.place, e.count);
    row("form", "insult", e.insults ?? 0);
    row("closed", "all", e.closed ?? 0);
  }
  return out;
}

/** The first month a release does not hold: none (the year is over), or a month of the year under way. */
const throughArbitrary = fc.constantFrom(undefined, "2026-02-01", "2026-05-01", "2026-08-01", "2026-10-01", "2026-12-01");

test("no figure of a protected national table is below 5, and none withheld can be worked out", () => {
  fc.assert(
    fc.property(fc.array(rowArbitrary, { minLength: 1, maxLength: 14 }), throughArbitrary, (entries, through) => {
      const rows = rollupsOf(entries).filter((r) => through === undefined || r.month < through);
      const cube = buildCube("2026", rows, true, { through });
      for (const [key, v] of cube.counts) if (!cube.withheld.has(key)) assert.ok(v === 0 || v >= MINIMUM, `${key} = ${v} is shown`);
      const areas = [...new Set(rows.map((r) => r.land))].sort();
      const kinds = [...new Set(rows.map((r) => r.kind))].sort();
      const { relations, inequalities } = cubeRelations("2026", cube.codes as Map<Dimension, string[]>, areas, kinds, cube.quarters);
      const value = (k: string) => cube.counts.get(k) ?? 0;
      // Every relation and inequality holds on the table (the attacker's knowledge is true).
      for (const r of relations)
        assert.equal(
          value(r.parent),
          r.children.reduce((s, k) => s + value(k), 0),
          `${r.parent}`,
        );
      for (const r of inequalities) assert.ok(value(r.parent) >= r.children.reduce((s, k) => s + value(k), 0), `${r.parent}`);
      assert.deepEqual(revealed([...cube.withheld.keys()], relations), []);
      assert.deepEqual(
        pinned([...cube.withheld.keys()], relations, value, inequalities),
        [],
        "nor with the bounds a shown zero and the inequalities give away",
      );
    }),
    { numRuns: Number(process.env.RUNS ?? 60), seed: process.env.SEED ? Number(process.env.SEED) : undefined },
  );
});

test("a municipality's own table: the months, quarters and year cannot be subtracted to find a small month", () => {
  fc.assert(
    fc.property(fc.array(rowArbitrary, { minLength: 1, maxLength: 10 }), throughArbitrary, (entries, through) => {
      const rows = rollupsOf(entries).filter((r) => through === undefined || r.month < through);
      const cube = buildCube("2026", rows, false, { through });
      for (const [key, v] of cube.counts) if (!cube.withheld.has(key)) assert.ok(v === 0 || v >= MINIMUM, `${key} = ${v} is shown`);
      const { relations, inequalities } = cubeRelations("2026", cube.codes as Map<Dimension, string[]>, null, null, cube.quarters);
      assert.deepEqual(revealed([...cube.withheld.keys()], relations), []);
      assert.deepEqual(
        pinned([...cube.withheld.keys()], relations, (k) => cube.counts.get(k) ?? 0, inequalities),
        [],
      );
    }),
    { numRuns: Number(process.env.RUNS ?? 60), seed: process.env.SEED ? Number(process.env.SEED) : undefined },
  );
});

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

/** Releases from February's to the next January's, each protected with what the ones before showed; the last table and every cell shown. */
function releasesOf(rows: RollupRow[], national: boolean, useKnown = true): { last: Cube; known: string[]; tables: Cube[] } {
  let known: string[] = [];
  const tables: Cube[] = [];
  for (let m = 2; m <= 13; m++) {
    const through = m === 13 ? "2027-01-01" : `2026-${String(m).padStart(2, "0")}-01`;
    const cube = buildCube(
      "2026",
      rows.filter((r) => r.month < through),
      national,
      { through, known: useKnown ? known : [] },
    );
    tables.push(cube);
    known = [...new Set([...known, ...shownCells(cube)])];
  }
  return { last: tables[tables.length - 1], known, tables };
}

/** The cells below 5 that every release together pins: the attacker holds each cell any release showed (a year so far as its quarters' sum). */
function pinnedAcrossReleases(rows: RollupRow[], national: boolean, useKnown = true): string[] {
  const { last, known } = releasesOf(rows, national, useKnown);
  const areas = national ? [...new Set(rows.map((r) => r.land))].sort() : null;
  const kinds = national ? [...new Set(rows.map((r) => r.kind))].sort() : null;
  const { relations, inequalities } = cubeRelations("2026", last.codes as Map<Dimension, string[]>, areas, kinds, 4);
  const quarterly = (k: string, q: number) => k.replace(/^2026-Q1-Q[23]/, `2026-Q${q}`);
  const spanOf = (k: string) => /^2026-Q1-Q([23])\|/.exec(k);
  const value = (k: string) => {
    const span = spanOf(k);
    return span ? [1, 2, 3].slice(0, Number(span[1])).reduce((n, q) => n + (last.counts.get(quarterly(k, q)) ?? 0), 0) : (last.counts.get(k) ?? 0);
  };
  const spans = known.flatMap((k) => {
    const span = spanOf(k);
    return span ? [{ parent: k, children: [1, 2, 3].slice(0, Number(span[1])).map((q) => quarterly(k, q)) }] : [];
  });
  const held = new Set(known);
  const hidden = [...last.counts.keys()].filter((k) => !held.has(k) && value(k) > 0);
  return pinned(hidden, [...relations, ...spans], value, inequalities).filter((k) => value(k) < MINIMUM);
}

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
    pinned([...withheld.keys()], relations, (k) => values.get(k) ?? 0),
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

test("no mean withheld — of fewer than 5 answers, or at an end of the scale — can be worked out from the means shown and their numbers of answers", () => {
  const answered = fc
    .record({
      month: fc.constantFrom("2026-01-01", "2026-02-01", "2026-04-01", "2026-07-01", "2026-11-01"),
      land: fc.constantFrom(...LANDS),
      kind: fc.constantFrom("model", "platform"),
      answers: fc.integer({ min: 1, max: 8 }),
      // Everyone at the top, everyone at the bottom, or answers in between.
      spread: fc.constantFrom("top", "bottom", "between"),
      between: fc.integer({ min: 0, max: 1000 }),
    })
    .map((e) => ({
      ...e,
      sum: e.spread === "top" ? 5 * e.answers : e.spread === "bottom" || e.answers === 1 ? e.answers : e.answers + 1 + (e.between % (4 * e.answers - 1)),
    }));
  let hiddenSeen = 0;
  fc.assert(
    fc.property(fc.array(answered, { minLength: 1, maxLength: 12 }), (entries) => {
      const rows: RollupRow[] = entries.flatMap((e) => [
        { month: e.month, land: e.land, kind: e.kind, dimension: "incidents", code: "all", count: e.answers, sum: 0 },
        { month: e.month, land: e.land, kind: e.kind, dimension: "closed", code: "all", count: e.answers, sum: 0 },
        { month: e.month, land: e.land, kind: e.kind, dimension: "feedback", code: "supported", count: e.answers, sum: e.sum },
      ]);
      const cube = buildCube("2026", rows, true);
      const scored = [...cube.counts.keys()].filter((k) => k.split("|")[3] === "feedback");
      const hidden = scored.filter((k) => meanScore(cube, k).mean === null);
      const answers = (k: string) => cube.counts.get(k) ?? 0;
      const sum = (k: string) => cube.sums.get(k) ?? 0;
      for (const k of scored)
        if (!hidden.includes(k)) {
          assert.ok(answers(k) >= MINIMUM, `${k}: a mean of ${answers(k)} answers is shown`);
          assert.ok(sum(k) > answers(k) && sum(k) < 5 * answers(k), `${k}: a mean at an end of the scale is shown`);
        }
      // The attacker knows each shown mean's sum (mean × answers), and of a withheld one, generously, its number of answers:
      // the sum lies between that number and five times it. Their sums are bound like the counts, over time and area.
      const { relations } = cubeRelations(
        "2026",
        cube.codes as Map<Dimension, string[]>,
        [...new Set(rows.map((r) => r.land))].sort(),
        [...new Set(rows.map((r) => r.kind))].sort(),
      );
      const sumRelations = relations.filter((r) => [r.parent, ...r.children].every((k) => k.split("|")[3] === "feedback"));
      const primaries = hidden.filter((k) => answers(k) < MINIMUM || sum(k) === answers(k) || sum(k) === 5 * answers(k));
      hiddenSeen += primaries.length;
      const found = pinned(hidden, sumRelations, sum, [], (k) => [answers(k), 5 * answers(k)]);
      assert.deepEqual(
        found.filter((k) => primaries.includes(k)),
        [],
        "no such mean is pinned down",
      );
      // Nor the answers withheld together under a shown mean (the whole's sum less its shown parts'): their mean is held to the same rule.
      for (const r of sumRelations) {
        if (hidden.includes(r.parent)) continue;
        const together = r.children.filter((k) => hidden.includes(k));
        const n = together.reduce((x, k) => x + answers(k), 0);
        const total = together.reduce((x, k) => x + sum(k), 0);
        if (n === 0) continue;
        assert.ok(n >= MINIMUM, `${r.parent}: the means withheld beside it hold ${n} answers`);
        assert.ok(total > n && total < 5 * n, `${r.parent}: the answers withheld beside it are all at an end`);
      }
    }),
    { numRuns: Number(process.env.RUNS ?? 60), seed: process.env.SEED ? Number(process.env.SEED) : undefined },
  );
  assert.ok(hiddenSeen > 100, "the tables hold means to protect");
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

test("the PMK codes give nothing away: a Phänomenbereich is its motive where no other area's motive occurs, an Unterthemenfeld at most its motives", () => {
  const recordArbitrary = fc.record({
    month: fc.constantFrom("2026-01-01", "2026-04-01", "2026-08-01"),
    land: fc.constantFrom(...LANDS),
    kind: fc.constantFrom("model", "platform"),
    motives: fc.subarray(["right_wing_extremist", "islamist", "racist", "anti_black", "antisemitic"], { minLength: 1, maxLength: 2 }),
    copies: fc.integer({ min: 1, max: 7 }),
  });
  fc.assert(
    fc.property(fc.array(recordArbitrary, { minLength: 1, maxLength: 8 }), (entries) => {
      const sums = new Map<string, RollupRow>();
      for (const e of entries) {
        const record: StatRecord = {
          state: "open",
          openedMonth: e.month,
          closedMonth: null,
          feedbackMonth: null,
          land: e.land,
          tenantKind: e.kind,
          channel: "web",
          mode: "named",
          forms: ["insult"],
          motives: e.motives,
          place: "online",
          affectedFunction: "staff",
          level: null,
          measures: [],
          firstResponseMinutes: null,
          respondedInTime: null,
          strafantrag: null,
          outcome: null,
          feedback: { supported: null, superiors: null, colleagues: null, office: null, partners: null },
        };
        for (const c of contributions(record)) {
          if (!["incidents", "motive", "pmk_area", "pmk_hate"].includes(c.dimension)) continue;
          const key = `${c.month}|${c.land}|${c.kind}|${c.dimension}|${c.code}`;
          const row = sums.get(key) ?? { ...c, count: 0, sum: 0 };
          row.count += c.count * e.copies;
          sums.set(key, row);
        }
      }
      const rows = [...sums.values()];
      const cube = buildCube("2026", rows, true);
      const { relations, inequalities } = cubeRelations(
        "2026",
        cube.codes as Map<Dimension, string[]>,
        [...new Set(rows.map((r) => r.land))].sort(),
        [...new Set(rows.map((r) => r.kind))].sort(),
      );
      // The attacker's own reading of the PMK rules, written here apart from the engine's: a case is "rechts" when
      // its motives name that area alone, so rechts + islamist ≥ right-wing (and the other way round); rassistisch
      // counts cases with a racist, anti-Black motive or both, so at most their sum. Sums of several cells are
      // unknowns of their own (never shown).
      const known: Rel[] = [...relations.filter((r) => !r.parent.startsWith(AUXILIARY))];
      const bounds: Rel[] = [...inequalities.filter((r) => !r.parent.startsWith(AUXILIARY))];
      const scopes = new Set([...cube.counts.keys()].map((k) => k.split("|").slice(0, 3).join("|")).filter((k) => !/^2026-\d\d\|/.test(k)));
      for (const scope of scopes) {
        const at = (d: string, c: string) => `${scope}|${d}|${c}`;
        known.push({ parent: `x:${scope}:r`, children: [at("pmk_area", "rechts"), at("motive", "islamist")] });
        bounds.push({ parent: `x:${scope}:r`, children: [at("motive", "right_wing_extremist")] });
        known.push({ parent: `x:${scope}:i`, children: [at("pmk_area", "religioese_ideologie"), at("motive", "right_wing_extremist")] });
        bounds.push({ parent: `x:${scope}:i`, children: [at("motive", "islamist")] });
        known.push({ parent: `x:${scope}:h`, children: [at("motive", "racist"), at("motive", "anti_black")] });
        bounds.push({ parent: `x:${scope}:h`, children: [at("pmk_hate", "rassistisch")] });
      }
      const unknowns = [...new Set(known.map((r) => r.parent).filter((k) => k.startsWith("x:")))];
      const withheld = [...cube.withheld.keys()].filter((k) => !k.startsWith("mean|"));
      const value = (k: string) => cube.counts.get(k) ?? 0;
      const found = pinned([...withheld, ...unknowns], known, value, bounds, (k) => (k.startsWith("x:") ? [0, 1_000_000] : [1, 1_000_000]));
      assert.deepEqual(
        found.filter((k) => !k.startsWith("x:")),
        [],
        "no withheld figure is pinned",
      );
    }),
    { numRuns: 15 },
  );
});

/** Rollup rows of incidents reported in one month and closed some months later (the closing counts in its own month). */
function reportedAndClosed(
  entries: { month: number; closedAfter: number; count: number; insults?: number; place: string; land: string; kind: string }[],
): RollupRow[] {
  const month = (m: number) => `2026-${String(Math.min(12, m)).padStart(2, "0")}-01`;
  return entries.flatMap((e) => [
    ...rollupsOf([{ month: month(e.month), land: e.land, kind: e.kind, place: e.place, count: e.count, insults: Math.min(e.insults ?? 0, e.count) }]),
    ...rollupsOf([{ month: month(e.month + e.closedAfter), land: e.land, kind: e.kind, place: e.place, count: 0, closed: e.count }]),
  ]);
}

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
