import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { NotFoundError } from "../../platform/authz/policy.ts";
import { type NavProvider, viewContext } from "../../platform/http/context.ts";
import { requireActor, requireTenant } from "../../platform/http/guards.ts";
import type { Platform } from "../../platform/platform.ts";
import { html } from "../../platform/ui/html.ts";
import { qrSvg } from "../../platform/ui/qr.ts";
import { formValues, one } from "./forms.ts";
import type { TenantRef } from "./library.ts";
import { castVote, closePoll, openPoll, type PollView, pollByCode, pollList, pollOf, readPollForm } from "./poll.ts";
import { PollListPage, PollPage, PollProjectionPage, VotePage } from "./poll-view.ts";

/** A browser that has voted keeps the poll's id here (nothing else), so that a reload does not vote twice. */
const VOTED_COOKIE = "komma_abgestimmt";

/** The live poll: run under /wissen/abstimmungen, voted on at /<municipality>/abstimmung/<code>. */
export function registerPollRoutes(app: FastifyInstance, platform: Platform, nav: NavProvider) {
  const ctx = (request: FastifyRequest) => viewContext(request, nav);
  const tenantOf = (request: FastifyRequest): TenantRef => {
    const t = requireTenant(request);
    return { id: t.id, kind: t.kind };
  };
  const idOf = (request: FastifyRequest) => (request.params as Record<string, string>).id;
  const linkOf = (request: FastifyRequest, view: PollView) => `${platform.config.publicUrl}/${requireTenant(request).slug}/abstimmung/${view.code}`;
  const viewOf = async (request: FastifyRequest) => {
    const { actor } = requireActor(request);
    const view = await pollOf(platform, actor, tenantOf(request), idOf(request));
    const link = linkOf(request, view);
    return { view, link, qr: await qrSvg(link, request.t("knowledge.poll.qr", { question: view.poll.question })) };
  };

  const listPage = async (request: FastifyRequest, reply: FastifyReply, values: Record<string, string>, errors: Record<string, string>, status = 200) => {
    const { actor } = requireActor(request);
    const list = await pollList(platform, actor, tenantOf(request));
    return reply.page(html`<${PollListPage} ctx=${ctx(request)} list=${list} values=${values} errors=${errors} />`, status);
  };

  app.get("/wissen/abstimmungen", (request, reply) => listPage(request, reply, {}, {}));

  app.post("/wissen/abstimmungen", async (request, reply) => {
    const { actor } = requireActor(request);
    const raw = formValues(request.body);
    const read = readPollForm(raw, request.t);
    if (!read.ok) {
      await pollList(platform, actor, tenantOf(request));
      return listPage(request, reply, { question: one(raw.question), options: one(raw.options) }, read.errors, 400);
    }
    const id = await openPoll(platform, actor, tenantOf(request), read.input);
    return reply.redirect(`/wissen/abstimmungen/${id}`, 303);
  });

  app.get("/wissen/abstimmungen/:id", async (request, reply) => {
    const { view, link, qr } = await viewOf(request);
    return reply.page(html`<${PollPage} ctx=${ctx(request)} view=${view} link=${link} qr=${qr} />`);
  });

  app.get("/wissen/abstimmungen/:id/anzeige", async (request, reply) => {
    const { view, link, qr } = await viewOf(request);
    return reply.page(html`<${PollProjectionPage} ctx=${ctx(request)} view=${view} link=${link} qr=${qr} />`);
  });

  /** The figures the projection follows with JavaScript: how many voted, and whether it has closed. */
  app.get("/wissen/abstimmungen/:id/stand", async (request, reply) => {
    const { actor } = requireActor(request);
    const { poll } = await pollOf(platform, actor, tenantOf(request), idOf(request));
    return reply
      .header("cache-control", "no-store")
      .send({ votes: poll.votes, closed: poll.closedAt !== null, text: request.t("knowledge.poll.votes", { count: poll.votes }) });
  });

  app.post("/wissen/abstimmungen/:id/beenden", async (request, reply) => {
    const { actor } = requireActor(request);
    await closePoll(platform, actor, tenantOf(request), idOf(request));
    return reply.flash({ kind: "success", message: request.t("knowledge.poll.closedNow") }).redirect(`/wissen/abstimmungen/${idOf(request)}`, 303);
  });

  /* ----------------------------------------------------------------------- where people vote */

  const params = (request: FastifyRequest) => request.params as { slug: string; code: string };
  const found = async (request: FastifyRequest) => {
    const hit = await pollByCode(platform, params(request).slug, params(request).code);
    if (!hit) throw new NotFoundError();
    return hit;
  };
  const votePage = (
    request: FastifyRequest,
    reply: FastifyReply,
    hit: Awaited<ReturnType<typeof found>>,
    state: "form" | "thanks" | "closed",
    error: string | null = null,
  ) => {
    const { slug, code } = params(request);
    reply.header("referrer-policy", "no-referrer");
    return reply.page(
      html`<${VotePage} ctx=${ctx(request)} tenantName=${hit.tenantName} question=${hit.poll.question} labels=${hit.labels} state=${state}
        action=${`/${slug}/abstimmung/${code}`} error=${error} />`,
      error ? 400 : 200,
    );
  };
  // Counted per poll, not per address: a whole council hall votes within a minute from one network,
  // and no trace of a voter's address is written with a vote. Generous, so that one person
  // flooding the link does not easily shut the hall out.
  const limit = (max: number) => ({
    config: { sessionless: true, rateLimit: { max, timeWindow: "1 minute", keyGenerator: (request: FastifyRequest) => `poll:${params(request).code}` } },
  });

  app.get("/:slug/abstimmung/:code", limit(6000), async (request, reply) => {
    const hit = await found(request);
    if (hit.poll.closedAt) return votePage(request, reply, hit, "closed");
    return votePage(request, reply, hit, request.cookies[VOTED_COOKIE] === hit.poll.id ? "thanks" : "form");
  });

  app.post("/:slug/abstimmung/:code", limit(3000), async (request, reply) => {
    const hit = await found(request);
    if (hit.poll.closedAt) return votePage(request, reply, hit, "closed");
    const { slug, code } = params(request);
    if (request.cookies[VOTED_COOKIE] === hit.poll.id) return reply.redirect(`/${slug}/abstimmung/${code}`, 303);
    const answer = one(formValues(request.body).answer);
    const chosen = hit.labels.find((l) => String(l.position) === answer);
    if (!chosen) return votePage(request, reply, hit, "form", request.t("errors.knowledge.pollAnswer"));
    if (!(await castVote(platform, hit.tenantId, hit.poll.id, chosen.position))) return votePage(request, reply, hit, "closed");
    reply.setCookie(VOTED_COOKIE, hit.poll.id, {
      path: `/${slug}/abstimmung/`,
      httpOnly: true,
      sameSite: "lax",
      secure: platform.config.secureCookies,
      maxAge: 86_400,
    });
    return reply.redirect(`/${slug}/abstimmung/${code}`, 303);
  });
}
