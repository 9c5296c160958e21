import { hash, verify } from "@node-rs/argon2";
import type { ZxcvbnFactory } from "@zxcvbn-ts/core";

// argon2id with the OWASP-recommended minimum (19 MiB, 2 passes).
const ARGON2 = { algorithm: 2, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export const MIN_PASSWORD_LENGTH = 10;

// Loaded and built at the first password check, not at start-up: the dictionaries are a
// megabyte of code and take about a second to unpack, which every process would pay whether or
// not anyone sets a password in it.
let zxcvbn: Promise<ZxcvbnFactory> | undefined;
function estimator(): Promise<ZxcvbnFactory> {
  zxcvbn ??= Promise.all([
    import("@zxcvbn-ts/core"),
    import("@zxcvbn-ts/language-common"),
    import("@zxcvbn-ts/language-de"),
    import("@zxcvbn-ts/language-en"),
  ]).then(
    ([core, common, de, en]) =>
      new core.ZxcvbnFactory({
        dictionary: { ...common.dictionary, ...de.dictionary, ...en.dictionary },
        graphs: common.adjacencyGraphs,
      }),
  );
  return zxcvbn;
}

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
export async function checkPasswordStrength(password: string, userInputs: string[] = []): Promise<PasswordProblem | null> {
  if (password.length < MIN_PASSWORD_LENGTH) return "tooShort";
  if (password.length > 200) return "tooLong";
  const inputs = userInputs.flatMap((s) => s.toLowerCase().split(/[^a-zäöüß0-9]+/)).filter((s) => s.length > 2);
  return (await estimator()).check(password, [...inputs, "komma", "kommune"]).score >= 4 ? null : "tooWeak";
}
