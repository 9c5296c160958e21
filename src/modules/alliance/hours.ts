import { z } from "zod";
import { dateFormat } from "../../platform/i18n/formats.ts";

/*
 * Opening hours of an alliance partner: a weekly pattern in Berlin local time, read from a form that
 * works without JavaScript, checked by one schema (the form, imports and the API share its rules),
 * and shown grouped ("Mo–Fr 08:00–16:00") on the emergency card.
 */

/** ISO weekday: 1 = Monday … 7 = Sunday. */
export type Weekday = 1 | 2 | 3 | 4 | 5 | 6 | 7;
/** Times are "HH:MM", 24 h; `to` may be "24:00", until midnight. */
export interface OpeningHours {
  alwaysOpen: boolean;
  slots: { day: Weekday; from: string; to: string }[];
}
export type HoursSlot = OpeningHours["slots"][number];

/** Form keys of the weekdays, Monday first: index + 1 is the ISO weekday. */
export const HOURS_DAYS = ["mo", "di", "mi", "do", "fr", "sa", "so"] as const;
/** The form offers this many ranges per day; the schema allows no more, or editing would lose some. */
export const RANGES_PER_DAY = 2;

/** Every message key the form and the schema give. */
export type HoursErrorKey =
  | `alliance.hours.${"invalidTime" | "endBeforeStart" | "overlap" | "incomplete" | "tooManyRanges" | "alwaysOpenWithSlots"}`
  | "errors.invalid";

const START = /^([01]\d|2[0-3]):[0-5]\d$/;
const END = /^(([01]\d|2[0-3]):[0-5]\d|24:00)$/;
const minutes = (time: string) => Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));
// Zod runs refinements after a failed format check too; order is only judged between readable times.
const readable = (s: { from: string; to: string }) => START.test(s.from) && END.test(s.to);
/** One day's ranges, earliest first. */
const rangesOn = (hours: OpeningHours, day: number) => hours.slots.filter((s) => s.day === day).sort((a, b) => minutes(a.from) - minutes(b.from));

const slotSchema = z
  .object({
    day: z.literal([1, 2, 3, 4, 5, 6, 7], { message: "errors.invalid" }),
    from: z.string().regex(START, { message: "alliance.hours.invalidTime" }),
    to: z.string().regex(END, { message: "alliance.hours.invalidTime" }),
  })
  .refine((s) => !readable(s) || minutes(s.from) < minutes(s.to), { message: "alliance.hours.endBeforeStart", path: ["to"] });

/**
 * A stored OpeningHours value. Ranges are half-open [from, to), so 08:00–12:00 and 12:00–16:00 touch
 * without overlapping. Ranges past midnight are two ranges (Fr 22:00–24:00, Sa 00:00–02:00).
 * Issues name the slot the user has to change: the later one in input order.
 */
export const openingHoursSchema = z
  .object({ alwaysOpen: z.boolean(), slots: z.array(slotSchema).max(7 * RANGES_PER_DAY, { message: "alliance.hours.tooManyRanges" }) })
  .superRefine((hours, ctx) => {
    // "24/7" next to a weekly pattern would mean two things; the form drops the pattern when the box is ticked.
    if (hours.alwaysOpen && hours.slots.length > 0) ctx.addIssue({ code: "custom", message: "alliance.hours.alwaysOpenWithSlots", path: ["slots"] });
    hours.slots.forEach((b, j) => {
      const earlier = hours.slots.slice(0, j).filter((a) => a.day === b.day);
      if (earlier.length >= RANGES_PER_DAY) ctx.addIssue({ code: "custom", message: "alliance.hours.tooManyRanges", path: ["slots", j, "from"] });
      const a = !readable(b) ? undefined : earlier.filter(readable).find((a) => minutes(a.from) < minutes(b.to) && minutes(b.from) < minutes(a.to));
      // The start is the culprit when it lies inside the other range; otherwise the end reaches into it.
      if (a) ctx.addIssue({ code: "custom", message: "alliance.hours.overlap", path: ["slots", j, minutes(b.from) >= minutes(a.from) ? "from" : "to"] });
    });
  });

/* ------------------------------------------------------------------ the form */

const TICKED = new Set(["yes", "on", "true", "1"]);
/**
 * Reads what a person typed. Browsers with a time picker send "HH:MM" (or "HH:MM:SS" with a step);
 * where the field falls back to text, Germans type "8", "8.30" or "8:30 Uhr", so those are accepted too.
 * Returns null for an empty field, undefined for one we cannot read.
 */
function readTime(raw: unknown, end: boolean): string | null | undefined {
  const v: unknown = Array.isArray(raw) ? raw[0] : raw;
  if (v === undefined || v === null || (typeof v === "string" && v.trim() === "")) return null;
  if (typeof v !== "string") return undefined;
  const m = /^(\d{1,2})(?:[:.]([0-5]\d)(?::[0-5]\d)?)?(?:\s*uhr)?$/i.exec(v.trim());
  if (!m) return undefined;
  const [hour, minute] = [Number(m[1]), m[2] ?? "00"];
  // "until 00:00" means until midnight: the end of the day, not its start.
  if (end && hour === 0 && minute === "00") return "24:00";
  if (hour > 24 || (hour === 24 && (!end || minute !== "00"))) return undefined;
  return `${String(hour).padStart(2, "0")}:${minute}`;
}

export type HoursFormResult = { ok: true; hours: OpeningHours } | { ok: false; errors: Record<string, HoursErrorKey> };

/**
 * Reads the hours fieldset: the checkbox `alwaysOpen` and per day `mo_from_1`, `mo_to_1`, `mo_from_2`,
 * `mo_to_2` … `so_to_2`. Each error is keyed by the field the user has to fix; all errors come at once.
 * Nothing filled in and the box not ticked is valid: the hours are not known.
 */
