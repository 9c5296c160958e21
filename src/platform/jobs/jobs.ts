import PgBoss from "pg-boss";
import type { Database } from "../db/client.ts";
import { loggableError } from "../logging/loggable-error.ts";

/*
 * Durable jobs through pg-boss in the same database. On PGlite pg-boss runs over the one
 * embedded connection through its `executeSql` adapter; on PostgreSQL it has its own pool.
 */

export type JobHandler<T> = (data: T) => Promise<void>;

export interface Jobs {
  /** Registers a queue and its worker. Call before start(). */
  define<T extends object>(name: string, handler: JobHandler<T>, opts?: { retryLimit?: number; retryDelaySeconds?: number }): void;
  send<T extends object>(name: string, data: T, opts?: { startAfter?: Date; singletonKey?: string }): Promise<string | null>;
  start(opts?: { work?: boolean }): Promise<void>;
  stop(): Promise<void>;
}

export function createJobs(database: Database, opts: { pollingIntervalSeconds?: number } = {}): Jobs {
  const definitions = new Map<string, { handler: JobHandler<object>; retryLimit: number; retryDelaySeconds: number }>();
  let boss: PgBoss | null = null;

  function makeBoss(): PgBoss {
    const common = { schema: "pgboss", supervise: true, schedule: false, migrate: true };
    if (database.kind === "postgres") {
      // Statements without parameters go through the simple protocol, so several in one string work.
      return new PgBoss({ ...common, db: { executeSql: (text: string, values: unknown[]) => database.rawQuery(text, values) } });
    }
    return new PgBoss({
      ...common,
      db: {
        // pg-boss sends several statements at once (migrations, locks) without parameters;
        // PGlite runs those through exec, and parameterised ones through query.
        executeSql: async (text: string, values?: unknown[]) => {
          if (values && values.length > 0) return database.rawQuery(text, values);
          const results = await database.pglite!.exec(text);
          return { rows: results.at(-1)?.rows ?? [] };
        },
      },
    });
  }

  return {
    define(name, handler, o = {}) {
      definitions.set(name, { handler: handler as JobHandler<object>, retryLimit: o.retryLimit ?? 5, retryDelaySeconds: o.retryDelaySeconds ?? 30 });
    },
    async send(name, data, o = {}) {
      if (!boss) throw new Error("jobs are not started");
      const def = definitions.get(name);
      return boss.send(name, data, {
        retryLimit: def?.retryLimit ?? 5,
        retryDelay: def?.retryDelaySeconds ?? 30,
        retryBackoff: true,
        ...(o.startAfter ? { startAfter: o.startAfter } : {}),
        ...(o.singletonKey ? { singletonKey: o.singletonKey } : {}),
      });
    },
    async start({ work = true } = {}) {
      boss = makeBoss();
      boss.on("error", (err) => console.error("jobs:", JSON.stringify(loggableError(err))));
      await boss.start();
      for (const [name, def] of definitions) {
        await boss.createQueue(name);
        if (work) {
          // Up to 20 jobs per fetch, each on its own: one that fails is retried (or given up)
          // alone, and the batch's others complete. A backlog after a restart drains in seconds.
          const b = boss;
          await b.work<object>(name, { pollingIntervalSeconds: opts.pollingIntervalSeconds ?? 2, batchSize: 20 }, async (jobs) => {
            for (const job of jobs) {
              try {
                await def.handler(job.data);
              } catch (err) {
                // A handler that outlived the queue's stop (ten seconds at a shutdown) fails on a
                // closed database, and the queue cannot record it either: the job stays active and
                // is retried once it expires; the process is not taken down by a rejection nobody holds.
                await b
                  .fail(name, job.id, loggableError(err) as object)
                  .catch((e: unknown) => console.error("jobs: a failure could not be recorded", JSON.stringify({ queue: name, error: loggableError(e) })));
              }
            }
          });
        }
      }
    },
    async stop() {
      if (!boss) return;
      await boss.stop({ graceful: true, wait: true, timeout: 10_000 });
      boss = null;
    },
  };
}
