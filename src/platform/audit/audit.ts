import { createHash } from "node:crypto";
import { asc, eq, sql } from "drizzle-orm";
import type { Executor } from "../db/client.ts";
import { auditHeads, auditLog } from "../db/schema.ts";

/*
 * Append-only audit log, hash-chained per tenant: each entry's hash covers its content and
 * the previous entry's hash, and audit_heads holds the newest (seq, hash). Changing,
 * inserting or removing any entry — the last included — breaks the chain.
 */

export interface AuditEntry {
  tenantId: string;
  actorId: string | null;
  action: string;
  objectType: string;
  objectId?: string | null;
  /** Identifiers and categories only: never case content or personal data. */
  details?: Record<string, unknown>;
}

const GENESIS = "0".repeat(64);

function canonical(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  const obj = value as Record<string, unknown>;
  return `{${Object.keys(obj)
    .sort()
    .filter((k) => obj[k] !== undefined)
    .map((k) => `${JSON.stringify(k)}:${canonical(obj[k])}`)
    .join(",")}}`;
}

function entryHash(
  prevHash: string,
  e: {
    tenantId: string;
    seq: number;
    at: Date;
    actorId: string | null;
    action: string;
    objectType: string;
    objectId: string | null;
    details: Record<string, unknown>;
  },
): string {
  const body = canonical({
    tenantId: e.tenantId,
    seq: e.seq,
    at: e.at.toISOString(),
    actorId: e.actorId,
    action: e.action,
    objectType: e.objectType,
    objectId: e.objectId,
    details: e.details,
  });
  return createHash("sha256").update(prevHash).update("\n").update(body).digest("hex");
}

/** Appends an entry inside the caller's tenant transaction. */
export async function appendAudit(ex: Executor, entry: AuditEntry, now: Date): Promise<void> {
  // Serialise appends per tenant so that two transactions never fork the chain.
  await ex.execute(sql`select pg_advisory_xact_lock(hashtextextended(${entry.tenantId}, 42))`);
  const [head] = await ex.select().from(auditHeads).where(eq(auditHeads.tenantId, entry.tenantId));
  const seq = (head?.seq ?? 0) + 1;
  const prevHash = head?.hash ?? GENESIS;
  const at = new Date(Math.floor(now.getTime()));
  const row = {
    tenantId: entry.tenantId,
    seq,
    at,
    actorId: entry.actorId,
    action: entry.action,
    objectType: entry.objectType,
    objectId: entry.objectId ?? null,
    details: entry.details ?? {},
  };
  const hash = entryHash(prevHash, row);
  await ex.insert(auditLog).values({ ...row, prevHash, hash });
  if (head) await ex.update(auditHeads).set({ seq, hash }).where(eq(auditHeads.tenantId, entry.tenantId));
  else await ex.insert(auditHeads).values({ tenantId: entry.tenantId, seq, hash });
}

export interface VerifyResult {
  ok: boolean;
  entries: number;
  problems: string[];
}

/** Walks a tenant's chain and reports every break. */
export async function verifyAudit(ex: Executor, tenantId: string): Promise<VerifyResult> {
  const entries = await ex.select().from(auditLog).where(eq(auditLog.tenantId, tenantId)).orderBy(asc(auditLog.seq));
  const [head] = await ex.select().from(auditHeads).where(eq(auditHeads.tenantId, tenantId));
  const problems: string[] = [];
  let prev = GENESIS;
  let expectedSeq = 1;
  for (const e of entries) {
    if (e.seq !== expectedSeq) problems.push(`entry ${e.seq}: expected sequence number ${expectedSeq} (an entry was removed or inserted)`);
    if (e.prevHash !== prev) problems.push(`entry ${e.seq}: does not follow the entry before it`);
    const recomputed = entryHash(e.prevHash, {
      tenantId: e.tenantId,
      seq: e.seq,
      at: e.at,
      actorId: e.actorId,
      action: e.action,
      objectType: e.objectType,
      objectId: e.objectId,
      details: e.details,
    });
    if (recomputed !== e.hash) problems.push(`entry ${e.seq}: content was changed`);
    prev = e.hash;
    expectedSeq = e.seq + 1;
  }
  const last = entries.at(-1);
  if (head && (!last || last.seq !== head.seq || last.hash !== head.hash)) {
    problems.push(`the newest entry should be ${head.seq}, found ${last?.seq ?? "none"} (entries at the end were removed)`);
  }
  if (!head && last) problems.push("the chain head is missing");
  return { ok: problems.length === 0, entries: entries.length, problems };
}
