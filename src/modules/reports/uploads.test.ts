import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { test } from "node:test";
import Fastify from "fastify";
import type { Counters } from "../../platform/counters.ts";
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
