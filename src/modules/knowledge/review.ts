import { and, eq } from "drizzle-orm";
import { appendAudit } from "../../platform/audit/audit.ts";
import { type Actor, NotFoundError } from "../../platform/authz/policy.ts";
import { withTenant } from "../../platform/db/client.ts";
import { tenants } from "../../platform/db/schema.ts";
import type { Platform } from "../../platform/platform.ts";
import { practicePublished } from "./events.ts";
import { columns, loadPractice, type Practice, PracticeChangedError, refOf } from "./library.ts";
import { libraryPolicy, practicePolicy } from "./policy.ts";
import { practices } from "./schema.ts";

/* The national level's review: what waits, and publishing a practice or giving it back with a note. */

/** A practice waiting for review, as the national level reads it (national admins only). */
async function inReview(platform: Pick<Platform, "db">, actor: Actor, id: string): Promise<Practice | undefined> {
  libraryPolicy.authorize(actor, "reviewQueue", { id: actor.nationalTenantId, kind: "national" });
  const found = await withTenant(platform.db, actor.nationalTenantId, (tx) => loadPractice(tx, id), actor.userId);
  return found?.status === "in_review" ? found : undefined;
}

/** Practices waiting for review across the network (national level), oldest first. */
export async function reviewQueue(platform: Pick<Platform, "db">, actor: Actor): Promise<Practice[]> {
  libraryPolicy.authorize(actor, "reviewQueue", { id: actor.nationalTenantId, kind: "national" });
  return withTenant(
    platform.db,
    actor.nationalTenantId,
    async (tx) =>
      (await tx
        .select(columns)
        .from(practices)
        .innerJoin(tenants, eq(tenants.id, practices.tenantId))
        .where(eq(practices.status, "in_review"))
        .orderBy(practices.updatedAt)) as Practice[],
    actor.userId,
  );
}

/**
 * The national level publishes a practice in review, or gives it back to its authors with a note —
 * the version it read (`version`): if the authors withdrew and changed it meanwhile, nothing happens.
 */
export async function reviewPractice(
  platform: Pick<Platform, "db" | "clock" | "domainEvents">,
  actor: Actor,
  id: string,
  decision: { approve: true; note?: string } | { approve: false; note: string },
  version?: number,
): Promise<Practice> {
  const found = await inReview(platform, actor, id);
  if (!found) throw new NotFoundError();
  if (version !== undefined && found.version !== version) throw new PracticeChangedError();
  practicePolicy.authorize(actor, "review", refOf(found, { id: actor.nationalTenantId, kind: "national" }, false));
  const now = platform.clock.now();
  const eventId = await withTenant(
    platform.db,
    found.tenantId,
    async (tx) => {
      // The row as it was read: in review, at the version read (a change in between leaves it untouched).
      const where = and(eq(practices.tenantId, found.tenantId), eq(practices.id, id), eq(practices.status, "in_review"), eq(practices.version, found.version));
      if (!decision.approve) {
        const returned = await tx
          .update(practices)
          .set({ status: "draft", reviewNote: decision.note, reviewedBy: actor.userId, updatedAt: now })
          .where(where)
          .returning({ id: practices.id });
        if (returned.length === 0) throw new PracticeChangedError();
        await appendAudit(tx, { tenantId: found.tenantId, actorId: actor.userId, action: "practice.returned", objectType: "practice", objectId: id }, now);
        return null;
      }
      const published = await tx
        .update(practices)
        .set({
          status: "published",
          publishedVersion: found.version,
          publishedAt: now,
          // A note given with the approval goes to the authors, as one given with a return does.
          reviewNote: decision.note || null,
          reviewedBy: actor.userId,
          updatedAt: now,
        })
        .where(where)
        .returning({ id: practices.id });
      if (published.length === 0) throw new PracticeChangedError();
      await appendAudit(tx, { tenantId: found.tenantId, actorId: actor.userId, action: "practice.published", objectType: "practice", objectId: id }, now);
      return platform.domainEvents.emit(tx, practicePublished, found.tenantId, {
        practiceId: id,
        version: found.version,
        visibility: found.visibility === "public" ? "public" : "network",
      });
    },
    actor.userId,
  );
  if (eventId) await platform.domainEvents.deliver(found.tenantId, [eventId]);
  return found;
}
