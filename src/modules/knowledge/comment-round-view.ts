import { dateFormat } from "../../platform/i18n/formats.ts";
import {
  CsrfField,
  ErrorSummary,
  html,
  Layout,
  PageHeading,
  Paragraphs,
  ScrollTable,
  SelectField,
  SubmitButton,
  TextArea,
  TextField,
  type ViewContext,
} from "../../platform/ui/html.ts";
import { RunningBadge } from "./badge.ts";
import type { RoundComment, RoundRow, roundOf } from "./comment-round.ts";
import type { RoundByLink } from "./comment-round-participation.ts";
import { STRATEGY_SECTIONS } from "./schema.ts";

/* The comment rounds' pages: the list with the form, one round to moderate and close, and the page of an invited group. */

const dateOf = (ctx: ViewContext, d: Date) => dateFormat(ctx.lang === "en" ? "en-GB" : "de-DE", { timeZone: "Europe/Berlin" }).format(d);
const lastDay = (ctx: ViewContext, r: RoundRow) => dateOf(ctx, new Date(r.closesAt.getTime() - 1));

export function RoundListPage(p: {
  ctx: ViewContext;
  list: (RoundRow & { pending: number })[];
  now: Date;
  hasDraft: boolean;
  values: Record<string, string>;
  errors: Record<string, string>;
}) {
  const { ctx, list, now, hasDraft, values, errors } = p;
  const { t } = ctx;
  const th = (key: string) => html`<th class="kern-table__header" scope="col">${t(key)}</th>`;
  return html`<${Layout} ctx=${ctx} title=${t("knowledge.round.title")}>
    <p><a class="kern-link" href="/wissen/strategie">${t("knowledge.strategy.back")}</a></p>
    <${PageHeading} title=${t("knowledge.round.title")} lead=${t("knowledge.round.lead")} />
    ${list.length === 0 && html`<p class="kern-body">${t("knowledge.round.none")}</p>`}
    ${
      list.length > 0 &&
      html`<${ScrollTable} label=${t("knowledge.round.title")}><table class="kern-table">
        <thead class="kern-table__header"><tr class="kern-table__row">${th("knowledge.round.columnTitle")}${th("knowledge.round.columnVersion")}${th("knowledge.round.columnStatus")}${th("knowledge.round.columnPending")}</tr></thead>
        <tbody class="kern-table__body">${list.map(
          (r) => html`<tr class="kern-table__row">
            <th class="kern-table__cell" scope="row"><a class="kern-link" href=${`/wissen/strategie/runden/${r.id}`}>${r.title}</a></th>
            <td class="kern-table__cell">${t("knowledge.strategy.versionN", { version: r.version })}</td>
            <td class="kern-table__cell"><${RunningBadge} ctx=${ctx} kind="round" open=${r.closedAt === null && r.closesAt > now} /></td>
            <td class="kern-table__cell">${r.pending}</td>
          </tr>`,
        )}</tbody>
      </table><//>`
    }
    <section aria-labelledby="round-new">
      <h2 class="kern-heading-medium" id="round-new">${t("knowledge.round.new")}</h2>
      ${!hasDraft && html`<p class="kern-body">${t("knowledge.round.noDraft")}</p>`}
      ${
        hasDraft &&
        html`<form method="post" action="/wissen/strategie/runden" novalidate><${CsrfField} ctx=${ctx} />
          <${ErrorSummary} t=${t} errors=${errors} />
          <${TextField} name="title" label=${t("knowledge.round.fieldTitle")} value=${values.title} error=${errors.title} />
          <${TextArea} name="groups" label=${t("knowledge.round.fieldGroups")} hint=${t("knowledge.round.fieldGroupsHint")} value=${values.groups} error=${errors.groups} rows=${4} />
          <${TextField} name="closesOn" type="date" label=${t("knowledge.survey.fieldCloses")} hint=${t("knowledge.round.fieldClosesHint")} value=${values.closesOn} error=${errors.closesOn} />
          <${SubmitButton} label=${t("knowledge.round.open")} />
        </form>`
      }
    </section>
  <//>`;
}

