import { createHash } from "node:crypto";
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { brotliCompress, gzip, constants as zlib } from "node:zlib";

/*
 * The stylesheets, script, favicon and fonts every page links to, built from their sources
 * (public/, KERN UX in node_modules) into a cache directory: fonts cut to the characters of the
 * reporting languages, every file named by its content hash (so it can be cached for a year),
 * and brotli and gzip copies next to each text file (so nothing is compressed per request).
 * The directory is named by a hash of all inputs and of this file, so a changed source or
 * build rule gives a new directory and an unchanged one is reused at once (docs/decisions/007).
 */

const require = createRequire(import.meta.url);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
const kernDist = path.join(root, "node_modules/@kern-ux/native/dist");

/** Where built assets live unless told otherwise; `node_modules` is writable wherever npm installed. */
export const DEFAULT_ASSET_CACHE = path.join(root, "node_modules/.cache/komma-assets");

/** URL prefix of the fingerprinted files. */
export const ASSET_PREFIX = "/static/";

function codepoints(...ranges: [number, number][]): string {
  let s = "";
  for (const [from, to] of ranges) for (let c = from; c <= to; c++) s += String.fromCodePoint(c);
  return s;
}

function unicodeRange(ranges: [number, number][]): string {
  const hex = (n: number) => n.toString(16).toUpperCase().padStart(4, "0");
  return ranges.map(([a, b]) => (a === b ? `U+${hex(a)}` : `U+${hex(a)}-${hex(b)}`)).join(", ");
}

/**
 * Two subsets per weight, as the browser fetches a face only when the page shows one of its
 * characters: a German page costs the Latin subset, a Ukrainian one both. Latin covers German,
 * English and Turkish (İıŞşĞğ sit in Latin Extended-A) plus typographic punctuation; Cyrillic
 * covers Ukrainian and Russian (Ґґ lie outside the basic block). Arabic is not in Fira Sans and
 * falls back to the system's fonts, as it always did.
 */
export const FONT_SUBSETS: Record<"latin" | "cyrillic", [number, number][]> = {
  latin: [
    [0x0020, 0x007e],
    [0x00a0, 0x017f],
    [0x2010, 0x2027],
    [0x2030, 0x203a],
    [0x20ac, 0x20ac],
    [0x2122, 0x2122],
    [0x2190, 0x2193],
    [0x2212, 0x2212],
  ],
  cyrillic: [
    [0x0400, 0x045f],
    [0x0490, 0x0491],
    [0x2116, 0x2116],
    [0x20b4, 0x20b4],
    [0x20bd, 0x20bd],
  ],
};

/** KERN's type scale uses 400, 500 and 600; our brand name and `<strong>` use 700. No italics. */
const FONT_WEIGHTS: Record<number, string> = { 400: "Regular", 500: "Medium", 600: "SemiBold", 700: "Bold" };

/**
 * Layout features the pages use (kerning, ligatures, marks, the Turkish and Ukrainian local
 * forms); Fira's stylistic sets, fractions and the like make the subset half as large again.
 */
const FONT_FEATURES = ["kern", "liga", "calt", "clig", "ccmp", "locl", "mark", "mkmk", "case"];

type Source = { name: string; file: string };
const SOURCES: Source[] = [
  { name: "kern.css", file: path.join(kernDist, "kern.min.css") },
  { name: "komma.css", file: path.join(root, "public/komma.css") },
  { name: "komma.js", file: path.join(root, "public/komma.js") },
  { name: "favicon.svg", file: path.join(root, "public/favicon.svg") },
  ...Object.values(FONT_WEIGHTS).map((style) => ({ name: `FiraSans-${style}.woff2`, file: path.join(kernDist, `fonts/fira-sans/FiraSans-${style}.woff2`) })),
];

const COMPRESSIBLE = new Set([".css", ".js", ".svg"]);

/** Logical name (e.g. `kern.css`) → file name with its content hash (e.g. `kern.3fa9c2d1e0.css`). */
export type AssetManifest = Record<string, string>;

export interface BuiltAssets {
  dir: string;
  manifest: AssetManifest;
}

function fingerprinted(name: string, content: Buffer): string {
  const hash = createHash("sha256").update(content).digest("hex").slice(0, 12);
  const ext = path.extname(name);
  return `${name.slice(0, -ext.length)}.${hash}${ext}`;
}

async function inputKey(sources: Map<string, Buffer>): Promise<string> {
  const h = createHash("sha256");
  // This file holds the build rules; a changed rule must not reuse an old build.
  h.update(await readFile(fileURLToPath(import.meta.url)));
  h.update(require("subset-font/package.json").version as string);
  h.update(process.versions.brotli ?? "");
  for (const [name, content] of sources) h.update(`\0${name}\0`).update(content);
  return h.digest("hex").slice(0, 16);
}

