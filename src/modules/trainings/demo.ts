import { and, eq } from "drizzle-orm";
import type { Actor, Role } from "../../platform/authz/policy.ts";
import { berlinDate, berlinInstant } from "../../platform/calendar.ts";
import { withTenant } from "../../platform/db/client.ts";
import type { DemoContext } from "../../platform/module.ts";
import type { Platform } from "../../platform/platform.ts";
import { createFormat, type FormatInput } from "./catalog.ts";
import { askForCoaching, coachingById, takeCoaching, writeCoaching } from "./coaching.ts";
import { joinRoom, openRoom, roomById } from "./counsel.ts";
import { castRoles } from "./counsel-session.ts";
import { answerNeeds, closeNeedsRound, openNeedsRound } from "./needs.ts";
import { giveFeedback, recordAttendance, register, roster } from "./participation.ts";
import { trainingSessions } from "./schema.ts";
import { scheduleSession } from "./session-commands.ts";
import { sessionById } from "./sessions.ts";

/*
 * The demo trainings: the national level's catalog of four formats and Musterstadt's own format
 * (led by its demo trainer). A national session is coming up with Musterstadt's people registered;
 * Musterstadt's own upcoming session is full with one person waiting; one of its sessions took
 * place ten days ago, with attendance taken and feedback from everyone who came (results shown).
 * Its people answered a needs assessment that has ended (results shown: de-escalation first).
 * Its leader asked Musterstadt's trainer for coaching (taken, with a first message) and the
 * national level's coaches too (waiting). A collegial case counselling is being set up: five of
 * Musterstadt's people have joined and some roles are cast; colleagues from other municipalities
 * are still to join through its link.
 */

const NATIONAL_FORMATS: FormatInput[] = [
  {
    title: "Diskriminierungssensibel führen",
    summary:
      "Wie Führungskräfte Beschäftigte stärken, die angefeindet werden: zuhören, Rückhalt zeigen, Schritte veranlassen (Strafantrag, Schutz, Beratung) und im Team über Rassismus sprechen.\n\nMit Fallbeispielen aus Modellkommunen und dem Ablauf des Clearingverfahrens.",
    topics: ["leadership", "racism_critical"],
    audience: "leaders",
    minutes: 360,
    mode: "on_site",
    trainerName: "Projektteam KommA",
    dimensions: ["training", "clearing"],
    practiceIds: [],
  },
  {
    title: "Deeskalation im Publikumsverkehr",
    summary:
      "Was tun, wenn es am Tresen, am Telefon oder im Außendienst bedrohlich wird: Anzeichen erkennen, Abstand schaffen, Hilfe holen, Hausrecht nutzen – und danach dokumentieren und melden.",
    topics: ["deescalation", "self_care"],
    audience: "public_contact",
    minutes: 240,
    mode: "on_site",
    trainerName: "Projektteam KommA",
    dimensions: ["training"],
    practiceIds: [],
  },
  {
    title: "Hass im Netz: Beweise sichern und anzeigen",
    summary:
      "Beleidigungen und Drohungen in sozialen Netzwerken und per E-Mail gerichtsfest sichern (Screenshot mit URL und Zeit), bei der Plattform melden und über die Meldestelle anzeigen.",
    topics: ["online_hate", "evidence"],
    audience: "all_staff",
    minutes: 120,
    mode: "online",
    trainerName: "Projektteam KommA",
    dimensions: ["clearing", "communication"],
    practiceIds: [],
  },
  {
    title: "Rassismuskritische Verwaltung",
    summary: "Wo Abläufe, Formulare und Sprache der Verwaltung ausschließen – und wie ein Team das gemeinsam erkennt und ändert.",
    topics: ["racism_critical"],
    audience: "all_staff",
    minutes: 480,
    mode: "hybrid",
    trainerName: "Projektteam KommA",
    dimensions: ["strategy", "participation"],
    practiceIds: [],
  },
];

const LOCAL_FORMAT: FormatInput = {
  title: "Sicher am Tresen des Bürgerbüros",
  summary:
    "Ein Halbtag für das Team des Bürgerbüros: Deeskalation an unseren Schaltern, der Notfallknopf, wer im Haus hilft und wie Vorfälle über die Meldestelle gemeldet werden.",
  topics: ["deescalation", "evidence"],
  audience: "public_contact",
  minutes: 180,
  mode: "on_site",
  trainerName: "Mika Trainingsbeispiel",
  dimensions: ["training", "clearing"],
  practiceIds: [],
};

