import { and, eq } from "drizzle-orm";
import { systemActor } from "../../platform/authz/policy.ts";
import { berlinDate } from "../../platform/calendar.ts";
import { type Db, withTenant } from "../../platform/db/client.ts";
import { tenants } from "../../platform/db/schema.ts";
import { checkUpload, DOCUMENT_TYPES } from "../../platform/files/files.ts";
import type { DemoContext } from "../../platform/module.ts";
import { renderFlow } from "../../platform/pdf/flow.ts";
import type { Platform } from "../../platform/platform.ts";
import { INCIDENT_FORMS, PERCEIVED_MOTIVES } from "../../platform/vocabulary.ts";
import { keepSource, replaceSource } from "./activity.ts";
import { addBoardDocument } from "./board.ts";
import { releaseOnce, releaseUnderWay } from "./rebuild.ts";
import { type Contribution, changeRecords, type RecordChange, type StatRecord } from "./records.ts";
import { statisticsSources } from "./schema.ts";

/*
 * The demo's history: statistics records for every demo municipality from January of last year
 * to this month, as if their cases had been worked and deleted long since — categories and
 * figures only, drawn from a fixed seed, so that the national picture and each municipality's
 * own have figures to show (with some withheld, as real small numbers would be); and their
 * trainings, latest self-assessments and adoptions for the national picture. Musterstadt's demo
 * cases, trainings and self-assessment add theirs through their modules' events.
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

const TOPICS = ["leadership", "deescalation", "online_hate", "racism_critical", "evidence", "self_care"];
const FIELDS = ["alliance", "strategy", "clearing", "training", "communication", "participation"];

/**
 * A municipality's trainings (people trained by role and topic, some months), its latest
 * self-assessment (unless it took one in the demo already) and a few adoptions of practices. The
 * sessions of all months are booked as one source, and so are the adoptions: the figures are the
 * same sums, written in a few statements instead of one round per month.
 */
async function seedActivity(
  tx: Db,
  tenant: { id: string; kind: string },
  months: string[],
  next: () => number,
  pick: <T>(list: readonly T[]) => T,
  now: Date,
): Promise<void> {
  const [facts] = await tx.select({ land: tenants.land }).from(tenants).where(eq(tenants.id, tenant.id));
  const base = { land: facts?.land ?? "", kind: tenant.kind, sum: 0 };
  const trained: Contribution[] = [];
  for (const month of months) {
    if (next() > (tenant.kind === "model" ? 0.5 : 0.2)) continue;
    const topics = [...new Set([pick(TOPICS), pick(TOPICS)])];
    const reach: [string, number][] = [
      ["staff", 3 + Math.floor(next() * 10)],
      ["leader", 1 + Math.floor(next() * 4)],
      ...(next() < 0.3 ? [["clearing_officer", 1 + Math.floor(next() * 2)] as [string, number]] : []),
    ];
    trained.push(
      ...reach.flatMap(([role, count]) => [
        { ...base, month, dimension: "training_reach" as const, code: role, count },
        ...topics.map((topic) => ({ ...base, month, dimension: "training_topic" as const, code: topic, count })),
      ]),
    );
  }
  if (trained.length > 0) {
    // As a training does (`activity.ts`): the sessions add to the national figures, naming the
    // municipality their people come from (so that its share of them is protected), and the
    // municipality keeps its own share for its page.
    await replaceSource(
      tx,
      tenant.id,
      "session:demo",
      trained.map((c) => ({ ...c, tenantId: tenant.id })),
      { month: months[0], at: now },
    );
    await keepSource(tx, tenant.id, "reach:demo", trained, now);
  }
  const [taken] = await tx
    .select({ source: statisticsSources.source })
    .from(statisticsSources)
    .where(and(eq(statisticsSources.tenantId, tenant.id), eq(statisticsSources.source, "assessment")));
  // A model municipality works on its strategy with the project and assesses itself each quarter,
  // a little further each time; another does so once in a while. With one self-assessment per
  // model municipality in ten months, a kind's quarter held one or two, and protecting them
  // withheld every national figure of the self-assessments.
  const assessed =
    tenant.kind === "model" ? quarterMonths(months.slice(-12)).map((quarter) => pick(quarter)) : [months[months.length - 1 - Math.floor(next() * 10)]];
  for (const [i, month] of (taken ? [] : assessed).entries()) {
    const level = (tenant.kind === "model" ? 45 : 30) + 5 * i;
    // As a new self-assessment does: it takes the place of the one before from its month on.
    await replaceSource(
      tx,
      tenant.id,
      "assessment",
      FIELDS.map((field) => ({
        ...base,
        month,
        dimension: "strategy_score" as const,
        code: field,
        count: 1,
        sum: Math.min(100, level + Math.floor(next() * 40)),
      })),
      { month, at: now },
    );
  }
  // Practices travel from the model municipalities to the others: most take over a few a year.
  const adoptions = tenant.kind === "model" ? Math.floor(next() * 3) : 2 + Math.floor(next() * 6);
  const adopted = Array.from({ length: adoptions }, () => ({ ...base, month: pick(months), dimension: "adoption" as const, code: "all", count: 1 }));
  if (adopted.length > 0) await replaceSource(tx, tenant.id, "adoption:demo", adopted, { month: months[0], at: now });
}

