import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import path from "node:path";
import lockfile from "proper-lockfile";

/*
 * One process at a time on an embedded database's data directory. The lock is a directory
 * (`pg.lock`, proper-lockfile) whose time the holder renews; beside it, `pg.lock.pid` names the
 * holder's process and host. A lock not renewed for a minute is taken over (a process killed on
 * another host that shares the folder); one whose process on this host is gone is taken over at
 * once, so that a start right after a crash need not wait. A minute rather than seconds: the
 * embedded database runs in the process's own thread, and a long statement on a loaded machine
 * holds up the renewal — a lock taken over from a living process would let two write at once.
 */

const STALE_MS = 60_000;
const RENEW_MS = 5_000;

export class DataDirLockedError extends Error {}

/** Whether the process named in the pid file is known to be gone (false where unknown: another host, no file). */
function holderGone(pidFile: string): boolean {
  let pid: number;
  try {
    const [p, host] = readFileSync(pidFile, "utf8").split("\n");
    if (host !== hostname()) return false;
    pid = Number(p);
  } catch {
    return false;
  }
  if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return false;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "ESRCH";
  }
}

/** Takes the data directory's lock; returns its release. Throws `DataDirLockedError` where another process holds it. */
export async function lockDataDir(dataDir: string, guarded: string): Promise<() => Promise<void>> {
  const lockPath = path.join(dataDir, "pg.lock");
  const pidFile = path.join(dataDir, "pg.lock.pid");
  const take = () =>
    lockfile.lock(guarded, {
      lockfilePath: lockPath,
      stale: STALE_MS,
      update: RENEW_MS,
      // Should the renewal fail or find the lock taken, the process stops rather than write beside another.
      onCompromised: (err) => {
        console.error("The embedded database's lock was lost; stopping.", err.message);
        process.exit(3);
      },
    });
  let release: () => Promise<void>;
  try {
    release = await take();
  } catch {
    if (!holderGone(pidFile)) throw new DataDirLockedError();
    rmSync(lockPath, { recursive: true, force: true });
    try {
      release = await take();
    } catch {
      throw new DataDirLockedError();
    }
  }
  writeFileSync(pidFile, `${process.pid}\n${hostname()}\n`);
  return async () => {
    rmSync(pidFile, { force: true });
    await release();
  };
}
