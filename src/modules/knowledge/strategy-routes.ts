import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { NotFoundError } from "../../platform/authz/policy.ts";
import { type NavProvider, viewContext } from "../../platform/http/context.ts";
import { requireActor, requireTenant } from "../../platform/http/guards.ts";
import { perPerson } from "../../platform/http/rate-limit-store.ts";
import type { Platform } from "../../platform/platform.ts";
import { html } from "../../platform/ui/html.ts";
import { actionPlan } from "./action-plan.ts";
import { formValues, one } from "./forms.ts";
import type { TenantRef } from "./library.ts";
import { strategyPolicy } from "./policy.ts";
import { STRATEGY_SECTIONS } from "./schema.ts";
import {
  compareVersions,
  isVisibility,
  publishedStrategies,
  publishedStrategyOf,
  publishStrategy,
  readStrategyForm,
  StrategyChangedError,
  type StrategyVersion,
  saveStrategy,
  strategyVersionsOf,
} from "./strategy.ts";
import { strategyPdf } from "./strategy-pdf.ts";
import {
  PublishedStrategiesPage,
  PublishedStrategyPage,
  StrategyComparePage,
  StrategyFormPage,
  StrategyPage,
  StrategyVersionPage,
  strategyExport,
} from "./strategy-view.ts";

