import { EventEmitter } from "node:events";
import { eq } from "drizzle-orm";
import type { Config } from "../config.ts";
import { defineAccountJobs } from "./auth/link-tokens.ts";
import { createBroadcast } from "./broadcast.ts";
import { createCounters } from "./counters.ts";
import { createKeyring, KEYS_ROTATED } from "./crypto/keyring.ts";
import { type Database, type DatabaseTarget, openDatabase, withTenant } from "./db/client.ts";
import { tenantKeys, tenants } from "./db/schema.ts";
import { createDomainEvents } from "./events/events.ts";
import { createJobs } from "./jobs/jobs.ts";
import { createScheduler } from "./jobs/schedules.ts";
import { createMailer } from "./mail/mailer.ts";
import { type ModuleManifest, reservedPaths } from "./module.ts";
import { type Clock, type Platform, systemClock } from "./platform.ts";

export const NATIONAL_SLUG = "bund";

/** Makes sure the national level exists, with its data key. Idempotent. */
export async function ensureNationalTenant(database: Database, keyring: Platform["keyring"]) {
  const db = database.db;
  let [national] = await db.select().from(tenants).where(eq(tenants.kind, "national"));
  if (!national) {
    [national] = await db.insert(tenants).values({ slug: NATIONAL_SLUG, name: "KommA Bundesebene", kind: "national" }).returning();
  }
  const keys = await db.select().from(tenantKeys).where(eq(tenantKeys.tenantId, national.id));
  if (keys.length === 0) await withTenant(db, national.id, (tx) => keyring.createTenantKey(tx, national.id));
  return { id: national.id, slug: national.slug, name: national.name };
}

/** Background work (event relay, schedules) reports its failures here: stderr, unless logging is off. */
function backgroundLog(config: Config): (message: string, detail: object) => void {
  if (config.logLevel === "silent") return () => {};
  return (message, detail) => console.error(message, JSON.stringify(detail));
}

export interface BootOptions {
  /** The modules of this installation (src/modules/index.ts): their handlers, jobs and schedules are wired here. */
  modules: readonly ModuleManifest[];
  clock?: Clock;
  /** For tests: an already opened database. */
  database?: Database;
  target?: DatabaseTarget;
  jobPollingSeconds?: number;
}

/** Opens the database, applies migrations and assembles the platform services. */
export async function bootPlatform(config: Config, opts: BootOptions): Promise<Platform> {
  const primary = opts.database ?? (await openDatabase(opts.target ?? config.database));
  await primary.migrate();
  const replica = config.statisticsReplica ? await openDatabase(config.statisticsReplica) : null;
  // Closing the database closes the replica's connections with it.
  const database: Database = replica
    ? {
        ...primary,
        close: async () => {
          await replica.close();
          await primary.close();
        },
      }
    : primary;
  const keyring = createKeyring(config.masterKey, config.previousMasterKeys);
  const broadcast = createBroadcast(database);
  // After another process (or `komma keys rotate`) made a new data key, seal with it: the next
  // seal reads the active key again. After a gap in the messages, for every tenant.
  broadcast.subscribe(KEYS_ROTATED, (payload) => keyring.forgetActive(typeof payload?.tenantId === "string" ? payload.tenantId : undefined));
  await broadcast.ready();
  const nationalTenant = await ensureNationalTenant(database, keyring);
  // Mail bodies are sealed with the national key inside other tenants' transactions: hold it.
  await withTenant(database.db, nationalTenant.id, (tx) => keyring.sealer(tx, nationalTenant.id));
  const jobs = createJobs(database, { pollingIntervalSeconds: opts.jobPollingSeconds });
  const clock = opts.clock ?? systemClock;
  const counters = createCounters({ database, lookupHash: (purpose, value) => keyring.lookupHash(purpose, value), clock });
  const mailer = createMailer({ db: database.db, jobs, smtpUrl: config.smtpUrl, from: config.mailFrom, keyring, nationalTenantId: nationalTenant.id, clock });
  const platform: Platform = {
    config,
    database,
    db: database.db,
    statisticsDb: replica?.db ?? database.db,
    keyring,
    clock,
    jobs,
    scheduler: createScheduler({ database, jobs, clock, log: backgroundLog(config) }),
    mailer,
    nationalTenant,
    reservedPaths: reservedPaths(opts.modules),
    events: new EventEmitter(),
    domainEvents: createDomainEvents({ database, jobs, clock, log: backgroundLog(config) }),
    broadcast,
    counters,
  };
  defineAccountJobs(platform);
  for (const m of opts.modules) {
    for (const handler of m.eventHandlers?.(platform) ?? []) platform.domainEvents.subscribe(handler);
    for (const schedule of m.schedules?.(platform) ?? []) platform.scheduler.add(schedule);
  }
  return platform;
}

/** Starts the background work of a serving process: the job queue's workers and the event relay. */
export async function startBackgroundWork(platform: Platform): Promise<void> {
  await platform.jobs.start();
  await platform.domainEvents.start();
  platform.scheduler.start();
}

export async function stopBackgroundWork(platform: Platform): Promise<void> {
  await platform.scheduler.stop();
  await platform.domainEvents.stop();
  await platform.jobs.stop();
}
