import type { FastifyInstance } from "fastify";
import { requireActor } from "../../platform/http/guards.ts";
import type { Platform } from "../../platform/platform.ts";
import { findTenant } from "./commands.ts";
import { decideRole } from "./role-confirmations.ts";

/** A second person confirms or refuses a role that opens every case (listed on the people page, `#freigaben`). */
export function registerRoleConfirmationRoutes(app: FastifyInstance, platform: Platform) {
  for (const [path, decision] of [
    ["bestaetigen", "confirm"],
    ["ablehnen", "refuse"],
  ] as const) {
    app.post(`/verwaltung/kommunen/:slug/freigaben/:id/${path}`, async (request, reply) => {
      const { actor } = requireActor(request);
      const { slug, id } = request.params as { slug: string; id: string };
      const tenant = await findTenant(platform, actor, slug);
      const done = await decideRole(platform, actor, tenant, id, decision, request.t);
      const t = request.t;
      const message = t(decision === "confirm" ? "admin.confirmations.confirmed" : "admin.confirmations.refused", {
        name: done.name,
        role: t(`roles.${done.role}`),
      });
      return reply.flash({ kind: "success", message }).redirect(`/verwaltung/kommunen/${tenant.slug}/personen`, 303);
    });
  }
}
