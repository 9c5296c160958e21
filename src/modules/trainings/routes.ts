import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { hasRole } from "../../platform/authz/policy.ts";
import { type NavProvider, viewContext } from "../../platform/http/context.ts";
import { formValues, many, type Values } from "../../platform/http/form-values.ts";
import { requireActor, requireTenant } from "../../platform/http/guards.ts";
import { perPerson } from "../../platform/http/rate-limit-store.ts";
import { isUiLanguage, translator } from "../../platform/i18n/i18n.ts";
import type { Platform } from "../../platform/platform.ts";
import { html } from "../../platform/ui/html.ts";
import { UUID_PATTERN } from "../../platform/validation.ts";
import { invitationIcs, participantUid, publishedIcs } from "./calendar.ts";
import { catalog, createFormat, formatById, formatFormValues, readFormatForm, updateFormat } from "./catalog.ts";
import { certificatePdf } from "./certificate.ts";
import { calendarContext } from "./mails.ts";
import { isOpen, needsRounds } from "./needs.ts";
import { feedbackResults, giveFeedback, readFeedback, recordAttendance, register, roster, withdraw } from "./participation.ts";
import { coachingAskPolicy, counselOpenPolicy, formatPolicy, needsPolicy, sessionPolicy, trainingsPolicy, type Viewer } from "./policy.ts";
import { calendarOf, cancelSession, changeSession, readSessionForm, scheduleSession, sessionFormValues, trainersOf } from "./session-commands.ts";
import { SessionPage } from "./session-view.ts";
import { sessionById, sessionsFor, sessionsOfFormat } from "./sessions.ts";
import { FormatFormPage, FormatPage, TrainingsPage } from "./views.ts";

