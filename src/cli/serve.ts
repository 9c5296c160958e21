import { buildApp } from "../app.ts";
import type { Config } from "../config.ts";
import { modules } from "../modules/index.ts";
import { startBackgroundWork, stopBackgroundWork } from "../platform/boot.ts";
import { demoSignInLines, startDemoInBackground } from "../platform/demo.ts";
import type { Platform } from "../platform/platform.ts";
import { stopThreads } from "../platform/threads.ts";

/**
 * `komma serve` once its platform is open: the app listening, the background work running, the
 * demo's accounts printed (`demo`) and its slower part started (all of it where just `seeded`, else
 * what a stop left undone); on SIGTERM or SIGINT
 * it shuts down in order and ends the process through `exit`.
 */
export async function runServer(
  platform: Platform,
  cfg: Config,
  opts: { demo: boolean; seeded: boolean; say: (line: string) => void; exit: (code: number) => void },
): Promise<void> {
  let shuttingDown = false;
  const app = await buildApp(platform, { isShuttingDown: () => shuttingDown });
  await startBackgroundWork(platform);
  await app.listen({ port: cfg.port, host: cfg.host });
  if (opts.demo) for (const line of demoSignInLines(cfg.publicUrl)) opts.say(line);
  if (opts.demo)
    await startDemoInBackground(platform, modules, {
      seeded: opts.seeded,
      say: opts.say,
      // Stopped by the shutdown: the next start goes on with it (`due`; the schedules' `resumeAtStart`).
      failed: (err, module) => {
        if (!shuttingDown) app.log.error({ err, module }, "demo work in the background failed");
      },
    });
  const shutdown = async (signal: string) => {
    if (shuttingDown) return;
    shuttingDown = true;
    app.log.info({ signal }, "shutting down");
    // Stop taking requests, let those in flight finish, then stop jobs and the database.
    const force = setTimeout(() => opts.exit(1), 20_000);
    force.unref();
    await app.close();
    // Threads still at work (a release, a PDF) are stopped before the process exits.
    await stopThreads();
    await stopBackgroundWork(platform);
    await platform.database.close();
    opts.exit(0);
  };
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
  process.on("SIGINT", () => void shutdown("SIGINT"));
}
