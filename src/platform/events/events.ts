import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { type Database, type Db, preparedRows, withTenant } from "../db/client.ts";
import type { Jobs } from "../jobs/jobs.ts";
import { loggableError } from "../logging/loggable-error.ts";
import { claim, claimTogether, failureText, handlerQueue, invoke } from "./handlers.ts";
import { failedDeliveries, pendingBefore, retryFailedDeliveries } from "./operators.ts";
import type { DomainEvent, DomainEvents, EventHandler } from "./types.ts";

/*
 * Durable domain events through a transactional outbox. A module emits an event inside the
 * transaction of the change that caused it (`emit`, or in SQL where a database function does the
 * work); it is stored in `domain_events` and commits or rolls back with that change.
 *
 * Delivery is at least once, to each subscribed handler, along two paths:
 * - at once, in the process that emitted it, after its transaction committed (`deliver`), so that
 *   a case appears in the inbox the moment a report arrives;
 * - through the job queue, for every event that is not settled a short while later (a process died
 *   between commit and delivery, or a handler failed): the relay hands each missing
 *   (event, handler) pair to that handler's queue, with the queue's retries.
 * A handler runs in a transaction of the event's tenant together with the row that records it in
 * `event_deliveries`: a repeated delivery finds the row and does nothing (idempotent). A handler
 * that keeps failing is marked `failed` for operators (`komma events failed`), without holding up
 * other handlers or events.
 */

export { handlerQueue } from "./handlers.ts";
export {
  type BatchContext,
  type DomainEvent,
  type DomainEvents,
  defineEvent,
  type EventHandler,
  type EventType,
  type FailedDelivery,
  type HandlerContext,
} from "./types.ts";

/** How long the emitting process has to deliver an event itself before the relay steps in. */
const GRACE_MS = 30_000;
const LEASE_MS = 60_000;
const RELAY_EVERY_MS = 10_000;
const BATCH = 200;
/** Transactions delivering at once in one process: the rest of a burst waits and goes together. */
const DELIVERING_AT_ONCE = 2;
/** Events of one tenant delivered in one transaction at most. */
const DELIVERY_BATCH = 100;
/** Rounds of events that handlers emit, delivered in the transaction that delivered their cause. */
const CHAINED_ROUNDS = 3;
/** Events waiting for delivery in one process at most; beyond, the relay takes them. */
const MAX_WAITING = 20_000;