function Comment({ ctx, comment, withGroup }: { ctx: ViewContext; comment: RoundComment; withGroup: boolean }) {
  const { t } = ctx;
  const by = [comment.signature, withGroup ? comment.group : null].filter(Boolean).join(" · ");
  return html`<div class="komma-comment">
    <${Paragraphs} text=${comment.body} />
    <p class="kern-body kern-body--small komma-muted">${by || t("knowledge.round.unsigned")} · ${dateOf(ctx, comment.createdAt)}</p>
  </div>`;
}

export function RoundPage(p: { ctx: ViewContext; data: Awaited<ReturnType<typeof roundOf>>; now: Date; errors: Record<string, string> }) {
  const { ctx, data, now, errors } = p;
  const { t } = ctx;
  const { round, groups, comments, latestVersion } = data;
  const open = round.closedAt === null && round.closesAt > now;
  const pending = comments.filter((c) => c.status === "pending");
  const decided = comments.filter((c) => c.status !== "pending");
  return html`<${Layout} ctx=${ctx} title=${round.title}>
    <p><a class="kern-link" href="/wissen/strategie/runden">${t("knowledge.round.back")}</a></p>
    <${PageHeading} title=${round.title} />
    <p class="kern-body"><a class="kern-link" href=${`/wissen/strategie/version/${round.version}`}>${t("knowledge.round.onVersion", { version: round.version })}</a></p>
    <p class="kern-body"><${RunningBadge} ctx=${ctx} kind="round" open=${open} />${` ${
      round.closedAt ? t("knowledge.round.closedOn", { date: dateOf(ctx, round.closedAt) }) : t("knowledge.round.endsOn", { date: lastDay(ctx, round) })
    }`}</p>
    <section aria-labelledby="round-pending">
      <h2 class="kern-heading-medium" id="round-pending">${t("knowledge.round.pending", { count: pending.length })}</h2>
      ${pending.map(
        (c) => html`<article class="komma-moderation" aria-label=${t(`knowledge.strategy.section.${c.section}`)}>
          <h3 class="kern-heading-small">${t(`knowledge.strategy.section.${c.section}`)}</h3>
          <${Comment} ctx=${ctx} comment=${c} withGroup=${true} />
          <form method="post" action=${`/wissen/strategie/runden/${round.id}/kommentare/${c.id}`} class="komma-actions"><${CsrfField} ctx=${ctx} />
            <button type="submit" name="decision" value="approve" class="kern-btn kern-btn--primary"><span class="kern-label">${t("knowledge.round.approve")}</span></button>
            <button type="submit" name="decision" value="reject" class="kern-btn kern-btn--secondary"><span class="kern-label">${t("knowledge.round.reject")}</span></button>
          </form>
        </article>`,
      )}
    </section>
    ${
      decided.length > 0 &&
      html`<section aria-labelledby="round-decided">
        <h2 class="kern-heading-medium" id="round-decided">${t("knowledge.round.decided")}</h2>
        ${STRATEGY_SECTIONS.map((s) => {
          const here = decided.filter((c) => c.section === s);
          return here.length
            ? html`<h3 class="kern-heading-small">${t(`knowledge.strategy.section.${s}`)}</h3>
              ${here.map(
                (
                  c,
                ) => html`<div><span class=${`kern-badge kern-badge--${c.status === "approved" ? "success" : "danger"}`}><span class="kern-label kern-label--small">${t(`knowledge.round.commentStatus.${c.status}`)}</span></span>
                <${Comment} ctx=${ctx} comment=${c} withGroup=${true} /></div>`,
              )}`
            : null;
        })}
      </section>`
    }
    <section aria-labelledby="round-groups">
      <h2 class="kern-heading-medium" id="round-groups">${t("knowledge.round.groups")}</h2>
      ${open && html`<p class="kern-body">${t("knowledge.round.linkLost")}</p>`}
      <ul class="kern-list">${groups.map(
        (g) => html`<li class="komma-inline-fields">${g.name}
          ${
            open &&
            html`<form method="post" action=${`/wissen/strategie/runden/${round.id}/gruppen/${g.id}/link`}><${CsrfField} ctx=${ctx} />
              <button type="submit" class="kern-btn kern-btn--tertiary kern-btn--small"><span class="kern-label">${t("knowledge.round.renew", { group: g.name })}</span></button></form>`
          }</li>`,
      )}</ul>
    </section>
    ${
      round.closedAt === null
        ? html`<section aria-labelledby="round-close">
            <h2 class="kern-heading-medium" id="round-close">${t("knowledge.round.close")}</h2>
            <form method="post" action=${`/wissen/strategie/runden/${round.id}/beenden`} novalidate><${CsrfField} ctx=${ctx} />
              <${ErrorSummary} t=${t} errors=${errors} />
              <${TextArea} name="summary" label=${t("knowledge.round.summary")} hint=${t("knowledge.round.summaryHint", { version: latestVersion })} error=${errors.summary} rows=${5} />
              <${SubmitButton} label=${t("knowledge.round.closeSubmit")} variant="secondary" />
            </form>
          </section>`
        : html`<section aria-labelledby="round-summary">
            <h2 class="kern-heading-medium" id="round-summary">${t("knowledge.round.summaryTitle", { version: round.summaryVersion ?? round.version })}</h2>
            <${Paragraphs} text=${round.summary ?? ""} />
          </section>`
    }
  <//>`;
}

