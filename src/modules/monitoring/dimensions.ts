/*
 * The dimensions of the statistics, apart from the records and the database: the worker thread
 * that protects a release loads this, the table and the disclosure control, nothing more.
 */

/**
 * The dimensions the figures are broken down by: a report's in the month it was opened, a
 * closing's (from `closed` to `measure`) in the month it was closed, the feedback in the month
 * it was given (`records.ts`). `parent`: every counted record adds exactly one
 * code of the dimension to the parent's count (so the codes add up to it); `multi`: a record may
 * add several codes or none; `score`: the count of answers with the sum of the scores.
 */
export const DIMENSIONS = {
  incidents: { kind: "total" },
  form: { kind: "multi" },
  motive: { kind: "multi" },
  place: { kind: "single", parent: "incidents" },
  channel: { kind: "single", parent: "incidents" },
  function: { kind: "single", parent: "incidents" },
  pmk_area: { kind: "single", parent: "incidents" },
  pmk_hate: { kind: "multi" },
  pmk_target: { kind: "single", parent: "incidents" },
  closed: { kind: "total" },
  level: { kind: "single", parent: "closed" },
  outcome: { kind: "single", parent: "closed" },
  response: { kind: "single", parent: "closed" },
  strafantrag: { kind: "single", parent: "closed" },
  measure: { kind: "multi" },
  feedback: { kind: "score" },
  // From sources other than cases (activity.ts): people trained by role and by topic, the latest
  // self-assessment's scores (municipalities, sum of scores 0–100), adoptions of practices.
  training_reach: { kind: "multi" },
  training_topic: { kind: "multi" },
  strategy_score: { kind: "score" },
  adoption: { kind: "total" },
} as const satisfies Record<string, { kind: "total" | "multi" | "single" | "score"; parent?: string }>;
export type Dimension = keyof typeof DIMENSIONS;

/** The dimensions fed by other sources than the case records: a rebuild from the records leaves them alone. */
export const ACTIVITY_DIMENSIONS: readonly Dimension[] = ["training_reach", "training_topic", "strategy_score", "adoption"];
