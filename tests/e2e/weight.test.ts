import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import type { Browser } from "playwright-core";
import { describeVisit, WeighedPage } from "../../bench/page-weight.ts";
import { Agent, createTenantFixture, createTestEnv, createUserFixture, type TestEnv, type UserFixture } from "../helpers/app.ts";
import { launchBrowser, serve } from "./browser.ts";

/*
 * Someone under threat opens the reporting page on a slow phone: what Chromium actually
 * transfers (compressed bodies and headers of every response, fonts it chose to load), with an
 * empty cache and then with the assets cached. `npm run bench:weight` prints the same figures.
 */

const FIRST_VISIT_LIMIT = 150_000;
const LATER_PAGE_LIMIT = 20_000;

let env: TestEnv;
let browser: Browser;
let base: string;
let staff: UserFixture;

before(async () => {
  env = await createTestEnv("pglite");
  const tenant = await createTenantFixture(env, { name: "Musterstadt", slug: "musterstadt" });
  staff = await createUserFixture(env, [{ tenantId: tenant.id, role: "staff" }], { displayName: "Sam Beispiel" });
  base = await serve(env);
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await env?.close();
});

test("the first visit to the reporting page transfers at most 150 KB, and later pages at most 20 KB", async () => {
  const context = await browser.newContext({ locale: "de-DE", viewport: { width: 390, height: 844 }, isMobile: true });
  const tab = await WeighedPage.open(context);

  const first = await tab.weigh("first visit", (p) => p.goto(`${base}/musterstadt/melden`));
  assert.ok(first.bytes <= FIRST_VISIT_LIMIT, `first visit: ${first.bytes} bytes\n${describeVisit(first)}`);
  assert.ok(
    first.transfers.some((t) => /\/static\/fira-sans-400-latin\./.test(t.url) && t.bytes > 0),
    "the text font was loaded and counted",
  );
  assert.ok(
    first.transfers.some((t) => /\/static\/kern\./.test(t.url) && t.encoding === "br"),
    "KERN's stylesheet came with brotli",
  );

  const again = await tab.weigh("later visit", (p) => p.goto(`${base}/musterstadt/melden`));
  assert.ok(again.bytes <= LATER_PAGE_LIMIT, `later visit: ${again.bytes} bytes\n${describeVisit(again)}`);
  assert.deepEqual(
    again.transfers.filter((t) => t.url.includes("/static/") && !t.fromCache).map((t) => t.url),
    [],
    "no asset is fetched again",
  );

  // Signed in through the same browser (the session cookie comes from the sign-in form).
  const agent = new Agent(env.app);
  await agent.signIn(staff, env.clock);
  await context.addCookies([...agent.cookies].map(([name, value]) => ({ name, value, url: base })));
  const signedIn = await tab.weigh("signed-in page", (p) => p.goto(`${base}/start`));
  assert.ok(
    signedIn.transfers.some((t) => new URL(t.url).pathname === "/start" && t.status === 200),
    "signed in, not sent to the sign-in page",
  );
  assert.ok(signedIn.bytes <= LATER_PAGE_LIMIT, `signed-in page: ${signedIn.bytes} bytes\n${describeVisit(signedIn)}`);
  await context.close();
});
