import multipart from "@fastify/multipart";
import type { FastifyError, FastifyInstance, FastifyRequest } from "fastify";
import { AppError } from "./errors.ts";

/**
 * A multipart body that breaks off (no closing boundary, a part cut short) fails while it is
 * read, before any handler runs: that is the sender's mistake, answered 400, not ours. Errors
 * from the handlers themselves pass on unchanged. For a scope that registers @fastify/multipart.
 */
export function refuseBrokenMultipart(app: FastifyInstance, refusedEarly: WeakSet<FastifyRequest> = new WeakSet()): void {
  const bodyRead = new WeakSet<FastifyRequest>();
  app.addHook("preHandler", async (request) => {
    bodyRead.add(request);
  });
  app.setErrorHandler((err: FastifyError, request) => {
    // Our own refusals (a failed CSRF check comes before the handler too, and who may not upload
    // is refused before the body is read) keep their answer.
    if (!err.statusCode && !(err instanceof AppError) && !bodyRead.has(request) && !refusedEarly.has(request) && request.isMultipart()) {
      throw Object.assign(new Error("the multipart body could not be read"), { statusCode: 400 });
    }
    throw err;
  });
}

/** A file of a multipart body with attached fields (a JSON body naming "type": "file" is no file). */
export interface UploadedFile {
  name: string;
  truncated: boolean;
  bytes(): Promise<Buffer>;
}

/**
 * For a scope that takes uploads of at most one small file held in memory: registers
 * @fastify/multipart with its fields attached to the body, and refuses broken bodies with 400.
 * A file over `maxFileBytes` arrives truncated, for the handler to refuse with a message.
 * `admit` decides, from the request's headers and session alone, who may send a body to the
 * scope at all (signed in, and allowed to upload here): it runs before the body is read, so that
 * no one else can make the server hold a file in memory; it throws to refuse. The handler
 * checks the rest once the fields are read.
 */
export async function acceptUploads(
  scope: FastifyInstance,
  opts: { maxFileBytes: number; fields: number; admit: (request: FastifyRequest) => void | Promise<void> },
): Promise<void> {
  const refusedEarly = new WeakSet<FastifyRequest>();
  scope.addHook("preParsing", async (request, _reply, payload) => {
    try {
      await opts.admit(request);
    } catch (err) {
      refusedEarly.add(request);
      throw err;
    }
    return payload;
  });
  await scope.register(multipart, {
    attachFieldsToBody: true,
    throwFileSizeLimit: false,
    limits: { fileSize: opts.maxFileBytes, files: 1, fields: opts.fields, parts: opts.fields + 1 },
  });
  refuseBrokenMultipart(scope, refusedEarly);
}

/** The named file of a multipart body, if one was chosen. */
export function uploadedFile(body: unknown, field: string): UploadedFile | null {
  const part = (body as Record<string, unknown> | undefined)?.[field] as
    | { type?: unknown; filename?: unknown; file?: { truncated?: unknown }; toBuffer?: unknown }
    | undefined;
  if (part?.type !== "file" || typeof part.toBuffer !== "function" || typeof part.filename !== "string" || part.filename === "") return null;
  const toBuffer = part.toBuffer as () => Promise<Buffer>;
  return { name: part.filename, truncated: part.file?.truncated === true, bytes: () => toBuffer.call(part) };
}

/** A text field of a multipart (or urlencoded) body, as a string ("" when missing or not text). */
export function textField(body: unknown, field: string): string {
  const v = (body as Record<string, unknown> | undefined)?.[field];
  const value = v && typeof v === "object" && "value" in v ? (v as { value: unknown }).value : v;
  return typeof value === "string" ? value : "";
}
