import { randomBytes } from "node:crypto";
import type { IncomingMessage } from "node:http";
import type { FastifyInstance, LightMyRequestResponse } from "fastify";
import { buildApp } from "../../src/app.ts";
import { loadConfig } from "../../src/config.ts";
import { modules } from "../../src/modules/index.ts";
import { hashPassword } from "../../src/platform/auth/passwords.ts";
import { totpFor } from "../../src/platform/auth/totp.ts";
import type { Role } from "../../src/platform/authz/policy.ts";
import { bootPlatform, startBackgroundWork, stopBackgroundWork } from "../../src/platform/boot.ts";
import { inTransaction, withTenant } from "../../src/platform/db/client.ts";
import { memberships, tenants, users } from "../../src/platform/db/schema.ts";
import { MAIL_RECIPIENT_CONTEXT } from "../../src/platform/mail/mailer.ts";
import type { Clock, Platform } from "../../src/platform/platform.ts";
import { type DbKind, freshDatabase, type TestDatabase } from "./db.ts";
import { watched } from "./wait.ts";

/** A clock tests can move forward. */
export class TestClock implements Clock {
  current: Date;
  constructor(start = new Date("2026-11-24T09:00:00Z")) {
    this.current = new Date(start);
  }
  now(): Date {
    return new Date(this.current);
  }
  advance(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
  }
}

export const TEST_PASSWORD = "Leise-Wolken-ziehen-über-das-Rathaus";

export interface TestEnv {
  kind: DbKind;
  platform: Platform;
  app: FastifyInstance;
  clock: TestClock;
  db: TestDatabase;
  masterKey: string;
  close(): Promise<void>;
}

/** The platform behind each test app, so that an Agent can let background work finish between clicks. */
const platforms = new WeakMap<FastifyInstance, Platform>();

export async function createTestEnv(kind: DbKind, opts: { env?: Record<string, string>; startJobs?: boolean } = {}): Promise<TestEnv> {
  const db = await freshDatabase(kind);
  const masterKey = randomBytes(32).toString("base64");
  const config = loadConfig({
    NODE_ENV: "test",
    KOMMA_MASTER_KEY: masterKey,
    KOMMA_SESSION_SECRET: randomBytes(32).toString("base64url"),
    PUBLIC_URL: "http://localhost:3000",
    LOG_LEVEL: "silent",
    ...opts.env,
  });
  const clock = new TestClock();
  const platform = await bootPlatform(config, { modules, database: db.database, clock, jobPollingSeconds: 0.5 });
  if (opts.startJobs) await startBackgroundWork(platform);
  const app = await buildApp(platform, { logger: false });
  await app.ready();
  platforms.set(app, platform);
  // What a browser asked that has not been answered yet, for a tear-down that waits on it.
  const unanswered = new Set<IncomingMessage>();
  app.server.on("request", (req, res) => {
    unanswered.add(req);
    res.once("close", () => unanswered.delete(req));
  });
  return {
    kind,
    platform,
    app,
    clock,
    db,
    masterKey,
    async close() {
      await watched("closing the app", app.close(), async () => {
        const open = await new Promise<number>((resolve) => app.server.getConnections((_err, n) => resolve(n)));
        return `${open} connections open; requests unanswered: ${[...unanswered].map((r) => `${r.method} ${r.url?.split("?")[0]}`).join(", ") || "none"}`;
      });
      if (opts.startJobs) await watched("stopping the background work", stopBackgroundWork(platform));
      else await watched("delivering the domain events", platform.domainEvents.stop());
      await watched(`closing the ${kind} database`, db.drop());
    },
  };
}

let counter = 0;
function unique(): string {
  counter += 1;
  return `${process.pid}-${counter}-${randomBytes(3).toString("hex")}`;
}

export interface TenantFixture {
  id: string;
  slug: string;
  name: string;
  kind: "model" | "platform";
}

/** A municipality with its data key, as the admin module would create it. */
export async function createTenantFixture(env: TestEnv, overrides: Partial<TenantFixture> = {}): Promise<TenantFixture> {
  const n = Math.floor(Math.random() * 900_000) + 100_000;
  const slug = overrides.slug ?? `testkommune-${unique()}`;
  const [row] = await env.platform.db
    .insert(tenants)
    .values({ slug, name: overrides.name ?? `Testkommune ${slug}`, kind: overrides.kind ?? "platform", ags: `06${String(n).padStart(6, "0")}`, land: "06" })
    .returning();
  await withTenant(env.platform.db, row.id, (tx) => env.platform.keyring.createTenantKey(tx, row.id));
  return { id: row.id, slug: row.slug, name: row.name, kind: row.kind as "model" | "platform" };
}

export interface UserFixture {
  id: string;
  email: string;
  password: string;
  totpSecret?: string;
}

