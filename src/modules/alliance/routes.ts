import { readFileSync } from "node:fs";
import path from "node:path";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { NotFoundError } from "../../platform/authz/policy.ts";
import { type NavProvider, viewContext } from "../../platform/http/context.ts";
import { fieldErrors } from "../../platform/http/errors.ts";
import { requireActor, requireTenant } from "../../platform/http/guards.ts";
import { isPublicLanguage, type PublicLanguage, translator } from "../../platform/i18n/i18n.ts";
import type { Platform } from "../../platform/platform.ts";
import { html, type ViewContext } from "../../platform/ui/html.ts";
import { qrSvg } from "../../platform/ui/qr.ts";
import { emergencyCardPdf } from "./card-pdf.ts";
import { EmergencyCardPage } from "./card-view.ts";
import {
  addContact,
  authorizeEdit,
  changeCardVisibility,
  directory,
  emergencyCard,
  partnerDetail,
  removeContact,
  removePartner,
  savePartner,
} from "./commands.ts";
import { entryFormValues, formValues, one, readEntryForm, type Values } from "./forms.ts";
import { isOpenAt } from "./hours.ts";
import { cardPolicy } from "./policy.ts";
import { addResponsibility, removeResponsibility, responsibilityMatrix } from "./responsibilities.ts";
import { cardSettingsInput, contactInput, partnerInput, responsibilityInput } from "./schemas.ts";
import { contactsVcard } from "./vcard.ts";
import { DirectoryPage, MatrixPage, PartnerFormPage, PartnerPage, RemovePartnerPage } from "./views.ts";

type Body = Record<string, unknown>;

