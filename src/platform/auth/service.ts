import { and, eq, isNull, lt, or } from "drizzle-orm";
import { appendAudit } from "../audit/audit.ts";
import { type Role, SECOND_FACTOR_ROLES } from "../authz/policy.ts";
import { type Db, inTransaction, withTenant } from "../db/client.ts";
import { apiTokens, memberships, recoveryCodes, sessions, users, userTokens } from "../db/schema.ts";
import type { Platform } from "../platform.ts";
import { devicesAfterSignIn, trustedDevice } from "./devices.ts";
import { verifyPassword } from "./passwords.ts";
import { createSession, revokeOtherSessions, revokeSession, type SessionRecord, type SessionStage } from "./sessions.ts";
import { clearFailures, lockedUntil, MAX_ACCOUNT_FAILURES, recordFailure, reserveAttempt } from "./throttle.ts";
import { newRecoveryCodes, newTotpSecret, normaliseRecoveryCode, totpFor, totpStep } from "./totp.ts";

/*
 * Sign-in and account commands. Messages never tell whether an address has an account:
 * unknown addresses cost the same argon2 work and count towards the same lockout.
 */

export { LOCKOUT_MS, MAX_ACCOUNT_FAILURES, MAX_FAILURES } from "./throttle.ts";

const TOTP_CONTEXT = "users.totp_secret";

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

export function requiresSecondFactor(roles: Role[]): boolean {
  return roles.some((r) => SECOND_FACTOR_ROLES.includes(r));
}

/**
 * Whether a person must set up a second factor before doing anything: one of their roles needs
 * it, or an admin reset it, and none is set up. Asked at sign-in and on every request, since
 * roles change while people are signed in.
 */
export function mustEnrol(user: { totpEnabledAt: Date | null; secondFactorRequired: boolean }, roles: Role[]): boolean {
  return !user.totpEnabledAt && (user.secondFactorRequired || requiresSecondFactor(roles));
}

async function rolesOf(platform: Platform, userId: string): Promise<{ tenantId: string; role: Role }[]> {
  return inTransaction(platform.db, { userId }, (tx) =>
    tx.select({ tenantId: memberships.tenantId, role: memberships.role }).from(memberships).where(eq(memberships.userId, userId)),
  ) as Promise<{ tenantId: string; role: Role }[]>;
}

/**
 * Account events go to the audit log of every municipality the person works in (there the
 * clearing office and the admins see them), or the national log for people without one.
 */
export async function auditAccount(platform: Platform, userId: string, action: string, details: Record<string, unknown> = {}) {
  const tenantIds = [...new Set((await rolesOf(platform, userId)).map((r) => r.tenantId))];
  const now = platform.clock.now();
  for (const tenantId of tenantIds.length > 0 ? tenantIds : [platform.nationalTenant.id]) {
    await withTenant(platform.db, tenantId, (tx) => appendAudit(tx, { tenantId, actorId: userId, action, objectType: "user", objectId: userId, details }, now));
  }
}

/** The municipalities (and the national level) an account works in, for rules about whole accounts. */
export async function accountTenantIds(platform: Platform, userId: string): Promise<string[]> {
  return [...new Set((await rolesOf(platform, userId)).map((r) => r.tenantId))];
}

/** Every API token of a person stops for good. */
export function revokeApiTokens(tx: Db, userId: string, now: Date) {
  return tx
    .update(apiTokens)
    .set({ revokedAt: now })
    .where(and(eq(apiTokens.userId, userId), isNull(apiTokens.revokedAt)));
}

/**
 * Removes a person's second factor (secret and recovery codes), ends all their sessions and
 * revokes their API tokens (a token made by whoever took the account over must stop too); the
 * next sign-in must enrol a new one, whatever their roles. Audited by the caller, who knows why.
 */
export async function resetSecondFactor(platform: Platform, userId: string): Promise<void> {
  const now = platform.clock.now();
  await inTransaction(platform.db, {}, async (tx) => {
    await tx.update(users).set({ totpSecret: null, totpEnabledAt: null, totpLastStep: null, secondFactorRequired: true }).where(eq(users.id, userId));
    await tx.delete(recoveryCodes).where(eq(recoveryCodes.userId, userId));
    await revokeOtherSessions(tx, userId, null, now);
    await revokeApiTokens(tx, userId, now);
  });
}

/**
 * Disables an account (no sign-in, no session, no API token works: the actor is only loaded for
 * active accounts) or enables it again. Disabling ends all sessions at once.
 */
export async function setAccountStatus(platform: Platform, userId: string, status: "active" | "disabled"): Promise<boolean> {
  const now = platform.clock.now();
  return inTransaction(platform.db, {}, async (tx) => {
    const changed = await tx
      .update(users)
      .set({ status })
      .where(and(eq(users.id, userId), eq(users.status, status === "active" ? "disabled" : "active")))
      .returning({ id: users.id });
    if (status === "disabled") {
      await revokeOtherSessions(tx, userId, null, now);
      // Links already sent (password reset) stop working with the account, and its API tokens
      // for good: enabling the account again does not bring them back.
      await tx
        .update(userTokens)
        .set({ usedAt: now })
        .where(and(eq(userTokens.userId, userId), isNull(userTokens.usedAt)));
      await revokeApiTokens(tx, userId, now);
    }
    return changed.length > 0;
  });
}

