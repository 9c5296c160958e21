import { dateFormat } from "../../platform/i18n/formats.ts";
import {
  CheckboxGroup,
  CsrfField,
  ErrorSummary,
  html,
  Layout,
  PageHeading,
  Paragraphs,
  RadioGroup,
  ScrollTable,
  SelectField,
  SubmitButton,
  TextArea,
  type ViewContext,
} from "../../platform/ui/html.ts";
import { COACHING_TOPICS, type CoachingDetail, type CoachingSummary } from "./coaching.ts";
import type { CoachingStatus } from "./schema.ts";

/* The coaching pages: asking (with one's own requests), the coaches' waiting list, and one request with its messages. */

type Values = Record<string, string | string[]>;
const str = (v: string | string[] | undefined) => (Array.isArray(v) ? (v[0] ?? "") : (v ?? ""));
const dayOf = (ctx: ViewContext, d: Date) => dateFormat(ctx.lang === "en" ? "en-GB" : "de-DE", { timeZone: "Europe/Berlin" }).format(d);
const timeOf = (ctx: ViewContext, d: Date) =>
  dateFormat(ctx.lang === "en" ? "en-GB" : "de-DE", {
    timeZone: "Europe/Berlin",
    day: "2-digit",
    month: "2-digit",
    year: "numeric",
    hour: "2-digit",
    minute: "2-digit",
  }).format(d);
const BADGE: Record<CoachingStatus, string> = { open: "warning", taken: "info", done: "success", withdrawn: "info" };

function Status({ ctx, status }: { ctx: ViewContext; status: CoachingStatus }) {
  return html`<span class=${`kern-badge kern-badge--${BADGE[status]}`}><span class="kern-label kern-label--small">${ctx.t(`trainings.coaching.status.${status}`)}</span></span>`;
}

function List({ ctx, label, items, showTenant }: { ctx: ViewContext; label: string; items: CoachingSummary[]; showTenant: boolean }) {
  const { t } = ctx;
  const th = (key: string) => html`<th class="kern-table__header" scope="col">${t(key)}</th>`;
  return html`<${ScrollTable} label=${label}><table class="kern-table">
    <thead class="kern-table__header"><tr class="kern-table__row">
      ${th("trainings.coaching.topic")}${showTenant ? th("trainings.coaching.from") : th("trainings.coaching.to")}${th("trainings.coaching.since")}${th("trainings.column.status")}
    </tr></thead>
    <tbody class="kern-table__body">${items.map(
      (c) => html`<tr class="kern-table__row">
        <th class="kern-table__cell" scope="row"><a class="kern-link" href=${`/trainings/coaching/${c.id}`}>${t(`trainings.coaching.topics.${c.topic}`)}</a>${c.urgent ? html` <span class="kern-badge kern-badge--danger"><span class="kern-label kern-label--small">${t("trainings.coaching.urgent")}</span></span>` : null}</th>
        <td class="kern-table__cell">${showTenant ? c.requesterTenantName : c.coachName ? c.coachName : t(`trainings.coaching.route.${c.route}`)}</td>
        <td class="kern-table__cell">${dayOf(ctx, c.createdAt)}</td>
        <td class="kern-table__cell"><${Status} ctx=${ctx} status=${c.status} /></td>
      </tr>`,
    )}</tbody>
  </table><//>`;
}

export function CoachingPage(p: {
  ctx: ViewContext;
  canAsk: boolean;
  isCoach: boolean;
  localOffered: boolean;
  mine: CoachingSummary[];
  waiting: CoachingSummary[];
  taken: CoachingSummary[];
  values: Values;
  errors: Record<string, string>;
}) {
  const { ctx, canAsk, isCoach, localOffered, mine, waiting, taken, values, errors } = p;
  const { t } = ctx;
  return html`<${Layout} ctx=${ctx} title=${t("trainings.coaching.title")}>
    <p><a class="kern-link" href="/trainings">${t("trainings.back")}</a></p>
    <${PageHeading} title=${t("trainings.coaching.title")} lead=${t(canAsk ? "trainings.coaching.lead" : "trainings.coaching.leadCoach")} />
    ${
      isCoach &&
      html`<section aria-labelledby="coaching-waiting">
        <h2 class="kern-heading-medium" id="coaching-waiting">${t("trainings.coaching.waiting")}</h2>
        ${waiting.length === 0 ? html`<p class="kern-body">${t("trainings.coaching.noneWaiting")}</p>` : html`<${List} ctx=${ctx} label=${t("trainings.coaching.waiting")} items=${waiting} showTenant=${true} />`}
      </section>
      <section aria-labelledby="coaching-taken">
        <h2 class="kern-heading-medium" id="coaching-taken">${t("trainings.coaching.taken")}</h2>
        ${taken.length === 0 ? html`<p class="kern-body">${t("trainings.coaching.noneTaken")}</p>` : html`<${List} ctx=${ctx} label=${t("trainings.coaching.taken")} items=${taken} showTenant=${true} />`}
      </section>`
    }
    ${
      mine.length > 0 &&
      html`<section aria-labelledby="coaching-mine">
        <h2 class="kern-heading-medium" id="coaching-mine">${t("trainings.coaching.mine")}</h2>
        <${List} ctx=${ctx} label=${t("trainings.coaching.mine")} items=${mine} showTenant=${false} />
      </section>`
    }
    ${
      canAsk &&
      html`<section aria-labelledby="coaching-ask">
        <h2 class="kern-heading-medium" id="coaching-ask">${t("trainings.coaching.ask")}</h2>
        <p class="kern-body">${t("trainings.coaching.askHelp")}</p>
        <form method="post" action="/trainings/coaching" novalidate><${CsrfField} ctx=${ctx} />
          <${ErrorSummary} t=${t} errors=${errors} />
          <${RadioGroup} name="route" legend=${t("trainings.coaching.routeLegend")} value=${str(values.route)} error=${errors.route}
            options=${[
              { value: "national", label: t("trainings.coaching.route.national"), hint: t("trainings.coaching.route.nationalHint") },
              ...(localOffered ? [{ value: "local", label: t("trainings.coaching.route.local"), hint: t("trainings.coaching.route.localHint") }] : []),
            ]} />
          <${SelectField} name="topic" label=${t("trainings.coaching.topic")} value=${str(values.topic)} error=${errors.topic}
            options=${[{ value: "", label: t("trainings.coaching.choose") }, ...COACHING_TOPICS.map((x) => ({ value: x, label: t(`trainings.coaching.topics.${x}`) }))]} />
          <${TextArea} name="body" label=${t("trainings.coaching.body")} hint=${t("trainings.coaching.bodyHint")} value=${str(values.body)} error=${errors.body} rows=${6} />
          <${TextArea} name="contact" label=${t("trainings.coaching.contact")} hint=${t("trainings.coaching.contactHint")} value=${str(values.contact)} error=${errors.contact} rows=${2} />
          <${CheckboxGroup} name="urgent" legend=${t("trainings.coaching.urgencyLegend")} values=${[str(values.urgent)].filter(Boolean)}
            options=${[{ value: "yes", label: t("trainings.coaching.urgentLabel"), hint: t("trainings.coaching.urgentHint") }]} />
          <${SubmitButton} label=${t("trainings.coaching.send")} />
        </form>
      </section>`
    }
  <//>`;
}

