import { berlinDate } from "../../platform/calendar.ts";
import { withTenant } from "../../platform/db/client.ts";
import type { DemoContext } from "../../platform/module.ts";
import type { Platform } from "../../platform/platform.ts";
import { INCIDENT_FORMS, PERCEIVED_MOTIVES } from "../../platform/vocabulary.ts";
import { changeRecords, type RecordChange, type StatRecord } from "./records.ts";

/*
 * The demo's history: statistics records for every demo municipality from January of last year
 * to this month, as if their cases had been worked and deleted long since — categories and
 * figures only, drawn from a fixed seed, so that the national picture and each municipality's
 * own have figures to show (with some withheld, as real small numbers would be). Musterstadt's
 * demo cases add their own records through the clearing procedure's events.
 */

const PLACES = ["town_hall", "meeting", "field_work", "private_home", "phone", "letter", "email", "online", "online", "email"];
const FUNCTIONS = ["office_holder", "elected_member", "staff", "staff"];
const CHANNELS = ["web", "web", "web", "phone", "email", "letter", "in_person"];
const MEASURES = [
  "criminal_complaint",
  "strafantrag",
  "victim_support",
  "alarm_plan",
  "platform_notice",
  "house_ban",
  "psychosocial_support",
  "solidarity_statement",
];
const OUTCOMES = ["supported", "supported", "referred", "proceedings", "protected", "no_further_wish"];

/** A small fixed-seed generator: the same demo every time. */
function generator(seed: number) {
  let s = seed;
  const next = () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648;
  };
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)];
  return { next, pick };
}

export async function seedDemoFigures(platform: Platform, context: DemoContext): Promise<void> {
  const now = platform.clock.now();
  const today = berlinDate(now);
  const thisYear = Number(today.slice(0, 4));
  const lastMonth = Number(today.slice(5, 7)) - 1;
  const months: string[] = [];
  for (let y = thisYear - 1; y <= thisYear; y++)
    for (let m = 0; m < 12 && (y < thisYear || m <= lastMonth); m++) months.push(`${y}-${String(m + 1).padStart(2, "0")}-01`);
  const { next, pick } = generator(2026);
  let n = 0;
  for (const tenant of context.tenants.values()) {
    if (tenant.kind === "national") continue;
    const perMonth = tenant.kind === "model" ? 3 : 1;
    const changes: RecordChange[] = [];
    for (const month of months) {
      const count = Math.floor(next() * (perMonth * 2 + 1));
      for (let i = 0; i < count; i++) {
        const recent = month >= months[months.length - 2];
        const closed = !recent || next() < 0.4;
        const forms = [pick(INCIDENT_FORMS.slice(0, 6)), ...(next() < 0.2 ? [pick(INCIDENT_FORMS)] : [])];
        const motives = [pick(PERCEIVED_MOTIVES.slice(0, 8)), ...(next() < 0.15 ? ["right_wing_extremist"] : [])];
        const level = Math.min(3, Math.floor(next() * next() * 4));
        const score = () => Math.min(5, 2 + Math.floor(next() * 3.6 + (month.slice(0, 4) === String(thisYear) ? 0.4 : 0)));
        const answered = closed && next() < 0.6;
        const record: StatRecord = {
          state: closed ? "closed" : "open",
          openedMonth: month,
          closedMonth: closed ? month : null,
          land: null,
          tenantKind: tenant.kind,
          channel: pick(CHANNELS),
          mode: pick(["named", "named", "confidential", "anonymous"]),
          forms: [...new Set(forms)],
          motives: [...new Set(motives)],
          place: pick(PLACES),
          affectedFunction: pick(FUNCTIONS),
          level,
          measures: closed ? [...new Set([pick(MEASURES), ...(level >= 2 ? ["alarm_plan", "criminal_complaint"] : [])])] : [],
          firstResponseMinutes: closed ? Math.floor(60 + next() * 4000) : null,
          respondedInTime: closed ? (next() < 0.82 ? "in_time" : "late") : null,
          outcome: closed ? pick(OUTCOMES) : null,
          feedback: {
            supported: answered ? score() : null,
            superiors: answered && next() < 0.7 ? score() : null,
            colleagues: answered && next() < 0.7 ? score() : null,
            office: answered ? Math.min(5, score() + 1) : null,
            partners: answered && next() < 0.4 ? score() : null,
          },
        };
        changes.push({ caseId: crypto.randomUUID(), next: (_, t) => ({ ...record, land: t.land }) });
      }
    }
    n += changes.length;
    await withTenant(platform.db, tenant.id, (tx) => changeRecords(tx, tenant.id, changes, now));
  }
  if (n === 0) throw new Error("demo figures: no municipality");
}
