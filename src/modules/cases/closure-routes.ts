import type { FastifyInstance, FastifyRequest } from "fastify";
import { type NavProvider, viewContext } from "../../platform/http/context.ts";
import { AppError, fieldErrors } from "../../platform/http/errors.ts";
import { requireActor } from "../../platform/http/guards.ts";
import type { Platform } from "../../platform/platform.ts";
import { html, Layout, PageHeading } from "../../platform/ui/html.ts";
import { caseNumbersOf, feedbackValues, isCaseNumber, ReportMaterial, readReport, recordedFeedbackInput, recordFeedback } from "../reports/index.ts";
import { addNote, noteInput } from "./case-file.ts";
import { casePageOf, numberOf, prefixed, stringsOf, tenantOf } from "./case-page.ts";
import { closureInput, releaseClosure, requestClosure, returnClosure, returnInput } from "./closure.ts";
import { openCase } from "./commands.ts";
import { caseDossier, dossierInput } from "./dossier.ts";
import { DossierPage } from "./dossier-view.ts";
import { joinCase, joinInput } from "./join.ts";
import { inboxPolicy } from "./policy.ts";
import { addPerpetrator, linkCase, linkInput, perpetratorInput } from "./related.ts";
import { holdInput, liftHold, placeHold, retentionInput, retentionOverview, setRetention } from "./retention.ts";
import { RetentionPage } from "./retention-view.ts";

