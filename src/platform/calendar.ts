/*
 * Calendar dates where municipalities keep their office hours and deadlines: Europe/Berlin, as
 * "YYYY-MM-DD". Deadlines, reminders and access ends are days there, not instants.
 */

const DAY = 86_400_000;
/** Made once: a formatter takes longer to make than to use. */
const BERLIN_DAY = new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Berlin" });

/** The calendar date in Berlin of an instant, `days` days on. */
export function berlinDate(at: Date, days = 0): string {
  return BERLIN_DAY.format(new Date(at.getTime() + days * DAY));
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** A real calendar day written as YYYY-MM-DD (not 2026-02-30, not 2026-13-01). */
export function isCalendarDate(s: string): boolean {
  if (!ISO_DATE.test(s)) return false;
  const at = Date.parse(`${s}T00:00:00Z`);
  return !Number.isNaN(at) && new Date(at).toISOString().startsWith(s);
}

const BERLIN_HOUR = new Intl.DateTimeFormat("en-GB", { timeZone: "Europe/Berlin", hour: "2-digit", hourCycle: "h23" });

/** The instant a calendar day (YYYY-MM-DD, checked with `isCalendarDate`) ends in Berlin: midnight before the next day. */
export function endOfBerlinDay(day: string): Date {
  const nextUtcMidnight = Date.parse(`${day}T00:00:00Z`) + DAY;
  // At UTC midnight Berlin's clock shows 01 (winter) or 02 (summer): its offset in hours.
  const offsetHours = Number(BERLIN_HOUR.format(new Date(nextUtcMidnight)));
  return new Date(nextUtcMidnight - offsetHours * 3_600_000);
}

const BERLIN_WALL = new Intl.DateTimeFormat("en-GB", {
  timeZone: "Europe/Berlin",
  hourCycle: "h23",
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
  hour: "2-digit",
  minute: "2-digit",
});

/** The wall clock in Berlin at an instant: its date (YYYY-MM-DD) and time (HH:MM). */
export function berlinWallClock(at: Date): { date: string; time: string } {
  const parts = Object.fromEntries(BERLIN_WALL.formatToParts(at).map((p) => [p.type, p.value]));
  return { date: `${parts.year}-${parts.month}-${parts.day}`, time: `${parts.hour}:${parts.minute}` };
}

/** The instant of a wall-clock date and time in Berlin (the offset taken at that very moment, so DST holds). */
export function berlinInstant(date: string, time: string): Date {
  const asUtc = (d: string, t: string) => {
    const [y, mo, day] = d.split("-").map(Number);
    const [h, mi] = t.split(":").map(Number);
    return Date.UTC(y, mo - 1, day, h, mi);
  };
  const wall = asUtc(date, time);
  const offsetAt = (instant: number) => {
    const shown = berlinWallClock(new Date(instant));
    return asUtc(shown.date, shown.time) - instant;
  };
  const first = wall - offsetAt(wall);
  return new Date(wall - offsetAt(first));
}
