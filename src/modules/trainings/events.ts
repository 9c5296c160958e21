import { z } from "zod";
import { defineEvent } from "../../platform/events/events.ts";
import { AUDIENCES, TOPICS } from "./schema.ts";

/**
 * Attendance of a session was recorded (again, after a correction): who was trained, counted per
 * participant's municipality and role, never named. The latest event of a session replaces the
 * earlier ones, so the Lagebild's training reach follows corrections.
 */
export const attendanceRecorded = defineEvent(
  "trainings.attendance_recorded",
  z.object({
    sessionId: z.uuid(),
    formatId: z.uuid(),
    /** The month it took place (YYYY-MM, Berlin): no finer, so a count cannot be tied to a day. */
    month: z.string().regex(/^\d{4}-\d{2}$/),
    topics: z.array(z.enum(TOPICS)),
    audience: z.enum(AUDIENCES),
    reach: z.array(z.object({ tenantId: z.uuid(), role: z.string().min(1), count: z.number().int().min(1) })),
  }),
);
