import { z } from "zod";
import { defineEvent } from "../../platform/events/events.ts";

/** A report opened a case (or joined one). */
export const caseOpened = defineEvent(
  "case.opened",
  z.object({ caseId: z.uuid(), number: z.string(), reportId: z.uuid(), channel: z.string(), mode: z.string(), immediateDanger: z.boolean() }),
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

/** A case was closed (released by a second officer from level 2 on): its outcome, for the statistics. */
export const caseClosed = defineEvent("case.closed", z.object({ caseId: z.uuid(), number: z.string(), outcome: z.string() }));
