import ical, { ICalAttendeeRole, ICalAttendeeStatus, ICalCalendarMethod, ICalEventStatus } from "ical-generator";

/*
 * A session as a calendar entry (RFC 5545, with the methods of iTIP, RFC 5546).
 *
 * A participant's entry is an invitation (METHOD:REQUEST) addressed to them. Its UID stays the
 * same for their registration, and its SEQUENCE is the session's: every change of time or place
 * raises it, so a calendar replaces the entry instead of adding a second one. When they withdraw,
 * or the session is cancelled, the same UID comes as METHOD:CANCEL (STATUS:CANCELLED). A new
 * registration after withdrawing gets a new UID, since a calendar would not take an invitation
 * with a SEQUENCE it has already cancelled.
 *
 * Trainers and keepers download the session as published (METHOD:PUBLISH, the session's own UID).
 * Only what a calendar needs goes in: the format's title, time, place or link, the way back.
 */

export interface CalendarSession {
  id: string;
  title: string;
  startsAt: Date;
  endsAt: Date;
  place: string;
  onlineLink: string | null;
  sequence: number;
  updatedAt: Date;
  cancelled: boolean;
}

export interface CalendarContext {
  host: string;
  pageUrl: string;
  stamp: Date;
  organizer: { name: string; email: string };
}

/** The UID of a participant's entry: one per registration (and per time they registered). */
export function participantUid(registrationId: string, queuedAt: Date, host: string): string {
  return `${registrationId}-${queuedAt.getTime().toString(36)}@${host}`;
}

function entry(s: CalendarSession, uid: string, method: ICalCalendarMethod, ctx: CalendarContext, attendee?: { name: string; email: string }) {
  const calendar = ical({ prodId: { company: "KommA", product: "Trainings", language: "DE" }, method });
  const cancelled = method === ICalCalendarMethod.CANCEL || s.cancelled;
  calendar.createEvent({
    id: uid,
    sequence: s.sequence,
    status: cancelled ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
    stamp: ctx.stamp,
    lastModified: s.updatedAt,
    start: s.startsAt,
    end: s.endsAt,
    summary: s.title,
    location: s.place || s.onlineLink || undefined,
    url: ctx.pageUrl,
    description: s.onlineLink ? `${s.onlineLink}\n\n${ctx.pageUrl}` : ctx.pageUrl,
    organizer: method === ICalCalendarMethod.PUBLISH ? undefined : ctx.organizer,
    attendees: attendee
      ? [
          {
            name: attendee.name,
            email: attendee.email,
            role: ICalAttendeeRole.REQ,
            status: cancelled ? ICalAttendeeStatus.DECLINED : ICalAttendeeStatus.ACCEPTED,
            rsvp: false,
          },
        ]
      : [],
  });
  return calendar.toString();
}

/** A participant's invitation, or its update after a change (same UID, higher SEQUENCE). */
export function invitationIcs(s: CalendarSession, uid: string, attendee: { name: string; email: string }, ctx: CalendarContext): string {
  return entry(s, uid, s.cancelled ? ICalCalendarMethod.CANCEL : ICalCalendarMethod.REQUEST, ctx, attendee);
}

/** Takes a participant's entry out of their calendar (they withdrew, or the session was cancelled). */
export function cancellationIcs(s: CalendarSession, uid: string, attendee: { name: string; email: string }, ctx: CalendarContext): string {
  return entry(s, uid, ICalCalendarMethod.CANCEL, ctx, attendee);
}

/** The session as published, for its trainer and keepers. */
export function publishedIcs(s: CalendarSession, ctx: CalendarContext): string {
  return entry(s, `${s.id}@${ctx.host}`, s.cancelled ? ICalCalendarMethod.CANCEL : ICalCalendarMethod.PUBLISH, ctx);
}