export function createDomainEvents(opts: {
  database: Database;
  jobs: Jobs;
  clock: { now(): Date };
  log?: (msg: string, detail: object) => void;
}): DomainEvents {
  const { database, jobs, clock } = opts;
  const log = opts.log ?? ((msg, detail) => console.error(msg, JSON.stringify(detail)));
  const handlers = new Map<string, EventHandler<unknown>[]>();
  const byName = new Map<string, EventHandler<unknown>>();
  const inFlight = new Set<Promise<unknown>>();
  /**
   * Events with handlers that a transaction emitted, delivered at once after a delivery's commit.
   * Keyed by the transaction's handle, which a pooled connection reuses: a delivery clears it as
   * its transaction begins.
   */
  const emittedIn = new WeakMap<Db, string[]>();
  /** Events waiting for this process's delivery, per tenant (oldest tenant first), with who waits for them. */
  const waiting = new Map<string, Map<string, (() => void)[]>>();
  let waitingCount = 0;
  let delivering = 0;
  let timer: NodeJS.Timeout | null = null;

  /** Which handlers each event has, as the delivery statement reads it. */
  let handlerMap = "{}";

  async function load(eventId: string): Promise<DomainEvent<unknown> | null> {
    const { rows: found } = await database.rawQuery("select id, tenant_id, name, payload, occurred_at from domain_events where id = $1", [eventId]);
    const r = found[0];
    if (!r) return null;
    return { id: String(r.id), tenantId: String(r.tenant_id), name: String(r.name), payload: r.payload, occurredAt: new Date(r.occurred_at as string) };
  }

  /** Delivers, after a commit, what the committed transaction emitted for handlers of this process. */
  function deliverEmitted(tx: Db, tenantId: string): void {
    const ids = emittedIn.get(tx);
    emittedIn.delete(tx);
    if (ids && ids.length > 0) void events.deliver(tenantId, ids);
  }

  async function runAfterCommit(after: (() => Promise<void>)[], handler?: string): Promise<void> {
    for (const fn of after) {
      try {
        await fn();
      } catch (err) {
        log("event handler: work after commit failed", { handler, error: loggableError(err) });
      }
    }
  }

  /**
   * Runs one handler for one event, exactly once in effect. Throws when the handler failed. A
   * delivery marked failed is left alone (a straggling retry of the queue included) until an
   * operator gives it another round (`retryFailed`).
   */
  async function run(handler: EventHandler<unknown>, stored: DomainEvent<unknown>): Promise<void> {
    const after: (() => Promise<void>)[] = [];
    const now = clock.now();
    let transaction: Db | null = null;
    try {
      const ran = await withTenant(database.db, stored.tenantId, async (tx) => {
        transaction = tx;
        emittedIn.delete(tx);
        if (!(await claim(tx, stored.tenantId, stored.id, handler.name, now))) return false;
        await invoke(handler, tx, [stored], after);
        return true;
      });
      if (!ran) return;
    } catch (err) {
      const limit = handler.retryLimit ?? 5;
      await withTenant(database.db, stored.tenantId, (tx) =>
        tx.execute(
          sql`insert into event_deliveries (tenant_id, event_id, handler, status, attempts, last_error, updated_at)
              values (${stored.tenantId}, ${stored.id}, ${handler.name}, ${limit <= 0 ? "failed" : "retrying"}, 1, ${failureText(err)}, ${now})
              on conflict (event_id, handler) do update set
                status = case when event_deliveries.attempts + 1 > ${limit} then 'failed' else 'retrying' end,
                attempts = event_deliveries.attempts + 1, last_error = excluded.last_error, updated_at = excluded.updated_at
              where event_deliveries.status <> 'done'`,
        ),
      );
      throw err;
    }
    if (transaction) deliverEmitted(transaction, stored.tenantId);
    await runAfterCommit(after, handler.name);
  }

  /** Marks events settled once every handler of theirs is done (or has failed for good). */
  async function settle(eventIds: string[]): Promise<void> {
    if (eventIds.length === 0) return;
    const { rows: found } = await database.rawQuery(
      `select e.id, e.name, coalesce(array_agg(d.handler) filter (where d.status in ('done', 'failed')), '{}') as done
         from domain_events e left join event_deliveries d on d.event_id = e.id
        where e.id = any($1::uuid[]) and e.settled_at is null group by e.id, e.name`,
      [eventIds],
    );
    const settled = found.filter((r) => (handlers.get(String(r.name)) ?? []).every((h) => (r.done as string[]).includes(h.name))).map((r) => String(r.id));
    if (settled.length > 0) await database.rawQuery("update domain_events set settled_at = $1 where id = any($2::uuid[])", [clock.now(), settled]);
  }

  /** Each event to each handler on its own: where a delivery together failed, and for the drain. */
  async function deliverEach(eventIds: string[]): Promise<void> {
    for (const id of eventIds) {
      const stored = await load(id);
      if (!stored) continue;
      for (const handler of handlers.get(stored.name) ?? []) {
        try {
          await run(handler, stored);
        } catch (err) {
          // The relay hands it to the job queue, which retries.
          log("event handler failed; it will be retried", { handler: handler.name, error: loggableError(err) });
        }
      }
    }
    await settle(eventIds);
  }

  /**
   * The emitting process's delivery of events of one tenant: in one transaction, one statement
   * settles the events, records each handler's delivery and returns the events with the handlers
   * that have not had them yet (settling first is safe: should a handler fail, all of it rolls
   * back); then each handler takes its events, together where it can (`handleMany`), and the
   * events the handlers emit follow in the same transaction. Should a handler fail, each event goes
   * to each handler on its own (`deliverEach`), so that the others are not held back and the
   * failure is recorded.
   */
  async function deliverTogether(tenantId: string, eventIds: string[]): Promise<void> {
    const after: (() => Promise<void>)[] = [];
    let transaction: Db | null = null;
    try {
      await withTenant(database.db, tenantId, async (tx) => {
        transaction = tx;
        emittedIn.delete(tx);
        let ids = eventIds;
        // What the handlers emit goes on in the same transaction (the case opened by a report is
        // counted for the statistics with it), a few rounds deep; the rest after the commit.
        for (let round = 0; round < CHAINED_ROUNDS && ids.length > 0; round++) {
          await deliverInTransaction(tx, tenantId, ids, after);
          ids = emittedIn.get(tx) ?? [];
          emittedIn.delete(tx);
          if (round + 1 === CHAINED_ROUNDS && ids.length > 0) emittedIn.set(tx, ids);
        }
      });
    } catch {
      await deliverEach(eventIds);
      return;
    }
    if (transaction) deliverEmitted(transaction, tenantId);
    await runAfterCommit(after);
  }

  /**
   * One statement settles the events, records each handler's delivery and returns the events with
   * the handlers that have not had them yet; then each handler takes its events.
   */
  async function deliverInTransaction(tx: Db, tenantId: string, eventIds: string[], after: (() => Promise<void>)[]): Promise<void> {
    const stored = await claimTogether(tx, tenantId, eventIds, handlerMap, clock.now());
    for (const name of new Set(stored.map((s) => s.event.name))) {
      for (const handler of handlers.get(name) ?? []) {
        const mine = stored.filter((s) => s.event.name === name && s.handlers.includes(handler.name)).map((s) => s.event);
        if (mine.length > 0) await invoke(handler, tx, mine, after);
      }
    }
  }

  /** Starts deliveries while fewer than DELIVERING_AT_ONCE run: all waiting events of the tenant waiting longest. */
  function pump(): void {
    while (delivering < DELIVERING_AT_ONCE && waiting.size > 0) {
      const [tenantId, queued] = waiting.entries().next().value as [string, Map<string, (() => void)[]>];
      waiting.delete(tenantId);
      const batch = [...queued.entries()].slice(0, DELIVERY_BATCH);
      if (queued.size > batch.length) waiting.set(tenantId, new Map([...queued.entries()].slice(DELIVERY_BATCH)));
      waitingCount -= batch.length;
      delivering += 1;
      const p = deliverTogether(
        tenantId,
        batch.map(([id]) => id),
      )
        .catch((err) => log("event delivery failed; the relay will retry", { error: loggableError(err) }))
        .finally(() => {
          delivering -= 1;
          for (const [, done] of batch) for (const d of done) d();
          pump();
        });
      inFlight.add(p);
      void p.finally(() => inFlight.delete(p));
    }
  }

  /** Hands one batch of unsettled events older than the grace period to the handlers' queues. */
  async function relayBatch(graceMs: number): Promise<number> {
    const now = clock.now();
    // Claimed with a lease rather than a lock: the jobs are sent outside this statement, and a
    // relay that dies before marking them leaves them to the next one once the lease ran out.
    const { rows: claimed } = await database.rawQuery(
      `update domain_events set relay_lease_until = $1
        where id in (select id from domain_events
                      where settled_at is null and occurred_at <= $2 and (relay_lease_until is null or relay_lease_until < $3)
                      order by occurred_at, seq limit ${BATCH} for update skip locked)
        returning id, name`,
      [new Date(now.getTime() + LEASE_MS), new Date(now.getTime() - graceMs), now],
    );
    if (claimed.length === 0) return 0;
    const ids = claimed.map((r) => String(r.id));
    const { rows: done } = await database.rawQuery(
      "select event_id, handler from event_deliveries where event_id = any($1::uuid[]) and status in ('done', 'failed')",
      [ids],
    );
    const isDone = new Set(done.map((d) => `${d.event_id}/${d.handler}`));
    for (const r of claimed) {
      for (const h of handlers.get(String(r.name)) ?? []) {
        if (!isDone.has(`${r.id}/${h.name}`)) await jobs.send(handlerQueue(h.name), { eventId: String(r.id) });
      }
    }
    await settle(ids);
    return claimed.length;
  }

  const events: DomainEvents = {
    async emit(tx, type, tenantId, payload) {
      const [id] = await events.emitMany(tx, type, tenantId, [payload]);
      return id;
    },

    async emitMany(tx, type, tenantId, payloads) {
      if (payloads.length === 0) return [];
      const stored = payloads.map((p) => ({ id: randomUUID(), payload: type.schema.parse(p) }));
      const now = clock.now();
      // An event nobody handles (yet: later modules may, from then on) is settled as it is written,
      // so the relay never has to look at it.
      const handled = (handlers.get(type.name) ?? []).length > 0;
      await preparedRows(
        tx,
        sql`insert into domain_events (id, tenant_id, name, payload, occurred_at, settled_at)
            select e.id, ${tenantId}::uuid, ${type.name}::text, e.payload, ${now}::timestamptz, ${handled ? null : now}::timestamptz
              from jsonb_to_recordset(${JSON.stringify(stored)}::jsonb) as e(id uuid, payload jsonb)`,
      );
      const ids = stored.map((e) => e.id);
      if (handled) emittedIn.set(tx, [...(emittedIn.get(tx) ?? []), ...ids]);
      return ids;
    },

    subscribe(handler) {
      if (byName.has(handler.name)) throw new Error(`event handler ${handler.name} is subscribed twice`);
      if (!handler.handle === !handler.handleMany) throw new Error(`event handler ${handler.name} needs handle or handleMany`);
      byName.set(handler.name, handler as EventHandler<unknown>);
      const list = handlers.get(handler.event.name) ?? [];
      list.push(handler as EventHandler<unknown>);
      handlers.set(handler.event.name, list);
      handlerMap = JSON.stringify(Object.fromEntries([...handlers].map(([name, hs]) => [name, hs.map((h) => h.name)])));
      jobs.define<{ eventId: string }>(
        handlerQueue(handler.name),
        async ({ eventId }) => {
          const stored = await load(eventId);
          if (!stored) return;
          await run(handler as EventHandler<unknown>, stored);
          await settle([eventId]);
        },
        { retryLimit: handler.retryLimit ?? 5, retryDelaySeconds: handler.retryDelaySeconds ?? 10 },
      );
    },

    deliver(tenantId, eventIds) {
      // Past this many waiting events the process is far behind: the relay's queue takes them.
      if (eventIds.length === 0 || waitingCount + eventIds.length > MAX_WAITING) return Promise.resolve();
      const delivered = new Promise<void>((resolve) => {
        let left = eventIds.length;
        const done = () => {
          left -= 1;
          if (left === 0) resolve();
        };
        const queued = waiting.get(tenantId) ?? new Map<string, (() => void)[]>();
        waiting.set(tenantId, queued);
        for (const id of eventIds) {
          const waiters = queued.get(id);
          if (waiters) waiters.push(done);
          else {
            queued.set(id, [done]);
            waitingCount += 1;
          }
        }
      });
      pump();
      return delivered;
    },

    async idle() {
      while (inFlight.size > 0 || waiting.size > 0) await Promise.all([...inFlight]);
    },

    async relay({ graceMs = GRACE_MS } = {}) {
      let total = 0;
      for (;;) {
        const n = await relayBatch(graceMs);
        total += n;
        if (n < BATCH) return total;
      }
    },

    async drain() {
      await events.idle();
      for (;;) {
        const { rows: pending } = await database.rawQuery(`select id from domain_events where settled_at is null order by occurred_at, seq limit ${BATCH}`);
        if (pending.length === 0) return;
        const ids = pending.map((r) => String(r.id));
        await deliverEach(ids);
        // A handler that keeps failing leaves its event unsettled: stop rather than loop.
        const { rows: still } = await database.rawQuery("select count(*)::int as n from domain_events where id = any($1::uuid[]) and settled_at is null", [
          ids,
        ]);
        if (Number(still[0].n) > 0) return;
      }
    },

    failed: () => failedDeliveries(database),
    pendingBefore: (names, before) => pendingBefore(database, names, before),

    retryFailed: () => retryFailedDeliveries(database, clock.now()),

    async start() {
      // What a process that died left behind is handed on at once; then every few seconds.
      await events.relay({ graceMs: 0 }).catch((err) => log("event relay failed", { error: loggableError(err) }));
      timer = setInterval(() => {
        events.relay().catch((err) => log("event relay failed", { error: loggableError(err) }));
      }, RELAY_EVERY_MS);
      timer.unref();
    },

    async stop() {
      if (timer) clearInterval(timer);
      timer = null;
      await events.idle();
    },
  };
  return events;
}
