import { and, eq, ne } from "drizzle-orm";
import { inTransaction } from "../../platform/db/client.ts";
import { tenants } from "../../platform/db/schema.ts";
import { AppError } from "../../platform/http/errors.ts";
import type { Platform } from "../../platform/platform.ts";
import type { TenantInfo } from "./commands.ts";

const TTL_MS = 30_000;
/** The form of every municipality's slug (tenants_slug_check); anything else cannot exist. */
const SLUG = /^[a-z0-9]{1,60}(-[a-z0-9]{1,60}){0,10}$/;
const cache = new Map<string, { tenant: TenantInfo; until: number }>();

/**
 * The municipality behind a public reporting address. Public intake is the hot path, and
 * municipalities change rarely, so lookups are kept for 30 seconds (a renamed slug takes
 * that long to reach every process).
 */
export async function publicTenant(platform: Platform, slug: string): Promise<TenantInfo> {
  if (!SLUG.test(slug)) throw new AppError("not_found");
  const now = Date.now();
  const hit = cache.get(slug);
  if (hit && hit.until > now) return hit.tenant;
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
  if (cache.size > 20_000) cache.clear();
  cache.set(slug, { tenant, until: now + TTL_MS });
  return tenant;
}

/** Forgets cached lookups (after a municipality's settings changed in this process). */
export function publicTenantCacheClear(): void {
  cache.clear();
}
