import { dateFormat } from "../../platform/i18n/formats.ts";
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
  TextArea,
  TextField,
  type ViewContext,
} from "../../platform/ui/html.ts";
import type { CaseView } from "./commands.ts";
import type { LeaderCase, LeaderView } from "./leader-side.ts";

const day = (ctx: ViewContext, iso: string) => dateFormat(ctx.lang, { dateStyle: "long", timeZone: "UTC" }).format(new Date(`${iso}T00:00:00Z`));

/** On the case: the shares with leaders and, for who leads the case, the form to share (with consent). */
export function LeaderSharesSection({
  ctx,
  kase,
  draft,
}: {
  ctx: ViewContext;
  kase: CaseView;
  draft?: { values: Record<string, string>; errors: FieldErrors };
}) {
  const { t } = ctx;
  const values = draft?.values ?? {};
  const errors = draft?.errors ?? {};
  if (kase.shares.length === 0 && !kase.policies.work) return null;
  return html`<section aria-labelledby="fuehrung">
    <h2 class="kern-heading-medium" id="fuehrung">${t("cases.leaders.title")}</h2>
    <p class="kern-body">${t("cases.leaders.lead")}</p>
    ${
      kase.shares.length > 0 &&
      html`<ul class="kern-list">${kase.shares.map(
        (s) =>
          html`<li><strong>${s.leaderName ?? "–"}</strong> · ${t(`cases.leaders.statuses.${s.status}`)} · ${t("cases.leaders.until", { date: day(ctx, s.validUntil) })}
          ${
            kase.policies.work &&
            (s.status === "active" || s.status === "awaiting_consent") &&
            html`<form method="post" action=${`/faelle/${kase.number}/fuehrung/${s.id}/beenden`} class="komma-form">
              <${CsrfField} ctx=${ctx} /><p class="kern-hint">${t("cases.leaders.endHint")}</p><${SubmitButton} label=${t("cases.leaders.end")} variant="secondary" />
            </form>`
          }</li>`,
      )}</ul>`
    }
    ${
      kase.policies.work &&
      (kase.leaders.length === 0
        ? html`<p class="kern-body">${t("cases.leaders.noLeaders")}</p>`
        : html`<details class="komma-details" open=${draft ? true : undefined}><summary class="kern-link">${t("cases.leaders.add")}</summary>
          <form method="post" action=${`/faelle/${kase.number}/fuehrung`} novalidate class="komma-form">
            <${CsrfField} ctx=${ctx} />
            <${ErrorSummary} t=${t} errors=${errors} />
            <${SelectField} name="shareLeaderId" label=${t("cases.leaders.leader")} value=${values.shareLeaderId} error=${errors.shareLeaderId}
              options=${[{ value: "", label: t("cases.closure.choose") }, ...kase.leaders.map((l) => ({ value: l.id, label: l.name }))]} />
            <${TextArea} name="shareSummary" label=${t("cases.leaders.summary")} hint=${t("cases.leaders.summaryHint")} value=${values.shareSummary}
              error=${errors.shareSummary} rows=${4} />
            <${TextField} name="shareValidUntil" type="date" label=${t("cases.leaders.untilLabel")} hint=${t("cases.leaders.untilHint")} value=${values.shareValidUntil}
              error=${errors.shareValidUntil} />
            <${SelectField} name="shareConsent" label=${t("cases.leaders.consentLabel")} hint=${t("cases.referrals.consentHint")} value=${values.shareConsent || "mailbox"}
              error=${errors.shareConsent} options=${["mailbox", "phone", "in_person", "email", "letter"].map((c) => ({ value: c, label: t(`cases.referrals.consentWays.${c}`) }))} />
            <${SubmitButton} label=${t("cases.leaders.save")} />
          </form></details>`)
    }
  </section>`;
}

/** The leader's list of the cases shared with them. */
export function LeaderCasesPage({ ctx, rows }: { ctx: ViewContext; rows: LeaderCase[] }) {
  const { t } = ctx;
  return html`<${Layout} ctx=${ctx} title=${t("cases.leaders.pageTitle")}>
    <${PageHeading} title=${t("cases.leaders.pageTitle")} lead=${t("cases.leaders.pageLead")} />
    ${
      rows.length === 0
        ? html`<p class="kern-body">${t("cases.leaders.none")}</p>`
        : html`<${ScrollTable} label=${t("cases.leaders.pageTitle")}><table class="kern-table">
          <caption class="kern-sr-only">${t("cases.leaders.pageTitle")}</caption>
          <thead class="kern-table__header"><tr class="kern-table__row">
            <th class="kern-table__header" scope="col">${t("office.caseNumber")}</th>
            <th class="kern-table__header" scope="col">${t("cases.referrals.until")}</th>
          </tr></thead>
          <tbody class="kern-table__body">${rows.map(
            (r) => html`<tr class="kern-table__row">
              <th class="kern-table__cell" scope="row"><a class="kern-link" href=${`/fuehrung/${r.id}`}>${r.number}</a></th>
              <td class="kern-table__cell">${day(ctx, r.validUntil)}</td>
            </tr>`,
          )}</tbody></table><//>`
    }
  <//>`;
}

/** One shared case for its leader: what the person agreed to share, and what the case needs from them. */
export function LeaderCasePage({ ctx, view }: { ctx: ViewContext; view: LeaderView }) {
  const { t } = ctx;
  const title = t("cases.leaders.caseTitle", { caseNumber: view.number });
  return html`<${Layout} ctx=${ctx} title=${title}>
    <${PageHeading} title=${title} lead=${t("cases.leaders.caseLead", { date: day(ctx, view.validUntil) })} />
    <h2 class="kern-heading-medium">${t("cases.leaders.summary")}</h2>
    <p class="kern-body komma-pre" dir="auto">${view.summary}</p>
    <h2 class="kern-heading-medium">${t("cases.leaders.needs")}</h2>
    ${
      view.tasks.length === 0
        ? html`<p class="kern-body">${t("cases.leaders.nothingNeeded")}</p>`
        : html`<ul class="kern-list">${view.tasks.map(
            (task) => html`<li>
              <strong>${task.measure === "strafantrag" ? t("cases.leaders.strafantrag") : t(`cases.measures.catalog.${task.measure}`)}</strong>
              ${" "}· ${t(`cases.tasks.statuses.${task.status}`)}
              ${
                task.measure === "strafantrag"
                  ? task.dueOn
                    ? html` · ${t("cases.leaders.deadline", { date: day(ctx, task.dueOn) })}`
                    : html` · ${t("cases.tasks.notRunning")}`
                  : task.dueOn && html` · ${t("cases.dossier.due", { date: day(ctx, task.dueOn) })}`
              }
            </li>`,
          )}</ul>`
    }
    <p class="kern-body">${t("cases.leaders.contactOffice")}</p>
    <p class="kern-body"><a class="kern-link" href="/fuehrung">${t("cases.leaders.back")}</a></p>
  <//>`;
}

/** A share that has ended, for the leader it was shared with: said plainly, nothing of the case. */
export function LeaderEndedPage({ ctx, number }: { ctx: ViewContext; number: string }) {
  const { t } = ctx;
  const title = t("cases.leaders.endedTitle", { caseNumber: number });
  return html`<${Layout} ctx=${ctx} title=${title}>
    <${PageHeading} title=${title} lead=${t("cases.leaders.endedLead")} />
    <p class="kern-body"><a class="kern-link" href="/fuehrung">${t("cases.leaders.back")}</a></p>
  <//>`;
}
