import type { FastifyInstance, FastifyRequest } from "fastify";
import { type NavProvider, viewContext } from "../../platform/http/context.ts";
import { requireActor, requireTenant } from "../../platform/http/guards.ts";
import type { Platform } from "../../platform/platform.ts";
import { html } from "../../platform/ui/html.ts";
import { readReport, replyToReporter } from "../reports/index.ts";
import { assignCase, inbox, officeNotices, openCase } from "./commands.ts";
import { CasePage, InboxPage } from "./views.ts";

/** The clearing office's pages: the inbox at /faelle and each case. */
export function registerCaseRoutes(app: FastifyInstance, platform: Platform, nav: NavProvider) {
  const ctx = (request: FastifyRequest) => viewContext(request, nav);
  const tenantOf = (request: FastifyRequest) => {
    const t = requireTenant(request);
    return { id: t.id, slug: t.slug, name: t.name, kind: t.kind };
  };
  const numberOf = (request: FastifyRequest) => (request.params as { caseNumber: string }).caseNumber;

  app.get("/faelle", async (request, reply) => {
    const { actor } = requireActor(request);
    const tenant = tenantOf(request);
    const [rows, notices] = await Promise.all([inbox(platform, actor, tenant), officeNotices(platform, actor, tenant)]);
    return reply.page(html`<${InboxPage} ctx=${ctx(request)} tenantName=${tenant.name} rows=${rows} notices=${notices} />`);
  });

  async function casePage(request: FastifyRequest, extra: { errors?: Record<string, string>; reply?: string } = {}) {
    const { actor } = requireActor(request);
    const tenant = tenantOf(request);
    const kase = await openCase(platform, actor, tenant, numberOf(request));
    // Reading the report is audited by the Meldestelle, as every read of a report.
    const report = await readReport(platform, actor, tenant, kase.number);
    return html`<${CasePage} ctx=${ctx(request)} kase=${kase} report=${report} me=${actor.userId} errors=${extra.errors} reply=${extra.reply} />`;
  }

  app.get("/faelle/:caseNumber", async (request, reply) => reply.page(await casePage(request)));

  app.post("/faelle/:caseNumber/zuweisung", async (request, reply) => {
    const { actor } = requireActor(request);
    const tenant = tenantOf(request);
    const number = numberOf(request);
    const raw = String((request.body as Record<string, unknown> | undefined)?.assignee ?? "");
    const assignee = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(raw) ? raw.toLowerCase() : raw === "" ? null : undefined;
    const result = assignee === undefined ? ({ ok: false, error: "notAnOfficer" } as const) : await assignCase(platform, actor, tenant, number, assignee);
    if (!result.ok) return reply.page(await casePage(request, { errors: { assignee: request.t("cases.notAnOfficer") } }), 400);
    const kase = await openCase(platform, actor, tenant, number);
    const message = kase.assigneeName
      ? request.t("cases.assigned", { caseNumber: number, name: kase.assigneeName })
      : request.t("cases.released", { caseNumber: number });
    return reply.flash({ kind: "success", message }).redirect(`/faelle/${number}`, 303);
  });

  app.post("/faelle/:caseNumber/antwort", async (request, reply) => {
    const { actor } = requireActor(request);
    const tenant = tenantOf(request);
    const number = numberOf(request);
    await openCase(platform, actor, tenant, number);
    const message = String((request.body as Record<string, unknown> | undefined)?.message ?? "");
    const result = await replyToReporter(platform, actor, tenant, number, message);
    if (!result.ok) return reply.page(await casePage(request, { errors: { message: request.t(result.key) }, reply: message }), 400);
    return reply.flash({ kind: "success", message: request.t("office.sent") }).redirect(`/faelle/${number}`, 303);
  });
}
