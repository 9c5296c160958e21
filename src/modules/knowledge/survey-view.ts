import { dateFormat } from "../../platform/i18n/formats.ts";
import {
  CsrfField,
  ErrorSummary,
  html,
  Layout,
  PageHeading,
  RadioGroup,
  ScrollTable,
  SubmitButton,
  TextField,
  type ViewContext,
} from "../../platform/ui/html.ts";
import { RunningBadge } from "./badge.ts";
import { isOpen, SURVEY_QUESTIONS, type SurveyResults, type SurveyRow } from "./survey.ts";

/* The staff survey's pages: the list with the form to open one, one survey with its link and results, and the page where staff answer. */

const dateOf = (ctx: ViewContext, d: Date) => dateFormat(ctx.lang === "en" ? "en-GB" : "de-DE", { timeZone: "Europe/Berlin" }).format(d);
/** The last day a survey runs (it ends at midnight after it). */
const lastDayOf = (ctx: ViewContext, s: SurveyRow) => dateOf(ctx, new Date(s.closesAt.getTime() - 1));

export function SurveyListPage(p: {
  ctx: ViewContext;
  list: SurveyRow[];
  now: Date;
  canManage: boolean;
  values: Record<string, string>;
  errors: Record<string, string>;
}) {
  const { ctx, list, now, canManage, values, errors } = p;
  const { t } = ctx;
  const th = (key: string) => html`<th class="kern-table__header" scope="col">${t(key)}</th>`;
  return html`<${Layout} ctx=${ctx} title=${t("knowledge.survey.title")}>
    <p><a class="kern-link" href="/wissen">${t("knowledge.title")}</a></p>
    <${PageHeading} title=${t("knowledge.survey.title")} lead=${t("knowledge.survey.lead")} />
    ${list.length === 0 && html`<p class="kern-body">${t("knowledge.survey.none")}</p>`}
    ${
      list.length > 0 &&
      html`<${ScrollTable} label=${t("knowledge.survey.title")}><table class="kern-table">
        <thead class="kern-table__header"><tr class="kern-table__row">
          ${th("knowledge.survey.columnTitle")}${th("knowledge.survey.columnStatus")}${th("knowledge.survey.columnResponses")}${th("knowledge.survey.columnCloses")}
        </tr></thead>
        <tbody class="kern-table__body">${list.map(
          (s) => html`<tr class="kern-table__row">
            <th class="kern-table__cell" scope="row"><a class="kern-link" href=${`/wissen/befragungen/${s.id}`}>${s.title}</a></th>
            <td class="kern-table__cell"><${RunningBadge} ctx=${ctx} kind="survey" open=${isOpen(s, now)} /></td>
            <td class="kern-table__cell">${s.responses}</td>
            <td class="kern-table__cell">${s.closedAt ? dateOf(ctx, s.closedAt) : lastDayOf(ctx, s)}</td>
          </tr>`,
        )}</tbody>
      </table><//>`
    }
    ${
      canManage &&
      html`<section aria-labelledby="survey-new">
        <h2 class="kern-heading-medium" id="survey-new">${t("knowledge.survey.new")}</h2>
        <form method="post" action="/wissen/befragungen" novalidate><${CsrfField} ctx=${ctx} />
          <${ErrorSummary} t=${t} errors=${errors} />
          <${TextField} name="title" label=${t("knowledge.survey.fieldTitle")} hint=${t("knowledge.survey.fieldTitleHint")} value=${values.title} error=${errors.title} />
          <${TextField} name="closesOn" type="date" label=${t("knowledge.survey.fieldCloses")} hint=${t("knowledge.survey.fieldClosesHint")} value=${values.closesOn} error=${errors.closesOn} />
          <${SubmitButton} label=${t("knowledge.survey.open")} />
        </form>
      </section>`
    }
  <//>`;
}

/** One question's results: each option with its count and share (a count below five withheld), and a bar for the share. */
function QuestionResults(p: { ctx: ViewContext; question: (typeof SURVEY_QUESTIONS)[number]; counts: Record<string, number | null>; total: number }) {
  const { ctx, question, counts, total } = p;
  const { t } = ctx;
  const percent = (n: number) => (total ? Math.round((n / total) * 100) : 0);
  return html`<${ScrollTable} label=${t(`knowledge.survey.q.${question.key}`)}><table class="kern-table komma-survey-results" id=${`result-${question.key}`}>
    <caption class="kern-title">${t(`knowledge.survey.q.${question.key}`)}</caption>
    <thead class="kern-table__header"><tr class="kern-table__row">
      <th class="kern-table__header" scope="col">${t("knowledge.survey.option")}</th>
      <th class="kern-table__header" scope="col">${t("knowledge.survey.count")}</th>
      <th class="kern-table__header" scope="col">${t("knowledge.survey.share")}</th>
    </tr></thead>
    <tbody class="kern-table__body">${question.options.map((o) => {
      const n = counts[o] ?? null;
      return html`<tr class="kern-table__row">
        <th class="kern-table__cell" scope="row">${t(`knowledge.survey.o.${o}`)}</th>
        <td class="kern-table__cell" data-option=${o}>${n === null ? t("knowledge.survey.fewer") : n}</td>
        <td class="kern-table__cell">${
          n === null
            ? "–"
            : html`<svg width="100" height="12" viewBox="0 0 100 12" aria-hidden="true" focusable="false" class="komma-share-bar"><rect width="100" height="12" fill="#e5e7eb" /><rect width=${percent(n)} height="12" fill="#26489e" /></svg>
              ${` ${percent(n)} %`}`
        }</td>
      </tr>`;
    })}</tbody>
  </table><//>`;
}

