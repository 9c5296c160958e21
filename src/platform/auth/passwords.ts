import { hash, verify } from "@node-rs/argon2";
import { ZxcvbnFactory } from "@zxcvbn-ts/core";
import * as common from "@zxcvbn-ts/language-common";
import * as de from "@zxcvbn-ts/language-de";
import * as en from "@zxcvbn-ts/language-en";

// argon2id with the OWASP-recommended minimum (19 MiB, 2 passes).
const ARGON2 = { algorithm: 2, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export const MIN_PASSWORD_LENGTH = 10;

const zxcvbn = new ZxcvbnFactory({
  dictionary: { ...common.dictionary, ...de.dictionary, ...en.dictionary },
  graphs: common.adjacencyGraphs,
});

export function hashPassword(password: string): Promise<string> {
  return hash(password, ARGON2);
}

// A real hash to verify against when the account does not exist, so that an unknown
// address costs as much time as a known one (no enumeration by timing).
const dummyHash = hash("komma-dummy-password-for-timing", ARGON2);

export async function verifyPassword(passwordHash: string | null | undefined, password: string): Promise<boolean> {
  if (!passwordHash) {
    await verify(await dummyHash, password).catch(() => false);
    return false;
  }
  return verify(passwordHash, password).catch(() => false);
}

export type PasswordProblem = "tooShort" | "tooWeak" | "tooLong";

/** Refuses short and guessable passwords (dictionary, keyboard patterns, the person's own data). */
export function checkPasswordStrength(password: string, userInputs: string[] = []): PasswordProblem | null {
  if (password.length < MIN_PASSWORD_LENGTH) return "tooShort";
  if (password.length > 200) return "tooLong";
  const inputs = userInputs.flatMap((s) => s.toLowerCase().split(/[^a-zäöüß0-9]+/)).filter((s) => s.length > 2);
  return zxcvbn.check(password, [...inputs, "komma", "kommune"]).score >= 4 ? null : "tooWeak";
}
