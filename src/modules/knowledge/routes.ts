import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { NotFoundError } from "../../platform/authz/policy.ts";
import { type NavProvider, viewContext } from "../../platform/http/context.ts";
import { AppError } from "../../platform/http/errors.ts";
import { requireActor, requireTenant } from "../../platform/http/guards.ts";
import type { Platform } from "../../platform/platform.ts";
import { html } from "../../platform/ui/html.ts";
import { adoptPractice, givePracticeFeedback } from "./adoption.ts";
import { formValues, practiceFormValues, readFeedbackForm, readPracticeForm, readReviewNote, type Values } from "./forms.ts";
import {
  ownPractices,
  PracticeChangedError,
  type PracticePage,
  practicePage,
  savePractice,
  submitPractice,
  type TenantRef,
  withdrawPractice,
} from "./library.ts";
import { assessmentPolicy, libraryPolicy, pollPolicy, strategyPolicy, surveyPolicy } from "./policy.ts";
import { reviewPractice, reviewQueue } from "./review.ts";
import { parseLibraryQuery, searchLibrary } from "./search.ts";
import { transfer } from "./transfer.ts";
import { TransferPage } from "./transfer-view.ts";
import { LibraryPage, OwnPracticesPage, PracticeFormPage, PracticeView, type PracticeViewModel, ReviewQueuePage } from "./views.ts";

