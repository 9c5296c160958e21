import { and, eq, ne } from "drizzle-orm";
import { inTransaction } from "../../platform/db/client.ts";
import { tenants } from "../../platform/db/schema.ts";
import { AppError } from "../../platform/http/errors.ts";
import type { Platform } from "../../platform/platform.ts";
import { SLUG_PATTERN } from "../../platform/validation.ts";
import type { TenantInfo } from "./commands.ts";

const TTL_MS = 30_000;
/** `generation` counts the clears: a lookup that was under way during one does not store its answer. */
type Cache = { entries: Map<string, { tenant: TenantInfo; until: number }>; generation: number };
/** One cache per platform (in tests, two platforms in one process stand for two processes). */
const caches = new WeakMap<Platform, Cache>();

function cacheOf(platform: Platform): Cache {
  let cache = caches.get(platform);
  if (!cache) {
    cache = { entries: new Map(), generation: 0 };
    caches.set(platform, cache);
  }
  return cache;
}

/**
 * The municipality behind a public reporting address. Public intake is the hot path, and
 * municipalities change rarely, so lookups are kept for 30 seconds. A change made in any
 * process clears every process's cache at once ("tenant.updated" through the broadcast); the
 * time limit only bounds how long a lost message could leave a stale name or contact.
 */
export async function publicTenant(platform: Platform, slug: string): Promise<TenantInfo> {
  if (!SLUG_PATTERN.test(slug)) throw new AppError("not_found");
  const cache = cacheOf(platform);
  const now = Date.now();
  const hit = cache.entries.get(slug);
  if (hit && hit.until > now) return hit.tenant;
  const generation = cache.generation;
  const [row] = await inTransaction(platform.db, {}, (tx) =>
    tx
      .select()
      .from(tenants)
      .where(and(eq(tenants.slug, slug), ne(tenants.kind, "national"))),
  );
  if (!row) throw new AppError("not_found");
  const tenant: TenantInfo = {
    id: row.id,
    slug: row.slug,
    name: row.name,
    kind: row.kind,
    contact: { phone: row.contactPhone, email: row.contactEmail, hours: row.contactHours },
  };
  if (cache.generation !== generation) return tenant;
  if (cache.entries.size > 20_000) cache.entries.clear();
  cache.entries.set(slug, { tenant, until: now + TTL_MS });
  return tenant;
}

/** Forgets the cached lookups of this platform (a municipality changed, in whichever process). */
export function publicTenantCacheClear(platform: Platform): void {
  const cache = cacheOf(platform);
  cache.entries.clear();
  cache.generation += 1;
}
