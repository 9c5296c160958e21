import { createHash } from "node:crypto";
import { createWriteStream, mkdtempSync } from "node:fs";
import { rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { Transform, Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { MultipartFile } from "@fastify/multipart";
import type { FastifyInstance, FastifyRequest } from "fastify";
import type { Counters } from "../../platform/counters.ts";
import { refuseCrossSiteRequest } from "../../platform/http/context.ts";
import { refuseBrokenMultipart } from "../../platform/http/multipart.ts";

/*
 * Uploaded files go to a temporary file as they arrive, never into memory as a whole: a
 * request of many large files must not be able to exhaust the server. The SHA-256 of the bytes
 * as received is taken on the way. A request may carry at most `maxUploadBytes` in all; what
 * comes after that is not written and the file counts as too large. The files go when the
 * answer has been sent.
 *
 * Nothing is written for a request that could not act anyway: a file comes after the form's
 * CSRF token (browsers send the fields in the form's order, the token first), so a file without
 * a valid token before it ends the request before a byte is kept; and a client whose budget
 * for the hour is spent has its bytes read and dropped, not written.
 */

export interface SpooledFile {
  name: string;
  path: string;
  size: number;
  /** SHA-256 of the bytes as received. */
  sha256: string;
  /** Cut off at the size limit of a file or of the whole upload. */
  truncated: boolean;
  /** Not kept: the client has uploaded as much as it may within the hour. */
  overBudget?: boolean;
}

const spooled = new WeakMap<FastifyRequest, { total: number; paths: string[] }>();
/** How many bytes of a file the budget takes at a time (held in memory until it has). */
const RESERVE_BYTES = 256 * 1024;
const SPOOLED = Symbol("spooled");

/** The spooled file of a multipart part, if it was a file. */
export function spooledFileOf(part: unknown): SpooledFile | undefined {
  return (part as { [SPOOLED]?: SpooledFile } | null)?.[SPOOLED];
}

/**
 * The multipart `onFile` handler and the hooks that refuse oversized uploads and clean up. Each
 * client (by `clientKey`; the shared counters store only a keyed hash of it) may upload
 * `budgetBytes` an hour; beyond that files are not kept, so that nobody can fill the disk
 * through the public forms.
 */
export function uploadSpooling(
  app: FastifyInstance,
  opts: {
    maxUploadBytes: number;
    budgetBytes: number;
    clientKey: (request: FastifyRequest) => string;
    counters: Counters;
    /** The platform's public address, for the same-site check of `refuseCrossSiteRequest`. */
    publicUrl: string;
  },
) {
  const { maxUploadBytes } = opts;
  const dir = mkdtempSync(path.join(tmpdir(), "komma-uploads-"));
  let counter = 0;
  // Counted across every process (a client could otherwise spend the budget once per process), as
  // the bytes arrive and before they are written: parallel uploads, or one that never ends, cannot
  // write more than the budget. Bytes it cannot take are read and dropped, not written or counted.
  const spend = (request: FastifyRequest, bytes: number): Promise<boolean> =>
    opts.counters.take("upload-budget", opts.clientKey(request), 3_600_000, bytes, opts.budgetBytes);
  // What is left of the hour's budget, without counting (a file's bytes beyond it are not written).
  const budgetLeft = async (request: FastifyRequest): Promise<number> =>
    opts.budgetBytes - (await opts.counters.add("upload-budget", opts.clientKey(request), 3_600_000, 0)).total;

  // A declared length over the limit is refused before a byte is read.
  app.addHook("onRequest", async (request, reply) => {
    const length = Number(request.headers["content-length"] ?? 0);
    if (length > maxUploadBytes && request.headers["content-type"]?.startsWith("multipart/")) {
      reply.header("connection", "close");
      const err = new Error("upload too large") as Error & { statusCode: number };
      err.statusCode = 413;
      throw err;
    }
  });
  refuseBrokenMultipart(app);
  // Once answered — or when the client went away before (no answer is sent then): the files go either way.
  const clean = async (request: FastifyRequest) => {
    const state = spooled.get(request);
    if (state) await Promise.all(state.paths.map((p) => rm(p, { force: true })));
  };
  app.addHook("onResponse", clean);
  app.addHook("onRequestAbort", clean);
  // The spool directory goes with the app: a start does not leave one behind for every earlier start.
  app.addHook("onClose", async () => rm(dir, { recursive: true, force: true }));

  return async function onFile(this: FastifyRequest, part: MultipartFile): Promise<void> {
    refuseCrossSiteRequest(this, opts.publicUrl, part.fields);
    const state = spooled.get(this) ?? { total: 0, paths: [] };
    spooled.set(this, state);
    const room = await budgetLeft(this);
    // A file input left empty arrives as a part without a name: there is nothing to keep or refuse.
    if (room <= 0 && part.filename !== "") {
      await pipeline(part.file, new Writable({ write: (_chunk, _encoding, done) => done() }));
      (part as unknown as { [SPOOLED]: SpooledFile })[SPOOLED] = { name: part.filename, path: "", size: 0, sha256: "", truncated: false, overBudget: true };
      return;
    }
    counter += 1;
    const file = path.join(dir, `${process.pid}-${Date.now()}-${counter}`);
    state.paths.push(file);
    const hash = createHash("sha256");
    let size = 0;
    let overTotal = false;
    let overRoom = false;
    // Bytes held until the budget has taken them (at most RESERVE_BYTES), then written.
    let held: Buffer[] = [];
    let heldBytes = 0;
    const request = this;
    async function release(meter: Transform): Promise<void> {
      if (heldBytes === 0) return;
      const bytes = heldBytes;
      const chunks = held;
      held = [];
      heldBytes = 0;
      if (overRoom || !(await spend(request, bytes))) {
        overRoom = true;
        return;
      }
      for (const c of chunks) {
        hash.update(c);
        meter.push(c);
      }
      size += bytes;
    }
    const meter = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        if (overRoom || overTotal) return done();
        if (state.total + chunk.length > maxUploadBytes) {
          overTotal = true;
          return done();
        }
        state.total += chunk.length;
        held.push(chunk);
        heldBytes += chunk.length;
        if (heldBytes < RESERVE_BYTES) return done();
        release(this).then(() => done(), done);
      },
      flush(done) {
        release(this).then(() => done(), done);
      },
    });
    try {
      await pipeline(part.file, meter, createWriteStream(file, { mode: 0o600 }));
    } catch (err) {
      // The stream is closed now: what it wrote goes with it, not only when the answer is sent.
      await rm(file, { force: true });
      throw err;
    }
    (part as unknown as { [SPOOLED]: SpooledFile })[SPOOLED] = {
      name: part.filename,
      path: file,
      size,
      sha256: hash.digest("hex"),
      truncated: overTotal || part.file.truncated,
      overBudget: overRoom,
    };
  };
}