/** The page of an invited group: the draft with the approved comments under each part, and the form to comment. */
export function RoundParticipantPage(p: {
  ctx: ViewContext;
  hit: RoundByLink;
  open: boolean;
  action: string;
  values: Record<string, string>;
  errors: Record<string, string>;
}) {
  const { ctx, hit, open, action, values, errors } = p;
  const { t } = ctx;
  const { round, draft, comments } = hit;
  return html`<${Layout} ctx=${ctx} title=${round.title}>
    <${PageHeading} title=${round.title} lead=${t("knowledge.round.invited", { tenant: hit.tenantName, group: hit.group.name })} />
    ${open ? html`<p class="kern-body">${t("knowledge.round.participantLead", { date: lastDay(ctx, round) })}</p>` : html`<p class="kern-body">${t("knowledge.round.ended")}</p>`}
    ${
      round.summary &&
      html`<section aria-labelledby="round-summary" class="kern-alert kern-alert--info">
        <div class="kern-alert__header"><span class="kern-icon kern-icon--info" aria-hidden="true"></span><h2 class="kern-title" id="round-summary">${t("knowledge.round.summaryTitle", { version: round.summaryVersion ?? round.version })}</h2></div>
        <div class="kern-alert__body"><${Paragraphs} text=${round.summary} /></div>
      </section>`
    }
    <h2 class="kern-heading-medium">${draft.title}</h2>
    ${STRATEGY_SECTIONS.map((s) => {
      const here = comments.filter((c) => c.section === s);
      return html`<section aria-labelledby=${`teil-${s}`}>
        <h3 class="kern-heading-small" id=${`teil-${s}`}>${t(`knowledge.strategy.section.${s}`)}</h3>
        ${draft.sections[s] ? html`<${Paragraphs} text=${draft.sections[s]} />` : html`<p class="kern-body komma-muted">${t("knowledge.strategy.empty")}</p>`}
        ${
          here.length > 0 &&
          html`<div class="komma-comments"><p class="kern-body kern-body--small"><strong>${t("knowledge.round.commentsOn", { count: here.length })}</strong></p>
            ${here.map((c) => html`<${Comment} ctx=${ctx} comment=${c} withGroup=${true} />`)}</div>`
        }
      </section>`;
    })}
    ${
      open &&
      html`<section aria-labelledby="comment-form">
        <h2 class="kern-heading-medium" id="comment-form">${t("knowledge.round.comment")}</h2>
        <form method="post" action=${action} novalidate><${CsrfField} ctx=${ctx} />
          <${ErrorSummary} t=${t} errors=${errors} />
          <${SelectField} name="section" label=${t("knowledge.round.section")} value=${values.section} error=${errors.section}
            options=${[{ value: "", label: t("knowledge.round.choose") }, ...STRATEGY_SECTIONS.map((s) => ({ value: s, label: t(`knowledge.strategy.section.${s}`) }))]} />
          <${TextArea} name="body" label=${t("knowledge.round.body")} hint=${t("knowledge.round.bodyHint")} value=${values.body} error=${errors.body} rows=${5} />
          <${TextField} name="signature" label=${t("knowledge.round.signature")} hint=${t("knowledge.round.signatureHint")} value=${values.signature} error=${errors.signature} />
          <${SubmitButton} label=${t("knowledge.round.send")} />
        </form>
      </section>`
    }
  <//>`;
}
