import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { NotFoundError } from "../../platform/authz/policy.ts";
import { berlinDate } from "../../platform/calendar.ts";
import { type NavProvider, viewContext } from "../../platform/http/context.ts";
import { AppError } from "../../platform/http/errors.ts";
import { requireActor, requireTenant } from "../../platform/http/guards.ts";
import type { Platform } from "../../platform/platform.ts";
import { html } from "../../platform/ui/html.ts";
import {
  closeRound,
  isRoundOpen,
  moderateComment,
  NoDraftError,
  openRound,
  readRoundForm,
  readSummary,
  renewGroupLink,
  roundList,
  roundOf,
} from "./comment-round.ts";
import { addComment, readComment, roundByLink } from "./comment-round-participation.ts";
import { RoundListPage, RoundPage, RoundParticipantPage } from "./comment-round-view.ts";
import { formValues, one } from "./forms.ts";
import type { TenantRef } from "./library.ts";
import { strategyVersionsOf } from "./strategy.ts";

/** Comment rounds: run under /wissen/strategie/runden, taken part in at /<municipality>/runde/<token>. */
export function registerCommentRoundRoutes(app: FastifyInstance, platform: Platform, nav: NavProvider) {
  const ctx = (request: FastifyRequest) => viewContext(request, nav);
  const tenantOf = (request: FastifyRequest): TenantRef => {
    const t = requireTenant(request);
    return { id: t.id, kind: t.kind };
  };
  const idOf = (request: FastifyRequest) => (request.params as Record<string, string>).id;
  const urlOf = (request: FastifyRequest, token: string) => `${platform.config.publicUrl}/${requireTenant(request).slug}/runde/${token}`;

  const listPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    values: Record<string, string> | null,
    errors: Record<string, string>,
    status = 200,
  ) => {
    const { actor } = requireActor(request);
    const tenant = tenantOf(request);
    const list = await roundList(platform, actor, tenant);
    const versions = await strategyVersionsOf(platform, actor, tenant);
    const now = platform.clock.now();
    const initial = values ?? {
      title: versions[0] ? request.t("knowledge.round.defaultTitle", { version: versions[0].version }) : "",
      groups: request.t("knowledge.round.defaultGroups"),
      closesOn: berlinDate(now, 21),
    };
    return reply.page(
      html`<${RoundListPage} ctx=${ctx(request)} list=${list} now=${now} hasDraft=${versions.length > 0} values=${initial} errors=${errors} />`,
      status,
    );
  };
  const roundPage = async (request: FastifyRequest, reply: FastifyReply, errors: Record<string, string> = {}, status = 200) => {
    const { actor } = requireActor(request);
    const data = await roundOf(platform, actor, tenantOf(request), idOf(request));
    return reply.page(html`<${RoundPage} ctx=${ctx(request)} data=${data} now=${platform.clock.now()} errors=${errors} />`, status);
  };
  /** The groups' links are shown once (they are kept as hashes), on the round's page after the redirect. */
  const revealLinks = (request: FastifyRequest, reply: FastifyReply, roundId: string, links: { group: string; token: string }[]) =>
    reply
      .flash({ kind: "info", message: request.t("knowledge.round.linksOnce"), reveal: links.map((l) => ({ label: l.group, value: urlOf(request, l.token) })) })
      .redirect(`/wissen/strategie/runden/${roundId}`, 303);

  app.get("/wissen/strategie/runden", (request, reply) => listPage(request, reply, null, {}));

  app.post("/wissen/strategie/runden", async (request, reply) => {
    const { actor } = requireActor(request);
    const raw = formValues(request.body);
    const read = readRoundForm(raw, platform.clock.now(), request.t);
    const kept = { title: one(raw.title), groups: one(raw.groups), closesOn: one(raw.closesOn) };
    if (!read.ok) return listPage(request, reply, kept, read.errors, 400);
    let opened: Awaited<ReturnType<typeof openRound>>;
    try {
      opened = await openRound(platform, actor, tenantOf(request), read.input);
    } catch (err) {
      if (err instanceof NoDraftError) return listPage(request, reply, kept, {}, 409);
      throw err;
    }
    return revealLinks(request, reply, opened.id, opened.links);
  });

  app.get("/wissen/strategie/runden/:id", (request, reply) => roundPage(request, reply));

  app.post("/wissen/strategie/runden/:id/kommentare/:comment", async (request, reply) => {
    const { actor } = requireActor(request);
    const decision = one(formValues(request.body).decision);
    if (decision !== "approve" && decision !== "reject") throw new AppError("bad_request");
    await moderateComment(platform, actor, tenantOf(request), idOf(request), (request.params as Record<string, string>).comment, decision === "approve");
    return reply
      .flash({ kind: "success", message: request.t(decision === "approve" ? "knowledge.round.approvedNow" : "knowledge.round.rejectedNow") })
      .redirect(`/wissen/strategie/runden/${idOf(request)}`, 303);
  });

  app.post("/wissen/strategie/runden/:id/gruppen/:group/link", async (request, reply) => {
    const { actor } = requireActor(request);
    const renewed = await renewGroupLink(platform, actor, tenantOf(request), idOf(request), (request.params as Record<string, string>).group);
    return revealLinks(request, reply, idOf(request), [renewed]);
  });

  app.post("/wissen/strategie/runden/:id/beenden", async (request, reply) => {
    const { actor } = requireActor(request);
    const summary = readSummary(formValues(request.body));
    if ([...summary].length < 1 || [...summary].length > 5000) return roundPage(request, reply, { summary: request.t("errors.knowledge.roundSummary") }, 400);
    await closeRound(platform, actor, tenantOf(request), idOf(request), summary);
    return reply.flash({ kind: "success", message: request.t("knowledge.round.closedNow") }).redirect(`/wissen/strategie/runden/${idOf(request)}`, 303);
  });

  /* ------------------------------------------------------------------ the invited groups' page */

  const params = (request: FastifyRequest) => request.params as { slug: string; token: string };
  const found = async (request: FastifyRequest) => {
    const hit = await roundByLink(platform, params(request).slug, params(request).token);
    if (!hit) throw new NotFoundError();
    return hit;
  };
  const limit = (max: number) => ({
    config: { sessionless: true, rateLimit: { max, timeWindow: "1 minute", keyGenerator: (request: FastifyRequest) => `round:${params(request).token}` } },
  });
  const page = (
    request: FastifyRequest,
    reply: FastifyReply,
    hit: Awaited<ReturnType<typeof found>>,
    values: Record<string, string> = {},
    errors: Record<string, string> = {},
    status = 200,
  ) => {
    const { slug, token } = params(request);
    reply.header("referrer-policy", "no-referrer");
    return reply.page(
      html`<${RoundParticipantPage} ctx=${ctx(request)} hit=${hit} open=${isRoundOpen(hit.round, platform.clock.now())} action=${`/${slug}/runde/${token}`}
        values=${values} errors=${errors} />`,
      status,
    );
  };

  app.get("/:slug/runde/:token", limit(120), async (request, reply) => page(request, reply, await found(request)));

  app.post("/:slug/runde/:token", limit(30), async (request, reply) => {
    const hit = await found(request);
    const raw = formValues(request.body);
    const read = readComment(raw, request.t);
    const kept = { section: one(raw.section), body: one(raw.body), signature: one(raw.signature) };
    if (!isRoundOpen(hit.round, platform.clock.now())) return page(request, reply, hit);
    if (!read.ok) return page(request, reply, hit, kept, read.errors, 400);
    if (!(await addComment(platform, hit, read))) return page(request, reply, hit);
    const { slug, token } = params(request);
    return reply.flash({ kind: "success", message: request.t("knowledge.round.received") }).redirect(`/${slug}/runde/${token}`, 303);
  });
}
