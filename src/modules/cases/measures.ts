/*
 * The catalog of measures (brief: Clearingverfahren) and what each asks of the office: which
 * need the affected person's agreement, which carry a legal deadline. Labels live in the locales
 * (cases.measures.catalog.*).
 */

export const MEASURE_GROUPS = {
  legal: ["criminal_complaint", "strafantrag"],
  protection: ["safety_walkthrough", "access_control", "alarm_plan", "house_ban", "reassignment", "register_block"],
  support: ["victim_support", "mobile_counselling", "antidiscrimination_counselling", "helpline", "psychosocial_support", "accident_report"],
  communication: ["platform_notice", "solidarity_statement", "monitoring_report"],
  other: ["other"],
} as const;

export type Measure = (typeof MEASURE_GROUPS)[keyof typeof MEASURE_GROUPS][number];
export const MEASURES = Object.values(MEASURE_GROUPS).flat() as [Measure, ...Measure[]];

export const TASK_STATUSES = ["open", "done", "cancelled"] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];

/** Who may file a Strafantrag: the affected person, or the superior (Dienstvorgesetzte:r, §194 Abs. 3 StGB). */
export const ENTITLED = ["affected", "superior"] as const;
export type Entitled = (typeof ENTITLED)[number];

/** Steps the affected person agrees to first (brief: solidarity statement only with their agreement). */
export const NEEDS_AGREEMENT: ReadonlySet<Measure> = new Set<Measure>([
  "criminal_complaint",
  "strafantrag",
  "solidarity_statement",
  "victim_support",
  "mobile_counselling",
  "antidiscrimination_counselling",
]);

/** The days before a due date on which the office is reminded, per kind of deadline. */
export function reminderDays(measure: Measure): readonly number[] {
  if (measure === "strafantrag") return [28, 14, 3, 1];
  // An Auskunftssperre's due date is already its renewal date, eight weeks before it ends.
  return [0];
}

/** Whether a passed due date goes to the procedure's leaders (a legal deadline) or stays with the office. */
export const escalatesWhenOverdue = (measure: Measure) => measure === "strafantrag";
