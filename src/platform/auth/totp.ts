import { randomBytes } from "node:crypto";
import { Secret, TOTP } from "otpauth";

export function newTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

export function totpFor(secret: string, label: string): TOTP {
  return new TOTP({ issuer: "KommA", label, algorithm: "SHA1", digits: 6, period: 30, secret: Secret.fromBase32(secret) });
}

const PERIOD_MS = 30_000;

/**
 * The time step a code belongs to, or null. Accepts the current step and one either side, for
 * clocks that drift a little; callers refuse a step at or before the last one accepted, so
 * that no code works twice.
 */
export function totpStep(secret: string, code: string, now: Date): number | null {
  const clean = code.replace(/\s+/g, "");
  if (!/^\d{6}$/.test(clean)) return null;
  const delta = totpFor(secret, "x").validate({ token: clean, timestamp: now.getTime(), window: 1 });
  return delta === null ? null : Math.floor(now.getTime() / PERIOD_MS) + delta;
}

/** Ten recovery codes like "k7q2-9xmd-4pfa", each about 60 bits. */
export function newRecoveryCodes(): string[] {
  const alphabet = "0123456789abcdefghjkmnpqrstvwxyz"; // 32 symbols: no modulo bias
  return Array.from({ length: 10 }, () => {
    const bytes = randomBytes(12);
    const chars = Array.from(bytes, (b) => alphabet[b & 31]).join("");
    return `${chars.slice(0, 4)}-${chars.slice(4, 8)}-${chars.slice(8, 12)}`;
  });
}

export function normaliseRecoveryCode(code: string): string {
  return code
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9]/g, "")
    .replace(/(.{4})(.{4})(.{4})/, "$1-$2-$3");
}
