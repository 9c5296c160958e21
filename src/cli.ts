import { runCli } from "./cli/program.ts";

/*
 * The `komma` process: the program of cli/program.ts on this process's arguments, environment,
 * output and exit code. `serve` keeps the process alive after runCli answers, until a signal.
 */

process.exitCode = await runCli(process.argv.slice(2), {
  env: process.env,
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
  exit: (code) => process.exit(code),
});
