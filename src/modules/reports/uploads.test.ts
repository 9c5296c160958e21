import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { test } from "node:test";
import Fastify from "fastify";
import type { Counters } from "../../platform/counters.ts";
import { clientNetwork } from "./public-flow.ts";
import { uploadSpooling } from "./uploads.ts";

test("the upload spool directory is removed when the app closes: restarts leave none behind", async () => {
  const scratch = mkdtempSync(path.join(tmpdir(), "komma-spool-test-"));
  const before = process.env.TMPDIR;
  process.env.TMPDIR = scratch;
  const app = Fastify();
  try {
    uploadSpooling(app, { maxUploadBytes: 1024, budgetBytes: 1024, clientKey: () => "client", counters: {} as Counters, publicUrl: "http://localhost" });
  } finally {
    if (before === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = before;
  }
  await app.ready();
  assert.deepEqual(
    readdirSync(scratch).map((d) => d.replace(/-.*$/, "-")),
    ["komma-"],
  );
  await app.close();
  assert.deepEqual(readdirSync(scratch), []);
  rmSync(scratch, { recursive: true, force: true });
});

test("budgets and limits count an IPv6 client by its /64, the network one host is given; IPv4 by its address", () => {
  assert.equal(clientNetwork("203.0.113.7"), "203.0.113.7");
  assert.equal(clientNetwork("::ffff:203.0.113.7"), "203.0.113.7");
  const one = ["2001:db8:1:2:3:4:5:6", "2001:db8:1:2::6", "2001:0db8:0001:0002:abcd::1"].map(clientNetwork);
  assert.deepEqual(new Set(one), new Set(["2001:db8:1:2::/64"]), "one host's addresses are one client");
  assert.notEqual(clientNetwork("2001:db8:1:3::1"), clientNetwork("2001:db8:1:2::1"), "the next network is another");
});
