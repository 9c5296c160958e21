import type { z } from "zod";
import type { Db } from "../db/client.ts";

/* The shapes of domain events, their handlers and the service that delivers them (events.ts). */

/** A kind of event, declared with its payload's schema in the emitting module's index.ts. */
export interface EventType<T> {
  readonly name: string;
  readonly schema: z.ZodType<T>;
}

export function defineEvent<T>(name: string, schema: z.ZodType<T>): EventType<T> {
  return { name, schema };
}

export interface DomainEvent<T> {
  id: string;
  tenantId: string;
  name: string;
  payload: T;
  occurredAt: Date;
}

export interface HandlerContext<T> {
  /** The transaction of the event's tenant; the delivery record commits with it. */
  tx: Db;
  event: DomainEvent<T>;
  /** Work after the commit (e.g. handing queued mails to delivery); failures there are logged. */
  afterCommit(fn: () => Promise<void>): void;
}

export interface BatchContext<T> {
  /** The transaction of the events' tenant; their delivery records commit with it. */
  tx: Db;
  /** Events of one tenant, oldest first; each has not reached this handler before. */
  events: DomainEvent<T>[];
  afterCommit(fn: () => Promise<void>): void;
}

interface HandlerBase<T> {
  /** Unique, stable name: `<module>.<what it does>`, e.g. "cases.open-case". */
  name: string;
  event: EventType<T>;
  /** Retries through the job queue before the delivery counts as failed (default 5). */
  retryLimit?: number;
  /** First wait before a retry, growing with each (default 10 s). */
  retryDelaySeconds?: number;
}

/**
 * A handler takes one event at a time (`handle`) or, where a burst is cheaper in one go (one
 * statement for many rows), every event of a delivery together (`handleMany`).
 */
export type EventHandler<T = unknown> = HandlerBase<T> &
  ({ handle(ctx: HandlerContext<T>): Promise<void>; handleMany?: never } | { handleMany(ctx: BatchContext<T>): Promise<void>; handle?: never });

export interface FailedDelivery {
  eventId: string;
  tenantId: string;
  event: string;
  handler: string;
  status: "retrying" | "failed";
  attempts: number;
  lastError: string | null;
  updatedAt: Date;
}

export interface DomainEvents {
  /** Stores an event in the caller's transaction; returns its id (pass it to `deliver` after commit). */
  emit<T>(tx: Db, type: EventType<T>, tenantId: string, payload: T): Promise<string>;
  /** Stores several events of one type in one statement; returns their ids in order. */
  emitMany<T>(tx: Db, type: EventType<T>, tenantId: string, payloads: T[]): Promise<string[]>;
  /** Adds a handler. Call before the job queue starts (the module manifest's `eventHandlers`). */
  subscribe<T>(handler: EventHandler<T>): void;
  /**
   * Delivers committed events to this process's handlers now, in the background. The promise
   * settles when they are through (it never rejects: what failed is left to the relay); await it
   * where the next page needs the handlers' work. Under load, the events of a tenant that wait
   * are delivered together, in one transaction.
   */
  deliver(tenantId: string, eventIds: string[]): Promise<void>;
  /** Resolves once this process's background deliveries are through. */
  idle(): Promise<void>;
  /**
   * Hands unsettled events older than `graceMs` to the job queue (one job per missing handler).
   * Returns how many events it handed on.
   */
  relay(opts?: { graceMs?: number }): Promise<number>;
  /** Waits for background deliveries, then delivers every unsettled event in this process (tests, CLI). */
  drain(): Promise<void>;
  /** Deliveries that failed or are still being retried, oldest first. */
  failed(): Promise<FailedDelivery[]>;
  /** Whether some event of these names that occurred before `before` is still being delivered (not settled): across tenants. */
  pendingBefore(names: readonly string[], before: Date): Promise<boolean>;
  /** Gives failed deliveries another round of attempts (after the cause was fixed). Returns how many. */
  retryFailed(): Promise<number>;
  /** Starts the periodic relay (with the job queue's workers). */
  start(): Promise<void>;
  stop(): Promise<void>;
}
