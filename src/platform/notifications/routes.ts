import type { FastifyInstance, FastifyRequest } from "fastify";
import { type NavProvider, viewContext } from "../http/context.ts";
import { AppError } from "../http/errors.ts";
import { requireActor, requireTenant, safeLocalPath } from "../http/guards.ts";
import { dateFormat } from "../i18n/formats.ts";
import type { Platform } from "../platform.ts";
import { CsrfField, html, Layout, PageHeading, SubmitButton, type ViewContext } from "../ui/html.ts";
import { markNoticesRead, type NoticeRow, noticesOf, setDigest, unreadNotices, wantsDigest } from "./notifications.ts";

declare module "fastify" {
  interface FastifyRequest {
    /** Unread notices of the signed-in person in the current municipality (pages only). */
    unreadNotices: number;
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function NoticesPage({ ctx, rows, digest }: { ctx: ViewContext; rows: NoticeRow[]; digest: boolean }) {
  const { t } = ctx;
  const fmt = dateFormat(ctx.lang, { dateStyle: "medium", timeStyle: "short", timeZone: "Europe/Berlin" });
  const unread = rows.filter((r) => !r.readAt).length;
  return html`<${Layout} ctx=${ctx} title=${t("notifications.title")}>
    <${PageHeading} title=${t("notifications.title")} lead=${t("notifications.lead")} />
    ${
      rows.length === 0
        ? html`<p class="kern-body">${t("notifications.none")}</p>`
        : html`<ul class="kern-list komma-notices">
          ${rows.map(
            (r) => html`<li class=${r.readAt ? "komma-notice" : "komma-notice komma-notice--unread"}>
              <a class="kern-link" href=${`/konto/benachrichtigungen/${r.id}`}>${t(`${r.kind}.title`, r.params)}</a>
              ${!r.readAt && html` <span class="kern-badge kern-badge--info"><span class="kern-label kern-label--small">${t("notifications.unread")}</span></span>`}
              <br /><span class="kern-body kern-body--small">${fmt.format(r.createdAt)}</span>
            </li>`,
          )}
        </ul>
        ${
          unread > 0 &&
          html`<form method="post" action="/konto/benachrichtigungen/gelesen" class="komma-form">
            <${CsrfField} ctx=${ctx} /><${SubmitButton} label=${t("notifications.markAllRead")} variant="secondary" />
          </form>`
        }`
    }
    <h2 class="kern-heading-medium" id="einstellungen">${t("notifications.settings")}</h2>
    <form method="post" action="/konto/benachrichtigungen/einstellungen" class="komma-form">
      <${CsrfField} ctx=${ctx} />
      <div class="kern-form-check">
        <input class="kern-form-check__checkbox" type="checkbox" id="f-digest" name="digest" value="yes" checked=${digest} aria-describedby="f-digest-hint" />
        <label class="kern-label" for="f-digest">${t("notifications.digest")}</label>
        <div class="kern-hint" id="f-digest-hint">${t("notifications.digestHint")}</div>
      </div>
      <${SubmitButton} label=${t("notifications.saveSettings")} variant="secondary" />
    </form>
  <//>`;
}

/**
 * The notification centre's pages under /konto, and the unread count every page of a signed-in
 * person carries in its navigation. Registered before the modules' routes, so the hook sees them.
 */
export function registerNotificationCentre(app: FastifyInstance, platform: Platform, nav: NavProvider) {
  app.decorateRequest("unreadNotices", 0);
  app.addHook("preHandler", async (request: FastifyRequest) => {
    if (request.method !== "GET" || !request.actor || !request.currentTenant || request.viaApiToken || request.url.startsWith("/api/")) return;
    request.unreadNotices = await unreadNotices(platform.db, request.currentTenant.id, request.actor.userId);
  });

  app.get("/konto/benachrichtigungen", async (request, reply) => {
    const { actor } = requireActor(request);
    const tenant = requireTenant(request);
    const [rows, digest] = await Promise.all([noticesOf(platform.db, tenant.id, actor.userId), wantsDigest(platform.db, tenant.id, actor.userId)]);
    return reply.page(html`<${NoticesPage} ctx=${viewContext(request, nav)} rows=${rows} digest=${digest} />`);
  });

  app.post("/konto/benachrichtigungen/einstellungen", async (request, reply) => {
    const { actor } = requireActor(request);
    const tenant = requireTenant(request);
    const on = (request.body as Record<string, unknown> | undefined)?.digest === "yes";
    await setDigest(platform.db, tenant.id, actor.userId, on, platform.clock.now());
    return reply
      .flash({ kind: "success", message: request.t(on ? "notifications.digestOn" : "notifications.digestOff") })
      .redirect("/konto/benachrichtigungen", 303);
  });

  // Opening a notice marks it read and leads to what it is about.
  app.get("/konto/benachrichtigungen/:id", async (request, reply) => {
    const { actor } = requireActor(request);
    const tenant = requireTenant(request);
    const { id } = request.params as { id: string };
    if (!UUID.test(id)) throw new AppError("not_found");
    const link = await markNoticesRead(platform.db, tenant.id, actor.userId, id.toLowerCase(), platform.clock.now());
    if (!link) throw new AppError("not_found");
    // Only a path of this app: a stored link never sends anyone elsewhere.
    return reply.redirect(safeLocalPath(link, "/konto/benachrichtigungen"), 303);
  });

  app.post("/konto/benachrichtigungen/gelesen", async (request, reply) => {
    const { actor } = requireActor(request);
    const tenant = requireTenant(request);
    await markNoticesRead(platform.db, tenant.id, actor.userId, null, platform.clock.now());
    return reply.flash({ kind: "success", message: request.t("notifications.allRead") }).redirect("/konto/benachrichtigungen", 303);
  });
}