/** The library's pages: search for everyone (public practices signed out), the workspace's own, review for the national level. */
export function registerLibraryRoutes(app: FastifyInstance, platform: Platform, nav: NavProvider) {
  const ctx = (request: FastifyRequest) => viewContext(request, nav);
  const viewerOf = (request: FastifyRequest): TenantRef | null =>
    request.actor && request.currentTenant ? { id: request.currentTenant.id, kind: request.currentTenant.kind } : null;
  const tenantOf = (request: FastifyRequest): TenantRef => {
    const t = requireTenant(request);
    return { id: t.id, kind: t.kind };
  };
  const idOf = (request: FastifyRequest) => (request.params as Record<string, string>).id;

  const model = (request: FastifyRequest, page: PracticePage): PracticeViewModel => {
    const viewer = viewerOf(request);
    const own = !!viewer && viewer.id === page.practice.tenantId;
    return {
      ...page,
      canWithdraw: own && libraryPolicy.can(request.actor, "write", viewer),
      showAdoptions:
        page.practice.status === "published" && (own || viewer?.kind === "national") && !!viewer && libraryPolicy.can(request.actor, "open", viewer),
    };
  };

  app.get("/wissen", async (request, reply) => {
    const viewer = viewerOf(request);
    const query = parseLibraryQuery(request.query);
    const result = await searchLibrary(platform, request.actor, viewer, query);
    return reply.page(
      html`<${LibraryPage} ctx=${ctx(request)} query=${query} result=${result} signedIn=${!!viewer}
        own=${!!viewer && libraryPolicy.can(request.actor, "open", viewer)}
        review=${!!viewer && libraryPolicy.can(request.actor, "reviewQueue", viewer)}
        assessment=${!!viewer && (assessmentPolicy.can(request.actor, "read", viewer) || assessmentPolicy.can(request.actor, "overview", viewer))}
        survey=${!!viewer && surveyPolicy.can(request.actor, "results", viewer)}
        strategy=${!!viewer && strategyPolicy.can(request.actor, "read", viewer)}
        poll=${!!viewer && pollPolicy.can(request.actor, "manage", viewer)} />`,
    );
  });

  app.get("/wissen/eigene", async (request, reply) => {
    const { actor } = requireActor(request);
    const tenant = tenantOf(request);
    const list = await ownPractices(platform, actor, tenant);
    return reply.page(html`<${OwnPracticesPage} ctx=${ctx(request)} list=${list} canWrite=${libraryPolicy.can(actor, "write", tenant)} />`);
  });

  app.get("/wissen/weitergabe", async (request, reply) => {
    const { actor } = requireActor(request);
    return reply.page(html`<${TransferPage} ctx=${ctx(request)} transfer=${await transfer(platform, actor)} />`);
  });

  app.get("/wissen/pruefung", async (request, reply) => {
    const { actor } = requireActor(request);
    return reply.page(html`<${ReviewQueuePage} ctx=${ctx(request)} list=${await reviewQueue(platform, actor)} />`);
  });

  const form = (request: FastifyRequest, action: string, title: string, values: Values, errors: Record<string, string>, cancel: string) =>
    html`<${PracticeFormPage} ctx=${ctx(request)} action=${action} title=${title} values=${values} errors=${errors} cancel=${cancel}
      beyond=${tenantOf(request).kind !== "platform"} />`;

  app.get("/wissen/neu", async (request, reply) => {
    const { actor } = requireActor(request);
    const tenant = tenantOf(request);
    libraryPolicy.authorize(actor, "write", tenant);
    return reply.page(form(request, "/wissen/neu", request.t("knowledge.form.newTitle"), { visibility: "internal" }, {}, "/wissen/eigene"));
  });

  app.post("/wissen/neu", async (request, reply) => {
    const { actor } = requireActor(request);
    const tenant = tenantOf(request);
    libraryPolicy.authorize(actor, "write", tenant);
    const values = formValues(request.body);
    const read = readPracticeForm(values, tenant, request.t);
    if (!read.ok) return reply.page(form(request, "/wissen/neu", request.t("knowledge.form.newTitle"), values, read.errors, "/wissen/eigene"), 400);
    const id = await savePractice(platform, actor, tenant, null, read.input);
    return reply.flash({ kind: "success", message: request.t("knowledge.form.created") }).redirect(`/wissen/${id}`, 303);
  });

  app.get("/wissen/:id", async (request, reply) => {
    const page = await practicePage(platform, request.actor, viewerOf(request), idOf(request));
    return reply.page(html`<${PracticeView} ctx=${ctx(request)} page=${model(request, page)} />`);
  });

  /** A practice the viewer may edit (a draft of their own workspace), or 404. */
  const editable = async (request: FastifyRequest) => {
    const { actor } = requireActor(request);
    const tenant = tenantOf(request);
    const page = await practicePage(platform, actor, tenant, idOf(request));
    if (!page.policies.edit || page.practice.tenantId !== tenant.id) throw new NotFoundError();
    return { actor, tenant, page };
  };

  app.get("/wissen/:id/bearbeiten", async (request, reply) => {
    const { page } = await editable(request);
    const p = page.practice;
    return reply.page(
      form(request, `/wissen/${p.id}/bearbeiten`, request.t("knowledge.form.editTitle", { title: p.title }), practiceFormValues(p), {}, `/wissen/${p.id}`),
    );
  });

  app.post("/wissen/:id/bearbeiten", async (request, reply) => {
    const { actor, tenant, page } = await editable(request);
    const p = page.practice;
    const values = formValues(request.body);
    const read = readPracticeForm(values, tenant, request.t);
    if (!read.ok)
      return reply.page(
        form(request, `/wissen/${p.id}/bearbeiten`, request.t("knowledge.form.editTitle", { title: p.title }), values, read.errors, `/wissen/${p.id}`),
        400,
      );
    try {
      await savePractice(platform, actor, tenant, p.id, read.input);
    } catch (err) {
      if (err instanceof PracticeChangedError) return changedMeanwhile(request, reply);
      throw err;
    }
    return reply.flash({ kind: "success", message: request.t("knowledge.form.saved") }).redirect(`/wissen/${p.id}`, 303);
  });

  app.post("/wissen/:id/einreichen", async (request, reply) => {
    const { actor } = requireActor(request);
    let done: Awaited<ReturnType<typeof submitPractice>>;
    try {
      done = await submitPractice(platform, actor, tenantOf(request), idOf(request));
    } catch (err) {
      if (err instanceof PracticeChangedError) return changedMeanwhile(request, reply);
      throw err;
    }
    const message = request.t(done === "published" ? "knowledge.page.published" : "knowledge.page.submitted");
    return reply.flash({ kind: "success", message }).redirect(`/wissen/${idOf(request)}`, 303);
  });

  app.post("/wissen/:id/zuruecknehmen", async (request, reply) => {
    const { actor } = requireActor(request);
    await withdrawPractice(platform, actor, tenantOf(request), idOf(request));
    return reply.flash({ kind: "success", message: request.t("knowledge.page.withdrawn") }).redirect(`/wissen/${idOf(request)}/bearbeiten`, 303);
  });

  /** A practice changed between reading and acting (by someone else): back to it, as it is now. */
  const changedMeanwhile = (request: FastifyRequest, reply: FastifyReply) =>
    reply.flash({ kind: "warning", message: request.t("knowledge.page.changed") }).redirect(`/wissen/${idOf(request)}`, 303);

  app.post("/wissen/:id/pruefen", async (request, reply) => {
    const { actor } = requireActor(request);
    const values = formValues(request.body);
    const note = readReviewNote(values);
    const version = typeof values.version === "string" && /^\d{1,9}$/.test(values.version) ? Number(values.version) : null;
    if ((values.decision !== "approve" && values.decision !== "return") || version === null) throw new AppError("bad_request");
    if (values.decision === "return" && !note) {
      const page = await practicePage(platform, actor, viewerOf(request), idOf(request));
      return reply.page(
        html`<${PracticeView} ctx=${ctx(request)} page=${model(request, page)} reviewErrors=${{ note: request.t("errors.knowledge.note") }} />`,
        400,
      );
    }
    const approve = values.decision === "approve";
    let found: Awaited<ReturnType<typeof reviewPractice>>;
    try {
      found = await reviewPractice(platform, actor, idOf(request), approve ? { approve: true, note } : { approve: false, note }, version);
    } catch (err) {
      if (err instanceof PracticeChangedError) return changedMeanwhile(request, reply);
      throw err;
    }
    const message = request.t(approve ? "knowledge.review.approved" : "knowledge.review.returned", { title: found.title });
    return reply.flash({ kind: "success", message }).redirect("/wissen/pruefung", 303);
  });

  app.post("/wissen/:id/uebernehmen", async (request, reply) => {
    const { actor } = requireActor(request);
    const { copyId } = await adoptPractice(platform, actor, tenantOf(request), idOf(request));
    return reply.flash({ kind: "success", message: request.t("knowledge.page.adopted") }).redirect(`/wissen/${copyId}`, 303);
  });

  app.post("/wissen/:id/rueckmeldung", async (request, reply) => {
    const { actor } = requireActor(request);
    const tenant = tenantOf(request);
    const values = formValues(request.body);
    const read = readFeedbackForm(values);
    if (!read.ok) {
      const page = await practicePage(platform, actor, tenant, idOf(request));
      const errors = Object.fromEntries(Object.entries(read.errors).map(([k, key]) => [k, request.t(key)]));
      return reply.page(html`<${PracticeView} ctx=${ctx(request)} page=${{ ...model(request, page), feedbackErrors: errors, feedbackValues: values }} />`, 400);
    }
    await givePracticeFeedback(platform, actor, tenant, idOf(request), { score: read.score, text: read.text });
    return reply.flash({ kind: "success", message: request.t("knowledge.feedback.thanks") }).redirect(`/wissen/${idOf(request)}`, 303);
  });
}
