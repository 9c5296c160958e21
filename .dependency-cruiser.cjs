/*
 * Module boundaries, checked by `npm run check` (docs/architecture.md, "Module anatomy"):
 * the platform never knows the modules; a module reaches another only through its index.ts;
 * the CLI and the app assemble modules through their index.ts too; no import cycles.
 */
module.exports = {
  forbidden: [
    {
      name: "platform-knows-no-module",
      comment: "The shared kernel must not import a module: modules declare themselves to it (ModuleManifest).",
      severity: "error",
      from: { path: "^src/platform/" },
      to: { path: "^src/(modules/|db-schema\\.ts$)" },
    },
    {
      name: "module-through-index",
      comment: "A module may use another only through that module's index.ts.",
      severity: "error",
      from: { path: "^src/modules/([^/]+)/" },
      to: { path: "^src/modules/[^/]+/", pathNot: ["^src/modules/$1/", "^src/modules/[^/]+/index\\.ts$"] },
    },
    {
      name: "assembly-through-index",
      comment: "The app and the command line assemble modules through their index.ts.",
      severity: "error",
      from: { path: "^src/((app|cli|main)\\.ts$|cli/)" },
      to: { path: "^src/modules/[^/]+/", pathNot: ["^src/modules/[^/]+/index\\.ts$"] },
    },
    {
      name: "no-cycles",
      comment: "Import cycles hide which piece depends on which.",
      severity: "error",
      from: { path: "^src/" },
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    tsConfig: { fileName: "tsconfig.json" },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: { extensions: [".ts", ".js"] },
  },
};
