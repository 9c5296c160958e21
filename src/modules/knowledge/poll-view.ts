import {
  CsrfField,
  ErrorSummary,
  html,
  Layout,
  PageHeading,
  RadioGroup,
  ScrollTable,
  SubmitButton,
  TextArea,
  TextField,
  type ViewContext,
} from "../../platform/ui/html.ts";
import { RunningBadge } from "./badge.ts";
import { POLL_MINIMUM, type PollRow, type PollView } from "./poll.ts";

/* The live poll's pages: the list with the form, one poll to run, its projection, and where people vote. */

export function PollListPage(p: { ctx: ViewContext; list: PollRow[]; values: Record<string, string>; errors: Record<string, string> }) {
  const { ctx, list, values, errors } = p;
  const { t } = ctx;
  const th = (key: string) => html`<th class="kern-table__header" scope="col">${t(key)}</th>`;
  return html`<${Layout} ctx=${ctx} title=${t("knowledge.poll.title")}>
    <p><a class="kern-link" href="/wissen">${t("knowledge.title")}</a></p>
    <${PageHeading} title=${t("knowledge.poll.title")} lead=${t("knowledge.poll.lead")} />
    ${list.length === 0 && html`<p class="kern-body">${t("knowledge.poll.none")}</p>`}
    ${
      list.length > 0 &&
      html`<${ScrollTable} label=${t("knowledge.poll.title")}><table class="kern-table">
        <thead class="kern-table__header"><tr class="kern-table__row">${th("knowledge.poll.question")}${th("knowledge.poll.statusLabel")}${th("knowledge.poll.votesLabel")}</tr></thead>
        <tbody class="kern-table__body">${list.map(
          (poll) => html`<tr class="kern-table__row">
            <th class="kern-table__cell" scope="row"><a class="kern-link" href=${`/wissen/abstimmungen/${poll.id}`}>${poll.question}</a></th>
            <td class="kern-table__cell"><${RunningBadge} ctx=${ctx} kind="poll" open=${poll.closedAt === null} /></td>
            <td class="kern-table__cell">${poll.votes}</td>
          </tr>`,
        )}</tbody>
      </table><//>`
    }
    <section aria-labelledby="poll-new">
      <h2 class="kern-heading-medium" id="poll-new">${t("knowledge.poll.new")}</h2>
      <form method="post" action="/wissen/abstimmungen" novalidate><${CsrfField} ctx=${ctx} />
        <${ErrorSummary} t=${t} errors=${errors} />
        <${TextField} name="question" label=${t("knowledge.poll.question")} value=${values.question} error=${errors.question} />
        <${TextArea} name="options" label=${t("knowledge.poll.options")} hint=${t("knowledge.poll.optionsHint")} value=${values.options} error=${errors.options} rows=${4} />
        <${SubmitButton} label=${t("knowledge.poll.open")} />
      </form>
    </section>
  <//>`;
}

/** The distribution as bars with the figures written beside them (only once it may be shown). */
function Results({ ctx, view }: { ctx: ViewContext; view: PollView }) {
  const { t } = ctx;
  const { poll, options } = view;
  if (poll.closedAt === null) return null;
  if (poll.votes < POLL_MINIMUM) return html`<p class="kern-body">${t("knowledge.poll.tooFew", { minimum: POLL_MINIMUM })}</p>`;
  const percent = (n: number) => (poll.votes ? Math.round((n / poll.votes) * 100) : 0);
  return html`<${ScrollTable} label=${t("knowledge.poll.results")}><table class="kern-table komma-survey-results" id="poll-results">
    <caption class="kern-title">${t("knowledge.poll.results")}</caption>
    <thead class="kern-table__header"><tr class="kern-table__row">
      <th class="kern-table__header" scope="col">${t("knowledge.survey.option")}</th>
      <th class="kern-table__header" scope="col">${t("knowledge.survey.count")}</th>
      <th class="kern-table__header" scope="col">${t("knowledge.survey.share")}</th>
    </tr></thead>
    <tbody class="kern-table__body">${options.map((o) => {
      const n = o.count;
      return html`<tr class="kern-table__row">
        <th class="kern-table__cell" scope="row">${o.label}</th>
        <td class="kern-table__cell" data-position=${String(o.position)}>${n === null ? t("knowledge.survey.fewer") : n}</td>
        <td class="kern-table__cell">${
          n === null
            ? "–"
            : html`<svg width="100" height="12" viewBox="0 0 100 12" aria-hidden="true" focusable="false" class="komma-share-bar"><rect width="100" height="12" fill="#e5e7eb" /><rect width=${percent(n)} height="12" fill="#26489e" /></svg>${` ${percent(n)} %`}`
        }</td>
      </tr>`;
    })}</tbody>
  </table><//>
  <p class="kern-body kern-body--small">${t("knowledge.poll.fewerNote")}</p>`;
}

/** How many have voted; with JavaScript the figure follows the votes (and the page reloads when the poll closes). */
function VoteCount({ ctx, view }: { ctx: ViewContext; view: PollView }) {
  const { t } = ctx;
  return html`<p class="kern-body komma-poll-count" data-live-poll=${view.poll.closedAt === null ? `/wissen/abstimmungen/${view.poll.id}/stand` : undefined}
    aria-live="polite"><span data-live-votes>${t("knowledge.poll.votes", { count: view.poll.votes })}</span></p>`;
}

