import { and, desc, eq } from "drizzle-orm";
import { appendAudit } from "../../platform/audit/audit.ts";
import type { Actor } from "../../platform/authz/policy.ts";
import type { Keyring } from "../../platform/crypto/keyring.ts";
import { type Db, withTenant } from "../../platform/db/client.ts";
import { users } from "../../platform/db/schema.ts";
import { type CheckedUpload, fileInfos, getFile, putFile, removeFile, type StoredFileInfo } from "../../platform/files/files.ts";
import { AppError } from "../../platform/http/errors.ts";
import type { Platform } from "../../platform/platform.ts";
import { authorizeCircle } from "./circles.ts";
import { type TenantRef, workspacePolicy } from "./policy.ts";
import { allianceDocuments, type Circle } from "./schema.ts";
import { checkId } from "./schemas.ts";

/*
 * Documents shared in a circle of the workspace: only its members see, download and add them;
 * the person who added one, or a municipal admin, removes it. The bytes live sealed in the
 * tenant's file store; every download is audited.
 */

type Deps = Pick<Platform, "db" | "keyring" | "clock">;
export const WORKSPACE_FILE = "alliance.document";

export interface CircleDocument {
  id: string;
  title: string;
  file: StoredFileInfo | null;
  addedBy: string;
  addedAt: Date;
  /** The reader added it (or manages the workspace), so may remove it. */
  removable: boolean;
}

/** A circle's documents, newest first, for a member of it (`manage`: the reader may remove any). */
export async function documentsOf(
  tx: Db,
  keyring: Keyring,
  tenantId: string,
  circle: Circle,
  reader: { userId: string; manage: boolean },
): Promise<CircleDocument[]> {
  const docs = await tx
    .select({
      id: allianceDocuments.id,
      title: allianceDocuments.title,
      fileId: allianceDocuments.fileId,
      createdBy: allianceDocuments.createdBy,
      createdAt: allianceDocuments.createdAt,
      name: users.displayName,
    })
    .from(allianceDocuments)
    .leftJoin(users, eq(users.id, allianceDocuments.createdBy))
    .where(and(eq(allianceDocuments.tenantId, tenantId), eq(allianceDocuments.circle, circle)))
    .orderBy(desc(allianceDocuments.createdAt));
  const files = await fileInfos(
    keyring,
    tx,
    tenantId,
    docs.map((d) => d.fileId),
  );
  return docs.map((d) => ({
    id: d.id,
    title: d.title,
    file: files.get(d.fileId) ?? null,
    addedBy: d.name ?? "–",
    addedAt: d.createdAt,
    removable: reader.manage || d.createdBy === reader.userId,
  }));
}

export async function addCircleDocument(platform: Deps, actor: Actor, tenant: TenantRef, circle: Circle, title: string, file: CheckedUpload): Promise<void> {
  workspacePolicy.authorize(actor, "open", tenant);
  const now = platform.clock.now();
  await withTenant(
    platform.db,
    tenant.id,
    async (tx) => {
      await authorizeCircle(tx, actor, tenant, circle);
      const fileId = await putFile(platform.keyring, tx, tenant.id, { ...file, purpose: WORKSPACE_FILE, createdBy: actor.userId }, now);
      const [row] = await tx
        .insert(allianceDocuments)
        .values({ tenantId: tenant.id, circle, title, fileId, createdBy: actor.userId, createdAt: now })
        .returning({ id: allianceDocuments.id });
      await appendAudit(
        tx,
        {
          tenantId: tenant.id,
          actorId: actor.userId,
          action: "alliance.document.added",
          objectType: "alliance_document",
          objectId: row.id,
          details: { circle },
        },
        now,
      );
    },
    actor.userId,
  );
}

async function loadDocument(tx: Db, actor: Actor, tenant: TenantRef, id: string) {
  const [doc] = await tx
    .select()
    .from(allianceDocuments)
    .where(and(eq(allianceDocuments.tenantId, tenant.id), eq(allianceDocuments.id, id)));
  if (!doc) throw new AppError("not_found");
  await authorizeCircle(tx, actor, tenant, doc.circle);
  return doc;
}

/** A document's file for a member of its circle; the download is audited. */
export async function circleDocumentFile(platform: Deps, actor: Actor, tenant: TenantRef, id: string) {
  workspacePolicy.authorize(actor, "open", tenant);
  checkId(id);
  const now = platform.clock.now();
  return withTenant(
    platform.db,
    tenant.id,
    async (tx) => {
      const doc = await loadDocument(tx, actor, tenant, id);
      const file = await getFile(platform.keyring, tx, tenant.id, doc.fileId, WORKSPACE_FILE);
      if (!file) throw new AppError("not_found");
      await appendAudit(
        tx,
        { tenantId: tenant.id, actorId: actor.userId, action: "alliance.document.downloaded", objectType: "alliance_document", objectId: id },
        now,
      );
      return file;
    },
    actor.userId,
  );
}

/** Removes a document: the member who added it, or a municipal admin who is a member. */
export async function removeCircleDocument(platform: Deps, actor: Actor, tenant: TenantRef, id: string): Promise<void> {
  workspacePolicy.authorize(actor, "open", tenant);
  checkId(id);
  const now = platform.clock.now();
  await withTenant(
    platform.db,
    tenant.id,
    async (tx) => {
      const doc = await loadDocument(tx, actor, tenant, id);
      if (doc.createdBy !== actor.userId && !workspacePolicy.can(actor, "manage", tenant)) throw new AppError("not_found");
      await tx.delete(allianceDocuments).where(and(eq(allianceDocuments.tenantId, tenant.id), eq(allianceDocuments.id, id)));
      await removeFile(tx, tenant.id, doc.fileId);
      await appendAudit(
        tx,
        { tenantId: tenant.id, actorId: actor.userId, action: "alliance.document.removed", objectType: "alliance_document", objectId: id },
        now,
      );
    },
    actor.userId,
  );
}
