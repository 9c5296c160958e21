import { createHash, randomBytes } from "node:crypto";
import { and, desc, eq, isNull, ne } from "drizzle-orm";
import type { Executor } from "../db/client.ts";
import { sessions } from "../db/schema.ts";

/*
 * Server-side sessions. The cookie holds a random token; the database holds only its
 * SHA-256, so a database dump does not let anyone take over a session.
 */

export type SessionStage = "second_factor" | "enrol_second_factor" | "complete";

export interface SessionRecord {
  id: string;
  userId: string;
  workingTenantId: string | null;
  stage: SessionStage;
  label: string;
  createdAt: Date;
  lastSeenAt: Date;
  expiresAt: Date;
}

export interface SessionTimeouts {
  idleMs: number;
  absoluteMs: number;
}

export function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

export function newToken(): string {
  return randomBytes(32).toString("base64url");
}

/** A short, non-identifying description of the browser, for the user's session list. */
export function describeClient(userAgent: string | undefined): string {
  const ua = userAgent ?? "";
  const browser = /Edg\//.test(ua)
    ? "Edge"
    : /Firefox\//.test(ua)
      ? "Firefox"
      : /Chrom(e|ium)\//.test(ua)
        ? "Chromium/Chrome"
        : /Safari\//.test(ua)
          ? "Safari"
          : "";
  const os = /Windows/.test(ua)
    ? "Windows"
    : /Android/.test(ua)
      ? "Android"
      : /iPhone|iPad/.test(ua)
        ? "iOS"
        : /Mac OS/.test(ua)
          ? "macOS"
          : /Linux/.test(ua)
            ? "Linux"
            : "";
  return [browser, os].filter(Boolean).join(" · ");
}

export async function createSession(
  ex: Executor,
  input: { userId: string; workingTenantId: string | null; stage: SessionStage; label: string },
  now: Date,
  timeouts: SessionTimeouts,
): Promise<{ token: string; session: SessionRecord }> {
  const token = newToken();
  const [row] = await ex
    .insert(sessions)
    .values({
      id: hashToken(token),
      userId: input.userId,
      workingTenantId: input.workingTenantId,
      stage: input.stage,
      label: input.label,
      createdAt: now,
      lastSeenAt: now,
      expiresAt: new Date(now.getTime() + timeouts.absoluteMs),
    })
    .returning();
  return { token, session: row as SessionRecord };
}

/** The live session for a token, or null when unknown, revoked, idle too long or expired. */
export async function findSession(ex: Executor, token: string, now: Date, timeouts: SessionTimeouts): Promise<SessionRecord | null> {
  const [row] = await ex
    .select()
    .from(sessions)
    .where(and(eq(sessions.id, hashToken(token)), isNull(sessions.revokedAt)));
  if (!row) return null;
  if (row.expiresAt <= now) return null;
  if (now.getTime() - row.lastSeenAt.getTime() > timeouts.idleMs) return null;
  return row as SessionRecord;
}

/** Records activity; written at most once a minute to spare the database. */
export async function touchSession(ex: Executor, session: SessionRecord, now: Date): Promise<void> {
  if (now.getTime() - session.lastSeenAt.getTime() < 60_000) return;
  await ex.update(sessions).set({ lastSeenAt: now }).where(eq(sessions.id, session.id));
}

export async function revokeSession(ex: Executor, sessionId: string, userId: string, now: Date): Promise<boolean> {
  const r = await ex
    .update(sessions)
    .set({ revokedAt: now })
    .where(and(eq(sessions.id, sessionId), eq(sessions.userId, userId), isNull(sessions.revokedAt)))
    .returning({ id: sessions.id });
  return r.length > 0;
}

export async function revokeOtherSessions(ex: Executor, userId: string, keepId: string | null, now: Date): Promise<void> {
  const where = keepId
    ? and(eq(sessions.userId, userId), isNull(sessions.revokedAt), ne(sessions.id, keepId))
    : and(eq(sessions.userId, userId), isNull(sessions.revokedAt));
  await ex.update(sessions).set({ revokedAt: now }).where(where);
}

export async function listSessions(ex: Executor, userId: string, now: Date, timeouts: SessionTimeouts): Promise<SessionRecord[]> {
  const all = await ex
    .select()
    .from(sessions)
    .where(and(eq(sessions.userId, userId), isNull(sessions.revokedAt)))
    .orderBy(desc(sessions.lastSeenAt));
  return (all as SessionRecord[]).filter((s) => s.expiresAt > now && now.getTime() - s.lastSeenAt.getTime() <= timeouts.idleMs && s.stage === "complete");
}
