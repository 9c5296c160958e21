import type { FastifyInstance } from "fastify";
import type { Platform } from "../../platform/platform.ts";
import { type FieldErrors, html } from "../../platform/ui/html.ts";
import { publicEmergencyCard } from "../alliance/index.ts";
import { feedbackInMailbox, feedbackValues } from "./feedback.ts";
import { addMessage, openMailbox } from "./mailbox.ts";
import { decideInMailbox } from "./mailbox-decisions.ts";
import { first, type PublicFlow, readBody } from "./public-flow.ts";
import { MailboxEntryPage, MailboxPage } from "./public-pages.ts";
import { mailboxMessageProblem } from "./schemas.ts";

/**
 * The first use of a mailbox form's one-time key within an hour, in whichever process: a reload
 * posting again does nothing, even when the load balancer sends it elsewhere. A form without a
 * valid key (older pages) is let through.
 */
async function firstUse(platform: Platform, key: string): Promise<boolean> {
  if (!/^[A-Za-z0-9_-]{22}$/.test(key)) return true;
  return platform.counters.take("mailbox-form", key, 3_600_000, 1, 1);
}

/** The anonymous mailbox: opened with the receipt code, which travels only in a form's body. */
export function registerMailboxRoutes(app: FastifyInstance, platform: Platform, flow: PublicFlow) {
  const { limit, findTenant, ctxIn, langOf, takeEvidence } = flow;

  app.get("/:slug/melden/postfach", async (request, reply) => {
    const tenant = await findTenant((request.params as { slug: string }).slug);
    return reply.page(html`<${MailboxEntryPage} ctx=${ctxIn(request, langOf(request))} tenant=${tenant} />`);
  });

  app.post("/:slug/melden/postfach", limit(20), async (request, reply) => {
    const tenant = await findTenant((request.params as { slug: string }).slug);
    const { values, files } = readBody(request.body);
    const ctx = ctxIn(request, langOf(request, first(values.sprache)));
    const code = first(values.code).trim();
    const view = code ? await openMailbox(platform, tenant, code) : null;
    if (!view) {
      return reply.page(
        html`<${MailboxEntryPage} ctx=${ctx} tenant=${tenant} code=${code} error=${ctx.t(code ? "reports.mailbox.invalid" : "errors.required")} />`,
        code ? 404 : 400,
      );
    }
    const action = first(values._aktion);
    const errors: FieldErrors = {};
    const answerValues: Record<string, string> = {};
    let notice: string | undefined;
    // The mailbox answers its posts directly (its code must not travel in an address), so a
    // reload posts again: each form carries a one-time key, and a key seen before does nothing.
    if (["antworten", "beweis", "entscheiden", "widerrufen", "rueckmelden"].includes(action) && !(await firstUse(platform, first(values._einmal)))) {
      const fresh = (await openMailbox(platform, tenant, code)) ?? view;
      return reply.page(
        html`<${MailboxPage} ctx=${ctx} tenant=${tenant} code=${code} view=${fresh} notice=${ctx.t("reports.mailbox.alreadySent")} errors=${{}} card=${await publicEmergencyCard(platform, tenant.slug)} />`,
      );
    }
    // The message and the evidence share one form (public-pages.ts): sending the message takes a
    // file chosen or a link typed along; adding evidence keeps the message typed (below).
    if (action === "antworten") {
      const checked = mailboxMessageProblem(first(values.message));
      if (!checked.ok) errors.message = ctx.t(checked.key);
      else {
        await addMessage(platform, tenant, view.reportId, { kind: "reporter" }, checked.message);
        notice = ctx.t("reports.mailbox.sent");
        const along = await takeEvidence(tenant, { reportId: view.reportId }, files, values, ctx);
        Object.assign(errors, along.errors);
        if (!along.nothing) notice = `${notice} ${along.notice ?? ""}`.trim();
      }
    } else if (action === "entscheiden" || action === "widerrufen" || action === "rueckmelden") {
      const done =
        action === "rueckmelden"
          ? await feedbackInMailbox(platform, tenant, view.reportId, feedbackValues(values, "feedback-"), ctx.t)
          : await decideInMailbox(platform, tenant, view.reportId, action, values, ctx.t);
      Object.assign(errors, done.errors);
      Object.assign(answerValues, done.values);
      notice = done.notice;
    } else if (action === "beweis") {
      const result = await takeEvidence(tenant, { reportId: view.reportId }, files, values, ctx);
      Object.assign(errors, result.errors);
      if (result.nothing) errors.file = ctx.t("reports.evidence.problems.noFile");
      notice = result.notice;
    }
    // A message typed beside evidence is not sent by adding the evidence, and not lost either.
    const message = action === "beweis" || errors.message ? first(values.message) : "";
    // A link is kept where it was not added: it had a mistake, or the message it went along with had one.
    const link = errors.url || errors.message ? { url: first(values.url), kind: first(values.urlKind) } : undefined;
    const fresh = (await openMailbox(platform, tenant, code)) ?? view;
    const status = Object.keys(errors).length > 0 ? 400 : 200;
    return reply.page(
      html`<${MailboxPage} ctx=${ctx} tenant=${tenant} code=${code} view=${fresh} notice=${notice} errors=${errors} answers=${answerValues} message=${message} link=${link} card=${await publicEmergencyCard(platform, tenant.slug)} />`,
      status,
    );
  });
}
