import { type ChildProcess, type StdioOptions, spawn } from "node:child_process";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");

/**
 * Starts `komma serve` as a child process, as in production, and resolves once it answers
 * /health/ready on 127.0.0.1:`port`. For the benchmark and tests that need a real process.
 */
export async function startServerProcess(env: Record<string, string>, port: number, stdio: StdioOptions): Promise<ChildProcess> {
  const child = spawn(process.execPath, [path.join(root, "src/cli.ts"), "serve"], {
    cwd: root,
    env: {
      PATH: process.env.PATH ?? "",
      ...(process.env.PROFILE_DIR ? { NODE_OPTIONS: `--cpu-prof --cpu-prof-dir=${process.env.PROFILE_DIR}` } : {}),
      ...env,
      PORT: String(port),
      HOST: "127.0.0.1",
    },
    stdio,
  });
  const until = Date.now() + 60_000;
  while (Date.now() < until) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/health/ready`)).ok) return child;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  child.kill("SIGKILL");
  throw new Error("server did not start");
}
