import {
  CsrfField,
  ErrorSummary,
  type FieldErrors,
  html,
  Layout,
  PageHeading,
  ScrollTable,
  SelectField,
  SubmitButton,
  type ViewContext,
} from "../../platform/ui/html.ts";
import { type ReportDetail, ReportMaterial } from "../reports/index.ts";
import { type AssessmentDraft, RiskSection } from "./assessment-view.ts";
import type { CaseView, InboxRow, OfficeNotices } from "./commands.ts";
import { weightiestForm } from "./risk.ts";
import { NextDeadline, type TaskDraft, TasksSection } from "./tasks-view.ts";

function Notice({ kind, title, children }: { kind: "info" | "warning" | "danger"; title: unknown; children?: unknown }) {
  return html`<div class=${`kern-alert kern-alert--${kind}`} role="status"><div class="kern-alert__header"><span class=${`kern-icon kern-icon--${kind}`} aria-hidden="true"></span>
    <p class="kern-title">${title}</p></div>${children && html`<div class="kern-alert__body">${children}</div>`}</div>`;
}

/** The clearing office's notices: a flood first, then new cases and unread answers. */
export function OfficeNoticesView({ ctx, notices, links = true }: { ctx: ViewContext; notices: OfficeNotices; links?: boolean }) {
  const { t } = ctx;
  const fmt = new Intl.DateTimeFormat(ctx.lang, { dateStyle: "medium", timeStyle: "short", timeZone: "Europe/Berlin" });
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

export function InboxPage({ ctx, tenantName, rows, notices }: { ctx: ViewContext; tenantName: string; rows: InboxRow[]; notices: OfficeNotices | null }) {
  const { t } = ctx;
  const fmt = new Intl.DateTimeFormat(ctx.lang, { dateStyle: "medium", timeStyle: "short", timeZone: "Europe/Berlin" });
  return html`<${Layout} ctx=${ctx} title=${t("office.title")}>
    <${PageHeading} title=${t("office.title")} lead=${t("office.lead", { tenant: tenantName })} />
    ${notices && html`<${OfficeNoticesView} ctx=${ctx} notices=${notices} links=${false} />`}
    <p><a class="kern-btn kern-btn--secondary" href="/faelle/neu"><span class="kern-icon kern-icon--add" aria-hidden="true"></span><span class="kern-label">${t("office.enter")}</span></a></p>
    ${
      rows.length === 0
        ? html`<p class="kern-body">${t("office.none")}</p>`
        : html`<${ScrollTable} label=${t("office.title")}><table class="kern-table">
          <caption class="kern-sr-only">${t("office.title")}</caption>
          <thead class="kern-table__header"><tr class="kern-table__row">
            <th class="kern-table__header" scope="col">${t("office.caseNumber")}</th>
            <th class="kern-table__header" scope="col">${t("office.status")}</th>
            <th class="kern-table__header" scope="col">${t("cases.assignee")}</th>
            <th class="kern-table__header" scope="col">${t("office.received")}</th>
            <th class="kern-table__header" scope="col">${t("office.channel")}</th>
            <th class="kern-table__header" scope="col">${t("office.mode")}</th>
          </tr></thead>
          <tbody class="kern-table__body">
            ${rows.map(
              (r) => html`<tr class="kern-table__row">
                <th class="kern-table__cell" scope="row"><a class="kern-link" href=${`/faelle/${r.number}`}>${r.number}</a>
                  ${r.immediateDanger && html` <span class="kern-badge kern-badge--danger"><span class="kern-label kern-label--small">${t("office.danger")}</span></span>`}
                  ${r.unreadMessages > 0 && html` <span class="kern-badge kern-badge--info"><span class="kern-label kern-label--small">${t("office.unreadBadge", { count: r.unreadMessages })}</span></span>`}</th>
                <td class="kern-table__cell">${t(`reports.mailbox.statuses.${r.status}`)}</td>
                <td class="kern-table__cell">${r.assigneeName ?? t("cases.unassigned")}</td>
                <td class="kern-table__cell">${fmt.format(r.openedAt)}</td>
                <td class="kern-table__cell">${t(`office.channels.${r.channel}`)}</td>
                <td class="kern-table__cell">${t(`office.modes.${r.mode}`)}</td>
              </tr>`,
            )}
          </tbody></table><//>`
    }
  <//>`;
}

function AssignBox({ ctx, kase, errors, me }: { ctx: ViewContext; kase: CaseView; errors: FieldErrors; me: string }) {
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
      <${SubmitButton} label=${t("cases.save")} variant="secondary" />
    </form>`;
}

export function CasePage({
  ctx,
  kase,
  report,
  me,
  errors = {},
  reply,
  draft,
  taskDraft,
}: {
  ctx: ViewContext;
  kase: CaseView;
  report: ReportDetail;
  me: string;
  errors?: FieldErrors;
  reply?: string;
  draft?: AssessmentDraft;
  taskDraft?: TaskDraft;
}) {
  const forms = (report.content as { forms?: unknown }).forms;
  const { t } = ctx;
  return html`<${Layout} ctx=${ctx} title=${t("office.detailTitle", { caseNumber: kase.number })}>
    <${PageHeading} title=${t("office.detailTitle", { caseNumber: kase.number })} />
    <dl class="kern-description-list">
      <div class="kern-description-list-item"><dt class="kern-description-list-item__key">${t("office.status")}</dt><dd class="kern-description-list-item__value">${t(`reports.mailbox.statuses.${kase.status}`)}</dd></div>
      <div class="kern-description-list-item"><dt class="kern-description-list-item__key">${t("cases.stage")}</dt><dd class="kern-description-list-item__value">${t(`alliance.stage.${kase.stage}`)}</dd></div>
      <div class="kern-description-list-item"><dt class="kern-description-list-item__key">${t("cases.assignee")}</dt><dd class="kern-description-list-item__value">${kase.assigneeName ?? t("cases.unassigned")}</dd></div>
      <${NextDeadline} ctx=${ctx} kase=${kase} />
    </dl>
    <h2 class="kern-heading-medium">${t("cases.assignHeading")}</h2>
    <${AssignBox} ctx=${ctx} kase=${kase} me=${me} errors=${errors.assignee ? errors : {}} />
    <${RiskSection} ctx=${ctx} kase=${kase} draft=${draft} suggestedForm=${weightiestForm(Array.isArray(forms) ? forms.map(String) : [])} />
    <${TasksSection} ctx=${ctx} kase=${kase} draft=${taskDraft} />
    <${ReportMaterial} ctx=${ctx} report=${report} errors=${errors.message ? errors : {}} reply=${reply} />
  <//>`;
}
