import { dateFormat } from "../../platform/i18n/formats.ts";
import {
  CsrfField,
  ErrorSummary,
  type FieldErrors,
  html,
  Layout,
  PageHeading,
  ScrollTable,
  SubmitButton,
  TextArea,
  TextField,
  type ViewContext,
} from "../../platform/ui/html.ts";
import type { CaseView } from "./commands.ts";
import { type DueCase, HOLD_GRACE_DAYS, type RetentionOverview } from "./retention.ts";

/** What the hold form shows again after an error. */
export interface HoldDraft {
  values: Record<string, string>;
  errors: FieldErrors;
}

const day = (ctx: ViewContext, iso: string) => dateFormat(ctx.lang, { dateStyle: "long", timeZone: "UTC" }).format(new Date(`${iso}T00:00:00Z`));
const date = (ctx: ViewContext, d: Date) => dateFormat(ctx.lang, { dateStyle: "long", timeZone: "Europe/Berlin" }).format(d);

/** On the case: the legal holds that keep it from deletion, and the form to place one. */
export function HoldsSection({ ctx, kase, draft }: { ctx: ViewContext; kase: CaseView; draft?: HoldDraft }) {
  const { t } = ctx;
  if (!kase.policies.read) return null;
  const values = draft?.values ?? {};
  const errors = draft?.errors ?? {};
  return html`<section aria-labelledby="sperre">
    <h2 class="kern-heading-medium" id="sperre">${t("cases.holds.title")}</h2>
    <p class="kern-body">${t("cases.holds.lead")}</p>
    ${kase.deletableFrom && html`<p class="kern-body"><strong>${t("cases.holds.deletableFrom", { date: day(ctx, kase.deletableFrom) })}</strong></p>`}
    ${
      kase.holds.length > 0 &&
      html`<ul class="kern-list">
        ${kase.holds.map(
          (h) => html`<li>
            <strong>${t(h.active ? "cases.holds.activeUntil" : "cases.holds.endedUntil", { date: day(ctx, h.until) })}</strong>${" "}— <span class="komma-pre" dir="auto">${h.reason}</span>
            <br /><span class="kern-body kern-body--small">${t("cases.holds.placed", { name: h.placedByName ?? "–", date: date(ctx, h.placedAt) })}${
              h.liftedAt ? ` · ${t("cases.holds.liftedBy", { name: h.liftedByName ?? "–", date: date(ctx, h.liftedAt) })}` : ""
            }${h.graceUntil ? html`<br />${t("cases.holds.graceUntil", { date: day(ctx, h.graceUntil), days: HOLD_GRACE_DAYS })}` : ""}</span>
            ${
              h.active &&
              html`<form method="post" action=${`/faelle/${kase.number}/sperre/${h.id}/aufheben`} class="komma-form">
                <${CsrfField} ctx=${ctx} /><${SubmitButton} label=${t("cases.holds.lift")} variant="tertiary" />
              </form>`
            }
          </li>`,
        )}
      </ul>`
    }
    <details class="komma-details" open=${draft ? true : undefined}>
      <summary class="kern-link">${t("cases.holds.place")}</summary>
      <form method="post" action=${`/faelle/${kase.number}/sperre`} novalidate class="komma-form">
        <${CsrfField} ctx=${ctx} />
        <${ErrorSummary} t=${t} errors=${errors} />
        <${TextArea} name="holdReason" label=${t("cases.holds.reason")} hint=${t("cases.holds.reasonHint")} value=${values.holdReason} error=${errors.holdReason} rows=${3} />
        <${TextField} name="holdUntil" type="date" label=${t("cases.holds.until")} value=${values.holdUntil} error=${errors.holdUntil} />
        <${SubmitButton} label=${t("cases.holds.save")} variant="secondary" />
      </form>
    </details>
  </section>`;
}

