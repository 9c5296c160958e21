import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { and, eq, gt, isNull, sql } from "drizzle-orm";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import fp from "fastify-plugin";
import { mustEnrol } from "../auth/service.ts";
import { findSession, hashToken, type SessionRecord, touchSession } from "../auth/sessions.ts";
import { type Actor, type Membership, ROLES, type Role } from "../authz/policy.ts";
import { type Db, inTransaction } from "../db/client.ts";
import { apiTokens, memberships, tenants, users } from "../db/schema.ts";
import { chooseLanguage, type PublicLanguage, type Translate, translator } from "../i18n/i18n.ts";
import type { Platform } from "../platform.ts";
import { type Flash, type NavItem, renderDocument, type ViewContext, type VNode } from "../ui/html.ts";
import { AppError } from "./errors.ts";

export interface CurrentUser {
  id: string;
  email: string;
  displayName: string;
  totpEnabled: boolean;
  /** A role that needs a second factor (or an admin's reset) and none set up yet. */
  mustEnrol: boolean;
}

export interface CurrentTenant {
  id: string;
  slug: string;
  name: string;
  kind: "national" | "model" | "platform";
}

declare module "fastify" {
  interface FastifyRequest {
    lang: PublicLanguage;
    t: Translate;
    /** The session of this request, at any stage of sign-in. */
    session: SessionRecord | null;
    /** Set once sign-in is complete (or for a valid API token). */
    actor: Actor | null;
    user: CurrentUser | null;
    currentTenant: CurrentTenant | null;
    csrfToken: string;
    viaApiToken: boolean;
    flash: Flash | null;
  }
  interface FastifyReply {
    page(vnode: VNode, status?: number): FastifyReply;
    flash(flash: Flash): FastifyReply;
  }
}

export interface CookieNames {
  session: string;
  csrf: string;
  lang: string;
  flash: string;
  /** Device tokens of the addresses that signed in with this browser (`signIn`). */
  device: string;
}

export function cookieNames(secure: boolean): CookieNames {
  // __Host- cookies are bound to this exact origin, but browsers accept them only over HTTPS.
  const p = secure ? "__Host-" : "";
  return { session: `${p}komma_session`, csrf: `${p}komma_csrf`, lang: "komma_lang", flash: `${p}komma_flash`, device: `${p}komma_device` };
}

function csrfFor(secret: string, cookieValue: string): string {
  return createHmac("sha256", secret).update(`csrf:${cookieValue}`).digest("base64url");
}

/*
 * Pages are compressed, and some echo parts of their address (the language switch's way back).
 * A constant token on such a page could be guessed byte by byte from the compressed sizes
 * (BREACH), so every page carries it masked with fresh random bytes: pad ‖ (token XOR pad).
 */
function maskCsrf(token: string): string {
  const raw = Buffer.from(token, "base64url");
  const pad = randomBytes(raw.length);
  const masked = Buffer.alloc(raw.length);
  for (let i = 0; i < raw.length; i++) masked[i] = raw[i] ^ pad[i];
  return Buffer.concat([pad, masked]).toString("base64url");
}

function unmaskCsrf(sent: string): string {
  // 43 characters: an unmasked token from a page rendered before tokens were masked.
  if (sent.length === 43) return sent;
  const raw = Buffer.from(sent, "base64url");
  if (raw.length !== 64) return "";
  const token = Buffer.alloc(32);
  for (let i = 0; i < 32; i++) token[i] = raw[i] ^ raw[i + 32];
  return token.toString("base64url");
}

function safeEqual(a: string, b: string): boolean {
  const ab = Buffer.from(a);
  const bb = Buffer.from(b);
  return ab.length === bb.length && timingSafeEqual(ab, bb);
}

/** The host of an Origin header, or null when it is not a URL at all. */
function hostOf(origin: string): string | null {
  try {
    return new URL(origin).host;
  } catch {
    return null;
  }
}

/**
 * Throws `csrf_failed` unless an unsafe request may act with the cookies it carries: sent from
 * this site (fetch metadata, Origin) with the CSRF token of its cookie, in the body's `_csrf`
 * (`body`: the form's fields so far; multipart fields arrive as { value } objects) or the
 * X-CSRF-Token header. A request with an API token, and one without a session to a route that
 * takes no cookies' authority (`config: { csrf: false }`, the public intake API), need neither.
 * Checked before every unsafe handler, and while a multipart body is read before a file of it
 * is kept (the form's token comes first).
 */
