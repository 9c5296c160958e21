import assert from "node:assert/strict";
import { test } from "node:test";
import { auskunftssperre, isWorkingDay, periodStatus, strafantragPeriod } from "./deadlines.ts";

/*
 * The table of cases for the Strafantrag period (§77b StGB with §188 BGB) and the Auskunftssperre:
 * every rule of the statute once, and the Land's own holidays.
 */

const CASES: { why: string; knewOn: string; land: "06" | "11" | "09"; endsOn: string }[] = [
  { why: "three months to the day", knewOn: "2026-01-15", land: "06", endsOn: "2026-04-15" },
  { why: "no 31st in April: the month's last day", knewOn: "2026-01-31", land: "06", endsOn: "2026-04-30" },
  { why: "no 30th in February, and the 28th is a Sunday: Monday", knewOn: "2026-11-30", land: "06", endsOn: "2027-03-01" },
  { why: "a leap year's 29 February", knewOn: "2027-11-30", land: "06", endsOn: "2028-02-29" },
  { why: "ends on a Sunday: the next Monday", knewOn: "2026-10-03", land: "06", endsOn: "2027-01-04" },
  { why: "ends on Good Friday: past Easter Monday", knewOn: "2026-12-26", land: "06", endsOn: "2027-03-30" },
  { why: "Women's Day is a holiday in Berlin", knewOn: "2026-12-08", land: "11", endsOn: "2027-03-09" },
  { why: "… and not in Hessen", knewOn: "2026-12-08", land: "06", endsOn: "2027-03-08" },
  { why: "Epiphany is a holiday in Bavaria", knewOn: "2026-10-06", land: "09", endsOn: "2027-01-07" },
  { why: "… and not in Hessen", knewOn: "2026-10-06", land: "06", endsOn: "2027-01-06" },
];

for (const c of CASES) {
  test(`Strafantrag: ${c.why} (${c.knewOn}, Land ${c.land} → ${c.endsOn})`, () => {
    const period = strafantragPeriod(c.knewOn, c.land);
    assert.equal(period.state, "running");
    if (period.state === "running") {
      assert.equal(period.endsOn, c.endsOn);
      assert.ok(isWorkingDay(period.endsOn, c.land), "the last day is a working day");
    }
  });
}

test("Strafantrag: while the perpetrator is unknown the period does not run", () => {
  assert.deepEqual(strafantragPeriod(null, "06"), { state: "not_running" });
});

test("Strafantrag: reminders four weeks, two weeks, three days and one day before the end", () => {
  const period = strafantragPeriod("2026-11-30", "06");
  assert.ok(period.state === "running");
  assert.equal(period.calendarEnd, "2027-02-28");
  assert.deepEqual(period.reminders, [
    { daysBefore: 28, on: "2027-02-01" },
    { daysBefore: 14, on: "2027-02-15" },
    { daysBefore: 3, on: "2027-02-26" },
    { daysBefore: 1, on: "2027-02-28" },
  ]);
  assert.deepEqual(periodStatus("2027-03-01", "2027-03-01"), { overdue: false, daysLeft: 0 });
  assert.deepEqual(periodStatus("2027-03-01", "2027-03-02"), { overdue: true, daysLeft: -1 });
});

test("Auskunftssperre: two years from the decision, renewal eight weeks before", () => {
  assert.deepEqual(auskunftssperre("2026-03-10"), { endsOn: "2028-03-10", renewBy: "2028-01-14" });
  assert.deepEqual(auskunftssperre("2024-02-29"), { endsOn: "2026-02-28", renewBy: "2026-01-03" });
});

test("a date that does not exist is refused, not silently moved", () => {
  assert.throws(() => strafantragPeriod("2026-02-30", "06"), RangeError);
});
