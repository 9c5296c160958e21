import "./platform/preload.ts";

// Loaded after the resolve hook above is in place (a static import would be resolved before it).
const { runCli } = await import("./cli/program.ts");

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
