import assert from "node:assert/strict";
import { test } from "node:test";
import { describeHours, HOURS_DAYS, hoursFormValues, isOpenAt, type OpeningHours, openingHoursSchema, parseHoursForm } from "./hours.ts";

const weekdays = (from: string, to: string): OpeningHours["slots"] => ([1, 2, 3, 4, 5] as const).map((day) => ({ day, from, to }));
const hours = (slots: OpeningHours["slots"]): OpeningHours => ({ alwaysOpen: false, slots });

test("an empty hours form is valid and means the hours are not known", () => {
  assert.deepEqual(parseHoursForm({}), { ok: true, hours: { alwaysOpen: false, slots: [] } });
  assert.deepEqual(parseHoursForm({ mo_from_1: "", mo_to_1: "  " }), { ok: true, hours: { alwaysOpen: false, slots: [] } });
});

test("the hours form reads two ranges a day and stores them sorted", () => {
  const result = parseHoursForm({ mo_from_1: "13:00", mo_to_1: "16:00", mo_from_2: "08:00", mo_to_2: "12:00", so_from_1: "10:00", so_to_1: "11:30" });
  assert.deepEqual(result, {
    ok: true,
    hours: hours([
      { day: 1, from: "08:00", to: "12:00" },
      { day: 1, from: "13:00", to: "16:00" },
      { day: 7, from: "10:00", to: "11:30" },
    ]),
  });
});

test("the hours form accepts times typed where the browser shows a text field", () => {
  const result = parseHoursForm({ di_from_1: "8", di_to_1: "12.30 Uhr", mi_from_1: "9:05", mi_to_1: "17:00:00", do_from_1: "18:00", do_to_1: "0:00" });
  assert.ok(result.ok);
  assert.deepEqual(result.hours.slots, [
    { day: 2, from: "08:00", to: "12:30" },
    { day: 3, from: "09:05", to: "17:00" },
    // Ending at 00:00 means until midnight.
    { day: 4, from: "18:00", to: "24:00" },
  ]);
});

test("a ticked alwaysOpen box means round the clock; times typed beside it are not silently dropped", () => {
  assert.deepEqual(parseHoursForm({ alwaysOpen: "yes", mo_from_1: "08:00", mo_to_1: "nonsense" }), {
    ok: false,
    errors: { alwaysOpen: "alliance.hours.alwaysOpenWithSlots" },
  });
  assert.deepEqual(parseHoursForm({ alwaysOpen: "yes", mo_from_1: "", mo_to_1: " " }), { ok: true, hours: { alwaysOpen: true, slots: [] } });
  assert.deepEqual(parseHoursForm({ alwaysOpen: ["on"] }), { ok: true, hours: { alwaysOpen: true, slots: [] } });
});

test("an unreadable time is reported on its own field", () => {
  assert.deepEqual(parseHoursForm({ mo_from_1: "8 bis 12", mo_to_1: "12:00", fr_from_2: "09:00", fr_to_2: "25:00", sa_from_1: "24:00", sa_to_1: "24:00" }), {
    ok: false,
    errors: { mo_from_1: "alliance.hours.invalidTime", fr_to_2: "alliance.hours.invalidTime", sa_from_1: "alliance.hours.invalidTime" },
  });
});

test("a range with only one end is reported on the missing end", () => {
  assert.deepEqual(parseHoursForm({ mo_from_1: "08:00", di_to_2: "16:00" }), {
    ok: false,
    errors: { mo_to_1: "alliance.hours.incomplete", di_from_2: "alliance.hours.incomplete" },
  });
});

test("an end before its start is reported on the end", () => {
  assert.deepEqual(parseHoursForm({ mi_from_1: "16:00", mi_to_1: "08:00" }), { ok: false, errors: { mi_to_1: "alliance.hours.endBeforeStart" } });
  assert.deepEqual(parseHoursForm({ mi_from_1: "08:00", mi_to_1: "08:00" }), { ok: false, errors: { mi_to_1: "alliance.hours.endBeforeStart" } });
});

