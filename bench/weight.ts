// Benchmark: how many bytes a visit transfers, measured in Chromium against the server started
// as a child process (as in production) on an embedded PGlite with the demo data.
//
//   npm run bench:weight
//
// Visits, each in the order a person makes them:
//   1. the reporting page of Musterstadt with an empty cache (the first visit of someone under
//      threat, on a slow phone): the page and everything it pulls in;
//   2. the same page again, assets cached;
//   3. the sign-in page, then a signed-in page (staff account, no second factor), assets cached;
//   4. the reporting page in Ukrainian with an empty cache (Cyrillic glyphs, other font subsets);
//   5. the emergency card in German and in Arabic, each with an empty cache.
// Targets: the first visit at most 150 KB, every later page at most 20 KB.
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { chromium } from "playwright-core";
import { startServerProcess } from "../scripts/server-process.ts";
import { DEMO_DOMAIN, DEMO_PASSWORD } from "../src/platform/demo.ts";
import { CHROMIUM_FLAGS } from "../tests/e2e/browser.ts";
import { describeVisit, kb, type Visit, WeighedPage } from "./page-weight.ts";

const FIRST_VISIT_LIMIT = 150_000;
const LATER_PAGE_LIMIT = 20_000;

const root = path.resolve(import.meta.dirname, "..");
const dataDir = mkdtempSync(path.join(tmpdir(), "komma-weight-"));
const env = {
  KOMMA_DATA_DIR: dataDir,
  KOMMA_MASTER_KEY: randomBytes(32).toString("base64"),
  KOMMA_SESSION_SECRET: randomBytes(32).toString("base64url"),
  LOG_LEVEL: "warn",
};
const seeded = spawnSync(process.execPath, [path.join(root, "src/cli.ts"), "seed", "--demo"], {
  cwd: root,
  env: { PATH: process.env.PATH ?? "", ...env },
  encoding: "utf8",
});
if (seeded.status !== 0) throw new Error(seeded.stderr);

const port = 22000 + Math.floor(Math.random() * 20000);
const base = `http://127.0.0.1:${port}`;
const server = await startServerProcess(env, port, ["ignore", "ignore", "inherit"]);
const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  // No request leaves the machine. (Not by route-aborting: request interception turns the HTTP cache off.)
  args: [...CHROMIUM_FLAGS, "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost"],
});

function report(visit: Visit, limit: number): boolean {
  const ok = visit.bytes <= limit;
  const cached = visit.transfers.filter((t) => t.fromCache).length;
  const counts = `${String(visit.transfers.length - cached).padStart(2)} responses (${cached} more from the cache)`;
  console.log(`${visit.url.padEnd(44)} ${kb(visit.bytes).padStart(9)} in ${counts}  (limit ${kb(limit)}: ${ok ? "met" : "MISSED"})`);
  console.log(describeVisit(visit));
  return ok;
}

let allMet = true;
try {
  // Mobile-sized, German, like the person the first visit is for. Every request leaves for the
  // server with `accept-encoding: gzip, deflate, br, zstd` as Chromium sends it.
  const contextOptions = { locale: "de-DE", viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true };
  const context = await browser.newContext(contextOptions);
  const tab = await WeighedPage.open(context);

  const first = await tab.weigh("first visit /musterstadt/melden", (p) => p.goto(`${base}/musterstadt/melden`));
  allMet = report(first, FIRST_VISIT_LIMIT) && allMet;
  const again = await tab.weigh("later visit /musterstadt/melden", (p) => p.goto(`${base}/musterstadt/melden`));
  allMet = report(again, LATER_PAGE_LIMIT) && allMet;
  const signInPage = await tab.weigh("later page /anmelden", (p) => p.goto(`${base}/anmelden`));
  allMet = report(signInPage, LATER_PAGE_LIMIT) && allMet;
  await tab.page.getByLabel("E-Mail-Adresse").fill(`mitarbeit@${DEMO_DOMAIN}`);
  await tab.page.getByLabel("Passwort", { exact: true }).fill(DEMO_PASSWORD);
  const signIn = await tab.weigh("signing in (post, redirect, next page)", (p) =>
    Promise.all([p.waitForURL((u) => !u.pathname.startsWith("/anmelden")), p.getByRole("button", { name: "Anmelden" }).click()]),
  );
  allMet = report(signIn, LATER_PAGE_LIMIT) && allMet;
  const signedIn = await tab.weigh("signed-in page /start", (p) => p.goto(`${base}/start`));
  allMet = report(signedIn, LATER_PAGE_LIMIT) && allMet;
  await context.close();

  const ukContext = await browser.newContext(contextOptions);
  const ukTab = await WeighedPage.open(ukContext);
  const uk = await ukTab.weigh("first visit /musterstadt/melden?sprache=uk", (p) => p.goto(`${base}/musterstadt/melden?sprache=uk`));
  allMet = report(uk, FIRST_VISIT_LIMIT) && allMet;
  await ukContext.close();

  // The emergency card, opened from a QR code or a link with an empty cache, in German and in Arabic.
  for (const lang of ["de", "ar"]) {
    const cardContext = await browser.newContext(contextOptions);
    const cardTab = await WeighedPage.open(cardContext);
    const card = await cardTab.weigh(`first visit /musterstadt/notfallkarte?sprache=${lang}`, (p) =>
      p.goto(`${base}/musterstadt/notfallkarte?sprache=${lang}`),
    );
    allMet = report(card, FIRST_VISIT_LIMIT) && allMet;
    await cardContext.close();
  }
} finally {
  await browser.close();
  server.kill("SIGTERM");
  await new Promise((r) => server.once("exit", r));
  rmSync(dataDir, { recursive: true, force: true });
}
console.log(allMet ? "All targets met." : "Some targets missed.");
