import { eq, sql } from "drizzle-orm";
import { type Db, rows } from "../db/client.ts";
import { signInThrottle } from "../db/schema.ts";

/*
 * The sign-in lockout: failed attempts per key (an address from one client, an address from all
 * clients, a session's second factor) within a window; at the limit the key is locked for a while.
 * Unknown addresses count the same as known.
 */

export const MAX_FAILURES = 5;
/**
 * Failed sign-ins to one address from all clients together before it is locked for everyone: high
 * enough that one client's wrong passwords (MAX_FAILURES) cannot lock its owner out, low enough to
 * stop guessing spread over many addresses.
 */
export const MAX_ACCOUNT_FAILURES = 20;
export const LOCKOUT_MS = 15 * 60_000;
/** Until when the key is locked; null when it is not. */
export async function lockedUntil(tx: Db, key: string, now: Date): Promise<Date | null> {
  const [row] = await tx.select().from(signInThrottle).where(eq(signInThrottle.key, key));
  return row?.lockedUntil && row.lockedUntil > now ? row.lockedUntil : null;
}

export async function recordFailure(tx: Db, key: string, now: Date): Promise<void> {
  const [row] = await tx.select().from(signInThrottle).where(eq(signInThrottle.key, key));
  const failures = (row?.failures ?? 0) + 1;
  const locked = failures >= MAX_FAILURES;
  const values = { failures: locked ? 0 : failures, lockedUntil: locked ? new Date(now.getTime() + LOCKOUT_MS) : (row?.lockedUntil ?? null), updatedAt: now };
  if (row) await tx.update(signInThrottle).set(values).where(eq(signInThrottle.key, key));
  else await tx.insert(signInThrottle).values({ key, ...values });
}

/**
 * Counts a sign-in attempt before its password is checked, in one statement: parallel attempts
 * cannot slip past the limit between the check and the count. The attempt that goes over the
 * limit locks; while locked, nothing is checked. A successful sign-in clears the count.
 * Answers null when the attempt may go ahead, else until when the key is locked.
 */
export async function reserveAttempt(tx: Db, key: string, now: Date, max = MAX_FAILURES): Promise<Date | null> {
  const lockUntil = new Date(now.getTime() + LOCKOUT_MS);
  const [row] = await rows<{ allowed: boolean; until: Date | string | null }>(
    tx,
    sql`insert into sign_in_throttle as t (key, failures, locked_until, updated_at) values (${key}, 1, null, ${now})
        on conflict (key) do update set
          failures = case when t.locked_until > ${now} then t.failures when t.failures + 1 > ${max} then 0 else t.failures + 1 end,
          locked_until = case when t.locked_until > ${now} then t.locked_until when t.failures + 1 > ${max} then ${lockUntil} else t.locked_until end,
          updated_at = ${now}
        returning not (coalesce(t.locked_until > ${now}, false)) as allowed, t.locked_until as until`,
  );
  if (row?.allowed) return null;
  return row?.until ? new Date(row.until) : lockUntil;
}

export async function clearFailures(tx: Db, key: string): Promise<void> {
  await tx.delete(signInThrottle).where(eq(signInThrottle.key, key));
}
