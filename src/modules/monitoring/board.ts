import { and, desc, eq } from "drizzle-orm";
import { z } from "zod";
import { appendAudit } from "../../platform/audit/audit.ts";
import type { Actor } from "../../platform/authz/policy.ts";
import { isCalendarDate } from "../../platform/calendar.ts";
import { withTenant } from "../../platform/db/client.ts";
import { type CheckedUpload, fileInfos, getFile, putFile, removeFile, type StoredFileInfo } from "../../platform/files/files.ts";
import { AppError } from "../../platform/http/errors.ts";
import type { Platform } from "../../platform/platform.ts";
import { CONTROL_CHARACTERS_MESSAGE, singleLine } from "../../platform/validation.ts";
import { boardPolicy, type TenantRef } from "./policy.ts";
import { boardDocuments } from "./schema.ts";

/*
 * The advisory board's workspace at the national level: its meeting documents, kept by the
 * national team (added and removed by national admins, read by them and the board); the bytes
 * sealed in the national level's file store; every download audited. The national figures and
 * the yearly reports come from the Lagebild itself, read-only.
 */

type Deps = Pick<Platform, "db" | "keyring" | "clock">;
export const BOARD_FILE = "monitoring.board_document";
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export const boardDocumentInput = z.object({
  title: z
    .string()
    .transform((s) => s.trim())
    .pipe(z.string().min(1, { error: "errors.board.title" }).max(200, { error: "errors.board.titleLong" }))
    .refine(singleLine, { error: CONTROL_CHARACTERS_MESSAGE }),
  meetingOn: z.string().refine(isCalendarDate, { error: "errors.board.meetingOn" }),
});
export type BoardDocumentInput = z.infer<typeof boardDocumentInput>;

export interface BoardDocument {
  id: string;
  title: string;
  meetingOn: string;
  file: StoredFileInfo | null;
  addedAt: Date;
}

/** The meeting documents, newest meeting first. */
export async function boardDocumentList(platform: Deps, actor: Actor, tenant: TenantRef): Promise<BoardDocument[]> {
  boardPolicy.authorize(actor, "read", tenant);
  return withTenant(
    platform.db,
    tenant.id,
    async (tx) => {
      const found = await tx
        .select()
        .from(boardDocuments)
        .where(eq(boardDocuments.tenantId, tenant.id))
        .orderBy(desc(boardDocuments.meetingOn), desc(boardDocuments.addedAt));
      const files = await fileInfos(
        platform.keyring,
        tx,
        tenant.id,
        found.map((d) => d.fileId),
      );
      return found.map((d) => ({ id: d.id, title: d.title, meetingOn: d.meetingOn, file: files.get(d.fileId) ?? null, addedAt: d.addedAt }));
    },
    actor.userId,
  );
}

export async function addBoardDocument(platform: Deps, actor: Actor, tenant: TenantRef, input: BoardDocumentInput, upload: CheckedUpload): Promise<void> {
  boardPolicy.authorize(actor, "manage", tenant);
  const now = platform.clock.now();
  await withTenant(
    platform.db,
    tenant.id,
    async (tx) => {
      const fileId = await putFile(platform.keyring, tx, tenant.id, { ...upload, purpose: BOARD_FILE, createdBy: actor.userId }, now);
      const [row] = await tx
        .insert(boardDocuments)
        .values({ tenantId: tenant.id, title: input.title, meetingOn: input.meetingOn, fileId, addedBy: actor.userId, addedAt: now })
        .returning({ id: boardDocuments.id });
      await appendAudit(
        tx,
        {
          tenantId: tenant.id,
          actorId: actor.userId,
          action: "board.document_added",
          objectType: "board_document",
          objectId: row.id,
          details: { meetingOn: input.meetingOn },
        },
        now,
      );
    },
    actor.userId,
  );
}

/** A document's file for reading; the download is audited. */
export async function boardDocumentFile(platform: Deps, actor: Actor, tenant: TenantRef, id: string) {
  boardPolicy.authorize(actor, "read", tenant);
  if (!UUID.test(id)) throw new AppError("not_found");
  const now = platform.clock.now();
  return withTenant(
    platform.db,
    tenant.id,
    async (tx) => {
      const [doc] = await tx
        .select()
        .from(boardDocuments)
        .where(and(eq(boardDocuments.tenantId, tenant.id), eq(boardDocuments.id, id)));
      const file = doc ? await getFile(platform.keyring, tx, tenant.id, doc.fileId, BOARD_FILE) : null;
      if (!doc || !file) throw new AppError("not_found");
      await appendAudit(
        tx,
        {
          tenantId: tenant.id,
          actorId: actor.userId,
          action: "board.document_read",
          objectType: "board_document",
          objectId: doc.id,
          details: { meetingOn: doc.meetingOn },
        },
        now,
      );
      return file;
    },
    actor.userId,
  );
}

export async function removeBoardDocument(platform: Deps, actor: Actor, tenant: TenantRef, id: string): Promise<void> {
  boardPolicy.authorize(actor, "manage", tenant);
  if (!UUID.test(id)) throw new AppError("not_found");
  const now = platform.clock.now();
  await withTenant(
    platform.db,
    tenant.id,
    async (tx) => {
      const [doc] = await tx
        .delete(boardDocuments)
        .where(and(eq(boardDocuments.tenantId, tenant.id), eq(boardDocuments.id, id)))
        .returning({ id: boardDocuments.id, fileId: boardDocuments.fileId, meetingOn: boardDocuments.meetingOn });
      if (!doc) throw new AppError("not_found");
      await removeFile(tx, tenant.id, doc.fileId);
      await appendAudit(
        tx,
        {
          tenantId: tenant.id,
          actorId: actor.userId,
          action: "board.document_removed",
          objectType: "board_document",
          objectId: doc.id,
          details: { meetingOn: doc.meetingOn },
        },
        now,
      );
    },
    actor.userId,
  );
}
