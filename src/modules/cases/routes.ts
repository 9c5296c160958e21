import type { FastifyInstance, FastifyRequest } from "fastify";
import { type NavProvider, viewContext } from "../../platform/http/context.ts";
import { AppError, fieldErrors } from "../../platform/http/errors.ts";
import { requireActor, safeLocalPath } from "../../platform/http/guards.ts";
import { perPerson } from "../../platform/http/rate-limit-store.ts";
import type { Platform } from "../../platform/platform.ts";
import { html } from "../../platform/ui/html.ts";
import { UUID_PATTERN } from "../../platform/validation.ts";
import { askReporter, questionInput, recordAnswer, recordedAnswerInput, replyToReporter } from "../reports/index.ts";
import { assessCase, assessmentInput, assessmentValues, proposalFor } from "./assessment.ts";
import type { AssessmentDraft } from "./assessment-view.ts";
import { addNote, noteInput } from "./case-file.ts";
import { casePageOf, numberOf, prefixed, stringsOf, tenantOf } from "./case-page.ts";
import { assignCase, inbox, noteAnswered, officeNotices, openCase } from "./commands.ts";
import { PAGE_SIZE, parseInboxQuery } from "./inbox-query.ts";
import { InboxPage } from "./inbox-view.ts";
import { assignCases, type BulkResult, closeCasesAs, MAX_TAGS, parseTags, reopenCase, setTags } from "./office-actions.ts";
import { casePolicy } from "./policy.ts";
import { decideException } from "./referral-exception.ts";
import { openReferral, referralResponse, referralsForPartner, respondToReferral } from "./referral-partner.ts";
import { endReferral, referCase, referralInput } from "./referrals.ts";
import { PartnerReferralPage, PartnerReferralsPage } from "./referrals-view.ts";
import { addTask, taskInput, taskUpdate, updateTask } from "./tasks.ts";

