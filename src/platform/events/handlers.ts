import { sql } from "drizzle-orm";
import { type Db, preparedRows, rows } from "../db/client.ts";
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

/**
 * A delivery's claim on events of one tenant, in one statement: settles them, records each
 * handler's delivery (`handlerMap`: the handlers of each event's name, as JSON) and returns the
 * events, oldest first, with the handlers that have not had them yet. Settling first is safe:
 * should a handler fail, all of it rolls back.
 */
export async function claimTogether(
  tx: Db,
  tenantId: string,
  eventIds: string[],
  handlerMap: string,
  now: Date,
): Promise<{ event: DomainEvent<unknown>; handlers: string[] }[]> {
  // Each event is found by its key: "settled_at is null" is written so that the planner cannot
  // answer it from the index of unsettled events, which under a backlog holds thousands.
  // Prepared once per connection: the statement is the same for every delivery, so PostgreSQL
  // need not parse and plan it each time.
  const found = await preparedRows<{ id: string; name: string; payload: unknown; occurred_at: string | Date; handlers: string[] }>(
    tx,
    sql`with ev as (
          update domain_events e set settled_at = ${now}
           where e.id = any(${`{${eventIds.join(",")}}`}::uuid[]) and e.tenant_id = ${tenantId}
             and coalesce(e.settled_at, '-infinity') = '-infinity'
          returning e.id, e.name, e.payload, e.occurred_at, e.seq),
        claimed as (
          insert into event_deliveries (tenant_id, event_id, handler, status, attempts, updated_at)
          select ${tenantId}::uuid, ev.id, h.handler, 'done', 1, ${now}::timestamptz
            from ev cross join lateral jsonb_array_elements_text(${handlerMap}::jsonb -> ev.name) as h(handler)
          on conflict (event_id, handler) do update set status = 'done', attempts = event_deliveries.attempts + 1, last_error = null, updated_at = excluded.updated_at
           where event_deliveries.status = 'retrying'
          returning event_id, handler)
        select ev.id, ev.name, ev.payload, ev.occurred_at, array(select c.handler from claimed c where c.event_id = ev.id) as handlers
          from ev order by ev.occurred_at, ev.seq`,
  );
  return found.map((r) => ({
    event: { id: String(r.id), tenantId, name: r.name, payload: r.payload, occurredAt: new Date(r.occurred_at) },
    handlers: r.handlers,
  }));
}

/** Runs a handler for events it has not had yet, in the given transaction. */
export async function invoke(handler: EventHandler<unknown>, tx: Db, stored: DomainEvent<unknown>[], after: (() => Promise<void>)[]): Promise<void> {
  const events = stored.map((e) => ({ ...e, payload: handler.event.schema.parse(e.payload) }));
  const afterCommit = (fn: () => Promise<void>) => after.push(fn);
  if (handler.handleMany) await handler.handleMany({ tx, events, afterCommit });
  else for (const event of events) await handler.handle({ tx, event, afterCommit });
}
