import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { booking } from "./handlers.ts";
import { type Contribution, contributions, type StatRecord, type TenantFacts } from "./records.ts";

/*
 * A record's parts are booked in their months: whatever the clearing procedure does with a case
 * later — closes, dismisses, reopens, corrects its categories, asks for feedback — the figures of
 * a month that is over stay as they were released. Played here on random histories of cases.
 */

const TENANT: TenantFacts = { land: "05", kind: "model" };
const MONTHS = ["2026-01-01", "2026-02-01", "2026-03-01", "2026-04-01", "2026-05-01"];

type Step =
  | { kind: "opened"; forms: string[] }
  | { kind: "assessed"; level: number }
  | { kind: "closed"; forms: string[]; level: number; outcome: string; measures: string[] }
  | { kind: "dismissed" }
  | { kind: "reopened" }
  | { kind: "feedback"; score: number };

const forms = fc.subarray(["insult", "threat", "defamation"], { minLength: 1 });
const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constant("opened" as const), forms }),
  fc.record({ kind: fc.constant("assessed" as const), level: fc.integer({ min: 0, max: 3 }) }),
  fc.record({
    kind: fc.constant("closed" as const),
    forms,
    level: fc.integer({ min: 0, max: 3 }),
    outcome: fc.constantFrom("supported", "referred"),
    measures: fc.subarray(["criminal_complaint", "alarm_plan"]),
  }),
  fc.record({ kind: fc.constant("dismissed" as const) }),
  fc.record({ kind: fc.constant("reopened" as const) }),
  fc.record({ kind: fc.constant("feedback" as const), score: fc.integer({ min: 1, max: 5 }) }),
);

/** A case's history: it is opened first, then steps follow in months from its own on. */
const history = fc
  .tuple(fc.nat({ max: MONTHS.length - 1 }), forms, fc.array(fc.tuple(fc.nat({ max: 2 }), step), { maxLength: 6 }))
  .map(([start, first, rest]) => {
    let month = start;
    const steps: { month: string; step: Step }[] = [{ month: MONTHS[start], step: { kind: "opened", forms: first } }];
    for (const [gap, s] of rest) {
      month = Math.min(MONTHS.length - 1, month + gap);
      steps.push({ month: MONTHS[month], step: s });
    }
    return steps;
  });

function apply(before: StatRecord | null, month: string, s: Step): StatRecord | null {
  const facts = { channel: "web", mode: "named", motives: ["racist"], place: "online", affectedFunction: "staff" };
  switch (s.kind) {
    case "opened":
      return booking.opened(before, TENANT, month, { ...facts, forms: s.forms });
    case "assessed":
      return booking.assessed(before, s.level);
    case "closed":
      return booking.closed(before, TENANT, month, {
        ...facts,
        forms: s.forms,
        openedMonth: before?.openedMonth ?? month,
        level: s.level,
        measures: s.measures,
        firstResponseMinutes: 30,
        respondedInTime: "in_time",
        strafantrag: null,
        outcome: s.outcome,
      });
    case "dismissed":
      return booking.dismissed(before, month);
    case "reopened":
      return booking.reopened(before, month);
    case "feedback":
      return booking.feedback(before, month, { supported: s.score, superiors: null, colleagues: null, office: s.score, partners: null });
  }
}

/** The figures of the months before `until` that the records add, after the steps taken before `taken`. */
function figures(histories: { month: string; step: Step }[][], taken: string, until: string): Map<string, [number, number]> {
  const sums = new Map<string, [number, number]>();
  for (const steps of histories) {
    let record: StatRecord | null = null;
    for (const { month, step } of steps) if (month < taken) record = apply(record, month, step) ?? record;
    for (const c of contributions(record) as Contribution[]) {
      if (c.month >= until) continue;
      const key = `${c.month}|${c.dimension}|${c.code}`;
      const [count, sum] = sums.get(key) ?? [0, 0];
      sums.set(key, [count + c.count, sum + c.sum]);
    }
  }
  return sums;
}

test("the figures of a month that is over never change, whatever later happens to its cases", () => {
  fc.assert(
    fc.property(fc.array(history, { minLength: 1, maxLength: 8 }), (histories) => {
      for (const release of MONTHS.slice(1)) {
        // As released at the start of `release` (the steps of the months before it), and as they stand at the end.
        assert.deepEqual(figures(histories, "9999", release), figures(histories, release, release), `the months before ${release}`);
      }
    }),
    { numRuns: 400 },
  );
});

test("a case counts once as a report, and at most once as closed, however often it is closed and reopened", () => {
  fc.assert(
    fc.property(history, (steps) => {
      let record: StatRecord | null = null;
      for (const { month, step } of steps) record = apply(record, month, step) ?? record;
      const counted = contributions(record);
      const count = (d: string) => counted.filter((c) => c.dimension === d).length;
      assert.ok(count("incidents") <= 1);
      assert.ok(count("closed") <= 1);
      assert.equal(count("level"), count("closed"), "the level counts with the closing");
      assert.equal(count("outcome"), count("closed"));
      // Dismissed in the month it was opened, the case leaves the figures entirely.
      if (record?.state === "dismissed" && record.closedMonth === record.openedMonth) assert.deepEqual(counted, []);
    }),
    { numRuns: 400 },
  );
});

test("a report counts in the month it was opened, its closing in the month it was closed, its feedback in the month it was given", () => {
  let r = booking.opened(null, TENANT, "2026-03-01", {
    channel: "web",
    mode: "named",
    forms: ["insult"],
    motives: ["racist"],
    place: "online",
    affectedFunction: "staff",
  });
  r = booking.assessed(r, 2) ?? r;
  r = booking.closed(r, TENANT, "2026-05-01", {
    channel: "web",
    mode: "named",
    forms: ["threat"],
    motives: ["racist"],
    place: "online",
    affectedFunction: "staff",
    openedMonth: "2026-03-01",
    level: 2,
    measures: ["alarm_plan"],
    firstResponseMinutes: 30,
    respondedInTime: "in_time",
    strafantrag: null,
    outcome: "supported",
  });
  r = booking.feedback(r, "2026-06-01", { supported: 4, superiors: null, colleagues: null, office: 5, partners: null }) ?? r;
  const at = (d: string) =>
    contributions(r)
      .filter((c) => c.dimension === d)
      .map((c) => `${c.month} ${c.code}`);
  assert.deepEqual(at("incidents"), ["2026-03-01 all"]);
  // The form corrected at the closing in May does not reach March, which is over.
  assert.deepEqual(at("form"), ["2026-03-01 insult"]);
  assert.deepEqual(at("closed"), ["2026-05-01 all"]);
  assert.deepEqual(at("level"), ["2026-05-01 2"]);
  assert.deepEqual(at("measure"), ["2026-05-01 alarm_plan"]);
  assert.deepEqual(at("feedback"), ["2026-06-01 supported", "2026-06-01 office"]);
  // Reopened in June, a case closed in May stays counted there; dismissed in June, its report stays counted in March.
  assert.equal(booking.reopened(r, "2026-06-01"), null);
  const open = booking.opened(null, TENANT, "2026-03-01", {
    channel: "web",
    mode: "named",
    forms: ["insult"],
    motives: [],
    place: null,
    affectedFunction: null,
  });
  const late = booking.dismissed(open, "2026-04-01");
  assert.deepEqual(
    contributions(late)
      .filter((c) => c.dimension === "incidents")
      .map((c) => c.month),
    ["2026-03-01"],
  );
  const early = booking.dismissed(open, "2026-03-01");
  assert.deepEqual(contributions(early), []);
});
