import type { Actor } from "../../platform/authz/policy.ts";
import { berlinDate } from "../../platform/calendar.ts";
import { demoPlatformAt } from "../../platform/demo.ts";
import { translator } from "../../platform/i18n/i18n.ts";
import type { DemoContext } from "../../platform/module.ts";
import type { Platform } from "../../platform/platform.ts";
import { organisationOfAccount } from "../alliance/index.ts";
import { askReporter, feedbackInMailbox, recordAnswer } from "../reports/index.ts";
import { assessCase } from "./assessment.ts";
import { requestClosure } from "./closure.ts";
import { assignCase, inbox } from "./commands.ts";
import { DEFAULT_INBOX_QUERY } from "./inbox-query.ts";
import { shareWithLeader } from "./leaders.ts";
import { referCase } from "./referrals.ts";
import { placeHold } from "./retention.ts";
import { addTask, type TaskInput, updateTask } from "./tasks.ts";

/**
 * Demo cases in more than one state: the demo reports have opened their cases (report.received);
 * the oldest two are taken on by the two demo clearing officers, the rest wait for someone. The
 * threat at the town hall is assessed at level 2 (which alarms the office and the leader), the
 * insult with property damage at level 1, lowered from the proposal with a justification. The
 * online hate is closed, with the person's feedback; the threat by phone waits for a second
 * officer to release its closure.
 */
