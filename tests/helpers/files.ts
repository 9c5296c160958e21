import { createHash } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { SpooledFile } from "../../src/modules/reports/uploads.ts";

const dir = mkdtempSync(path.join(tmpdir(), "komma-test-files-"));
let n = 0;

/** A file as an upload leaves it on disk, for commands that take uploaded files. */
export function spooled(name: string, data: Buffer): SpooledFile {
  n += 1;
  const file = path.join(dir, String(n));
  writeFileSync(file, data);
  return { name, path: file, size: data.length, sha256: createHash("sha256").update(data).digest("hex"), truncated: false };
}