export function refuseCrossSiteRequest(request: FastifyRequest, publicUrl: string, body: unknown): void {
  if (request.viaApiToken) return;
  if ((request.routeOptions.config as { csrf?: boolean }).csrf === false && !request.session) return;
  // Fetch metadata first: a browser tells us when a request comes from another site.
  const site = request.headers["sec-fetch-site"];
  if (site && site !== "same-origin" && site !== "none") throw new AppError("csrf_failed");
  const origin = request.headers.origin;
  if (origin && origin !== "null" && origin !== publicUrl && hostOf(origin) !== request.headers.host) {
    throw new AppError("csrf_failed");
  }
  const field = (body as Record<string, unknown> | undefined)?._csrf as string | { value?: unknown } | undefined;
  const fromBody = typeof field === "string" ? field : typeof field?.value === "string" ? field.value : undefined;
  const sent = fromBody ?? (request.headers["x-csrf-token"] as string | undefined);
  if (!sent || !request.csrfToken || !safeEqual(unmaskCsrf(sent), request.csrfToken)) throw new AppError("csrf_failed");
}

export type NavProvider = (request: FastifyRequest) => NavItem[];

/** Loads user, memberships and current tenant for a user id. */
export function loadActor(platform: Platform, userId: string, preferredTenantId: string | null) {
  return inTransaction(platform.db, { userId }, (tx) => loadActorIn(tx, platform, userId, preferredTenantId));
}

/** Loads the actor inside a transaction whose app.user_id is this user (for own memberships). */
async function loadActorIn(tx: Db, platform: Platform, userId: string, preferredTenantId: string | null) {
  const [user] = await tx
    .select()
    .from(users)
    .where(and(eq(users.id, userId), eq(users.status, "active")));
  if (!user) return null;
  const rows = await tx
    .select({ tenantId: memberships.tenantId, role: memberships.role, slug: tenants.slug, name: tenants.name, kind: tenants.kind })
    .from(memberships)
    .innerJoin(tenants, eq(tenants.id, memberships.tenantId))
    .where(eq(memberships.userId, userId));
  const ms: Membership[] = rows.filter((r) => (ROLES as readonly string[]).includes(r.role)).map((r) => ({ tenantId: r.tenantId, role: r.role as Role }));
  const current = rows.find((r) => r.tenantId === preferredTenantId) ?? rows.find((r) => r.kind !== "national") ?? rows[0];
  return {
    user: {
      id: user.id,
      email: user.email,
      displayName: user.displayName,
      totpEnabled: !!user.totpEnabledAt,
      mustEnrol: mustEnrol(
        user,
        ms.map((m) => m.role),
      ),
    } satisfies CurrentUser,
    actor: { userId: user.id, memberships: ms, nationalTenantId: platform.nationalTenant.id } satisfies Actor,
    tenant: current ? ({ id: current.tenantId, slug: current.slug, name: current.name, kind: current.kind } satisfies CurrentTenant) : null,
  };
}

/**
 * Per-request context: language, CSRF token, session, actor and the page renderer.
 * Unsafe methods need a valid CSRF token and a same-origin request, unless they are
 * authenticated by an API token (which a browser never sends by itself).
 */
