import { inArray } from "drizzle-orm";
import type { Db } from "../../platform/db/client.ts";
import { users } from "../../platform/db/schema.ts";
import { dateFormat } from "../../platform/i18n/formats.ts";
import { isUiLanguage, translator } from "../../platform/i18n/i18n.ts";
import type { MailCalendar, OutgoingMail } from "../../platform/mail/mailer.ts";
import type { Platform } from "../../platform/platform.ts";
import { type CalendarContext, type CalendarSession, cancellationIcs, invitationIcs, participantUid } from "./calendar.ts";

/*
 * What participants are told by mail, each in their own language: that they are registered (with
 * the invitation for their calendar), waiting for a seat, moved up (with the invitation), that the
 * session changed (with the updated invitation), that they withdrew or it was cancelled (with the
 * cancellation), a reminder the day before, and after it the way to give feedback. A mail names
 * the format, the time and the place: nothing of the other participants.
 */

export type MailKind = "registered" | "waiting" | "movedUp" | "changed" | "withdrawn" | "cancelled" | "reminder" | "feedback";

/** Kinds that carry the invitation, and those that take it back. */
const INVITES: readonly MailKind[] = ["registered", "movedUp", "changed"];
const CANCELS: readonly MailKind[] = ["withdrawn", "cancelled"];

export interface Recipient {
  userId: string;
  registrationId: string;
  queuedAt: Date;
  /** Whether their calendar holds the entry (a registered participant; not someone waiting). */
  inCalendar: boolean;
}

const when = (lang: string, s: CalendarSession) => {
  const locale = lang === "en" ? "en-GB" : "de-DE";
  const day = dateFormat(locale, { timeZone: "Europe/Berlin", weekday: "long", day: "numeric", month: "long", year: "numeric" }).format(s.startsAt);
  const time = (d: Date) => dateFormat(locale, { timeZone: "Europe/Berlin", hour: "2-digit", minute: "2-digit" }).format(d);
  return `${day}, ${time(s.startsAt)}–${time(s.endsAt)}`;
};

/** Where a session's calendar entries come from: this installation's host, the session's page, KommA's mail address. */
export function calendarContext(platform: Pick<Platform, "config" | "clock">, sessionId: string): CalendarContext {
  return {
    host: new URL(platform.config.publicUrl).host,
    pageUrl: `${platform.config.publicUrl}/trainings/termine/${sessionId}`,
    stamp: platform.clock.now(),
    organizer: { name: "KommA", email: platform.config.mailFrom.replace(/^.*<([^>]+)>.*$/, "$1") },
  };
}

/** Mails of one kind to the people of a session, with their calendar entry where it applies. */
export async function participantMails(
  platform: Pick<Platform, "config" | "clock">,
  tx: Db,
  session: CalendarSession,
  recipients: readonly Recipient[],
  kind: MailKind,
): Promise<OutgoingMail[]> {
  if (recipients.length === 0) return [];
  const people = new Map(
    (
      await tx
        .select({ id: users.id, email: users.email, name: users.displayName, locale: users.locale, status: users.status })
        .from(users)
        .where(
          inArray(
            users.id,
            recipients.map((r) => r.userId),
          ),
        )
    ).map((u) => [u.id, u]),
  );
  const ctx = calendarContext(platform, session.id);
  const { host, pageUrl } = ctx;
  return recipients.flatMap((r) => {
    const person = people.get(r.userId);
    if (person?.status !== "active") return [];
    const lang = isUiLanguage(person.locale) ? person.locale : "de";
    const t = translator(lang);
    const params = { title: session.title, when: when(lang, session), place: session.place || session.onlineLink || "–", link: pageUrl };
    const uid = participantUid(r.registrationId, r.queuedAt, host);
    const attendee = { name: person.name, email: person.email };
    let calendar: MailCalendar | undefined;
    if (INVITES.includes(kind)) calendar = { method: "REQUEST", content: invitationIcs(session, uid, attendee, ctx) };
    if (CANCELS.includes(kind) && r.inCalendar) calendar = { method: "CANCEL", content: cancellationIcs(session, uid, attendee, ctx) };
    return [{ to: person.email, subject: t(`trainings.mail.${kind}.subject`, params), text: t(`trainings.mail.${kind}.body`, params), calendar }];
  });
}
