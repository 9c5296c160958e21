import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { NotFoundError } from "../../platform/authz/policy.ts";
import { berlinDate } from "../../platform/calendar.ts";
import { type NavProvider, viewContext } from "../../platform/http/context.ts";
import { formValues, one } from "../../platform/http/form-values.ts";
import { requireActor, requireTenant } from "../../platform/http/guards.ts";
import type { Platform } from "../../platform/platform.ts";
import { html } from "../../platform/ui/html.ts";
import { catalog } from "./catalog.ts";
import {
  answerNeeds,
  closeNeedsRound,
  needsResults,
  needsRound,
  needsRounds,
  openNeedsRound,
  readNeedsForm,
  readRoundForm,
  recommendFormats,
  topicNeeds,
  topTopics,
} from "./needs.ts";
import { NeedsListPage, NeedsRoundPage } from "./needs-view.ts";
import { needsPolicy } from "./policy.ts";
import { TOPICS, type Topic } from "./schema.ts";

/** The needs assessment under /trainings/bedarf: rounds, the questionnaire, the person's recommendation and the results. */
export function registerNeedsRoutes(app: FastifyInstance, platform: Platform, nav: NavProvider) {
  const ctx = (request: FastifyRequest) => viewContext(request, nav);
  const where = (request: FastifyRequest) => {
    const { actor } = requireActor(request);
    const t = requireTenant(request);
    const tenant = { id: t.id, kind: t.kind };
    if (!needsPolicy.can(actor, "answer", tenant) && !needsPolicy.can(actor, "results", tenant)) throw new NotFoundError();
    return { actor, tenant, current: { ...tenant, name: t.name }, viewer: { viewerTenantId: t.id, viewerKind: t.kind } };
  };
  const idOf = (request: FastifyRequest) => (request.params as Record<string, string>).id;

  const listPage = async (request: FastifyRequest, reply: FastifyReply, values: Record<string, string>, errors: Record<string, string>, status = 200) => {
    const { actor, tenant } = where(request);
    const rounds = await needsRounds(platform, actor, tenant);
    return reply.page(
      html`<${NeedsListPage} ctx=${ctx(request)} rounds=${rounds} now=${platform.clock.now()} canManage=${needsPolicy.can(actor, "manage", tenant)}
        canAnswer=${needsPolicy.can(actor, "answer", tenant)} values=${values} errors=${errors} />`,
      status,
    );
  };

  app.get("/trainings/bedarf", (request, reply) => {
    const now = platform.clock.now();
    return listPage(
      request,
      reply,
      { title: request.t("trainings.needs.defaultTitle", { year: berlinDate(now).slice(0, 4) }), closesOn: berlinDate(now, 21) },
      {},
    );
  });

  app.post("/trainings/bedarf", async (request, reply) => {
    const { actor, tenant } = where(request);
    needsPolicy.authorize(actor, "manage", tenant);
    const values = formValues(request.body);
    const read = readRoundForm(values, platform.clock.now());
    if (!read.ok)
      return listPage(
        request,
        reply,
        { title: one(values.title), closesOn: one(values.closesOn) },
        Object.fromEntries(Object.entries(read.errors).map(([k, v]) => [k, request.t(v)])),
        400,
      );
    const id = await openNeedsRound(platform, actor, tenant, read);
    return reply.flash({ kind: "success", message: request.t("trainings.needs.opened") }).redirect(`/trainings/bedarf/${id}`, 303);
  });

  const roundPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    values: Record<string, string | string[]>,
    errors: Record<string, string>,
    status = 200,
  ) => {
    const { actor, tenant, current, viewer } = where(request);
    const round = await needsRound(platform, actor, tenant, idOf(request));
    const canSeeResults = needsPolicy.can(actor, "results", tenant);
    const results = canSeeResults ? await needsResults(platform, actor, tenant, round) : null;
    // The person's own recommendation, from the topics their answers called for (carried in the address, stored nowhere).
    const asked = (request.query as Record<string, unknown>).empfehlung;
    const personalTopics =
      round.answered && typeof asked === "string" && asked.length <= 200
        ? (asked.split(",").filter((x) => (TOPICS as readonly string[]).includes(x)) as Topic[])
        : null;
    const needsCatalog = results || personalTopics ? await catalog(platform, actor, current, viewer) : [];
    return reply.page(
      html`<${NeedsRoundPage} ctx=${ctx(request)} round=${round} now=${platform.clock.now()} canAnswer=${needsPolicy.can(actor, "answer", tenant)}
        canManage=${needsPolicy.can(actor, "manage", tenant)} results=${results} canSeeResults=${canSeeResults}
        recommended=${results ? recommendFormats(needsCatalog, results.top) : []}
        personal=${personalTopics ? { topics: personalTopics, formats: recommendFormats(needsCatalog, personalTopics) } : null}
        values=${values} errors=${errors} />`,
      status,
    );
  };

  app.get("/trainings/bedarf/:id", (request, reply) => roundPage(request, reply, {}, {}));

  app.post("/trainings/bedarf/:id", async (request, reply) => {
    const { actor, tenant } = where(request);
    needsPolicy.authorize(actor, "answer", tenant);
    const values = formValues(request.body);
    const read = readNeedsForm(values);
    if (!read.ok) return roundPage(request, reply, values, Object.fromEntries(Object.entries(read.errors).map(([k, v]) => [k, request.t(v)])), 400);
    const counted = await answerNeeds(platform, actor, tenant, idOf(request), read.answers);
    const id = idOf(request);
    if (!counted) return reply.redirect(`/trainings/bedarf/${id}`, 303);
    const topics = topTopics(topicNeeds(read.answers));
    return reply
      .flash({ kind: "success", message: request.t("trainings.needs.thanks") })
      .redirect(`/trainings/bedarf/${id}?empfehlung=${topics.join(",")}`, 303);
  });

  app.post("/trainings/bedarf/:id/beenden", async (request, reply) => {
    const { actor, tenant } = where(request);
    needsPolicy.authorize(actor, "manage", tenant);
    // Ending is for good: it takes a confirmation.
    if (one(formValues(request.body).confirm) !== "yes")
      return roundPage(request, reply, {}, { confirm: request.t("errors.trainings.needsCloseConfirm") }, 400);
    await closeNeedsRound(platform, actor, tenant, idOf(request));
    return reply.flash({ kind: "success", message: request.t("trainings.needs.closedNow") }).redirect(`/trainings/bedarf/${idOf(request)}`, 303);
  });
}
