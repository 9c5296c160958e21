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
