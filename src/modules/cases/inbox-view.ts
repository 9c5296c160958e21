import { dateFormat } from "../../platform/i18n/formats.ts";
import { CsrfField, html, Layout, PageHeading, ScrollTable, SelectField, TextField, type ViewContext } from "../../platform/ui/html.ts";
import { CLEARING_STAGES, INCIDENT_FORMS, PERCEIVED_MOTIVES } from "../../platform/vocabulary.ts";
import type { InboxPage as Inbox, InboxRow, OfficeNotices } from "./commands.ts";
import { INBOX_SORTS, INBOX_VIEWS, type InboxQuery, inboxParams, PAGE_SIZE } from "./inbox-query.ts";
import { OfficeNoticesView } from "./views.ts";

const HOUR = 3_600_000;

/** A span of time in words: minutes below an hour, hours below two days, then days. */
function span(t: ViewContext["t"], ms: number): string {
  const abs = Math.abs(ms);
  if (abs < HOUR) return t("cases.inbox.minutes", { count: Math.max(1, Math.round(abs / 60_000)) });
  if (abs < 48 * HOUR) return t("cases.inbox.hours", { count: Math.round(abs / HOUR) });
  return t("cases.inbox.days", { count: Math.round(abs / (24 * HOUR)) });
}

function Badge({ kind, text }: { kind: "info" | "warning" | "danger" | "success"; text: string }) {
  return html`<span class=${`kern-badge kern-badge--${kind}`}><span class="kern-label kern-label--small">${text}</span></span>`;
}

/** The first-response timer: answered after how long, or due in / overdue by how long against the target. */
function FirstResponse({ ctx, row, now }: { ctx: ViewContext; row: InboxRow; now: Date }) {
  const { t } = ctx;
  if (row.firstResponseAt) return html`${t("cases.inbox.answeredAfter", { span: span(t, row.firstResponseAt.getTime() - row.openedAt.getTime()) })}`;
  if (!row.respondBy || row.status === "closed") return html`–`;
  const left = row.respondBy.getTime() - now.getTime();
  if (left < 0) return html`<${Badge} kind="danger" text=${t("cases.inbox.responseOverdue", { span: span(t, left) })} />`;
  return html`<${Badge} kind=${left < 4 * HOUR ? "warning" : "info"} text=${t("cases.inbox.responseDue", { span: span(t, left) })} />`;
}

function NextDue({ ctx, row, today }: { ctx: ViewContext; row: InboxRow; today: string }) {
  if (!row.nextDueOn) return html`–`;
  const date = dateFormat(ctx.lang, { dateStyle: "medium", timeZone: "UTC" }).format(new Date(`${row.nextDueOn}T00:00:00Z`));
  if (row.nextDueOn < today) return html`<${Badge} kind="danger" text=${ctx.t("cases.inbox.dueOverdue", { date })} />`;
  return html`<span class="komma-nowrap">${date}</span>`;
}

function ViewLinks({ ctx, query }: { ctx: ViewContext; query: InboxQuery }) {
  const { t } = ctx;
  return html`<nav aria-label=${t("cases.inbox.views")}><ul class="komma-tabs">
    ${INBOX_VIEWS.map(
      (v) =>
        html`<li><a class="kern-link" href=${`/faelle${inboxParams(query, { view: v, page: 1 })}`} aria-current=${query.view === v ? "page" : undefined}>${t(`cases.inbox.view.${v}`)}</a></li>`,
    )}
  </ul></nav>`;
}

function Filters({ ctx, query }: { ctx: ViewContext; query: InboxQuery }) {
  const { t } = ctx;
  const any = { value: "", label: t("cases.inbox.any") };
  // The search stays in sight; the five lists fold away until one is chosen, so that on a phone the cases come first.
  const chosen = [query.level !== null, query.stage, query.form, query.motive, query.sort !== "newest"].filter(Boolean).length;
  return html`<form method="get" action="/faelle" class="komma-form komma-filters" role="search" aria-label=${t("cases.inbox.filter")}>
    ${query.view !== "open" && html`<input type="hidden" name="ansicht" value=${query.view} />`}
    <${TextField} name="suche" type="search" label=${t("cases.inbox.search")} hint=${t("cases.inbox.searchHint")} value=${query.q} />
    <details class="komma-details" open=${chosen > 0 ? true : undefined}>
    <summary class="kern-link">${chosen > 0 ? t("cases.inbox.moreFiltersChosen", { count: chosen }) : t("cases.inbox.moreFilters")}</summary>
    <div class="komma-filter-row">
      <${SelectField} name="stufe" label=${t("cases.inbox.level")} value=${query.level === null ? "" : String(query.level)}
        options=${[any, ...[0, 1, 2, 3].map((l) => ({ value: String(l), label: t("cases.risk.level", { level: l }) }))]} />
      <${SelectField} name="phase" label=${t("cases.stage")} value=${query.stage ?? ""} options=${[any, ...CLEARING_STAGES.map((s) => ({ value: s, label: t(`alliance.stage.${s}`) }))]} />
      <${SelectField} name="form" label=${t("cases.risk.form")} value=${query.form ?? ""}
        options=${[any, ...INCIDENT_FORMS.map((f) => ({ value: f, label: t(`reports.options.forms.${f}`) }))]} />
      <${SelectField} name="motiv" label=${t("cases.inbox.motive")} value=${query.motive ?? ""}
        options=${[any, ...PERCEIVED_MOTIVES.map((m) => ({ value: m, label: t(`reports.options.motives.${m}`) }))]} />
      <${SelectField} name="sortierung" label=${t("cases.inbox.sort")} value=${query.sort} options=${INBOX_SORTS.map((s) => ({ value: s, label: t(`cases.inbox.sorts.${s}`) }))} />
    </div>
    </details>
    <p class="komma-actions"><button type="submit" class="kern-btn kern-btn--secondary"><span class="kern-label">${t("cases.inbox.apply")}</span></button>
      <a class="kern-link" href=${`/faelle${inboxParams({ ...query, level: null, stage: null, form: null, motive: null, q: "", sort: "newest", page: 1 })}`}>${t("cases.inbox.reset")}</a></p>
  </form>`;
}