/** The test password's argon2 hash, made once per process: every fixture shares the password. */
let passwordHashOnce: Promise<string> | undefined;
function testPasswordHash(): Promise<string> {
  passwordHashOnce ??= hashPassword(TEST_PASSWORD);
  return passwordHashOnce;
}

/** A person with roles in tenants; with `totp: true` the second factor is set up. */
export async function createUserFixture(
  env: TestEnv,
  roles: { tenantId: string; role: Role }[],
  opts: { totp?: boolean; email?: string; displayName?: string } = {},
): Promise<UserFixture> {
  const email = opts.email ?? `person-${unique()}@test.example`;
  const national = env.platform.nationalTenant.id;
  const totpSecret = opts.totp ? "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP" : undefined;
  const sealed = totpSecret
    ? await withTenant(env.platform.db, national, (tx) => env.platform.keyring.seal(tx, national, totpSecret, "users.totp_secret"))
    : null;
  const [user] = await inTransaction(env.platform.db, {}, async (tx) =>
    tx
      .insert(users)
      .values({
        email,
        displayName: opts.displayName ?? `Testperson ${email.split("@")[0]}`,
        passwordHash: await testPasswordHash(),
        status: "active",
        totpSecret: sealed,
        totpEnabledAt: sealed ? env.clock.now() : null,
      })
      .returning(),
  );
  for (const r of roles) {
    await withTenant(env.platform.db, r.tenantId, (tx) => tx.insert(memberships).values({ tenantId: r.tenantId, userId: user.id, role: r.role }));
  }
  return { id: user.id, email, password: TEST_PASSWORD, totpSecret };
}

/** The code of the next time step, as a person would wait for a fresh one: each code counts once. */
export function freshTotpCode(secret: string, clock: TestClock): string {
  clock.advance(30_000);
  return totpCode(secret, clock.now());
}

export function totpCode(secret: string, at: Date): string {
  return totpFor(secret, "test").generate({ timestamp: at.getTime() });
}

/**
 * A browser stand-in over app.inject(): keeps cookies, follows nothing by itself, and
 * fills in the CSRF token from the last page it saw, as a form post from that page would.
 */
let agentCount = 0;

export class Agent {
  readonly cookies = new Map<string, string>();
  lastHtml = "";
  readonly app: FastifyInstance;
  /** Each agent is a client of its own (for per-client rate limits); loopback addresses only. */
  readonly remoteAddress: string;
  constructor(app: FastifyInstance) {
    this.app = app;
    agentCount += 1;
    this.remoteAddress = `127.0.${Math.floor(agentCount / 250) % 250}.${(agentCount % 250) + 1}`;
  }

  /**
   * A person's next click comes after the events of the last one were handled in the background
   * (a case opened, the office notified): wait for that, as the time between clicks would.
   */
  private async settle(): Promise<void> {
    await platforms.get(this.app)?.domainEvents.idle();
  }

