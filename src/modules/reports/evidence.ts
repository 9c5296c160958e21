import { createHash } from "node:crypto";
import { open, readFile } from "node:fs/promises";
import { and, eq } from "drizzle-orm";
import { fileTypeFromFile } from "file-type";
import pLimit from "p-limit";
import sharp from "sharp";
import type { Keyring } from "../../platform/crypto/keyring.ts";
import type { Db } from "../../platform/db/client.ts";
import type { Translate } from "../../platform/i18n/i18n.ts";
import { ThreadPool } from "../../platform/threads.ts";
import { evidenceBlobs } from "./schema.ts";

/*
 * Evidence files: the type is decided by content, never by name; images are re-encoded without
 * their metadata (EXIF, GPS, XMP, IPTC), PDFs written anew without theirs (author, creator, XMP:
 * `pdf-metadata.ts`); the SHA-256 of the bytes as received is recorded for the
 * chain of custody, and the stored bytes are sealed.
 */

export const ALLOWED_TYPES: Record<string, string> = {
  "image/jpeg": "jpg",
  "image/png": "png",
  // An animated PNG: kept as received (libvips would write its first frame only).
  "image/apng": "png",
  "image/webp": "webp",
  "image/gif": "gif",
  "application/pdf": "pdf",
  "audio/mpeg": "mp3",
  "audio/mp4": "m4a",
  "audio/x-m4a": "m4a",
  "audio/ogg": "ogg",
  "audio/wav": "wav",
  "audio/x-wav": "wav",
  "video/mp4": "mp4",
  "video/webm": "webm",
  "video/quicktime": "mov",
  "message/rfc822": "eml",
  "application/vnd.ms-outlook": "msg",
};

/**
 * A report's file as its case names it: the case, its place in the report's list and its type
 * ("MUS-2026-0042-1.pdf") — the download's name, and an anonymous report's file's only name.
 */
export function caseFileName(caseNumber: string, place: number, mediaType: string | null): string {
  return `${caseNumber}-${place}.${(mediaType && ALLOWED_TYPES[mediaType]) || "bin"}`;
}

/**
 * A file's type as a reader of the case names it ("Bild, PNG", "PDF-Dokument") rather than as
 * a media type; one outside the kinds we accept stays as it is.
 */
export function mediaTypeLabel(t: Translate, mediaType: string): string {
  const format = ALLOWED_TYPES[mediaType];
  const kind = KIND_OF[mediaType] ?? mediaType.split("/")[0];
  if (!format || !MEDIA_KINDS.includes(kind)) return mediaType;
  return t(`office.mediaKinds.${kind}`, { format: format.toUpperCase() });
}
const MEDIA_KINDS = ["image", "audio", "video", "pdf", "mail"];
/** Types whose kind is not the first part of their name. */
const KIND_OF: Record<string, string> = { "application/pdf": "pdf", "message/rfc822": "mail", "application/vnd.ms-outlook": "mail" };

export type FileProblem = "tooLarge" | "empty" | "typeNotAllowed" | "unreadable" | "tooManyPixels" | "quotaExceeded";

export interface ProcessedFile {
  mediaType: string;
  originalSha256: string;
  stored: Buffer;
  storedSha256: string;
  metadataRemoved: boolean;
}

function sha256(buf: Buffer | string): string {
  return createHash("sha256").update(buf).digest("hex");
}

export { sha256 };

/** Pictures larger than this are refused before they are decoded (a decompression bomb). */
export const MAX_IMAGE_PIXELS = 100_000_000;
// Decoding takes about four bytes a pixel and more while encoding again: a phone photo (12 MP)
// some 50 MB, a picture near the limit a gigabyte. Two ordinary ones at a time, and of the
// large ones only one, whatever the load.
const decoding = pLimit(2);
const decodingLarge = pLimit(1);
const LARGE_IMAGE_PIXELS = 25_000_000;
sharp.cache(false);

/** An e-mail saved as .eml is plain text starting with header lines. */
function looksLikeEmail(buf: Buffer): boolean {
  const head = buf.subarray(0, 4096).toString("utf8");
  const headers = head.split(/\r?\n/).slice(0, 30);
  return headers.filter((l) => /^(From|To|Subject|Date|Received|Message-ID|Return-Path|MIME-Version):\s/i.test(l)).length >= 2;
}