export async function seedDemoTrainings(platform: Platform, context: DemoContext): Promise<void> {
  const musterstadt = context.tenants.get("musterstadt");
  if (!musterstadt) return;
  const nationalId = platform.nationalTenant.id;
  const person = (email: string, tenantId: string, role: Role): Actor | null => {
    const id = context.users.get(`${email}@demo.example`);
    return id ? { userId: id, memberships: [{ tenantId, role }], nationalTenantId: nationalId } : null;
  };
  const nationalAdmin = person("admin", nationalId, "national_admin");
  const localAdmin = person("verwaltung", musterstadt.id, "municipal_admin");
  const trainer = person("training", musterstadt.id, "trainer");
  const learners = [
    person("fuehrung", musterstadt.id, "leader"),
    person("mitarbeit", musterstadt.id, "staff"),
    person("clearing", musterstadt.id, "clearing_officer"),
    person("clearing2", musterstadt.id, "clearing_officer"),
  ].filter((a): a is Actor => a !== null);
  if (!nationalAdmin || !localAdmin || !trainer || learners.length < 4) return;

  const national = { id: nationalId, kind: "national" as const, name: platform.nationalTenant.name };
  const local = { id: musterstadt.id, kind: musterstadt.kind, name: musterstadt.name };
  const asNational = { viewerTenantId: nationalId, viewerKind: "national" as const };
  const asLocal = { viewerTenantId: musterstadt.id, viewerKind: musterstadt.kind };

  const nationalFormats: string[] = [];
  for (const f of NATIONAL_FORMATS) nationalFormats.push(await createFormat(platform, nationalAdmin, national, asNational, f));
  const localFormat = await createFormat(platform, localAdmin, local, asLocal, LOCAL_FORMAT);

  const now = platform.clock.now();
  /** A working day about `days` from now (a weekend moves to the Monday after or the Friday before). */
  const at = (days: number, from: string, to: string) => {
    const weekday = new Date(`${berlinDate(now, days)}T12:00:00Z`).getUTCDay();
    const shift = weekday === 6 ? (days < 0 ? -1 : 2) : weekday === 0 ? (days < 0 ? -2 : 1) : 0;
    const day = berlinDate(now, days + shift);
    return { startsAt: berlinInstant(day, from), endsAt: berlinInstant(day, to) };
  };

  // The national level's sessions: leadership in three weeks (two of Musterstadt's registered), online hate next month.
  const leadership = await scheduleSession(platform, nationalAdmin, national, asNational, nationalFormats[0], {
    ...at(21, "09:00", "15:00"),
    place: "Tagungszentrum am Stadtpark, Raum 2, Parkallee 1, 10001 Musterhausen",
    onlineLink: null,
    seats: 20,
    trainerId: null,
  });
  await scheduleSession(platform, nationalAdmin, national, asNational, nationalFormats[2], {
    ...at(35, "10:00", "12:00"),
    place: "",
    onlineLink: "https://video.example/komma-hass-im-netz",
    seats: 40,
    trainerId: null,
  });
  for (const learner of learners.slice(0, 2)) {
    const view = await sessionById(platform, learner, local, asLocal, leadership);
    await register(platform, learner, musterstadt.id, view);
  }

  // Musterstadt's own session next week: two seats, three people — the third waits.
  const counter = await scheduleSession(platform, localAdmin, local, asLocal, localFormat, {
    ...at(7, "13:00", "16:00"),
    place: "Bürgerbüro, Besprechungsraum 1.12",
    onlineLink: null,
    seats: 2,
    trainerId: trainer.userId,
  });
  for (const learner of [learners[1], learners[2], learners[3]]) {
    const view = await sessionById(platform, learner, local, asLocal, counter);
    await register(platform, learner, musterstadt.id, view);
  }

  // And one ten days ago: four came, all four gave feedback.
  const past = await scheduleSession(platform, localAdmin, local, asLocal, localFormat, {
    ...at(1, "09:00", "12:00"),
    place: "Bürgerbüro, Besprechungsraum 1.12",
    onlineLink: null,
    seats: 12,
    trainerId: trainer.userId,
  });
  for (const learner of learners) await register(platform, learner, musterstadt.id, await sessionById(platform, learner, local, asLocal, past));
  const then = at(-10, "09:00", "12:00");
  await withTenant(platform.db, musterstadt.id, (tx) =>
    tx
      .update(trainingSessions)
      .set({ ...then, remindedAt: then.startsAt })
      .where(and(eq(trainingSessions.tenantId, musterstadt.id), eq(trainingSessions.id, past))),
  );
  const pastView = await sessionById(platform, trainer, local, asLocal, past);
  const people = await roster(platform, trainer, pastView);
  await recordAttendance(
    platform,
    trainer,
    pastView,
    people.map((p) => p.id),
  );
  const answers = [
    { overall: "5", useful: "yes", confident: "rather_yes", pace: "right", recommend: "yes" },
    { overall: "4", useful: "yes", confident: "yes", pace: "right", recommend: "yes" },
    { overall: "4", useful: "rather_yes", confident: "rather_yes", pace: "too_fast", recommend: "yes" },
    { overall: "3", useful: "rather_yes", confident: "rather_no", pace: "right", recommend: "no" },
  ];
  for (const [i, learner] of learners.entries()) await giveFeedback(platform, learner, await sessionById(platform, learner, local, asLocal, past), answers[i]);

  // The needs assessment: five answered, then it ended.
  const round = await openNeedsRound(platform, localAdmin, local, {
    title: `Trainingsbedarf ${berlinDate(now).slice(0, 4)}`,
    closesAt: new Date(now.getTime() + 7 * 86_400_000),
  });
  const needs: {
    area: "citizen_service" | "leadership" | "internal";
    conf: Record<string, string>;
    wishes: ("deescalation" | "evidence" | "leadership" | "online_hate")[];
  }[] = [
    { area: "citizen_service", conf: { counter: "1", online: "3", evidence: "2" }, wishes: ["deescalation", "evidence"] },
    { area: "leadership", conf: { counter: "2", support: "2", racism: "2" }, wishes: ["deescalation", "leadership"] },
    { area: "citizen_service", conf: { counter: "2", online: "2" }, wishes: ["deescalation"] },
    { area: "internal", conf: { counter: "1", racism: "3", evidence: "1" }, wishes: ["deescalation", "online_hate"] },
  ];
  const respondents = [localAdmin, ...learners];
  for (const [i, person] of respondents.entries()) {
    const n = needs[i % needs.length];
    await answerNeeds(platform, person, local, round, {
      area: n.area,
      experience: i % 2 === 0 ? "several" : "once",
      confidence: n.conf,
      wishes: [...n.wishes],
      mode: "either",
    });
  }
  await closeNeedsRound(platform, localAdmin, local, round);

  // Coaching: the leader asked the municipality's trainer (taken, answered) and the national level (waiting).
  const leader = learners[0];
  const asked = await askForCoaching(platform, leader, local, {
    route: "local",
    topic: "leadership",
    urgent: false,
    body: "Zwei Kolleginnen aus dem Bürgerbüro wurden in den letzten Wochen mehrfach beschimpft. Wie spreche ich das im Team an, ohne sie bloßzustellen?",
    contact: "Telefon 01234 5678-10, dienstags und donnerstags vormittags",
  });
  const request = await coachingById(platform, trainer, local, asked);
  await takeCoaching(platform, trainer, request.summary);
  const taken = await coachingById(platform, trainer, local, asked);
  await writeCoaching(platform, trainer, taken.summary, "Gern. Passt Ihnen ein Gespräch am Donnerstag um 10 Uhr? Ich rufe Sie an.");
  await askForCoaching(platform, leader, local, {
    route: "national",
    topic: "self_care",
    urgent: true,
    body: "Seit einem Zeitungsbericht erhalte ich Drohmails. Ich möchte wissen, wie andere Führungskräfte damit umgehen.",
    contact: "Online-Termin, gern nachmittags",
  });

  // A collegial case counselling being set up: five have joined, three roles are cast.
  const { id: roomId, token } = await openRoom(platform, leader, local, { title: "Fallberatung Bürgerbüros", startsAt: at(9, "14:00", "16:00").startsAt });
  for (const person of [localAdmin, ...learners.slice(1)]) await joinRoom(platform, person, local, token);
  const room = await roomById(platform, leader, roomId);
  const ids = room.members.map((m) => m.userId);
  await castRoles(platform, leader, room, {
    [ids[0]]: "moderator",
    [ids[1]]: "presenter",
    [ids[2]]: "notetaker",
    [ids[3]]: "consultant",
    [ids[4]]: "consultant",
  });
}
