import type { FastifyInstance, FastifyRequest } from "fastify";
import type { Policy } from "./authz/policy.ts";
import type { SealedColumn } from "./crypto/rotate.ts";
import type { EventHandler } from "./events/events.ts";
import type { NavProvider } from "./http/context.ts";
import type { Schedule } from "./jobs/schedules.ts";
import type { Platform } from "./platform.ts";
import type { NavItem } from "./ui/html.ts";

/**
 * What a module declares to the platform: its routes (pages and API), its navigation
 * entries for the current actor, its sealed columns, and the policies it defines (for the permission tables in
 * tests and docs). Modules talk to each other only through their index.ts.
 */
export interface ModuleManifest {
  name: string;
  register(app: FastifyInstance, platform: Platform, nav: NavProvider): void;
  nav?(request: FastifyRequest, platform: Platform): NavItem[];
  /** Every column of this module's tables that holds sealed values, for key rotation. */
  sealedColumns?: SealedColumn[];
  /**
   * The handlers this module subscribes to domain events (of its own or, through their index.ts,
   * of other modules). Subscribed when the platform boots, before anything can emit.
   */
  // biome-ignore lint/suspicious/noExplicitAny: each handler is typed by its event; the list holds several
  eventHandlers?(platform: Platform): EventHandler<any>[];
  /** Recurring jobs (cron in Europe/Berlin), each fired by exactly one process when due. */
  schedules?(platform: Platform): Schedule[];
  /**
   * The first path segments its routes use (e.g. "faelle"): no municipality may take one as its
   * short name, since `/{slug}` is the municipality's public page.
   */
  reservedPaths?: readonly string[];
  /** Fictional demo data of this module (`npm start`), on top of the demo municipalities and people. */
  demo?(platform: Platform, context: DemoContext): Promise<void>;
  /** The modules whose demo data this module's builds on (their demo runs first). */
  demoAfter?: readonly string[];
  /**
   * Work on the demo data that need not hold up the first page (the national figures' first
   * release, protected for minutes in a worker): `serve --demo` starts it once the server answers.
   * `seed --demo` leaves it to the module's schedules. `what` names it on the console (English,
   * as the other operator output), so that a newcomer knows what follows and where to look.
   * `due` says whether it is still to be done at a later start (a start stopped before it was
   * done): there it runs, and is named, again.
   */
  demoInBackground?: { what: string; due(platform: Platform): Promise<boolean>; run(platform: Platform): Promise<void> };
  /** Every rule set of this module: each is walked through role × relation × action in the policy tables test. */
  // biome-ignore lint/suspicious/noExplicitAny: policies differ in their record and actions
  policies?: Policy<any, string>[];
  /** The OpenAPI tags this module's /api/v1 operations use, each with what it covers. */
  apiTags?: { name: string; description: string }[];
}

/** First path segments the platform itself serves (sign-in, account, assets, API, health, the national level). */
export const PLATFORM_PATHS: readonly string[] = [
  "api",
  "assets",
  "static",
  "health",
  "metrics",
  "favicon.ico",
  "anmelden",
  "abmelden",
  "konto",
  "sprache",
  "passwort-vergessen",
  "passwort-setzen",
  "bund",
];

/** Every first path segment a municipality's short name may not take. */
export function reservedPaths(modules: readonly ModuleManifest[]): ReadonlySet<string> {
  return new Set([...PLATFORM_PATHS, ...modules.flatMap((m) => m.reservedPaths ?? [])]);
}

/** What a module's demo data can build on: the demo municipalities and people by slug and e-mail. */
export interface DemoContext {
  tenants: ReadonlyMap<string, { id: string; slug: string; name: string; kind: "national" | "model" | "platform" }>;
  users: ReadonlyMap<string, string>;
}

/** The modules in the order their demo data is made: each after those it builds on, otherwise as listed. */
export function demoOrder<M extends Pick<ModuleManifest, "name" | "demoAfter">>(modules: readonly M[]): M[] {
  const done = new Set<string>();
  const order: M[] = [];
  const names = new Set(modules.map((m) => m.name));
  while (order.length < modules.length) {
    const next = modules.find((m) => !done.has(m.name) && (m.demoAfter ?? []).every((d) => done.has(d) || !names.has(d)));
    if (!next)
      throw new Error(
        `demo data of ${modules
          .filter((m) => !done.has(m.name))
          .map((m) => m.name)
          .join(", ")} wait for each other`,
      );
    done.add(next.name);
    order.push(next);
  }
  return order;
}
