/**
 * Evidence of a draft or a report: stored sealed, listed, removed. A file is processed (metadata
 * removed, hashed) before it is sealed; a link is kept as the reporter gave it.
 */
import { and, eq, isNull, type SQL, sql } from "drizzle-orm";
import pLimit from "p-limit";
import { appendAudit } from "../../platform/audit/audit.ts";
import { type Db, withTenant } from "../../platform/db/client.ts";
import type { Platform } from "../../platform/platform.ts";
import { anonymousCaseNumber, evidenceCount } from "./anonymous-files.ts";
import { SEALED, type TenantInfo, UUID } from "./commands.ts";
import { caseFileName, databaseEvidenceStore, type FileProblem, processFile, sha256 } from "./evidence.ts";
import { evidenceRows } from "./repository.ts";
import { evidence } from "./schema.ts";
import { capturedInstant, type UrlEvidence } from "./schemas.ts";
import type { SpooledFile } from "./uploads.ts";

const EVIDENCE_META = SEALED.evidenceMeta;

export interface EvidenceItem {
  id: string;
  kind: "file" | "url";
  name: string;
  mediaType: string | null;
  size: number | null;
  /** SHA-256 of the file as received. */
  sha256: string;
  /** SHA-256 of the file as stored and downloaded (differs where image metadata was removed). */
  storedSha256: string | null;
  metadataRemoved: boolean;
  capturedAt: Date | null;
  capturedBy?: string;
  urlKind?: "content" | "profile";
  /** Added by the office: who, from where, when. */
  custody?: { addedBy: string; source: string; at: Date };
}

export type AddFileResult = { ok: true; id: string } | { ok: false; problem: FileProblem };

/** Chain of custody of evidence the office adds: who, and where it came from (the when is its time of receipt). */
export interface Custody {
  addedById: string;
  addedBy: string;
  source: string;
}

// Each file being stored holds its bytes and their sealed copy in memory: a few at a time.
const storing = pLimit(3);

/** Adds a file (spooled to disk by the upload) to a draft or a report (exactly one of them). */
export function addFileEvidence(
  platform: Platform,
  tenant: TenantInfo,
  owner: { draftToken: string } | { reportId: string },
  file: SpooledFile & { capturedBy?: string; custody?: Custody },
): Promise<AddFileResult> {
  return storing(() => storeFileEvidence(platform, tenant, owner, file));
}

async function storeFileEvidence(
  platform: Platform,
  tenant: TenantInfo,
  owner: { draftToken: string } | { reportId: string },
  file: SpooledFile & { capturedBy?: string; custody?: Custody },
): Promise<AddFileResult> {
  // What one report may hold in all: uploads must not be able to fill the database's disk.
  const ownerIs = "reportId" in owner ? eq(evidence.reportId, owner.reportId) : eq(evidence.draftId, platform.keyring.lookupHash("draft", owner.draftToken));
  const [held] = await withTenant(platform.db, tenant.id, (tx) =>
    tx
      .select({ bytes: sql<number>`coalesce(sum(${evidence.size}), 0)::bigint` })
      .from(evidence)
      .where(and(eq(evidence.tenantId, tenant.id), ownerIs)),
  );
  if (Number(held?.bytes ?? 0) + file.size > platform.config.reportMaxEvidenceBytes) return { ok: false, problem: "quotaExceeded" };
  const processed = await processFile(file, platform.config.reportMaxFileBytes);
  if ("problem" in processed) return { ok: false, problem: processed.problem };
  const store = databaseEvidenceStore(platform.keyring);
  const now = platform.clock.now();
  const id = await withTenant(platform.db, tenant.id, async (tx) => {
    // A file the reporter of an anonymous report adds later (the mailbox) keeps no name they gave it (anonymous-files.ts).
    const anonymous = "reportId" in owner && !file.custody ? await anonymousCaseNumber(tx, tenant.id, owner.reportId) : null;
    const name =
      anonymous && "reportId" in owner
        ? caseFileName(anonymous, (await evidenceCount(tx, tenant.id, owner.reportId)) + 1, processed.mediaType)
        : file.name.slice(0, 255);
    const meta = { name, capturedBy: file.capturedBy, metadataRemoved: processed.metadataRemoved, custody: file.custody };
    const [row] = await tx
      .insert(evidence)
      .values({
        tenantId: tenant.id,
        reportId: "reportId" in owner ? owner.reportId : null,
        draftId: "draftToken" in owner ? platform.keyring.lookupHash("draft", owner.draftToken) : null,
        kind: "file",
        meta: await platform.keyring.seal(tx, tenant.id, JSON.stringify(meta), EVIDENCE_META),
        mediaType: processed.mediaType,
        size: processed.stored.length,
        sha256: processed.originalSha256,
        storedSha256: processed.storedSha256,
        capturedAt: now,
        receivedAt: now,
      })
      .returning({ id: evidence.id });
    await store.put(tx, tenant.id, row.id, processed.stored);
    if ("reportId" in owner) {
      await appendAudit(
        tx,
        {
          tenantId: tenant.id,
          actorId: file.custody?.addedById ?? null,
          action: "evidence.added",
          objectType: "evidence",
          objectId: row.id,
          details: { sha256: processed.originalSha256 },
        },
        now,
      );
    }
    return row.id;
  });
  return { ok: true, id };
}

