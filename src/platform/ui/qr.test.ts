import assert from "node:assert/strict";
import { test } from "node:test";
import jsQRModule from "jsqr";
import QRCode from "qrcode";
import sharp from "sharp";
import { qrPng, qrSvg } from "./qr.ts";

// jsqr's types declare an ES default export, but the file sets module.exports to the function itself.
const jsQR = jsQRModule as unknown as typeof jsQRModule.default;

const URL_WITH_UMLAUT_PATH = "https://komma.example/gro%C3%9F-umstadt/melden?sprache=ar&quelle=karte";

/** Decodes the first QR code in an image, as a phone's camera would. */
async function decode(image: Buffer, width?: number): Promise<string | undefined> {
  const { data, info } = await sharp(image)
    .resize(width ?? null)
    .ensureAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  return jsQR(new Uint8ClampedArray(data.buffer, data.byteOffset, data.length), info.width, info.height)?.data;
}

test("the SVG decodes back to exactly the URL", async () => {
  const svg = await qrSvg(URL_WITH_UMLAUT_PATH, "QR-Code zum Meldeformular");
  assert.equal(await decode(Buffer.from(svg), 400), URL_WITH_UMLAUT_PATH);
});

test("the SVG scales with the page and is named for screen readers", async () => {
  const svg = await qrSvg("https://komma.example/a/melden", "QR-Code zum Meldeformular der Stadt Darmstadt");
  const open = /^<svg\b[^>]*>/.exec(svg)?.[0] ?? "";
  assert.match(open, /\srole="img"/);
  assert.match(open, /\saria-label="QR-Code zum Meldeformular der Stadt Darmstadt"/);
  assert.match(open, /\sviewBox="0 0 \d+ \d+"/);
  assert.doesNotMatch(open, /\s(width|height)=/);
  assert.ok(svg.startsWith(`${open}<title>QR-Code zum Meldeformular der Stadt Darmstadt</title>`), "the title is the first child");
});

test("the code is black on white with a quiet zone of four modules", async () => {
  const svg = await qrSvg("https://komma.example/a/melden", "QR");
  const size = Number(/viewBox="0 0 (\d+) \1"/.exec(svg)?.[1]);
  assert.ok(svg.includes(`<path fill="#ffffff" d="M0 0h${size}v${size}H0z"/>`), "a white background under the whole code");
  assert.ok(svg.includes('stroke="#000000"'));
  // A version 3 symbol is 29 modules wide; with four modules either side it is 37.
  assert.equal(size, 29 + 8);
  const { data, info } = await sharp(Buffer.from(svg))
    .resize(size * 10)
    .greyscale()
    .raw()
    .toBuffer({ resolveWithObject: true });
  const dark = (x: number, y: number) => data[y * info.width + x] < 128;
  for (let i = 0; i < info.width; i += 5) {
    assert.equal(dark(i, 15), false, "top margin is white");
    assert.equal(dark(15, i), false, "left margin is white");
  }
  assert.equal(dark(45, 45), true, "the finder pattern starts after four modules");
});

test("error correction is level M", async () => {
  // The symbol's size gives the level away: for these two URL lengths only M yields this pair of sizes.
  const urls = ["https://komma.example/a/melden", "https://komma.example/darmstadt/melden?q=1"];
  const sizes = (level: "L" | "M" | "Q" | "H") => urls.map((u) => QRCode.create(u, { errorCorrectionLevel: level }).modules.size + 8).join();
  const others = (["L", "Q", "H"] as const).map(sizes);
  assert.equal(new Set([...others, sizes("M")]).size, 4, "the URLs tell the levels apart");
  const drawn = await Promise.all(urls.map(async (u) => Number(/viewBox="0 0 (\d+)/.exec(await qrSvg(u, "QR"))?.[1])));
  assert.equal(drawn.join(), sizes("M"));
});

test("the label is escaped and cannot inject markup", async () => {
  const svg = await qrSvg("https://komma.example/a/melden", `Meldestelle "Müller & Söhne" <script>alert(1)</script>`);
  assert.doesNotMatch(svg, /<script/i);
  assert.ok(svg.includes("<title>Meldestelle &quot;Müller &amp; Söhne&quot; &lt;script&gt;alert(1)&lt;/script&gt;</title>"));
  assert.ok(svg.includes(`aria-label="Meldestelle &quot;Müller &amp; Söhne&quot; &lt;script&gt;alert(1)&lt;/script&gt;"`));
});

test("the PNG for print decodes back to the URL", async () => {
  const png = await qrPng(URL_WITH_UMLAUT_PATH);
  assert.deepEqual([...png.subarray(1, 4)], [0x50, 0x4e, 0x47], "PNG signature");
  const { width } = await sharp(png).metadata();
  assert.equal(width % 10, 0, "whole pixels per module");
  assert.equal(await decode(png), URL_WITH_UMLAUT_PATH);
});
