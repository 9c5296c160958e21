import { desc } from "drizzle-orm";
import type { FastifyInstance, FastifyRequest } from "fastify";
import { inTransaction } from "../../platform/db/client.ts";
import { mailOutbox } from "../../platform/db/schema.ts";
import { type NavProvider, viewContext } from "../../platform/http/context.ts";
import { fieldErrors } from "../../platform/http/errors.ts";
import { requireActor, requireTenant } from "../../platform/http/guards.ts";
import { MAIL_RECIPIENT_CONTEXT } from "../../platform/mail/mailer.ts";
import type { Platform } from "../../platform/platform.ts";
import {
  CsrfField,
  ErrorSummary,
  type FieldErrors,
  html,
  Layout,
  PageHeading,
  SubmitButton,
  TextArea,
  TextField,
  type ViewContext,
} from "../../platform/ui/html.ts";
import { AuditPage, isAuditCategory, readAuditLog } from "./audit-log.ts";
import { createTenant, findTenant, listTenants, readSiteTexts, updateSettings, updateSiteTexts, updateTenant } from "./commands.ts";
import { type Body, str } from "./form.ts";
import { auditPolicy, outboxPolicy, peoplePolicy, settingsPolicy, siteTextsPolicy, tenantPolicy } from "./policy.ts";
import { settingsInput, siteTextsInput, tenantInput } from "./schemas.ts";
import { TenantFormPage, TenantListPage } from "./views.ts";

const _list = (v: unknown) => (Array.isArray(v) ? v.map(String) : typeof v === "string" && v ? [v] : []);

