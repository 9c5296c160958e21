import { randomBytes } from "node:crypto";
import { and, eq, gt, isNull, ne } from "drizzle-orm";
import { type Db, inTransaction, withTenant } from "../db/client.ts";
import { users, userTokens } from "../db/schema.ts";
import { isUiLanguage, translator, type UiLanguage } from "../i18n/i18n.ts";
import type { Platform } from "../platform.ts";
import { hashPassword } from "./passwords.ts";
import { auditAccount, normaliseEmail, revokeApiTokens } from "./service.ts";
import { hashToken, revokeOtherSessions } from "./sessions.ts";

/*
 * Links that set a password: an invitation's and a reset's single-use token (only its hash is
 * stored), and the reset mail, sent by a job so that asking answers alike for every address.
 */

export const INVITE_TTL_MS = 7 * 24 * 3_600_000;
export const RESET_TTL_MS = 60 * 60_000;

/** Makes a single-use link token in the caller's transaction; only its hash is stored. */
export async function issueUserToken(tx: Db, userId: string, purpose: "invite" | "reset", now: Date): Promise<string> {
  const token = randomBytes(32).toString("base64url");
  await tx.insert(userTokens).values({
    tokenHash: hashToken(token),
    userId,
    purpose,
    expiresAt: new Date(now.getTime() + (purpose === "invite" ? INVITE_TTL_MS : RESET_TTL_MS)),
  });
  return token;
}

export async function findUserToken(platform: Platform, token: string) {
  const now = platform.clock.now();
  const [row] = await inTransaction(platform.db, {}, (tx) =>
    tx
      .select({ userId: userTokens.userId, purpose: userTokens.purpose, email: users.email, displayName: users.displayName })
      .from(userTokens)
      .innerJoin(users, eq(users.id, userTokens.userId))
      .where(and(eq(userTokens.tokenHash, hashToken(token)), isNull(userTokens.usedAt), gt(userTokens.expiresAt, now), ne(users.status, "disabled"))),
  );
  return row ?? null;
}

/** Sets a password through a link token; ends every session of the account. */
export async function setPasswordWithToken(platform: Platform, token: string, password: string): Promise<{ ok: boolean; userId?: string }> {
  const now = platform.clock.now();
  const passwordHash = await hashPassword(password);
  const userId = await inTransaction(platform.db, {}, async (tx) => {
    const [row] = await tx
      .update(userTokens)
      .set({ usedAt: now })
      .where(and(eq(userTokens.tokenHash, hashToken(token)), isNull(userTokens.usedAt), gt(userTokens.expiresAt, now)))
      .returning();
    if (!row) return null;
    // A link never brings a disabled account back: that is for an admin to decide.
    const [user] = await tx
      .update(users)
      .set({ passwordHash, status: "active" })
      .where(and(eq(users.id, row.userId), ne(users.status, "disabled")))
      .returning({ id: users.id });
    if (!user) return null;
    // A reset is what someone does who fears their account is in other hands: what those hands may
    // have made with it, sessions and API tokens alike, ends with it.
    await revokeOtherSessions(tx, row.userId, null, now);
    await revokeApiTokens(tx, row.userId, now);
    return row.userId;
  });
  if (!userId) return { ok: false };
  await auditAccount(platform, userId, "auth.password_set");
  return { ok: true, userId };
}

export const PASSWORD_RESET_JOB = "auth.password_reset";
const RESET_EMAIL_CONTEXT = "jobs.password_reset.email";

/**
 * Asks for a reset link. The answer must not tell whether the address has an account — not by
 * its words and not by its timing — so both cases do the same work here: the address is sealed
 * and handed to a job. The job looks it up and mails a link only to an active account.
 */
export async function requestPasswordReset(platform: Platform, email: string, lang: UiLanguage): Promise<void> {
  const national = platform.nationalTenant.id;
  const sealed = await withTenant(platform.db, national, (tx) => platform.keyring.seal(tx, national, normaliseEmail(email), RESET_EMAIL_CONTEXT));
  await platform.jobs.send(PASSWORD_RESET_JOB, { email: sealed, lang });
}

/** The job's work: a single-use link by mail, if the address belongs to an active account. */
async function sendPasswordReset(platform: Platform, data: { email: string; lang: UiLanguage }): Promise<void> {
  const national = platform.nationalTenant.id;
  const now = platform.clock.now();
  const t = translator(isUiLanguage(data.lang) ? data.lang : "de");
  const ids = await withTenant(platform.db, national, async (tx) => {
    const email = await platform.keyring.openText(tx, national, data.email, RESET_EMAIL_CONTEXT);
    const [user] = await tx
      .select()
      .from(users)
      .where(and(eq(users.email, email), eq(users.status, "active")));
    if (!user) return [];
    const token = await issueUserToken(tx, user.id, "reset", now);
    const link = `${platform.config.publicUrl}/passwort-setzen/${token}`;
    return [await platform.mailer.enqueue(tx, { to: user.email, subject: t("mail.reset.subject"), text: t("mail.reset.body", { link }) })];
  });
  await platform.mailer.dispatch(ids);
}

/** Registers the account jobs; call before the job queue starts. */
export function defineAccountJobs(platform: Platform): void {
  platform.jobs.define<{ email: string; lang: UiLanguage }>(PASSWORD_RESET_JOB, (data) => sendPasswordReset(platform, data), { retryLimit: 3 });
}
