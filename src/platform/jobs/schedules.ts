import { CronExpressionParser } from "cron-parser";
import type { Database } from "../db/client.ts";
import { loggableError } from "../logging/loggable-error.ts";
import type { Jobs } from "./jobs.ts";

/*
 * Recurring jobs that modules declare (cron expressions in Europe/Berlin, where municipalities
 * keep their office hours and deadlines), on the platform's clock rather than the wall clock:
 * tests move time and see a schedule fire.
 *
 * Every process ticks. A tick looks for the latest due time of each schedule at or before now
 * and, if it is later than the one last fired, moves `schedules.last_due_at` forward with a
 * compare-and-set: of several processes exactly one wins, and hands the run to the job queue
 * (with its retries). A process that was down for days fires a schedule once, not once per missed
 * time. A new schedule starts counting from the moment it is first seen. A schedule may ask to
 * run once more at a process's start (`resumeAtStart`), so that work a restart cut off goes on.
 */

export const SCHEDULE_TIMEZONE = "Europe/Berlin";

export interface Schedule {
  /** Unique, stable: `<module>.<what it does>`. */
  name: string;
  /** Five-field cron expression in Europe/Berlin, e.g. "0 3 * * *" (every day at 03:00). */
  cron: string;
  /**
   * Run once more when a process starts, if the schedule ran before: for a schedule whose run
   * finds for itself whether work is due, so that work a restart cut off (a release) goes on at
   * once rather than at the next due time. Several processes starting at once each send it; the
   * run must bear that (a lease, a check).
   */
  resumeAtStart?: boolean;
  run(dueAt: Date): Promise<void>;
}

export interface Scheduler {
  add(schedule: Schedule): void;
  /** Fires what is due; returns the names fired by this process. */
  tick(): Promise<string[]>;
  /** Sends the schedules that resume at a start (`resumeAtStart`) and ran before; returns their names. */
  resume(): Promise<string[]>;
  start(): void;
  /** Stops ticking; resolves once a tick under way has finished. */
  stop(): Promise<void>;
}

const TICK_MS = 15_000;

export function scheduleQueue(name: string): string {
  return `schedule.${name}`;
}

/** The latest time the expression matches at or before `now`. */
export function latestDue(cron: string, now: Date): Date {
  const expression = CronExpressionParser.parse(cron, { currentDate: new Date(now.getTime() + 1), tz: SCHEDULE_TIMEZONE });
  return expression.prev().toDate();
}

export function createScheduler(opts: { database: Database; jobs: Jobs; clock: { now(): Date }; log?: (message: string, detail: object) => void }): Scheduler {
  const { database, jobs, clock } = opts;
  const log = opts.log ?? ((message, detail) => console.error(message, JSON.stringify(detail)));
  const all = new Map<string, Schedule>();
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<string[]> | null = null;

  async function fireIfDue(s: Schedule, now: Date): Promise<boolean> {
    const { rows: found } = await database.rawQuery("select last_due_at from schedules where name = $1", [s.name]);
    if (found.length === 0) {
      await database.rawQuery("insert into schedules (name, last_due_at) values ($1, $2) on conflict (name) do nothing", [s.name, now]);
      return false;
    }
    const last = new Date(found[0].last_due_at as string);
    const due = latestDue(s.cron, now);
    if (due <= last) return false;
    const { rows: won } = await database.rawQuery("update schedules set last_due_at = $1 where name = $2 and last_due_at = $3 returning name", [
      due,
      s.name,
      last,
    ]);
    if (won.length === 0) return false;
    await jobs.send(scheduleQueue(s.name), { dueAt: due.toISOString() });
    return true;
  }

  const scheduler: Scheduler = {
    add(schedule) {
      if (all.has(schedule.name)) throw new Error(`schedule ${schedule.name} is declared twice`);
      latestDue(schedule.cron, clock.now()); // an invalid expression fails at start, not at 3 a.m.
      all.set(schedule.name, schedule);
      jobs.define<{ dueAt: string }>(scheduleQueue(schedule.name), ({ dueAt }) => schedule.run(new Date(dueAt)), { retryLimit: 3, retryDelaySeconds: 60 });
    },
    async tick() {
      const now = clock.now();
      const fired: string[] = [];
      for (const s of all.values()) {
        try {
          if (await fireIfDue(s, now)) fired.push(s.name);
        } catch (err) {
          log("schedule tick failed", { schedule: s.name, error: loggableError(err) });
        }
      }
      return fired;
    },
    async resume() {
      const sent: string[] = [];
      for (const s of all.values()) {
        if (!s.resumeAtStart) continue;
        try {
          const { rows: found } = await database.rawQuery("select last_due_at from schedules where name = $1", [s.name]);
          if (found.length === 0) continue; // never ran: nothing was cut off
          await jobs.send(scheduleQueue(s.name), { dueAt: new Date(found[0].last_due_at as string).toISOString() });
          sent.push(s.name);
        } catch (err) {
          log("schedule resume failed", { schedule: s.name, error: loggableError(err) });
        }
      }
      return sent;
    },
    start() {
      const run = () => {
        running ??= scheduler.tick().finally(() => {
          running = null;
        });
      };
      running = scheduler
        .resume()
        .then(() => scheduler.tick())
        .finally(() => {
          running = null;
        });
      timer = setInterval(run, TICK_MS);
      timer.unref();
    },
    async stop() {
      if (timer) clearInterval(timer);
      timer = null;
      // A tick under way still reaches the database: it ends before the database is closed.
      await running;
    },
  };
  return scheduler;
}
