import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { hasRole, NotFoundError } from "../../platform/authz/policy.ts";
import { type NavProvider, viewContext } from "../../platform/http/context.ts";
import { formValues } from "../../platform/http/form-values.ts";
import { requireActor, requireTenant } from "../../platform/http/guards.ts";
import type { Platform } from "../../platform/platform.ts";
import { html } from "../../platform/ui/html.ts";
import {
  askForCoaching,
  coachingById,
  coachingOverview,
  endCoaching,
  hasLocalCoaches,
  readCoachingForm,
  readCoachingMessage,
  takeCoaching,
  writeCoaching,
} from "./coaching.ts";
import { CoachingPage, CoachingRequestPage } from "./coaching-view.ts";
import { coachingAskPolicy, coachingPolicy } from "./policy.ts";

/** Coaching requests under /trainings/coaching: asking, the coaches' waiting list, one request with its messages. */
export function registerCoachingRoutes(app: FastifyInstance, platform: Platform, nav: NavProvider) {
  const ctx = (request: FastifyRequest) => viewContext(request, nav);
  const where = (request: FastifyRequest) => {
    const { actor } = requireActor(request);
    const t = requireTenant(request);
    const current = { id: t.id, kind: t.kind };
    const canAsk = coachingAskPolicy.can(actor, "ask", current);
    const isCoach = hasRole(actor, t.id, "trainer");
    if (!canAsk && !isCoach) throw new NotFoundError();
    return { actor, current, canAsk, isCoach };
  };
  const idOf = (request: FastifyRequest) => (request.params as Record<string, string>).id;

  const overview = async (
    request: FastifyRequest,
    reply: FastifyReply,
    values: Record<string, string | string[]>,
    errors: Record<string, string>,
    status = 200,
  ) => {
    const { actor, current, canAsk, isCoach } = where(request);
    const [lists, localOffered] = await Promise.all([
      coachingOverview(platform, actor, current),
      canAsk ? hasLocalCoaches(platform, current.id, actor.userId) : Promise.resolve(false),
    ]);
    return reply.page(
      html`<${CoachingPage} ctx=${ctx(request)} canAsk=${canAsk} isCoach=${isCoach} localOffered=${localOffered} mine=${lists.mine} waiting=${lists.waiting}
        taken=${lists.taken} values=${values} errors=${errors} />`,
      status,
    );
  };

  app.get("/trainings/coaching", (request, reply) => overview(request, reply, { route: "national" }, {}));

  app.post("/trainings/coaching", async (request, reply) => {
    const { actor, current } = where(request);
    coachingAskPolicy.authorize(actor, "ask", current);
    const values = formValues(request.body);
    const read = readCoachingForm(values, await hasLocalCoaches(platform, current.id, actor.userId));
    if (!read.ok) return overview(request, reply, values, Object.fromEntries(Object.entries(read.errors).map(([k, v]) => [k, request.t(v)])), 400);
    const id = await askForCoaching(platform, actor, current, read.input);
    return reply.flash({ kind: "success", message: request.t("trainings.coaching.sent") }).redirect(`/trainings/coaching/${id}`, 303);
  });

  const page = async (
    request: FastifyRequest,
    reply: FastifyReply,
    values: Record<string, string | string[]> = {},
    errors: Record<string, string> = {},
    status = 200,
  ) => {
    const { actor, current } = where(request);
    const { summary, detail } = await coachingById(platform, actor, current, idOf(request));
    const can = coachingPolicy.serialize(actor, summary.ref);
    // Nobody but the two of them should keep this page: not in a shared cache, not in the back-forward cache of another.
    reply.header("cache-control", "private, no-store");
    return reply.page(
      html`<${CoachingRequestPage} ctx=${ctx(request)} summary=${summary} detail=${detail} can=${can} values=${values} errors=${errors} />`,
      status,
    );
  };

  app.get("/trainings/coaching/:id", (request, reply) => page(request, reply));

  const found = async (request: FastifyRequest) => {
    const { actor, current } = where(request);
    const { summary } = await coachingById(platform, actor, current, idOf(request));
    return { actor, summary };
  };

  app.post("/trainings/coaching/:id/uebernehmen", async (request, reply) => {
    const { actor, summary } = await found(request);
    const taken = await takeCoaching(platform, actor, summary);
    return reply
      .flash(
        taken
          ? { kind: "success", message: request.t("trainings.coaching.takenNow") }
          : { kind: "warning", message: request.t("trainings.coaching.takenBefore") },
      )
      .redirect(taken ? `/trainings/coaching/${summary.id}` : "/trainings/coaching", 303);
  });

  app.post("/trainings/coaching/:id/nachricht", async (request, reply) => {
    const { actor, summary } = await found(request);
    coachingPolicy.authorize(actor, "write", summary.ref);
    const values = formValues(request.body);
    const read = readCoachingMessage(values);
    if (!read.ok) return page(request, reply, values, { body: request.t(read.error) }, 400);
    await writeCoaching(platform, actor, summary, read.body);
    return reply.flash({ kind: "success", message: request.t("trainings.coaching.messageSent") }).redirect(`/trainings/coaching/${summary.id}`, 303);
  });

  app.post("/trainings/coaching/:id/abschliessen", async (request, reply) => {
    const { actor, summary } = await found(request);
    await endCoaching(platform, actor, summary, "finish");
    return reply.flash({ kind: "success", message: request.t("trainings.coaching.finishedNow") }).redirect(`/trainings/coaching/${summary.id}`, 303);
  });

  app.post("/trainings/coaching/:id/zurueckziehen", async (request, reply) => {
    const { actor, summary } = await found(request);
    await endCoaching(platform, actor, summary, "withdraw");
    return reply.flash({ kind: "success", message: request.t("trainings.coaching.withdrawnNow") }).redirect(`/trainings/coaching/${summary.id}`, 303);
  });
}
