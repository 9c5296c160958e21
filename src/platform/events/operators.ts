import type { Database } from "../db/client.ts";
import type { FailedDelivery } from "./types.ts";

/* What operators see and do about deliveries that failed (`komma events failed`, `komma events retry`). */

/** Deliveries that failed or are still being retried, oldest first: event, handler, attempts, the error's kind. */
export async function failedDeliveries(database: Database): Promise<FailedDelivery[]> {
  const { rows: found } = await database.rawQuery(
    `select d.event_id, d.tenant_id, e.name, d.handler, d.status, d.attempts, d.last_error, d.updated_at
       from event_deliveries d join domain_events e on e.id = d.event_id
      where d.status <> 'done' order by d.updated_at`,
  );
  return found.map((r) => ({
    eventId: String(r.event_id),
    tenantId: String(r.tenant_id),
    event: String(r.name),
    handler: String(r.handler),
    status: r.status as "retrying" | "failed",
    attempts: Number(r.attempts),
    lastError: (r.last_error as string | null) ?? null,
    updatedAt: new Date(r.updated_at as string),
  }));
}

/** Gives failed deliveries another round (after the cause was fixed): the relay hands them on again. Returns how many. */
export async function retryFailedDeliveries(database: Database, now: Date): Promise<number> {
  const { rows: reset } = await database.rawQuery(
    "update event_deliveries set status = 'retrying', attempts = 0, updated_at = $1 where status = 'failed' returning event_id",
    [now],
  );
  const ids = [...new Set(reset.map((r) => String(r.event_id)))];
  if (ids.length > 0) await database.rawQuery("update domain_events set settled_at = null, relay_lease_until = null where id = any($1::uuid[])", [ids]);
  return reset.length;
}

/** Whether some event of these names that occurred before `before` is not settled yet (a handler has still to take it). */
export async function pendingBefore(database: Database, names: readonly string[], before: Date): Promise<boolean> {
  const { rows: found } = await database.rawQuery(
    "select exists (select from domain_events where settled_at is null and occurred_at < $2 and name = any($1::text[])) as pending",
    [names, before],
  );
  return found[0]?.pending === true;
}
