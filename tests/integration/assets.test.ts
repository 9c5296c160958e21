import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { brotliDecompressSync, gunzipSync } from "node:zlib";
import { Agent, createTenantFixture, createTestEnv, type TestEnv } from "../helpers/app.ts";

/*
 * What a browser downloads, through app.inject(): compressed pages, fingerprinted assets that
 * may be cached for a year and arrive pre-compressed, and the paths kept for old links. The
 * weight of a whole visit, as a browser fetches it, is measured in tests/e2e/weight.test.ts.
 * Assets do not depend on the database, so PGlite alone is enough here.
 */

const root = path.resolve(import.meta.dirname, "../..");
let env: TestEnv;
let slug: string;

before(async () => {
  env = await createTestEnv("pglite");
  slug = (await createTenantFixture(env, { name: "Musterstadt" })).slug;
});
after(() => env?.close());

function linked(html: string, pattern: RegExp): string {
  const url = pattern.exec(html)?.[1];
  assert.ok(url, `the page links to ${pattern}`);
  return url;
}

describe("page weight: compression and caching", () => {
  test("the reporting page arrives brotli-compressed when the browser takes brotli, gzip otherwise", async () => {
    const br = await env.app.inject({ method: "GET", url: `/${slug}/melden`, headers: { "accept-encoding": "br, gzip" } });
    assert.equal(br.statusCode, 200);
    assert.equal(br.headers["content-encoding"], "br");
    assert.match(String(br.headers.vary), /accept-encoding/i);
    assert.equal(br.headers["cache-control"], "no-store");
    assert.ok(br.headers["set-cookie"], "the CSRF cookie is still set on a compressed page");
    const page = brotliDecompressSync(br.rawPayload).toString("utf8");
    assert.match(page, /^<!doctype html>/);
    assert.match(page, /Vorfall melden/);
    const raw = Buffer.byteLength(page);
    assert.ok(br.rawPayload.length < raw / 2, `compressed to ${br.rawPayload.length} of ${raw} bytes`);

    const gz = await env.app.inject({ method: "GET", url: `/${slug}/melden`, headers: { "accept-encoding": "gzip" } });
    assert.equal(gz.headers["content-encoding"], "gzip");
    assert.match(gunzipSync(gz.rawPayload).toString("utf8"), /Vorfall melden/);

    const plain = await env.app.inject({ method: "GET", url: `/${slug}/melden` });
    assert.equal(plain.headers["content-encoding"], undefined);
    assert.match(plain.body, /Vorfall melden/);
  });

  test("a fingerprinted asset is cached for a year and served brotli-compressed from its pre-compressed copy", async () => {
    const page = await env.app.inject({ method: "GET", url: `/${slug}/melden` });
    const kern = linked(page.body, /<link rel="stylesheet" href="(\/static\/kern\.[0-9a-f]{12}\.css)"/);
    const res = await env.app.inject({ method: "GET", url: kern, headers: { "accept-encoding": "br, gzip" } });
    assert.equal(res.statusCode, 200);
    assert.equal(res.headers["cache-control"], "public, max-age=31536000, immutable");
    assert.equal(res.headers["content-encoding"], "br");
    assert.match(String(res.headers["content-type"]), /^text\/css/);
    assert.equal(res.headers["set-cookie"], undefined, "an asset sets no cookie, so shared caches may keep it");
    const original = readFileSync(path.join(root, "node_modules/@kern-ux/native/dist/kern.min.css"));
    assert.ok(brotliDecompressSync(res.rawPayload).equals(original), "the same stylesheet as KERN's");
    assert.ok(res.rawPayload.length < 30_000, `KERN's stylesheet is ${res.rawPayload.length} bytes with brotli`);
  });

  test("the page names its fonts by fingerprint, swapped in as they arrive, and no longer loads KERN's full fonts", async () => {
    const page = await env.app.inject({ method: "GET", url: `/${slug}/melden` });
    assert.doesNotMatch(page.body, /fira-sans\.css/);
    const css = (await env.app.inject({ method: "GET", url: linked(page.body, /<link rel="stylesheet" href="(\/static\/komma\.[0-9a-f]{12}\.css)"/) })).body;
    const faces = css.match(/@font-face\{[^}]+\}/g) ?? [];
    assert.equal(faces.length, 8, "four weights, each in a Latin and a Cyrillic subset");
    for (const face of faces) {
      assert.match(face, /font-display:swap/);
      assert.match(face, /unicode-range:U\+/);
      const font = /url\((\/static\/fira-sans-\d00-(latin|cyrillic)\.[0-9a-f]{12}\.woff2)\)/.exec(face)?.[1];
      assert.ok(font, face);
      const res = await env.app.inject({ method: "GET", url: font, headers: { "accept-encoding": "br, gzip" } });
      assert.equal(res.statusCode, 200);
      assert.equal(res.headers["content-encoding"], undefined, "woff2 is compressed already");
      assert.equal(res.headers["cache-control"], "public, max-age=31536000, immutable");
      assert.ok(res.rawPayload.length < 25_000, `${font} is ${res.rawPayload.length} bytes`);
    }
  });

  test("the page has an icon, and /favicon.ico leads to it instead of a 404 page", async () => {
    const page = await env.app.inject({ method: "GET", url: `/${slug}/melden` });
    const icon = linked(page.body, /<link rel="icon" href="(\/static\/favicon\.[0-9a-f]{12}\.svg)" type="image\/svg\+xml"/);
    const res = await env.app.inject({ method: "GET", url: icon });
    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers["content-type"]), /^image\/svg\+xml/);
    const ico = await env.app.inject({ method: "GET", url: "/favicon.ico" });
    assert.equal(ico.statusCode, 301);
    assert.equal(ico.headers.location, icon);
  });

  test("the unfingerprinted paths still answer, with short caching", async () => {
    for (const url of ["/assets/kern/kern.min.css", "/assets/kern/fonts/fira-sans.css", "/assets/komma.css", "/assets/komma.js"]) {
      const res = await env.app.inject({ method: "GET", url, headers: { "accept-encoding": "br" } });
      assert.equal(res.statusCode, 200, url);
      assert.equal(res.headers["cache-control"], "public, max-age=3600", url);
    }
  });

  test("every page carries the CSRF token freshly masked, so compressed sizes cannot reveal it, and each copy is accepted", async () => {
    const agent = new Agent(env.app);
    await agent.get(`/${slug}/melden`);
    const first = agent.csrfToken();
    await agent.get(`/${slug}/melden`);
    const second = agent.csrfToken();
    assert.notEqual(first, second);
    // Starting a report is a form post like any other.
    assert.equal((await agent.post(`/${slug}/melden`, { sprache: "de" }, { csrf: first })).statusCode, 303);
    assert.equal((await agent.post(`/${slug}/melden`, { sprache: "de" }, { csrf: second })).statusCode, 303);
    const forged = `${first.slice(0, -4)}${first.slice(-4) === "AAAA" ? "BBBB" : "AAAA"}`;
    assert.equal((await agent.post(`/${slug}/melden`, { sprache: "de" }, { csrf: forged })).statusCode, 403);
  });
});
