import { existsSync, readFileSync, realpathSync, statSync } from "node:fs";
import { enableCompileCache, type ResolveFnOutput, registerHooks } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

/*
 * What every KommA process loads first (src/cli.ts; the test runner with `--import`), so that it
 * starts in a fraction of the time:
 *
 * 1. Node's compile cache: each file's compiled code — for TypeScript, after its types are
 *    stripped — is kept on disk and reused by the next process as long as the file is unchanged.
 *    It is kept in node_modules/.cache, which belongs to whoever installed the platform, not in
 *    the shared temporary directory, where another user could leave compiled code for us to run.
 *    NODE_COMPILE_CACHE chooses another directory; where none can be written, nothing is cached.
 *
 * 2. A way around a known cost of Node 24's module loader. To learn whether a `.js` file is an
 * ES module, the loader reads the nearest package.json for every file it loads, and in doing so
 * parses that package's whole "exports" map again (getPackageScopeConfig spreads the parsed
 * package, which calls the lazy getter each time). drizzle-orm's package.json is 178 KB with
 * 447 exports, and it has hundreds of files: importing it took 2–5 s of CPU in every process —
 * the server, each command, each test file (docs/performance.md, "Start-up and memory").
 *
 * This hook answers one narrow case itself, as the loader would: a relative import of a `.js` or
 * `.mjs` file, from an ES module inside node_modules, to a file that exists, in a package whose
 * package.json says its "type". It knows each package.json's type after reading it once.
 * Everything else (bare names, exports maps, packages without "type", whose files Node inspects,
 * our own TypeScript) goes to Node's own resolution — and where our own files import a package
 * by its name, Node's answer is kept for the next file that imports it (`ownBareNames`).
 */

if (!process.env.NODE_COMPILE_CACHE) enableCompileCache(join(import.meta.dirname, "../../node_modules/.cache/node-compile-cache"));

type ModuleType = "module" | "commonjs" | null;

const typeOfDirectory = new Map<string, ModuleType>();

/** The "type" of the nearest package.json above `dir`, null where it has none (Node then inspects the file). */
function declaredType(dir: string): ModuleType {
  const visited: string[] = [];
  let current = dir;
  let found: ModuleType = null;
  for (;;) {
    const cached = typeOfDirectory.get(current);
    if (cached !== undefined) {
      found = cached;
      break;
    }
    visited.push(current);
    const manifest = join(current, "package.json");
    if (existsSync(manifest)) {
      try {
        const type = (JSON.parse(readFileSync(manifest, "utf8")) as { type?: unknown }).type;
        found = type === "module" || type === "commonjs" ? type : null;
      } catch {
        found = null;
      }
      break;
    }
    const up = dirname(current);
    if (up === current) break;
    current = up;
  }
  for (const d of visited) typeOfDirectory.set(d, found);
  return found;
}

/**
 * Bare names imported by our own files (outside node_modules): each of them finds the same
 * node_modules, so a name resolves alike from every one of them, and Node's answer is kept. (Each
 * answer costs Node a read of the package's exports; drizzle-orm alone is imported by a hundred files.)
 */
const ownBareNames = new Map<string, ResolveFnOutput>();

registerHooks({
  resolve(specifier, context, nextResolve) {
    const parent = context.parentURL;
    if (parent?.startsWith("file:") && !parent.includes("/node_modules/") && /^[@a-z]/i.test(specifier) && !specifier.includes(":")) {
      const key = `${specifier}\0${context.conditions.join()}\0${JSON.stringify(context.importAttributes)}`;
      const known = ownBareNames.get(key);
      if (known) return known;
      const resolved = { ...nextResolve(specifier, context), shortCircuit: true };
      ownBareNames.set(key, resolved);
      return resolved;
    }
    if (
      parent?.startsWith("file:") &&
      parent.includes("/node_modules/") &&
      (specifier.startsWith("./") || specifier.startsWith("../")) &&
      /\.m?js$/.test(specifier) &&
      context.conditions.includes("import")
    ) {
      const file = fileURLToPath(new URL(specifier, parent));
      if (statSync(file, { throwIfNoEntry: false })?.isFile()) {
        const real = realpathSync(file);
        const format = real.endsWith(".mjs") ? "module" : declaredType(dirname(real));
        if (format) return { url: pathToFileURL(real).href, format, shortCircuit: true };
      }
    }
    return nextResolve(specifier, context);
  },
});
