import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { Browser, Page } from "playwright-core";
import { createReport } from "../../src/modules/reports/commands.ts";
import { appendAudit } from "../../src/platform/audit/audit.ts";
import type { Role } from "../../src/platform/authz/policy.ts";
import { withTenant } from "../../src/platform/db/client.ts";
import { createTenantFixture, createTestEnv, createUserFixture, type TestEnv, totpCode, type UserFixture } from "../helpers/app.ts";
import { expectAccessible, launchBrowser, serve } from "./browser.ts";

/*
 * A phone held upright, or a page zoomed to 400 %: 320 CSS pixels wide (WCAG 1.4.10 Reflow).
 * Every page a national admin, a municipal admin and a clearing officer can reach from their
 * start page is opened at that width; none may scroll sideways. Wide tables scroll inside
 * their own box, which must be reachable and named for keyboard and screen-reader users.
 */

let env: TestEnv;
let browser: Browser;
let base: string;
const people = new Map<Role, UserFixture>();

before(async () => {
  env = await createTestEnv("pglite");
  const tenant = await createTenantFixture(env, { name: "Musterstadt", slug: "musterstadt" });
  const national = env.platform.nationalTenant.id;
  people.set(
    "national_admin",
    await createUserFixture(env, [{ tenantId: national, role: "national_admin" }], { totp: true, displayName: "Robin Bundesmuster" }),
  );
  people.set(
    "municipal_admin",
    await createUserFixture(env, [{ tenantId: tenant.id, role: "municipal_admin" }], { totp: true, displayName: "Alex Verwaltung" }),
  );
  people.set(
    "clearing_officer",
    await createUserFixture(env, [{ tenantId: tenant.id, role: "clearing_officer" }], { totp: true, displayName: "Jona Clearing" }),
  );
  // Long unbreakable content, as real data has: an address, a URL, a long name.
  await createUserFixture(env, [{ tenantId: tenant.id, role: "staff" }], {
    email: "sachbearbeitung.ordnungsamt.buergerbuero@musterstadt-verwaltung.example",
    displayName: "Maximiliane Oberbürgermeisterstellvertreterin",
  });
  const info = { id: tenant.id, slug: tenant.slug, name: tenant.name, kind: tenant.kind };
  await createReport(env.platform, info, {
    answers: {
      mode: "anonymous",
      description: "Auf https://soziales-netzwerk.example/beitraege/0123456789abcdefghijklmnopqrstuvwxyz steht eine Drohung.",
    },
    lang: "de",
    channel: "web",
  });
  await withTenant(env.platform.db, tenant.id, (tx) =>
    appendAudit(tx, { tenantId: tenant.id, actorId: null, action: "eine.unbekannte_aktion_mit_sehr_langem_namen", objectType: "ein_objekt" }, env.clock.now()),
  );
  base = await serve(env);
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await env?.close();
});

async function signIn(page: Page, user: UserFixture) {
  // A TOTP code counts once: move to the next time step for each sign-in.
  env.clock.advance(30_000);
  await page.goto(`${base}/anmelden`);
  await page.getByLabel("E-Mail-Adresse").fill(user.email);
  await page.getByLabel("Passwort", { exact: true }).fill(user.password);
  await page.getByRole("button", { name: "Anmelden" }).click();
  await page.getByLabel("Code").fill(totpCode(user.totpSecret as string, env.clock.now()));
  await page.getByRole("button", { name: "Bestätigen" }).click();
  await page.getByRole("heading", { level: 1, name: /Guten Tag/ }).waitFor();
}

/** Paths that are not pages to look at: downloads, documents, actions. */
const SKIP = /^\/(sprache|abmelden|assets|static|api\/openapi\.json|favicon)|\/beweise\/|\/beirat\/dokument\/|\.(vcf|csv|json|pdf)$/;

const WIDTH = 320;

/**
 * Every page reachable from the start page in up to two steps, on this site, each opened once:
 * the pages visited, and those wider than the screen.
 */
async function visitAll(page: Page): Promise<{ pages: string[]; wide: string[] }> {
  const seen = new Set<string>(["/start"]);
  const wide: string[] = [];
  let frontier = ["/start"];
  for (let depth = 0; depth <= 2; depth++) {
    const next: string[] = [];
    for (const path of frontier) {
      await page.goto(base + path);
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      if (width > WIDTH) wide.push(`${path} (${width} px)`);
      if (depth === 2) continue;
      const hrefs = await page.locator("a[href]").evaluateAll((links) => links.map((a) => (a as HTMLAnchorElement).href));
      for (const href of hrefs) {
        const url = new URL(href);
        if (url.origin !== base) continue;
        const target = url.pathname + url.search;
        if (SKIP.test(url.pathname) || seen.has(target)) continue;
        seen.add(target);
        next.push(target);
      }
    }
    frontier = next;
  }
  return { pages: [...seen], wide };
}

for (const role of ["national_admin", "municipal_admin", "clearing_officer"] as Role[]) {
  describe(`at ${WIDTH} px, as ${role}`, () => {
    test("no signed-in page scrolls sideways", async () => {
      const context = await browser.newContext({ locale: "de-DE", viewport: { width: WIDTH, height: 640 } });
      const page = await context.newPage();
      await signIn(page, people.get(role) as UserFixture);
      const { pages, wide } = await visitAll(page);
      assert.ok(pages.includes("/verwaltung/protokoll"), "the audit log is among the pages visited");
      assert.ok(pages.length > 20, `every page of the role is opened, not only the start page (${pages.length})`);
      assert.deepEqual(wide, [], `pages wider than ${WIDTH} px`);
      await context.close();
    });
  });
}

describe(`the audit log at ${WIDTH} px`, () => {
  test("its table scrolls in a named region that the keyboard reaches and that shows focus", async () => {
    const context = await browser.newContext({ locale: "de-DE", viewport: { width: WIDTH, height: 640 } });
    const page = await context.newPage();
    await signIn(page, people.get("municipal_admin") as UserFixture);
    await page.goto(`${base}/verwaltung/protokoll`);
    const region = page.getByRole("region", { name: /Protokoll/ });
    await region.waitFor();
    assert.equal(await region.getAttribute("tabindex"), "0");
    const scrolls = await region.evaluate((el) => el.scrollWidth > el.clientWidth);
    assert.ok(scrolls, "the table is wider than the screen, so the region scrolls");
    // The Tab key reaches the region; focus is visible; the arrow keys scroll it.
    let reached = false;
    for (let i = 0; i < 40 && !reached; i++) {
      await page.keyboard.press("Tab");
      reached = await region.evaluate((el) => el === document.activeElement);
    }
    assert.ok(reached, "Tab reaches the scroll region");
    const outline = await region.evaluate((el) => getComputedStyle(el).outlineStyle);
    assert.notEqual(outline, "none", "the focused region shows a focus outline");
    await page.keyboard.press("ArrowRight");
    await page.keyboard.press("ArrowRight");
    await page.waitForFunction((el) => (el as HTMLElement).scrollLeft > 0, await region.elementHandle());
    await expectAccessible(page, "/verwaltung/protokoll at 320 px");
    await context.close();
  });
});
