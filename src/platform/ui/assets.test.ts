import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";
import * as fontkit from "fontkit";
import { prepareAssets } from "./assets.ts";

const LATIN = "ÄÖÜäöüßİıŞşĞğÇç„“–€";
const CYRILLIC = "ЖжЯяЄєІіЇїҐґЁё№";

function openFont(dir: string, file: string): fontkit.Font {
  const font = fontkit.create(readFileSync(path.join(dir, file)));
  assert.ok("hasGlyphForCodePoint" in font, `${file} is a single font`);
  return font as fontkit.Font;
}

const missing = (font: fontkit.Font, text: string) => [...text].filter((c) => !font.hasGlyphForCodePoint(c.codePointAt(0)!));

test("the font subsets hold every letter of German, Turkish, Ukrainian and Russian, in every weight", async () => {
  const { dir, manifest } = await prepareAssets();
  for (const weight of [400, 500, 600, 700]) {
    const latin = openFont(dir, manifest[`fira-sans-${weight}-latin.woff2`]);
    const cyrillic = openFont(dir, manifest[`fira-sans-${weight}-cyrillic.woff2`]);
    assert.deepEqual(missing(latin, LATIN), [], `Latin ${weight}`);
    assert.deepEqual(missing(cyrillic, CYRILLIC), [], `Cyrillic ${weight}`);
    // The split is what keeps a German page light: it never needs the Cyrillic file.
    assert.equal(missing(latin, "Жя").length, 2, `Latin ${weight} carries no Cyrillic`);
  }
});
