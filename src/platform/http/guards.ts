import type { FastifyRequest } from "fastify";
import type { Actor } from "../authz/policy.ts";
import type { CurrentTenant, CurrentUser } from "./context.ts";
import { AppError } from "./errors.ts";

/** The signed-in actor, or a 401 (pages turn it into a redirect to the sign-in page). */
export function requireActor(request: FastifyRequest): { actor: Actor; user: CurrentUser } {
  if (!request.actor || !request.user) throw new AppError("unauthenticated");
  return { actor: request.actor, user: request.user };
}

export function requireTenant(request: FastifyRequest): CurrentTenant {
  if (!request.currentTenant) throw new AppError("not_found");
  return request.currentTenant;
}

/** Only paths on this site: no scheme, no host, no protocol-relative or backslash tricks. */
export function safeLocalPath(value: unknown, fallback = "/"): string {
  if (typeof value !== "string") return fallback;
  if (!value.startsWith("/") || value.startsWith("//") || value.includes("\\") || /[\r\n]/.test(value)) return fallback;
  return value;
}
