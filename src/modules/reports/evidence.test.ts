import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, test } from "node:test";
import { crc32 } from "node:zlib";
import sharp from "sharp";
import type { Translate } from "../../platform/i18n/i18n.ts";
import { mediaTypeLabel, processFile } from "./evidence.ts";

/*
 * Images as evidence: cleaned of their metadata, never of their content. An animation keeps every
 * frame; one that cannot be written again whole is kept as received (and said so).
 */

const dir = mkdtempSync(path.join(tmpdir(), "komma-evidence-"));
after(() => rmSync(dir, { recursive: true, force: true }));

function spooled(name: string, bytes: Buffer) {
  const file = path.join(dir, name);
  writeFileSync(file, bytes);
  return { name, path: file, size: bytes.length, sha256: createHash("sha256").update(bytes).digest("hex") };
}

const frame = (r: number) =>
  sharp({ create: { width: 12, height: 8, channels: 3, background: { r, g: 40, b: 40 } } })
    .png()
    .toBuffer();

test("an animated WebP keeps every frame, without its metadata", async () => {
  const animation = await sharp([await frame(250), await frame(120), await frame(10)], { join: { animated: true } })
    .webp()
    .withExif({ IFD0: { Artist: "Erika Fiktiv" } })
    .toBuffer();
  assert.equal((await sharp(animation).metadata()).pages, 3);
  const result = await processFile(spooled("animation.webp", animation), 10_000_000);
  assert.ok(!("problem" in result));
  assert.equal(result.metadataRemoved, true);
  assert.equal((await sharp(result.stored).metadata()).pages, 3, "every frame is kept");
  assert.ok(!result.stored.includes("Erika Fiktiv"));
});

test("an animated PNG is taken and kept as received: libvips would keep its first frame only", async () => {
  const png = await frame(200);
  // An animation control chunk after the header makes it an animated PNG (APNG).
  const data = Buffer.alloc(8);
  data.writeUInt32BE(2, 0);
  const type = Buffer.from("acTL");
  const chunk = Buffer.concat([Buffer.from([0, 0, 0, 8]), type, data, Buffer.alloc(4)]);
  chunk.writeUInt32BE(crc32(Buffer.concat([type, data])), 16);
  const headerEnd = 8 + 25;
  const animated = Buffer.concat([png.subarray(0, headerEnd), chunk, png.subarray(headerEnd)]);
  const result = await processFile(spooled("animation.png", animated), 10_000_000);
  assert.ok(!("problem" in result), "taken");
  assert.equal(result.mediaType, "image/apng");
  assert.equal(result.metadataRemoved, false, "said so beside the file");
  assert.deepEqual(result.stored, animated);
  // A still PNG is cleaned as before.
  const still = await processFile(spooled("still.png", png), 10_000_000);
  assert.ok(!("problem" in still) && still.metadataRemoved);
});

test("an e-mail is taken as it came, headers and all, and named as an e-mail", async () => {
  const mail = Buffer.from(
    "From: Absender Fiktiv <absender@example.org>\r\nTo: rathaus@example.org\r\nSubject: Drohung\r\nDate: Mon, 30 Nov 2026 08:00:00 +0100\r\nMessage-ID: <1@example.org>\r\n\r\nWir wissen, wo du wohnst.\r\n",
  );
  const result = await processFile(spooled("drohung.eml", mail), 10_000_000);
  assert.ok(!("problem" in result));
  assert.equal(result.mediaType, "message/rfc822");
  assert.equal(result.metadataRemoved, false, "its headers are evidence: kept, and said so beside it");
  assert.deepEqual(result.stored, mail);
  const label = mediaTypeLabel(((key: string, params?: { format?: string }) => `${key} ${params?.format}`) as unknown as Translate, result.mediaType);
  assert.equal(label, "office.mediaKinds.mail EML");
});
