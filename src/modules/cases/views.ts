import { dateFormat } from "../../platform/i18n/formats.ts";
import {
  CsrfField,
  ErrorSummary,
  type FieldErrors,
  html,
  Layout,
  PageHeading,
  SelectField,
  SubmitButton,
  TextArea,
  TextField,
  type ViewContext,
} from "../../platform/ui/html.ts";
import { OfficeQuestions, type ReportDetail, ReportMaterial } from "../reports/index.ts";
import { type AssessmentDraft, RiskSection } from "./assessment-view.ts";
import type { TimelineEntry } from "./case-file.ts";
import { NotesSection, TimelineSection } from "./case-file-view.ts";
import { type ClosureDraft, ClosureSection } from "./closure-view.ts";
import type { CaseView, OfficeNotices } from "./commands.ts";
import { CaseContents } from "./contents-view.ts";
import { LeaderSharesSection } from "./leaders-view.ts";
import { ReferralsSection } from "./referrals-view.ts";
import { JoinedReports, RelatedSection } from "./related-view.ts";
import { type HoldDraft, HoldsSection } from "./retention-view.ts";
import { weightiestForm } from "./risk.ts";
import { NextDeadline, type TaskDraft, TasksSection } from "./tasks-view.ts";

function Notice({ kind, title, children }: { kind: "info" | "warning" | "danger"; title: unknown; children?: unknown }) {
  return html`<div class=${`kern-alert kern-alert--${kind}`} role="status"><div class="kern-alert__header"><span class=${`kern-icon kern-icon--${kind}`} aria-hidden="true"></span>
    <p class="kern-title">${title}</p></div>${children && html`<div class="kern-alert__body">${children}</div>`}</div>`;
}

