import path from "node:path";
import { fileURLToPath } from "node:url";
import compress from "@fastify/compress";
import cookie from "@fastify/cookie";
import formbody from "@fastify/formbody";
import rateLimit from "@fastify/rate-limit";
import fastifyStatic from "@fastify/static";
import swagger from "@fastify/swagger";
import Fastify, { type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest, LogController } from "fastify";
import { hasZodFastifySchemaValidationErrors, jsonSchemaTransform, serializerCompiler, validatorCompiler } from "fastify-type-provider-zod";
import helmet from "helmet";
import { modules } from "./modules/index.ts";
import { appendAudit } from "./platform/audit/audit.ts";
import { registerAuthRoutes } from "./platform/auth/routes.ts";
import { registerTenantRoutes } from "./platform/auth/tenant-routes.ts";
import { NotFoundError } from "./platform/authz/policy.ts";
import { databaseLoginWarnings, withTenant } from "./platform/db/client.ts";
import { apiDocsPage } from "./platform/http/api-docs.ts";
import { clientNetwork } from "./platform/http/client-network.ts";
import { type NavProvider, requestContext, viewContext } from "./platform/http/context.ts";
import { AppError, fieldErrors, PROBLEMS, type ProblemCode, problem } from "./platform/http/errors.ts";
import { clientErrorHandler, frameworkErrors, originForm } from "./platform/http/framework-errors.ts";
import { createMetrics } from "./platform/http/metrics.ts";
import { closeQuietConnections } from "./platform/http/quiet-connections.ts";
import { sharedRateLimitStore } from "./platform/http/rate-limit-store.ts";
import { isPublicLanguage, translator } from "./platform/i18n/i18n.ts";
import { isDataException, loggableError } from "./platform/logging/loggable-error.ts";
import { registerNotificationCentre } from "./platform/notifications/routes.ts";
import type { Platform } from "./platform/platform.ts";
import { ASSET_PREFIX, assetUrl, prepareAssets } from "./platform/ui/assets.ts";
import { html, Layout, type NavItem, PageHeading } from "./platform/ui/html.ts";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

/** Paths in logs: no query strings (they may hold addresses) and no link tokens. */
export function loggablePath(url: string): string {
  return url.split("?")[0].replace(/[A-Za-z0-9_-]{24,}/g, ":token");
}

/** The only paths the OpenAPI document describes: pages, forms, assets and operator endpoints are not API. */
export const API_PREFIX = "/api/v1/";

export interface AppOptions {
  logger?: boolean;
  /** Where log lines go (default: stdout); tests read them. */
  logStream?: { write(line: string): void };
  /** Set while the process shuts down, so /health/ready turns away new traffic. */
  isShuttingDown?: () => boolean;
}

/** One log line per request, when it is answered (method, path, status, time), instead of two. */
class OneLinePerRequest extends LogController {
  override incomingRequest() {}
  override requestCompleted(error: Error | null, request: FastifyRequest, reply: FastifyReply) {
    if (error) reply.log.error({ req: request, res: reply, err: error, responseTime: reply.elapsedTime }, "request errored");
    else reply.log.info({ req: request, res: reply, responseTime: reply.elapsedTime }, "request completed");
  }
}

