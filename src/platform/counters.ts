import type { Database } from "./db/client.ts";
import { loggableError } from "./logging/loggable-error.ts";

/*
 * Counts within a time window, shared by every application process through the table
 * rate_counters: with several processes behind a load balancer, a limit kept in one process's
 * memory would let a client multiply it by the number of processes. Each count is one upsert
 * that also starts a new window when the old one has passed (`komma_count`), run as the owner:
 * in a statement of its own outside any transaction, or in the statement of a database function
 * that counts as part of its work (`count`: the intake counts the client's reports so). Keys are keyed
 * hashes (`lookupHash`), so the table names no address. Expired rows are swept by whichever
 * process counts, at most once a minute each.
 */

export interface Counters {
  /** Counts `amount` (default 1) for `key`; the total in the current window and how long that lasts. */
  add(purpose: string, key: string, windowMs: number, amount?: number): Promise<{ total: number; msLeft: number }>;
  /**
   * Counts `amount` only if the window's total stays at most `max`: true if counted, false (and
   * nothing counted) if not. With amount 1 and max 1: "the first time within the window".
   */
  take(purpose: string, key: string, windowMs: number, amount: number, max: number): Promise<boolean>;
  /**
   * The same count as a value for a database function to make in its own statement
   * (`komma_count(count)`): `max` as in `take`, or none as in `add`.
   */
  count(purpose: string, key: string, windowMs: number, amount?: number, max?: number): CountRequest;
}

/** A count for `komma_count`: the key only as a keyed hash. */
export interface CountRequest {
  purpose: string;
  keyHash: string;
  amount: number;
  now: string;
  expiresAt: string;
  max?: number;
}

// One definition of a count, in the database (`komma_count`, migration 0062_intake_counts), so that a
// statement of another module (the intake) can count in its own round trip.
const COUNT = "select total, expires_at from komma_count($1::jsonb)";
const SWEEP_EVERY_MS = 60_000;

export function createCounters(deps: {
  database: Pick<Database, "rawQuery">;
  lookupHash: (purpose: string, value: string) => string;
  clock: { now(): Date };
}): Counters {
  const { database, lookupHash, clock } = deps;
  let lastSweep = 0;

  function count(purpose: string, key: string, windowMs: number, amount = 1, max?: number): CountRequest {
    const now = clock.now();
    if (now.getTime() - lastSweep >= SWEEP_EVERY_MS) {
      lastSweep = now.getTime();
      database
        .rawQuery("delete from rate_counters where expires_at < $1", [now.toISOString()], "komma_counters_sweep")
        .catch((err: unknown) => console.error("sweeping expired counters failed:", JSON.stringify(loggableError(err))));
    }
    return {
      purpose,
      keyHash: lookupHash(`counter/${purpose}`, key),
      amount,
      now: now.toISOString(),
      expiresAt: new Date(now.getTime() + windowMs).toISOString(),
      ...(max === undefined ? {} : { max }),
    };
  }

  return {
    count,
    async add(purpose, key, windowMs, amount = 1) {
      const request = count(purpose, key, windowMs, amount);
      const { rows } = await database.rawQuery(COUNT, [JSON.stringify(request)], "komma_counters_count");
      const expiresAt = new Date(rows[0].expires_at as string | Date);
      return { total: Number(rows[0].total), msLeft: Math.max(0, expiresAt.getTime() - Date.parse(request.now)) };
    },
    async take(purpose, key, windowMs, amount, max) {
      if (amount > max) return false;
      const { rows } = await database.rawQuery(COUNT, [JSON.stringify(count(purpose, key, windowMs, amount, max))], "komma_counters_count");
      return rows.length === 1;
    },
  };
}