export function SurveyPage(p: { ctx: ViewContext; results: SurveyResults; canManage: boolean }) {
  const { ctx, results, canManage } = p;
  const { t } = ctx;
  const { survey, open, counts } = results;
  return html`<${Layout} ctx=${ctx} title=${survey.title}>
    <p><a class="kern-link" href="/wissen/befragungen">${t("knowledge.survey.back")}</a></p>
    <${PageHeading} title=${survey.title} />
    <p class="kern-body"><${RunningBadge} ctx=${ctx} kind="survey" open=${open} />${` ${
      open
        ? t("knowledge.survey.endsOn", { date: lastDayOf(ctx, survey) })
        : t("knowledge.survey.endedOn", { date: dateOf(ctx, survey.closedAt ?? survey.closesAt) })
    } · ${t("knowledge.survey.responses", { count: survey.responses })}`}</p>
    ${
      canManage &&
      open &&
      html`<section aria-labelledby="survey-manage">
        <h2 class="kern-heading-medium" id="survey-manage">${t("knowledge.survey.manage")}</h2>
        <p class="kern-body">${t("knowledge.survey.linkLost")}</p>
        <div class="komma-actions">
          <form method="post" action=${`/wissen/befragungen/${survey.id}/link`}><${CsrfField} ctx=${ctx} /><${SubmitButton} label=${t("knowledge.survey.renew")} variant="secondary" /></form>
          <form method="post" action=${`/wissen/befragungen/${survey.id}/beenden`}><${CsrfField} ctx=${ctx} /><${SubmitButton} label=${t("knowledge.survey.close")} variant="secondary" /></form>
        </div>
        <p class="kern-body kern-body--small">${t("knowledge.survey.closeHint")}</p>
      </section>`
    }
    <section aria-labelledby="survey-results">
      <h2 class="kern-heading-medium" id="survey-results">${t("knowledge.survey.results")}</h2>
      ${open && html`<p class="kern-body">${t("knowledge.survey.resultsWhileOpen")}</p>`}
      ${!open && !counts && html`<p class="kern-body">${t("knowledge.survey.resultsTooFew")}</p>`}
      ${counts && html`<p class="kern-body">${t("knowledge.survey.fewerLead")}</p>`}
      ${counts && SURVEY_QUESTIONS.map((q) => html`<${QuestionResults} ctx=${ctx} question=${q} counts=${counts[q.key]} total=${survey.responses} />`)}
    </section>
  <//>`;
}

/** Where staff answer: the questions (each may be left out), a thank-you once answered, or the notice that it has ended. */
export function SurveyAnswerPage(p: {
  ctx: ViewContext;
  tenantName: string;
  slug: string;
  survey: SurveyRow;
  state: "form" | "thanks" | "ended";
  values: Record<string, string>;
  errors: Record<string, string>;
  action: string;
}) {
  const { ctx, tenantName, slug, survey, state, values, errors, action } = p;
  const { t } = ctx;
  return html`<${Layout} ctx=${ctx} title=${survey.title}>
    <${PageHeading} title=${survey.title} lead=${t("knowledge.survey.from", { tenant: tenantName })} />
    ${state === "ended" && html`<p class="kern-body">${t("knowledge.survey.ended")}</p>`}
    ${
      state === "thanks" &&
      html`<div class="kern-alert kern-alert--success" role="status">
          <div class="kern-alert__header"><span class="kern-icon kern-icon--success" aria-hidden="true"></span><h2 class="kern-title">${t("knowledge.survey.thanks")}</h2></div>
        </div>
        <p class="kern-body">${t("knowledge.survey.thanksHelp")}</p>
        <p><a class="kern-link" href=${`/${slug}/melden`}>${t("knowledge.survey.report")}</a></p>`
    }
    ${
      state === "form" &&
      html`<p class="kern-body">${t("knowledge.survey.answerLead")}</p>
        <form method="post" action=${action} class="komma-questionnaire" novalidate><${CsrfField} ctx=${ctx} />
          <${ErrorSummary} t=${t} errors=${errors} />
          ${SURVEY_QUESTIONS.map(
            (q) =>
              html`<${RadioGroup} name=${q.key} legend=${t(`knowledge.survey.q.${q.key}`)} value=${values[q.key]} error=${errors[q.key]}
                options=${q.options.map((o) => ({ value: o, label: t(`knowledge.survey.o.${o}`) }))} />`,
          )}
          <${SubmitButton} label=${t("knowledge.survey.submit")} />
        </form>`
    }
  <//>`;
}