/** Closing a case (four eyes from level 2), the person's feedback written down, legal holds and the retention periods. */
export function registerClosureRoutes(app: FastifyInstance, platform: Platform, nav: NavProvider) {
  const casePage = casePageOf(platform, nav);

  app.post("/faelle/:caseNumber/abschluss", async (request, reply) => {
    const { actor } = requireActor(request);
    const number = numberOf(request);
    // Named apart from the measures' fields on the same page (their labels must find them).
    const values = stringsOf(request.body, ["closeOutcome", "closeConversation", "closeConversationOn", "closeNote"]);
    const parsed = closureInput.safeParse({
      outcome: values.closeOutcome,
      conversation: values.closeConversation,
      conversationOn: values.closeConversationOn,
      note: values.closeNote,
    });
    const result = parsed.success ? await requestClosure(platform, actor, tenantOf(request), number, parsed.data) : null;
    if (!parsed.success || !result?.ok) {
      const errors = parsed.success
        ? {
            closeOutcome: request.t(`errors.closure.${result?.ok === false ? result.field : "pending"}`, {
              count: result?.ok === false ? (result.count ?? 0) : 0,
            }),
          }
        : prefixed(fieldErrors(parsed.error, request.t), "close");
      return reply.page(await casePage(request, { closureDraft: { request: { values, errors } } }), 400);
    }
    const message = request.t(result.released ? "cases.closure.closed" : "cases.closure.asked", { caseNumber: number });
    return reply.flash({ kind: "success", message }).redirect(`/faelle/${number}#abschluss`, 303);
  });

  app.post("/faelle/:caseNumber/abschluss/freigeben", async (request, reply) => {
    const { actor } = requireActor(request);
    const number = numberOf(request);
    const result = await releaseClosure(platform, actor, tenantOf(request), number);
    const flash = result.ok
      ? { kind: "success" as const, message: request.t("cases.closure.closed", { caseNumber: number }) }
      : { kind: "warning" as const, message: request.t(`errors.closure.${result.reason === "openTasks" ? "openTasksRelease" : result.reason}`) };
    return reply.flash(flash).redirect(`/faelle/${number}#abschluss`, 303);
  });

  app.post("/faelle/:caseNumber/abschluss/zurueckgeben", async (request, reply) => {
    const { actor } = requireActor(request);
    const number = numberOf(request);
    const values = stringsOf(request.body, ["reason"]);
    const parsed = returnInput.safeParse(values);
    if (!parsed.success) {
      const giveBack = { reason: values.reason, errors: fieldErrors(parsed.error, request.t) };
      return reply.page(await casePage(request, { closureDraft: { giveBack } }), 400);
    }
    const result = await returnClosure(platform, actor, tenantOf(request), number, parsed.data.reason);
    const flash = result.ok
      ? { kind: "success" as const, message: request.t("cases.closure.givenBack") }
      : { kind: "warning" as const, message: request.t(`errors.closure.${result.reason}`) };
    return reply.flash(flash).redirect(`/faelle/${number}#abschluss`, 303);
  });

  // Feedback the person gave another way (a call, the closing conversation), written down by the office.
  app.post("/faelle/:caseNumber/rueckmeldung", async (request, reply) => {
    const { actor } = requireActor(request);
    const tenant = tenantOf(request);
    const number = numberOf(request);
    await openCase(platform, actor, tenant, number);
    const values = feedbackValues(request.body, "fb");
    const parsed = recordedFeedbackInput.safeParse(values);
    if (!parsed.success) {
      const errors = Object.fromEntries(Object.entries(fieldErrors(parsed.error, request.t)).map(([k, v]) => [`fb${k}`, v]));
      const shown = Object.fromEntries(Object.entries(values).map(([k, v]) => [`fb${k}`, v]));
      return reply.page(await casePage(request, { closureDraft: { feedback: { values: shown, errors } } }), 400);
    }
    const result = await recordFeedback(platform, actor, tenant, number, parsed.data);
    const flash = result.ok
      ? { kind: "success" as const, message: request.t("office.feedback.recorded") }
      : { kind: "warning" as const, message: request.t("office.feedback.already") };
    return reply.flash(flash).redirect(`/faelle/${number}#rueckmeldung`, 303);
  });

  /* ---------------------------------------------------- retention and legal holds */

  app.post("/faelle/:caseNumber/sperre", async (request, reply) => {
    const { actor } = requireActor(request);
    const number = numberOf(request);
    const values = stringsOf(request.body, ["holdReason", "holdUntil"]);
    const parsed = holdInput.safeParse({ reason: values.holdReason, until: values.holdUntil });
    if (!parsed.success)
      return reply.page(await casePage(request, { holdDraft: { values, errors: prefixed(fieldErrors(parsed.error, request.t), "hold") } }), 400);
    const placed = await placeHold(platform, actor, tenantOf(request), number, parsed.data);
    if (!placed.ok) return reply.page(await casePage(request, { holdDraft: { values, errors: { holdUntil: request.t("errors.retention.untilRange") } } }), 400);
    return reply.flash({ kind: "success", message: request.t("cases.holds.placedNotice") }).redirect(`/faelle/${number}#sperre`, 303);
  });

  app.post("/faelle/:caseNumber/sperre/:id/aufheben", async (request, reply) => {
    const { actor } = requireActor(request);
    const number = numberOf(request);
    await liftHold(platform, actor, tenantOf(request), number, String((request.params as { id: string }).id).toLowerCase());
    return reply.flash({ kind: "success", message: request.t("cases.holds.lifted") }).redirect(`/faelle/${number}#sperre`, 303);
  });

  const retentionPage = async (request: FastifyRequest, form?: { values: Record<string, string>; errors: Record<string, string> }) => {
    const { actor } = requireActor(request);
    const tenant = tenantOf(request);
    const overview = await retentionOverview(platform, actor, tenant);
    const links = inboxPolicy.can(actor, "list", tenant);
    return html`<${RetentionPage} ctx=${viewContext(request, nav)} overview=${overview} links=${links} values=${form?.values} errors=${form?.errors} />`;
  };

  app.get("/faelle/aufbewahrung", async (request, reply) => reply.page(await retentionPage(request)));

  app.post("/faelle/aufbewahrung", async (request, reply) => {
    const { actor } = requireActor(request);
    const values = stringsOf(request.body, ["closedMonths", "dismissedMonths"]);
    const parsed = retentionInput.safeParse(values);
    if (!parsed.success) return reply.page(await retentionPage(request, { values, errors: fieldErrors(parsed.error, request.t) }), 400);
    await setRetention(platform, actor, tenantOf(request), parsed.data);
    return reply.flash({ kind: "success", message: request.t("cases.retention.saved") }).redirect("/faelle/aufbewahrung", 303);
  });

  /* ---------------------------------------------------- the evidence dossier */

  app.get("/faelle/:caseNumber/dossier", async (request, reply) => {
    const { actor } = requireActor(request);
    const kase = await openCase(platform, actor, tenantOf(request), numberOf(request));
    return reply.page(html`<${DossierPage} ctx=${viewContext(request, nav)} number=${kase.number} />`);
  });

  app.post("/faelle/:caseNumber/dossier", async (request, reply) => {
    const { actor } = requireActor(request);
    const tenant = tenantOf(request);
    const number = numberOf(request);
    const body = (request.body ?? {}) as Record<string, unknown>;
    const parts = (Array.isArray(body.parts) ? body.parts : body.parts === undefined ? [] : [body.parts]).filter((p): p is string => typeof p === "string");
    const values = { recipient: stringsOf(body, ["recipient"]).recipient, parts };
    const parsed = dossierInput.safeParse(values);
    if (!parsed.success) {
      const kase = await openCase(platform, actor, tenant, number);
      const errors = fieldErrors(parsed.error, request.t);
      return reply.page(html`<${DossierPage} ctx=${viewContext(request, nav)} number=${kase.number} values=${values} errors=${errors} />`, 400);
    }
    const pdf = await caseDossier(platform, actor, tenant, number, parsed.data, request.t, request.lang ?? "de");
    return reply
      .header("content-type", "application/pdf")
      .header("content-disposition", `attachment; filename="dossier-${number}.pdf"`)
      .header("cache-control", "private, no-store")
      .send(pdf);
  });

  /* ---------------------------------------------------- the office's notes */

  app.post("/faelle/:caseNumber/notizen", async (request, reply) => {
    const { actor } = requireActor(request);
    const number = numberOf(request);
    const body = stringsOf(request.body, ["noteBody"]).noteBody;
    const parsed = noteInput.safeParse({ body });
    if (!parsed.success) {
      return reply.page(await casePage(request, { noteDraft: { body, errors: prefixed(fieldErrors(parsed.error, request.t), "note") } }), 400);
    }
    await addNote(platform, actor, tenantOf(request), number, parsed.data.body);
    return reply.flash({ kind: "success", message: request.t("cases.notes.saved") }).redirect(`/faelle/${number}#notizen`, 303);
  });

  /* ---------------------------------------------------- related cases, the perpetrator record */

  app.post("/faelle/:caseNumber/verbunden", async (request, reply) => {
    const { actor } = requireActor(request);
    const number = numberOf(request);
    const values = stringsOf(request.body, ["linkOther", "linkKind"]);
    const parsed = linkInput.safeParse({ other: values.linkOther, kind: values.linkKind });
    const result = parsed.success ? await linkCase(platform, actor, tenantOf(request), number, parsed.data) : null;
    if (!parsed.success || !result?.ok) {
      const errors = parsed.success ? { linkOther: request.t("errors.related.unknown") } : prefixed(fieldErrors(parsed.error, request.t), "link");
      return reply.page(await casePage(request, { relatedDraft: { values, errors } }), 400);
    }
    return reply.flash({ kind: "success", message: request.t("cases.related.linked") }).redirect(`/faelle/${number}#verbunden`, 303);
  });

  app.post("/faelle/:caseNumber/taeter", async (request, reply) => {
    const { actor } = requireActor(request);
    const number = numberOf(request);
    const values = stringsOf(request.body, ["perpDescription", "perpUntil"]);
    const parsed = perpetratorInput.safeParse({ description: values.perpDescription, until: values.perpUntil });
    const result = parsed.success ? await addPerpetrator(platform, actor, tenantOf(request), number, parsed.data) : null;
    if (!parsed.success || !result?.ok) {
      const errors = parsed.success ? { perpUntil: request.t("errors.related.untilRange") } : prefixed(fieldErrors(parsed.error, request.t), "perp");
      return reply.page(await casePage(request, { relatedDraft: { values, errors } }), 400);
    }
    return reply.flash({ kind: "success", message: request.t("cases.related.recorded") }).redirect(`/faelle/${number}#verbunden`, 303);
  });

  /* ---------------------------------------------------- several reports in one case */

  app.post("/faelle/:caseNumber/zusammenfuehren", async (request, reply) => {
    const { actor } = requireActor(request);
    const number = numberOf(request);
    const values = stringsOf(request.body, ["joinOther"]);
    const parsed = joinInput.safeParse({ other: values.joinOther });
    const result = parsed.success ? await joinCase(platform, actor, tenantOf(request), number, parsed.data.other) : null;
    if (!parsed.success || !result?.ok) {
      const errors = { joinOther: parsed.success ? request.t(result?.ok === false ? result.key : "errors.join.unknown") : request.t("errors.related.number") };
      return reply.page(await casePage(request, { joinDraft: { values, errors } }), 400);
    }
    return reply.flash({ kind: "success", message: request.t("cases.join.joined") }).redirect(`/faelle/${number}#meldungen`, 303);
  });

  // A further report of the case, with its account, evidence and mailbox (its reading audited).
  app.get("/faelle/:caseNumber/meldungen/:reportNumber", async (request, reply) => {
    const { actor } = requireActor(request);
    const tenant = tenantOf(request);
    const kase = await openCase(platform, actor, tenant, numberOf(request));
    const wanted = String((request.params as { reportNumber: string }).reportNumber);
    const numbers = await caseNumbersOf(platform, tenant.id, { reportIds: kase.reportIds });
    if (![...numbers.reports.values()].includes(wanted)) throw new AppError("not_found");
    const report = await readReport(platform, actor, tenant, wanted);
    const ctx = viewContext(request, nav);
    const title = ctx.t("cases.join.reportTitle", { number: wanted, caseNumber: kase.number });
    return reply.page(html`<${Layout} ctx=${ctx} title=${title}><${PageHeading} title=${title} />
      <${ReportMaterial} ctx=${ctx} report=${report} errors=${{}} />
      <p class="kern-body"><a class="kern-link" href=${`/faelle/${kase.number}`}>${ctx.t("cases.dossier.back", { caseNumber: kase.number })}</a></p><//>`);
  });

  /* ---------------------------------------------------- addresses that only take forms */

  // A form that came back with an error stands at its own address; reloaded, bookmarked or seen
  // again after a change of language, that address leads back to the case (or the procedure).
  const formOnly = [
    "zuweisung",
    "einschaetzung",
    "einschaetzung/vorschlag",
    "schlagworte",
    "massnahmen",
    "fragen",
    "fragen/festhalten",
    "vermittlungen",
    "antwort",
    "abschluss",
    "abschluss/freigeben",
    "abschluss/zurueckgeben",
    "rueckmeldung",
    "sperre",
    "notizen",
    "fuehrung",
    "verbunden",
    "taeter",
    "zusammenfuehren",
    "wieder-oeffnen",
  ];
  for (const path of formOnly) {
    app.get(`/faelle/:caseNumber/${path}`, async (request, reply) => {
      const number = numberOf(request);
      if (!isCaseNumber(number)) throw new AppError("not_found");
      return reply.redirect(`/faelle/${number}`, 303);
    });
  }
  app.get("/faelle/verfahren/vorschau", async (_request, reply) => reply.redirect("/faelle/verfahren", 303));
}
