import { spawnSync } from "node:child_process";
import path from "node:path";
import { type PlatformProvider, runCli } from "../../src/cli/program.ts";
import type { Config } from "../../src/config.ts";
import { modules } from "../../src/modules/index.ts";
import { bootPlatform } from "../../src/platform/boot.ts";
import type { Platform } from "../../src/platform/platform.ts";

/*
 * The command line in tests. `komma` runs a command in this process, through the same program
 * as the installed command (src/cli/program.ts), with only the given environment: a new Node
 * and TypeScript per command would cost seconds each. `kommaProcess` starts a real process, for
 * what only a process shows (the bin file, exit codes to a shell, the lock on the data directory).
 */

const root = path.resolve(import.meta.dirname, "../..");

export interface CliResult {
  code: number | null;
  out: string;
  err: string;
}

/** Runs `komma <args>` in-process; with `platforms` the command uses a platform booted before. */
export async function komma(args: string[], env: Record<string, string>, platforms?: PlatformProvider): Promise<CliResult> {
  let out = "";
  let err = "";
  const code = await runCli(args, {
    env: { LOG_LEVEL: "silent", ...env },
    out: (text) => {
      out += text;
    },
    err: (text) => {
      err += text;
    },
    exit: (c) => {
      throw new Error(`a command tried to end the test process with ${c}`);
    },
    platforms,
  });
  return { code, out, err };
}

/** Runs `node src/cli.ts <args>` as a child process with only PATH, LOG_LEVEL and `env`. */
export function kommaProcess(args: string[], env: Record<string, string>): CliResult {
  const r = spawnSync(process.execPath, [path.join(root, "src/cli.ts"), ...args], {
    cwd: root,
    env: { PATH: process.env.PATH ?? "", LOG_LEVEL: "silent", ...env },
    encoding: "utf8",
    timeout: 120_000,
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/**
 * One platform for several commands against one installation, booted from the first command's
 * configuration, as a running installation is; `close()` ends it (before another process may
 * open an embedded database).
 */
export function bootedOnce(): PlatformProvider & { platform(): Promise<Platform>; close(): Promise<void> } {
  let booted: Promise<Platform> | undefined;
  return {
    open: (config: Config) => {
      booted ??= bootPlatform(config, { modules });
      return booted;
    },
    release: async () => {},
    platform() {
      if (!booted) throw new Error("no command has booted the installation yet");
      return booted;
    },
    async close() {
      const platform = await booted?.catch(() => undefined);
      booted = undefined;
      await platform?.database.close();
    },
  };
}
