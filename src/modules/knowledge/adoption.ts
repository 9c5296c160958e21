import { and, eq, sql } from "drizzle-orm";
import { appendAudit } from "../../platform/audit/audit.ts";
import { type Actor, hasRole, NotFoundError } from "../../platform/authz/policy.ts";
import { withTenant } from "../../platform/db/client.ts";
import type { Platform } from "../../platform/platform.ts";
import { practiceAdopted, practiceFeedbackGiven } from "./events.ts";
import { loadPractice, refOf, type TenantRef } from "./library.ts";
import { practicePolicy } from "./policy.ts";
import { practiceAdoptions, practiceFeedback, practices } from "./schema.ts";

/* Knowledge that travels: a municipality adopts another's practice as a linked copy, and says whether it worked. */

/** Takes a published practice into the viewer's workspace as a draft of its own, linked to its origin. */
export async function adoptPractice(
  platform: Pick<Platform, "db" | "clock" | "domainEvents">,
  actor: Actor,
  tenant: TenantRef,
  id: string,
): Promise<{ copyId: string; created: boolean }> {
  const now = platform.clock.now();
  const { copyId, created, eventId } = await withTenant(
    platform.db,
    tenant.id,
    async (tx) => {
      const origin = await loadPractice(tx, id);
      if (!origin) throw new NotFoundError();
      // Those who may adopt are a municipality's admins; the copy made earlier is theirs to be told of.
      if (!hasRole(actor, tenant.id, "municipal_admin")) throw new NotFoundError();
      // One adoption at a time per municipality: a second, at the same moment, finds the first's copy.
      await tx.execute(sql`select 1 from tenants where id = ${tenant.id} for update`);
      const [existing] = await tx
        .select({ copyId: practiceAdoptions.copyId })
        .from(practiceAdoptions)
        .where(and(eq(practiceAdoptions.tenantId, tenant.id), eq(practiceAdoptions.originId, id)));
      if (existing) return { copyId: existing.copyId, created: false, eventId: null };
      practicePolicy.authorize(actor, "adopt", refOf(origin, tenant, false));
      const [copy] = await tx
        .insert(practices)
        .values({
          tenantId: tenant.id,
          kind: origin.kind,
          title: origin.title,
          summary: origin.summary,
          body: origin.body,
          tags: origin.tags,
          dimensions: origin.dimensions,
          modules: origin.modules,
          visibility: "internal",
          status: "draft",
          originId: origin.id,
          originVersion: origin.publishedVersion ?? origin.version,
          createdBy: actor.userId,
          createdAt: now,
          updatedAt: now,
        })
        .returning({ id: practices.id });
      await tx.insert(practiceAdoptions).values({
        tenantId: tenant.id,
        originTenantId: origin.tenantId,
        originId: origin.id,
        originVersion: origin.publishedVersion ?? origin.version,
        copyId: copy.id,
        adoptedBy: actor.userId,
        adoptedAt: now,
      });
      await appendAudit(
        tx,
        { tenantId: tenant.id, actorId: actor.userId, action: "practice.adopted", objectType: "practice", objectId: copy.id, details: { origin: origin.id } },
        now,
      );
      const eventId = await platform.domainEvents.emit(tx, practiceAdopted, tenant.id, {
        originTenantId: origin.tenantId,
        originId: origin.id,
        originVersion: origin.publishedVersion ?? origin.version,
        copyId: copy.id,
      });
      return { copyId: copy.id, created: true, eventId };
    },
    actor.userId,
  );
  if (eventId) await platform.domainEvents.deliver(tenant.id, [eventId]);
  return { copyId, created };
}

/** "Did it work for you?" — the adopting municipality's answer, changed when given again. */
export async function givePracticeFeedback(
  platform: Pick<Platform, "db" | "clock" | "domainEvents">,
  actor: Actor,
  tenant: TenantRef,
  id: string,
  input: { score: number; text: string },
): Promise<void> {
  const now = platform.clock.now();
  const eventId = await withTenant(
    platform.db,
    tenant.id,
    async (tx) => {
      const origin = await loadPractice(tx, id);
      if (!origin) throw new NotFoundError();
      const [adopted] = await tx
        .select({ id: practiceAdoptions.id })
        .from(practiceAdoptions)
        .where(and(eq(practiceAdoptions.tenantId, tenant.id), eq(practiceAdoptions.originId, id)));
      practicePolicy.authorize(actor, "feedback", refOf(origin, tenant, !!adopted));
      await tx
        .insert(practiceFeedback)
        .values({
          tenantId: tenant.id,
          originId: id,
          originTenantId: origin.tenantId,
          score: input.score,
          text: input.text,
          givenBy: actor.userId,
          givenAt: now,
        })
        .onConflictDoUpdate({
          target: [practiceFeedback.tenantId, practiceFeedback.originId],
          set: { score: input.score, text: input.text, givenBy: actor.userId, givenAt: now },
        });
      await appendAudit(tx, { tenantId: tenant.id, actorId: actor.userId, action: "practice.feedback", objectType: "practice", objectId: id }, now);
      return platform.domainEvents.emit(tx, practiceFeedbackGiven, tenant.id, { originTenantId: origin.tenantId, originId: id, score: input.score });
    },
    actor.userId,
  );
  await platform.domainEvents.deliver(tenant.id, [eventId]);
}
