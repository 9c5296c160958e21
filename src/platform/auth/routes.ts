import { and, count, desc, eq, gt, isNull } from "drizzle-orm";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import QRCode from "qrcode";
import { z } from "zod";
import { inTransaction } from "../db/client.ts";
import { apiTokens, tenants, users } from "../db/schema.ts";
import { clientNetwork } from "../http/client-network.ts";
import { cookieNames, type NavProvider, viewContext } from "../http/context.ts";
import { AppError, fieldErrors } from "../http/errors.ts";
import { requireActor, safeLocalPath } from "../http/guards.ts";
import { dateFormat } from "../i18n/formats.ts";
import { isUiLanguage } from "../i18n/i18n.ts";
import type { Platform } from "../platform.ts";
import { type FieldErrors, html } from "../ui/html.ts";
import { CONTROL_CHARACTERS_MESSAGE, singleLine } from "../validation.ts";
import { findUserToken, requestPasswordReset, setPasswordWithToken } from "./link-tokens.ts";
import { checkPasswordStrength } from "./passwords.ts";
import {
  auditAccount,
  beginTotpEnrolment,
  completeSecondFactor,
  confirmTotpEnrolment,
  pendingTotpSecret,
  remainingRecoveryCodes,
  signIn,
  signOut,
} from "./service.ts";
import { describeClient, hashToken, listSessions, newToken, revokeOtherSessions, revokeSession } from "./sessions.ts";
import { totpFor } from "./totp.ts";
import {
  AccountSecurityPage,
  ApiTokensPage,
  EnrolPage,
  ForgotPasswordPage,
  LinkInvalidPage,
  RecoveryCodesPage,
  SecondFactorPage,
  SessionsPage,
  SetPasswordPage,
  SignInPage,
} from "./views.ts";

const signInSchema = z.object({
  email: z.string().trim().min(1, "errors.emailRequired").max(254, "errors.emailInvalid").pipe(z.email("errors.emailInvalid")),
  password: z.string().min(1, "errors.passwordRequired").max(1000, "errors.invalid"),
  weiter: z.string().optional(),
});
const codeSchema = z.object({ code: z.string().trim().min(1, "errors.codeRequired").max(40, "errors.codeInvalid") });
const emailSchema = z.object({ email: z.string().trim().min(1, "errors.emailRequired").max(254, "errors.emailInvalid").pipe(z.email("errors.emailInvalid")) });
const setPasswordSchema = z.object({ password: z.string().max(1000, "errors.passwordTooLong"), confirm: z.string().max(1000) });
const tokenNameSchema = z.object({
  name: z.string().trim().min(1, "errors.required").max(80, "errors.tooLong").refine(singleLine, CONTROL_CHARACTERS_MESSAGE),
});

const RATE = { max: 10, timeWindow: "1 minute" };
/**
 * Sign-in per address: a town hall's staff sign in from one address in the morning, and wrong
 * passwords are limited per person by the lock (`signIn`). The second factor counts per session
 * (each person's own, half signed in), not per address.
 */
const SIGN_IN_RATE = { max: 60, timeWindow: "1 minute" };

/** How long a browser that signed in is known as one of the person's own (see `signIn`). */
const DEVICE_COOKIE_DAYS = 180;

/** A time of day in Berlin, as the sign-in lock names its end ("16:05"). */
function clockTime(request: FastifyRequest, at: Date): string {
  return dateFormat(request.lang, { hour: "2-digit", minute: "2-digit", timeZone: "Europe/Berlin" }).format(at);
}

/** How many valid API tokens an account may hold at once. */
export const MAX_API_TOKENS = 20;

