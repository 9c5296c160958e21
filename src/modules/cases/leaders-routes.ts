import type { FastifyInstance } from "fastify";
import { type NavProvider, viewContext } from "../../platform/http/context.ts";
import { AppError, fieldErrors } from "../../platform/http/errors.ts";
import { requireActor } from "../../platform/http/guards.ts";
import { perPerson } from "../../platform/http/rate-limit-store.ts";
import type { Platform } from "../../platform/platform.ts";
import { html } from "../../platform/ui/html.ts";
import { casePageOf, numberOf, stringsOf, tenantOf } from "./case-page.ts";
import { casesForLeader, openLeaderShare } from "./leader-side.ts";
import { endShare, leaderShareInput, shareWithLeader } from "./leaders.ts";
import { LeaderCasePage, LeaderCasesPage, LeaderEndedPage } from "./leaders-view.ts";

/** Sharing a case with a leader (with the person's consent), and the leader's pages at /fuehrung. */
export function registerLeaderRoutes(app: FastifyInstance, platform: Platform, nav: NavProvider) {
  const casePage = casePageOf(platform, nav);

  app.post("/faelle/:caseNumber/fuehrung", async (request, reply) => {
    const { actor } = requireActor(request);
    const number = numberOf(request);
    const values = stringsOf(request.body, ["shareLeaderId", "shareSummary", "shareValidUntil", "shareConsent"]);
    const parsed = leaderShareInput.safeParse({
      leaderId: values.shareLeaderId,
      summary: values.shareSummary,
      validUntil: values.shareValidUntil,
      consent: values.shareConsent,
    });
    const result = parsed.success ? await shareWithLeader(platform, actor, tenantOf(request), number, parsed.data) : null;
    if (!parsed.success || !result?.ok) {
      const name = (field: string) => `share${field.charAt(0).toUpperCase()}${field.slice(1)}`;
      const errors = parsed.success
        ? result?.ok === false && result.field === "already"
          ? { shareLeaderId: request.t("errors.leaders.already") }
          : { [name(result?.ok === false ? result.field : "leaderId")]: request.t(`errors.leaders.${result?.ok === false ? result.field : "leaderId"}Refused`) }
        : Object.fromEntries(Object.entries(fieldErrors(parsed.error, request.t)).map(([k, v]) => [name(k), v]));
      return reply.page(await casePage(request, { leaderDraft: { values, errors } }), 400);
    }
    const message = request.t(parsed.data.consent === "mailbox" ? "cases.leaders.asked" : "cases.leaders.shared");
    return reply.flash({ kind: "success", message }).redirect(`/faelle/${number}#fuehrung`, 303);
  });

  app.post("/faelle/:caseNumber/fuehrung/:id/beenden", async (request, reply) => {
    const { actor } = requireActor(request);
    const number = numberOf(request);
    await endShare(platform, actor, tenantOf(request), number, String((request.params as { id: string }).id).toLowerCase());
    return reply.flash({ kind: "success", message: request.t("cases.leaders.ended") }).redirect(`/faelle/${number}#fuehrung`, 303);
  });

  app.get("/fuehrung", async (request, reply) => {
    const { actor } = requireActor(request);
    const rows = await casesForLeader(platform, actor, tenantOf(request));
    if (!rows) throw new AppError("not_found");
    return reply.page(html`<${LeaderCasesPage} ctx=${viewContext(request, nav)} rows=${rows} />`);
  });

  // Each look is on the case's timeline and in the audit log: a leader needs no more than a few a minute.
  app.get("/fuehrung/:id", { config: { rateLimit: perPerson(20) } }, async (request, reply) => {
    const { actor } = requireActor(request);
    const view = await openLeaderShare(platform, actor, tenantOf(request), (request.params as { id: string }).id);
    if ("ended" in view) return reply.page(html`<${LeaderEndedPage} ctx=${viewContext(request, nav)} number=${view.number} />`, 404);
    return reply.header("cache-control", "private, no-store").page(html`<${LeaderCasePage} ctx=${viewContext(request, nav)} view=${view} />`);
  });
}
