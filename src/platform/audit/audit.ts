import { createHash } from "node:crypto";
import { asc, eq, type SQL, sql } from "drizzle-orm";
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

/** SHA-256 over the entry's canonical JSON (everything except its place in the chain). */
function bodyHash(e: {
  tenantId: string;
  at: Date;
  actorId: string | null;
  action: string;
  objectType: string;
  objectId: string | null;
  details: Record<string, unknown>;
}): string {
  const body = canonical({
    tenantId: e.tenantId,
    at: e.at.toISOString(),
    actorId: e.actorId,
    action: e.action,
    objectType: e.objectType,
    objectId: e.objectId,
    details: e.details,
  });
  return createHash("sha256").update(body).digest("hex");
}

/** The chain link; the same formula as komma_audit_append() in drizzle/0005. */
function linkHash(prevHash: string, seq: number, body: string): string {
  return createHash("sha256").update(`${prevHash}\n${seq}\n${body}`).digest("hex");
}

/**
 * The call that appends an entry, to run inside the caller's tenant transaction — on its own
 * (`appendAudit`) or as part of a larger statement, so a write and its audit entry take one
 * round trip. The database function takes a per-tenant lock, links the entry and moves the head.
 */
export function auditAppendCall(entry: AuditEntry, now: Date): SQL {
  return sql`komma_audit_append(${entry.tenantId}::uuid, ${now.toISOString()}::timestamptz, ${entry.actorId}::uuid, ${entry.action}, ${entry.objectType}, ${entry.objectId ?? null}, ${JSON.stringify(entry.details ?? {})}::jsonb, ${auditBodyHash(entry, now)})`;
}

/** The body hash `komma_audit_append` expects for an entry made at `now`, for callers that pass the entry's parts themselves. */
export function auditBodyHash(entry: AuditEntry, now: Date): string {
  return bodyHash({
    tenantId: entry.tenantId,
    at: now,
    actorId: entry.actorId,
    action: entry.action,
    objectType: entry.objectType,
    objectId: entry.objectId ?? null,
    details: entry.details ?? {},
  });
}

/** Appends an entry inside the caller's tenant transaction. */
export async function appendAudit(ex: Executor, entry: AuditEntry, now: Date): Promise<void> {
  await ex.execute(sql`select ${auditAppendCall(entry, now)}`);
}

export interface VerifyResult {
  ok: boolean;
  entries: number;
  problems: string[];
}

/**
 * A chain head written down outside the database. Whoever can write to the database can cut
 * entries off the end and move the head row back with them; an anchor kept elsewhere (printed,
 * mailed, in another system's log) shows that entry `seq` existed with this hash.
 */
export interface AuditAnchor {
  tenantId: string;
  seq: number;
  hash: string;
}

/** The current head of a tenant's chain, to keep outside the database. */
export async function auditHead(ex: Executor, tenantId: string): Promise<AuditAnchor | null> {
  const [head] = await ex.select().from(auditHeads).where(eq(auditHeads.tenantId, tenantId));
  return head ? { tenantId, seq: head.seq, hash: head.hash } : null;
}

/** Walks a tenant's chain and reports every break; with an anchor, also anything removed or rewritten before it. */
export async function verifyAudit(ex: Executor, tenantId: string, anchor?: AuditAnchor): Promise<VerifyResult> {
  const entries = await ex.select().from(auditLog).where(eq(auditLog.tenantId, tenantId)).orderBy(asc(auditLog.seq));
  const [head] = await ex.select().from(auditHeads).where(eq(auditHeads.tenantId, tenantId));
  const problems: string[] = [];
  let prev = GENESIS;
  let expectedSeq = 1;
  for (const e of entries) {
    if (e.seq !== expectedSeq) problems.push(`entry ${e.seq}: expected sequence number ${expectedSeq} (an entry was removed or inserted)`);
    if (e.prevHash !== prev) problems.push(`entry ${e.seq}: does not follow the entry before it`);
    const recomputed = linkHash(
      e.prevHash,
      e.seq,
      bodyHash({ tenantId: e.tenantId, at: e.at, actorId: e.actorId, action: e.action, objectType: e.objectType, objectId: e.objectId, details: e.details }),
    );
    if (recomputed !== e.hash) problems.push(`entry ${e.seq}: content was changed`);
    prev = e.hash;
    expectedSeq = e.seq + 1;
  }
  const last = entries.at(-1);
  if (head && (!last || last.seq !== head.seq || last.hash !== head.hash)) {
    problems.push(`the newest entry should be ${head.seq}, found ${last?.seq ?? "none"} (entries at the end were removed)`);
  }
  if (!head && last) problems.push("the chain head is missing");
  if (anchor) {
    const anchored = entries.find((e) => e.seq === anchor.seq);
    if (!anchored) problems.push(`entry ${anchor.seq} named by the anchor is missing (entries were removed after the anchor was taken)`);
    else if (anchored.hash !== anchor.hash) problems.push(`entry ${anchor.seq} differs from the anchor (the chain was rewritten)`);
  }
  return { ok: problems.length === 0, entries: entries.length, problems };
}

/** The anchors in the text of a file written by `komma audit anchor`; throws where it is not one. */
export function parseAnchors(text: string): AuditAnchor[] {
  const parsed = JSON.parse(text) as { heads?: AuditAnchor[] };
  if (!Array.isArray(parsed.heads)) throw new Error("no heads");
  return parsed.heads.map((h) => ({ tenantId: String(h.tenantId), seq: Number(h.seq), hash: String(h.hash) }));
}