function Paging({ ctx, page }: { ctx: ViewContext; page: Inbox }) {
  const { t } = ctx;
  const pages = Math.max(1, Math.ceil(page.total / PAGE_SIZE));
  const current = page.query.page;
  const hasNext = current < pages || (page.more && page.rows.length === PAGE_SIZE);
  if (current === 1 && !hasNext) return null;
  return html`<nav aria-label=${t("cases.inbox.paging")} class="komma-paging">
    ${current > 1 && html`<a class="kern-link" rel="prev" href=${`/faelle${inboxParams(page.query, { page: current - 1 })}`}>${t("cases.inbox.previous")}</a>`}
    <span>${page.more ? t("cases.inbox.pageOfMore", { page: current, pages }) : t("cases.inbox.pageOf", { page: current, pages })}</span>
    ${hasNext && html`<a class="kern-link" rel="next" href=${`/faelle${inboxParams(page.query, { page: current + 1 })}`}>${t("cases.inbox.next")}</a>`}
  </nav>`;
}

function Row({ ctx, row, page }: { ctx: ViewContext; row: InboxRow; page: Inbox }) {
  const { t } = ctx;
  const fmt = dateFormat(ctx.lang, { dateStyle: "medium", timeStyle: "short", timeZone: "Europe/Berlin" });
  const id = `fall-${row.number}`;
  return html`<tr class="kern-table__row">
    <td class="kern-table__cell"><div class="kern-form-check"><input class="kern-form-check__checkbox" type="checkbox" name="faelle" value=${row.number} id=${id} form="sammelaktion" />
      <label class="kern-label" for=${id}><span class="kern-sr-only">${t("cases.inbox.select", { caseNumber: row.number })}</span></label></div></td>
    <th class="kern-table__cell" scope="row"><a class="kern-link komma-nowrap" href=${`/faelle/${row.number}`}>${row.number}</a>
      ${row.immediateDanger && html` <${Badge} kind="danger" text=${t("office.danger")} />`}
      ${row.unreadMessages > 0 && html` <${Badge} kind="info" text=${t("office.unreadBadge", { count: row.unreadMessages })} />`}
      ${row.closureRequested && html` <${Badge} kind="warning" text=${t("cases.closure.pendingShort")} />`}
      <br /><span class="kern-body kern-body--small">${t(`office.modes.${row.mode}`)} · ${t(`office.channels.${row.channel}`)}</span>
      ${row.tags.length > 0 && html`<br /><span class="kern-body kern-body--small">${t("cases.tags")}: ${row.tags.join(", ")}</span>`}</th>
    <td class="kern-table__cell">${row.riskLevel === null ? "–" : html`<${Badge} kind=${row.riskLevel >= 3 ? "danger" : row.riskLevel === 2 ? "warning" : "info"} text=${t("cases.risk.level", { level: row.riskLevel })} />`}</td>
    <td class="kern-table__cell">${t(`alliance.stage.${row.stage}`)}<br /><span class="kern-body kern-body--small">${row.closedReason ? t(`cases.closedAs.${row.closedReason}`) : t(`reports.mailbox.statuses.${row.status}`)}</span></td>
    <td class="kern-table__cell">${row.assigneeName ?? t("cases.unassigned")}</td>
    <td class="kern-table__cell"><span class="komma-nowrap">${fmt.format(row.openedAt)}</span></td>
    <td class="kern-table__cell"><${FirstResponse} ctx=${ctx} row=${row} now=${page.now} /></td>
    <td class="kern-table__cell"><${NextDue} ctx=${ctx} row=${row} today=${page.today} /></td>
  </tr>`;
}