async function buildInto(dir: string, sources: Map<string, Buffer>): Promise<AssetManifest> {
  const subsetFont = require("subset-font") as (font: Buffer, text: string, options: Record<string, unknown>) => Promise<Buffer>;
  const outputs = new Map<string, Buffer>();
  const fontFaces: string[] = [];
  for (const [weight, style] of Object.entries(FONT_WEIGHTS)) {
    for (const [subset, ranges] of Object.entries(FONT_SUBSETS)) {
      const font = await subsetFont(sources.get(`FiraSans-${style}.woff2`)!, codepoints(...ranges), { targetFormat: "woff2", keepFeatures: FONT_FEATURES });
      const name = `fira-sans-${weight}-${subset}.woff2`;
      outputs.set(name, font);
      fontFaces.push(
        `@font-face{font-family:"Fira Sans";font-style:normal;font-weight:${weight};font-display:swap;` +
          `src:url(${ASSET_PREFIX}${fingerprinted(name, font)}) format("woff2");unicode-range:${unicodeRange(ranges)}}`,
      );
    }
  }
  outputs.set("kern.css", sources.get("kern.css")!);
  // Our faces replace KERN's fira-sans.css (all weights and italics, complete fonts).
  outputs.set("komma.css", Buffer.concat([Buffer.from(`${fontFaces.join("\n")}\n`), sources.get("komma.css")!]));
  outputs.set("komma.js", sources.get("komma.js")!);
  outputs.set("favicon.svg", sources.get("favicon.svg")!);

  const manifest: AssetManifest = {};
  for (const [name, content] of outputs) {
    const file = fingerprinted(name, content);
    manifest[name] = file;
    await writeFile(path.join(dir, file), content);
    if (!COMPRESSIBLE.has(path.extname(name))) continue;
    const br = await promisify(brotliCompress)(content, {
      params: {
        [zlib.BROTLI_PARAM_QUALITY]: zlib.BROTLI_MAX_QUALITY,
        [zlib.BROTLI_PARAM_MODE]: zlib.BROTLI_MODE_TEXT,
        [zlib.BROTLI_PARAM_SIZE_HINT]: content.length,
      },
    });
    const gz = await promisify(gzip)(content, { level: zlib.Z_BEST_COMPRESSION });
    await writeFile(path.join(dir, `${file}.br`), br);
    await writeFile(path.join(dir, `${file}.gz`), gz);
  }
  await writeFile(path.join(dir, "manifest.json"), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}

async function readManifest(dir: string): Promise<AssetManifest | null> {
  try {
    return JSON.parse(await readFile(path.join(dir, "manifest.json"), "utf8")) as AssetManifest;
  } catch {
    return null;
  }
}

/** Builds of other inputs, left after an upgrade; a day's grace for a process still serving one. */
async function pruneOldBuilds(cacheDir: string, keep: string): Promise<void> {
  const dayAgo = Date.now() - 86_400_000;
  for (const entry of await readdir(cacheDir).catch(() => [] as string[])) {
    if (entry === keep) continue;
    const dir = path.join(cacheDir, entry);
    const info = await stat(dir).catch(() => null);
    if (info && info.mtimeMs < dayAgo) await rm(dir, { recursive: true, force: true });
  }
}

async function buildAt(cacheDir: string, key: string, sources: Map<string, Buffer>): Promise<BuiltAssets> {
  const dir = path.join(cacheDir, key);
  const existing = await readManifest(dir);
  if (existing) return { dir, manifest: existing };
  await mkdir(cacheDir, { recursive: true });
  // Built beside and renamed into place, so a process starting at the same time (parallel test
  // files, a second server) never sees a half-written directory.
  const scratch = path.join(cacheDir, `.${key}-${process.pid}-${Date.now()}`);
  await mkdir(scratch);
  try {
    const manifest = await buildInto(scratch, sources);
    try {
      await rename(scratch, dir);
    } catch (err) {
      const theirs = await readManifest(dir);
      if (!theirs) throw err;
      return { dir, manifest: theirs };
    }
    await pruneOldBuilds(cacheDir, key);
    return { dir, manifest };
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

/**
 * Returns the built assets for the current sources, building them first when they are missing
 * (a few seconds, once per change of a source). Falls back to the system's temporary directory
 * when the cache directory is read-only and holds no current build.
 */
export async function buildAssets(cacheDir = DEFAULT_ASSET_CACHE): Promise<BuiltAssets> {
  const sources = new Map<string, Buffer>();
  for (const s of SOURCES) sources.set(s.name, await readFile(s.file));
  const key = await inputKey(sources);
  try {
    return await buildAt(cacheDir, key, sources);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== "EACCES" && code !== "EROFS" && code !== "EPERM") throw err;
    return buildAt(path.join(tmpdir(), "komma-assets"), key, sources);
  }
}

let current: BuiltAssets | null = null;
let pending: Promise<BuiltAssets> | null = null;

/** Builds (or finds) the assets once per process; every app in the process shares them. */
export function prepareAssets(): Promise<BuiltAssets> {
  pending ??= buildAssets().then((built) => {
    current = built;
    return built;
  });
  return pending;
}

/** The fingerprinted URL of an asset, e.g. `assetUrl("kern.css")`; needs `prepareAssets()` first. */
export function assetUrl(name: string): string {
  const file = current?.manifest[name];
  if (!file) throw new Error(current ? `unknown asset ${name}` : "assets are not prepared: call prepareAssets() before rendering pages");
  return ASSET_PREFIX + file;
}