export function CoachingRequestPage(p: {
  ctx: ViewContext;
  summary: CoachingSummary;
  detail: CoachingDetail | null;
  can: Record<"take" | "write" | "finish" | "withdraw", boolean>;
  values: Values;
  errors: Record<string, string>;
}) {
  const { ctx, summary, detail, can, values, errors } = p;
  const { t } = ctx;
  const title = t(`trainings.coaching.topics.${summary.topic}`);
  return html`<${Layout} ctx=${ctx} title=${title}>
    <p><a class="kern-link" href="/trainings/coaching">${t("trainings.coaching.back")}</a></p>
    <${PageHeading} title=${`${t("trainings.coaching.title")}: ${title}`} />
    <p class="kern-body"><${Status} ctx=${ctx} status=${summary.status} />${summary.urgent ? ` · ${t("trainings.coaching.urgent")}` : ""}${` · ${t("trainings.coaching.sinceOn", { date: dayOf(ctx, summary.createdAt) })}`}</p>
    ${
      !detail &&
      html`<p class="kern-body">${t("trainings.coaching.peek", { tenant: summary.requesterTenantName })}</p>
      ${
        can.take &&
        html`<form method="post" action=${`/trainings/coaching/${summary.id}/uebernehmen`}><${CsrfField} ctx=${ctx} />
          <${SubmitButton} label=${t("trainings.coaching.take")} />
        </form>`
      }`
    }
    ${
      detail &&
      html`<dl class="kern-description-list">
        <div class="kern-description-list-item"><dt class="kern-description-list-item__key">${t("trainings.coaching.askedBy")}</dt>
          <dd class="kern-description-list-item__value">${detail.requesterName} (${detail.requesterTenantName})</dd></div>
        <div class="kern-description-list-item"><dt class="kern-description-list-item__key">${t("trainings.coaching.coach")}</dt>
          <dd class="kern-description-list-item__value">${detail.coachName ?? t("trainings.coaching.noCoach")}</dd></div>
        <div class="kern-description-list-item"><dt class="kern-description-list-item__key">${t("trainings.coaching.reachable")}</dt>
          <dd class="kern-description-list-item__value"><${Paragraphs} text=${detail.contact} /></dd></div>
      </dl>
      <h2 class="kern-heading-medium">${t("trainings.coaching.body")}</h2>
      <${Paragraphs} text=${detail.body} />
      <section aria-labelledby="coaching-messages">
        <h2 class="kern-heading-medium" id="coaching-messages">${t("trainings.coaching.messages")}</h2>
        ${detail.messages.length === 0 && html`<p class="kern-body">${t("trainings.coaching.noMessages")}</p>`}
        <ol class="kern-list komma-plain-list">${detail.messages.map(
          (m) =>
            html`<li><p class="kern-body kern-body--small">${m.mine ? t("trainings.coaching.you") : m.authorName}, ${timeOf(ctx, m.createdAt)}</p><${Paragraphs} text=${m.body} /></li>`,
        )}</ol>
        ${
          can.write &&
          html`<form method="post" action=${`/trainings/coaching/${summary.id}/nachricht`} novalidate><${CsrfField} ctx=${ctx} />
            <${ErrorSummary} t=${t} errors=${errors} />
            <${TextArea} name="body" label=${t("trainings.coaching.message")} value=${str(values.body)} error=${errors.body} rows=${4} />
            <${SubmitButton} label=${t("trainings.coaching.sendMessage")} />
          </form>`
        }
      </section>`
    }
    ${
      (can.finish || can.withdraw) &&
      html`<div class="komma-actions">
        ${can.finish && html`<form method="post" action=${`/trainings/coaching/${summary.id}/abschliessen`}><${CsrfField} ctx=${ctx} /><${SubmitButton} variant="secondary" label=${t("trainings.coaching.finish")} /></form>`}
        ${can.withdraw && html`<form method="post" action=${`/trainings/coaching/${summary.id}/zurueckziehen`}><${CsrfField} ctx=${ctx} /><${SubmitButton} variant="secondary" label=${t("trainings.coaching.withdraw")} /></form>`}
      </div>`
    }
  <//>`;
}
