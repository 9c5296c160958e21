import type { EventEmitter } from "node:events";
import type { Config } from "../config.ts";
import type { Broadcast } from "./broadcast.ts";
import type { Counters } from "./counters.ts";
import type { Keyring } from "./crypto/keyring.ts";
import type { Database, Db } from "./db/client.ts";
import type { DomainEvents } from "./events/events.ts";
import type { Jobs } from "./jobs/jobs.ts";
import type { Scheduler } from "./jobs/schedules.ts";
import type { Mailer } from "./mail/mailer.ts";

/** The clock everything that computes deadlines or timeouts asks; tests move it. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** The shared kernel handed to every module: technology, not domain. */
export interface Platform {
  config: Config;
  database: Database;
  db: Db;
  /**
   * Where statistics across municipalities are read: a read replica where one is configured
   * (DATABASE_REPLICA_URL), else the primary. Read-only use: nothing is written through it.
   */
  statisticsDb: Db;
  keyring: Keyring;
  clock: Clock;
  jobs: Jobs;
  /** Recurring jobs the modules declare, fired on this clock by exactly one process. */
  scheduler: Scheduler;
  mailer: Mailer;
  /** Signals between modules within this process, e.g. "reports.flood" (nothing durable: see domainEvents). */
  events: EventEmitter;
  /** Durable domain events (transactional outbox), delivered at least once to each subscribed handler. */
  domainEvents: DomainEvents;
  /**
   * Messages to every process on the database, for what processes keep in memory and another
   * may change, e.g. "tenant.updated" (cached public data), "keys.rotated" (the active data key).
   */
  broadcast: Broadcast;
  /** Counts within a time window shared by every process (rate limits, throttles, budgets, one-time keys). */
  counters: Counters;
  /** First path segments of the platform and its modules, which no municipality may take as its short name. */
  reservedPaths: ReadonlySet<string>;
  /** The national level's tenant (exists after migration + bootstrap). */
  nationalTenant: { id: string; slug: string; name: string };
}