/** The strategy concept: the own one under /wissen/strategie, others' published ones under /wissen/strategien. */
export function registerStrategyRoutes(app: FastifyInstance, platform: Platform, nav: NavProvider) {
  const ctx = (request: FastifyRequest) => viewContext(request, nav);
  const tenantOf = (request: FastifyRequest): TenantRef => {
    const t = requireTenant(request);
    return { id: t.id, kind: t.kind };
  };
  const viewerOf = (request: FastifyRequest): TenantRef | null =>
    request.actor && request.currentTenant ? { id: request.currentTenant.id, kind: request.currentTenant.kind } : null;
  const own = async (request: FastifyRequest) => {
    const { actor } = requireActor(request);
    const tenant = tenantOf(request);
    return { actor, tenant, versions: await strategyVersionsOf(platform, actor, tenant) };
  };
  const versionOf = (versions: StrategyVersion[], raw: unknown) => {
    const n = typeof raw === "string" && /^\d{1,9}$/.test(raw) ? Number(raw) : Number.NaN;
    const found = versions.find((v) => v.version === n);
    if (!found) throw new NotFoundError();
    return found;
  };
  const page = (
    request: FastifyRequest,
    reply: FastifyReply,
    versions: StrategyVersion[],
    tenant: TenantRef,
    errors: Record<string, string> = {},
    status = 200,
  ) =>
    reply.page(
      html`<${StrategyPage} ctx=${ctx(request)} versions=${versions} canWrite=${strategyPolicy.can(request.actor, "write", tenant)} errors=${errors} />`,
      status,
    );

  app.get("/wissen/strategie", async (request, reply) => {
    const { tenant, versions } = await own(request);
    return page(request, reply, versions, tenant);
  });

  const formValuesOf = (v: StrategyVersion | undefined): Record<string, string> =>
    v ? { title: v.title, ...v.sections, note: "" } : { title: "", ...Object.fromEntries(STRATEGY_SECTIONS.map((s) => [s, ""])), note: "" };

  app.get("/wissen/strategie/bearbeiten", async (request, reply) => {
    const { actor, tenant, versions } = await own(request);
    strategyPolicy.authorize(actor, "write", tenant);
    const values = formValuesOf(versions[0]);
    if (!versions[0]) values.title = request.t("knowledge.strategy.defaultTitle");
    return reply.page(html`<${StrategyFormPage} ctx=${ctx(request)} values=${values} errors=${{}} base=${versions[0]?.version ?? 0} changed=${false} />`);
  });

  app.post("/wissen/strategie/bearbeiten", async (request, reply) => {
    const { actor } = requireActor(request);
    const tenant = tenantOf(request);
    strategyPolicy.authorize(actor, "write", tenant);
    const raw = formValues(request.body);
    const values = Object.fromEntries(["title", ...STRATEGY_SECTIONS, "note"].map((k) => [k, one(raw[k])]));
    const read = readStrategyForm(raw, request.t);
    const base = /^\d{1,9}$/.test(one(raw.base)) ? Number(one(raw.base)) : 0;
    if (!read.ok)
      return reply.page(html`<${StrategyFormPage} ctx=${ctx(request)} values=${values} errors=${read.errors} base=${base} changed=${false} />`, 400);
    try {
      await saveStrategy(platform, actor, tenant, read.input, read.base);
    } catch (err) {
      if (!(err instanceof StrategyChangedError)) throw err;
      // Someone saved meanwhile: the form comes back with what was typed, on top of the newer version.
      const latest = (await strategyVersionsOf(platform, actor, tenant))[0];
      return reply.page(html`<${StrategyFormPage} ctx=${ctx(request)} values=${values} errors=${{}} base=${latest?.version ?? 0} changed=${true} />`, 409);
    }
    return reply.flash({ kind: "success", message: request.t("knowledge.strategy.saved") }).redirect("/wissen/strategie", 303);
  });

  app.post("/wissen/strategie/veroeffentlichen", async (request, reply) => {
    const { actor, tenant, versions } = await own(request);
    strategyPolicy.authorize(actor, "write", tenant);
    const values = formValues(request.body);
    const visibility = one(values.visibility);
    if (!isVisibility(visibility)) return page(request, reply, versions, tenant, { visibility: request.t("errors.knowledge.visibility") }, 400);
    const version = versionOf(versions, one(values.version));
    try {
      await publishStrategy(platform, actor, tenant, version.version, visibility);
    } catch (err) {
      if (!(err instanceof StrategyChangedError)) throw err;
      return reply.flash({ kind: "warning", message: request.t("knowledge.strategy.changed") }).redirect("/wissen/strategie", 303);
    }
    return reply.flash({ kind: "success", message: request.t("knowledge.strategy.publishedNow") }).redirect("/wissen/strategie", 303);
  });

  app.get("/wissen/strategie/version/:version", async (request, reply) => {
    const { versions } = await own(request);
    const version = versionOf(versions, (request.params as Record<string, string>).version);
    return reply.page(html`<${StrategyVersionPage} ctx=${ctx(request)} version=${version} />`);
  });

  app.get("/wissen/strategie/vergleich", async (request, reply) => {
    const { versions } = await own(request);
    const q = request.query as Record<string, unknown>;
    const from = versionOf(versions, q.von);
    const to = versionOf(versions, q.zu);
    return reply.page(html`<${StrategyComparePage} ctx=${ctx(request)} from=${from} to=${to} changes=${compareVersions(from, to)} versions=${versions} />`);
  });

  app.get("/wissen/strategie/export.html", async (request, reply) => {
    const { actor, tenant, versions } = await own(request);
    const q = request.query as Record<string, unknown>;
    const version = q.version === undefined ? versions[0] : versionOf(versions, q.version);
    if (!version) throw new NotFoundError();
    const plan = await actionPlan(platform, actor, tenant);
    const body = strategyExport({ t: request.t, lang: request.lang, tenantName: requireTenant(request).name, version, plan });
    return reply
      .header("content-type", "text/html; charset=utf-8")
      .header("content-disposition", `attachment; filename="strategiekonzept-v${version.version}.html"`)
      .header("cache-control", "no-store")
      .send(body);
  });

  // Setting a long concept takes a while (in a worker thread): a few at a time per person.
  app.get("/wissen/strategie/export.pdf", { config: { rateLimit: perPerson(10) } }, async (request, reply) => {
    const { actor, tenant, versions } = await own(request);
    const q = request.query as Record<string, unknown>;
    const version = q.version === undefined ? versions[0] : versionOf(versions, q.version);
    if (!version) throw new NotFoundError();
    const plan = await actionPlan(platform, actor, tenant);
    const pdf = await strategyPdf({ t: request.t, lang: request.lang, tenantName: requireTenant(request).name, version, plan });
    return reply
      .header("content-type", "application/pdf")
      .header("content-disposition", `attachment; filename="strategiekonzept-v${version.version}.pdf"`)
      .header("cache-control", "no-store")
      .send(pdf);
  });

  app.get("/wissen/strategien", async (request, reply) => {
    const list = await publishedStrategies(platform, request.actor, viewerOf(request));
    return reply.page(html`<${PublishedStrategiesPage} ctx=${ctx(request)} list=${list} signedIn=${!!viewerOf(request)} />`);
  });

  app.get("/wissen/strategien/:slug", async (request, reply) => {
    const strategy = await publishedStrategyOf(platform, request.actor, viewerOf(request), (request.params as Record<string, string>).slug);
    return reply.page(html`<${PublishedStrategyPage} ctx=${ctx(request)} strategy=${strategy} />`);
  });
}