/** The clearing office's pages: the inbox at /faelle and each case. */
export function registerCaseRoutes(app: FastifyInstance, platform: Platform, nav: NavProvider) {
  const ctx = (request: FastifyRequest) => viewContext(request, nav);

  app.get("/faelle", async (request, reply) => {
    const { actor } = requireActor(request);
    const tenant = tenantOf(request);
    const [page, notices] = await Promise.all([inbox(platform, actor, tenant, parseInboxQuery(request.query)), officeNotices(platform, actor, tenant)]);
    return reply.page(html`<${InboxPage} ctx=${ctx(request)} tenantName=${tenant.name} page=${page} notices=${notices} />`);
  });

  // Bulk actions on the ticked cases; back to the inbox as it was, with what was done.
  app.post("/faelle/sammelaktion", async (request, reply) => {
    const { actor } = requireActor(request);
    const tenant = tenantOf(request);
    const body = (request.body ?? {}) as Record<string, unknown>;
    const back = safeLocalPath(body.zurueck, "/faelle");
    const target = back.startsWith("/faelle") ? back : "/faelle";
    const picked = (Array.isArray(body.faelle) ? body.faelle : [body.faelle]).filter((n): n is string => typeof n === "string" && n !== "").slice(0, PAGE_SIZE);
    const t = request.t;
    if (picked.length === 0) return reply.flash({ kind: "warning", message: t("cases.inbox.noneSelected") }).redirect(target, 303);
    const action = body.aktion;
    let result: BulkResult | { error: "notAnOfficer" };
    if (action === "duplicate" || action === "abuse") result = await closeCasesAs(platform, actor, tenant, picked, action);
    else if (action === "assign") {
      const raw = typeof body.assignee === "string" ? body.assignee.toLowerCase() : "";
      result = raw === "" || UUID_PATTERN.test(raw) ? await assignCases(platform, actor, tenant, picked, raw === "" ? null : raw) : { error: "notAnOfficer" };
    } else throw new AppError("bad_request");
    if ("error" in result) return reply.flash({ kind: "danger", message: t("cases.notAnOfficer") }).redirect(target, 303);
    const message =
      t(`cases.inbox.bulkDone.${action}`, { count: result.done }) + (result.skipped > 0 ? ` ${t("cases.inbox.bulkSkipped", { count: result.skipped })}` : "");
    return reply.flash({ kind: result.skipped > 0 ? "warning" : "success", message }).redirect(target, 303);
  });

  const casePage = casePageOf(platform, nav);

  app.get("/faelle/:caseNumber", async (request, reply) => reply.page(await casePage(request)));

  app.post("/faelle/:caseNumber/zuweisung", async (request, reply) => {
    const { actor } = requireActor(request);
    const tenant = tenantOf(request);
    const number = numberOf(request);
    const raw = String((request.body as Record<string, unknown> | undefined)?.assignee ?? "");
    const assignee = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(raw) ? raw.toLowerCase() : raw === "" ? null : undefined;
    // A hand-over may carry a note for the colleague: kept as a note of the case.
    const handoverNote = stringsOf(request.body, ["handoverNote"]).handoverNote;
    const note = handoverNote.trim() === "" ? null : noteInput.safeParse({ body: handoverNote });
    if (note && !note.success) {
      const errors = prefixed(fieldErrors(note.error, request.t), "handoverNote").handoverNoteBody;
      return reply.page(await casePage(request, { errors: { handoverNote: errors }, handoverNote }), 400);
    }
    const result = assignee === undefined ? ({ ok: false, error: "notAnOfficer" } as const) : await assignCase(platform, actor, tenant, number, assignee);
    if (!result.ok) return reply.page(await casePage(request, { errors: { assignee: request.t("cases.notAnOfficer") }, handoverNote }), 400);
    if (note?.success) await addNote(platform, actor, tenant, number, note.data.body);
    const kase = await openCase(platform, actor, tenant, number);
    const message = kase.assigneeName
      ? request.t("cases.assigned", { caseNumber: number, name: kase.assigneeName })
      : request.t("cases.released", { caseNumber: number });
    return reply.flash({ kind: "success", message }).redirect(`/faelle/${number}`, 303);
  });

  // The proposal for what the officer ticked: nothing is stored, the form comes back with it.
  app.post("/faelle/:caseNumber/einschaetzung/vorschlag", async (request, reply) => {
    const values = assessmentValues(request.body);
    const parsed = assessmentInput.pick({ form: true, criteria: true }).safeParse(values);
    const draft = {
      values: draftValues(values),
      proposal: parsed.success ? proposalFor(parsed.data) : null,
      errors: parsed.success ? {} : fieldErrors(parsed.error, request.t),
    };
    return reply.page(await casePage(request, { draft }), parsed.success ? 200 : 400);
  });

  app.post("/faelle/:caseNumber/einschaetzung", async (request, reply) => {
    const { actor } = requireActor(request);
    const tenant = tenantOf(request);
    const number = numberOf(request);
    const values = assessmentValues(request.body);
    const parsed = assessmentInput.safeParse(values);
    if (!parsed.success) {
      const ok = assessmentInput.pick({ form: true, criteria: true }).safeParse(values);
      const draft = { values: draftValues(values), proposal: ok.success ? proposalFor(ok.data) : null, errors: fieldErrors(parsed.error, request.t) };
      return reply.page(await casePage(request, { draft }), 400);
    }
    const result = await assessCase(platform, actor, tenant, number, parsed.data);
    if (!result.ok) {
      const key = result.field === "level" ? "errors.cases.level" : "errors.cases.justificationNeeded";
      const draft = { values: draftValues(values), proposal: result.proposal, errors: { [result.field]: request.t(key, { level: result.proposal.level }) } };
      return reply.page(await casePage(request, { draft }), 400);
    }
    return reply
      .flash({ kind: "success", message: request.t("cases.risk.saved", { caseNumber: number, level: result.level }) })
      .redirect(`/faelle/${number}#risiko-titel`, 303);
  });

  app.post("/faelle/:caseNumber/wieder-oeffnen", async (request, reply) => {
    const { actor } = requireActor(request);
    const number = numberOf(request);
    await reopenCase(platform, actor, tenantOf(request), number);
    return reply.flash({ kind: "success", message: request.t("cases.reopened", { caseNumber: number }) }).redirect(`/faelle/${number}`, 303);
  });

  app.post("/faelle/:caseNumber/schlagworte", async (request, reply) => {
    const { actor } = requireActor(request);
    const number = numberOf(request);
    const text = stringsOf(request.body, ["tags"]).tags;
    const parsed = parseTags(text);
    if (!parsed.ok) return reply.page(await casePage(request, { errors: { tags: request.t(parsed.key, { max: MAX_TAGS }) }, tagsText: text }), 400);
    await setTags(platform, actor, tenantOf(request), number, parsed.tags);
    return reply.flash({ kind: "success", message: request.t("cases.tagsSaved") }).redirect(`/faelle/${number}`, 303);
  });

  app.post("/faelle/:caseNumber/massnahmen", async (request, reply) => {
    const { actor } = requireActor(request);
    const tenant = tenantOf(request);
    const number = numberOf(request);
    const values = stringsOf(request.body, ["measure", "ownerId", "dueOn", "entitled", "fromOn", "note"]);
    const parsed = taskInput.safeParse(values);
    const result = parsed.success ? await addTask(platform, actor, tenant, number, parsed.data) : null;
    if (!parsed.success || !result?.ok) {
      const errors = !parsed.success
        ? fieldErrors(parsed.error, request.t)
        : result?.ok === false && result.field === "entitled"
          ? { entitled: request.t("errors.cases.strafantragTwice") }
          : { ownerId: request.t("errors.cases.owner") };
      return reply.page(await casePage(request, { taskDraft: { add: { values, errors } } }), 400);
    }
    // A legal deadline that has passed already is kept as it is, and said at once.
    return reply
      .flash(result.passed ? { kind: "warning", message: request.t("cases.tasks.addedPassed") } : { kind: "success", message: request.t("cases.tasks.added") })
      .redirect(`/faelle/${number}#massnahmen`, 303);
  });

  app.post("/faelle/:caseNumber/massnahmen/:taskId", async (request, reply) => {
    const { actor } = requireActor(request);
    const tenant = tenantOf(request);
    const number = numberOf(request);
    const taskId = String((request.params as { taskId: string }).taskId).toLowerCase();
    const values = stringsOf(request.body, ["status", "outcome", "fromOn"]);
    const parsed = taskUpdate.safeParse(values);
    if (!parsed.success) {
      const draft = { update: { taskId, values, errors: fieldErrors(parsed.error, request.t) } };
      return reply.page(await casePage(request, { taskDraft: draft }), 400);
    }
    await updateTask(platform, actor, tenant, number, taskId, parsed.data);
    return reply.flash({ kind: "success", message: request.t("cases.tasks.updated") }).redirect(`/faelle/${number}#massnahmen`, 303);
  });

  // The affected person decides: a question in the mailbox, or an answer given another way written down.
  app.post("/faelle/:caseNumber/fragen", async (request, reply) => {
    const { actor } = requireActor(request);
    const tenant = tenantOf(request);
    const number = numberOf(request);
    requireWork(await openCase(platform, actor, tenant, number), tenant);
    const values: Record<string, string> = { ...stringsOf(request.body, ["askTopic", "askNote"]), form: "ask" };
    const parsed = questionInput.safeParse({ topic: values.askTopic, note: values.askNote });
    const result = parsed.success ? await askReporter(platform, actor, tenant, number, parsed.data) : null;
    if (!parsed.success || !result?.ok) {
      const errors = parsed.success ? { askTopic: request.t("office.noMailbox") } : prefixed(fieldErrors(parsed.error, request.t), "ask");
      return reply.page(await casePage(request, { questionDraft: { values, errors } }), 400);
    }
    return reply.flash({ kind: "success", message: request.t("office.questions.asked") }).redirect(`/faelle/${number}#entscheidungen`, 303);
  });

  app.post("/faelle/:caseNumber/fragen/festhalten", async (request, reply) => {
    const { actor } = requireActor(request);
    const tenant = tenantOf(request);
    const number = numberOf(request);
    requireWork(await openCase(platform, actor, tenant, number), tenant);
    const values: Record<string, string> = { ...stringsOf(request.body, ["recordTopic", "recordAnswer", "recordChannel", "recordNote"]), form: "record" };
    const parsed = recordedAnswerInput.safeParse({
      topic: values.recordTopic,
      answer: values.recordAnswer,
      channel: values.recordChannel,
      note: values.recordNote,
    });
    if (!parsed.success) {
      return reply.page(await casePage(request, { questionDraft: { values, errors: prefixed(fieldErrors(parsed.error, request.t), "record") } }), 400);
    }
    await recordAnswer(platform, actor, tenant, number, parsed.data);
    return reply.flash({ kind: "success", message: request.t("office.questions.recorded") }).redirect(`/faelle/${number}#entscheidungen`, 303);
  });

  app.post("/faelle/:caseNumber/vermittlungen", async (request, reply) => {
    const { actor } = requireActor(request);
    const tenant = tenantOf(request);
    const number = numberOf(request);
    const body = (request.body ?? {}) as Record<string, unknown>;
    const categories = (Array.isArray(body.categories) ? body.categories : body.categories === undefined ? [] : [body.categories]).filter(
      (c): c is string => typeof c === "string",
    );
    const values = { ...stringsOf(body, ["partnerId", "purpose", "validUntil", "consent", "legalBasis", "exceptionReason"]), categories };
    const parsed = referralInput.safeParse(values);
    const result = parsed.success ? await referCase(platform, actor, tenant, number, parsed.data) : null;
    if (!parsed.success || !result?.ok) {
      const errors = parsed.success
        ? { [result?.ok === false ? result.field : "partnerId"]: request.t(`errors.referrals.${result?.ok === false ? result.field : "partnerId"}Refused`) }
        : fieldErrors(parsed.error, request.t);
      return reply.page(await casePage(request, { referralDraft: { values, errors } }), 400);
    }
    return reply
      .flash({
        kind: "success",
        message: request.t(
          `cases.referrals.${parsed.data.consent === "mailbox" ? "asked" : parsed.data.consent === "legal_exception" ? "awaitingRelease" : "offered"}`,
        ),
      })
      .redirect(`/faelle/${number}#vermittlungen`, 303);
  });

  app.post("/faelle/:caseNumber/vermittlungen/:id/beenden", async (request, reply) => {
    const { actor } = requireActor(request);
    const number = numberOf(request);
    await endReferral(platform, actor, tenantOf(request), number, String((request.params as { id: string }).id).toLowerCase());
    return reply.flash({ kind: "success", message: request.t("cases.referrals.ended") }).redirect(`/faelle/${number}#vermittlungen`, 303);
  });

  // A referral without consent: a second officer releases or refuses it.
  app.post("/faelle/:caseNumber/vermittlungen/:id/ausnahme", async (request, reply) => {
    const { actor } = requireActor(request);
    const number = numberOf(request);
    const decision = stringsOf(request.body, ["decision"]).decision;
    if (decision !== "release" && decision !== "refuse") throw new AppError("bad_request");
    const result = await decideException(platform, actor, tenantOf(request), number, String((request.params as { id: string }).id), decision);
    const flash = result.ok
      ? { kind: "success" as const, message: request.t(`cases.referrals.${decision === "release" ? "released" : "refused"}`) }
      : { kind: "warning" as const, message: request.t(`errors.referrals.exception.${result.reason}`) };
    return reply.flash(flash).redirect(`/faelle/${number}#vermittlungen`, 303);
  });

  /* ---------------------------------------------------- the partner's side */

  app.get("/vermittlungen", async (request, reply) => {
    const { actor } = requireActor(request);
    const found = await referralsForPartner(platform, actor, tenantOf(request));
    if (!found) throw new AppError("not_found");
    return reply.page(html`<${PartnerReferralsPage} ctx=${ctx(request)} organisation=${found.organisation?.name ?? null} rows=${found.rows} />`);
  });

  // Each look is a disclosure on the case: a partner's people do not need more than a few a minute.
  const looks = { config: { rateLimit: perPerson(20) } };
  app.get("/vermittlungen/:id", looks, async (request, reply) => {
    const { actor } = requireActor(request);
    const opened = await openReferral(platform, actor, tenantOf(request), (request.params as { id: string }).id);
    return reply.header("cache-control", "private, no-store").page(html`<${PartnerReferralPage} ctx=${ctx(request)} ...${opened} />`);
  });

  app.post("/vermittlungen/:id/antwort", looks, async (request, reply) => {
    const { actor } = requireActor(request);
    const tenant = tenantOf(request);
    const id = (request.params as { id: string }).id;
    const values = stringsOf(request.body, ["action", "outcome"]);
    const parsed = referralResponse.safeParse(values.action === "done" ? values : { action: values.action });
    if (!parsed.success) {
      const opened = await openReferral(platform, actor, tenant, id);
      return reply.page(
        html`<${PartnerReferralPage} ctx=${ctx(request)} ...${opened} errors=${fieldErrors(parsed.error, request.t)} outcome=${values.outcome} />`,
        400,
      );
    }
    await respondToReferral(platform, actor, tenant, id, parsed.data);
    // Declined, the case is no longer theirs to see: back to the list.
    const next = parsed.data.action === "decline" ? "/vermittlungen" : `/vermittlungen/${id}`;
    return reply.flash({ kind: "success", message: request.t(`cases.referrals.responded.${parsed.data.action}`) }).redirect(next, 303);
  });

  app.post("/faelle/:caseNumber/antwort", async (request, reply) => {
    const { actor } = requireActor(request);
    const tenant = tenantOf(request);
    const number = numberOf(request);
    await openCase(platform, actor, tenant, number);
    const message = String((request.body as Record<string, unknown> | undefined)?.message ?? "");
    const result = await replyToReporter(platform, actor, tenant, number, message);
    if (!result.ok) return reply.page(await casePage(request, { errors: { message: request.t(result.key) }, reply: message }), 400);
    await noteAnswered(platform, actor, tenant, number);
    return reply.flash({ kind: "success", message: request.t("office.sent") }).redirect(`/faelle/${number}`, 303);
  });
}

/** The input shown again as the officer left it (strings only: anything else was not typed by them). */
function draftValues(values: Record<string, unknown>): AssessmentDraft["values"] {
  const str = (v: unknown) => (typeof v === "string" ? v : undefined);
  return {
    form: str(values.form),
    criteria: (values.criteria as unknown[]).filter((c): c is string => typeof c === "string"),
    level: str(values.level),
    justification: str(values.justification) ?? "",
  };
}

/** Only who may work on the case (its lead, or anyone while nobody leads it and it is open). */
function requireWork(kase: { policies: { work: boolean } }, tenant: { id: string }): void {
  if (!kase.policies.work) throw AppError.refused({ policy: casePolicy.name, action: "work", tenantId: tenant.id });
}