/** Months ("2026-04-01") grouped by their quarter, in order. */
function quarterMonths(months: readonly string[]): string[][] {
  const quarters = new Map<string, string[]>();
  for (const month of months) {
    const key = `${month.slice(0, 4)}-${Math.floor((Number(month.slice(5, 7)) - 1) / 3)}`;
    quarters.set(key, [...(quarters.get(key) ?? []), month]);
  }
  return [...quarters.values()];
}

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
    for (const [m, month] of months.entries()) {
      // The month under way has only the days so far.
      const part = month === months[months.length - 1] ? Number(today.slice(8, 10)) / 30 : 1;
      const count = Math.floor(next() * (perMonth * 2 + 1) * part);
      for (let i = 0; i < count; i++) {
        const recent = month >= months[months.length - 2];
        const closed = !recent || next() < 0.4;
        const forms = [pick(INCIDENT_FORMS.slice(0, 6)), ...(next() < 0.2 ? [pick(INCIDENT_FORMS)] : [])];
        // Mostly the eight most named motives; now and then any other as well, so that none is missing from the whole country's year.
        const motives = [
          pick(PERCEIVED_MOTIVES.slice(0, 8)),
          ...(next() < 0.15 ? ["right_wing_extremist"] : []),
          ...(next() < 0.12 ? [pick(PERCEIVED_MOTIVES)] : []),
        ];
        const level = Math.min(3, Math.floor(next() * next() * 4));
        const score = () => Math.min(5, 2 + Math.floor(next() * 3.6 + (month.slice(0, 4) === String(thisYear) ? 0.4 : 0)));
        const answered = closed && next() < 0.6;
        // Some cases close in the month after their report; the feedback comes with the closing.
        const closedMonth = closed ? (m + 1 < months.length && next() < 0.3 ? months[m + 1] : month) : null;
        // A Strafantrag is decided where the threat was grave; almost always filed in its period.
        const strafantrag = closed && level >= 2 ? (next() < 0.85 ? "in_time" : next() < 0.5 ? "late" : "not_filed") : null;
        const record: StatRecord = {
          state: closed ? "closed" : "open",
          openedMonth: month,
          closedMonth,
          feedbackMonth: answered ? closedMonth : null,
          land: null,
          tenantKind: tenant.kind,
          channel: pick(CHANNELS),
          mode: pick(["named", "named", "confidential", "anonymous"]),
          forms: [...new Set(forms)],
          motives: [...new Set(motives)],
          place: pick(PLACES),
          affectedFunction: pick(FUNCTIONS),
          level,
          // A Strafantrag is a measure done exactly where one was filed (in time or late), as a case's tasks make it.
          measures: closed
            ? [
                ...new Set([
                  pick(MEASURES.filter((m) => m !== "strafantrag")),
                  ...(level >= 2 ? ["alarm_plan", "criminal_complaint"] : []),
                  ...(strafantrag === "in_time" || strafantrag === "late" ? ["strafantrag"] : []),
                ]),
              ]
            : [],
          firstResponseMinutes: closed ? Math.floor(60 + next() * 4000) : null,
          respondedInTime: closed ? (next() < 0.82 ? "in_time" : "late") : null,
          strafantrag,
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
    await withTenant(platform.db, tenant.id, async (tx) => {
      await changeRecords(tx, tenant.id, changes, now);
      await seedActivity(tx, tenant, months, next, pick, now);
    });
  }
  if (n === 0) throw new Error("demo figures: no municipality");
  await seedBoardPaper(platform);
}

/**
 * The national figures as released at the start of this month, and each municipality's own:
 * protecting a sparse year takes minutes, so `serve --demo` makes the release once it answers
 * (and the rollup job would, at its first run, where the demo was seeded from the command line).
 */
export async function releaseDemoFigures(platform: Pick<Platform, "db" | "clock">): Promise<void> {
  if (await releaseOnce(platform.db, platform.clock)) return;
  // The schedule's run began one first (this start's work was slower to begin): done when that one is, as the console says.
  while (await releaseUnderWay(platform.db, platform.clock.now())) await new Promise((r) => setTimeout(r, 5_000));
}

/** Three weeks on, or the next working day after (a board does not meet at a weekend or between the holidays). */
function meetingDay(now: Date): string {
  for (let days = 21; ; days++) {
    const day = berlinDate(now, days);
    const weekday = new Date(`${day}T12:00:00Z`).getUTCDay();
    if (weekday !== 0 && weekday !== 6 && !/-12-(2[4-9]|3[01])$|-01-01$/.test(day)) return day;
  }
}

/** The advisory board's next meeting with its agenda, put in by the national team. */
async function seedBoardPaper(platform: Platform): Promise<void> {
  const national = platform.nationalTenant.id;
  const bytes = await renderFlow({
    title: "Tagesordnung der Sitzung des Projektbeirats",
    lang: "de",
    direction: "ltr",
    blocks: [
      { type: "H1", text: "Tagesordnung der Sitzung des Projektbeirats", style: { size: 16, bold: true, after: 8 } },
      {
        type: "L",
        items: [
          "Begrüßung und Protokoll der letzten Sitzung",
          "Lagebild des Jahres: Vorfälle, Reaktionszeiten, Rückmeldungen der Betroffenen",
          "Bericht aus den Modellkommunen: Allianzen und Clearingstellen",
          "Trainings und kollegiale Fallberatung: Reichweite und Bedarf",
          "Verschiedenes",
        ].map((text) => ({ text, style: { size: 11, after: 4 } })),
      },
    ],
  });
  const upload = await checkUpload({ name: "tagesordnung-beirat.pdf", bytes }, DOCUMENT_TYPES, 20 * 1024 * 1024);
  if ("problem" in upload) throw new Error(`demo board paper: ${upload.problem}`);
  await addBoardDocument(
    platform,
    systemActor(national),
    { id: national, kind: "national" },
    { title: "Tagesordnung", meetingOn: meetingDay(platform.clock.now()) },
    upload,
  );
}
