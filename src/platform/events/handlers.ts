import { sql } from "drizzle-orm";
import { type Db, rows } from "../db/client.ts";
import { loggableError } from "../logging/loggable-error.ts";
import type { DomainEvent, EventHandler } from "./types.ts";

/* What running one handler takes: its queue's name, its claim on an event, the call itself, and what is kept of a failure. */

/** One queue per handler, so that a failing handler holds up nobody else. */
export function handlerQueue(handler: string): string {
  return `event.${handler}`;
}

/** What an operator may see of a handler's failure: its kind and code, never data. */
export function failureText(err: unknown): string {
  const e = loggableError(err) as { type?: string; code?: string; message?: string };
  return [e.type, e.code, e.message].filter(Boolean).join(": ").slice(0, 500);
}

/**
 * Records in the handler's transaction that it has the event; false when it had it already (or
 * its delivery failed for good and waits for an operator), so that it does nothing twice.
 */
export async function claim(tx: Db, tenantId: string, eventId: string, handler: string, now: Date): Promise<boolean> {
  const claimed = await rows(
    tx,
    sql`insert into event_deliveries (tenant_id, event_id, handler, status, attempts, updated_at)
        values (${tenantId}, ${eventId}, ${handler}, 'done', 1, ${now})
        on conflict (event_id, handler) do update set status = 'done', attempts = event_deliveries.attempts + 1, last_error = null, updated_at = excluded.updated_at
        where event_deliveries.status = 'retrying'
        returning 1 as claimed`,
  );
  return claimed.length > 0;
}

/** Runs a handler for events it has not had yet, in the given transaction. */
export async function invoke(handler: EventHandler<unknown>, tx: Db, stored: DomainEvent<unknown>[], after: (() => Promise<void>)[]): Promise<void> {
  const events = stored.map((e) => ({ ...e, payload: handler.event.schema.parse(e.payload) }));
  const afterCommit = (fn: () => Promise<void>) => after.push(fn);
  if (handler.handleMany) await handler.handleMany({ tx, events, afterCommit });
  else for (const event of events) await handler.handle({ tx, event, afterCommit });
}