export function registerAdminRoutes(app: FastifyInstance, platform: Platform, nav: NavProvider) {
  const ctx = (request: FastifyRequest) => viewContext(request, nav);

  app.get("/verwaltung/kommunen", async (request, reply) => {
    const { actor } = requireActor(request);
    const query = str((request.query as Body).q).slice(0, 100);
    const tenants = await listTenants(platform, actor, query);
    return reply.page(html`<${TenantListPage} ctx=${ctx(request)} tenants=${tenants} query=${query} canCreate=${tenantPolicy.can(actor, "create", null)} />`);
  });

  app.get("/verwaltung/kommunen/neu", async (request, reply) => {
    const { actor } = requireActor(request);
    tenantPolicy.authorize(actor, "create", null);
    return reply.page(
      html`<${TenantFormPage} ctx=${ctx(request)} values=${{}} errors=${{}} action="/verwaltung/kommunen/neu" title=${request.t("admin.tenants.create")} />`,
    );
  });

  app.post("/verwaltung/kommunen/neu", async (request, reply) => {
    const { actor } = requireActor(request);
    tenantPolicy.authorize(actor, "create", null);
    const body = (request.body ?? {}) as Body;
    const values = { name: str(body.name), slug: str(body.slug), ags: str(body.ags), land: str(body.land), kind: str(body.kind) };
    const parsed = tenantInput.safeParse(values);
    const result = parsed.success
      ? await createTenant(platform, actor, parsed.data, request.t)
      : { ok: false as const, errors: fieldErrors(parsed.error, request.t) };
    if (!result.ok) {
      return reply.page(
        html`<${TenantFormPage} ctx=${ctx(request)} values=${values} errors=${result.errors} action="/verwaltung/kommunen/neu" title=${request.t("admin.tenants.create")} />`,
        400,
      );
    }
    return reply.flash({ kind: "success", message: request.t("admin.tenants.created", { name: result.value.name }) }).redirect("/verwaltung/kommunen", 303);
  });

  app.get("/verwaltung/kommunen/:slug/bearbeiten", async (request, reply) => {
    const { actor } = requireActor(request);
    const tenant = await findTenant(platform, actor, (request.params as { slug: string }).slug);
    tenantPolicy.authorize(actor, "update", tenant);
    const values = { name: tenant.name, slug: tenant.slug, ags: tenant.ags ?? "", land: tenant.land ?? "", kind: tenant.kind };
    return reply.page(
      html`<${TenantFormPage} ctx=${ctx(request)} values=${values} errors=${{}} action=${`/verwaltung/kommunen/${tenant.slug}/bearbeiten`} title=${request.t("admin.tenants.editTitle", { name: tenant.name })} />`,
    );
  });

  app.post("/verwaltung/kommunen/:slug/bearbeiten", async (request, reply) => {
    const { actor } = requireActor(request);
    const tenant = await findTenant(platform, actor, (request.params as { slug: string }).slug);
    tenantPolicy.authorize(actor, "update", tenant);
    const body = (request.body ?? {}) as Body;
    const values = { name: str(body.name), slug: str(body.slug), ags: str(body.ags), land: str(body.land), kind: str(body.kind) };
    const parsed = tenantInput.safeParse(values);
    const result = parsed.success
      ? await updateTenant(platform, actor, tenant, parsed.data, request.t)
      : { ok: false as const, errors: fieldErrors(parsed.error, request.t) };
    if (!result.ok) {
      return reply.page(
        html`<${TenantFormPage} ctx=${ctx(request)} values=${values} errors=${result.errors} action=${`/verwaltung/kommunen/${tenant.slug}/bearbeiten`} title=${request.t("admin.tenants.editTitle", { name: tenant.name })} />`,
        400,
      );
    }
    return reply.flash({ kind: "success", message: request.t("admin.tenants.updated", { name: result.value.name }) }).redirect("/verwaltung/kommunen", 303);
  });

  /* The municipality's settings: where people turn for help at once, and its privacy notice for reporting. */
  function SettingsPage({ ctx: c, slug, values, errors }: { ctx: ViewContext; slug: string; values: Record<string, string>; errors: FieldErrors }) {
    const { t } = c;
    return html`<${Layout} ctx=${c} title=${t("admin.settings.title")}>
      <${PageHeading} title=${t("admin.settings.title")} />
      <${ErrorSummary} t=${t} errors=${errors} />
      <form method="post" action="/verwaltung/einstellungen" novalidate class="komma-form">
        <${CsrfField} ctx=${c} />
        <h2 class="kern-heading-medium">${t("admin.settings.contactTitle")}</h2>
        <p class="kern-body">${t("admin.settings.lead")}</p>
        <${TextField} name="contactPhone" type="tel" label=${t("admin.settings.phone")} value=${values.contactPhone} error=${errors.contactPhone} />
        <${TextField} name="contactEmail" type="email" label=${t("admin.settings.email")} value=${values.contactEmail} error=${errors.contactEmail} spellcheck=${false} />
        <${TextField} name="contactHours" label=${t("admin.settings.hours")} hint=${t("admin.settings.hoursHint")} value=${values.contactHours} error=${errors.contactHours} />
        <h2 class="kern-heading-medium">${t("admin.settings.privacyTitle")}</h2>
        <p class="kern-body">${t("admin.settings.privacyLead")} <a class="kern-link" href=${`/${slug}/datenschutz`}>${t("admin.settings.privacyShow")}</a></p>
        <${TextArea} name="privacyNotice" label=${t("admin.settings.privacyNotice")} hint=${t("admin.legalTextHint")} value=${values.privacyNotice} error=${errors.privacyNotice} rows=${14} />
        <${SubmitButton} label=${t("form.save")} />
      </form>
    <//>`;
  }

  app.get("/verwaltung/einstellungen", async (request, reply) => {
    const { actor } = requireActor(request);
    const tenant = await findTenant(platform, actor, requireTenant(request).slug);
    settingsPolicy.authorize(actor, "configure", tenant);
    const values = {
      contactPhone: tenant.contactPhone ?? "",
      contactEmail: tenant.contactEmail ?? "",
      contactHours: tenant.contactHours ?? "",
      privacyNotice: tenant.privacyNotice ?? "",
    };
    return reply.page(html`<${SettingsPage} ctx=${ctx(request)} slug=${tenant.slug} values=${values} errors=${{}} />`);
  });

  app.post("/verwaltung/einstellungen", async (request, reply) => {
    const { actor } = requireActor(request);
    const tenant = await findTenant(platform, actor, requireTenant(request).slug);
    settingsPolicy.authorize(actor, "configure", tenant);
    const body = (request.body ?? {}) as Body;
    const values = {
      contactPhone: str(body.contactPhone),
      contactEmail: str(body.contactEmail),
      contactHours: str(body.contactHours),
      privacyNotice: str(body.privacyNotice),
    };
    const parsed = settingsInput.safeParse(values);
    if (!parsed.success)
      return reply.page(html`<${SettingsPage} ctx=${ctx(request)} slug=${tenant.slug} values=${values} errors=${fieldErrors(parsed.error, request.t)} />`, 400);
    await updateSettings(platform, actor, tenant, parsed.data);
    return reply.flash({ kind: "success", message: request.t("admin.settings.saved") }).redirect("/verwaltung/einstellungen", 303);
  });

  /* The installation's Impressum and Datenschutzerklärung, for the operator (national admins). */
  function SiteTextsPage({ ctx: c, values, errors }: { ctx: ViewContext; values: Record<string, string>; errors: FieldErrors }) {
    const { t } = c;
    return html`<${Layout} ctx=${c} title=${t("admin.siteTexts.title")}>
      <${PageHeading} title=${t("admin.siteTexts.title")} lead=${t("admin.siteTexts.lead")} />
      <${ErrorSummary} t=${t} errors=${errors} />
      <form method="post" action="/verwaltung/rechtstexte" novalidate class="komma-form">
        <${CsrfField} ctx=${c} />
        <${TextArea} name="imprint" label=${t("admin.siteTexts.imprint")} hint=${t("admin.legalTextHint")} value=${values.imprint} error=${errors.imprint} rows=${12} />
        <p class="kern-body"><a class="kern-link" href="/impressum">${t("admin.siteTexts.showImprint")}</a></p>
        <${TextArea} name="privacyNotice" label=${t("admin.siteTexts.privacy")} hint=${t("admin.legalTextHint")} value=${values.privacyNotice} error=${errors.privacyNotice} rows=${20} />
        <p class="kern-body"><a class="kern-link" href="/datenschutz">${t("admin.siteTexts.showPrivacy")}</a></p>
        <${SubmitButton} label=${t("form.save")} />
      </form>
    <//>`;
  }

  app.get("/verwaltung/rechtstexte", async (request, reply) => {
    const { actor } = requireActor(request);
    siteTextsPolicy.authorize(actor, "edit", null);
    const texts = await readSiteTexts(platform);
    return reply.page(
      html`<${SiteTextsPage} ctx=${ctx(request)} values=${{ imprint: texts.imprint ?? "", privacyNotice: texts.privacyNotice ?? "" }} errors=${{}} />`,
    );
  });

  app.post("/verwaltung/rechtstexte", async (request, reply) => {
    const { actor } = requireActor(request);
    siteTextsPolicy.authorize(actor, "edit", null);
    const body = (request.body ?? {}) as Body;
    const values = { imprint: str(body.imprint), privacyNotice: str(body.privacyNotice) };
    const parsed = siteTextsInput.safeParse(values);
    if (!parsed.success) return reply.page(html`<${SiteTextsPage} ctx=${ctx(request)} values=${values} errors=${fieldErrors(parsed.error, request.t)} />`, 400);
    await updateSiteTexts(platform, actor, parsed.data);
    return reply.flash({ kind: "success", message: request.t("admin.siteTexts.saved") }).redirect("/verwaltung/rechtstexte", 303);
  });

  /* The audit log of the current tenant in words, with the result of verifying its chain. */
  app.get("/verwaltung/protokoll", async (request, reply) => {
    const { actor } = requireActor(request);
    const tenant = requireTenant(request);
    const query = request.query as Body;
    const category = isAuditCategory(query.bereich) ? query.bereich : null;
    const before = /^[1-9][0-9]{0,15}$/.test(str(query.vor)) ? Number(query.vor) : null;
    const data = await readAuditLog(platform, actor, tenant, { category, before });
    return reply.page(html`<${AuditPage} ctx=${ctx(request)} tenantName=${tenant.name} data=${data} category=${category} />`);
  });

  /* Development outbox: read mails without an SMTP server. */
  app.get("/verwaltung/postausgang", async (request, reply) => {
    const { actor } = requireActor(request);
    outboxPolicy.authorize(actor, "read", { development: platform.config.env !== "production" });
    const t = request.t;
    const stored = await inTransaction(platform.db, {}, (tx) => tx.select().from(mailOutbox).orderBy(desc(mailOutbox.createdAt)).limit(50));
    const mails = await Promise.all(
      stored.map(async (m) => ({
        ...m,
        recipient: await platform.mailer.readSealed(m.recipient, MAIL_RECIPIENT_CONTEXT),
        body: await platform.mailer.readBody(m.body),
      })),
    );
    return reply.page(html`<${Layout} ctx=${ctx(request)} title=${t("admin.outbox.title")}>
      <${PageHeading} title=${t("admin.outbox.title")} lead=${t(platform.mailer.delivers ? "admin.outbox.leadSmtp" : "admin.outbox.lead")} />
      ${mails.length === 0 && html`<p class="kern-body">${t("admin.outbox.empty")}</p>`}
      ${mails.map(
        (m) => html`<article class="kern-card komma-mail"><div class="kern-card__container"><div class="kern-card__header">
          <h2 class="kern-title">${m.subject}</h2>
          <p class="kern-body kern-body--small">${t("admin.outbox.to")}: ${m.recipient} · ${m.sentAt ? t("admin.outbox.sent") : t("admin.outbox.notSent")}</p>
        </div><div class="kern-card__body"><pre class="komma-pre">${m.body || t("admin.outbox.bodyRemoved")}</pre></div></div></article>`,
      )}
    <//>`);
  });
}

