import type { Database } from "./db/client.ts";
import { loggableError } from "./logging/loggable-error.ts";

/*
 * Counts within a time window, shared by every application process through the table
 * rate_counters: with several processes behind a load balancer, a limit kept in one process's
 * memory would let a client multiply it by the number of processes. Each count is one
 * statement (an upsert that also starts a new window when the old one has passed), run as the
 * owner outside any transaction, prepared once per connection on PostgreSQL. Keys are keyed
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
}

const UPSERT = `insert into rate_counters as c (purpose, key_hash, total, expires_at) values ($1, $2, $3, $5)
  on conflict (purpose, key_hash) do update set
    total = case when c.expires_at <= $4 then excluded.total else c.total + excluded.total end,
    expires_at = case when c.expires_at <= $4 then excluded.expires_at else c.expires_at end`;
const ADD = `${UPSERT} returning total, expires_at`;
// When the condition fails nothing is updated and nothing returned: the amount was not taken.
const TAKE = `${UPSERT} where c.expires_at <= $4 or c.total + excluded.total <= $6 returning total`;
const SWEEP_EVERY_MS = 60_000;

export function createCounters(deps: {
  database: Pick<Database, "rawQuery">;
  lookupHash: (purpose: string, value: string) => string;
  clock: { now(): Date };
}): Counters {
  const { database, lookupHash, clock } = deps;
  let lastSweep = 0;

  function params(purpose: string, key: string, windowMs: number, amount: number) {
    const now = clock.now();
    if (now.getTime() - lastSweep >= SWEEP_EVERY_MS) {
      lastSweep = now.getTime();
      database
        .rawQuery("delete from rate_counters where expires_at < $1", [now.toISOString()], "komma_counters_sweep")
        .catch((err: unknown) => console.error("sweeping expired counters failed:", JSON.stringify(loggableError(err))));
    }
    const expires = new Date(now.getTime() + windowMs);
    return { now, values: [purpose, lookupHash(`counter/${purpose}`, key), amount, now.toISOString(), expires.toISOString()] };
  }

  return {
    async add(purpose, key, windowMs, amount = 1) {
      const { now, values } = params(purpose, key, windowMs, amount);
      const { rows } = await database.rawQuery(ADD, values, "komma_counters_add");
      const expiresAt = new Date(rows[0].expires_at as string | Date);
      return { total: Number(rows[0].total), msLeft: Math.max(0, expiresAt.getTime() - now.getTime()) };
    },
    async take(purpose, key, windowMs, amount, max) {
      if (amount > max) return false;
      const { values } = params(purpose, key, windowMs, amount);
      const { rows } = await database.rawQuery(TAKE, [...values, max], "komma_counters_take");
      return rows.length === 1;
    },
  };
}
