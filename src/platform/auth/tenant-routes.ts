import { eq } from "drizzle-orm";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { inTransaction } from "../db/client.ts";
import { tenants } from "../db/schema.ts";
import { type NavProvider, viewContext } from "../http/context.ts";
import { AppError } from "../http/errors.ts";
import { requireActor, safeLocalPath } from "../http/guards.ts";
import type { Platform } from "../platform.ts";
import { CsrfField, html, Layout, PageHeading } from "../ui/html.ts";
import { switchTenant } from "./service.ts";

/** The municipality a person works in: the list to switch between, the switch, and a mail's link into one (`workspaceLink`). */
export function registerTenantRoutes(app: FastifyInstance, platform: Platform, nav: NavProvider) {
  const ctx = (request: FastifyRequest) => viewContext(request, nav);

  app.get("/konto/kommune", async (request, reply) => {
    const { actor } = requireActor(request);
    const t = request.t;
    const ids = [...new Set(actor.memberships.map((m) => m.tenantId))];
    const list = await inTransaction(platform.db, {}, (tx) => tx.select().from(tenants));
    const mine = list.filter((x) => ids.includes(x.id)).sort((a, b) => a.name.localeCompare(b.name, "de"));
    return reply.page(html`<${Layout} ctx=${ctx(request)} title=${t("account.tenant.title")}>
      <${PageHeading} title=${t("account.tenant.title")} lead=${t("account.tenant.lead")} />
      <ul class="kern-list">
        ${mine.map(
          (x) => html`<li>
            <form method="post" action="/konto/kommune" class="komma-inline-form">
              <${CsrfField} ctx=${ctx(request)} />
              <input type="hidden" name="tenant" value=${x.slug} />
              <button type="submit" class="kern-btn kern-btn--secondary" aria-current=${request.currentTenant?.id === x.id ? "true" : undefined}>
                <span class="kern-label">${x.name}${request.currentTenant?.id === x.id ? ` (${t("account.tenant.current")})` : ""}</span>
              </button>
              <span class="kern-body kern-body--small"> ${actor.memberships
                .filter((m) => m.tenantId === x.id)
                .map((m) => t(`roles.${m.role}`))
                .join(", ")}</span>
            </form>
          </li>`,
        )}
      </ul>
    <//>`);
  });

  app.post("/konto/kommune", async (request, reply) => {
    const { actor } = requireActor(request);
    const body = request.body as Record<string, unknown> | undefined;
    const slug = String(body?.tenant ?? "");
    const [tenant] = await inTransaction(platform.db, {}, (tx) => tx.select().from(tenants).where(eq(tenants.slug, slug)));
    if (!tenant || !actor.memberships.some((m) => m.tenantId === tenant.id) || !request.session) throw new AppError("not_found");
    await switchTenant(platform, request.session, tenant.id);
    return reply
      .flash({ kind: "success", message: request.t("account.tenant.switched", { name: tenant.name }) })
      .redirect(safeLocalPath(body?.weiter, "/start"), 303);
  });

  /*
   * A mail's link into one municipality (`workspaceLink`): the page itself for someone working
   * there; for someone working in another of theirs, a question first (a link does not switch by
   * itself); for anyone else, nothing.
   */
  const openIn = async (request: FastifyRequest, reply: FastifyReply) => {
    const { actor } = requireActor(request);
    const { slug } = request.params as { slug: string };
    const prefix = `/konto/kommune/${slug}`;
    const rest = request.url.startsWith(prefix) ? request.url.slice(prefix.length) : "";
    const next = safeLocalPath(rest === "" || rest.startsWith("?") ? "/start" : rest, "/start");
    const [tenant] = /^[a-z0-9]+(-[a-z0-9]+)*$/.test(slug)
      ? await inTransaction(platform.db, {}, (tx) => tx.select().from(tenants).where(eq(tenants.slug, slug)))
      : [];
    if (!tenant || !actor.memberships.some((m) => m.tenantId === tenant.id)) throw new AppError("not_found");
    if (request.currentTenant?.id === tenant.id) return reply.redirect(next, 303);
    const t = request.t;
    const title = t("account.tenant.openTitle", { name: tenant.name });
    return reply.page(html`<${Layout} ctx=${ctx(request)} title=${title}>
      <${PageHeading} title=${title} lead=${t("account.tenant.openLead", { name: tenant.name, current: request.currentTenant?.name ?? "" })} />
      <form method="post" action="/konto/kommune" class="komma-form">
        <${CsrfField} ctx=${ctx(request)} />
        <input type="hidden" name="tenant" value=${tenant.slug} />
        <input type="hidden" name="weiter" value=${next} />
        <div class="komma-actions">
          <button type="submit" class="kern-btn kern-btn--primary"><span class="kern-label">${t("account.tenant.openSwitch", { name: tenant.name })}</span></button>
          <a class="kern-link" href="/start">${t("account.tenant.openStay", { current: request.currentTenant?.name ?? "" })}</a>
        </div>
      </form>
    <//>`);
  };
  app.get("/konto/kommune/:slug", openIn);
  app.get("/konto/kommune/:slug/*", openIn);
}