/** The clearing office's notices: a flood first, then new cases and unread answers. */
export function OfficeNoticesView({ ctx, notices, links = true }: { ctx: ViewContext; notices: OfficeNotices; links?: boolean }) {
  const { t } = ctx;
  const fmt = dateFormat(ctx.lang, { dateStyle: "medium", timeStyle: "short", timeZone: "Europe/Berlin" });
  const link = (text: string) => (links ? html`<a class="kern-link" href="/faelle">${text}</a>` : text);
  return html`${
    notices.flood &&
    html`<${Notice} kind="warning" title=${t("office.flood.title", { count: notices.flood.count, since: fmt.format(notices.flood.since) })}>
      <p class="kern-body">${t("office.flood.text")}</p><//>`
  }
  ${notices.newInDanger > 0 && html`<${Notice} kind="danger" title=${link(t("office.newInDanger", { count: notices.newInDanger }))} />`}
  ${notices.newReports > 0 && links && html`<${Notice} kind="info" title=${link(t("office.newCount", { count: notices.newReports }))} />`}
  ${notices.unreadMessages > 0 && html`<${Notice} kind="info" title=${link(t("office.unreadCount", { count: notices.unreadMessages }))} />`}`;
}

function AssignBox({ ctx, kase, errors, me, note }: { ctx: ViewContext; kase: CaseView; errors: FieldErrors; me: string; note?: string }) {
  const { t } = ctx;
  if (!kase.policies.assign) {
    return html`<p class="kern-body">${t("cases.ledByColleague", { name: kase.assigneeName ?? "" })}</p>`;
  }
  return html`<${ErrorSummary} t=${t} errors=${errors} />
    ${
      kase.assigneeId !== me
        ? html`<form method="post" action=${`/faelle/${kase.number}/zuweisung`} class="komma-form">
        <${CsrfField} ctx=${ctx} /><input type="hidden" name="assignee" value=${me} />
        <${SubmitButton} label=${t("cases.takeOver")} />
      </form>`
        : html`<form method="post" action=${`/faelle/${kase.number}/zuweisung`} class="komma-form">
        <${CsrfField} ctx=${ctx} /><input type="hidden" name="assignee" value="" />
        <${SubmitButton} label=${t("cases.release")} variant="secondary" />
      </form>`
    }
    <form method="post" action=${`/faelle/${kase.number}/zuweisung`} novalidate class="komma-form">
      <${CsrfField} ctx=${ctx} />
      <${SelectField} name="assignee" label=${t("cases.assignLabel")} hint=${t("cases.assignHint")} value=${kase.assigneeId ?? ""} error=${errors.assignee}
        options=${[{ value: "", label: t("cases.unassigned") }, ...kase.officers.map((o) => ({ value: o.id, label: o.name }))]} />
      <${TextArea} name="handoverNote" label=${t("cases.handoverNote")} hint=${t("cases.handoverNoteHint")} value=${note} error=${errors.handoverNote} rows=${3} />
      <${SubmitButton} label=${t("cases.save")} variant="secondary" />
    </form>`;
}

function TagsBox({ ctx, kase, error, text }: { ctx: ViewContext; kase: CaseView; error?: string; text?: string }) {
  const { t } = ctx;
  if (!kase.policies.work) return kase.tags.length > 0 ? html`<p class="kern-body">${t("cases.tags")}: ${kase.tags.join(", ")}</p>` : null;
  return html`<form method="post" action=${`/faelle/${kase.number}/schlagworte`} novalidate class="komma-form">
    <${CsrfField} ctx=${ctx} />
    <${ErrorSummary} t=${t} errors=${error ? { tags: error } : {}} />
    <${TextField} name="tags" label=${t("cases.tags")} hint=${t("cases.tagsHint")} value=${text ?? kase.tags.join(", ")} error=${error} />
    <${SubmitButton} label=${t("cases.saveTags")} variant="secondary" />
  </form>`;
}

export function CasePage({
  ctx,
  kase,
  report,
  me,
  errors = {},
  reply,
  handoverNote,
  draft,
  taskDraft,
  tagsText,
  questionDraft,
  referralDraft,
  closureDraft,
  holdDraft,
  noteDraft,
  leaderDraft,
  relatedDraft,
  joinDraft,
  reportNumbers,
  timeline,
}: {
  ctx: ViewContext;
  kase: CaseView;
  report: ReportDetail;
  me: string;
  errors?: FieldErrors;
  reply?: string;
  handoverNote?: string;
  draft?: AssessmentDraft;
  taskDraft?: TaskDraft;
  tagsText?: string;
  questionDraft?: { values: Record<string, string>; errors: FieldErrors };
  referralDraft?: { values: Record<string, string | string[]>; errors: FieldErrors };
  closureDraft?: ClosureDraft;
  holdDraft?: HoldDraft;
  noteDraft?: { body: string; errors: FieldErrors };
  leaderDraft?: { values: Record<string, string>; errors: FieldErrors };
  relatedDraft?: { values: Record<string, string>; errors: FieldErrors };
  joinDraft?: { values: Record<string, string>; errors: FieldErrors };
  reportNumbers: string[];
  timeline: { entries: TimelineEntry[]; more: boolean };
}) {
  const forms = (report.content as { forms?: unknown }).forms;
  // Consent to referrals and shares is the affected person's: a witness or colleague cannot give it.
  const reporterRole = (report.content as { reporterRole?: unknown }).reporterRole;
  const notAffected = typeof reporterRole === "string" && reporterRole !== "affected";
  const { t } = ctx;
  return html`<${Layout} ctx=${ctx} title=${t("office.detailTitle", { caseNumber: kase.number })}>
    <${PageHeading} title=${t("office.detailTitle", { caseNumber: kase.number })} />
    <dl class="kern-description-list">
      <div class="kern-description-list-item"><dt class="kern-description-list-item__key">${t("office.status")}</dt><dd class="kern-description-list-item__value">${t(`reports.mailbox.statuses.${kase.status}`)}</dd></div>
      <div class="kern-description-list-item"><dt class="kern-description-list-item__key">${t("cases.stage")}</dt><dd class="kern-description-list-item__value">${t(`alliance.stage.${kase.stage}`)}</dd></div>
      <div class="kern-description-list-item"><dt class="kern-description-list-item__key">${t("cases.assignee")}</dt><dd class="kern-description-list-item__value">${kase.assigneeName ?? t("cases.unassigned")}</dd></div>
      <${NextDeadline} ctx=${ctx} kase=${kase} />
      ${
        kase.closure?.decision === null &&
        html`<div class="kern-description-list-item"><dt class="kern-description-list-item__key">${t("cases.closure.title")}</dt><dd class="kern-description-list-item__value"><a class="kern-link" href="#abschluss">${t("cases.closure.pendingShort")}</a></dd></div>`
      }
    </dl>
    ${
      !kase.policies.work &&
      kase.status !== "closed" &&
      html`<div class="kern-alert kern-alert--info" role="status"><div class="kern-alert__header"><span class="kern-icon kern-icon--info" aria-hidden="true"></span>
        <p class="kern-title">${t("cases.readOnlyTitle", { name: kase.assigneeName ?? "–" })}</p></div>
        <div class="kern-alert__body"><p class="kern-body">${t("cases.readOnlyText")}</p></div></div>`
    }
    <p class="kern-body"><a class="kern-link" href=${`/faelle/${kase.number}/dossier`}>${t("cases.dossier.link")}</a></p>
    ${
      kase.closedReason === "joined" &&
      html`<div class="kern-alert kern-alert--info" role="status"><div class="kern-alert__header"><span class="kern-icon kern-icon--info" aria-hidden="true"></span>
        <p class="kern-title">${t("cases.join.joinedInto")} <a class="kern-link" href=${`/faelle/${kase.joinedIntoNumber}`}>${kase.joinedIntoNumber}</a></p></div></div>`
    }
    ${
      kase.closedReason &&
      kase.closedReason !== "joined" &&
      html`<div class="kern-alert kern-alert--info" role="status"><div class="kern-alert__header"><span class="kern-icon kern-icon--info" aria-hidden="true"></span>
        <p class="kern-title">${t(`cases.closedAs.${kase.closedReason}`)}</p></div>
        <div class="kern-alert__body"><p class="kern-body">${t("cases.closedAsText")}</p>
        ${kase.policies.work && html`<form method="post" action=${`/faelle/${kase.number}/wieder-oeffnen`} class="komma-form"><${CsrfField} ctx=${ctx} /><${SubmitButton} label=${t("cases.reopen")} variant="secondary" /></form>`}</div></div>`
    }
    <${CaseContents} ctx=${ctx} kase=${kase} joinedReports=${reportNumbers.length > 0} feedback=${report.feedback !== null} />
    <${TagsBox} ctx=${ctx} kase=${kase} error=${errors.tags} text=${tagsText} />
    <h2 class="kern-heading-medium" id="federfuehrung">${t("cases.assignHeading")}</h2>
    <${AssignBox} ctx=${ctx} kase=${kase} me=${me} errors=${errors.assignee || errors.handoverNote ? errors : {}} note=${handoverNote} />
    <${ReportMaterial} ctx=${ctx} report=${report} errors=${errors.message ? errors : {}} reply=${reply} />
    <${RiskSection} ctx=${ctx} kase=${kase} draft=${draft} suggestedForm=${weightiestForm(Array.isArray(forms) ? forms.map(String) : [])} />
    <${TasksSection} ctx=${ctx} kase=${kase} draft=${taskDraft} />
    <${OfficeQuestions} ctx=${ctx} caseNumber=${kase.number} mailbox=${report.mailbox} questions=${report.questions}
      errors=${questionDraft?.errors ?? {}} values=${questionDraft?.values ?? {}} />
    ${
      notAffected &&
      kase.policies.work &&
      html`<div class="kern-alert kern-alert--warning" role="note"><div class="kern-alert__header"><span class="kern-icon kern-icon--warning" aria-hidden="true"></span>
        <p class="kern-title">${t("cases.consentNotAffected", { role: t(`cases.reporterRoles.${reporterRole}`) })}</p></div></div>`
    }
    <${ReferralsSection} ctx=${ctx} kase=${kase} me=${me} draft=${referralDraft} />
    <${LeaderSharesSection} ctx=${ctx} kase=${kase} draft=${leaderDraft} />
    <${JoinedReports} ctx=${ctx} kase=${kase} reportNumbers=${reportNumbers} draft=${joinDraft} />
    <${RelatedSection} ctx=${ctx} kase=${kase} draft=${relatedDraft} />
    <${NotesSection} ctx=${ctx} number=${kase.number} notes=${kase.notes} draft=${noteDraft} />
    <${TimelineSection} ctx=${ctx} timeline=${timeline} />
    <${ClosureSection} ctx=${ctx} kase=${kase} me=${me} feedback=${report.feedback} draft=${closureDraft} />
    <${HoldsSection} ctx=${ctx} kase=${kase} draft=${holdDraft} />
  <//>`;
}
