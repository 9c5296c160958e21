import { berlinDate } from "../../platform/calendar.ts";
import type { DomainEvent, EventHandler } from "../../platform/events/events.ts";
import type { Platform } from "../../platform/platform.ts";
import { caseAssessed, caseClosed, caseDismissed, caseFeedbackRecorded, caseOpened, caseReopened } from "../cases/index.ts";
import { changeRecords, type RecordChange, type StatRecord, type TenantFacts } from "./records.ts";

/*
 * The statistics records follow the clearing procedure's events, never its tables: a case
 * opened counts as an incident in its month; its level follows the assessments; closing brings
 * the outcome, measures and response time; feedback its scores; a duplicate, abuse or joined
 * case leaves the figures, and counts again when reopened. Each handler is idempotent through
 * the event's delivery record, and applies the record's change to the rollups in the same
 * transaction.
 */

const monthOf = (d: Date) => `${berlinDate(d).slice(0, 7)}-01`;

function fresh(
  tenant: TenantFacts,
  month: string,
  facts: Pick<StatRecord, "channel" | "mode" | "forms" | "motives" | "place" | "affectedFunction">,
): StatRecord {
  return {
    state: "open",
    openedMonth: month,
    closedMonth: null,
    land: tenant.land,
    tenantKind: tenant.kind,
    ...facts,
    level: null,
    measures: [],
    firstResponseMinutes: null,
    respondedInTime: null,
    strafantrag: null,
    outcome: null,
    feedback: { supported: null, superiors: null, colleagues: null, office: null, partners: null },
  };
}

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
      // Counted once: a repeated "opened" changes nothing.
      next: (before, tenant) =>
        before
          ? null
          : fresh(tenant, monthOf(e.occurredAt), {
              channel: e.payload.channel,
              mode: e.payload.mode,
              forms: e.payload.forms,
              motives: e.payload.motives,
              place: e.payload.place,
              affectedFunction: e.payload.affectedFunction,
            }),
    })),
    handler(platform, "monitoring.case-assessed", caseAssessed, (e) => ({
      caseId: e.payload.caseId,
      next: (before) => (before && (before.level ?? -1) < e.payload.level ? { ...before, level: e.payload.level } : null),
    })),
    handler(platform, "monitoring.case-closed", caseClosed, (e) => ({
      caseId: e.payload.caseId,
      next: (before, tenant) => {
        const f = e.payload.figures;
        if (!f) return null;
        const base = before ?? fresh(tenant, f.openedMonth, f);
        return {
          ...base,
          state: "closed",
          closedMonth: monthOf(e.occurredAt),
          channel: f.channel,
          mode: f.mode,
          forms: f.forms,
          motives: f.motives,
          place: f.place,
          affectedFunction: f.affectedFunction,
          level: f.level,
          measures: f.measures,
          firstResponseMinutes: f.firstResponseMinutes,
          respondedInTime: f.respondedInTime === null ? null : f.respondedInTime ? "in_time" : "late",
          strafantrag: f.strafantrag ?? null,
          outcome: e.payload.outcome,
        };
      },
    })),
    handler(platform, "monitoring.case-dismissed", caseDismissed, (e) => ({
      caseId: e.payload.caseId,
      next: (before) => (before && before.state !== "dismissed" ? { ...before, state: "dismissed", closedMonth: null, outcome: null } : null),
    })),
    handler(platform, "monitoring.case-reopened", caseReopened, (e) => ({
      caseId: e.payload.caseId,
      // Open again: it counts as an open case; the outcome of an earlier closing no longer holds (its feedback stays).
      next: (before) => (before && before.state !== "open" ? { ...before, state: "open", closedMonth: null, outcome: null } : null),
    })),
    handler(platform, "monitoring.case-feedback", caseFeedbackRecorded, (e) => ({
      caseId: e.payload.caseId,
      next: (before) => {
        if (!before) return null;
        const { supported, superiors, colleagues, office, partners } = e.payload;
        return { ...before, feedback: { supported, superiors, colleagues, office, partners } };
      },
    })),
  ] as EventHandler<unknown>[];
}