async function insertUrlEvidence(
  platform: Platform,
  tx: Db,
  tenantId: string,
  owner: { reportId?: string; draftId?: string },
  item: UrlEvidence & { custody?: Custody },
  now: Date,
) {
  const meta = { name: item.url, urlKind: item.kind, capturedBy: item.capturedBy, custody: item.custody };
  const [row] = await tx
    .insert(evidence)
    .values({
      tenantId,
      reportId: owner.reportId ?? null,
      draftId: owner.draftId ?? null,
      kind: "url",
      meta: await platform.keyring.seal(tx, tenantId, JSON.stringify(meta), EVIDENCE_META),
      sha256: sha256(item.url),
      capturedAt: item.capturedAt ? capturedInstant(item.capturedAt) : null,
      receivedAt: now,
    })
    .returning({ id: evidence.id });
  return row.id;
}

export async function addUrlEvidence(
  platform: Platform,
  tenant: TenantInfo,
  owner: { draftToken: string } | { reportId: string },
  item: UrlEvidence & { custody?: Custody },
): Promise<void> {
  const now = platform.clock.now();
  await withTenant(platform.db, tenant.id, async (tx) => {
    const id = await insertUrlEvidence(
      platform,
      tx,
      tenant.id,
      "reportId" in owner ? { reportId: owner.reportId } : { draftId: platform.keyring.lookupHash("draft", owner.draftToken) },
      item,
      now,
    );
    // Added to a report (by the reporter in the mailbox, or by the office): in the audit log, like a file.
    if ("reportId" in owner) {
      await appendAudit(
        tx,
        {
          tenantId: tenant.id,
          actorId: item.custody?.addedById ?? null,
          action: "evidence.added",
          objectType: "evidence",
          objectId: id,
          details: { kind: "url" },
        },
        now,
      );
    }
  });
}

export async function listEvidenceWhere(platform: Pick<Platform, "keyring">, tx: Db, tenantId: string, where: SQL): Promise<EvidenceItem[]> {
  const rows = await evidenceRows(tx, tenantId, where);
  const out: EvidenceItem[] = [];
  for (const r of rows) {
    const meta = JSON.parse(await platform.keyring.openText(tx, tenantId, r.meta, EVIDENCE_META)) as {
      name: string;
      capturedBy?: string;
      urlKind?: "content" | "profile";
      metadataRemoved?: boolean;
      custody?: Custody;
    };
    out.push({
      id: r.id,
      kind: r.kind,
      name: meta.name,
      mediaType: r.mediaType,
      size: r.size,
      sha256: r.sha256,
      storedSha256: r.storedSha256,
      metadataRemoved: !!meta.metadataRemoved,
      capturedAt: r.capturedAt,
      capturedBy: meta.capturedBy,
      urlKind: meta.urlKind,
      custody: meta.custody ? { addedBy: meta.custody.addedBy, source: meta.custody.source, at: r.receivedAt } : undefined,
    });
  }
  return out;
}

export async function draftEvidence(platform: Pick<Platform, "db" | "keyring">, tenant: TenantInfo, draftToken: string): Promise<EvidenceItem[]> {
  return withTenant(platform.db, tenant.id, (tx) =>
    listEvidenceWhere(platform, tx, tenant.id, eq(evidence.draftId, platform.keyring.lookupHash("draft", draftToken))),
  );
}

export async function removeDraftEvidence(
  platform: Pick<Platform, "db" | "keyring">,
  tenant: TenantInfo,
  draftToken: string,
  evidenceId: string,
): Promise<void> {
  if (!UUID.test(evidenceId)) return;
  await withTenant(platform.db, tenant.id, (tx) =>
    tx
      .delete(evidence)
      .where(
        and(
          eq(evidence.tenantId, tenant.id),
          eq(evidence.id, evidenceId),
          eq(evidence.draftId, platform.keyring.lookupHash("draft", draftToken)),
          isNull(evidence.reportId),
        ),
      ),
  );
}
