import type { DomainEvent, EventHandler } from "../../platform/events/events.ts";
import type { Platform } from "../../platform/platform.ts";
import { caseAssessed, caseClosed, caseDismissed, caseFeedbackRecorded, caseOpened, caseReopened } from "../cases/index.ts";
import { changeRecords, monthOf, openedRecord, type RecordChange, type ReportFacts, type StatRecord, type TenantFacts } from "./records.ts";

/*
 * The statistics records follow the clearing procedure's events, never its tables: a case
 * opened counts as a report in its month; closing brings the outcome, measures, level and
 * response time, counted in the month of the closing; feedback its scores, in the month it was
 * given. A duplicate, abuse or joined case dismissed in the month it was opened leaves the
 * figures. Each handler is idempotent through the event's delivery record, and applies the
 * record's change to the rollups in the same transaction.
 *
 * A part of a record is booked in its month and stays as it was once that month is over
 * (`booking` below): a category corrected later, a dismissal or a reopening after that month
 * changes no figure of it. So the released figures of a month never change, and no difference
 * between two releases tells what happened to one case.
 */

/**
 * The month an event is booked in: the month it happened — unless a release holds that month
 * already (its delivery failed and was retried, or came after the release's day of waiting):
 * then the first month no release holds, never a month after the one under way. So a month's
 * released figures never change, also when an event comes late.
 */
export function bookedIn(occurredAt: Date, tenant: TenantFacts, now: Date): string {
  const month = monthOf(occurredAt);
  const open = tenant.open && tenant.open < monthOf(now) ? tenant.open : monthOf(now);
  return tenant.open && month < tenant.open ? open : month;
}

type Facts = ReportFacts;

type Closing = Facts & Pick<StatRecord, "level" | "measures" | "firstResponseMinutes" | "respondedInTime" | "strafantrag" | "outcome">;

/**
 * What each event makes of a record (null: nothing changes), given the month it happened in.
 * Pure, so that a property test can play any order of events over the months.
 */
export const booking = {
  opened: (before: StatRecord | null, tenant: TenantFacts, month: string, facts: Facts): StatRecord | null =>
    // Counted once: a repeated "opened" changes nothing.
    before ? null : openedRecord(tenant, month, facts),

  /** The level counts with the closing; until then the record keeps the highest reached. */
  assessed: (before: StatRecord | null, level: number): StatRecord | null =>
    before && before.state === "open" && (before.level ?? -1) < level ? { ...before, level } : null,

  closed: (before: StatRecord | null, tenant: TenantFacts, month: string, closing: Closing & { openedMonth: string }): StatRecord | null => {
    // A closing booked in a month that is over stays: a case closed again counts with its first closing.
    if (before?.state === "closed" && before.closedMonth !== month) return null;
    // A record never opened here (its report is booked now, not in a month that is over).
    // A dismissed one closed counts as reopened first.
    const base =
      (before?.state === "dismissed" ? booking.reopened(before, month) : before) ??
      openedRecord(tenant, closing.openedMonth < month ? month : closing.openedMonth, closing);
    // The report's categories follow the clearing's corrections while its month is under way.
    const report = base.openedMonth === month ? pickFacts(closing) : {};
    return {
      ...base,
      ...report,
      state: "closed",
      closedMonth: month,
      level: closing.level,
      measures: closing.measures,
      firstResponseMinutes: closing.firstResponseMinutes,
      respondedInTime: closing.respondedInTime,
      strafantrag: closing.strafantrag,
      outcome: closing.outcome,
    };
  },

  /** Dismissed in its month, the report leaves the figures; later, it stays counted (and never closes). */
  dismissed: (before: StatRecord | null, month: string): StatRecord | null => {
    if (!before || before.state === "dismissed") return null;
    if (before.state === "closed" && before.closedMonth !== month) return null;
    return { ...before, state: "dismissed", closedMonth: month, outcome: null };
  },

  reopened: (before: StatRecord | null, month: string): StatRecord | null => {
    if (!before || before.state === "open") return null;
    // A closing booked in a month that is over stays.
    if (before.state === "closed") return before.closedMonth === month ? { ...before, state: "open", closedMonth: null, outcome: null } : null;
    // A report that had left the figures counts again, in this month if its own is over.
    const counted = before.closedMonth !== null && before.closedMonth > before.openedMonth;
    const openedMonth = counted || before.openedMonth === month ? before.openedMonth : month;
    const feedbackMonth = !counted && before.feedbackMonth !== null && before.feedbackMonth < month ? month : before.feedbackMonth;
    return { ...before, state: "open", openedMonth, closedMonth: null, feedbackMonth, outcome: null };
  },

  /** The first feedback counts in its month; given again in that month, it takes the earlier one's place. */
  feedback: (before: StatRecord | null, month: string, scores: StatRecord["feedback"]): StatRecord | null => {
    if (!before || (before.feedbackMonth !== null && before.feedbackMonth !== month)) return null;
    return { ...before, feedbackMonth: month, feedback: scores };
  },
};