export function registerAuthRoutes(app: FastifyInstance, platform: Platform, nav: NavProvider) {
  const names = cookieNames(platform.config.secureCookies);
  const timeouts = { idleMs: platform.config.sessionIdleMs, absoluteMs: platform.config.sessionAbsoluteMs };
  const ctx = (request: FastifyRequest) => viewContext(request, nav);
  const setSessionCookie = (reply: FastifyReply, token: string) =>
    reply.setCookie(names.session, token, { path: "/", httpOnly: true, sameSite: "lax", secure: platform.config.secureCookies });

  function afterSignIn(reply: FastifyReply, stage: string, next: string) {
    // Where the sign-in was headed goes along through the second factor (a mail's link opens after it).
    if (stage === "second_factor") return reply.redirect(`/anmelden/zweiter-faktor${next === "/start" ? "" : `?weiter=${encodeURIComponent(next)}`}`, 303);
    if (stage === "enrol_second_factor") return reply.redirect("/konto/zwei-faktor", 303);
    return reply.redirect(next, 303);
  }

  app.get("/anmelden", async (request, reply) => {
    if (request.actor) return reply.redirect("/start", 303);
    // Half signed in: on to the step that is missing, not back to the password.
    if (request.session?.stage === "second_factor") return reply.redirect("/anmelden/zweiter-faktor", 303);
    if (request.session?.stage === "enrol_second_factor") return reply.redirect("/konto/zwei-faktor", 303);
    const next = safeLocalPath((request.query as Record<string, unknown>).weiter, "");
    return reply.page(html`<${SignInPage} ctx=${ctx(request)} values=${{}} errors=${{}} next=${next} />`);
  });

  app.post("/anmelden", { config: { rateLimit: SIGN_IN_RATE } }, async (request, reply) => {
    const body = (request.body ?? {}) as Record<string, unknown>;
    const parsed = signInSchema.safeParse(body);
    const next = safeLocalPath(body.weiter, "/start");
    const t = request.t;
    if (!parsed.success) {
      return reply.page(
        html`<${SignInPage} ctx=${ctx(request)} values=${{ email: String(body.email ?? "") }} errors=${fieldErrors(parsed.error, t)} next=${next} />`,
        400,
      );
    }
    // Sign-in always starts a new session: an old cookie never survives it (no fixation).
    if (request.session) await signOut(platform, request.session);
    const result = await signIn(platform, {
      ...parsed.data,
      label: describeClient(request.headers["user-agent"]),
      client: clientNetwork(request.ip),
      devices: request.cookies[names.device],
    });
    if (!result.ok) {
      const problem = result.reason === "locked" ? t("auth.signIn.locked", { time: clockTime(request, result.until) }) : t("auth.signIn.invalid");
      return reply.page(
        html`<${SignInPage} ctx=${ctx(request)} values=${{ email: parsed.data.email }} errors=${{}} problem=${problem} next=${next} />`,
        result.reason === "locked" ? 429 : 401,
      );
    }
    setSessionCookie(reply, result.token);
    // This browser signed in to the address: wrong passwords from elsewhere do not lock it out.
    reply.setCookie(names.device, result.devices, {
      path: "/",
      httpOnly: true,
      sameSite: "lax",
      secure: platform.config.secureCookies,
      maxAge: DEVICE_COOKIE_DAYS * 24 * 3600,
    });
    return afterSignIn(reply, result.stage, next);
  });

  app.get("/anmelden/zweiter-faktor", async (request, reply) => {
    if (request.session?.stage !== "second_factor") return reply.redirect("/anmelden", 303);
    const next = safeLocalPath((request.query as Record<string, unknown>).weiter, "");
    return reply.page(html`<${SecondFactorPage} ctx=${ctx(request)} errors=${{}} next=${next} />`);
  });

  const perSession = (request: FastifyRequest) => request.session?.id ?? clientNetwork(request.ip);
  app.post(
    "/anmelden/zweiter-faktor",
    { config: { rateLimit: { ...RATE, hook: "preHandler" as const, keyGenerator: perSession } } },
    async (request, reply) => {
      const session = request.session;
      if (session?.stage !== "second_factor") return reply.redirect("/anmelden", 303);
      const parsed = codeSchema.safeParse(request.body ?? {});
      const next = safeLocalPath((request.body as Record<string, unknown> | undefined)?.weiter, "");
      if (!parsed.success)
        return reply.page(html`<${SecondFactorPage} ctx=${ctx(request)} errors=${fieldErrors(parsed.error, request.t)} next=${next} />`, 400);
      const result = await completeSecondFactor(platform, session, parsed.data.code);
      if (!result.ok) {
        const problem =
          result.reason === "locked" ? request.t("auth.signIn.locked", { time: clockTime(request, result.until) }) : request.t("auth.secondFactor.invalid");
        return reply.page(
          html`<${SecondFactorPage} ctx=${ctx(request)} errors=${{}} problem=${problem} next=${next} />`,
          result.reason === "locked" ? 429 : 401,
        );
      }
      setSessionCookie(reply, result.token);
      return reply.redirect(next || "/start", 303);
    },
  );

  async function enrolPage(request: FastifyRequest, reply: FastifyReply, errors: FieldErrors, status = 200) {
    const session = request.session;
    const user = request.user;
    if (!session || !user || session.stage === "second_factor") return reply.redirect("/anmelden", 303);
    if (user.totpEnabled) return reply.redirect("/konto", 303);
    let secret = await pendingTotpSecret(platform, user.id);
    let uri: string;
    if (!secret || status === 200) {
      const begun = await beginTotpEnrolment(platform, user.id, user.email);
      secret = begun.secret;
      uri = begun.uri;
    } else {
      uri = totpFor(secret, user.email).toString();
    }
    const qr = await QRCode.toString(uri, { type: "svg", margin: 1 });
    const qrDataUri = `data:image/svg+xml;base64,${Buffer.from(qr).toString("base64")}`;
    return reply.page(
      html`<${EnrolPage} ctx=${ctx(request)} secret=${secret} qrDataUri=${qrDataUri} errors=${errors} required=${session.stage === "enrol_second_factor"} />`,
      status,
    );
  }

  app.get("/konto/zwei-faktor", (request, reply) => enrolPage(request, reply, {}));

  app.post("/konto/zwei-faktor", { config: { rateLimit: RATE } }, async (request, reply) => {
    const session = request.session;
    if (!session || session.stage === "second_factor") return reply.redirect("/anmelden", 303);
    const parsed = codeSchema.safeParse(request.body ?? {});
    if (!parsed.success) return enrolPage(request, reply, fieldErrors(parsed.error, request.t), 400);
    const result = await confirmTotpEnrolment(platform, session, parsed.data.code);
    if (!result.ok) return enrolPage(request, reply, { code: request.t("auth.enrol.invalid") }, 400);
    if (result.token) setSessionCookie(reply, result.token);
    const view = { ...ctx(request), user: { displayName: request.user?.displayName ?? "" } };
    return reply.page(html`<${RecoveryCodesPage} ctx=${view} codes=${result.recoveryCodes} />`);
  });

  app.post("/abmelden", async (request, reply) => {
    if (request.session) await signOut(platform, request.session);
    reply.clearCookie(names.session, { path: "/" });
    return reply.flash({ kind: "success", message: request.t("auth.signedOut") }).redirect("/anmelden", 303);
  });

  app.get("/konto", async (request, reply) => {
    const { user } = requireActor(request);
    const remaining = await remainingRecoveryCodes(platform, user.id);
    return reply.page(html`<${AccountSecurityPage} ctx=${ctx(request)} totpEnabled=${user.totpEnabled} remaining=${remaining} />`);
  });

  app.get("/konto/sitzungen", async (request, reply) => {
    const { user } = requireActor(request);
    const list = await inTransaction(platform.db, {}, (tx) => listSessions(tx, user.id, platform.clock.now(), timeouts));
    return reply.page(html`<${SessionsPage} ctx=${ctx(request)} sessions=${list} currentId=${request.session?.id ?? ""} />`);
  });

  app.post("/konto/sitzungen/:id/beenden", async (request, reply) => {
    const { user } = requireActor(request);
    const { id } = request.params as { id: string };
    const done = await inTransaction(platform.db, {}, (tx) => revokeSession(tx, id, user.id, platform.clock.now()));
    if (!done) throw new AppError("not_found");
    if (id === request.session?.id) {
      reply.clearCookie(names.session, { path: "/" });
      return reply.redirect("/anmelden", 303);
    }
    return reply.flash({ kind: "success", message: request.t("account.sessions.revoked") }).redirect("/konto/sitzungen", 303);
  });

  app.post("/konto/sitzungen/andere-beenden", async (request, reply) => {
    const { user } = requireActor(request);
    await inTransaction(platform.db, {}, (tx) => revokeOtherSessions(tx, user.id, request.session?.id ?? null, platform.clock.now()));
    return reply.flash({ kind: "success", message: request.t("account.sessions.othersRevoked") }).redirect("/konto/sitzungen", 303);
  });

  /* API tokens: for scripts and embedding, bound to one tenant, shown once. */
  async function tokensPage(request: FastifyRequest, reply: FastifyReply, extra: { created?: string; errors?: FieldErrors; name?: string }, status = 200) {
    const { user } = requireActor(request);
    const tenant = request.currentTenant;
    const list = await inTransaction(platform.db, {}, (tx) =>
      tx
        .select({
          id: apiTokens.id,
          name: apiTokens.name,
          tenantName: tenants.name,
          createdAt: apiTokens.createdAt,
          expiresAt: apiTokens.expiresAt,
          lastUsedAt: apiTokens.lastUsedAt,
        })
        .from(apiTokens)
        .innerJoin(tenants, eq(tenants.id, apiTokens.scopeTenantId))
        .where(and(eq(apiTokens.userId, user.id), isNull(apiTokens.revokedAt)))
        .orderBy(desc(apiTokens.createdAt)),
    );
    return reply.page(html`<${ApiTokensPage} ctx=${ctx(request)} tokens=${list} now=${platform.clock.now()} tenantName=${tenant?.name} ...${extra} />`, status);
  }

  app.get("/konto/api-tokens", (request, reply) => tokensPage(request, reply, {}));

  app.post("/konto/api-tokens", { config: { rateLimit: RATE } }, async (request, reply) => {
    const { user } = requireActor(request);
    const tenant = request.currentTenant;
    if (!tenant) throw new AppError("not_found");
    const body = (request.body ?? {}) as Record<string, unknown>;
    const parsed = tokenNameSchema.safeParse(body);
    if (!parsed.success) return tokensPage(request, reply, { errors: fieldErrors(parsed.error, request.t), name: String(body.name ?? "") }, 400);
    const token = `komma_${newToken()}`;
    const now = platform.clock.now();
    const made = await inTransaction(platform.db, {}, async (tx) => {
      // One account's valid tokens are few: each is a credential for a year. Counted under the account's row lock.
      await tx.select({ id: users.id }).from(users).where(eq(users.id, user.id)).for("update");
      const [{ n }] = await tx
        .select({ n: count() })
        .from(apiTokens)
        .where(and(eq(apiTokens.userId, user.id), isNull(apiTokens.revokedAt), gt(apiTokens.expiresAt, now)));
      if (n >= MAX_API_TOKENS) return false;
      await tx.insert(apiTokens).values({
        tokenHash: hashToken(token),
        userId: user.id,
        scopeTenantId: tenant.id,
        name: parsed.data.name,
        createdAt: now,
        expiresAt: new Date(now.getTime() + 365 * 24 * 3_600_000),
      });
      return true;
    });
    if (!made)
      return tokensPage(request, reply, { errors: { name: request.t("account.tokens.tooMany", { count: MAX_API_TOKENS }) }, name: parsed.data.name }, 400);
    // A credential for a year: the municipality's log shows who made one (never the token).
    await auditAccount(platform, user.id, "auth.api_token_created", { name: parsed.data.name });
    return tokensPage(request, reply, { created: token });
  });

  app.post("/konto/api-tokens/:id/widerrufen", async (request, reply) => {
    const { user } = requireActor(request);
    const { id } = request.params as { id: string };
    if (!z.uuid().safeParse(id).success) throw new AppError("not_found");
    const done = await inTransaction(platform.db, {}, (tx) =>
      tx
        .update(apiTokens)
        .set({ revokedAt: platform.clock.now() })
        .where(and(eq(apiTokens.id, id), eq(apiTokens.userId, user.id)))
        .returning(),
    );
    if (done.length === 0) throw new AppError("not_found");
    await auditAccount(platform, user.id, "auth.api_token_revoked", { name: done[0].name });
    return reply.flash({ kind: "success", message: request.t("account.tokens.revoked") }).redirect("/konto/api-tokens", 303);
  });

  /* Password reset and invitations. */
  app.get("/passwort-vergessen", async (request, reply) =>
    reply.page(html`<${ForgotPasswordPage} ctx=${ctx(request)} values=${{}} errors=${{}} sent=${false} />`),
  );

  app.post("/passwort-vergessen", { config: { rateLimit: { max: 5, timeWindow: "1 minute" } } }, async (request, reply) => {
    const body = (request.body ?? {}) as Record<string, unknown>;
    const parsed = emailSchema.safeParse(body);
    if (!parsed.success) {
      return reply.page(
        html`<${ForgotPasswordPage} ctx=${ctx(request)} values=${{ email: String(body.email ?? "") }} errors=${fieldErrors(parsed.error, request.t)} sent=${false} />`,
        400,
      );
    }
    await requestPasswordReset(platform, parsed.data.email, isUiLanguage(request.lang) ? request.lang : "de");
    return reply.page(html`<${ForgotPasswordPage} ctx=${ctx(request)} values=${{}} errors=${{}} sent=${true} />`);
  });

  app.get("/passwort-setzen/:token", async (request, reply) => {
    const { token } = request.params as { token: string };
    const found = await findUserToken(platform, token);
    if (!found) return reply.page(html`<${LinkInvalidPage} ctx=${ctx(request)} />`, 410);
    return reply.page(html`<${SetPasswordPage} ctx=${ctx(request)} token=${token} email=${found.email} errors=${{}} purpose=${found.purpose} />`);
  });

  app.post("/passwort-setzen/:token", { config: { rateLimit: RATE } }, async (request, reply) => {
    const { token } = request.params as { token: string };
    const found = await findUserToken(platform, token);
    if (!found) return reply.page(html`<${LinkInvalidPage} ctx=${ctx(request)} />`, 410);
    const t = request.t;
    const parsed = setPasswordSchema.safeParse(request.body ?? {});
    const errors: FieldErrors = parsed.success ? {} : fieldErrors(parsed.error, t);
    if (parsed.success) {
      const problem = await checkPasswordStrength(parsed.data.password, [found.email, found.displayName]);
      if (problem) errors.password = t(`errors.password.${problem}`);
      else if (parsed.data.password !== parsed.data.confirm) errors.confirm = t("errors.passwordMismatch");
    }
    if (Object.keys(errors).length > 0) {
      return reply.page(html`<${SetPasswordPage} ctx=${ctx(request)} token=${token} email=${found.email} errors=${errors} purpose=${found.purpose} />`, 400);
    }
    const done = await setPasswordWithToken(platform, token, (parsed as { data: { password: string } }).data.password);
    if (!done.ok) return reply.page(html`<${LinkInvalidPage} ctx=${ctx(request)} />`, 410);
    return reply.flash({ kind: "success", message: t("auth.setPassword.done") }).redirect("/anmelden", 303);
  });

  /* Language: a plain link, so it works without JavaScript; the choice is kept in a cookie. */
  app.get("/sprache/:lang", async (request, reply) => {
    const { lang } = request.params as { lang: string };
    if (!isUiLanguage(lang)) throw new AppError("not_found");
    reply.setCookie(names.lang, lang, { path: "/", httpOnly: true, sameSite: "lax", secure: platform.config.secureCookies, maxAge: 365 * 24 * 3600 });
    return reply.redirect(safeLocalPath((request.query as Record<string, unknown>).zurueck, "/"), 303);
  });
}
