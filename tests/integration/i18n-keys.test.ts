import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";
import "../../src/modules/index.ts";
import { fieldTextKeys } from "../../src/modules/reports/fields.ts";
import { hasOwnString, PUBLIC_LANGUAGES, UI_LANGUAGES } from "../../src/platform/i18n/i18n.ts";

/*
 * Every text key the code names exists in every language it is shown in: German and English
 * everywhere, and the six reporting languages on the pages a reporter sees. A missing key would
 * fall back to German (or show the key) without anyone noticing.
 */

const root = path.resolve(import.meta.dirname, "../..");

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return name === "locales" ? [] : files(full);
    return full.endsWith(".ts") && !full.endsWith(".test.ts") ? [full] : [];
  });
}

/** Keys named literally: t("a.b"), ctx.t("a.b", …), request.t(`a.b`) without interpolation. */
function keysIn(source: string): string[] {
  return [...source.matchAll(/\bt\(\s*["'`]([a-zA-Z][\w]*(?:\.[\w]+)+)["'`]/g)].map((m) => m[1]);
}

/** The files whose pages a reporter sees, in any of the reporting languages. */
const REPORTER_FILES = [
  ...["routes.ts", "views.ts", "public-pages.ts", "page-parts.ts", "questions-view.ts"].map((f) => path.join(root, "src/modules/reports", f)),
  // The emergency card, in every reporting language.
  path.join(root, "src/modules/alliance/card-view.ts"),
];

test("every key the code names exists in German and English", () => {
  const missing: string[] = [];
  for (const file of files(path.join(root, "src"))) {
    for (const key of keysIn(readFileSync(file, "utf8"))) {
      for (const lang of UI_LANGUAGES) if (!hasOwnString(lang, key)) missing.push(`${lang} ${key} (${path.relative(root, file)})`);
    }
  }
  assert.deepEqual([...new Set(missing)], []);
});

test("every key of the reporter's pages and the emergency card exists in all six reporting languages", () => {
  const missing: string[] = [];
  for (const file of REPORTER_FILES) {
    for (const key of keysIn(readFileSync(file, "utf8"))) {
      for (const lang of PUBLIC_LANGUAGES) if (!hasOwnString(lang, key)) missing.push(`${lang} ${key} (${path.basename(file)})`);
    }
  }
  assert.deepEqual([...new Set(missing)], []);
});

test("every text key the report field registry derives exists in all six reporting languages", () => {
  const keys = fieldTextKeys();
  assert.ok(keys.includes("reports.incident.description") && keys.includes("reports.options.mode.namedHint"), "the registry's keys are listed");
  const missing: string[] = [];
  for (const key of keys) for (const lang of PUBLIC_LANGUAGES) if (!hasOwnString(lang, key)) missing.push(`${lang} ${key}`);
  assert.deepEqual(missing, []);
});
