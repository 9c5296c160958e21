import ical, { ICalCalendarMethod, ICalEventStatus } from "ical-generator";

/*
 * A meeting as a calendar entry (RFC 5545). Its UID stays the same for the meeting's life and its
 * SEQUENCE counts each change of time or place, so calendars update the entry instead of adding one;
 * a meeting called off comes as a cancellation (METHOD:CANCEL, STATUS:CANCELLED).
 * Only what a calendar needs: title, time, place or link, and the way back to the meeting's page;
 * agenda and minutes stay in the workspace.
 */

export interface CalendarMeeting {
  id: string;
  title: string;
  startsAt: Date;
  endsAt: Date;
  place: string;
  link: string | null;
  sequence: number;
  updatedAt: Date;
  cancelled: boolean;
}

export function meetingIcs(m: CalendarMeeting, opts: { host: string; pageUrl: string; stamp: Date }): string {
  const calendar = ical({
    prodId: { company: "KommA", product: "Allianz", language: "DE" },
    method: m.cancelled ? ICalCalendarMethod.CANCEL : ICalCalendarMethod.PUBLISH,
  });
  calendar.createEvent({
    id: `${m.id}@${opts.host}`,
    sequence: m.sequence,
    status: m.cancelled ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
    stamp: opts.stamp,
    lastModified: m.updatedAt,
    start: m.startsAt,
    end: m.endsAt,
    summary: m.title,
    location: m.place || m.link || undefined,
    url: opts.pageUrl,
    description: m.link ? `${m.link}\n\n${opts.pageUrl}` : opts.pageUrl,
  });
  return calendar.toString();
}
