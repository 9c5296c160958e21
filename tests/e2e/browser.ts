import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { AddressInfo } from "node:net";
import { after, before } from "node:test";
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";
import { createTestEnv, freshTotpCode, type TestEnv, type UserFixture } from "../helpers/app.ts";
import { watched } from "../helpers/wait.ts";

export const CHROMIUM_FLAGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/**
 * Debian's Chromium as its headless shell (package `chromium-headless-shell`, which `npm test`
 * installs): the same engine, built from the same source as `chromium`, without the desktop
 * browser's window and GPU layers that a headless run starts anyway — the headless mode
 * Playwright itself launches by default. It takes two fifths less processor time for the same
 * story (docs/performance.md). Called directly: Debian's wrapper script stays alive beside it.
 */
export const HEADLESS_CHROMIUM = "/usr/lib/chromium/chromium-headless-shell";

let running: Promise<Browser> | undefined;
// Declared when this module is first loaded, outside any file's suite: closes the shared browser
// after the last test of the process.
after(async () => {
  await (await running)?.close();
});

/**
 * Chromium for one story file. A test process runs many files one after another (tests/run-files.ts),
 * so they share one browser, started once (about a second of processor time) with axe loaded once
 * in its checker page: each file gets a handle whose `close` closes the contexts the file opened,
 * which keep their cookies, storage and cache to themselves as a new browser's would.
 */
export async function launchBrowser(): Promise<Browser> {
  running ??= chromium.launch({ executablePath: HEADLESS_CHROMIUM, args: CHROMIUM_FLAGS }).then((browser) => {
    browser.on("disconnected", () => {
      running = undefined;
    });
    return browser;
  });
  const browser = await running;
  const earlier = new Set(browser.contexts());
  return new Proxy(browser, {
    get(target, property) {
      if (property === "close") {
        return async () => {
          const checker = await checkers.get(target);
          for (const context of target.contexts()) {
            if (!earlier.has(context) && context !== checker?.context())
              await watched("closing a browser context", context.close(), () =>
                context
                  .pages()
                  .map((p) => p.url())
                  .join(", "),
              );
          }
        };
      }
      const value = Reflect.get(target, property, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

export function newContext(browser: Browser, opts: { javaScript: boolean }): Promise<BrowserContext> {
  // Reduced motion, as many people set it: the page then jumps to an anchor instead of gliding there,
  // and a click need not wait for the element to hold still.
  return browser.newContext({ javaScriptEnabled: opts.javaScript, locale: "de-DE", reducedMotion: "reduce", viewport: { width: 1280, height: 900 } });
}

const WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"];

/**
 * axe-core itself, run with `axe.run` in one checker page per browser. (The @axe-core/playwright
 * wrapper puts its 560 KB into the page twice per check and finishes each run in a new blank page;
 * our pages have no frames, which is all that way of running adds.)
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

/**
 * The page axe runs in, one per browser. Each check copies the checked page's document as it is now
 * into it: with JavaScript, after the scripts changed it; without, as the server sent it (axe is
 * a script and cannot run there). The copy keeps axe loaded from one check to the next — put into
 * each new document, axe's 560 KB cost a third of a story's processor time.
 */
const checkers = new WeakMap<Browser, Promise<Page>>();

function checkerOf(browser: Browser): Promise<Page> {
  let checker = checkers.get(browser);
  if (!checker) {
    checker = newContext(browser, { javaScript: true }).then((context) => context.newPage());
    checkers.set(browser, checker);
  }
  return checker;
}

/** A page in a context without JavaScript. */
export async function newNoScriptPage(browser: Browser): Promise<{ context: BrowserContext; page: Page }> {
  const context = await newContext(browser, { javaScript: false });
  return { context, page: await context.newPage() };
}

/** A page of a new context, with JavaScript or without. */
export async function openPage(browser: Browser, javaScript: boolean): Promise<{ context: BrowserContext; page: Page }> {
  if (!javaScript) return newNoScriptPage(browser);
  const context = await newContext(browser, { javaScript: true });
  return { context, page: await context.newPage() };
}

/**
 * Asserts that axe finds no WCAG 2.2 AA violation on the page as it is now: its document (without
 * its scripts, which ran already or may not run) in the checker page, on the same origin, under the
 * same content security policy and at the same viewport size.
 */
export async function expectAccessible(page: Page, label: string): Promise<void> {
  const checker = await checkerOf(page.context().browser() as Browser);
  const size = page.viewportSize();
  if (size) await checker.setViewportSize(size);
  const origin = new URL(page.url()).origin;
  // Same origin as the page, so its stylesheets and fonts load exactly as they did there.
  if (!checker.url().startsWith(origin)) await checker.goto(`${origin}/health/live`);
  // A page called right after a click may be between two documents (a blank one has no title and no
  // language): wait until the document the click led to is there. Every page of ours has a title.
  let content = "";
  for (let i = 0; i < 100 && !/<title>[^<]+<\/title>/.test(content); i++) {
    if (i > 0) await page.waitForTimeout(50);
    await page.waitForLoadState("domcontentloaded");
    content = await page.content().catch(() => "");
  }
  const html = content.replace(/<script[^>]*><\/script>/g, "");
  await checker.setContent(html, { waitUntil: "load" });
  const violations = await runAxe(checker);
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
