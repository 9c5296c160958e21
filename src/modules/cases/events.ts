import { z } from "zod";
import { defineEvent } from "../../platform/events/events.ts";

/** A report opened a case (or joined one). */
export const caseOpened = defineEvent(
  "case.opened",
  z.object({
    caseId: z.uuid(),
    number: z.string(),
    reportId: z.uuid(),
    channel: z.string(),
    mode: z.string(),
    immediateDanger: z.boolean(),
    /** The report's categories as codes, for the statistics (events stored before they were carried have none). */
    forms: z.array(z.string()).default([]),
    motives: z.array(z.string()).default([]),
    place: z.string().nullable().default(null),
    affectedFunction: z.string().nullable().default(null),
  }),
);

/** A case got a new lead (or none). */
export const caseAssigned = defineEvent(
  "case.assigned",
  z.object({ caseId: z.uuid(), number: z.string(), assigneeId: z.uuid().nullable(), previousAssigneeId: z.uuid().nullable() }),
);

/** The office set a case's risk level (confirming the proposal or overriding it). */
export const caseAssessed = defineEvent(
  "case.assessed",
  z.object({
    caseId: z.uuid(),
    number: z.string(),
    level: z.number().int().min(0).max(3),
    previousLevel: z.number().int().min(0).max(3).nullable(),
    form: z.string(),
    procedureVersion: z.number().int().min(1),
    /** Who assessed: not alarmed by their own assessment. */
    assessedBy: z.uuid().optional(),
  }),
);

/**
 * What a closed case tells the statistics: categories and figures, never words or names. The
 * month of opening (never a day), the highest level, the measures done, the time to the first
 * response and whether it came within the municipality's target, and a Strafantrag's timeliness.
 */
export const closingFigures = z.object({
  openedMonth: z.string().regex(/^\d{4}-\d{2}-01$/),
  channel: z.string(),
  mode: z.string(),
  forms: z.array(z.string()),
  motives: z.array(z.string()),
  place: z.string().nullable(),
  affectedFunction: z.string().nullable(),
  level: z.number().int().min(0).max(3).nullable(),
  measures: z.array(z.string()),
  firstResponseMinutes: z.number().int().min(0).nullable(),
  respondedInTime: z.boolean().nullable(),
  /**
   * Where a Strafantrag was decided: filed within its three-month period by at least one entitled
   * person (`in_time`), filed only after it (`late`), or not filed. Absent from events written
   * before it was counted; null where none was decided.
   */
  strafantrag: z.enum(["in_time", "late", "not_filed"]).nullable().optional(),
});
export type ClosingFigures = z.infer<typeof closingFigures>;

/** A case was closed (released by a second officer from level 2 on): its outcome and figures, for the statistics. */
export const caseClosed = defineEvent(
  "case.closed",
  z.object({ caseId: z.uuid(), number: z.string(), outcome: z.string(), figures: closingFigures.optional() }),
);

/** A case was closed as a duplicate, as abuse, or joined into another: it leaves the statistics. */
export const caseDismissed = defineEvent(
  "case.dismissed",
  z.object({ caseId: z.uuid(), number: z.string(), reason: z.enum(["duplicate", "abuse", "joined"]) }),
);

/** A closed case was opened again: it counts again, as an open case. */
export const caseReopened = defineEvent("case.reopened", z.object({ caseId: z.uuid(), number: z.string() }));

/** The affected person's scores (1–5 each, none where not given), tied to their case for the statistics. */
export const caseFeedbackRecorded = defineEvent(
  "case.feedback_recorded",
  z.object({
    caseId: z.uuid(),
    number: z.string(),
    supported: z.number().int().min(1).max(5).nullable(),
    superiors: z.number().int().min(1).max(5).nullable(),
    colleagues: z.number().int().min(1).max(5).nullable(),
    office: z.number().int().min(1).max(5).nullable(),
    partners: z.number().int().min(1).max(5).nullable(),
  }),
);
