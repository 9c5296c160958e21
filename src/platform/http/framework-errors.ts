import { STATUS_CODES } from "node:http";
import type { Socket } from "node:net";
import type { FastifyError, FastifyReply, FastifyRequest } from "fastify";
import { translator } from "../i18n/i18n.ts";
import { problem } from "./errors.ts";

/*
 * Requests refused before any route or hook of ours runs: by the router (a path that is no address,
 * a broken %-escape; a path parameter past its length) and by Node's HTTP parser (a header with a
 * control character, headers too large, a request that took too long). Fastify answers these with
 * JSON of its own that repeats the path; here they get a problem document (RFC 9457) for the API
 * and a short text for everyone else, and nothing of what was sent comes back.
 */

const NOT_AN_ADDRESS = "Diese Adresse ist ungültig. – This address is not valid.";

/** Fastify's `frameworkErrors`: the router's refusals, before the request context exists. */
export function frameworkErrors(publicUrl: string) {
  return (error: FastifyError, request: FastifyRequest, reply: FastifyReply): void => {
    // The router's own refusals are the client's; anything else it reports here (an asynchronous constraint failing) is ours.
    const ours = error.code !== "FST_ERR_BAD_URL" && error.code !== "FST_ERR_MAX_PARAM_LENGTH";
    if (ours) request.log.error({ err: error }, "router error");
    const code = ours ? "internal" : "bad_request";
    reply.header("x-content-type-options", "nosniff").header("cache-control", "no-store");
    if (request.raw.url?.startsWith("/api/")) {
      reply
        .code(ours ? 500 : 400)
        .type("application/problem+json")
        .send(JSON.stringify(problem(code, { baseUrl: publicUrl, title: translator("de")(`errorPages.${code}.title`) })));
      return;
    }
    reply
      .code(ours ? 500 : 400)
      .type("text/plain; charset=utf-8")
      .send(ours ? STATUS_CODES[500] : NOT_AN_ADDRESS);
  };
}

/**
 * Fastify's `clientErrorHandler`: what Node's HTTP parser refuses, answered on the socket as a
 * problem document whose type is `about:blank` (the status says it all; RFC 9457 §4.2.1).
 */
export function clientErrorHandler(err: NodeJS.ErrnoException, socket: Socket): void {
  // A connection reset leaves nothing to answer.
  if (err.code === "ECONNRESET" || socket.destroyed) return;
  const status = err.code === "ERR_HTTP_REQUEST_TIMEOUT" ? 408 : err.code === "HPE_HEADER_OVERFLOW" ? 431 : 400;
  const body = JSON.stringify({ type: "about:blank", title: STATUS_CODES[status], status });
  if (socket.writable)
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/problem+json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  socket.destroy(err);
}

/** A request target in absolute form ("http://host/path?query") as its path and query; any other as it came. */
export function originForm(url: string): string {
  if (!/^https?:\/\//i.test(url)) return url;
  try {
    const parsed = new URL(url);
    return `${parsed.pathname}${parsed.search}`;
  } catch {
    return url;
  }
}