export type SignInResult =
  | { ok: true; token: string; stage: SessionStage; devices: string }
  | { ok: false; reason: "invalid" }
  | { ok: false; reason: "locked"; until: Date };

/**
 * `client`: who signs in (the request's address), kept only inside a keyed hash. Wrong passwords
 * lock an address for the client that sent them after MAX_FAILURES, and for every client only
 * after MAX_ACCOUNT_FAILURES from all together: someone who knows a person's address cannot lock
 * them out from one client.
 *
 * `devices`: the browser's device tokens (a cookie). A browser that signed in to this address
 * before is counted on its own: its own MAX_FAILURES lock it, and the lock for every client does
 * not, so that wrong passwords from many clients cannot keep a person out of the browser they
 * always use. A successful sign-in answers the browser's tokens with a new one for this address.
 */
export async function signIn(
  platform: Platform,
  input: { email: string; password: string; label: string; client: string; devices?: string },
): Promise<SignInResult> {
  const now = platform.clock.now();
  const email = normaliseEmail(input.email);
  const key = platform.keyring.lookupHash("sign-in", email);
  const mac = (address: string, nonce: string) => platform.keyring.lookupHash("sign-in-device", `${address}\n${nonce}`);
  const device = trustedDevice(mac, email, input.devices);
  const clientKey = platform.keyring.lookupHash("sign-in", device ? `${email}\ndevice:${device}` : `${email}\n${input.client}`);
  const { user, locked } = await inTransaction(platform.db, {}, async (tx) => {
    const [found] = await tx.select().from(users).where(eq(users.email, email));
    // A client already locked out is not counted against the address for everyone.
    const locked = (await reserveAttempt(tx, clientKey, now)) ?? (device !== null ? null : await reserveAttempt(tx, key, now, MAX_ACCOUNT_FAILURES));
    return { user: found, locked };
  });
  // The same argon2 work whether or not the address has an account, and whether or not locked.
  const valid = await verifyPassword(user?.status === "active" ? user.passwordHash : null, input.password);
  if (locked) return { ok: false, reason: "locked", until: locked };
  if (!valid || !user) {
    if (user) await auditAccount(platform, user.id, "auth.sign_in_failed");
    return { ok: false, reason: "invalid" };
  }
  await inTransaction(platform.db, {}, async (tx) => {
    await clearFailures(tx, clientKey);
    await clearFailures(tx, key);
  });
  const devices = devicesAfterSignIn(mac, email, input.devices, device);
  const roles = await rolesOf(platform, user.id);
  const stage: SessionStage = user.totpEnabledAt
    ? "second_factor"
    : mustEnrol(
          user,
          roles.map((r) => r.role),
        )
      ? "enrol_second_factor"
      : "complete";
  const tenantId = roles.find((r) => r.tenantId !== platform.nationalTenant.id)?.tenantId ?? roles[0]?.tenantId ?? null;
  const { token } = await inTransaction(platform.db, {}, (tx) =>
    createSession(tx, { userId: user.id, workingTenantId: tenantId, stage, label: input.label }, now, {
      idleMs: platform.config.sessionIdleMs,
      absoluteMs: platform.config.sessionAbsoluteMs,
    }),
  );
  if (stage === "complete") await auditAccount(platform, user.id, "auth.sign_in");
  return { ok: true, token, stage, devices };
}

/** Replaces the session by a new one (new id) at a higher stage. */
async function promoteSession(platform: Platform, session: SessionRecord, stage: SessionStage): Promise<string> {
  const now = platform.clock.now();
  return inTransaction(platform.db, {}, async (tx) => {
    await revokeSession(tx, session.id, session.userId, now);
    const { token } = await createSession(tx, { userId: session.userId, workingTenantId: session.workingTenantId, stage, label: session.label }, now, {
      idleMs: platform.config.sessionIdleMs,
      absoluteMs: platform.config.sessionAbsoluteMs,
    });
    return token;
  });
}

export type SecondFactorResult = { ok: true; token: string } | { ok: false; reason: "invalid" } | { ok: false; reason: "locked"; until: Date };

