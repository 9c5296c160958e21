import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { NavProvider } from "../../platform/http/context.ts";
import { AppError, fieldErrors } from "../../platform/http/errors.ts";
import type { Platform } from "../../platform/platform.ts";
import { type FieldErrors, html } from "../../platform/ui/html.ts";
import { cardIsPublic, publicEmergencyCard } from "../alliance/index.ts";
import { createReport, DraftSentAlready, type TenantInfo } from "./commands.ts";
import { createDraft, type Draft, loadDraft, markDraftSent, saveDraft, sentNote } from "./drafts.ts";
import { draftEvidence, removeDraftEvidence } from "./evidence-commands.ts";
import { FORM_STEPS, type FormStep, isFormStep } from "./fields.ts";
import { readIntent } from "./intents.ts";
import { registerMailboxRoutes } from "./mailbox-routes.ts";
import { first, publicFlow, readBody } from "./public-flow.ts";
import { DonePage, LandingPage, MunicipalityPage, ReceiptPage } from "./public-pages.ts";
import { type DraftAnswers, type FormValues, STEPS, type StepName, stepFields, stepInput, stepSchemas } from "./schemas.ts";
import { EvidencePage, flowPath, ReviewPage, STEP_SLUGS, StepPage } from "./views.ts";

/** Whoever said "yes, in danger" sees 110 and 112 on every page of the flow. */
const inDanger = (draft: Draft) => draft.values.immediateDanger === "yes";

const SLUG_TO_STEP = Object.fromEntries(Object.entries(STEP_SLUGS).map(([k, v]) => [v, k])) as Record<string, StepName>;

