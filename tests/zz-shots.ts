import { TOTP } from "otpauth";
import { chromium } from "playwright-core";

const base = "http://localhost:3311";
const secrets: Record<string, string> = {
  "verwaltung@demo.example": "KRSXG5CTMVRXEZLUKRSXG5CTMVRXEZLU",
  "admin@demo.example": "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP",
};
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox", "--disable-gpu"] });
async function session(email: string) {
  const page = await (await browser.newContext({ viewport: { width: 1100, height: 900 } })).newPage();
  await page.goto(`${base}/anmelden`);
  await page.getByLabel("E-Mail").fill(email);
  await page.getByLabel("Passwort").fill("Demo-Zugang-2026!");
  await page.getByRole("button", { name: "Anmelden" }).click();
  if (secrets[email]) {
    await page
      .getByLabel(/Code/)
      .first()
      .fill(new TOTP({ secret: secrets[email] }).generate());
    await page
      .getByRole("button", { name: /Bestätigen|Anmelden|Weiter/ })
      .first()
      .click();
  }
  await page.waitForLoadState();
  return page;
}
const pages = JSON.parse(process.argv[2]) as { user: string; shots: [string, string][] }[];
for (const { user, shots } of pages) {
  const page = await session(user);
  for (const [path, file] of shots) {
    await page.goto(`${base}${path}`);
    await page.screenshot({ path: `/tmp/shots/${file}.png`, fullPage: true });
  }
}
await browser.close();
