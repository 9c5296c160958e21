import type { FastifyInstance, FastifyRequest } from "fastify";
import { type NavProvider, viewContext } from "../../platform/http/context.ts";
import { requireActor, requireTenant } from "../../platform/http/guards.ts";
import type { Platform } from "../../platform/platform.ts";
import { html } from "../../platform/ui/html.ts";
import { LAND_CODES, LANDS } from "../../platform/vocabulary.ts";
import { entryFormValues, formValues, readEntryForm, type Values } from "./forms.ts";
import { adoptNationalEntry, nationalDirectory, nationalEntry, removeNationalEntry, saveNationalEntry, takeNationalChanges } from "./national.ts";
import { NationalDirectoryPage } from "./national-view.ts";
import { nationalDirectoryPolicy } from "./policy.ts";
import { nationalEntryFields } from "./schemas.ts";
import { PartnerFormPage } from "./views.ts";

/** The national directory: the national level keeps it, a municipality takes entries into its alliance. */
export function registerNationalDirectoryRoutes(app: FastifyInstance, platform: Platform, nav: NavProvider) {
  const ctx = (request: FastifyRequest) => viewContext(request, nav);
  const tenantOf = (request: FastifyRequest) => {
    const t = requireTenant(request);
    return { id: t.id, slug: t.slug, name: t.name, kind: t.kind };
  };
  const idOf = (request: FastifyRequest) => (request.params as Record<string, string>).id;
  const lands = LAND_CODES.map((l) => ({ value: l, label: LANDS[l] }));

  app.get("/allianz/bundesweit", async (request, reply) => {
    const { actor } = requireActor(request);
    const dir = await nationalDirectory(platform, actor, tenantOf(request));
    return reply.page(html`<${NationalDirectoryPage} ctx=${ctx(request)} dir=${dir} />`);
  });

  const form = (request: FastifyRequest, action: string, title: string, values: Values, errors: Record<string, string>, remove?: string) =>
    html`<${PartnerFormPage} ctx=${ctx(request)} action=${action} title=${title} values=${values} errors=${errors} cancel="/allianz/bundesweit" lands=${lands} remove=${remove} />`;

  app.get("/allianz/bundesweit/neu", async (request, reply) => {
    const { actor } = requireActor(request);
    nationalDirectoryPolicy.authorize(actor, "edit", tenantOf(request));
    return reply.page(form(request, "/allianz/bundesweit/neu", request.t("alliance.national.add"), {}, {}));
  });

  app.post("/allianz/bundesweit/neu", async (request, reply) => {
    const { actor } = requireActor(request);
    const tenant = tenantOf(request);
    nationalDirectoryPolicy.authorize(actor, "edit", tenant);
    const values = formValues(request.body);
    const read = readEntryForm(nationalEntryFields, values, request.t);
    if (!read.ok) return reply.page(form(request, "/allianz/bundesweit/neu", request.t("alliance.national.add"), values, read.errors), 400);
    await saveNationalEntry(platform, actor, tenant, null, read.input);
    return reply.flash({ kind: "success", message: request.t("alliance.national.created", { name: read.input.name }) }).redirect("/allianz/bundesweit", 303);
  });

  app.get("/allianz/bundesweit/:id/bearbeiten", async (request, reply) => {
    const { actor } = requireActor(request);
    const entry = await nationalEntry(platform, actor, tenantOf(request), idOf(request));
    const title = request.t("alliance.partner.editTitle", { name: entry.name });
    const values = { ...entryFormValues(entry), land: entry.land };
    return reply.page(form(request, `/allianz/bundesweit/${entry.id}/bearbeiten`, title, values, {}, `/allianz/bundesweit/${entry.id}/entfernen`));
  });

  app.post("/allianz/bundesweit/:id/bearbeiten", async (request, reply) => {
    const { actor } = requireActor(request);
    const tenant = tenantOf(request);
    const entry = await nationalEntry(platform, actor, tenant, idOf(request));
    const values = formValues(request.body);
    const read = readEntryForm(nationalEntryFields, values, request.t);
    const title = request.t("alliance.partner.editTitle", { name: entry.name });
    if (!read.ok) return reply.page(form(request, `/allianz/bundesweit/${entry.id}/bearbeiten`, title, values, read.errors), 400);
    await saveNationalEntry(platform, actor, tenant, entry.id, read.input);
    return reply.flash({ kind: "success", message: request.t("alliance.partner.saved", { name: read.input.name }) }).redirect("/allianz/bundesweit", 303);
  });

  app.post("/allianz/bundesweit/:id/entfernen", async (request, reply) => {
    const { actor } = requireActor(request);
    const tenant = tenantOf(request);
    const entry = await nationalEntry(platform, actor, tenant, idOf(request));
    await removeNationalEntry(platform, actor, tenant, entry.id);
    return reply.flash({ kind: "success", message: request.t("alliance.partner.removed", { name: entry.name }) }).redirect("/allianz/bundesweit", 303);
  });

  app.post("/allianz/bundesweit/:id/uebernehmen", async (request, reply) => {
    const { actor } = requireActor(request);
    const { id, created } = await adoptNationalEntry(platform, actor, tenantOf(request), idOf(request));
    const message = request.t(created ? "alliance.national.adopted" : "alliance.national.alreadyAdopted");
    return reply.flash({ kind: created ? "success" : "info", message }).redirect(`/allianz/partner/${id}`, 303);
  });

  app.post("/allianz/partner/:id/abgleichen", async (request, reply) => {
    const { actor } = requireActor(request);
    await takeNationalChanges(platform, actor, tenantOf(request), idOf(request));
    return reply.flash({ kind: "success", message: request.t("alliance.national.taken") }).redirect(`/allianz/partner/${idOf(request)}`, 303);
  });
}
