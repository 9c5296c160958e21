import { and, asc, eq, ne, sql } from "drizzle-orm";
import type { FastifyInstance, FastifyRequest } from "fastify";
import { z } from "zod";
import type { Role } from "../../platform/authz/policy.ts";
import { inTransaction, withTenant } from "../../platform/db/client.ts";
import { accessibilityFeedback, tenants } from "../../platform/db/schema.ts";
import { type NavProvider, viewContext } from "../../platform/http/context.ts";
import { AppError, fieldErrors } from "../../platform/http/errors.ts";
import { safeLocalPath } from "../../platform/http/guards.ts";
import type { Translate } from "../../platform/i18n/i18n.ts";
import type { Platform } from "../../platform/platform.ts";
import {
  CsrfField,
  ErrorSummary,
  type FieldErrors,
  html,
  Layout,
  PageHeading,
  Paragraphs,
  SubmitButton,
  TextArea,
  TextField,
  type ViewContext,
} from "../../platform/ui/html.ts";
import { CONTROL_CHARACTERS_MESSAGE, singleLine, withoutControlCharacters } from "../../platform/validation.ts";
import { OfficeNoticesView, officeNotices } from "../cases/index.ts";

/**
 * Roles whose modules do not exist yet. Their start page says plainly what KommA offers them
 * now and what comes, and where to report and find help, instead of an empty page.
 */
const ROLES_WITHOUT_MODULE: readonly Role[] = ["leader", "staff", "alliance_partner", "trainer", "advisory_board"];

/** Where to turn in this municipality: the clearing office, as the municipal admin entered it. */
function ClearingContact({
  ctx,
  tenantName,
  contact,
}: {
  ctx: ViewContext;
  tenantName: string;
  contact: { phone: string | null; email: string | null; hours: string | null } | null;
}) {
  const { t } = ctx;
  if (!contact?.phone && !contact?.email) return html`<p class="kern-body">${t("site.start.noContact", { tenant: tenantName })}</p>`;
  return html`<section class="kern-card komma-help" aria-labelledby="clearing-contact">
    <div class="kern-card__container"><div class="kern-card__body">
      <h3 class="kern-heading-small" id="clearing-contact">${t("site.start.contactTitle", { tenant: tenantName })}</h3>
      <dl class="kern-description-list">
        ${contact.phone && html`<div class="kern-description-list-item"><dt class="kern-description-list-item__key">${t("site.start.phone")}</dt><dd class="kern-description-list-item__value"><a class="kern-link" href=${`tel:${contact.phone.replace(/[^+0-9]/g, "")}`}>${contact.phone}</a></dd></div>`}
        ${contact.email && html`<div class="kern-description-list-item"><dt class="kern-description-list-item__key">${t("site.start.email")}</dt><dd class="kern-description-list-item__value"><a class="kern-link" href=${`mailto:${contact.email}`}>${contact.email}</a></dd></div>`}
        ${contact.hours && html`<div class="kern-description-list-item"><dt class="kern-description-list-item__key">${t("site.start.hours")}</dt><dd class="kern-description-list-item__value">${contact.hours}</dd></div>`}
      </dl>
    </div></div>
  </section>`;
}

export const FEEDBACK_MESSAGE = "accessibility_feedback.message";
export const FEEDBACK_CONTACT = "accessibility_feedback.contact";

const feedbackSchema = z.object({
  message: z.string().trim().min(3, "errors.feedback.messageRequired").max(5000, "errors.tooLong").refine(withoutControlCharacters, CONTROL_CHARACTERS_MESSAGE),
  contact: z.string().trim().max(254, "errors.tooLong").refine(singleLine, CONTROL_CHARACTERS_MESSAGE).optional(),
  page: z.string().max(500, "errors.tooLong").refine(singleLine, CONTROL_CHARACTERS_MESSAGE).optional(),
});

/**
 * A legal text as its author wrote it (plain text, in German), or, until it is filled in, a
 * default that says so plainly.
 */
function LegalPage({ ctx, title, text, fallback, children }: { ctx: ViewContext; title: string; text: string | null; fallback: string[]; children?: unknown }) {
  return html`<${Layout} ctx=${ctx} title=${title}>
    <${PageHeading} title=${title} />
    ${
      text
        ? html`<${Paragraphs} text=${text} lang=${ctx.lang === "de" ? undefined : "de"} />`
        : html`<div class="komma-prose">${fallback.map((p) => html`<p class="kern-body">${p}</p>`)}</div>`
    }
    ${children}
  <//>`;
}

