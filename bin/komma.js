#!/usr/bin/env node
// Plain JavaScript on purpose: whatever `node` the shell finds can run this file far enough to say
// which Node KommA needs, instead of failing on a .ts extension (Node 20, the system one on Debian
// 12, cannot load TypeScript). The check matches scripts/require-node24.ts.
const major = Number(process.versions.node.split(".")[0]);
if (major !== 24) {
  console.error(`KommA needs Node 24 (found ${process.versions.node}). Run "npm install" first and start it with "npx komma" or "npm run komma".`);
  process.exit(1);
}
await import("../src/cli.ts");
