import type { FastifyInstance, FastifyRequest } from "fastify";
import { type NavProvider, viewContext } from "../../platform/http/context.ts";
import { requireActor, requireTenant } from "../../platform/http/guards.ts";
import { acceptUploads, uploadedFile } from "../../platform/http/multipart.ts";
import type { Platform } from "../../platform/platform.ts";
import { html } from "../../platform/ui/html.ts";
import { authorizeEdit, importPartners, partnersForExport } from "./commands.ts";
import { partnersCsv, readPartnersCsv } from "./csv.ts";
import { ImportPage } from "./import-view.ts";

/** A spreadsheet of partners is small: a thousand rows stay far below this. */
const MAX_FILE_BYTES = 1_000_000;

/** The directory as CSV for everyone who reads it; the import for those who keep it. */
export function registerAllianceCsvRoutes(app: FastifyInstance, platform: Platform, nav: NavProvider) {
  const tenantOf = (request: FastifyRequest) => {
    const t = requireTenant(request);
    return { id: t.id, slug: t.slug, name: t.name, kind: t.kind };
  };

  app.get("/allianz/partner.csv", async (request, reply) => {
    const { actor } = requireActor(request);
    const tenant = tenantOf(request);
    const template = (request.query as Record<string, unknown> | undefined)?.vorlage !== undefined;
    const partners = await partnersForExport(platform, actor, tenant);
    const name = template ? "allianz-vorlage.csv" : `allianz-${tenant.slug}.csv`;
    return reply
      .header("content-type", "text/csv; charset=utf-8")
      .header("content-disposition", `attachment; filename="${name}"`)
      .header("cache-control", "private, no-store")
      .send(partnersCsv(template ? [] : partners, request.t));
  });

  app.register(async (scope) => {
    await acceptUploads(scope, { maxFileBytes: MAX_FILE_BYTES, fields: 5, admit: (request) => authorizeEdit(requireActor(request).actor, tenantOf(request)) });

    scope.get("/allianz/import", async (request, reply) => {
      const { actor } = requireActor(request);
      authorizeEdit(actor, tenantOf(request));
      return reply.page(html`<${ImportPage} ctx=${viewContext(request, nav)} />`);
    });

    scope.post("/allianz/import", async (request, reply) => {
      const { actor } = requireActor(request);
      const tenant = tenantOf(request);
      authorizeEdit(actor, tenant);
      const ctx = viewContext(request, nav);
      const file = uploadedFile(request.body, "datei");
      const refuse = (fileError: string) => reply.page(html`<${ImportPage} ctx=${ctx} fileError=${fileError} />`, 400);
      if (!file) return refuse(request.t("alliance.csv.noFile"));
      const bytes = await file.bytes();
      if (file.truncated) return refuse(request.t("alliance.csv.tooLarge"));
      const result = readPartnersCsv(bytes);
      if (!result.ok) return reply.page(html`<${ImportPage} ctx=${ctx} problems=${result.problems} />`, 400);
      const count = await importPartners(platform, actor, tenant, result.partners);
      return reply.flash({ kind: "success", message: request.t("alliance.csv.imported", { count }) }).redirect("/allianz", 303);
    });
  });
}
