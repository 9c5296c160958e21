import { and, desc, eq, inArray } from "drizzle-orm";
import { z } from "zod";
import { appendAudit } from "../../platform/audit/audit.ts";
import type { Actor } from "../../platform/authz/policy.ts";
import { type Db, withTenant } from "../../platform/db/client.ts";
import { auditLog, users } from "../../platform/db/schema.ts";
import { AppError } from "../../platform/http/errors.ts";
import type { Platform } from "../../platform/platform.ts";
import { CONTROL_CHARACTERS_MESSAGE, withoutControlCharacters } from "../../platform/validation.ts";
import { checkCaseNumber, decisionsOf, type QuestionRow } from "../reports/index.ts";
import { type CaseRef, casePolicy, type TenantRef } from "./policy.ts";
import { caseByNumber, caseFacts } from "./repository.ts";
import { caseNotes } from "./schema.ts";

/*
 * The case file beyond the forms: the office's notes (sealed, added, never changed) and the
 * timeline — every entry of the audit log on the case, its reports and their evidence: who
 * opened, assessed, decided, asked, referred, disclosed, read, and when. The audit log is the one
 * record of it, so the timeline cannot leave out what happened.
 */

const NOTE = "case_notes.body";
/** The newest entries shown; older ones stay in the Protokoll. */
export const TIMELINE_LIMIT = 200;

export const noteInput = z.object({
  body: z
    .string()
    .trim()
    .min(1, { error: "errors.notes.empty" })
    .max(10_000, { error: "errors.notes.long" })
    .refine(withoutControlCharacters, { error: CONTROL_CHARACTERS_MESSAGE }),
});

export interface NoteRow {
  id: string;
  body: string;
  authorName: string | null;
  createdAt: Date;
}

export async function notesOf(tx: Db, keyring: Platform["keyring"], tenantId: string, caseId: string): Promise<NoteRow[]> {
  const found = await tx
    .select({ id: caseNotes.id, body: caseNotes.body, authorName: users.displayName, createdAt: caseNotes.createdAt })
    .from(caseNotes)
    .leftJoin(users, eq(users.id, caseNotes.authorId))
    .where(and(eq(caseNotes.tenantId, tenantId), eq(caseNotes.caseId, caseId)))
    .orderBy(desc(caseNotes.seq));
  return Promise.all(found.map(async (n) => ({ ...n, body: await keyring.openText(tx, tenantId, n.body, NOTE) })));
}

/** Anyone in the clearing office adds a note to a case of the municipality (closed ones too: a call from the prosecutor). */
export async function addNote(
  platform: Pick<Platform, "db" | "clock" | "keyring">,
  actor: Actor,
  tenant: TenantRef,
  number: string,
  body: string,
): Promise<void> {
  checkCaseNumber(number);
  const now = platform.clock.now();
  await withTenant(
    platform.db,
    tenant.id,
    async (tx) => {
      const row = await caseByNumber(tx, tenant.id, number);
      if (!row) throw new AppError("not_found");
      casePolicy.authorize(actor, "read", (await caseFacts(tx, tenant, [row.id])).get(row.id) as CaseRef);
      await tx
        .insert(caseNotes)
        .values({ tenantId: tenant.id, caseId: row.id, body: await platform.keyring.seal(tx, tenant.id, body, NOTE), authorId: actor.userId, createdAt: now });
      await appendAudit(
        tx,
        { tenantId: tenant.id, actorId: actor.userId, action: "case.note_added", objectType: "case", objectId: row.id, details: { number } },
        now,
      );
    },
    actor.userId,
  );
}

export interface TimelineEntry {
  at: Date;
  actorName: string | null;
  action: string;
  objectType: string;
  details: Record<string, unknown>;
}

/**
 * The audit entries on these objects (the case, its reports, their evidence), newest first, with
 * who acted. The caller has opened the case (and so may read it); `more`: older entries exist.
 */
export async function timelineOf(
  platform: Pick<Platform, "db">,
  actor: Actor,
  tenantId: string,
  objectIds: readonly string[],
): Promise<{ entries: TimelineEntry[]; more: boolean }> {
  const found = await withTenant(
    platform.db,
    tenantId,
    (tx) =>
      tx
        .select({ at: auditLog.at, actorName: users.displayName, action: auditLog.action, objectType: auditLog.objectType, details: auditLog.details })
        .from(auditLog)
        .leftJoin(users, eq(users.id, auditLog.actorId))
        .where(and(eq(auditLog.tenantId, tenantId), inArray(auditLog.objectId, [...objectIds])))
        .orderBy(desc(auditLog.seq))
        .limit(TIMELINE_LIMIT + 1),
    actor.userId,
  );
  return { entries: found.slice(0, TIMELINE_LIMIT), more: found.length > TIMELINE_LIMIT };
}

/**
 * A read of the case through the API: written to the audit log like the page's read of its
 * report, and the person's decisions with it (read through the Meldestelle, which owns them).
 */
export async function auditCaseRead(
  platform: Pick<Platform, "db" | "clock" | "keyring">,
  actor: Actor,
  tenant: TenantRef,
  kase: { id: string; number: string },
): Promise<QuestionRow[]> {
  const now = platform.clock.now();
  await withTenant(
    platform.db,
    tenant.id,
    (tx) =>
      appendAudit(
        tx,
        { tenantId: tenant.id, actorId: actor.userId, action: "case.read", objectType: "case", objectId: kase.id, details: { number: kase.number } },
        now,
      ),
    actor.userId,
  );
  return decisionsOf(platform, actor, tenant, kase.number);
}
