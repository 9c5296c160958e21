import { berlinDate, berlinInstant } from "../../platform/calendar.ts";
import { demoPlatformAt } from "../../platform/demo.ts";
import type { DemoContext } from "../../platform/module.ts";
import type { Platform } from "../../platform/platform.ts";
import { createReport, type TenantInfo } from "./commands.ts";
import { addMessage } from "./mailbox.ts";
import type { DraftAnswers } from "./schemas.ts";

/*
 * Demo reports for Musterstadt: fictional people and events, no real place tied to an incident.
 * Named, confidential and anonymous; through the web, by phone and by letter; one reporting acute
 * danger; one anonymous reporter who has written back in the mailbox.
 */

const DEMO_REPORTS: { answers: DraftAnswers; channel: "web" | "phone" | "letter"; reply?: string }[] = [
  {
    channel: "web",
    answers: {
      mode: "anonymous",
      reporterRole: "affected",
      immediateDanger: "yes",
      description: "Seit drei Tagen steht abends ein Mann vor meinem Haus und ruft, er wisse, wo meine Kinder zur Schule gehen.",
      forms: ["threat", "harassment"],
      motives: ["racist"],
      place: "private_home",
      affectedFunction: "elected_member",
    },
  },
  {
    channel: "web",
    answers: {
      mode: "anonymous",
      reporterRole: "affected",
      description: "Nach meiner Rede im Ausschuss kamen Dutzende Kommentare mit rassistischen Beleidigungen unter dem Video der Stadt.",
      forms: ["insult", "incitement"],
      motives: ["racist", "right_wing_extremist"],
      place: "online",
      onlineUrl: "https://soziales-netzwerk.example/video/ausschuss",
      affectedFunction: "elected_member",
    },
    reply: "Ich habe Screenshots gemacht, bevor einige Kommentare gelöscht wurden. Soll ich sie hochladen?",
  },
  {
    channel: "web",
    answers: {
      mode: "named",
      reporterRole: "colleague",
      contactName: "Toni Beispielkollegin",
      contactEmail: "toni.beispiel@musterstadt.example",
      description: "Am Bürgerbüro wurde eine Kollegin mit Migrationsgeschichte beschimpft und der Besucher schlug gegen die Scheibe.",
      forms: ["insult", "property_damage"],
      motives: ["racist"],
      place: "town_hall",
      affectedFunction: "staff",
    },
  },
  {
    channel: "phone",
    answers: {
      mode: "confidential",
      reporterRole: "affected",
      contactName: "Chris Vertraulich",
      contactPhone: "0611 000000",
      description: "Anruf im Sekretariat: Der Bürgermeister solle „aufpassen“, man wisse, wann er nach Hause gehe.",
      forms: ["threat"],
      motives: ["other"],
      place: "phone",
      affectedFunction: "office_holder",
    },
  },
  {
    channel: "letter",
    answers: {
      mode: "anonymous",
      reporterRole: "witness",
      description: "Im Briefkasten des Rathauses lag ein Brief mit antisemitischen Parolen, adressiert an die Gleichstellungsbeauftragte.",
      forms: ["incitement"],
      motives: ["antisemitic"],
      place: "letter",
      affectedFunction: "staff",
    },
  },
];

/** When each demo report arrived (in the order above), days ago at a time of day in Berlin: the inbox shows a week of work, not one minute. */
const ARRIVED = [
  { daysAgo: 6, time: "07:40" },
  { daysAgo: 5, time: "21:15" },
  { daysAgo: 4, time: "11:05" },
  { daysAgo: 3, time: "09:20" },
  { daysAgo: 1, time: "16:50" },
];

export async function seedDemoReports(platform: Platform, context: DemoContext): Promise<void> {
  const musterstadt = context.tenants.get("musterstadt");
  if (!musterstadt) return;
  const tenant: TenantInfo = musterstadt;
  const officer = context.users.get("clearing@demo.example") ?? null;
  const now = platform.clock.now();
  for (const [i, r] of DEMO_REPORTS.entries()) {
    const { daysAgo, time } = ARRIVED[i] ?? { daysAgo: 0, time: "08:00" };
    // Hours from now to the arrival (negative): what follows on it is dated from there.
    const arrived = (berlinInstant(berlinDate(now, -daysAgo), time).getTime() - now.getTime()) / 3_600_000;
    const created = await createReport(demoPlatformAt(platform, now, arrived), tenant, {
      answers: { ...r.answers, mailbox: r.answers.mode === "anonymous" ? undefined : r.answers.mailbox },
      lang: "de",
      channel: r.channel,
      enteredBy: r.channel === "web" ? null : officer,
    });
    if (r.reply) {
      await platform.domainEvents.idle();
      if (officer)
        await addMessage(
          demoPlatformAt(platform, now, arrived + 12),
          tenant,
          created.id,
          { kind: "office", userId: officer },
          "Danke für Ihre Meldung. Wir sehen uns das heute an.",
        );
      await addMessage(demoPlatformAt(platform, now, arrived + 22), tenant, created.id, { kind: "reporter" }, r.reply);
    }
  }
}
