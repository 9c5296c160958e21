import type { FastifyInstance, FastifyRequest } from "fastify";
import { type NavProvider, viewContext } from "../../platform/http/context.ts";
import { requireActor } from "../../platform/http/guards.ts";
import type { Platform } from "../../platform/platform.ts";
import { html } from "../../platform/ui/html.ts";
import { tenantOf } from "./case-page.ts";
import { changesOf, formOf, procedureFromForm, procedureOverview, saveProcedure } from "./procedure-editor.ts";
import { ProcedurePage } from "./procedure-view.ts";

/** The municipality's clearing procedure at /faelle/verfahren: read by the office, edited (with a preview) by admins. */
export function registerProcedureRoutes(app: FastifyInstance, platform: Platform, nav: NavProvider) {
  const page = async (request: FastifyRequest, _status: number, parsed?: ReturnType<typeof procedureFromForm>, previewing = false) => {
    const { actor } = requireActor(request);
    const overview = await procedureOverview(platform, actor, tenantOf(request));
    const errors = parsed && !parsed.ok ? Object.fromEntries(Object.entries(parsed.errors).map(([k, key]) => [k, request.t(key)])) : {};
    const preview = previewing && parsed?.ok ? { procedure: parsed.procedure, changed: changesOf(overview.current.procedure, parsed.procedure) } : undefined;
    const form = parsed?.form ?? formOf(overview.current.procedure);
    return html`<${ProcedurePage} ctx=${viewContext(request, nav)} overview=${overview} form=${form} errors=${errors} preview=${preview} />`;
  };

  app.get("/faelle/verfahren", async (request, reply) => reply.page(await page(request, 200)));

  // The preview stores nothing: the form comes back with the procedure as it would read.
  app.post("/faelle/verfahren/vorschau", async (request, reply) => {
    const parsed = procedureFromForm(request.body);
    return reply.page(await page(request, parsed.ok ? 200 : 400, parsed, true), parsed.ok ? 200 : 400);
  });

  app.post("/faelle/verfahren", async (request, reply) => {
    const { actor } = requireActor(request);
    const parsed = procedureFromForm(request.body);
    if (!parsed.ok) return reply.page(await page(request, 400, parsed), 400);
    const version = await saveProcedure(platform, actor, tenantOf(request), parsed.procedure);
    return reply.flash({ kind: "success", message: request.t("cases.procedure.saved", { version }) }).redirect("/faelle/verfahren", 303);
  });
}