test("overlapping ranges are reported on the second range's field that reaches into the first", () => {
  assert.deepEqual(parseHoursForm({ mo_from_1: "08:00", mo_to_1: "12:00", mo_from_2: "11:00", mo_to_2: "14:00" }), {
    ok: false,
    errors: { mo_from_2: "alliance.hours.overlap" },
  });
  assert.deepEqual(parseHoursForm({ mo_from_1: "10:00", mo_to_1: "12:00", mo_from_2: "07:00", mo_to_2: "11:00" }), {
    ok: false,
    errors: { mo_to_2: "alliance.hours.overlap" },
  });
  // Touching ranges do not overlap, and the same range on another day is no conflict.
  assert.equal(parseHoursForm({ mo_from_1: "08:00", mo_to_1: "12:00", mo_from_2: "12:00", mo_to_2: "16:00", di_from_1: "08:00", di_to_1: "12:00" }).ok, true);
});

test("all errors of a form come at once", () => {
  const result = parseHoursForm({ mo_from_1: "x", mo_to_1: "12:00", di_from_1: "10:00", so_from_2: "17:00", so_to_2: "09:00" });
  assert.deepEqual(result, {
    ok: false,
    errors: { mo_from_1: "alliance.hours.invalidTime", di_to_1: "alliance.hours.incomplete", so_to_2: "alliance.hours.endBeforeStart" },
  });
});

test("the form values of stored hours read back to the same hours", () => {
  const stored = hours([
    { day: 1, from: "08:00", to: "12:00" },
    { day: 1, from: "13:00", to: "16:00" },
    { day: 6, from: "22:00", to: "24:00" },
    { day: 7, from: "00:00", to: "02:00" },
  ]);
  const values = hoursFormValues(stored);
  assert.equal(values.mo_from_2, "13:00");
  assert.equal(values.sa_to_1, "24:00");
  assert.equal(values.di_from_1, "");
  assert.equal(values.alwaysOpen, "");
  assert.equal(Object.keys(values).length, 1 + HOURS_DAYS.length * 4);
  assert.deepEqual(parseHoursForm(values), { ok: true, hours: stored });
  assert.deepEqual(parseHoursForm(hoursFormValues({ alwaysOpen: true, slots: [] })), { ok: true, hours: { alwaysOpen: true, slots: [] } });
});

test("the schema accepts stored hours and refuses what the form would refuse", () => {
  assert.ok(openingHoursSchema.safeParse(hours(weekdays("08:00", "24:00"))).success);
  assert.ok(openingHoursSchema.safeParse({ alwaysOpen: true, slots: [] }).success);
  const messages = (value: unknown) => {
    const r = openingHoursSchema.safeParse(value);
    return r.success ? [] : r.error.issues.map((i) => `${i.path.join(".")} ${i.message}`);
  };
  assert.deepEqual(messages(hours([{ day: 1, from: "8:00", to: "12:00" }])), ["slots.0.from alliance.hours.invalidTime"]);
  assert.deepEqual(messages(hours([{ day: 1, from: "24:00", to: "24:00" }])), ["slots.0.from alliance.hours.invalidTime"]);
  assert.deepEqual(messages(hours([{ day: 1, from: "12:00", to: "09:00" }])), ["slots.0.to alliance.hours.endBeforeStart"]);
  assert.deepEqual(
    messages(
      hours([
        { day: 2, from: "08:00", to: "12:00" },
        { day: 2, from: "09:00", to: "10:00" },
      ]),
    ),
    ["slots.1.from alliance.hours.overlap"],
  );
  assert.deepEqual(
    messages(
      hours([
        { day: 3, from: "08:00", to: "09:00" },
        { day: 3, from: "10:00", to: "11:00" },
        { day: 3, from: "12:00", to: "13:00" },
      ]),
    ),
    ["slots.2.from alliance.hours.tooManyRanges"],
  );
  assert.deepEqual(messages({ alwaysOpen: true, slots: weekdays("08:00", "16:00") }), ["slots alliance.hours.alwaysOpenWithSlots"]);
  assert.deepEqual(messages(hours([{ day: 8, from: "08:00", to: "09:00" } as never])), ["slots.0.day errors.invalid"]);
  assert.equal(openingHoursSchema.safeParse({ alwaysOpen: "yes", slots: [] }).success, false);
});

