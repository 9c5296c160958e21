import { getHolidays } from "feiertagejs";
import type { LandCode } from "../../platform/vocabulary.ts";

/*
 * The legal deadlines of the clearing procedure, on calendar dates in Europe/Berlin ("YYYY-MM-DD").
 *
 * Strafantrag (§77b StGB), for each entitled person separately (the affected person; the superior
 * under §194 Abs. 3 StGB): the three months begin at the end of the day on which that person
 * learned of the act and of the perpetrator (§77b Abs. 2). They end at the end of the day of the
 * third month that has the same number as that day, or on the month's last day where it has no
 * such day (§188 Abs. 2, 3 BGB). An end on a Saturday, Sunday or public holiday of the Land moves
 * to the next working day (§77b Abs. 1 S. 2). While the perpetrator is unknown, it does not run.
 *
 * Auskunftssperre (§51 BMG): two years from the decision; its renewal is due eight weeks before.
 */

type Region = "SH" | "HH" | "NI" | "HB" | "NW" | "HE" | "RP" | "BW" | "BY" | "SL" | "BE" | "BB" | "MV" | "SN" | "ST" | "TH";

/** feiertagejs names the Länder by their two-letter abbreviation. */
const REGION: Record<LandCode, Region> = {
  "01": "SH",
  "02": "HH",
  "03": "NI",
  "04": "HB",
  "05": "NW",
  "06": "HE",
  "07": "RP",
  "08": "BW",
  "09": "BY",
  "10": "SL",
  "11": "BE",
  "12": "BB",
  "13": "MV",
  "14": "SN",
  "15": "ST",
  "16": "TH",
};

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY = 86_400_000;

function parse(date: string): Date {
  const m = DATE.exec(date);
  if (!m) throw new RangeError(`not a calendar date: ${date}`);
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  if (d.toISOString().slice(0, 10) !== date) throw new RangeError(`no such day: ${date}`);
  return d;
}
const format = (d: Date) => d.toISOString().slice(0, 10);
export const addDays = (date: string, days: number) => format(new Date(parse(date).getTime() + days * DAY));

const holidayCache = new Map<string, Set<string>>();
function holidays(year: number, land: LandCode): Set<string> {
  const key = `${land}-${year}`;
  let set = holidayCache.get(key);
  if (!set) {
    set = new Set(getHolidays(year, REGION[land]).map((h) => h.dateString));
    holidayCache.set(key, set);
  }
  return set;
}

/** Whether offices are open that day in the Land: not a Saturday, Sunday or public holiday there. */
export function isWorkingDay(date: string, land: LandCode): boolean {
  const d = parse(date);
  const weekday = d.getUTCDay();
  return weekday !== 0 && weekday !== 6 && !holidays(d.getUTCFullYear(), land).has(date);
}

/** The same day number `months` months later, or that month's last day where it has no such day. */
export function sameDayMonthsLater(date: string, months: number): string {
  const d = parse(date);
  const target = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + months, 1));
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(d.getUTCDate(), lastDay));
  return format(target);
}

export type StrafantragPeriod =
  | { state: "not_running" }
  | {
      state: "running";
      /** The day the entitled person learned of the act and the perpetrator. */
      knewOn: string;
      /** The last day an application is in time (to its end), after moving past weekends and holidays. */
      endsOn: string;
      /** Where the end would have been without moving it. */
      calendarEnd: string;
      /** The days the office is reminded: four weeks, two weeks, three days and one day before the end. */
      reminders: { daysBefore: number; on: string }[];
    };

export const STRAFANTRAG_REMINDERS = [28, 14, 3, 1] as const;

/** The three-month period for a Strafantrag of one entitled person; `knewOn` null: the perpetrator is not known yet. */
export function strafantragPeriod(knewOn: string | null, land: LandCode): StrafantragPeriod {
  if (knewOn === null) return { state: "not_running" };
  const calendarEnd = sameDayMonthsLater(knewOn, 3);
  let endsOn = calendarEnd;
  while (!isWorkingDay(endsOn, land)) endsOn = addDays(endsOn, 1);
  return {
    state: "running",
    knewOn,
    endsOn,
    calendarEnd,
    reminders: STRAFANTRAG_REMINDERS.map((daysBefore) => ({ daysBefore, on: addDays(endsOn, -daysBefore) })),
  };
}

/** How a running period stands on a day: days left (0 on the last day), or overdue. */
export function periodStatus(endsOn: string, today: string): { overdue: boolean; daysLeft: number } {
  const daysLeft = Math.round((parse(endsOn).getTime() - parse(today).getTime()) / DAY);
  return { overdue: daysLeft < 0, daysLeft };
}

/** An Auskunftssperre (§51 BMG) runs two years from the decision; renewal is due eight weeks before it ends. */
export function auskunftssperre(decidedOn: string): { endsOn: string; renewBy: string } {
  const endsOn = sameDayMonthsLater(decidedOn, 24);
  return { endsOn, renewBy: addDays(endsOn, -56) };
}
