// Builds the fingerprinted, pre-compressed assets (subset fonts, stylesheets, script, favicon)
// into the cache directory the server reads, and lists them with their sizes. The server does
// the same on start when the build is missing; this script is for images built ahead of time
// (see Dockerfile) and for looking at what a page will download.
//
//   node scripts/build-assets.ts [cache directory]
import { statSync } from "node:fs";
import path from "node:path";
import { buildAssets } from "../src/platform/ui/assets.ts";

const started = performance.now();
const { dir, manifest } = await buildAssets(process.argv[2] ? path.resolve(process.argv[2]) : undefined);
const size = (file: string) => {
  try {
    return `${(statSync(path.join(dir, file)).size / 1000).toFixed(1).padStart(6)} KB`;
  } catch {
    return "        -";
  }
};
console.log(`Assets in ${dir} (${Math.round(performance.now() - started)} ms)`);
console.log(`${"file".padEnd(44)}      raw     brotli       gzip`);
for (const file of Object.values(manifest)) console.log(`${file.padEnd(44)} ${size(file)}  ${size(`${file}.br`)}  ${size(`${file}.gz`)}`);