/** Builds the Fastify application without listening, for `serve` and for tests (`inject`). */
export async function buildApp(platform: Platform, options: AppOptions = {}): Promise<FastifyInstance> {
  const { config } = platform;
  const app = Fastify({
    logger:
      options.logger === false
        ? false
        : {
            level: config.logLevel,
            ...(options.logStream ? { stream: options.logStream } : {}),
            // Requests are logged by method, path and status only: no IP, no user agent, no query.
            serializers: {
              // The route's pattern ("/faelle/:number", "/:slug"), not the address as typed: a parameter may hold
              // whatever someone typed (an e-mail address, a name). A path no route matches is logged as that.
              req: (req: { method: string; url: string; routeOptions?: { url?: string } }) => ({
                method: req.method,
                path: req.routeOptions?.url ?? "(no route)",
              }),
              res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
              err: loggableError,
            },
          },
    logController: new OneLinePerRequest(),
    // Behind a reverse proxy, every client would share the proxy's address and with it every
    // rate limit: TRUST_PROXY names the proxies whose X-Forwarded-For is believed.
    // (Fastify also takes a number of hops, which its type declaration leaves out.)
    trustProxy: config.trustProxy as boolean | string | string[],
    bodyLimit: 1_048_576,
    // A request's body must have arrived within ten minutes (25 MB of evidence on a slow phone
    // takes a few): a connection held open with a body that never ends keeps no file past that.
    requestTimeout: 600_000,
    routerOptions: { maxParamLength: 200 },
    // What the router and Node's parser refuse before our hooks run: a problem document, not the path echoed back.
    frameworkErrors: frameworkErrors(config.publicUrl),
    clientErrorHandler,
    // A request sent in absolute form ("GET http://host/api/…", as to a proxy) is routed by its path, and everything
    // that asks whether a request is for the API (its errors, its tokens) must see the path too.
    rewriteUrl: (req) => originForm(req.url ?? "/"),
  });
  // A shutdown lets the requests in flight finish and closes every other connection at once.
  const connections = closeQuietConnections(app.server);
  app.addHook("preClose", async () => connections.close());
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  const metrics = createMetrics();

  await app.register(cookie, { secret: config.sessionSecret });
  await app.register(formbody);
  // Security headers from helmet, built once (the Fastify wrapper rebuilds them on every request).
  const securityHeaders = helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", "data:"],
        fontSrc: ["'self'"],
        connectSrc: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        baseUri: ["'none'"],
        objectSrc: ["'none'"],
        ...(config.secureCookies ? { upgradeInsecureRequests: [] } : {}),
      },
    },
    strictTransportSecurity: config.secureCookies ? { maxAge: 31_536_000, includeSubDomains: true } : false,
    referrerPolicy: { policy: "no-referrer" },
    crossOriginEmbedderPolicy: false,
  });
  app.addHook("onRequest", (request, reply, done) => securityHeaders(request.raw, reply.raw, (err?: unknown) => done(err as Error | undefined)));
  // API answers are per request and often personal (an anonymous reporter's receipt code is shown
  // exactly once): no browser, proxy or CDN may keep a copy. Set before routing so that 404s,
  // rate-limit refusals and errors carry it too.
  app.addHook("onRequest", async (request, reply) => {
    if (request.url.startsWith("/api/")) reply.header("cache-control", "no-store");
  });
  // Counted in PostgreSQL, so that a limit holds across every process behind a load balancer.
  // Counted per client: an IPv4 address, an IPv6 host's /64 (`clientNetwork`).
  await app.register(rateLimit, { global: false, store: sharedRateLimitStore(platform.counters), keyGenerator: (request) => clientNetwork(request.ip) });
  // Dynamic responses (pages, JSON) are compressed as they are sent: brotli when the browser
  // takes it, gzip otherwise; below 1 KB it costs more than it saves. Static assets arrive
  // already compressed (their content-encoding is set, so this leaves them alone), and woff2
  // or images are not compressible types.
  await app.register(compress, { global: true, encodings: ["br", "gzip"], threshold: 1024 });
  const assets = await prepareAssets();
  // Fingerprinted: a changed file gets a new name, so browsers may keep each one for a year.
  await app.register(fastifyStatic, {
    root: assets.dir,
    prefix: ASSET_PREFIX,
    preCompressed: true,
    immutable: true,
    maxAge: "365d",
    index: false,
    list: false,
  });
  // The unfingerprinted paths (KERN's files, our sources) stay for anything that still links
  // to them, with short caching because their content changes under the same name.
  await app.register(fastifyStatic, {
    root: path.join(root, "node_modules/@kern-ux/native/dist"),
    prefix: "/assets/kern/",
    decorateReply: false,
    maxAge: "1h",
  });
  await app.register(fastifyStatic, { root: path.join(root, "public"), prefix: "/assets/", decorateReply: false, maxAge: "1h" });
  // Pages name their icon; this is for clients that ask for /favicon.ico regardless.
  app.get("/favicon.ico", { schema: { hide: true } }, (_request, reply) =>
    reply.header("cache-control", "public, max-age=86400").redirect(assetUrl("favicon.svg"), 301),
  );
  await app.register(swagger, {
    openapi: {
      openapi: "3.1.0",
      info: {
        title: "KommA API",
        version: "1",
        description:
          "JSON API of KommA. Errors are RFC 9457 problem documents (application/problem+json); their messages are in German, or in English with `Accept-Language: en`. Authenticate with an API token (Authorization: Bearer …) or a browser session (then send X-CSRF-Token on unsafe methods).",
        license: { name: "EUPL-1.2", identifier: "EUPL-1.2" },
      },
      tags: modules.flatMap((m) => m.apiTags ?? []),
      components: {
        securitySchemes: {
          bearerAuth: { type: "http", scheme: "bearer", description: "API token from the account page" },
          sessionCookie: { type: "apiKey", in: "cookie", name: "komma_session" },
        },
      },
    },
    // One rule instead of `hide: true` on every page route: a route is documented if and only if
    // it is under /api/v1/, so a new page can never turn up in the API description by accident.
    transform: (route) => (route.url.startsWith(API_PREFIX) ? jsonSchemaTransform(route) : { schema: { hide: true }, url: route.url }),
  });

  const navFor: NavProvider = (request) => {
    const t = request.t;
    const items: NavItem[] = [{ href: "/start", label: t("nav.start") }];
    for (const m of modules) items.push(...(m.nav?.(request, platform) ?? []));
    const unread = request.unreadNotices;
    items.push({ href: "/konto/benachrichtigungen", label: unread > 0 ? t("nav.noticesUnread", { count: unread }) : t("nav.notices") });
    items.push({ href: "/konto", label: t("nav.account") });
    return items;
  };
  await app.register(requestContext, { platform, nav: navFor });
  registerNotificationCentre(app, platform, navFor);

  app.addHook("onResponse", async (request, reply) => {
    metrics.observe(request.method, request.routeOptions.url ?? "unmatched", reply.statusCode, reply.elapsedTime);
  });

  /** A problem's title in the language the API answers in (German unless asked otherwise; also before the request context ran). */
  function problemTitle(request: FastifyRequest, code: ProblemCode): string {
    return (request.t ?? translator("de"))(`errorPages.${code}.title`);
  }

  /** `detail`: what the refusal says in this case (translated by its route), under the general text. */
  function errorPage(request: FastifyRequest, code: ProblemCode, detail?: string) {
    // The reporting flow carries its language in every address (?sprache=): its error pages speak it too.
    const asked = (request.query as { sprache?: unknown } | undefined)?.sprache;
    if (isPublicLanguage(asked)) {
      request.lang = asked;
      request.t = translator(asked);
    }
    // Errors can happen before the request context ran (e.g. a body that does not parse).
    request.t ??= translator("de");
    request.lang ??= "de";
    const t = request.t;
    const ctx = viewContext(request, navFor);
    return html`<${Layout} ctx=${ctx} title=${t(`errorPages.${code}.title`)}>
      <${PageHeading} title=${t(`errorPages.${code}.title`)} lead=${t(`errorPages.${code}.text`)} />
      ${detail && html`<p class="kern-body" data-detail>${detail}</p>`}
      <p><a class="kern-link" href="/">${t("errorPages.home")}</a></p>
    <//>`;
  }

  /** A refusal is recorded where it was aimed (or where the actor works), so probing shows. */
  async function auditDenial(request: FastifyRequest, denial: NonNullable<NotFoundError["denial"]>) {
    const actor = request.actor;
    if (!actor) return;
    const tenantId = denial.tenantId ?? request.currentTenant?.id ?? platform.nationalTenant.id;
    try {
      await withTenant(platform.db, tenantId, (tx) =>
        appendAudit(
          tx,
          {
            tenantId,
            actorId: actor.userId,
            action: "access.denied",
            objectType: denial.policy,
            details: { action: denial.action, method: request.method, route: request.routeOptions.url ?? "unmatched" },
          },
          platform.clock.now(),
        ),
      );
    } catch (auditError) {
      request.log.error({ err: auditError }, "could not record a denial");
    }
  }

  app.setErrorHandler(async (err: FastifyError | AppError | NotFoundError, request, reply) => {
    let code: ProblemCode;
    let errors: Record<string, string> | undefined;
    let detail: string | undefined;
    if (err instanceof AppError) {
      code = err.code;
      errors = err.errors;
      detail = err.detail;
      if (err.denial) await auditDenial(request, err.denial);
      if (err.retryAfterSeconds) reply.header("retry-after", String(err.retryAfterSeconds));
    } else if (err instanceof NotFoundError) {
      code = "not_found";
      if (err.denial) await auditDenial(request, err.denial);
    } else if (hasZodFastifySchemaValidationErrors(err)) {
      // Route schemas are the same zod schemas the forms use, so their messages are i18n keys too.
      code = "validation_failed";
      const issues = err.validation.map((v) => ({ path: v.instancePath.split("/").filter(Boolean), message: v.message ?? "" }));
      errors = fieldErrors({ issues }, request.t ?? translator("de"));
    } else if (isDataException(err)) {
      // A value the database cannot take (a NUL byte, an id that is no UUID) came from the
      // request: inputs are checked before they get here, so this is the net under them.
      code = "bad_request";
      request.log.warn({ err }, "input refused by the database");
    } else {
      const status = (err as FastifyError).statusCode ?? 500;
      code =
        status === 429
          ? "rate_limited"
          : status === 413
            ? "payload_too_large"
            : status === 415
              ? "unsupported_media_type"
              : status === 404
                ? "not_found"
                : status === 405
                  ? "method_not_allowed"
                  : status >= 400 && status < 500
                    ? "bad_request"
                    : "internal";
      if (code === "internal") request.log.error({ err }, "unhandled error");
    }
    const status = PROBLEMS[code].status;
    if (request.url.startsWith("/api/")) {
      return reply
        .code(status)
        .type("application/problem+json")
        .send(problem(code, { detail, errors, instance: loggablePath(request.url), baseUrl: config.publicUrl, title: problemTitle(request, code) }));
    }
    if (code === "unauthenticated") {
      return reply.redirect(`/anmelden?weiter=${encodeURIComponent(request.url.split("#")[0])}`, 303);
    }
    return reply.page(errorPage(request, code, detail), status);
  });

  app.setNotFoundHandler((request, reply) => {
    if (request.url.startsWith("/api/")) {
      return reply
        .code(404)
        .type("application/problem+json")
        .send(problem("not_found", { instance: loggablePath(request.url), baseUrl: config.publicUrl, title: problemTitle(request, "not_found") }));
    }
    return reply.page(errorPage(request, "not_found"), 404);
  });

  app.get("/health/live", async () => ({ status: "ok" }));
  // Checked once: a login's rights do not change while the process runs.
  const loginWarnings = await databaseLoginWarnings(platform.database);
  for (const warning of loginWarnings) app.log.warn(warning);
  app.get("/health/ready", async (_request, reply) => {
    if (options.isShuttingDown?.()) return reply.code(503).send({ status: "shutting down" });
    try {
      await platform.database.rawQuery("select 1");
      return loginWarnings.length > 0 ? { status: "ok", warnings: loginWarnings } : { status: "ok" };
    } catch {
      return reply.code(503).send({ status: "database unavailable" });
    }
  });

  // Metrics are for operators only: without METRICS_TOKEN the endpoint does not exist.
  app.get("/metrics", async (request, reply) => {
    const token = config.metricsToken;
    if (!token || request.headers.authorization !== `Bearer ${token}`) throw new AppError("not_found");
    return reply.type(metrics.contentType).send(await metrics.render());
  });

  registerAuthRoutes(app, platform, navFor);
  registerTenantRoutes(app, platform, navFor);
  for (const m of modules) m.register(app, platform, navFor);

  app.get("/api/openapi.json", async () => app.swagger());
  app.get("/api/docs", async (request, reply) =>
    reply.page(apiDocsPage(viewContext(request, navFor), app.swagger() as unknown as Parameters<typeof apiDocsPage>[1])),
  );

  return app;
}