function AccessibilityPage({
  ctx,
  values,
  errors,
  sent,
}: {
  ctx: ViewContext;
  values: { message?: string; contact?: string; page?: string };
  errors: FieldErrors;
  sent: boolean;
}) {
  const { t } = ctx;
  return html`<${Layout} ctx=${ctx} title=${t("site.accessibility.title")}>
    <${PageHeading} title=${t("site.accessibility.title")} />
    <div class="komma-prose">
      <p class="kern-body">${t("site.accessibility.scope")}</p>
      <h2 class="kern-heading-medium">${t("site.accessibility.statusTitle")}</h2>
      <p class="kern-body">${t("site.accessibility.status")}</p>
      <h2 class="kern-heading-medium">${t("site.accessibility.knownTitle")}</h2>
      <p class="kern-body">${t("site.accessibility.known")}</p>
      <h2 class="kern-heading-medium">${t("site.accessibility.enforcementTitle")}</h2>
      <p class="kern-body">${t("site.accessibility.enforcement")}</p>
    </div>
    <h2 class="kern-heading-medium" id="rueckmeldung">${t("site.accessibility.feedbackTitle")}</h2>
    ${sent && html`<div class="kern-alert kern-alert--success" role="status"><div class="kern-alert__header"><span class="kern-icon kern-icon--success" aria-hidden="true"></span><p class="kern-title">${t("site.accessibility.thanks")}</p></div></div>`}
    <${ErrorSummary} t=${t} errors=${errors} />
    <form method="post" action="/barrierefreiheit" novalidate class="komma-form">
      <${CsrfField} ctx=${ctx} />
      <${TextField} name="page" label=${t("site.accessibility.page")} hint=${t("site.accessibility.pageHint")} value=${values.page} error=${errors.page} />
      <${TextArea} name="message" label=${t("site.accessibility.message")} value=${values.message} error=${errors.message} required />
      <${TextField} name="contact" label=${t("site.accessibility.contact")} hint=${t("site.accessibility.contactHint")} value=${values.contact} error=${errors.contact} autocomplete="email" />
      <${SubmitButton} label=${t("site.accessibility.send")} />
    </form>
  <//>`;
}

/** A name as the search compares it: without case, accents or ß ("Straßburg" is found as "strassburg" and "Strasburg"). */
function searchable(text: string): string {
  return text.normalize("NFKD").replace(/\p{M}/gu, "").toLocaleLowerCase("de").replace(/ß/g, "ss").replace(/\s+/g, " ").trim();
}

/** 110 and 112 at the top of the start pages, as links a phone calls. */
function EmergencyNote({ t }: { t: Translate }) {
  return html`<div class="kern-alert kern-alert--danger" role="note"><div class="kern-alert__header"><span class="kern-icon kern-icon--danger" aria-hidden="true"></span>
      <p class="kern-title">${t("site.home.emergency")}</p></div>
      <div class="kern-alert__body"><p class="kern-body">${t("site.home.emergencyText")}</p>
        <p class="kern-body">${t("site.home.call")}${" "}<span dir="ltr"><a class="kern-link" href="tel:110">110</a> · <a class="kern-link" href="tel:112">112</a></span></p></div></div>`;
}

