import type { FastifyRateLimitStore, FastifyRateLimitStoreCtor } from "@fastify/rate-limit";
import type { FastifyRequest, RouteOptions } from "fastify";
import type { Counters } from "../counters.ts";
import { clientNetwork } from "./client-network.ts";

/*
 * @fastify/rate-limit keeps its counts in the process's memory unless given a store: with two
 * processes a client would get twice the limit. This store counts in PostgreSQL through the
 * shared counters (one upsert per request; the key, an address by default, is stored only as a
 * keyed hash). Each route counts on its own, as with the plugin's own stores. The plugin's
 * `continueExceeding` and `exponentialBackoff` are not offered: no route uses them.
 */

/** The counters' purpose of every request limit: the plugin's, and a route's that counts in its own statement. */
export const RATE_LIMIT_PURPOSE = "rate-limit";

/** A client's key of one route's limit, as the store counts it: `POST /path/:param` and the client's key. */
export const routeLimitKey = (route: string, client: string) => `${route}\n${client}`;

/** The store class for `app.register(rateLimit, { store })`, counting in `counters`. */
export function sharedRateLimitStore(counters: Counters): FastifyRateLimitStoreCtor {
  class SharedStore implements FastifyRateLimitStore {
    readonly route: string;
    constructor(_options?: unknown, route = "") {
      this.route = route;
    }
    incr(key: string, callback: (error: Error | null, result?: { current: number; ttl: number }) => void, timeWindow: number): void {
      counters.add(RATE_LIMIT_PURPOSE, routeLimitKey(this.route, key), timeWindow).then(
        ({ total, msLeft }) => callback(null, { current: total, ttl: msLeft }),
        (err: Error) => callback(err),
      );
    }
    child(routeOptions: RouteOptions & { path: string; prefix: string }): FastifyRateLimitStore {
      // The plugin passes the route's merged limit options, which carry the route as `routeInfo`
      // (its declaration says otherwise; its own Redis store reads `routeInfo` too).
      const info = (routeOptions as unknown as { routeInfo?: { method?: string | string[]; url?: string } }).routeInfo ?? {};
      return new SharedStore(undefined, `${[info.method ?? ""].flat().join(",")} ${info.url ?? ""}`);
    }
  }
  return SharedStore;
}

/**
 * A limit for pages behind sign-in (a PDF made in a worker, a case read): counted per person, not
 * per address, so that colleagues behind one municipal network address do not use up each
 * other's. Checked once the request's person is known (`preHandler`); without one, by address.
 */
export const perPerson = (max: number) => ({
  max,
  timeWindow: "1 minute",
  hook: "preHandler" as const,
  keyGenerator: (request: FastifyRequest) => (request.user ? `person:${request.user.id}` : clientNetwork(request.ip)),
});
