import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { NotFoundError } from "../../platform/authz/policy.ts";
import { berlinDate } from "../../platform/calendar.ts";
import { type NavProvider, viewContext } from "../../platform/http/context.ts";
import { requireActor, requireTenant } from "../../platform/http/guards.ts";
import type { Platform } from "../../platform/platform.ts";
import { html } from "../../platform/ui/html.ts";
import { formValues, one } from "./forms.ts";
import type { TenantRef } from "./library.ts";
import { surveyPolicy } from "./policy.ts";
import {
  closeSurvey,
  countAnswer,
  isOpen,
  openSurvey,
  readSurveyAnswers,
  readSurveyForm,
  renewSurveyLink,
  surveyByLink,
  surveyList,
  surveyResults,
} from "./survey.ts";
import { SurveyAnswerPage, SurveyListPage, SurveyPage } from "./survey-view.ts";

/** A browser that has answered a survey keeps its id here (nothing else), so that it is not asked twice by accident. */
const ANSWERED_COOKIE = "komma_befragt";

/** The staff survey: the admins' pages under /wissen/befragungen, and where staff answer, /<municipality>/befragung/<token>. */
export function registerSurveyRoutes(app: FastifyInstance, platform: Platform, nav: NavProvider) {
  const ctx = (request: FastifyRequest) => viewContext(request, nav);
  const tenantOf = (request: FastifyRequest): TenantRef => {
    const t = requireTenant(request);
    return { id: t.id, kind: t.kind };
  };
  const idOf = (request: FastifyRequest) => (request.params as Record<string, string>).id;
  const linkOf = (request: FastifyRequest, token: string) => `${platform.config.publicUrl}/${requireTenant(request).slug}/befragung/${token}`;

  /** The link is shown once (it is kept as a hash), on the survey's page after the redirect. */
  const revealLink = (request: FastifyRequest, reply: FastifyReply, id: string, token: string) =>
    reply
      .flash({
        kind: "info",
        message: request.t("knowledge.survey.linkOnce"),
        reveal: [{ label: request.t("knowledge.survey.linkTitle"), value: linkOf(request, token) }],
      })
      .redirect(`/wissen/befragungen/${id}`, 303);

  const listPage = async (request: FastifyRequest, reply: FastifyReply, values: Record<string, string>, errors: Record<string, string>, status = 200) => {
    const { actor } = requireActor(request);
    const tenant = tenantOf(request);
    const list = await surveyList(platform, actor, tenant);
    return reply.page(
      html`<${SurveyListPage} ctx=${ctx(request)} list=${list} now=${platform.clock.now()} canManage=${surveyPolicy.can(actor, "manage", tenant)}
        values=${values} errors=${errors} />`,
      status,
    );
  };

  app.get("/wissen/befragungen", async (request, reply) => {
    const now = platform.clock.now();
    return listPage(
      request,
      reply,
      { title: request.t("knowledge.survey.defaultTitle", { year: berlinDate(now).slice(0, 4) }), closesOn: berlinDate(now, 28) },
      {},
    );
  });

  app.post("/wissen/befragungen", async (request, reply) => {
    const { actor } = requireActor(request);
    const tenant = tenantOf(request);
    surveyPolicy.authorize(actor, "manage", tenant);
    const values = formValues(request.body);
    const read = readSurveyForm(values, platform.clock.now(), request.t);
    if (!read.ok) return listPage(request, reply, { title: one(values.title), closesOn: one(values.closesOn) }, read.errors, 400);
    const { id, token } = await openSurvey(platform, actor, tenant, read);
    return revealLink(request, reply, id, token);
  });

  app.get("/wissen/befragungen/:id", async (request, reply) => {
    const { actor } = requireActor(request);
    const tenant = tenantOf(request);
    const results = await surveyResults(platform, actor, tenant, idOf(request));
    return reply.page(html`<${SurveyPage} ctx=${ctx(request)} results=${results} canManage=${surveyPolicy.can(actor, "manage", tenant)} />`);
  });

  app.post("/wissen/befragungen/:id/link", async (request, reply) => {
    const { actor } = requireActor(request);
    const tenant = tenantOf(request);
    const token = await renewSurveyLink(platform, actor, tenant, idOf(request));
    return revealLink(request, reply, idOf(request), token);
  });

  app.post("/wissen/befragungen/:id/beenden", async (request, reply) => {
    const { actor } = requireActor(request);
    await closeSurvey(platform, actor, tenantOf(request), idOf(request));
    return reply.flash({ kind: "success", message: request.t("knowledge.survey.closedNow") }).redirect(`/wissen/befragungen/${idOf(request)}`, 303);
  });

  /* ------------------------------------------------------------------ where staff answer */

  const linkParams = (request: FastifyRequest) => request.params as { slug: string; token: string };
  const found = async (request: FastifyRequest) => {
    const { slug, token } = linkParams(request);
    const hit = await surveyByLink(platform, slug, token);
    if (!hit) throw new NotFoundError();
    return hit;
  };
  const answerPage = (
    request: FastifyRequest,
    reply: FastifyReply,
    hit: Awaited<ReturnType<typeof found>>,
    state: "form" | "thanks" | "ended",
    values: Record<string, string> = {},
    errors: Record<string, string> = {},
    status = 200,
  ) => {
    const { slug, token } = linkParams(request);
    // Nobody but the person answering should keep this page: no cache, no referrer that carries the link.
    reply.header("referrer-policy", "no-referrer");
    return reply.page(
      html`<${SurveyAnswerPage} ctx=${ctx(request)} tenantName=${hit.tenantName} slug=${slug} survey=${hit.survey} state=${state}
        values=${values} errors=${errors} action=${`/${slug}/befragung/${token}`} />`,
      status,
    );
  };
  /*
   * Counted per survey, not per address: nothing about the person answering is written, not even
   * a hash of their address, and colleagues behind one office address do not lock each other out.
   * No session is read or touched either (`sessionless`).
   */
  const limit = (max: number) => ({
    config: {
      sessionless: true,
      rateLimit: { max, timeWindow: "1 minute", keyGenerator: (request: FastifyRequest) => `survey:${linkParams(request).token}` },
    },
  });

  app.get("/:slug/befragung/:token", limit(120), async (request, reply) => {
    const hit = await found(request);
    if (!isOpen(hit.survey, platform.clock.now())) return answerPage(request, reply, hit, "ended");
    const answered = request.cookies[ANSWERED_COOKIE] === hit.survey.id;
    return answerPage(request, reply, hit, answered ? "thanks" : "form");
  });

  app.post("/:slug/befragung/:token", limit(60), async (request, reply) => {
    const hit = await found(request);
    if (!isOpen(hit.survey, platform.clock.now())) return answerPage(request, reply, hit, "ended");
    const values = formValues(request.body);
    const read = readSurveyAnswers(values);
    if (!read.ok) {
      const errors = Object.fromEntries(
        Object.entries(read.errors).map(([field, why]) => [field, request.t(why === "none" ? "errors.knowledge.surveyNone" : "errors.knowledge.surveyOption")]),
      );
      return answerPage(request, reply, hit, "form", read.kept, errors, 400);
    }
    const { slug, token } = linkParams(request);
    // Sent twice from the same browser (a reload, a second click): counted once.
    if (request.cookies[ANSWERED_COOKIE] === hit.survey.id) return reply.redirect(`/${slug}/befragung/${token}`, 303);
    if (!(await countAnswer(platform, hit.tenantId, hit.survey.id, read.answers))) return answerPage(request, reply, hit, "ended");
    reply.setCookie(ANSWERED_COOKIE, hit.survey.id, {
      path: `/${slug}/befragung/`,
      httpOnly: true,
      sameSite: "lax",
      secure: platform.config.secureCookies,
      expires: hit.survey.closesAt,
    });
    return reply.redirect(`/${slug}/befragung/${token}`, 303);
  });
}
