import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { berlinDate } from "../../platform/calendar.ts";
import { type NavProvider, viewContext } from "../../platform/http/context.ts";
import { requireActor, requireTenant } from "../../platform/http/guards.ts";
import type { Platform } from "../../platform/platform.ts";
import { html } from "../../platform/ui/html.ts";
import { actionPlan, type Measure, measureOf, progressOf, readMeasureForm, saveMeasure } from "./action-plan.ts";
import { ActionPlanPage, MeasurePage } from "./action-plan-view.ts";
import { formValues, one } from "./forms.ts";
import type { TenantRef } from "./library.ts";
import { strategyPolicy } from "./policy.ts";

const FIELDS = ["goal", "title", "owner", "dueOn", "status", "progress"] as const;

/** The action plan under /wissen/strategie/massnahmen: the plan with its progress, a measure, the form. */
export function registerActionPlanRoutes(app: FastifyInstance, platform: Platform, nav: NavProvider) {
  const ctx = (request: FastifyRequest) => viewContext(request, nav);
  const tenantOf = (request: FastifyRequest): TenantRef => {
    const t = requireTenant(request);
    return { id: t.id, kind: t.kind };
  };
  const idOf = (request: FastifyRequest) => (request.params as Record<string, string>).id;
  const valuesOf = (m: Measure): Record<string, string> => Object.fromEntries(FIELDS.map((f) => [f, String(m[f])]));
  const goalsOf = async (request: FastifyRequest) => {
    const { actor } = requireActor(request);
    return [...new Set((await actionPlan(platform, actor, tenantOf(request))).map((m) => m.goal))];
  };
  const form = async (
    request: FastifyRequest,
    reply: FastifyReply,
    title: string,
    action: string,
    values: Record<string, string>,
    errors: Record<string, string>,
    status = 200,
  ) =>
    reply.page(
      html`<${MeasurePage} ctx=${ctx(request)} title=${title} action=${action} values=${values} errors=${errors} goals=${await goalsOf(request)} />`,
      status,
    );

  app.get("/wissen/strategie/massnahmen", async (request, reply) => {
    const { actor } = requireActor(request);
    const tenant = tenantOf(request);
    const list = await actionPlan(platform, actor, tenant);
    const progress = progressOf(list, berlinDate(platform.clock.now()));
    return reply.page(html`<${ActionPlanPage} ctx=${ctx(request)} list=${list} progress=${progress} canWrite=${strategyPolicy.can(actor, "write", tenant)} />`);
  });

  app.get("/wissen/strategie/massnahmen/neu", async (request, reply) => {
    const { actor } = requireActor(request);
    strategyPolicy.authorize(actor, "write", tenantOf(request));
    const values = { goal: "", title: "", owner: "", dueOn: berlinDate(platform.clock.now(), 90), status: "planned", progress: "" };
    return form(request, reply, request.t("knowledge.plan.add"), "/wissen/strategie/massnahmen/neu", values, {});
  });

  app.post("/wissen/strategie/massnahmen/neu", async (request, reply) => {
    const { actor } = requireActor(request);
    const tenant = tenantOf(request);
    strategyPolicy.authorize(actor, "write", tenant);
    const raw = formValues(request.body);
    const read = readMeasureForm(raw, request.t);
    if (!read.ok)
      return form(
        request,
        reply,
        request.t("knowledge.plan.add"),
        "/wissen/strategie/massnahmen/neu",
        Object.fromEntries(FIELDS.map((f) => [f, one(raw[f])])),
        read.errors,
        400,
      );
    await saveMeasure(platform, actor, tenant, null, read.input);
    return reply.flash({ kind: "success", message: request.t("knowledge.plan.saved") }).redirect("/wissen/strategie/massnahmen", 303);
  });

  app.get("/wissen/strategie/massnahmen/:id", async (request, reply) => {
    const { actor } = requireActor(request);
    const tenant = tenantOf(request);
    const measure = await measureOf(platform, actor, tenant, idOf(request));
    if (!strategyPolicy.can(actor, "write", tenant))
      return reply.page(
        html`<${MeasurePage} ctx=${ctx(request)} title=${measure.title} action=${null} values=${valuesOf(measure)} errors=${{}} goals=${[]} />`,
      );
    return form(request, reply, measure.title, `/wissen/strategie/massnahmen/${measure.id}`, valuesOf(measure), {});
  });

  app.post("/wissen/strategie/massnahmen/:id", async (request, reply) => {
    const { actor } = requireActor(request);
    const tenant = tenantOf(request);
    strategyPolicy.authorize(actor, "write", tenant);
    const measure = await measureOf(platform, actor, tenant, idOf(request));
    const raw = formValues(request.body);
    const read = readMeasureForm(raw, request.t);
    if (!read.ok)
      return form(
        request,
        reply,
        measure.title,
        `/wissen/strategie/massnahmen/${measure.id}`,
        Object.fromEntries(FIELDS.map((f) => [f, one(raw[f])])),
        read.errors,
        400,
      );
    await saveMeasure(platform, actor, tenant, measure.id, read.input);
    return reply.flash({ kind: "success", message: request.t("knowledge.plan.saved") }).redirect("/wissen/strategie/massnahmen", 303);
  });
}