export const requestContext = fp(
  async (app: FastifyInstance, opts: { platform: Platform; nav: NavProvider }) => {
    const { platform } = opts;
    const { config } = platform;
    const names = cookieNames(config.secureCookies);
    const timeouts = { idleMs: config.sessionIdleMs, absoluteMs: config.sessionAbsoluteMs };
    const cookieBase = { path: "/", httpOnly: true, sameSite: "lax" as const, secure: config.secureCookies };

    app.decorateRequest("lang", "de");
    app.decorateRequest("t", null as unknown as Translate);
    app.decorateRequest("session", null);
    app.decorateRequest("actor", null);
    app.decorateRequest("user", null);
    app.decorateRequest("currentTenant", null);
    app.decorateRequest("csrfToken", "");
    app.decorateRequest("viaApiToken", false);
    app.decorateRequest("flash", null);

    app.decorateReply("page", function (this: FastifyReply, vnode: VNode, status = 200) {
      // Pages are not stored anywhere unless a route said otherwise (the public emergency card).
      if (!this.hasHeader("cache-control")) this.header("cache-control", "no-store");
      return this.code(status).header("content-type", "text/html; charset=utf-8").send(renderDocument(vnode));
    });
    app.decorateReply("flash", function (this: FastifyReply, flash: Flash) {
      return this.setCookie(names.flash, Buffer.from(JSON.stringify(flash)).toString("base64url"), { ...cookieBase, signed: true, maxAge: 60 });
    });

    app.addHook("onRequest", async (request, reply) => {
      if (request.url.startsWith("/assets/") || request.url.startsWith("/static/") || request.url.startsWith("/health/") || request.url === "/favicon.ico")
        return;
      // A program calling the API asks for its language with Accept-Language; a browser's pages keep German unless chosen.
      request.lang = chooseLanguage(request.cookies[names.lang], request.url.startsWith("/api/") ? request.headers["accept-language"] : undefined);
      request.t = translator(request.lang);

      let csrfCookie = request.cookies[names.csrf];
      if (!csrfCookie || !/^[A-Za-z0-9_-]{43}$/.test(csrfCookie)) {
        // API clients send no forms: they get no CSRF cookie (a browser session using the API
        // already has one from its pages). Without a cookie no token can match.
        csrfCookie = request.url.startsWith("/api/") ? undefined : randomBytes(32).toString("base64url");
        if (csrfCookie) reply.setCookie(names.csrf, csrfCookie, cookieBase);
      }
      request.csrfToken = csrfCookie ? csrfFor(config.sessionSecret, csrfCookie) : "";

      const flashCookie = request.cookies[names.flash];
      if (flashCookie) {
        const unsigned = request.unsignCookie(flashCookie);
        if (unsigned.valid && unsigned.value) {
          try {
            request.flash = JSON.parse(Buffer.from(unsigned.value, "base64url").toString("utf8")) as Flash;
          } catch {
            request.flash = null;
          }
        }
        reply.clearCookie(names.flash, { path: "/" });
      }

      const now = platform.clock.now();
      const bearer = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? "")?.[1];
      if (bearer && request.url.startsWith("/api/")) {
        const [token] = await inTransaction(platform.db, {}, (tx) =>
          tx
            .select()
            .from(apiTokens)
            .where(and(eq(apiTokens.tokenHash, hashToken(bearer)), isNull(apiTokens.revokedAt), gt(apiTokens.expiresAt, now))),
        );
        if (!token) throw new AppError("unauthenticated", request.t("errors.apiToken.unknown"));
        // Its owner sees when a program last used it (to the day): noted at most once an hour, not on every call.
        if (!token.lastUsedAt || now.getTime() - token.lastUsedAt.getTime() > 3_600_000)
          await inTransaction(platform.db, {}, (tx) => tx.update(apiTokens).set({ lastUsedAt: now }).where(eq(apiTokens.id, token.id)));
        const loaded = await loadActor(platform, token.userId, token.scopeTenantId);
        if (!loaded) throw new AppError("unauthenticated", request.t("errors.apiToken.disabled"));
        // An account that must set up a second factor first (after a reset) acts through no token.
        if (loaded.user.mustEnrol) throw new AppError("unauthenticated", request.t("errors.apiToken.mustEnrol"));
        // A token acts only within the tenant it was made for.
        loaded.actor.memberships = loaded.actor.memberships.filter((m) => m.tenantId === token.scopeTenantId);
        request.actor = loaded.actor;
        request.user = loaded.user;
        request.currentTenant = loaded.tenant?.id === token.scopeTenantId ? loaded.tenant : null;
        request.viaApiToken = true;
        return;
      }

      // Pages where people answer anonymously (the staff survey) neither read nor touch a session:
      // no row about a person is written in the time of their answer.
      if ((request.routeOptions.config as { sessionless?: boolean } | undefined)?.sessionless) return;
      const sessionToken = request.cookies[names.session];
      if (!sessionToken) return;
      // One transaction per request: find the session, note activity, load the person.
      const found = await inTransaction(platform.db, {}, async (tx) => {
        const session = await findSession(tx, sessionToken, now, timeouts);
        if (!session) return null;
        await touchSession(tx, session, now);
        await tx.execute(sql`select set_config('app.user_id', ${session.userId}, true)`);
        return { session, loaded: await loadActorIn(tx, platform, session.userId, session.workingTenantId) };
      });
      if (!found?.loaded) {
        reply.clearCookie(names.session, { path: "/" });
        return;
      }
      const { session, loaded } = found;
      // A complete session whose person now needs a second factor can only enrol, like at sign-in.
      request.session = session.stage === "complete" && loaded.user.mustEnrol ? { ...session, stage: "enrol_second_factor" } : session;
      request.user = loaded.user;
      if (request.session.stage === "complete") {
        request.actor = loaded.actor;
        request.currentTenant = loaded.tenant;
      }
    });

    app.addHook("preHandler", async (request) => {
      const method = request.method;
      if (method === "GET" || method === "HEAD" || method === "OPTIONS") return;
      refuseCrossSiteRequest(request, config.publicUrl, request.body);
    });
  },
  { name: "komma-request-context", dependencies: ["@fastify/cookie"] },
);

/** The view context for the current request. */
export function viewContext(request: FastifyRequest, nav: NavProvider): ViewContext {
  const search = request.url.includes("?") ? request.url.slice(request.url.indexOf("?")) : "";
  const pathOnly = request.url.split("?")[0];
  return {
    t: request.t,
    lang: request.lang,
    path: pathOnly + search.replace(/([?&])lang=[^&]*/g, "$1"),
    csrfToken: request.csrfToken ? maskCsrf(request.csrfToken) : "",
    user: request.user ? { displayName: request.user.displayName } : null,
    tenant: request.currentTenant,
    nav: request.actor ? nav(request) : [],
    flash: request.flash,
    limited: !!request.session && !request.actor,
  };
}