export function registerReportRoutes(app: FastifyInstance, platform: Platform, nav: NavProvider) {
  const flow = publicFlow(platform, nav);
  const { limit, findTenant, ctxIn, langOf, takeEvidence } = flow;
  registerMailboxRoutes(app, platform, flow);

  async function draftOr404(tenant: TenantInfo, token: string, request: FastifyRequest, reply: FastifyReply): Promise<Draft | null> {
    const draft = await loadDraft(platform, tenant, token);
    if (!draft) expiredPage(request, reply, tenant);
    return draft;
  }

  function expiredPage(request: FastifyRequest, reply: FastifyReply, tenant: TenantInfo) {
    const ctx = ctxIn(request, langOf(request));
    return reply.page(
      html`<${LandingPage} ctx=${{ ...ctx, flash: { kind: "warning", message: ctx.t("reports.draftExpired") } }} tenant=${tenant} startAction=${`/${tenant.slug}/melden`} />`,
      410,
    );
  }

  function validateStep(step: FormStep, values: FormValues, t: (k: string) => string): { ok: true; data: DraftAnswers } | { ok: false; errors: FieldErrors } {
    const parsed = stepSchemas[step].safeParse(stepInput(step, values));
    return parsed.success ? { ok: true, data: parsed.data as DraftAnswers } : { ok: false, errors: fieldErrors(parsed.error, t) };
  }

  app.get("/:slug", async (request, reply) => {
    const tenant = await findTenant((request.params as { slug: string }).slug);
    const cardLink = (await cardIsPublic(platform, tenant.id)) ? `/${tenant.slug}/notfallkarte` : null;
    return reply.page(html`<${MunicipalityPage} ctx=${ctxIn(request, langOf(request))} tenant=${tenant} cardLink=${cardLink} />`);
  });

  app.get("/:slug/melden", async (request, reply) => {
    const tenant = await findTenant((request.params as { slug: string }).slug);
    const ctx = ctxIn(request, langOf(request));
    return reply.page(html`<${LandingPage} ctx=${ctx} tenant=${tenant} startAction=${`/${tenant.slug}/melden`} />`);
  });

  app.post("/:slug/melden", limit(30), async (request, reply) => {
    const tenant = await findTenant((request.params as { slug: string }).slug);
    const { values } = readBody(request.body);
    const lang = langOf(request, first(values.sprache));
    const token = await createDraft(platform, tenant, lang);
    return reply.redirect(flowPath(tenant, token, "danger", lang), 303);
  });

  /* ----------------------------------------------------------- the receipt */

  app.post("/:slug/melden/eingang", async (request, reply) => {
    const tenant = await findTenant((request.params as { slug: string }).slug);
    const { values } = readBody(request.body);
    const ctx = ctxIn(request, langOf(request, first(values.sprache)));
    const code = first(values.code);
    const caseNumber = first(values.fall);
    const anonymous = first(values.anonym) !== "0";
    // Only what the thank-you page says to the person themselves: nothing here is trusted beyond that.
    const confirmed = !anonymous && first(values.bestaetigt) === "1";
    if (first(values.confirm) !== "yes") {
      return reply.page(
        html`<${ReceiptPage} ctx=${ctx} tenant=${tenant} code=${code} caseNumber=${caseNumber} anonymous=${anonymous} confirmed=${confirmed} error=${ctx.t("reports.receipt.confirmRequired")} />`,
        400,
      );
    }
    return reply.page(
      html`<${DonePage} ctx=${ctx} tenant=${tenant} caseNumber=${caseNumber} anonymous=${anonymous} mailbox=${true} confirmed=${confirmed} card=${await publicEmergencyCard(platform, tenant.slug)} />`,
    );
  });

  /* ------------------------------------------------------------- the steps */

  /** A draft already sent: its address says so and what comes next, never asks to start again. */
  async function sentPage(request: FastifyRequest, reply: FastifyReply, tenant: TenantInfo, draft: Draft) {
    const sent = draft.sent as NonNullable<Draft["sent"]>;
    return reply.page(
      html`<${DonePage} ctx=${ctxIn(request, draft.lang)} tenant=${tenant} caseNumber=${sent.caseNumber} mailbox=${sent.mailbox} anonymous=${sent.anonymous} confirmed=${sent.confirmed === true} card=${await publicEmergencyCard(platform, tenant.slug)} />`,
    );
  }

  app.get("/:slug/melden/:token/:step", async (request, reply) => {
    const { slug, token, step: stepSlug } = request.params as { slug: string; token: string; step: string };
    const tenant = await findTenant(slug);
    const step = SLUG_TO_STEP[stepSlug];
    if (!step) throw new AppError("not_found");
    const draft = await draftOr404(tenant, token, request, reply);
    if (!draft) return reply;
    if (draft.sent) return sentPage(request, reply, tenant, draft);
    const ctx = ctxIn(request, draft.lang);
    if (step === "evidence") {
      return reply.page(
        html`<${EvidencePage} ctx=${ctx} tenant=${tenant} token=${token} showEmergency=${inDanger(draft)} items=${await draftEvidence(platform, tenant, token)} values=${{}} errors=${{}} />`,
      );
    }
    if (step === "review") {
      return reply.page(
        html`<${ReviewPage} ctx=${ctx} tenant=${tenant} token=${token} showEmergency=${inDanger(draft)} values=${draft.values} evidence=${await draftEvidence(platform, tenant, token)} errors=${{}} />`,
      );
    }
    return reply.page(
      html`<${StepPage} ctx=${ctx} tenant=${tenant} token=${token} step=${step} values=${draft.values} errors=${{}} showEmergency=${inDanger(draft)} />`,
    );
  });

  app.post("/:slug/melden/:token/:step", limit(120), async (request, reply) => {
    const { slug, token, step: stepSlug } = request.params as { slug: string; token: string; step: string };
    const tenant = await findTenant(slug);
    const step = SLUG_TO_STEP[stepSlug];
    if (!step) throw new AppError("not_found");
    const draft = await draftOr404(tenant, token, request, reply);
    if (!draft) return reply;
    if (draft.sent) return sentPage(request, reply, tenant, draft);
    const { values, files } = readBody(request.body);
    const index = STEPS.indexOf(step);
    const go = (to: StepName) => reply.redirect(flowPath(tenant, token, to, draft.lang), 303);
    const intent = readIntent(values.intent, step);
    const formStep = isFormStep(step) ? step : null;

    // A form step keeps exactly this step's fields, whatever was asked (an unticked box clears its value).
    if (formStep) for (const name of Object.keys(stepFields[formStep])) draft.values[name] = values[name];
    const ctx = ctxIn(request, draft.lang);
    const evidencePage = async (errors: FieldErrors, kept: FormValues, status: number, notice?: string) =>
      reply.page(
        html`<${EvidencePage} ctx=${ctx} tenant=${tenant} token=${token} showEmergency=${inDanger(draft)} items=${await draftEvidence(platform, tenant, token)} values=${kept} errors=${errors} notice=${notice} />`,
        status,
      );
    const stepPage = (errors: FieldErrors, status: number) =>
      reply.page(
        html`<${StepPage} ctx=${ctx} tenant=${tenant} token=${token} step=${step} values=${draft.values} errors=${errors} showEmergency=${inDanger(draft)} />`,
        status,
      );

    if (!intent) {
      // Unknown, malformed or not offered here (a forged post, a page from an older version):
      // the step again, with what was typed kept, and nothing else done.
      if (formStep) {
        await saveDraft(platform, tenant, token, draft);
        return stepPage({}, 400);
      }
      if (step === "evidence") return evidencePage({}, values, 400);
      return reply.page(
        html`<${ReviewPage} ctx=${ctx} tenant=${tenant} token=${token} showEmergency=${inDanger(draft)} values=${draft.values} evidence=${await draftEvidence(platform, tenant, token)} errors=${{}} />`,
        400,
      );
    }

    // Every button of the evidence form takes a chosen file and a typed link along, so nothing
    // chosen is lost; what could not be taken is shown with the input kept.
    let taken: Awaited<ReturnType<typeof takeEvidence>> | null = null;
    if (step === "evidence" && intent.action !== "remove" && intent.action !== "language") {
      taken = await takeEvidence(tenant, { draftToken: token }, files, values, ctx);
      if (Object.keys(taken.errors).length > 0) return evidencePage(taken.errors, values, 400, taken.notice);
    }

    switch (intent.action) {
      case "language":
        draft.lang = intent.arg;
        await saveDraft(platform, tenant, token, draft);
        return go(step);
      case "remove":
        await removeDraftEvidence(platform, tenant, token, intent.arg);
        return go("evidence");
      case "upload":
      case "link":
        if (taken?.nothing) return evidencePage({ file: ctx.t("reports.evidence.problems.noFile") }, {}, 400);
        return evidencePage({}, {}, 200, taken?.notice);
      case "back":
        if (formStep) await saveDraft(platform, tenant, token, draft);
        return go(STEPS[index - 1]);
      case "next":
      case "skip": {
        if (formStep) {
          const result = validateStep(formStep, draft.values, ctx.t);
          await saveDraft(platform, tenant, token, draft);
          if (!result.ok) return stepPage(result.errors, 400);
        }
        // The rest only helps: after what happened is told, a person may go straight to sending.
        return go(intent.action === "skip" ? "review" : STEPS[index + 1]);
      }
    }
  });

  app.post("/:slug/melden/:token/absenden", limit(platform.config.reportRateLimit), async (request, reply) => {
    const { slug, token } = request.params as { slug: string; token: string };
    const tenant = await findTenant(slug);
    // Gone for a moment when another submission of it (a double click) is being stored: its note follows.
    const draft = (await loadDraft(platform, tenant, token)) ?? (await sentNote(platform, tenant, token));
    if (!draft) return expiredPage(request, reply, tenant);
    // Sent already (a reload, a second click): the same answer, and no second report.
    if (draft.sent) return sentPage(request, reply, tenant, draft);
    const ctx = ctxIn(request, draft.lang);
    const answers: DraftAnswers = {};
    for (const step of FORM_STEPS) {
      const result = validateStep(step, draft.values, ctx.t);
      if (!result.ok) {
        return reply.page(
          html`<${StepPage} ctx=${ctx} tenant=${tenant} token=${token} step=${step} values=${draft.values} errors=${result.errors} showEmergency=${inDanger(draft)} />`,
          400,
        );
      }
      Object.assign(answers, result.data);
    }
    const created = await createReport(platform, tenant, { answers, lang: draft.lang, channel: "web", draftToken: token }).catch(async (err) => {
      if (!(err instanceof DraftSentAlready)) throw err;
      // Sent twice at once: the first submission stored the report; this one answers as a reload does.
      return sentNote(platform, tenant, token);
    });
    if (!created) return expiredPage(request, reply, tenant);
    if (!("caseNumber" in created)) return sentPage(request, reply, tenant, created);
    const sent = {
      caseNumber: created.caseNumber,
      anonymous: answers.mode === "anonymous",
      mailbox: !!created.receiptCode,
      confirmed: created.confirmationSent,
    };
    await markDraftSent(platform, tenant, token, draft.lang, sent);
    if (created.receiptCode) {
      return reply.page(
        html`<${ReceiptPage} ctx=${ctx} tenant=${tenant} code=${created.receiptCode} caseNumber=${created.caseNumber} anonymous=${sent.anonymous} confirmed=${sent.confirmed} />`,
        201,
      );
    }
    return reply.page(
      html`<${DonePage} ctx=${ctx} tenant=${tenant} caseNumber=${created.caseNumber} anonymous=${sent.anonymous} mailbox=${false} confirmed=${sent.confirmed} card=${await publicEmergencyCard(platform, tenant.slug)} />`,
      201,
    );
  });
}