test("open now follows Berlin's clock, not UTC, around midnight", () => {
  const lateMonday = hours([{ day: 1, from: "22:00", to: "24:00" }]);
  const earlyTuesday = hours([{ day: 2, from: "00:00", to: "02:00" }]);
  // 2026-06-01 is a Monday; 21:59 UTC is 23:59 summer time in Berlin.
  assert.equal(isOpenAt(lateMonday, new Date("2026-06-01T21:59:00Z")), true);
  // 22:30 UTC is already Tuesday 00:30 in Berlin.
  assert.equal(isOpenAt(lateMonday, new Date("2026-06-01T22:30:00Z")), false);
  assert.equal(isOpenAt(earlyTuesday, new Date("2026-06-01T22:30:00Z")), true);
  assert.equal(isOpenAt(earlyTuesday, new Date("2026-06-02T00:00:00Z")), false, "02:00 is the first closed minute");
});

test("open now is right on both days the clocks change in 2026", () => {
  const sundayMorning = hours([{ day: 7, from: "01:00", to: "03:00" }]);
  // 29 March: 01:30 UTC is 03:30 summer time, the hour 02:00–03:00 does not exist.
  assert.equal(isOpenAt(sundayMorning, new Date("2026-03-29T00:30:00Z")), true, "01:30 winter time");
  assert.equal(isOpenAt(sundayMorning, new Date("2026-03-29T01:30:00Z")), false, "03:30 summer time");
  // 25 October: 02:30 happens twice, at 00:30 UTC (summer time) and 01:30 UTC (winter time); both are open.
  assert.equal(isOpenAt(sundayMorning, new Date("2026-10-25T00:30:00Z")), true);
  assert.equal(isOpenAt(sundayMorning, new Date("2026-10-25T01:30:00Z")), true);
  assert.equal(isOpenAt(sundayMorning, new Date("2026-10-25T02:00:00Z")), false, "03:00 winter time");
  // In winter Berlin is one hour ahead of UTC: 07:30 UTC on a Monday is 08:30.
  const office = hours(weekdays("08:00", "16:00"));
  assert.equal(isOpenAt(office, new Date("2026-01-05T07:30:00Z")), true);
  assert.equal(isOpenAt(office, new Date("2026-01-05T06:59:00Z")), false);
  assert.equal(isOpenAt(office, new Date("2026-01-10T10:00:00Z")), false, "Saturday");
});

test("round-the-clock is always open and unknown hours are never open", () => {
  assert.equal(isOpenAt({ alwaysOpen: true, slots: [] }, new Date("2026-12-24T23:00:00Z")), true);
  assert.equal(isOpenAt(hours([]), new Date("2026-06-01T10:00:00Z")), false);
});

test("consecutive days with the same ranges share one line", () => {
  const slots = [...weekdays("08:00", "12:00"), ...weekdays("13:00", "16:00"), { day: 6 as const, from: "10:00", to: "12:00" }];
  assert.deepEqual(describeHours(hours(slots), "de"), [
    { days: "Mo–Fr", ranges: "08:00–12:00, 13:00–16:00", alwaysOpen: false },
    { days: "Sa", ranges: "10:00–12:00", alwaysOpen: false },
  ]);
  // A closed Wednesday splits the week.
  const split = describeHours(hours(weekdays("09:00", "17:00").filter((s) => s.day !== 3)), "de").map((l) => l.days);
  assert.deepEqual(split, ["Mo–Di", "Do–Fr"]);
  assert.deepEqual(describeHours(hours([]), "de"), []);
});

test("weekday names come in the reader's language", () => {
  const week = hours(weekdays("08:00", "16:00"));
  const days = (locale: string) => describeHours(week, locale)[0].days;
  assert.equal(days("en"), "Mon–Fri");
  assert.equal(days("tr"), "Pzt–Cum");
  assert.equal(days("ar"), "الاثنين–الجمعة");
  assert.equal(days("uk"), "пн–пт");
  assert.equal(days("ru"), "пн–пт");
  assert.equal(days("de-AT"), "Mo–Fr");
});

test("round-the-clock is described by a flag for the caller to translate", () => {
  assert.deepEqual(describeHours({ alwaysOpen: true, slots: [] }, "de"), [{ days: "Mo–So", ranges: "00:00–24:00", alwaysOpen: true }]);
});
