import { createHash } from "node:crypto";
import { and, eq } from "drizzle-orm";
import { fileTypeFromBuffer } from "file-type";
import sharp from "sharp";
import type { Keyring } from "../../platform/crypto/keyring.ts";
import type { Db } from "../../platform/db/client.ts";
import { evidenceBlobs } from "./schema.ts";

/*
 * Evidence files: the type is decided by content, never by name; images are re-encoded without
 * their metadata (EXIF, GPS, XMP, IPTC); the SHA-256 of the bytes as received is recorded for the
 * chain of custody, and the stored bytes are sealed.
 */

export const ALLOWED_TYPES: Record<string, string> = {
  "image/jpeg": "jpg",
  "image/png": "png",
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

export type FileProblem = "tooLarge" | "empty" | "typeNotAllowed";

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

/** An e-mail saved as .eml is plain text starting with header lines. */
function looksLikeEmail(buf: Buffer): boolean {
  const head = buf.subarray(0, 4096).toString("utf8");
  const headers = head.split(/\r?\n/).slice(0, 30);
  return headers.filter((l) => /^(From|To|Subject|Date|Received|Message-ID|Return-Path|MIME-Version):\s/i.test(l)).length >= 2;
}

/** Checks and cleans an uploaded file. */
export async function processFile(name: string, data: Buffer, maxBytes: number): Promise<ProcessedFile | { problem: FileProblem }> {
  if (data.length === 0) return { problem: "empty" };
  if (data.length > maxBytes) return { problem: "tooLarge" };
  const detected = await fileTypeFromBuffer(data);
  let mediaType = detected?.mime as string | undefined;
  if (!mediaType && /\.eml$/i.test(name) && looksLikeEmail(data)) mediaType = "message/rfc822";
  if (mediaType === "application/x-cfb" && /\.msg$/i.test(name)) mediaType = "application/vnd.ms-outlook";
  if (!mediaType || !(mediaType in ALLOWED_TYPES)) return { problem: "typeNotAllowed" };
  let stored = data;
  let metadataRemoved = false;
  if (mediaType.startsWith("image/")) {
    // rotate() applies the orientation tag first, so the picture stays upright without it.
    const image = sharp(data, { animated: mediaType === "image/gif", limitInputPixels: 100_000_000 }).rotate();
    stored =
      mediaType === "image/png"
        ? await image.png().toBuffer()
        : mediaType === "image/webp"
          ? await image.webp({ quality: 95 }).toBuffer()
          : mediaType === "image/gif"
            ? await image.gif().toBuffer()
            : await image.jpeg({ quality: 95 }).toBuffer();
    metadataRemoved = true;
  }
  return { mediaType, originalSha256: sha256(data), stored, storedSha256: sha256(stored), metadataRemoved };
}

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