export async function seedDemoCases(platform: Platform, context: DemoContext): Promise<void> {
  const tenant = context.tenants.get("musterstadt");
  const jona = context.users.get("clearing@demo.example");
  const luca = context.users.get("clearing2@demo.example");
  if (!tenant || !jona || !luca) return;
  const actor = (userId: string): Actor => ({
    userId,
    memberships: [{ tenantId: tenant.id, role: "clearing_officer" }],
    nationalTenantId: platform.nationalTenant.id,
  });
  const oldestFirst = (await inbox(platform, actor(jona), tenant, { ...DEFAULT_INBOX_QUERY, view: "all", sort: "oldest" }, { officers: false })).rows;
  const [first, second, third, fourth] = oldestFirst;
  // Each case's steps are dated hours after it arrived (`demoPlatformAt`): the inbox and the course of a case read as a week of work.
  if (first) {
    const at = (hours: number) => demoPlatformAt(platform, first.openedAt, hours);
    await assignCase(at(0.5), actor(jona), tenant, first.number, jona);
    await assessCase(at(1), actor(jona), tenant, first.number, {
      form: "threat",
      criteria: ["direct", "privateAddressOrFamily", "seriesOrRepeatAggressor"],
      level: 2,
      justification: "",
    });
    // Measures with their legal deadlines: the affected person's Strafantrag runs, the superior's
    // waits for the perpetrator to be known; the register block was decided today.
    const today = berlinDate(at(2).clock.now());
    const daysAgo = (n: number) => berlinDate(platform.clock.now(), -n);
    const task = (input: Partial<TaskInput> & Pick<TaskInput, "measure">) =>
      addTask(at(2), actor(jona), tenant, first.number, { ownerId: null, dueOn: null, entitled: null, fromOn: null, note: "", ...input });
    await task({ measure: "criminal_complaint", ownerId: jona, dueOn: daysAgo(-1), note: "Mit der Betroffenen zur Polizei, Termin vereinbart." });
    await task({ measure: "strafantrag", entitled: "affected", fromOn: daysAgo(12), ownerId: jona });
    await task({ measure: "strafantrag", entitled: "superior" });
    await task({ measure: "register_block", fromOn: today });
    await task({ measure: "safety_walkthrough", dueOn: daysAgo(-7) });
    // The affected person decides: the police by phone, a referral waiting in the mailbox.
    await recordAnswer(at(3), actor(jona), tenant, first.number, {
      topic: "police",
      answer: "agree",
      channel: "phone",
      note: "Einverstanden, möchte aber bei der Aussage begleitet werden.",
    });
    await askReporter(at(3), actor(jona), tenant, first.number, { topic: "referral", note: "Die Opferberatung bietet Termine auch am Abend an." });
    // The leader learns what the person agreed to by phone: the summary and the Strafantrag that is theirs.
    const leader = context.users.get("fuehrung@demo.example");
    if (leader) {
      await shareWithLeader(at(4), actor(jona), tenant, first.number, {
        leaderId: leader,
        summary: "Ein Ratsmitglied wird vor seinem Haus bedroht. Es wünscht Rückhalt der Verwaltungsspitze und einen Strafantrag auch von Ihrer Seite.",
        validUntil: berlinDate(platform.clock.now(), 90),
        consent: "phone",
      });
    }
  }
  if (third) {
    const at = (hours: number) => demoPlatformAt(platform, third.openedAt, hours);
    await assignCase(at(2), actor(luca), tenant, third.number, luca);
    await assessCase(at(3), actor(luca), tenant, third.number, {
      form: "property_damage",
      criteria: ["direct", "plausible"],
      level: 1,
      justification: "Der Besucher hat sich am nächsten Tag entschuldigt und Hausverbot erhalten; keine Drohung, seither nichts mehr.",
    });
    // Referred to the victim counselling service the demo partner account acts for, agreed by phone.
    const partnerAccount = context.users.get("partner@demo.example");
    const organisation = partnerAccount ? await organisationOfAccount(platform, tenant.id, partnerAccount) : null;
    if (organisation) {
      await referCase(at(26), actor(luca), tenant, third.number, {
        partnerId: organisation.id,
        categories: ["summary", "evidence"],
        purpose: "Beratung nach der Sachbeschädigung und Hilfe beim Antrag auf Entschädigung",
        validUntil: berlinDate(platform.clock.now(), 90),
        consent: "phone",
        legalBasis: "",
        exceptionReason: "",
      });
    }
  }
  if (second) {
    const at = (hours: number) => demoPlatformAt(platform, second.openedAt, hours);
    await assignCase(at(11.5), actor(luca), tenant, second.number, luca);
    await assessCase(at(12), actor(luca), tenant, second.number, { form: "insult", criteria: [], level: 1, justification: "" });
    await measureDone(at(26), actor(luca), tenant, second.number, "platform_notice", "Kommentare gesichert und der Plattform gemeldet; sie sind gelöscht.");
    await requestClosure(at(50), actor(luca), tenant, second.number, {
      outcome: "supported",
      conversation: "anonymous",
      conversationOn: "",
      note: "Kommentare gesichert und gemeldet; die Plattform hat sie gelöscht. Die Person wollte nichts weiter.",
    });
    await feedbackInMailbox(
      at(60),
      tenant,
      second.reportIds[0],
      { supported: "4", superiors: "none", colleagues: "3", office: "5", partners: "none", comment: "Es tat gut, nicht allein damit zu sein." },
      translator("de"),
    );
  }
  if (fourth) {
    const at = (hours: number) => demoPlatformAt(platform, fourth.openedAt, hours);
    await assignCase(at(0.25), actor(jona), tenant, fourth.number, jona);
    await assessCase(at(0.5), actor(jona), tenant, fourth.number, { form: "threat", criteria: ["privateAddressOrFamily"], level: 2, justification: "" });
    await measureDone(at(3), actor(jona), tenant, fourth.number, "criminal_complaint", "Anzeige bei der Polizei erstattet; sie ermittelt.");
    await requestClosure(at(30), actor(jona), tenant, fourth.number, {
      outcome: "proceedings",
      conversation: "held",
      conversationOn: berlinDate(at(30).clock.now(), -1),
      note: "Anzeige erstattet, die Polizei ermittelt. Der Bürgermeister fühlt sich sicher und möchte den Fall schließen.",
    });
    // While the proceedings run, the case is not deleted whatever its retention period.
    await placeHold(at(30), actor(jona), tenant, fourth.number, {
      reason: "Ermittlungsverfahren läuft (Az. 123 Js 456/26); Akte bis zum Abschluss aufbewahren.",
      until: berlinDate(platform.clock.now(), 730),
    });
  }
}

/** A measure decided and done at once, for a demo case that is ready to close. */
async function measureDone(
  platform: Platform,
  actor: Actor,
  tenant: Parameters<typeof addTask>[2],
  number: string,
  measure: TaskInput["measure"],
  outcome: string,
) {
  const added = await addTask(platform, actor, tenant, number, { measure, ownerId: actor.userId, dueOn: null, entitled: null, fromOn: null, note: "" });
  if (added.ok) await updateTask(platform, actor, tenant, number, added.id, { status: "done", outcome, fromOn: null });
}