/** The bulk actions on the ticked cases: hand them to someone, or close them as duplicate or abuse (reversible). */
function BulkActions({ ctx, page }: { ctx: ViewContext; page: Inbox }) {
  const { t } = ctx;
  return html`<form method="post" action="/faelle/sammelaktion" id="sammelaktion" class="komma-form komma-bulk" novalidate>
    <${CsrfField} ctx=${ctx} />
    <input type="hidden" name="zurueck" value=${`/faelle${inboxParams(page.query)}`} />
    <fieldset class="kern-fieldset"><legend class="kern-label kern-label--large">${t("cases.inbox.bulk")}</legend>
      <div class="kern-fieldset__body komma-filter-row">
        <${SelectField} name="aktion" label=${t("cases.inbox.action")} value="assign"
          options=${["assign", "duplicate", "abuse"].map((a) => ({ value: a, label: t(`cases.inbox.actions.${a}`) }))} />
        <${SelectField} name="assignee" label=${t("cases.inbox.to")} hint=${t("cases.inbox.toHint")} value=""
          options=${[{ value: "", label: t("cases.unassigned") }, ...page.officers.map((o) => ({ value: o.id, label: o.name }))]} />
      </div>
      <button type="submit" class="kern-btn kern-btn--secondary"><span class="kern-label">${t("cases.inbox.applyBulk")}</span></button>
    </fieldset>
  </form>`;
}

export function InboxPage({ ctx, tenantName, page, notices }: { ctx: ViewContext; tenantName: string; page: Inbox; notices: OfficeNotices | null }) {
  const { t } = ctx;
  return html`<${Layout} ctx=${ctx} title=${t("office.title")}>
    <${PageHeading} title=${t("office.title")} lead=${t("office.lead", { tenant: tenantName })} />
    <p class="kern-body"><a class="kern-link" href="/faelle/verfahren">${t("cases.procedure.link")}</a> · <a class="kern-link" href="/faelle/aufbewahrung">${t("cases.retention.link")}</a></p>
    ${
      // The alert below lists every case in acute danger still without a response (the new ones among them): said once.
      notices && html`<${OfficeNoticesView} ctx=${ctx} notices=${page.urgent.length > 0 ? { ...notices, newInDanger: 0 } : notices} links=${false} />`
    }
    <p><a class="kern-btn kern-btn--secondary" href="/faelle/neu"><span class="kern-icon kern-icon--add" aria-hidden="true"></span><span class="kern-label">${t("office.enter")}</span></a></p>
    ${
      page.urgent.length > 0 &&
      html`<div class="kern-alert kern-alert--danger" role="alert"><div class="kern-alert__header"><span class="kern-icon kern-icon--danger" aria-hidden="true"></span>
        <p class="kern-title">${t("cases.inbox.urgent", { count: page.urgent.length })}</p></div>
        <div class="kern-alert__body"><ul class="kern-list">${page.urgent.map((u) => html`<li><a class="kern-link" href=${`/faelle/${u.number}`}>${u.number}</a></li>`)}</ul></div></div>`
    }
    <${ViewLinks} ctx=${ctx} query=${page.query} />
    <${Filters} ctx=${ctx} query=${page.query} />
    <p class="kern-body" role="status">${page.more ? t("cases.inbox.countMore", { count: page.total }) : t("cases.inbox.count", { count: page.total })}</p>
    ${
      page.rows.length === 0
        ? html`<p class="kern-body">${t("cases.inbox.noMatch")}</p>`
        : html`<${ScrollTable} label=${t("office.title")}><table class="kern-table">
          <caption class="kern-sr-only">${t("office.title")}</caption>
          <thead class="kern-table__header"><tr class="kern-table__row">
            <td class="kern-table__header"></td>
            <th class="kern-table__header" scope="col">${t("office.caseNumber")}</th>
            <th class="kern-table__header" scope="col">${t("cases.inbox.level")}</th>
            <th class="kern-table__header" scope="col">${t("cases.stage")}</th>
            <th class="kern-table__header" scope="col">${t("cases.assignee")}</th>
            <th class="kern-table__header" scope="col">${t("office.received")}</th>
            <th class="kern-table__header" scope="col">${t("cases.inbox.firstResponse")}</th>
            <th class="kern-table__header" scope="col">${t("cases.inbox.nextDue")}</th>
          </tr></thead>
          <tbody class="kern-table__body">${page.rows.map((row) => html`<${Row} ctx=${ctx} row=${row} page=${page} />`)}</tbody>
        </table><//>
        <${Paging} ctx=${ctx} page=${page} />
        ${page.query.view !== "closed" && html`<${BulkActions} ctx=${ctx} page=${page} />`}`
    }
  <//>`;
}
