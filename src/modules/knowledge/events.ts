import { z } from "zod";
import { defineEvent } from "../../platform/events/events.ts";
import { DIMENSIONS } from "./schema.ts";

/** A practice was published for the network or the public (after review). */
export const practicePublished = defineEvent(
  "knowledge.practice_published",
  z.object({ practiceId: z.uuid(), version: z.number().int().min(1), visibility: z.enum(["public", "network"]) }),
);

/** A municipality took another's practice into its workspace: the knowledge travelled from → to. */
export const practiceAdopted = defineEvent(
  "knowledge.practice_adopted",
  z.object({ originTenantId: z.uuid(), originId: z.uuid(), originVersion: z.number().int().min(1), copyId: z.uuid() }),
);

/** "Did it work for you?": the adopting municipality's answer (the score only; the words stay with the practice). */
export const practiceFeedbackGiven = defineEvent(
  "knowledge.feedback_given",
  z.object({ originTenantId: z.uuid(), originId: z.uuid(), score: z.number().int().min(1).max(5) }),
);

/** A municipality took its self-assessment: the score per dimension (0–100), for the Lagebild's strategy progress. */
export const assessmentTaken = defineEvent(
  "knowledge.assessment_taken",
  z.object({
    assessmentId: z.uuid(),
    scores: z.record(z.enum(DIMENSIONS), z.number().int().min(0).max(100)),
    /** When it was taken (events stored before this field: when the event occurred). */
    takenAt: z.coerce.date().optional(),
  }),
);
