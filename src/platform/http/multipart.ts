import type { FastifyError, FastifyInstance, FastifyRequest } from "fastify";
import { AppError } from "./errors.ts";

/**
 * A multipart body that breaks off (no closing boundary, a part cut short) fails while it is
 * read, before any handler runs: that is the sender's mistake, answered 400, not ours. Errors
 * from the handlers themselves pass on unchanged. For a scope that registers @fastify/multipart.
 */
export function refuseBrokenMultipart(app: FastifyInstance): void {
  const bodyRead = new WeakSet<FastifyRequest>();
  app.addHook("preHandler", async (request) => {
    bodyRead.add(request);
  });
  app.setErrorHandler((err: FastifyError, request) => {
    // Our own refusals (a failed CSRF check comes before the handler too) keep their answer.
    if (!err.statusCode && !(err instanceof AppError) && !bodyRead.has(request) && request.isMultipart()) {
      throw Object.assign(new Error("the multipart body could not be read"), { statusCode: 400 });
    }
    throw err;
  });
}