export function registerSiteRoutes(app: FastifyInstance, platform: Platform, nav: NavProvider) {
  const ctx = (request: FastifyRequest) => viewContext(request, nav);

  app.get("/", async (request, reply) => {
    const t = request.t;
    const asked = (request.query as Record<string, unknown> | undefined)?.kommune;
    const query =
      typeof asked === "string"
        ? asked
            .replace(/\p{Cc}/gu, " ")
            .trim()
            .slice(0, 100)
        : "";
    const all = await inTransaction(platform.db, {}, (tx) =>
      tx
        .select({ slug: tenants.slug, name: tenants.name })
        .from(tenants)
        .where(ne(tenants.kind, "national"))
        .orderBy(asc(sql`${tenants.name} collate german`)),
    );
    const wanted = searchable(query);
    const municipalities = wanted ? all.filter((m) => searchable(m.name).includes(wanted)) : all;
    return reply.page(html`<${Layout} ctx=${ctx(request)} title=${t("site.home.title")}>
      <${PageHeading} title=${t("site.home.title")} lead=${t("site.home.lead")} />
      <${EmergencyNote} t=${t} />
      <h2 class="kern-heading-medium" id="kommunen">${t("site.home.municipalities")}</h2>
      <p class="kern-body">${t("site.home.municipalitiesLead", { count: all.length })} ${t("site.home.chooseToReport")}</p>
      <form method="get" action="/#kommunen" role="search" class="komma-search">
        <${TextField} name="kommune" type="search" label=${t("site.home.search")} value=${query} autocomplete="off" />
        <${SubmitButton} label=${t("site.home.searchSubmit")} variant="secondary" />
      </form>
      ${
        wanted &&
        html`<p class="kern-body" role="status">${municipalities.length > 0 ? t("site.home.found", { count: municipalities.length, query }) : t("site.home.noneFound", { query })}
          ${" "}<a class="kern-link" href="/#kommunen">${t("site.home.showAll")}</a></p>`
      }
      <ul class="kern-list komma-columns">
        ${municipalities.map((m) => html`<li lang="de"><a class="kern-link" href=${`/${m.slug}`}>${m.name}</a></li>`)}
      </ul>
      <h2 class="kern-heading-medium">${t("site.home.knowledge")}</h2>
      <p class="kern-body">${t("site.home.knowledgeLead")}</p>
      <ul class="kern-list">
        <li><a class="kern-link" href="/wissen">${t("site.home.practices")}</a></li>
        <li><a class="kern-link" href="/wissen/strategien">${t("site.home.strategies")}</a></li>
      </ul>
      <h2 class="kern-heading-medium">${t("site.home.staff")}</h2>
      <p class="kern-body"><a class="kern-link" href="/anmelden">${t("site.home.signIn")}</a></p>
    <//>`);
  });

  app.get("/start", async (request, reply) => {
    if (!request.actor) return reply.redirect(request.session ? "/anmelden" : "/anmelden?weiter=/start", 303);
    const t = request.t;
    const c = ctx(request);
    const tenant = request.currentTenant;
    const notices = tenant ? await officeNotices(platform, request.actor, tenant) : null;
    const roles = request.actor.memberships.filter((m) => m.tenantId === tenant?.id).map((m) => m.role);
    const [contact] = tenant
      ? await inTransaction(platform.db, {}, (tx) =>
          tx.select({ phone: tenants.contactPhone, email: tenants.contactEmail, hours: tenants.contactHours }).from(tenants).where(eq(tenants.id, tenant.id)),
        )
      : [];
    const municipal = !!tenant && tenant.kind !== "national";
    return reply.page(html`<${Layout} ctx=${c} title=${t("site.start.title")}>
      <${PageHeading} title=${t("site.start.greeting", { name: request.user?.displayName ?? "" })} lead=${tenant ? t("site.start.lead", { tenant: tenant.name }) : t("site.start.noTenant")} />
      ${notices && html`<${OfficeNoticesView} ctx=${c} notices=${notices} />`}
      ${municipal && html`<p><a class="kern-btn kern-btn--primary" href=${`/${tenant.slug}/melden`}><span class="kern-label">${t("site.start.report")}</span></a></p>`}
      ${municipal && html`<p class="kern-body kern-body--large"><a class="kern-link" href=${`/${tenant.slug}/notfallkarte`}>${t("site.start.card")}</a></p>`}
      ${roles
        .filter((r) => ROLES_WITHOUT_MODULE.includes(r))
        .map(
          (r) => html`<section class="komma-prose" aria-labelledby=${`rolle-${r}`}>
            <h2 class="kern-heading-medium" id=${`rolle-${r}`}>${t(`site.start.forRole.${r}.title`)}</h2>
            <p class="kern-body">${t(`site.start.forRole.${r}.now`)}</p>
            <p class="kern-body">${t(`site.start.forRole.${r}.later`)}</p>
          </section>`,
        )}
      ${
        roles.some((r) => ROLES_WITHOUT_MODULE.includes(r)) &&
        html`<h2 class="kern-heading-medium">${t("site.start.helpTitle")}</h2>
        <${EmergencyNote} t=${t} />
        ${municipal && html`<${ClearingContact} ctx=${c} tenantName=${tenant.name} contact=${contact ?? null} />`}`
      }
      <h2 class="kern-heading-medium">${t("site.start.roles")}</h2>
      <ul class="kern-list">
        ${roles.map((r) => html`<li>${t(`roles.${r}`)}</li>`)}
      </ul>
      ${
        c.nav.length > 0 &&
        html`<h2 class="kern-heading-medium">${t("site.start.tasks")}</h2>
        <ul class="kern-list">${c.nav.filter((n) => n.href !== "/start").map((n) => html`<li><a class="kern-link" href=${n.href}>${n.label}</a></li>`)}</ul>`
      }
    <//>`);
  });

  /** The operator's texts, held on the national tenant; until they are filled in, a default says so. */
  async function siteTexts() {
    const [row] = await inTransaction(platform.db, {}, (tx) =>
      tx.select({ imprint: tenants.imprint, privacyNotice: tenants.privacyNotice }).from(tenants).where(eq(tenants.id, platform.nationalTenant.id)),
    );
    return row ?? { imprint: null, privacyNotice: null };
  }

  app.get("/impressum", async (request, reply) => {
    const { imprint } = await siteTexts();
    return reply.page(
      html`<${LegalPage} ctx=${ctx(request)} title=${request.t("site.imprint.title")} text=${imprint} fallback=${request.t("site.imprint.notYet", { returnObjects: true }) as string[]} />`,
    );
  });
  app.get("/datenschutz", async (request, reply) => {
    const { privacyNotice } = await siteTexts();
    return reply.page(
      html`<${LegalPage} ctx=${ctx(request)} title=${request.t("site.privacy.title")} text=${privacyNotice} fallback=${request.t("site.privacy.notYet", { returnObjects: true }) as string[]} />`,
    );
  });

  /* A municipality's privacy notice for reporting, which a reporter can read before sending. */
  app.get("/:slug/datenschutz", async (request, reply) => {
    const { slug } = request.params as { slug: string };
    if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(slug) || slug.length > 60) throw new AppError("not_found");
    const [tenant] = await inTransaction(platform.db, {}, (tx) =>
      tx
        .select({ name: tenants.name, slug: tenants.slug, privacyNotice: tenants.privacyNotice })
        .from(tenants)
        .where(and(eq(tenants.slug, slug), ne(tenants.kind, "national"))),
    );
    if (!tenant) throw new AppError("not_found");
    const t = request.t;
    const title = t("site.reportPrivacy.title", { tenant: tenant.name });
    return reply.page(html`<${LegalPage}
      ctx=${ctx(request)}
      title=${title}
      text=${tenant.privacyNotice}
      fallback=${t("site.reportPrivacy.notYet", { tenant: tenant.name, returnObjects: true }) as string[]}
    >
      <p class="kern-body"><a class="kern-link" href="/datenschutz">${t("site.reportPrivacy.general")}</a></p>
      <p class="kern-body"><a class="kern-link" href=${`/${tenant.slug}/melden`}>${t("site.reportPrivacy.back", { tenant: tenant.name })}</a></p>
    <//>`);
  });

  app.get("/barrierefreiheit", async (request, reply) => {
    const page = safeLocalPath((request.query as Record<string, unknown>).seite, "");
    return reply.page(html`<${AccessibilityPage} ctx=${ctx(request)} values=${{ page }} errors=${{}} sent=${false} />`);
  });

  app.post("/barrierefreiheit", { config: { rateLimit: { max: 10, timeWindow: "1 minute" } } }, async (request, reply) => {
    const body = (request.body ?? {}) as Record<string, unknown>;
    const values = { message: String(body.message ?? ""), contact: String(body.contact ?? ""), page: String(body.page ?? "") };
    const parsed = feedbackSchema.safeParse(values);
    if (!parsed.success)
      return reply.page(html`<${AccessibilityPage} ctx=${ctx(request)} values=${values} errors=${fieldErrors(parsed.error, request.t)} sent=${false} />`, 400);
    // Feedback may name the person who sent it: sealed like any personal data.
    const national = platform.nationalTenant.id;
    await withTenant(platform.db, national, async (tx) => {
      const seal = await platform.keyring.sealer(tx, national);
      await tx.insert(accessibilityFeedback).values({
        message: seal(parsed.data.message, FEEDBACK_MESSAGE),
        contact: parsed.data.contact ? seal(parsed.data.contact, FEEDBACK_CONTACT) : null,
        pageUrl: parsed.data.page || null,
      });
    });
    return reply.page(html`<${AccessibilityPage} ctx=${ctx(request)} values=${{}} errors=${{}} sent=${true} />`);
  });
}