export function parseHoursForm(fields: Record<string, unknown>): HoursFormResult {
  const alwaysOpen = [fields.alwaysOpen].flat().some((v) => v === true || (typeof v === "string" && TICKED.has(v.toLowerCase())));
  if (alwaysOpen) {
    // Times typed next to "24/7" would be thrown away without a word: ask which is meant.
    const typed = HOURS_DAYS.some((d) =>
      [1, 2].some((n) => [`${d}_from_${n}`, `${d}_to_${n}`].some((k) => [fields[k]].flat().some((v) => typeof v === "string" && v.trim() !== ""))),
    );
    return typed ? { ok: false, errors: { alwaysOpen: "alliance.hours.alwaysOpenWithSlots" } } : { ok: true, hours: { alwaysOpen: true, slots: [] } };
  }

  const errors: Record<string, HoursErrorKey> = {};
  const slots: HoursSlot[] = [];
  const names: { from: string; to: string }[] = [];
  HOURS_DAYS.forEach((d, i) => {
    for (let n = 1; n <= RANGES_PER_DAY; n++) {
      const name = { from: `${d}_from_${n}`, to: `${d}_to_${n}` };
      const from = readTime(fields[name.from], false);
      const to = readTime(fields[name.to], true);
      if (from === null && to === null) continue;
      if (!from) errors[name.from] = from === null ? "alliance.hours.incomplete" : "alliance.hours.invalidTime";
      if (!to) errors[name.to] = to === null ? "alliance.hours.incomplete" : "alliance.hours.invalidTime";
      if (from && to) {
        slots.push({ day: (i + 1) as Weekday, from, to });
        names.push(name);
      }
    }
  });

  // The ordering rules live in the schema only; its issues are mapped back onto the form's fields.
  const checked = openingHoursSchema.safeParse({ alwaysOpen: false, slots });
  for (const issue of checked.success ? [] : checked.error.issues) {
    const [, index, field] = issue.path;
    const name = typeof index === "number" && (field === "from" || field === "to") ? names[index][field] : undefined;
    if (name && !errors[name]) errors[name] = issue.message as HoursErrorKey;
  }
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  slots.sort((a, b) => a.day - b.day || minutes(a.from) - minutes(b.from));
  return { ok: true, hours: { alwaysOpen: false, slots } };
}

/** The form's values for stored hours (every field present, empty where nothing is set): parseHoursForm's inverse. */
export function hoursFormValues(hours: OpeningHours): Record<string, string> {
  const values: Record<string, string> = { alwaysOpen: hours.alwaysOpen ? "yes" : "" };
  HOURS_DAYS.forEach((d, i) => {
    const ranges = rangesOn(hours, i + 1);
    for (let n = 1; n <= RANGES_PER_DAY; n++) {
      values[`${d}_from_${n}`] = ranges[n - 1]?.from ?? "";
      values[`${d}_to_${n}`] = ranges[n - 1]?.to ?? "";
    }
  });
  return values;
}

/* ------------------------------------------------------------------ open now, and for display */

// en-GB parts are stable to read; h23 because some engines print midnight as "24" with hour12: false.
const BERLIN = dateFormat("en-GB", { timeZone: "Europe/Berlin", weekday: "short", hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
const WEEKDAY: Record<string, Weekday> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 };

/** Whether the partner is open at that instant, in Berlin local time (a municipality's hours follow its clocks). */
export function isOpenAt(hours: OpeningHours, at: Date): boolean {
  if (hours.alwaysOpen) return true;
  const parts = Object.fromEntries(BERLIN.formatToParts(at).map((p) => [p.type, p.value]));
  const day = WEEKDAY[parts.weekday];
  const now = Number(parts.hour) * 60 + Number(parts.minute);
  return hours.slots.some((s) => s.day === day && minutes(s.from) <= now && now < minutes(s.to));
}

export interface HoursLine {
  /** "Mo–Fr", "Sa", in the reader's language. */
  days: string;
  /** "08:00–12:00, 13:00–16:00"; digits and dashes, so show it left to right in Arabic too. */
  ranges: string;
  /** Set on the single line describeHours gives for round-the-clock service: say "24/7" in the reader's words. */
  alwaysOpen: boolean;
}

const dayText = (ranges: HoursSlot[]) => ranges.map((s) => `${s.from}–${s.to}`).join(", ");

/** Short weekday names, Monday first; 2024-01-01 was a Monday. A malformed locale tag throws (RangeError). */
function weekdayNames(locale: string): string[] {
  const format = dateFormat(locale, { weekday: "short", timeZone: "UTC" });
  return HOURS_DAYS.map((_, i) => format.format(new Date(Date.UTC(2024, 0, 1 + i))));
}

/**
 * One line per run of consecutive days with the same ranges, Monday first; closed days are left out.
 * No hours known gives no lines.
 */
export function describeHours(hours: OpeningHours, locale: string): HoursLine[] {
  const names = weekdayNames(locale);
  if (hours.alwaysOpen) return [{ days: `${names[0]}–${names[6]}`, ranges: "00:00–24:00", alwaysOpen: true }];
  const perDay = HOURS_DAYS.map((_, i) => dayText(rangesOn(hours, i + 1)));
  const lines: HoursLine[] = [];
  for (let start = 0; start < 7; ) {
    let end = start;
    while (end + 1 < 7 && perDay[end + 1] === perDay[start]) end++;
    if (perDay[start] !== "") lines.push({ days: start === end ? names[start] : `${names[start]}–${names[end]}`, ranges: perDay[start], alwaysOpen: false });
    start = end + 1;
  }
  return lines;
}