const pickFacts = (f: Facts): Facts => ({
  channel: f.channel,
  mode: f.mode,
  forms: f.forms,
  motives: f.motives,
  place: f.place,
  affectedFunction: f.affectedFunction,
});

/** The events the records follow: a release waits for those of the months before it (`rebuild.ts`). */
export const STATISTICS_EVENTS = [caseOpened, caseAssessed, caseClosed, caseDismissed, caseReopened, caseFeedbackRecorded].map((e) => e.name);

/** Each handler turns a burst of one tenant's events into record changes applied together. */
function handler<T>(
  platform: Pick<Platform, "clock">,
  name: string,
  event: { name: string; schema: import("zod").ZodType<T> },
  change: (e: DomainEvent<T>) => RecordChange,
): EventHandler<T> {
  return {
    name,
    event,
    async handleMany({ tx, events }) {
      await changeRecords(tx, events[0].tenantId, events.map(change), platform.clock.now());
    },
  };
}

export function statisticsHandlers(platform: Pick<Platform, "clock">): EventHandler<unknown>[] {
  return [
    handler(platform, "monitoring.case-opened", caseOpened, (e) => ({
      caseId: e.payload.caseId,
      next: (before, tenant) => booking.opened(before, tenant, bookedIn(e.occurredAt, tenant, platform.clock.now()), e.payload),
    })),
    handler(platform, "monitoring.case-assessed", caseAssessed, (e) => ({
      caseId: e.payload.caseId,
      next: (before) => booking.assessed(before, e.payload.level),
    })),
    handler(platform, "monitoring.case-closed", caseClosed, (e) => ({
      caseId: e.payload.caseId,
      next: (before, tenant) => {
        const f = e.payload.figures;
        if (!f) return null;
        return booking.closed(before, tenant, bookedIn(e.occurredAt, tenant, platform.clock.now()), {
          ...f,
          respondedInTime: f.respondedInTime === null ? null : f.respondedInTime ? "in_time" : "late",
          strafantrag: f.strafantrag ?? null,
          outcome: e.payload.outcome,
        });
      },
    })),
    handler(platform, "monitoring.case-dismissed", caseDismissed, (e) => ({
      caseId: e.payload.caseId,
      next: (before, tenant) => booking.dismissed(before, bookedIn(e.occurredAt, tenant, platform.clock.now())),
    })),
    handler(platform, "monitoring.case-reopened", caseReopened, (e) => ({
      caseId: e.payload.caseId,
      next: (before, tenant) => booking.reopened(before, bookedIn(e.occurredAt, tenant, platform.clock.now())),
    })),
    handler(platform, "monitoring.case-feedback", caseFeedbackRecorded, (e) => ({
      caseId: e.payload.caseId,
      next: (before, tenant) => {
        const { supported, superiors, colleagues, office, partners } = e.payload;
        return booking.feedback(before, bookedIn(e.occurredAt, tenant, platform.clock.now()), { supported, superiors, colleagues, office, partners });
      },
    })),
  ] as EventHandler<unknown>[];
}