/** The trainings' pages under /trainings: the overview, formats, sessions and everything done on them. */
export function registerTrainingRoutes(app: FastifyInstance, platform: Platform, nav: NavProvider) {
  const ctx = (request: FastifyRequest) => viewContext(request, nav);
  const where = (request: FastifyRequest) => {
    const { actor, user } = requireActor(request);
    const t = requireTenant(request);
    trainingsPolicy.authorize(actor, "open", { id: t.id, kind: t.kind });
    const current = { id: t.id, kind: t.kind, name: t.name };
    const viewer: Viewer = { viewerTenantId: t.id, viewerKind: t.kind };
    return { actor, user, current, viewer };
  };
  const idOf = (request: FastifyRequest) => (request.params as Record<string, string>).id;

  app.get("/trainings", async (request, reply) => {
    const { actor, current, viewer } = where(request);
    const seesNeeds = needsPolicy.can(actor, "answer", current) || needsPolicy.can(actor, "results", current);
    const [sessions, formats, rounds] = await Promise.all([
      sessionsFor(platform, actor, current, viewer),
      catalog(platform, actor, current, viewer),
      seesNeeds ? needsRounds(platform, actor, current) : Promise.resolve([]),
    ]);
    const now = platform.clock.now();
    const pending = needsPolicy.can(actor, "answer", current) ? (rounds.find((r) => isOpen(r, now) && !r.answered) ?? null) : null;
    return reply.page(
      html`<${TrainingsPage} ctx=${ctx(request)} sessions=${sessions} formats=${formats} userId=${actor.userId}
        canKeep=${trainingsPolicy.can(actor, "keep", current)} now=${now} needs=${{ link: seesNeeds, pending }}
        coaching=${{ ask: coachingAskPolicy.can(actor, "ask", current), coach: hasRole(actor, current.id, "trainer"), counsel: counselOpenPolicy.can(actor, "open", current) }} />`,
    );
  });

  /* ------------------------------------------------------------------ formats */

  app.get("/trainings/formate/neu", async (request, reply) => {
    const { actor, current } = where(request);
    trainingsPolicy.authorize(actor, "keep", current);
    return reply.page(
      html`<${FormatFormPage} ctx=${ctx(request)} action="/trainings/formate" values=${{ minutes: "180", mode: "on_site" }} errors=${{}} editing=${false} />`,
    );
  });

  app.post("/trainings/formate", async (request, reply) => {
    const { actor, current, viewer } = where(request);
    trainingsPolicy.authorize(actor, "keep", current);
    const values = formValues(request.body);
    const read = readFormatForm(values, request.t);
    if (!read.ok)
      return reply.page(
        html`<${FormatFormPage} ctx=${ctx(request)} action="/trainings/formate" values=${values} errors=${read.errors} editing=${false} />`,
        400,
      );
    const id = await createFormat(platform, actor, current, viewer, read.input);
    return reply.flash({ kind: "success", message: request.t("trainings.format.created") }).redirect(`/trainings/formate/${id}`, 303);
  });

  const formatPage = async (request: FastifyRequest, reply: FastifyReply, values: Values | null, errors: Record<string, string>, status = 200) => {
    const { actor, current, viewer } = where(request);
    const format = await formatById(platform, actor, current, viewer, idOf(request));
    const tenant = { id: format.tenantId, kind: format.tenantKind, name: format.tenantName };
    const canWrite = formatPolicy.can(actor, "write", { tenantId: format.tenantId, tenantKind: format.tenantKind, ...viewer });
    const [sessions, trainers] = await Promise.all([
      sessionsOfFormat(platform, actor, tenant, viewer, format.id),
      canWrite ? trainersOf(platform, format.tenantId, actor.userId) : Promise.resolve([]),
    ]);
    return reply.page(
      html`<${FormatPage} ctx=${ctx(request)} format=${format} sessions=${sessions} canWrite=${canWrite} trainers=${trainers}
        values=${values ?? { seats: "16", from: "09:00", to: "12:00" }} errors=${errors} now=${platform.clock.now()} />`,
      status,
    );
  };

  app.get("/trainings/formate/:id", (request, reply) => formatPage(request, reply, null, {}));

  app.get("/trainings/formate/:id/bearbeiten", async (request, reply) => {
    const { actor, current, viewer } = where(request);
    const format = await formatById(platform, actor, current, viewer, idOf(request));
    formatPolicy.authorize(actor, "write", { tenantId: format.tenantId, tenantKind: format.tenantKind, ...viewer });
    const values = { ...formatFormValues(format), archived: format.archived ? ["yes"] : [] };
    return reply.page(
      html`<${FormatFormPage} ctx=${ctx(request)} action=${`/trainings/formate/${format.id}/bearbeiten`} values=${values} errors=${{}} editing=${true} />`,
    );
  });

  app.post("/trainings/formate/:id/bearbeiten", async (request, reply) => {
    const { actor, current, viewer } = where(request);
    const format = await formatById(platform, actor, current, viewer, idOf(request));
    formatPolicy.authorize(actor, "write", { tenantId: format.tenantId, tenantKind: format.tenantKind, ...viewer });
    const values = formValues(request.body);
    const read = readFormatForm(values, request.t);
    if (!read.ok)
      return reply.page(
        html`<${FormatFormPage} ctx=${ctx(request)} action=${`/trainings/formate/${format.id}/bearbeiten`} values=${values} errors=${read.errors} editing=${true} />`,
        400,
      );
    await updateFormat(platform, actor, { id: format.tenantId, kind: format.tenantKind }, viewer, format.id, {
      ...read.input,
      archived: many(values.archived).includes("yes"),
    });
    return reply.flash({ kind: "success", message: request.t("trainings.format.saved") }).redirect(`/trainings/formate/${format.id}`, 303);
  });

  app.post("/trainings/formate/:id/termine", async (request, reply) => {
    const { actor, current, viewer } = where(request);
    const format = await formatById(platform, actor, current, viewer, idOf(request));
    formatPolicy.authorize(actor, "write", { tenantId: format.tenantId, tenantKind: format.tenantKind, ...viewer });
    const values = formValues(request.body);
    const trainers = await trainersOf(platform, format.tenantId, actor.userId);
    const read = readSessionForm(values, platform.clock.now(), trainers, request.t);
    if (!read.ok) return formatPage(request, reply, values, read.errors, 400);
    const id = await scheduleSession(platform, actor, { id: format.tenantId, kind: format.tenantKind }, viewer, format.id, read.input);
    return reply.flash({ kind: "success", message: request.t("trainings.session.scheduled") }).redirect(`/trainings/termine/${id}`, 303);
  });

  /* ------------------------------------------------------------------ sessions */

  const load = async (request: FastifyRequest) => {
    const w = where(request);
    const view = await sessionById(platform, w.actor, w.current, w.viewer, idOf(request));
    return { ...w, view };
  };

  const sessionPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    opts: {
      values?: Values;
      errors?: Record<string, string>;
      feedbackValues?: Record<string, string>;
      feedbackErrors?: Record<string, string>;
      cancelError?: string;
      withdrawError?: string;
      status?: number;
    } = {},
  ) => {
    const { actor, view } = await load(request);
    const can = sessionPolicy.serialize(actor, view.ref);
    const [people, results, trainers] = await Promise.all([
      can.roster ? roster(platform, actor, view) : Promise.resolve(null),
      can.results ? feedbackResults(platform, actor, view) : Promise.resolve(null),
      can.manage ? trainersOf(platform, view.session.tenantId, actor.userId) : Promise.resolve([]),
    ]);
    return reply.page(
      html`<${SessionPage} ctx=${ctx(request)} view=${view} can=${can} roster=${people} results=${results} trainers=${trainers} now=${platform.clock.now()}
        values=${opts.values ?? sessionFormValues(view.session)} errors=${opts.errors ?? {}}
        feedbackValues=${opts.feedbackValues ?? {}} feedbackErrors=${opts.feedbackErrors ?? {}} cancelError=${opts.cancelError} withdrawError=${opts.withdrawError} />`,
      opts.status ?? 200,
    );
  };

  app.get("/trainings/termine/:id", (request, reply) => sessionPage(request, reply));

  app.post("/trainings/termine/:id/anmelden", async (request, reply) => {
    const { actor, current, view } = await load(request);
    // A second click (or a reload of the request) finds the registration made: back to the page.
    if (view.own) return reply.redirect(`/trainings/termine/${view.session.id}`, 303);
    const status = await register(platform, actor, current.id, view);
    return reply
      .flash({ kind: "success", message: request.t(status === "registered" ? "trainings.session.registeredNow" : "trainings.session.waitingNow") })
      .redirect(`/trainings/termine/${view.session.id}`, 303);
  });

  app.post("/trainings/termine/:id/abmelden", async (request, reply) => {
    const { actor, view } = await load(request);
    if (!view.own) return reply.redirect(`/trainings/termine/${view.session.id}`, 303);
    sessionPolicy.authorize(actor, "withdraw", view.ref);
    // Giving up a seat cannot be undone (it goes to the next in line): it takes a confirmation.
    if (view.own.status === "registered" && !many(formValues(request.body).confirm).includes("yes"))
      return sessionPage(request, reply, { withdrawError: request.t("errors.trainings.withdrawConfirm"), status: 400 });
    await withdraw(platform, actor, view);
    const message = view.own.status === "waiting" ? "trainings.session.leftWaitlistNow" : "trainings.session.withdrawnNow";
    return reply.flash({ kind: "success", message: request.t(message) }).redirect(`/trainings/termine/${view.session.id}`, 303);
  });

  app.post("/trainings/termine/:id/aendern", async (request, reply) => {
    const { actor, view } = await load(request);
    sessionPolicy.authorize(actor, "manage", view.ref);
    const values = formValues(request.body);
    const trainers = await trainersOf(platform, view.session.tenantId, actor.userId);
    const read = readSessionForm(values, platform.clock.now(), trainers, request.t);
    if (!read.ok) return sessionPage(request, reply, { values, errors: read.errors, status: 400 });
    const changed = await changeSession(platform, actor, view, read.input);
    if (!changed.ok)
      return sessionPage(request, reply, { values, errors: { seats: request.t("errors.trainings.seatsTaken", { count: changed.registered }) }, status: 409 });
    return reply.flash({ kind: "success", message: request.t("trainings.session.changed") }).redirect(`/trainings/termine/${view.session.id}`, 303);
  });

  app.post("/trainings/termine/:id/absagen", async (request, reply) => {
    const { actor, view } = await load(request);
    sessionPolicy.authorize(actor, "manage", view.ref);
    if (!many(formValues(request.body).confirm).includes("yes"))
      return sessionPage(request, reply, { cancelError: request.t("errors.trainings.cancelConfirm"), status: 400 });
    await cancelSession(platform, actor, view);
    return reply.flash({ kind: "success", message: request.t("trainings.session.cancelledNow") }).redirect(`/trainings/termine/${view.session.id}`, 303);
  });

  app.post("/trainings/termine/:id/anwesenheit", async (request, reply) => {
    const { actor, view } = await load(request);
    const saved = await recordAttendance(
      platform,
      actor,
      view,
      many(formValues(request.body).attended).filter((v) => UUID_PATTERN.test(v)),
    );
    return reply
      .flash(saved ? { kind: "success", message: request.t("trainings.roster.saved") } : { kind: "warning", message: request.t("trainings.roster.locked") })
      .redirect(`/trainings/termine/${view.session.id}`, 303);
  });

  app.post("/trainings/termine/:id/rueckmeldung", async (request, reply) => {
    const { actor, view } = await load(request);
    if (view.own?.feedbackGiven) return reply.redirect(`/trainings/termine/${view.session.id}`, 303);
    sessionPolicy.authorize(actor, "feedback", view.ref);
    const read = readFeedback(formValues(request.body));
    if (!read.ok) {
      const errors = Object.fromEntries(Object.entries(read.errors).map(([k, v]) => [k, request.t(v)]));
      return sessionPage(request, reply, { feedbackValues: read.kept, feedbackErrors: errors, status: 400 });
    }
    await giveFeedback(platform, actor, view, read.answers);
    return reply.flash({ kind: "success", message: request.t("trainings.feedback.thanks") }).redirect(`/trainings/termine/${view.session.id}`, 303);
  });

  app.get("/trainings/termine/:id/kalender.ics", async (request, reply) => {
    const { actor, user, view } = await load(request);
    const context = calendarContext(platform, view.session.id);
    const { host } = context;
    const calendar = calendarOf(view.session);
    const own = view.own;
    let body: string;
    if (own?.status === "registered")
      body = invitationIcs(calendar, participantUid(own.id, own.queuedAt, host), { name: user.displayName, email: user.email }, context);
    else {
      sessionPolicy.authorize(actor, "roster", view.ref);
      body = publishedIcs(calendar, context);
    }
    return reply
      .header("content-type", "text/calendar; charset=utf-8")
      .header("content-disposition", `attachment; filename="training-${view.session.startsAt.toISOString().slice(0, 10)}.ics"`)
      .header("cache-control", "private, no-store")
      .send(body);
  });

  app.get("/trainings/termine/:id/bescheinigung.pdf", { config: { rateLimit: perPerson(10) } }, async (request, reply) => {
    const { actor, user, current, viewer, view } = await load(request);
    sessionPolicy.authorize(actor, "certificate", view.ref);
    const format = await formatById(platform, actor, current, viewer, view.session.formatId);
    const lang = isUiLanguage(request.lang) ? request.lang : "de";
    const pdf = await certificatePdf({
      t: translator(lang),
      lang,
      session: view.session,
      summary: format.summary,
      trainerName: format.trainerName,
      participant: user.displayName,
      issuedAt: platform.clock.now(),
    });
    return reply
      .header("content-type", "application/pdf")
      .header("content-disposition", `attachment; filename="teilnahmebescheinigung-${view.session.startsAt.toISOString().slice(0, 10)}.pdf"`)
      .header("cache-control", "private, no-store")
      .send(pdf);
  });
}
