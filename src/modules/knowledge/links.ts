import { and, eq, ne } from "drizzle-orm";
import { inTransaction } from "../../platform/db/client.ts";
import { tenants } from "../../platform/db/schema.ts";
import type { Platform } from "../../platform/platform.ts";

/*
 * The links people follow without an account (a staff survey, a live poll, a comment round) name
 * the municipality by its short name: `/<slug>/befragung/<token>` and alike.
 */

const SLUG = /^[a-z0-9]+(-[a-z0-9]+)*$/;

/** The municipality a link names (never the national level), or null for a malformed or unknown name. */
export async function municipalityOfLink(platform: Pick<Platform, "db">, slug: string): Promise<{ id: string; name: string } | null> {
  if (!SLUG.test(slug) || slug.length > 100) return null;
  const [tenant] = await inTransaction(platform.db, {}, (tx) =>
    tx
      .select({ id: tenants.id, name: tenants.name })
      .from(tenants)
      .where(and(eq(tenants.slug, slug), ne(tenants.kind, "national"))),
  );
  return tenant ?? null;
}