/** Checks a TOTP code or a recovery code for a session waiting for its second factor. */
export async function completeSecondFactor(platform: Platform, session: SessionRecord, code: string): Promise<SecondFactorResult> {
  const now = platform.clock.now();
  const key = platform.keyring.lookupHash("second-factor", session.userId);
  const locked = await inTransaction(platform.db, {}, (tx) => lockedUntil(tx, key, now));
  if (locked) return { ok: false, reason: "locked", until: locked };
  const [user] = await inTransaction(platform.db, {}, (tx) => tx.select().from(users).where(eq(users.id, session.userId)));
  let valid = false;
  let usedRecovery = false;
  if (user?.totpSecret && user.totpEnabledAt) {
    const secret = await withTenant(platform.db, platform.nationalTenant.id, (tx) =>
      platform.keyring.openText(tx, platform.nationalTenant.id, user.totpSecret as string, TOTP_CONTEXT),
    );
    const step = totpStep(secret, code, now);
    // Each time step counts once: the update only succeeds for a step newer than the last one.
    valid =
      step !== null &&
      (
        await inTransaction(platform.db, {}, (tx) =>
          tx
            .update(users)
            .set({ totpLastStep: step })
            .where(and(eq(users.id, session.userId), or(isNull(users.totpLastStep), lt(users.totpLastStep, step))))
            .returning({ id: users.id }),
        )
      ).length > 0;
    if (!valid) {
      const codeHash = platform.keyring.lookupHash("recovery", normaliseRecoveryCode(code));
      const used = await inTransaction(platform.db, {}, (tx) =>
        tx
          .update(recoveryCodes)
          .set({ usedAt: now })
          .where(and(eq(recoveryCodes.userId, session.userId), eq(recoveryCodes.codeHash, codeHash), isNull(recoveryCodes.usedAt)))
          .returning(),
      );
      valid = used.length > 0;
      usedRecovery = valid;
    }
  }
  if (!valid) {
    await inTransaction(platform.db, {}, (tx) => recordFailure(tx, key, now));
    await auditAccount(platform, session.userId, "auth.second_factor_failed");
    return { ok: false, reason: "invalid" };
  }
  await inTransaction(platform.db, {}, (tx) => clearFailures(tx, key));
  const token = await promoteSession(platform, session, "complete");
  await auditAccount(platform, session.userId, "auth.sign_in", { secondFactor: usedRecovery ? "recovery_code" : "totp" });
  return { ok: true, token };
}

/** Starts (or restarts) TOTP enrolment: a new secret, not active until confirmed. */
export async function beginTotpEnrolment(platform: Platform, userId: string, email: string): Promise<{ secret: string; uri: string }> {
  const secret = newTotpSecret();
  const national = platform.nationalTenant.id;
  await withTenant(platform.db, national, async (tx) => {
    const sealed = await platform.keyring.seal(tx, national, secret, TOTP_CONTEXT);
    await tx
      .update(users)
      .set({ totpSecret: sealed, totpEnabledAt: null })
      .where(and(eq(users.id, userId), isNull(users.totpEnabledAt)));
  });
  return { secret, uri: totpFor(secret, email).toString() };
}

/** The pending TOTP secret of a user who has not confirmed enrolment yet. */
export async function pendingTotpSecret(platform: Platform, userId: string): Promise<string | null> {
  const national = platform.nationalTenant.id;
  return withTenant(platform.db, national, async (tx) => {
    const [user] = await tx.select().from(users).where(eq(users.id, userId));
    if (!user?.totpSecret || user.totpEnabledAt) return null;
    return platform.keyring.openText(tx, national, user.totpSecret, TOTP_CONTEXT);
  });
}

/**
 * Confirms enrolment with a code from the app; returns fresh recovery codes (shown once)
 * and, when the session was waiting for enrolment, a new session token.
 */
export async function confirmTotpEnrolment(
  platform: Platform,
  session: SessionRecord,
  code: string,
): Promise<{ ok: true; recoveryCodes: string[]; token: string | null } | { ok: false }> {
  const now = platform.clock.now();
  const secret = await pendingTotpSecret(platform, session.userId);
  const step = secret ? totpStep(secret, code, now) : null;
  if (step === null) return { ok: false };
  const codes = newRecoveryCodes();
  await inTransaction(platform.db, {}, async (tx) => {
    await tx.update(users).set({ totpEnabledAt: now, totpLastStep: step, secondFactorRequired: false }).where(eq(users.id, session.userId));
    await tx.delete(recoveryCodes).where(eq(recoveryCodes.userId, session.userId));
    await tx.insert(recoveryCodes).values(codes.map((c) => ({ userId: session.userId, codeHash: platform.keyring.lookupHash("recovery", c) })));
  });
  await auditAccount(platform, session.userId, "auth.second_factor_enabled");
  const token = session.stage === "complete" ? null : await promoteSession(platform, session, "complete");
  if (token) await auditAccount(platform, session.userId, "auth.sign_in", { secondFactor: "enrolment" });
  return { ok: true, recoveryCodes: codes, token };
}

export async function remainingRecoveryCodes(platform: Platform, userId: string): Promise<number> {
  const rows = await inTransaction(platform.db, {}, (tx) =>
    tx
      .select()
      .from(recoveryCodes)
      .where(and(eq(recoveryCodes.userId, userId), isNull(recoveryCodes.usedAt))),
  );
  return rows.length;
}

export async function signOut(platform: Platform, session: SessionRecord): Promise<void> {
  await inTransaction(platform.db, {}, (tx) => revokeSession(tx, session.id, session.userId, platform.clock.now()));
}

export async function switchTenant(platform: Platform, session: SessionRecord, tenantId: string): Promise<void> {
  await inTransaction(platform.db, {}, (tx) => tx.update(sessions).set({ workingTenantId: tenantId }).where(eq(sessions.id, session.id)));
}
