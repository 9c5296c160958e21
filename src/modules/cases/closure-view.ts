import { dateFormat } from "../../platform/i18n/formats.ts";
import {
  CsrfField,
  ErrorSummary,
  type FieldErrors,
  html,
  RadioGroup,
  SelectField,
  SubmitButton,
  TextArea,
  TextField,
  type ViewContext,
} from "../../platform/ui/html.ts";
import { type FeedbackRow, OfficeFeedback } from "../reports/index.ts";
import { RELEASE_LEVEL } from "./closure.ts";
import type { CaseView } from "./commands.ts";
import { CLOSURE_OUTCOMES, CONVERSATIONS } from "./schema.ts";

/** What the closing forms show again after an error. */
export interface ClosureDraft {
  request?: { values: Record<string, string>; errors: FieldErrors };
  giveBack?: { reason: string; errors: FieldErrors };
  feedback?: { values: Record<string, string>; errors: FieldErrors };
}

const when = (ctx: ViewContext, d: Date) => dateFormat(ctx.lang, { dateStyle: "long", timeStyle: "short", timeZone: "Europe/Berlin" }).format(d);
const day = (ctx: ViewContext, iso: string) => dateFormat(ctx.lang, { dateStyle: "long", timeZone: "UTC" }).format(new Date(`${iso}T00:00:00Z`));

/** The request as it stands: outcome, closing conversation, the lead's note. */
function RequestFacts({ ctx, closure }: { ctx: ViewContext; closure: NonNullable<CaseView["closure"]> }) {
  const { t } = ctx;
  const item = (key: string, value: unknown) =>
    html`<div class="kern-description-list-item"><dt class="kern-description-list-item__key">${key}</dt><dd class="kern-description-list-item__value">${value}</dd></div>`;
  return html`<dl class="kern-description-list">
    ${item(t("cases.closure.outcome"), t(`cases.closure.outcomes.${closure.outcome}`))}
    ${item(
      t("cases.closure.conversation"),
      closure.conversationOn
        ? `${t(`cases.closure.conversations.${closure.conversation}`)} (${day(ctx, closure.conversationOn)})`
        : t(`cases.closure.conversations.${closure.conversation}`),
    )}
    ${closure.note && item(t("cases.closure.note"), html`<span class="komma-pre" dir="auto">${closure.note}</span>`)}
    ${item(t("cases.closure.requestedBy"), t("cases.closure.byOn", { name: closure.requestedByName ?? "–", date: when(ctx, closure.requestedAt) }))}
  </dl>`;
}

function RequestForm({ ctx, kase, draft }: { ctx: ViewContext; kase: CaseView; draft?: ClosureDraft["request"] }) {
  const { t } = ctx;
  const values = draft?.values ?? {};
  const errors = draft?.errors ?? {};
  const open = kase.tasks.filter((task) => task.status === "open").length;
  // The highest level the case ever had decides whether a second officer releases it.
  const fourEyes = Math.max(kase.riskLevel ?? 0, ...kase.assessments.map((a) => a.level)) >= RELEASE_LEVEL;
  return html`<form method="post" action=${`/faelle/${kase.number}/abschluss`} novalidate class="komma-form">
    <${CsrfField} ctx=${ctx} />
    <${ErrorSummary} t=${t} errors=${errors} />
    ${open > 0 && html`<p class="kern-body">${t("cases.closure.openTasksHint", { count: open })}</p>`}
    ${fourEyes && html`<p class="kern-body">${t("cases.closure.fourEyesHint")}</p>`}
    <${SelectField} name="closeOutcome" label=${t("cases.closure.outcome")} value=${values.closeOutcome} error=${errors.closeOutcome}
      options=${[{ value: "", label: t("cases.closure.choose") }, ...CLOSURE_OUTCOMES.map((o) => ({ value: o, label: t(`cases.closure.outcomes.${o}`) }))]} />
    <${RadioGroup} name="closeConversation" legend=${t("cases.closure.conversation")} hint=${t("cases.closure.conversationHint")} value=${values.closeConversation}
      error=${errors.closeConversation} options=${CONVERSATIONS.map((c) => ({ value: c, label: t(`cases.closure.conversations.${c}`) }))} />
    <${TextField} name="closeConversationOn" type="date" label=${t("cases.closure.conversationOn")} hint=${t("cases.closure.conversationOnHint")}
      value=${values.closeConversationOn} error=${errors.closeConversationOn} />
    <${TextArea} name="closeNote" label=${t("cases.closure.note")} hint=${t("cases.closure.noteHint")} value=${values.closeNote} error=${errors.closeNote} rows=${4} />
    <${SubmitButton} label=${t(fourEyes ? "cases.closure.ask" : "cases.closure.close")} />
  </form>`;
}