/** Navigation entries of this module for the current actor. */
export function adminNav(request: FastifyRequest, platform: Platform): { href: string; label: string }[] {
  const actor = request.actor;
  const t = request.t;
  const items: { href: string; label: string }[] = [];
  if (tenantPolicy.can(actor, "list", null)) items.push({ href: "/verwaltung/kommunen", label: t("nav.tenants") });
  const tenant = request.currentTenant;
  if (tenant && tenant.kind !== "national" && peoplePolicy.can(actor, "list", tenant)) {
    items.push({ href: `/verwaltung/kommunen/${tenant.slug}/personen`, label: t("nav.people") });
  }
  if (tenant && settingsPolicy.can(actor, "configure", tenant)) items.push({ href: "/verwaltung/einstellungen", label: t("nav.settings") });
  if (tenant && auditPolicy.can(actor, "read", tenant)) items.push({ href: "/verwaltung/protokoll", label: t("nav.audit") });
  if (siteTextsPolicy.can(actor, "edit", null)) items.push({ href: "/verwaltung/rechtstexte", label: t("nav.siteTexts") });
  if (outboxPolicy.can(actor, "read", { development: platform.config.env !== "production" }))
    items.push({ href: "/verwaltung/postausgang", label: t("nav.outbox") });
  return items;
}
