import { createHash } from "node:crypto";
import { and, eq, inArray } from "drizzle-orm";
import { fileTypeFromBuffer } from "file-type";
import type { Keyring } from "../crypto/keyring.ts";
import type { Db } from "../db/client.ts";
import { storedFiles } from "../db/schema.ts";

/*
 * The tenant's file store: documents that belong to records (an agreement, a workspace document).
 * The type is decided by the content, never by the name; only the types a use allows are kept;
 * name and bytes are sealed with the tenant's data key and stored in the database, inside the
 * caller's transaction, so a record and its file are saved (and backed up) together.
 */

export const NAME_CONTEXT = "stored_files.name";
export const DATA_CONTEXT = "stored_files.data";

/** Documents people exchange with partners: PDF, Word and OpenDocument text. */
export const DOCUMENT_TYPES: Record<string, string> = {
  "application/pdf": "pdf",
  "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
  "application/vnd.oasis.opendocument.text": "odt",
};

export type UploadProblem = "empty" | "tooLarge" | "typeNotAllowed";

export interface CheckedUpload {
  name: string;
  mediaType: string;
  bytes: Buffer;
  sha256: string;
}

/**
 * An uploader's file name as plain text: controls and bidirectional overrides removed, so that
 * "vertrag\u202Efdp.exe" shows as what it is. Show it as text (inside <bdi>), never as a link target.
 */
export function displayName(name: string): string {
  return name.replace(/[\p{Cc}\p{Cf}]/gu, "");
}

/**
 * The name with the extension of the type found in the content: "poly.html" holding a PDF is kept
 * as "poly.html.pdf", so that nobody's computer opens it as what its name claims.
 */
function withExtension(name: string, ext: string): string {
  return name.toLowerCase().endsWith(`.${ext}`) ? name : `${name}.${ext}`;
}

/** Checks an upload against the types a use allows and a size limit. */
export async function checkUpload(
  file: { name: string; bytes: Buffer; truncated?: boolean },
  allowed: Record<string, string>,
  maxBytes: number,
): Promise<CheckedUpload | { problem: UploadProblem }> {
  if (file.truncated || file.bytes.length > maxBytes) return { problem: "tooLarge" };
  if (file.bytes.length === 0) return { problem: "empty" };
  const mediaType = (await fileTypeFromBuffer(file.bytes))?.mime as string | undefined;
  if (!mediaType || !(mediaType in allowed)) return { problem: "typeNotAllowed" };
  return {
    name: withExtension(displayName(file.name).slice(0, 200) || "datei", allowed[mediaType]),
    mediaType,
    bytes: file.bytes,
    sha256: createHash("sha256").update(file.bytes).digest("hex"),
  };
}

export interface StoredFileInfo {
  id: string;
  name: string;
  mediaType: string;
  size: number;
  sha256: string;
}

/** Keeps a checked upload for a tenant; returns its id. */
export async function putFile(
  keyring: Keyring,
  tx: Db,
  tenantId: string,
  file: CheckedUpload & { purpose: string; createdBy: string | null },
  at: Date,
): Promise<string> {
  const seal = await keyring.sealer(tx, tenantId);
  const [row] = await tx
    .insert(storedFiles)
    .values({
      tenantId,
      purpose: file.purpose,
      name: seal(file.name, NAME_CONTEXT),
      mediaType: file.mediaType,
      size: file.bytes.length,
      sha256: file.sha256,
      data: seal(file.bytes, DATA_CONTEXT),
      createdBy: file.createdBy,
      createdAt: at,
    })
    .returning({ id: storedFiles.id });
  return row.id;
}

/** A kept file with its bytes, if it exists for that purpose in the tenant. */
export async function getFile(keyring: Keyring, tx: Db, tenantId: string, id: string, purpose: string): Promise<(StoredFileInfo & { bytes: Buffer }) | null> {
  const [row] = await tx
    .select()
    .from(storedFiles)
    .where(and(eq(storedFiles.tenantId, tenantId), eq(storedFiles.id, id), eq(storedFiles.purpose, purpose)));
  if (!row) return null;
  return {
    id: row.id,
    name: await keyring.openText(tx, tenantId, row.name, NAME_CONTEXT),
    mediaType: row.mediaType,
    size: row.size,
    sha256: row.sha256,
    bytes: await keyring.open(tx, tenantId, row.data, DATA_CONTEXT),
  };
}

/** The name and size of kept files, without their bytes. */
export async function fileInfos(keyring: Keyring, tx: Db, tenantId: string, ids: string[]): Promise<Map<string, StoredFileInfo>> {
  if (ids.length === 0) return new Map();
  const found = await tx
    .select({ id: storedFiles.id, name: storedFiles.name, mediaType: storedFiles.mediaType, size: storedFiles.size, sha256: storedFiles.sha256 })
    .from(storedFiles)
    .where(and(eq(storedFiles.tenantId, tenantId), inArray(storedFiles.id, ids)));
  const out = new Map<string, StoredFileInfo>();
  for (const row of found) out.set(row.id, { ...row, name: await keyring.openText(tx, tenantId, row.name, NAME_CONTEXT) });
  return out;
}

export async function removeFile(tx: Db, tenantId: string, id: string): Promise<void> {
  await tx.delete(storedFiles).where(and(eq(storedFiles.tenantId, tenantId), eq(storedFiles.id, id)));
}

/** The headers for sending a kept file: always as a download, never sniffed, never stored by caches. */
export function downloadHeaders(file: { name: string; mediaType: string }): Record<string, string> {
  const ascii = file.name.replace(/[^\x20-\x7e]/g, "_").replace(/["\\]/g, "_");
  return {
    "content-type": file.mediaType,
    "content-disposition": `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(file.name)}`,
    "x-content-type-options": "nosniff",
    // Should a browser render it after all: no script, no origin of ours.
    "content-security-policy": "sandbox; default-src 'none'",
    "cache-control": "private, no-store",
  };
}
