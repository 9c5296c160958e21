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

/** The instant of a wall-clock date and time in Berlin (the offset taken at that very moment, so DST holds). */
export function berlinInstant(date: string, time: string): Date {
  const [y, mo, d] = date.split("-").map(Number);
  const [h, mi] = time.split(":").map(Number);
  const wall = Date.UTC(y, mo - 1, d, h, mi);
  const offsetAt = (instant: number) => {
    const parts = Object.fromEntries(
      new Intl.DateTimeFormat("en-GB", {
        timeZone: "Europe/Berlin",
        hourCycle: "h23",
        year: "numeric",
        month: "2-digit",
        day: "2-digit",
        hour: "2-digit",
        minute: "2-digit",
      })
        .formatToParts(new Date(instant))
        .map((p) => [p.type, p.value]),
    );
    return Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute)) - instant;
  };
  const first = wall - offsetAt(wall);
  return new Date(wall - offsetAt(first));
}
