import {
  CheckboxGroup,
  CsrfField,
  ErrorSummary,
  html,
  Layout,
  PageHeading,
  RadioGroup,
  ScrollTable,
  SubmitButton,
  type ViewContext,
} from "../../platform/ui/html.ts";
import { FEEDBACK_MINIMUM, FEEDBACK_QUESTIONS, type FeedbackResults, type RosterEntry } from "./participation.ts";
import type { SessionView } from "./sessions.ts";
import { Badge, dayOf, OwnBadge, SessionFields, seatsText, whenOf } from "./views.ts";

/* A training session's page: its facts, registration or waiting list, for its organisers the roster, attendance, feedback results and changes. */

type Values = Record<string, string | string[]>;

function Results({ ctx, results }: { ctx: ViewContext; results: FeedbackResults }) {
  const { t } = ctx;
  if (results.state === "waiting")
    return html`<p class="kern-body">${t("trainings.results.waiting", { responses: results.responses, attended: results.attended, date: dayOf(ctx, results.until), minimum: FEEDBACK_MINIMUM })}</p>`;
  if (results.state === "too_few")
    return html`<p class="kern-body">${t("trainings.results.tooFew", { responses: results.responses, minimum: FEEDBACK_MINIMUM })}</p>`;
  return html`<p class="kern-body">${t("trainings.results.count", { count: results.responses })}</p>
    ${FEEDBACK_QUESTIONS.map((q) => {
      const counts = results.counts[q.key];
      const answered = Object.values(counts).reduce((a, b) => a + b, 0);
      return html`<${ScrollTable} label=${t(`trainings.feedback.q.${q.key}`)}><table class="kern-table komma-survey-results" id=${`result-${q.key}`}>
        <caption class="kern-title">${t(`trainings.feedback.q.${q.key}`)}</caption>
        <thead class="kern-table__header"><tr class="kern-table__row">
          <th class="kern-table__header" scope="col">${t("trainings.results.option")}</th>
          <th class="kern-table__header" scope="col">${t("trainings.results.answers")}</th>
        </tr></thead>
        <tbody class="kern-table__body">${q.options.map(
          (o) => html`<tr class="kern-table__row">
            <th class="kern-table__cell" scope="row">${t(`trainings.feedback.o.${q.key === "overall" ? `scale${o}` : o}`)}</th>
            <td class="kern-table__cell" data-option=${o}>${counts[o]}${answered > 0 ? ` (${Math.round((counts[o] / answered) * 100)} %)` : ""}</td>
          </tr>`,
        )}</tbody>
      </table><//>`;
    })}`;
}

export function SessionPage(p: {
  ctx: ViewContext;
  view: SessionView;
  can: Record<"register" | "withdraw" | "manage" | "roster" | "feedback" | "results" | "certificate", boolean>;
  roster: RosterEntry[] | null;
  results: FeedbackResults | null;
  trainers: { id: string; name: string }[];
  now: Date;
  values: Values;
  errors: Record<string, string>;
  feedbackValues: Record<string, string>;
  feedbackErrors: Record<string, string>;
  cancelError?: string;
  withdrawError?: string;
}) {
  const { ctx, view, can, roster, results, trainers, now, values, errors } = p;
  const { t } = ctx;
  const { session, own } = view;
  const base = `/trainings/termine/${session.id}`;
  const registered = roster?.filter((r) => r.status === "registered") ?? [];
  const waiting = roster?.filter((r) => r.status === "waiting") ?? [];
  const started = session.startsAt <= now;
  const fact = (key: string, value: unknown) => html`<div class="kern-description-list-item">
    <dt class="kern-description-list-item__key">${t(key)}</dt>
    <dd class="kern-description-list-item__value">${value}</dd>
  </div>`;
  return html`<${Layout} ctx=${ctx} title=${session.title}>
    <p><a class="kern-link" href="/trainings">${t("trainings.back")}</a></p>
    <${PageHeading} title=${session.title} lead=${t("trainings.offeredBy", { tenant: session.tenantName })} />
    ${session.status === "cancelled" && html`<p><${Badge} kind="danger" text=${t("trainings.status.cancelled")} /></p>`}
    <dl class="kern-description-list">
      ${fact("trainings.column.when", whenOf(ctx, session))}
      ${fact("trainings.session.place", session.place || t("trainings.online"))}
      ${session.onlineLink && (own?.status === "registered" || can.roster) && fact("trainings.session.link", html`<a class="kern-link" href=${session.onlineLink} rel="noopener noreferrer">${session.onlineLink}</a>`)}
      ${fact("trainings.column.seats", seatsText(ctx, session, now))}
      ${session.trainerName && fact("trainings.session.trainer", session.trainerName)}
    </dl>
    <p><a class="kern-link" href=${`/trainings/formate/${session.formatId}`}>${t("trainings.session.aboutFormat")}</a></p>

    ${
      (own || can.register || !can.roster) &&
      html`<section aria-labelledby="session-own">
      <h2 class="kern-heading-medium" id="session-own">${t("trainings.session.taking")}</h2>
      ${own && html`<p class="kern-body"><${OwnBadge} ctx=${ctx} view=${view} /></p>`}
      ${own?.status === "waiting" && html`<p class="kern-body">${t("trainings.session.waitingHelp")}</p>`}
      ${
        can.register &&
        html`<p class="kern-body">${session.registered < session.seats ? t("trainings.session.registerHelp") : t("trainings.session.waitlistHelp")}</p>
        <form method="post" action=${`${base}/anmelden`}><${CsrfField} ctx=${ctx} />
          <${SubmitButton} label=${session.registered < session.seats ? t("trainings.session.register") : t("trainings.session.joinWaitlist")} />
        </form>`
      }
      ${
        own?.status === "registered" &&
        session.status === "scheduled" &&
        html`<p><a class="kern-link" href=${`${base}/kalender.ics`} download>${t("trainings.session.calendar")}</a></p>`
      }
      ${
        can.withdraw &&
        html`<form method="post" action=${`${base}/abmelden`} novalidate><${CsrfField} ctx=${ctx} />
          ${
            own?.status === "registered" &&
            html`<${CheckboxGroup} name="confirm" legend=${t("trainings.session.withdrawLegend")} error=${p.withdrawError} values=${[]}
              options=${[{ value: "yes", label: t("trainings.session.withdrawConfirm") }]} />`
          }
          <${SubmitButton} variant="secondary" label=${own?.status === "waiting" ? t("trainings.session.leaveWaitlist") : t("trainings.session.withdraw")} />
        </form>`
      }
      ${!own && !can.register && session.status === "scheduled" && started && html`<p class="kern-body">${t("trainings.session.closed")}</p>`}
      ${can.certificate && html`<p><a class="kern-link" href=${`${base}/bescheinigung.pdf`}>${t("trainings.session.certificate")}</a></p>`}
      ${own?.feedbackGiven && html`<p class="kern-body">${t("trainings.feedback.thanks")}</p>`}
      ${
        can.feedback &&
        html`<h3 class="kern-heading-small" id="feedback">${t("trainings.feedback.title")}</h3>
        <p class="kern-body">${t("trainings.feedback.lead")}</p>
        <form method="post" action=${`${base}/rueckmeldung`} class="komma-questionnaire" novalidate><${CsrfField} ctx=${ctx} />
          <${ErrorSummary} t=${t} errors=${p.feedbackErrors} />
          ${FEEDBACK_QUESTIONS.map(
            (
              q,
            ) => html`<${RadioGroup} name=${q.key} legend=${t(`trainings.feedback.q.${q.key}`)} value=${p.feedbackValues[q.key]} error=${p.feedbackErrors[q.key]}
              options=${q.options.map((o) => ({ value: o, label: t(`trainings.feedback.o.${q.key === "overall" ? `scale${o}` : o}`) }))} />`,
          )}
          <${SubmitButton} label=${t("trainings.feedback.submit")} />
        </form>`
      }
    </section>`
    }

    ${
      roster &&
      html`<section aria-labelledby="session-roster">
        <h2 class="kern-heading-medium" id="session-roster">${t("trainings.roster.title")}</h2>
        ${registered.length === 0 && html`<p class="kern-body">${t("trainings.roster.none")}</p>`}
        ${
          registered.length > 0 &&
          (started && session.status === "scheduled" && session.feedbackResponses === 0
            ? html`<form method="post" action=${`${base}/anwesenheit`}><${CsrfField} ctx=${ctx} />
                <${CheckboxGroup} name="attended" legend=${t("trainings.roster.attendance")} hint=${t("trainings.roster.attendanceHint")}
                  values=${registered.filter((r) => r.attended).map((r) => r.id)}
                  options=${registered.map((r) => ({ value: r.id, label: r.name, hint: r.homeTenantName }))} />
                <${SubmitButton} label=${t("trainings.roster.save")} />
              </form>`
            : html`${session.feedbackResponses > 0 && html`<p class="kern-body">${t("trainings.roster.lockedHelp")}</p>`}
              <ol class="kern-list">${registered.map(
                (r) =>
                  html`<li>${r.name} <span class="kern-body kern-body--small">(${r.homeTenantName}${r.attended === true ? ` · ${t("trainings.status.attended")}` : r.attended === false ? ` · ${t("trainings.status.absent")}` : ""})</span></li>`,
              )}</ol>`)
        }
        ${
          waiting.length > 0 &&
          html`<h3 class="kern-heading-small">${t("trainings.roster.waiting")}</h3>
          <ol class="kern-list">${waiting.map((r) => html`<li>${r.name} <span class="kern-body kern-body--small">(${r.homeTenantName})</span></li>`)}</ol>`
        }
        ${session.status === "scheduled" && html`<p><a class="kern-link" href=${`${base}/kalender.ics`} download>${t("trainings.session.calendar")}</a></p>`}
      </section>`
    }

    ${
      results &&
      session.status === "scheduled" &&
      session.endsAt <= now &&
      html`<section aria-labelledby="session-results">
        <h2 class="kern-heading-medium" id="session-results">${t("trainings.results.title")}</h2>
        <${Results} ctx=${ctx} results=${results} />
      </section>`
    }

    ${
      can.manage &&
      html`<section aria-labelledby="session-manage">
        <h2 class="kern-heading-medium" id="session-manage">${t("trainings.session.change")}</h2>
        <p class="kern-body">${t("trainings.session.changeHelp")}</p>
        <form method="post" action=${`${base}/aendern`} novalidate><${CsrfField} ctx=${ctx} />
          <${ErrorSummary} t=${t} errors=${errors} />
          <${SessionFields} ctx=${ctx} values=${values} errors=${errors} trainers=${trainers} />
          <${SubmitButton} label=${t("trainings.session.save")} />
        </form>
        <h3 class="kern-heading-small">${t("trainings.session.cancelTitle")}</h3>
        <p class="kern-body">${t("trainings.session.cancelHelp")}</p>
        <form method="post" action=${`${base}/absagen`} novalidate><${CsrfField} ctx=${ctx} />
          <${CheckboxGroup} name="confirm" legend=${t("trainings.session.cancelConfirmLegend")} error=${p.cancelError} values=${[]}
            options=${[{ value: "yes", label: t("trainings.session.cancelConfirm", { count: session.registered + session.waiting }) }]} />
          <${SubmitButton} variant="secondary" label=${t("trainings.session.cancel")} />
        </form>
      </section>`
    }
  <//>`;
}