async function head(file: string, bytes: number): Promise<Buffer> {
  const handle = await open(file, "r");
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(bytes), 0, bytes, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/** Re-encodes an image without its metadata, or says why it cannot. */
async function cleanImage(file: string, mediaType: string): Promise<Buffer | { problem: FileProblem }> {
  // Every frame of an animation is kept (GIF and WebP are written animated again).
  const animated = mediaType === "image/gif" || mediaType === "image/webp";
  try {
    const meta = await sharp(file, { animated }).metadata();
    const pixels = (meta.width ?? 0) * (meta.pageHeight ?? meta.height ?? 0) * (meta.pages ?? 1);
    if (pixels > MAX_IMAGE_PIXELS) return { problem: "tooManyPixels" };
    return await (pixels > LARGE_IMAGE_PIXELS ? decodingLarge : decoding)(() => {
      // rotate() applies the orientation tag first, so the picture stays upright without it.
      const image = sharp(file, { animated, limitInputPixels: MAX_IMAGE_PIXELS, failOn: "error" }).rotate();
      return mediaType === "image/png"
        ? image.png().toBuffer()
        : mediaType === "image/webp"
          ? image.webp({ quality: 95 }).toBuffer()
          : mediaType === "image/gif"
            ? image.gif().toBuffer()
            : image.jpeg({ quality: 95 }).toBuffer();
    });
  } catch {
    // libvips could not read it: damaged or cut short.
    return { problem: "unreadable" };
  }
}

/**
 * PDFs are cleaned in a thread of their own, one at a time: parsing a large one takes a while, and a
 * document made to exhaust the parser ends with its thread (time, heap and unpacked streams
 * limited: `pdf-metadata.ts`), not the server. A new thread for each document: the PDF library
 * keeps what it parsed in caches of its own, which one document could fill for the next.
 */
const pdfCleaning = new ThreadPool<Uint8Array, Uint8Array>(new URL("./pdf-metadata-worker.ts", import.meta.url), {
  size: 1,
  timeoutMs: 30_000,
  resourceLimits: { maxOldGenerationSizeMb: 512 },
  tasksPerThread: 1,
});

/** A PDF without its metadata, or null where it cannot be read whole (kept then as received). */
async function cleanPdf(file: Buffer): Promise<Buffer | null> {
  try {
    const cleaned = await pdfCleaning.run(file);
    return Buffer.from(cleaned.buffer, cleaned.byteOffset, cleaned.byteLength);
  } catch {
    return null;
  }
}

/** Checks and cleans an uploaded file (spooled to disk, with the hash of its bytes as received). */
export async function processFile(
  file: { name: string; path: string; size: number; sha256: string },
  maxBytes: number,
): Promise<ProcessedFile | { problem: FileProblem }> {
  if (file.size === 0) return { problem: "empty" };
  if (file.size > maxBytes) return { problem: "tooLarge" };
  const detected = await fileTypeFromFile(file.path);
  let mediaType = detected?.mime as string | undefined;
  if (!mediaType && /\.eml$/i.test(file.name) && looksLikeEmail(await head(file.path, 4096))) mediaType = "message/rfc822";
  if (mediaType === "application/x-cfb" && /\.msg$/i.test(file.name)) mediaType = "application/vnd.ms-outlook";
  if (!mediaType || !(mediaType in ALLOWED_TYPES)) return { problem: "typeNotAllowed" };
  const type = mediaType;
  /** The file stored as cleaned, with the hash of the bytes as received beside that of the stored ones. */
  const withoutMetadata = (cleaned: Buffer): ProcessedFile => ({
    mediaType: type,
    originalSha256: file.sha256,
    stored: cleaned,
    storedSha256: sha256(cleaned),
    metadataRemoved: true,
  });
  if (mediaType.startsWith("image/") && mediaType !== "image/apng") {
    const cleaned = await cleanImage(file.path, mediaType);
    if ("problem" in cleaned) return cleaned;
    return withoutMetadata(cleaned);
  }
  const stored = await readFile(file.path);
  const cleaned = mediaType === "application/pdf" ? await cleanPdf(stored) : null;
  if (cleaned) return withoutMetadata(cleaned);
  return { mediaType, originalSha256: file.sha256, stored, storedSha256: file.sha256, metadataRemoved: false };
}

/** An uploader's file name as plain text (the platform's rule for every stored file). Show it inside <bdi>. */
export { displayName } from "../../platform/files/files.ts";

/** Where evidence bytes live. The default keeps them sealed in PostgreSQL. */
export interface EvidenceStore {
  put(tx: Db, tenantId: string, evidenceId: string, bytes: Buffer): Promise<void>;
  get(tx: Db, tenantId: string, evidenceId: string): Promise<Buffer | null>;
}

export const EVIDENCE_BYTES = "evidence_blobs.data";

export function databaseEvidenceStore(keyring: Keyring): EvidenceStore {
  const context = EVIDENCE_BYTES;
  return {
    async put(tx, tenantId, evidenceId, bytes) {
      await tx.insert(evidenceBlobs).values({ tenantId, evidenceId, data: await keyring.seal(tx, tenantId, bytes, context) });
    },
    async get(tx, tenantId, evidenceId) {
      const [row] = await tx
        .select()
        .from(evidenceBlobs)
        .where(and(eq(evidenceBlobs.tenantId, tenantId), eq(evidenceBlobs.evidenceId, evidenceId)));
      return row ? keyring.open(tx, tenantId, row.data, context) : null;
    },
  };
}