/** The directory's pages for the people of a municipality, and the public emergency card. */
export function registerAllianceRoutes(app: FastifyInstance, platform: Platform, nav: NavProvider) {
  const ctx = (request: FastifyRequest) => viewContext(request, nav);
  const tenantOf = (request: FastifyRequest) => {
    const t = requireTenant(request);
    return { id: t.id, slug: t.slug, name: t.name, kind: t.kind };
  };
  const idOf = (request: FastifyRequest, key = "id") => (request.params as Record<string, string>)[key];

  async function directoryPage(request: FastifyRequest, reply: FastifyReply, errors = {}, status = 200) {
    const { actor } = requireActor(request);
    const tenant = tenantOf(request);
    const dir = await directory(platform, actor, tenant);
    const now = platform.clock.now();
    const openNow = new Set(dir.partners.filter((p) => isOpenAt(p.hours, now)).map((p) => p.id));
    return reply.page(html`<${DirectoryPage} ctx=${ctx(request)} tenant=${tenant} dir=${dir} openNow=${openNow} errors=${errors} />`, status);
  }

  app.get("/allianz", (request, reply) => directoryPage(request, reply));

  const readPartner = (request: FastifyRequest, values: Values) => readEntryForm(partnerInput, values, request.t);

  app.get("/allianz/partner/neu", async (request, reply) => {
    const { actor } = requireActor(request);
    authorizeEdit(actor, tenantOf(request));
    return reply.page(
      html`<${PartnerFormPage} ctx=${ctx(request)} action="/allianz/partner/neu" title=${request.t("alliance.partner.add")} values=${{}} errors=${{}} cancel="/allianz" />`,
    );
  });

  app.post("/allianz/partner/neu", async (request, reply) => {
    const { actor } = requireActor(request);
    const tenant = tenantOf(request);
    authorizeEdit(actor, tenant);
    const values = formValues(request.body);
    const read = readPartner(request, values);
    if (!read.ok) {
      return reply.page(
        html`<${PartnerFormPage} ctx=${ctx(request)} action="/allianz/partner/neu" title=${request.t("alliance.partner.add")} values=${values} errors=${read.errors} cancel="/allianz" />`,
        400,
      );
    }
    const id = await savePartner(platform, actor, tenant, null, read.input);
    return reply.flash({ kind: "success", message: request.t("alliance.partner.created", { name: read.input.name }) }).redirect(`/allianz/partner/${id}`, 303);
  });

  app.get("/allianz/partner/:id", async (request, reply) => {
    const { actor } = requireActor(request);
    const partner = await partnerDetail(platform, actor, tenantOf(request), idOf(request));
    return reply.page(html`<${PartnerPage} ctx=${ctx(request)} partner=${partner} />`);
  });

  app.get("/allianz/partner/:id/bearbeiten", async (request, reply) => {
    const { actor } = requireActor(request);
    const tenant = tenantOf(request);
    authorizeEdit(actor, tenant);
    const p = await partnerDetail(platform, actor, tenant, idOf(request));
    const values: Values = { ...entryFormValues(p), region: p.region, cardSituations: p.cardSituations };
    const action = `/allianz/partner/${p.id}/bearbeiten`;
    return reply.page(
      html`<${PartnerFormPage} ctx=${ctx(request)} action=${action} title=${request.t("alliance.partner.editTitle", { name: p.name })} values=${values} errors=${{}} cancel=${`/allianz/partner/${p.id}`} />`,
    );
  });

  app.post("/allianz/partner/:id/bearbeiten", async (request, reply) => {
    const { actor } = requireActor(request);
    const tenant = tenantOf(request);
    authorizeEdit(actor, tenant);
    const p = await partnerDetail(platform, actor, tenant, idOf(request));
    const values = formValues(request.body);
    const read = readPartner(request, values);
    if (!read.ok) {
      const action = `/allianz/partner/${p.id}/bearbeiten`;
      return reply.page(
        html`<${PartnerFormPage} ctx=${ctx(request)} action=${action} title=${request.t("alliance.partner.editTitle", { name: p.name })} values=${values} errors=${read.errors} cancel=${`/allianz/partner/${p.id}`} />`,
        400,
      );
    }
    await savePartner(platform, actor, tenant, p.id, read.input);
    return reply.flash({ kind: "success", message: request.t("alliance.partner.saved", { name: read.input.name }) }).redirect(`/allianz/partner/${p.id}`, 303);
  });

  app.get("/allianz/partner/:id/entfernen", async (request, reply) => {
    const { actor } = requireActor(request);
    const tenant = tenantOf(request);
    authorizeEdit(actor, tenant);
    const partner = await partnerDetail(platform, actor, tenant, idOf(request));
    return reply.page(html`<${RemovePartnerPage} ctx=${ctx(request)} partner=${partner} />`);
  });

  app.post("/allianz/partner/:id/entfernen", async (request, reply) => {
    const { actor } = requireActor(request);
    const tenant = tenantOf(request);
    const p = await partnerDetail(platform, actor, tenant, idOf(request));
    await removePartner(platform, actor, tenant, p.id);
    return reply.flash({ kind: "success", message: request.t("alliance.partner.removed", { name: p.name }) }).redirect("/allianz", 303);
  });

  app.post("/allianz/partner/:id/kontakte", async (request, reply) => {
    const { actor } = requireActor(request);
    const tenant = tenantOf(request);
    authorizeEdit(actor, tenant);
    const values = formValues(request.body);
    const parsed = contactInput.safeParse({ name: one(values.name), function: one(values.function), phone: one(values.phone), email: one(values.email) });
    if (!parsed.success) {
      const partner = await partnerDetail(platform, actor, tenant, idOf(request));
      return reply.page(
        html`<${PartnerPage} ctx=${ctx(request)} partner=${partner} contactValues=${values} errors=${fieldErrors(parsed.error, request.t)} />`,
        400,
      );
    }
    await addContact(platform, actor, tenant, idOf(request), parsed.data);
    return reply.flash({ kind: "success", message: request.t("alliance.contacts.added") }).redirect(`/allianz/partner/${idOf(request)}`, 303);
  });

  app.post("/allianz/partner/:id/kontakte/:contactId/entfernen", async (request, reply) => {
    const { actor } = requireActor(request);
    await removeContact(platform, actor, tenantOf(request), idOf(request), idOf(request, "contactId"));
    return reply.flash({ kind: "success", message: request.t("alliance.contacts.removed") }).redirect(`/allianz/partner/${idOf(request)}`, 303);
  });

  app.post("/allianz/notfallkarte", async (request, reply) => {
    const { actor } = requireActor(request);
    const tenant = tenantOf(request);
    authorizeEdit(actor, tenant);
    const parsed = cardSettingsInput.safeParse({ cardVisibility: one(formValues(request.body).cardVisibility) });
    if (!parsed.success) return directoryPage(request, reply, fieldErrors(parsed.error, request.t), 400);
    await changeCardVisibility(platform, actor, tenant, parsed.data.cardVisibility);
    return reply.flash({ kind: "success", message: request.t(`alliance.card.visibilitySaved_${parsed.data.cardVisibility}`) }).redirect("/allianz", 303);
  });

  /* ---------------------------------------------------------- the responsibility matrix */

  async function matrixPage(request: FastifyRequest, reply: FastifyReply, values: Values = {}, errors = {}, status = 200) {
    const { actor } = requireActor(request);
    const matrix = await responsibilityMatrix(platform, actor, tenantOf(request));
    return reply.page(html`<${MatrixPage} ctx=${ctx(request)} matrix=${matrix} values=${values} errors=${errors} />`, status);
  }

  app.get("/allianz/zustaendigkeiten", (request, reply) => matrixPage(request, reply));

  app.post("/allianz/zustaendigkeiten", async (request, reply) => {
    const { actor } = requireActor(request);
    const tenant = tenantOf(request);
    authorizeEdit(actor, tenant);
    const values = formValues(request.body);
    const parsed = responsibilityInput.safeParse({
      stage: one(values.stage),
      form: one(values.form),
      level: one(values.level),
      raci: one(values.raci),
      assignee: one(values.assignee),
    });
    if (!parsed.success) return matrixPage(request, reply, values, fieldErrors(parsed.error, request.t), 400);
    const added = await addResponsibility(platform, actor, tenant, parsed.data);
    if (!added.ok) return matrixPage(request, reply, values, { assignee: request.t("errors.alliance.assignee") }, 400);
    return reply.flash({ kind: "success", message: request.t("alliance.matrix.added") }).redirect("/allianz/zustaendigkeiten", 303);
  });

  app.post("/allianz/zustaendigkeiten/:id/entfernen", async (request, reply) => {
    const { actor } = requireActor(request);
    await removeResponsibility(platform, actor, tenantOf(request), idOf(request));
    return reply.flash({ kind: "success", message: request.t("alliance.matrix.removed") }).redirect("/allianz/zustaendigkeiten", 303);
  });

  /* ---------------------------------------------------------------- the emergency card */

  // The card's service worker, at the top so that it may serve a card's address (scope /{slug}/notfallkarte).
  const serviceWorker = readFileSync(path.join(import.meta.dirname, "assets/card-sw.js"), "utf8");
  app.get("/notfallkarte-sw.js", (_request, reply) =>
    reply.header("content-type", "text/javascript; charset=utf-8").header("cache-control", "no-cache").send(serviceWorker),
  );

  /** The card's language: ?sprache= (any of the reporting languages), else the interface's. */
  function cardCtx(request: FastifyRequest): ViewContext {
    const q = (request.query as Body | undefined)?.sprache;
    const lang: PublicLanguage = isPublicLanguage(q) ? q : isPublicLanguage(request.lang) ? request.lang : "de";
    request.lang = lang;
    request.t = translator(lang);
    return ctx(request);
  }

  /**
   * The card a request asks for. Someone signed out who kept the link to a card for staff only
   * (the page, its PDF or its vCard) is asked to sign in and comes back to it, not told it is gone.
   */
  async function requestedCard(request: FastifyRequest, reply: FastifyReply, suffix: string) {
    const slug = (request.params as { slug: string }).slug;
    const card = await emergencyCard(platform, request.actor, slug).catch((err) => {
      if (!request.actor && err instanceof NotFoundError && err.denial?.policy === cardPolicy.name) return null;
      throw err;
    });
    if (!card) reply.redirect(`/anmelden?weiter=${encodeURIComponent(`/${slug}/notfallkarte${suffix}`)}`, 303);
    return card;
  }

  app.get("/:slug/notfallkarte", async (request, reply) => {
    const card = await requestedCard(request, reply, "");
    if (!card) return reply;
    const c = cardCtx(request);
    const reportUrl = `${platform.config.publicUrl}/${card.tenant.slug}/melden`;
    const qr = await qrSvg(reportUrl, c.t("alliance.card.report.qr", { tenant: card.tenant.name }));
    // A public card holds no personal data: the browser (and the card's service worker) may keep it,
    // checking for a newer one each time. A staff-only card is not kept anywhere.
    reply.header("cache-control", card.visibility === "public" ? "no-cache" : "private, no-store");
    return reply.page(html`<${EmergencyCardPage} ctx=${c} card=${card} reportUrl=${reportUrl} qr=${qr} />`);
  });

  app.get("/:slug/notfallkarte.vcf", async (request, reply) => {
    const card = await requestedCard(request, reply, ".vcf");
    if (!card) return reply;
    const seen = new Set<string>();
    const contacts = Object.values(card.situations)
      .flat()
      .filter((c) => (seen.has(c.id) ? false : seen.add(c.id)))
      .map((c) => ({ organisation: c.name, phone: c.phone ?? undefined, email: c.email ?? undefined, web: c.web ?? undefined, note: c.services || undefined }));
    const t = translator("de");
    const vcf = contactsVcard([
      { organisation: t("alliance.card.vcardPolice"), phone: "110" },
      { organisation: t("alliance.card.vcardRescue"), phone: "112" },
      ...contacts,
    ]);
    if (card.visibility === "staff") reply.header("cache-control", "private, no-store");
    return reply
      .header("content-type", "text/vcard; charset=utf-8")
      .header("content-disposition", `attachment; filename="notfallkarte-${card.tenant.slug}.vcf"`)
      .send(vcf);
  });

  app.get("/:slug/notfallkarte.pdf", async (request, reply) => {
    const card = await requestedCard(request, reply, ".pdf");
    if (!card) return reply;
    const c = cardCtx(request);
    const pdf = await emergencyCardPdf(card, c.lang as PublicLanguage, c.t, `${platform.config.publicUrl}/${card.tenant.slug}/melden`);
    reply.header("cache-control", card.visibility === "public" ? "no-cache" : "private, no-store");
    return reply
      .header("content-type", "application/pdf")
      .header("content-disposition", `inline; filename="notfallkarte-${card.tenant.slug}-${c.lang}.pdf"`)
      .send(pdf);
  });
}