/**
 * The case's closure: the lead asks (with outcome and closing conversation), a second officer
 * releases or gives back from level 2 on; once closed, what it ended with and the person's feedback.
 */
export function ClosureSection({
  ctx,
  kase,
  me,
  feedback,
  draft,
}: {
  ctx: ViewContext;
  kase: CaseView;
  me: string;
  feedback: FeedbackRow | null;
  draft?: ClosureDraft;
}) {
  const { t } = ctx;
  // Closed as a duplicate or abuse: no procedure to close, the notice on top says so.
  if (kase.closedReason) return null;
  const closure = kase.closure;
  const pending = closure && closure.decision === null ? closure : null;
  const closed = kase.status === "closed" && !kase.closedReason && closure?.decision === "released" ? closure : null;
  let body: unknown;
  if (closed) {
    body = html`<p class="kern-body">${t(closed.decidedBy === closed.requestedBy ? "cases.closure.closedBy" : "cases.closure.closedOn", { date: when(ctx, closed.decidedAt as Date), name: closed.decidedByName ?? "–" })}</p>
      <${RequestFacts} ctx=${ctx} closure=${closed} />
      ${kase.policies.assign && html`<form method="post" action=${`/faelle/${kase.number}/wieder-oeffnen`} class="komma-form"><${CsrfField} ctx=${ctx} /><${SubmitButton} label=${t("cases.reopen")} variant="secondary" /></form>`}`;
  } else if (pending) {
    const mine = pending.requestedBy === me;
    const errors = draft?.giveBack?.errors ?? {};
    body = html`<div class="kern-alert kern-alert--warning" role="status"><div class="kern-alert__header"><span class="kern-icon kern-icon--warning" aria-hidden="true"></span>
        <p class="kern-title">${t(mine ? "cases.closure.waitingMine" : "cases.closure.waiting")}</p></div></div>
      <${RequestFacts} ctx=${ctx} closure=${pending} />
      ${
        !mine &&
        kase.policies.read &&
        html`<form method="post" action=${`/faelle/${kase.number}/abschluss/freigeben`} class="komma-form">
          <${CsrfField} ctx=${ctx} /><${SubmitButton} label=${t("cases.closure.release")} />
        </form>
        <form method="post" action=${`/faelle/${kase.number}/abschluss/zurueckgeben`} novalidate class="komma-form">
          <${CsrfField} ctx=${ctx} />
          <${ErrorSummary} t=${t} errors=${errors} />
          <${TextArea} name="reason" label=${t("cases.closure.reason")} hint=${t("cases.closure.reasonHint")} value=${draft?.giveBack?.reason} error=${errors.reason} rows=${3} />
          <${SubmitButton} label=${t("cases.closure.giveBack")} variant="secondary" />
        </form>`
      }`;
  } else if (kase.status !== "closed" && kase.policies.work && kase.riskLevel === null) {
    body = html`<p class="kern-body">${t("cases.closure.assessFirst")}</p>`;
  } else if (kase.status !== "closed" && kase.policies.work) {
    body = html`${
      closure?.decision === "returned" &&
      html`<div class="kern-alert kern-alert--info" role="status"><div class="kern-alert__header"><span class="kern-icon kern-icon--info" aria-hidden="true"></span>
          <p class="kern-title">${t("cases.closure.returned", { name: closure.decidedByName ?? "–", date: when(ctx, closure.decidedAt as Date) })}</p></div>
          <div class="kern-alert__body"><p class="kern-body komma-pre" dir="auto">${closure.returnReason}</p></div></div>`
    }
      <p class="kern-body">${t("cases.closure.lead")}</p>
      <${RequestForm} ctx=${ctx} kase=${kase} draft=${draft?.request} />`;
  } else if (kase.status !== "closed") {
    body = html`<p class="kern-body">${t("cases.closure.leadOnly")}</p>`;
  }
  return html`<section aria-labelledby="abschluss">
    <h2 class="kern-heading-medium" id="abschluss">${t("cases.closure.title")}</h2>
    ${body}
  </section>
  <${OfficeFeedback} ctx=${ctx} caseNumber=${kase.number} feedback=${feedback} canRecord=${kase.policies.read}
    errors=${draft?.feedback?.errors ?? {}} values=${draft?.feedback?.values ?? {}} />`;
}
