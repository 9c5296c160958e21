import type { FastifyRequest } from "fastify";
import type { Actor } from "../authz/policy.ts";
import type { CurrentTenant, CurrentUser } from "./context.ts";
import { AppError } from "./errors.ts";

/** The signed-in actor, or a 401 (pages turn it into a redirect to the sign-in page). */
export function requireActor(request: FastifyRequest): { actor: Actor; user: CurrentUser } {
  if (!request.actor || !request.user) throw new AppError("unauthenticated");
  return { actor: request.actor, user: request.user };
}

/** The ways an /api/v1 operation accepts a caller, as the OpenAPI document names them. */
export const API_SECURITY: Record<string, string[]>[] = [{ bearerAuth: [] }, { sessionCookie: [] }];

/** preValidation of API operations for signed-in callers: sign-in is checked before the input, so an anonymous caller learns nothing from field errors. */
export async function authenticated(request: FastifyRequest): Promise<void> {
  requireActor(request);
}

export function requireTenant(request: FastifyRequest): CurrentTenant {
  if (!request.currentTenant) throw new AppError("not_found");
  return request.currentTenant;
}

const OWN_ORIGIN = "http://komma.invalid";
/** Control and format characters (bidi overrides, zero-width), separators and backslashes. */
const UNSAFE_IN_PATH = /[\p{Cc}\p{Cf}\p{Z}\\]/u;

/**
 * A return address that stays on this site, or `fallback`. Browsers strip tabs and newlines
 * from URLs and treat backslashes as slashes, so "/\t/evil.example" would leave the site:
 * such characters are refused outright, and what remains must resolve against our own
 * origin to a path on it. The result is the normalised, percent-encoded path (safe in a
 * Location header).
 */
export function safeLocalPath(value: unknown, fallback = "/"): string {
  if (typeof value !== "string" || value.length > 2000) return fallback;
  if (!value.startsWith("/") || value.startsWith("//") || UNSAFE_IN_PATH.test(value)) return fallback;
  let url: URL;
  try {
    url = new URL(value, OWN_ORIGIN);
  } catch {
    return fallback;
  }
  // Dot segments resolve ("/.//evil.example" becomes "//evil.example"): check what comes out too.
  if (url.origin !== OWN_ORIGIN || url.pathname.startsWith("//")) return fallback;
  return `${url.pathname}${url.search}${url.hash}`;
}