export function PollPage(p: { ctx: ViewContext; view: PollView; link: string; qr: string }) {
  const { ctx, view, link, qr } = p;
  const { t } = ctx;
  const open = view.poll.closedAt === null;
  return html`<${Layout} ctx=${ctx} title=${view.poll.question}>
    <p><a class="kern-link" href="/wissen/abstimmungen">${t("knowledge.poll.back")}</a></p>
    <${PageHeading} title=${view.poll.question} />
    <p class="kern-body"><${RunningBadge} ctx=${ctx} kind="poll" open=${open} /></p>
    <${VoteCount} ctx=${ctx} view=${view} />
    ${
      open &&
      html`<div class="komma-poll-join">
        <div class="komma-poll-qr" dangerouslySetInnerHTML=${{ __html: qr }}></div>
        <div>
          <p class="kern-body">${t("knowledge.poll.join")}</p>
          <p class="kern-body"><code class="komma-break" id="poll-link">${link}</code></p>
          <p class="kern-body">${t("knowledge.poll.whileOpen")}</p>
          <div class="komma-actions">
            <a class="kern-btn kern-btn--secondary" href=${`/wissen/abstimmungen/${view.poll.id}/anzeige`}><span class="kern-label">${t("knowledge.poll.project")}</span></a>
            <form method="post" action=${`/wissen/abstimmungen/${view.poll.id}/beenden`}><${CsrfField} ctx=${ctx} /><${SubmitButton} label=${t("knowledge.poll.close")} /></form>
          </div>
        </div>
      </div>`
    }
    ${!open && html`<p><a class="kern-link" href=${`/wissen/abstimmungen/${view.poll.id}/anzeige`}>${t("knowledge.poll.project")}</a></p>`}
    <${Results} ctx=${ctx} view=${view} />
    <h2 class="kern-heading-medium">${t("knowledge.poll.answers")}</h2>
    <ol class="kern-list">${view.options.map((o) => html`<li>${o.label}</li>`)}</ol>
  <//>`;
}

/** For the projector: the question, the QR code and the link while it runs; the result once closed. */
export function PollProjectionPage(p: { ctx: ViewContext; view: PollView; link: string; qr: string }) {
  const { ctx, view, link, qr } = p;
  const { t } = ctx;
  const open = view.poll.closedAt === null;
  return html`<${Layout} ctx=${ctx} title=${view.poll.question} bare>
    <div class="komma-projection">
      <h1 class="kern-heading-x-large">${view.poll.question}</h1>
      ${
        open &&
        html`<div class="komma-poll-join">
          <div class="komma-poll-qr komma-poll-qr--large" dangerouslySetInnerHTML=${{ __html: qr }}></div>
          <div>
            <p class="kern-body kern-body--large">${t("knowledge.poll.join")}</p>
            <p class="kern-body kern-body--large"><code class="komma-break">${link}</code></p>
          </div>
        </div>`
      }
      <${VoteCount} ctx=${ctx} view=${view} />
      <${Results} ctx=${ctx} view=${view} />
      <p><a class="kern-link" href=${`/wissen/abstimmungen/${view.poll.id}/anzeige`}>${t("knowledge.poll.refresh")}</a> · <a class="kern-link" href=${`/wissen/abstimmungen/${view.poll.id}`}>${t("knowledge.poll.backToPoll")}</a></p>
    </div>
  <//>`;
}

export function VotePage(p: {
  ctx: ViewContext;
  tenantName: string;
  question: string;
  labels: { position: number; label: string }[];
  state: "form" | "thanks" | "closed";
  action: string;
  error: string | null;
}) {
  const { ctx, tenantName, question, labels, state, action, error } = p;
  const { t } = ctx;
  return html`<${Layout} ctx=${ctx} title=${question}>
    <${PageHeading} title=${question} lead=${t("knowledge.poll.from", { tenant: tenantName })} />
    ${state === "closed" && html`<p class="kern-body">${t("knowledge.poll.closedNotice")}</p>`}
    ${
      state === "thanks" &&
      html`<div class="kern-alert kern-alert--success" role="status"><div class="kern-alert__header"><span class="kern-icon kern-icon--success" aria-hidden="true"></span><h2 class="kern-title">${t("knowledge.poll.thanks")}</h2></div></div>`
    }
    ${
      state === "form" &&
      html`<p class="kern-body">${t("knowledge.poll.anonymous")}</p>
        <form method="post" action=${action} class="komma-questionnaire" novalidate><${CsrfField} ctx=${ctx} />
          <${ErrorSummary} t=${t} errors=${error ? { answer: error } : {}} />
          <${RadioGroup} name="answer" legend=${t("knowledge.poll.yourAnswer")} error=${error ?? undefined} large options=${labels.map((l) => ({ value: String(l.position), label: l.label }))} />
          <${SubmitButton} label=${t("knowledge.poll.vote")} />
        </form>`
    }
  <//>`;
}
