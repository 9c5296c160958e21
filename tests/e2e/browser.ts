import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { AddressInfo } from "node:net";
import { after, before } from "node:test";
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";
import { createTestEnv, freshTotpCode, type TestEnv, type UserFixture } from "../helpers/app.ts";

export const CHROMIUM_FLAGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: "/usr/bin/chromium", args: CHROMIUM_FLAGS });
}

export function newContext(browser: Browser, opts: { javaScript: boolean }): Promise<BrowserContext> {
  return browser.newContext({ javaScriptEnabled: opts.javaScript, locale: "de-DE", viewport: { width: 1280, height: 900 } });
}

const WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"];

/**
 * axe-core itself, put into a page once per document and run there with `axe.run`. (The
 * @axe-core/playwright wrapper puts its 560 KB into the page twice per check and finishes each run
 * in a new blank page — two thirds of a check's time. Our pages have no frames, which is all that
 * way of running adds.)
 */
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

async function runAxe(page: Page): Promise<AxeViolation[]> {
  if (!(await page.evaluate(() => "axe" in window))) await page.evaluate(AXE_SOURCE);
  return page.evaluate(async (tags) => {
    const axe = (window as unknown as { axe: { run(context: Document, options: object): Promise<{ violations: AxeViolation[] }> } }).axe;
    return (await axe.run(document, { runOnly: { type: "tag", values: tags }, resultTypes: ["violations"] })).violations;
  }, WCAG_TAGS);
}

const noScriptPages = new WeakSet<Page>();
let checker: Page | null = null;

/** A page in a context without JavaScript; axe checks it through a scripted copy. */
export async function newNoScriptPage(browser: Browser): Promise<{ context: BrowserContext; page: Page }> {
  const context = await newContext(browser, { javaScript: false });
  const page = await context.newPage();
  noScriptPages.add(page);
  if (!checker) checker = await (await newContext(browser, { javaScript: true })).newPage();
  return { context, page };
}

/** A page of a new context, with JavaScript or without (then checked by axe through a scripted copy). */
export async function openPage(browser: Browser, javaScript: boolean): Promise<{ context: BrowserContext; page: Page }> {
  if (!javaScript) return newNoScriptPage(browser);
  const context = await newContext(browser, { javaScript: true });
  return { context, page: await context.newPage() };
}

/**
 * Asserts that axe finds no WCAG 2.2 AA violation on the page as it is now. axe runs as a
 * script, so for a page without JavaScript its HTML (with the same styles) is checked in a
 * scripted page.
 */
export async function expectAccessible(page: Page, label: string): Promise<void> {
  let target = page;
  if (noScriptPages.has(page) && checker) {
    const origin = new URL(page.url()).origin;
    // Same origin as the page, so its stylesheets and fonts load exactly as they did there.
    if (!checker.url().startsWith(origin)) await checker.goto(`${origin}/health/live`);
    const html = (await page.content()).replace(/<script[^>]*><\/script>/g, "");
    await checker.setContent(html, { waitUntil: "load" });
    target = checker;
  }
  const violations = await runAxe(target);
  const summary = violations.map(
    (v) =>
      `${v.id} (${v.impact}): ${v.help} — ${v.nodes
        .map((n) => n.target.join(" "))
        .slice(0, 3)
        .join(", ")}`,
  );
  assert.deepEqual(summary, [], `axe violations on ${label}`);
}

/**
 * A browser story's stage: a test app on PGlite served on a free port and one Chromium, made before
 * the file's tests and closed after them, with `setUp` run on the app's data first. Read its fields
 * inside the tests (they are set by then).
 */
export function browserStage(setUp?: (env: TestEnv) => Promise<void>): { readonly env: TestEnv; readonly base: string; readonly browser: Browser } {
  const stage = {} as { env: TestEnv; base: string; browser: Browser };
  before(async () => {
    stage.env = await createTestEnv("pglite");
    await setUp?.(stage.env);
    stage.base = await serve(stage.env);
    stage.browser = await launchBrowser();
  });
  after(async () => {
    await stage.browser?.close();
    await stage.env?.close();
  });
  return stage;
}

/** Serves the test environment's app on a free local port; returns its base address. */
export async function serve(env: TestEnv): Promise<string> {
  await env.app.listen({ port: 0, host: "127.0.0.1" });
  return `http://127.0.0.1:${(env.app.server.address() as AddressInfo).port}`;
}

/** Signs in through the form as a person would, with a fresh second-factor code where the account has one. */
export async function signInInBrowser(page: Page, base: string, user: UserFixture, env: TestEnv): Promise<void> {
  await page.goto(`${base}/anmelden`);
  await page.getByLabel("E-Mail-Adresse").fill(user.email);
  await page.getByLabel("Passwort", { exact: true }).fill(user.password);
  await page.getByRole("button", { name: "Anmelden" }).click();
  if (user.totpSecret) {
    await page.getByLabel("Code").fill(freshTotpCode(user.totpSecret, env.clock));
    await page.getByRole("button", { name: "Bestätigen" }).click();
  }
}