function DueTable({ ctx, caption, cases, links }: { ctx: ViewContext; caption: string; cases: DueCase[]; links: boolean }) {
  const { t } = ctx;
  return html`<${ScrollTable} label=${caption}>
    <table class="kern-table">
      <caption class="kern-title">${caption}</caption>
      <thead class="kern-table__head"><tr class="kern-table__row">
        <th class="kern-table__header" scope="col">${t("cases.retention.number")}</th>
        <th class="kern-table__header" scope="col">${t("cases.retention.closedAt")}</th>
        <th class="kern-table__header" scope="col">${t("cases.retention.kind")}</th>
        <th class="kern-table__header" scope="col">${t("cases.retention.heldUntil")}</th>
      </tr></thead>
      <tbody class="kern-table__body">
        ${cases.map(
          (c) => html`<tr class="kern-table__row">
            <td class="kern-table__cell">${links ? html`<a class="kern-link" href=${`/faelle/${c.number}`}>${c.number}</a>` : c.number}</td>
            <td class="kern-table__cell">${date(ctx, c.closedAt)}</td>
            <td class="kern-table__cell">${t(c.dismissed ? "cases.retention.dismissed" : "cases.retention.closed")}</td>
            <td class="kern-table__cell">${c.heldUntil ? day(ctx, c.heldUntil) : "–"}</td>
          </tr>`,
        )}
      </tbody>
    </table>
  <//>`;
}

/** The municipality's retention: the periods, and a dry run of what the next nightly run deletes. */
export function RetentionPage({
  ctx,
  overview,
  links,
  values,
  errors = {},
}: {
  ctx: ViewContext;
  overview: RetentionOverview;
  /** The clearing office may open the cases listed. */
  links: boolean;
  values?: Record<string, string>;
  errors?: FieldErrors;
}) {
  const { t } = ctx;
  const s = overview.settings;
  const shown = values ?? { closedMonths: String(s.closedMonths), dismissedMonths: String(s.dismissedMonths) };
  return html`<${Layout} ctx=${ctx} title=${t("cases.retention.title")}>
    <${PageHeading} title=${t("cases.retention.title")} lead=${t("cases.retention.lead")} />
    <p class="kern-body"><a class="kern-link" href="/faelle/verfahren">${t("cases.procedure.link")}</a></p>
    ${
      overview.policies.configure
        ? html`<form method="post" action="/faelle/aufbewahrung" novalidate class="komma-form">
          <${CsrfField} ctx=${ctx} />
          <${ErrorSummary} t=${t} errors=${errors} />
          <${TextField} name="closedMonths" inputmode="numeric" width="4" label=${t("cases.retention.closedMonths")} hint=${t("cases.retention.monthsHint")}
            value=${shown.closedMonths} error=${errors.closedMonths} />
          <${TextField} name="dismissedMonths" inputmode="numeric" width="4" label=${t("cases.retention.dismissedMonths")} hint=${t("cases.retention.monthsHint")}
            value=${shown.dismissedMonths} error=${errors.dismissedMonths} />
          <${SubmitButton} label=${t("cases.retention.save")} />
        </form>`
        : html`<dl class="kern-description-list">
          <div class="kern-description-list-item"><dt class="kern-description-list-item__key">${t("cases.retention.closedMonths")}</dt><dd class="kern-description-list-item__value">${t("cases.retention.months", { count: s.closedMonths })}</dd></div>
          <div class="kern-description-list-item"><dt class="kern-description-list-item__key">${t("cases.retention.dismissedMonths")}</dt><dd class="kern-description-list-item__value">${t("cases.retention.months", { count: s.dismissedMonths })}</dd></div>
        </dl>`
    }
    <h2 class="kern-heading-medium">${t("cases.retention.nextRun")}</h2>
    <p class="kern-body">${t("cases.retention.nextRunLead")}</p>
    ${
      overview.due.length === 0
        ? html`<p class="kern-body">${t("cases.retention.nothingDue")}</p>`
        : html`<${DueTable} ctx=${ctx} caption=${t("cases.retention.dueCaption", { count: overview.due.length })} cases=${overview.due} links=${links} />`
    }
    ${overview.held.length > 0 && html`<${DueTable} ctx=${ctx} caption=${t("cases.retention.heldCaption", { count: overview.held.length })} cases=${overview.held} links=${links} />`}
  <//>`;
}