  /** The agent's cookies as a Cookie header, for a request the helpers do not make. */
  cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  }

  private remember(res: LightMyRequestResponse): void {
    for (const c of res.cookies as { name: string; value: string; maxAge?: number; expires?: Date }[]) {
      const expired = c.maxAge === 0 || (c.expires && c.expires.getTime() <= Date.now()) || c.value === "";
      if (expired) this.cookies.delete(c.name);
      else this.cookies.set(c.name, c.value);
    }
  }

  async get(url: string, headers: Record<string, string> = {}): Promise<LightMyRequestResponse> {
    await this.settle();
    const res = await this.app.inject({ method: "GET", url, remoteAddress: this.remoteAddress, headers: { cookie: this.cookieHeader(), ...headers } });
    this.remember(res);
    if ((res.headers["content-type"] ?? "").toString().startsWith("text/html")) this.lastHtml = res.body;
    return res;
  }

  csrfToken(): string {
    const m = /name="_csrf" value="([^"]+)"/.exec(this.lastHtml);
    if (!m) throw new Error("no CSRF token on the last page");
    return m[1];
  }

  /** Posts a form as a browser on this site would (same-origin fetch metadata, CSRF token). */
  async post(
    url: string,
    form: Record<string, string | string[]>,
    opts: { csrf?: string | null; headers?: Record<string, string> } = {},
  ): Promise<LightMyRequestResponse> {
    await this.settle();
    const body = new URLSearchParams();
    const csrf = opts.csrf === undefined ? this.csrfToken() : opts.csrf;
    if (csrf !== null) body.append("_csrf", csrf);
    for (const [k, v] of Object.entries(form)) for (const item of Array.isArray(v) ? v : [v]) body.append(k, item);
    const res = await this.app.inject({
      method: "POST",
      url,
      remoteAddress: this.remoteAddress,
      payload: body.toString(),
      headers: { "content-type": "application/x-www-form-urlencoded", "sec-fetch-site": "same-origin", cookie: this.cookieHeader(), ...opts.headers },
    });
    this.remember(res);
    if ((res.headers["content-type"] ?? "").toString().startsWith("text/html")) this.lastHtml = res.body;
    return res;
  }

  /** Posts a multipart form with files, as a browser's file upload would. */
  async postMultipart(
    url: string,
    form: Record<string, string | string[]>,
    files: { field: string; name: string; data: Buffer; type?: string }[],
  ): Promise<LightMyRequestResponse> {
    await this.settle();
    const fd = new FormData();
    fd.append("_csrf", this.csrfToken());
    for (const [k, v] of Object.entries(form)) for (const item of Array.isArray(v) ? v : [v]) fd.append(k, item);
    for (const f of files) fd.append(f.field, new Blob([new Uint8Array(f.data)], { type: f.type ?? "application/octet-stream" }), f.name);
    const encoded = new Response(fd);
    const payload = Buffer.from(await encoded.arrayBuffer());
    const res = await this.app.inject({
      method: "POST",
      url,
      remoteAddress: this.remoteAddress,
      payload,
      headers: { "content-type": encoded.headers.get("content-type") as string, "sec-fetch-site": "same-origin", cookie: this.cookieHeader() },
    });
    this.remember(res);
    if ((res.headers["content-type"] ?? "").toString().startsWith("text/html")) this.lastHtml = res.body;
    return res;
  }

  /** Signs in through the form (and the second factor, when the account has one). */
  async signIn(user: UserFixture, clock: TestClock): Promise<LightMyRequestResponse> {
    await this.get("/anmelden");
    let res = await this.post("/anmelden", { email: user.email, password: user.password });
    if (res.headers.location === "/anmelden/zweiter-faktor" && user.totpSecret) {
      await this.get("/anmelden/zweiter-faktor");
      res = await this.post("/anmelden/zweiter-faktor", { code: totpCode(user.totpSecret, clock.now()) });
    }
    return res;
  }
}

/** Every mail in the outbox, its sealed parts opened, newest first. */
export async function outboxMails(env: TestEnv): Promise<{ to: string; subject: string; body: string; sentAt: Date | null }[]> {
  const { rows } = await env.platform.database.rawQuery("select recipient, subject, body, sent_at from mail_outbox order by created_at desc");
  return Promise.all(
    rows.map(async (r) => ({
      to: await env.platform.mailer.readSealed(String(r.recipient), MAIL_RECIPIENT_CONTEXT),
      subject: String(r.subject),
      body: await env.platform.mailer.readBody(String(r.body)),
      sentAt: (r.sent_at as Date | null) ?? null,
    })),
  );
}

/** The receipt code on a page, as a person reads it (its groups joined by hyphens). */
export function receiptCodeOf(html: string): string | undefined {
  const inner = /data-testid="receipt-code"[^>]*>([\s\S]*?)<\/p>/.exec(html)?.[1];
  return inner?.replace(/<[^>]+>/g, "");
}

/** An API token made through the account page, as a person would (with a fresh second-factor code). */
export async function createApiToken(env: TestEnv, user: UserFixture, name = "Testskript"): Promise<string> {
  const agent = new Agent(env.app);
  env.clock.advance(30_000); // each second-factor code counts once
  await agent.signIn(user, env.clock);
  await agent.get("/konto/api-tokens");
  const res = await agent.post("/konto/api-tokens", { name });
  const token = /data-testid="api-token">([^<]+)</.exec(res.body)?.[1];
  if (!token) throw new Error("no API token shown after creating one");
  return token;
}

/** The hidden fields of the first form on the page whose markup contains `marker` (the agent adds its own CSRF token). */
export function hiddenFields(body: string, marker: string): Record<string, string> {
  const form = body.split("<form").find((f) => f.includes(marker)) ?? "";
  return Object.fromEntries(
    [...form.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"/g)].filter((m) => m[1] !== "_csrf").map((m) => [m[1], m[2]]),
  );
}

/** The hidden fields of the mailbox form with the given action. */
export function mailboxForm(body: string, action: string): Record<string, string> {
  return hiddenFields(body, `name="_aktion" value="${action}"`);
}

/** A case page's links at its top and its parts' headings: each link has its heading, each heading its link. */
export function caseContentsOf(body: string): { links: string[]; headings: string[] } {
  const nav = /<nav aria-label="[^"]*" class="komma-contents">([\s\S]*?)<\/nav>/.exec(body)?.[1] ?? "";
  return {
    links: [...nav.matchAll(/href="#([^"]+)"/g)].map((m) => m[1]),
    headings: [...body.matchAll(/<h2 [^>]*id="([^"]+)"/g)].map((m) => m[1]),
  };
}
