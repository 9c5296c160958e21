import type { FastifyInstance, FastifyRequest } from "fastify";
import { NotFoundError } from "../../platform/authz/policy.ts";
import { type NavProvider, viewContext } from "../../platform/http/context.ts";
import { requireActor, requireTenant } from "../../platform/http/guards.ts";
import type { Platform } from "../../platform/platform.ts";
import { html } from "../../platform/ui/html.ts";
import { ALL_QUESTIONS, assessmentHistory, assessmentOf, peerMedians, readAssessmentForm, takeAssessment } from "./assessment.ts";
import { AssessmentDetailPage, AssessmentFormPage, AssessmentOverviewPage, AssessmentPage } from "./assessment-view.ts";
import { formValues, one } from "./forms.ts";
import type { TenantRef } from "./library.ts";
import { assessmentPolicy } from "./policy.ts";

/** The self-assessment's pages: results and history, the questionnaire, one past self-assessment. */
export function registerAssessmentRoutes(app: FastifyInstance, platform: Platform, nav: NavProvider) {
  const ctx = (request: FastifyRequest) => viewContext(request, nav);
  const tenantOf = (request: FastifyRequest): TenantRef => {
    const t = requireTenant(request);
    return { id: t.id, kind: t.kind };
  };

  app.get("/wissen/selbstcheck", async (request, reply) => {
    const { actor } = requireActor(request);
    const tenant = tenantOf(request);
    if (tenant.kind === "national") {
      assessmentPolicy.authorize(actor, "overview", tenant);
      return reply.page(html`<${AssessmentOverviewPage} ctx=${ctx(request)} peers=${await peerMedians(platform)} />`);
    }
    const history = await assessmentHistory(platform, actor, tenant);
    const peers = await peerMedians(platform, tenant.id);
    return reply.page(html`<${AssessmentPage} ctx=${ctx(request)} history=${history} peers=${peers} canTake=${assessmentPolicy.can(actor, "take", tenant)} />`);
  });

  /** The questionnaire, filled in with the latest answers so that a second round asks only what changed. */
  app.get("/wissen/selbstcheck/neu", async (request, reply) => {
    const { actor } = requireActor(request);
    const tenant = tenantOf(request);
    assessmentPolicy.authorize(actor, "take", tenant);
    const [latest] = await assessmentHistory(platform, actor, tenant);
    const values: Record<string, string> = {};
    for (const q of ALL_QUESTIONS) if (latest && q.field in latest.answers) values[q.field] = String(latest.answers[q.field]);
    return reply.page(html`<${AssessmentFormPage} ctx=${ctx(request)} values=${values} errors=${{}} prefilledFrom=${latest?.takenAt ?? null} />`);
  });

  app.post("/wissen/selbstcheck/neu", async (request, reply) => {
    const { actor } = requireActor(request);
    const tenant = tenantOf(request);
    assessmentPolicy.authorize(actor, "take", tenant);
    const raw = formValues(request.body);
    const read = readAssessmentForm(raw);
    if (!read.ok) {
      const values: Record<string, string> = {};
      for (const q of ALL_QUESTIONS) values[q.field] = one(raw[q.field]);
      const errors = Object.fromEntries(
        read.missing.map((field) => {
          const q = ALL_QUESTIONS.find((x) => x.field === field);
          return [field, request.t("errors.knowledge.answer", { statement: request.t(`knowledge.assessment.q.${q?.dimension}.${q?.key}`) })];
        }),
      );
      return reply.page(html`<${AssessmentFormPage} ctx=${ctx(request)} values=${values} errors=${errors} prefilledFrom=${null} />`, 400);
    }
    await takeAssessment(platform, actor, tenant, read.answers);
    return reply.flash({ kind: "success", message: request.t("knowledge.assessment.saved") }).redirect("/wissen/selbstcheck", 303);
  });

  app.get("/wissen/selbstcheck/:id", async (request, reply) => {
    const { actor } = requireActor(request);
    const tenant = tenantOf(request);
    if (tenant.kind === "national") throw new NotFoundError();
    const assessment = await assessmentOf(platform, actor, tenant, (request.params as Record<string, string>).id);
    return reply.page(html`<${AssessmentDetailPage} ctx=${ctx(request)} assessment=${assessment} />`);
  });
}
