import { dateFormat } from "../../platform/i18n/formats.ts";
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
  TextField,
  type ViewContext,
} from "../../platform/ui/html.ts";
import type { Format } from "./catalog.ts";
import { AREAS, EXPERIENCE, isOpen, MODE_WISHES, NEEDS_MINIMUM, type NeedsGroup, type NeedsResults, type NeedsRound, SITUATIONS } from "./needs.ts";
import { TOPICS, type Topic } from "./schema.ts";

/* The needs assessment's pages: the rounds (and opening one), one round with its questionnaire, the person's recommendation, and the results. */

type Values = Record<string, string | string[]>;
const str = (v: string | string[] | undefined) => (Array.isArray(v) ? (v[0] ?? "") : (v ?? ""));
const list = (v: string | string[] | undefined) => (Array.isArray(v) ? v : v ? [v] : []);
const dayOf = (ctx: ViewContext, d: Date) =>
  dateFormat(ctx.lang === "en" ? "en-GB" : "de-DE", { timeZone: "Europe/Berlin", day: "2-digit", month: "2-digit", year: "numeric" }).format(d);
const lastDayOf = (ctx: ViewContext, r: NeedsRound) => dayOf(ctx, new Date(r.closesAt.getTime() - 1));

function Badge({ ctx, open }: { ctx: ViewContext; open: boolean }) {
  return html`<span class=${`kern-badge kern-badge--${open ? "success" : "info"}`}><span class="kern-label kern-label--small">${ctx.t(`trainings.needs.${open ? "running" : "ended"}`)}</span></span>`;
}

/** Formats for topics, as links with what they are about. */
export function FormatList({ ctx, formats }: { ctx: ViewContext; formats: Format[] }) {
  const { t } = ctx;
  return html`<ul class="kern-list">${formats.map(
    (f) => html`<li><a class="kern-link" href=${`/trainings/formate/${f.id}`}>${f.title}</a>
      <span class="kern-body kern-body--small">${` – ${f.topics.map((x) => t(`trainings.topic.${x}`)).join(", ")}`}${f.tenantKind === "national" ? ` · ${t("trainings.offeredBy", { tenant: f.tenantName })}` : ""}</span></li>`,
  )}</ul>`;
}

export function NeedsListPage(p: {
  ctx: ViewContext;
  rounds: (NeedsRound & { answered: boolean })[];
  now: Date;
  canManage: boolean;
  canAnswer: boolean;
  values: Record<string, string>;
  errors: Record<string, string>;
}) {
  const { ctx, rounds, now, canManage, canAnswer, values, errors } = p;
  const { t } = ctx;
  const th = (key: string) => html`<th class="kern-table__header" scope="col">${t(key)}</th>`;
  return html`<${Layout} ctx=${ctx} title=${t("trainings.needs.title")}>
    <p><a class="kern-link" href="/trainings">${t("trainings.back")}</a></p>
    <${PageHeading} title=${t("trainings.needs.title")} lead=${t("trainings.needs.lead")} />
    ${rounds.length === 0 && html`<p class="kern-body">${t(canManage ? "trainings.needs.noneManage" : "trainings.needs.none")}</p>`}
    ${
      rounds.length > 0 &&
      html`<${ScrollTable} label=${t("trainings.needs.title")}><table class="kern-table">
        <thead class="kern-table__header"><tr class="kern-table__row">
          ${th("trainings.needs.columnTitle")}${th("trainings.needs.columnStatus")}${th("trainings.needs.columnEnds")}${canManage ? th("trainings.needs.columnResponses") : th("trainings.needs.columnYou")}
        </tr></thead>
        <tbody class="kern-table__body">${rounds.map(
          (r) => html`<tr class="kern-table__row">
            <th class="kern-table__cell" scope="row"><a class="kern-link" href=${`/trainings/bedarf/${r.id}`}>${r.title}</a></th>
            <td class="kern-table__cell"><${Badge} ctx=${ctx} open=${isOpen(r, now)} /></td>
            <td class="kern-table__cell">${r.closedAt ? dayOf(ctx, r.closedAt) : lastDayOf(ctx, r)}</td>
            <td class="kern-table__cell">${canManage ? r.responses : r.answered ? t("trainings.needs.youAnswered") : canAnswer && isOpen(r, now) ? t("trainings.needs.youNot") : "–"}</td>
          </tr>`,
        )}</tbody>
      </table><//>`
    }
    ${
      canManage &&
      html`<section aria-labelledby="needs-new">
        <h2 class="kern-heading-medium" id="needs-new">${t("trainings.needs.new")}</h2>
        <p class="kern-body">${t("trainings.needs.newHelp")}</p>
        <form method="post" action="/trainings/bedarf" novalidate><${CsrfField} ctx=${ctx} />
          <${ErrorSummary} t=${t} errors=${errors} />
          <${TextField} name="title" label=${t("trainings.needs.fieldTitle")} value=${values.title} error=${errors.title} />
          <${TextField} name="closesOn" type="date" label=${t("trainings.needs.fieldCloses")} hint=${t("trainings.needs.fieldClosesHint")} value=${values.closesOn} error=${errors.closesOn} />
          <${SubmitButton} label=${t("trainings.needs.open")} />
        </form>
      </section>`
    }
  <//>`;
}

function Groups({
  ctx,
  label,
  keyLabel,
  groups,
}: {
  ctx: ViewContext;
  label: string;
  keyLabel: (k: string) => string;
  groups: { shown: NeedsGroup[]; rest: NeedsGroup | null };
}) {
  const { t } = ctx;
  const rows = [...groups.shown, ...(groups.rest ? [groups.rest] : [])];
  // With no group large enough, the rest is everyone: the figures above say it already.
  if (groups.shown.length === 0)
    return html`<h3 class="kern-heading-small">${label}</h3>
      <p class="kern-body">${t("trainings.needs.groupsTooSmall", { minimum: NEEDS_MINIMUM })}</p>`;
  return html`<${ScrollTable} label=${label}><table class="kern-table">
    <caption class="kern-title">${label}</caption>
    <thead class="kern-table__header"><tr class="kern-table__row">
      <th class="kern-table__header" scope="col">${t("trainings.needs.group")}</th>
      <th class="kern-table__header" scope="col">${t("trainings.needs.columnResponses")}</th>
      <th class="kern-table__header" scope="col">${t("trainings.needs.groupTop")}</th>
    </tr></thead>
    <tbody class="kern-table__body">${rows.map(
      (g) => html`<tr class="kern-table__row">
        <th class="kern-table__cell" scope="row">${g.key === "rest" ? t("trainings.needs.rest") : keyLabel(g.key)}</th>
        <td class="kern-table__cell">${g.responses}</td>
        <td class="kern-table__cell">${g.top.map((x) => t(`trainings.topic.${x}`)).join(", ") || "–"}</td>
      </tr>`,
    )}</tbody>
  </table><//>`;
}

function Results({ ctx, results, recommended }: { ctx: ViewContext; results: NeedsResults; recommended: Format[] }) {
  const { t } = ctx;
  const cell = (n: number | null) => (n === null ? t("trainings.needs.fewer", { minimum: NEEDS_MINIMUM }) : n);
  return html`
    <p class="kern-body">${t("trainings.needs.resultsLead", { count: results.responses, minimum: NEEDS_MINIMUM })}</p>
    <h3 class="kern-heading-small">${t("trainings.needs.recommended")}</h3>
    ${
      results.top.length === 0
        ? html`<p class="kern-body">${t("trainings.needs.noNeed")}</p>`
        : html`<p class="kern-body">${t("trainings.needs.topTopics", { topics: results.top.map((x) => t(`trainings.topic.${x}`)).join(", ") })}</p>
          ${recommended.length > 0 ? html`<${FormatList} ctx=${ctx} formats=${recommended} />` : html`<p class="kern-body">${t("trainings.needs.noFormat")}</p>`}`
    }
    <${ScrollTable} label=${t("trainings.needs.byTopic")}><table class="kern-table" id="needs-topics">
      <caption class="kern-title">${t("trainings.needs.byTopic")}</caption>
      <thead class="kern-table__header"><tr class="kern-table__row">
        <th class="kern-table__header" scope="col">${t("trainings.needs.topic")}</th>
        <th class="kern-table__header" scope="col">${t("trainings.needs.wished")}</th>
        <th class="kern-table__header" scope="col">${t("trainings.needs.unsure")}</th>
      </tr></thead>
      <tbody class="kern-table__body">${results.topics.map(
        (r) => html`<tr class="kern-table__row">
          <th class="kern-table__cell" scope="row">${t(`trainings.topic.${r.topic}`)}</th>
          <td class="kern-table__cell" data-topic=${r.topic} data-kind="wished">${cell(r.wished)}</td>
          <td class="kern-table__cell" data-topic=${r.topic} data-kind="unsure">${cell(r.unsure)}</td>
        </tr>`,
      )}</tbody>
    </table><//>
    <${ScrollTable} label=${t("trainings.needs.q.experience")}><table class="kern-table">
      <caption class="kern-title">${t("trainings.needs.q.experience")}</caption>
      <thead class="kern-table__header"><tr class="kern-table__row">
        <th class="kern-table__header" scope="col">${t("trainings.results.option")}</th>
        <th class="kern-table__header" scope="col">${t("trainings.needs.people")}</th>
      </tr></thead>
      <tbody class="kern-table__body">${EXPERIENCE.map(
        (e) =>
          html`<tr class="kern-table__row"><th class="kern-table__cell" scope="row">${t(`trainings.needs.o.${e}`)}</th><td class="kern-table__cell">${cell(results.experience[e])}</td></tr>`,
      )}</tbody>
    </table><//>
    <${Groups} ctx=${ctx} label=${t("trainings.needs.byArea")} keyLabel=${(k: string) => t(`trainings.needs.area.${k}`)} groups=${results.byArea} />
    <${Groups} ctx=${ctx} label=${t("trainings.needs.byRole")} keyLabel=${(k: string) => t(`roles.${k}`)} groups=${results.byRole} />`;
}

export function NeedsRoundPage(p: {
  ctx: ViewContext;
  round: NeedsRound & { answered: boolean };
  now: Date;
  canAnswer: boolean;
  canManage: boolean;
  results: NeedsResults | null;
  canSeeResults: boolean;
  recommended: Format[];
  personal: { topics: Topic[]; formats: Format[] } | null;
  values: Values;
  errors: Record<string, string>;
}) {
  const { ctx, round, now, canAnswer, canManage, results, canSeeResults, recommended, personal, values, errors } = p;
  const { t } = ctx;
  const open = isOpen(round, now);
  const scale = ["1", "2", "3", "4"].map((v) => ({ value: v, label: t(`trainings.needs.o.conf${v}`) }));
  return html`<${Layout} ctx=${ctx} title=${round.title}>
    <p><a class="kern-link" href="/trainings/bedarf">${t("trainings.needs.back")}</a></p>
    <${PageHeading} title=${round.title} />
    <p class="kern-body"><${Badge} ctx=${ctx} open=${open} />${` ${
      open ? t("trainings.needs.endsOn", { date: lastDayOf(ctx, round) }) : t("trainings.needs.endedOn", { date: dayOf(ctx, round.closedAt ?? round.closesAt) })
    }`}</p>
    ${
      personal &&
      html`<section aria-labelledby="needs-personal" class="komma-prose">
        <h2 class="kern-heading-medium" id="needs-personal">${t("trainings.needs.personal")}</h2>
        ${
          personal.topics.length === 0
            ? html`<p class="kern-body">${t("trainings.needs.personalNone")}</p>`
            : html`<p class="kern-body">${t("trainings.needs.personalTopics", { topics: personal.topics.map((x) => t(`trainings.topic.${x}`)).join(", ") })}</p>
              ${personal.formats.length > 0 ? html`<${FormatList} ctx=${ctx} formats=${personal.formats} />` : html`<p class="kern-body">${t("trainings.needs.noFormat")}</p>`}`
        }
        <p class="kern-body">${t("trainings.needs.personalKept")}</p>
      </section>`
    }
    ${round.answered && !personal && html`<p class="kern-body">${t("trainings.needs.answered")}</p>`}
    ${
      canAnswer &&
      open &&
      !round.answered &&
      html`<p class="kern-body">${t("trainings.needs.answerLead")}</p>
      <form method="post" action=${`/trainings/bedarf/${round.id}`} class="komma-questionnaire" novalidate><${CsrfField} ctx=${ctx} />
        <${ErrorSummary} t=${t} errors=${errors} />
        <${RadioGroup} name="area" legend=${t("trainings.needs.q.area")} value=${str(values.area)} error=${errors.area}
          options=${AREAS.map((a) => ({ value: a, label: t(`trainings.needs.area.${a}`) }))} />
        <${RadioGroup} name="experience" legend=${t("trainings.needs.q.experience")} value=${str(values.experience)} error=${errors.experience}
          options=${EXPERIENCE.map((e) => ({ value: e, label: t(`trainings.needs.o.${e}`) }))} />
        ${SITUATIONS.map(
          (s) =>
            html`<${RadioGroup} name=${`conf_${s.key}`} legend=${t(`trainings.needs.q.conf_${s.key}`)} value=${str(values[`conf_${s.key}`])} error=${errors[`conf_${s.key}`]} options=${scale} />`,
        )}
        <${CheckboxGroup} name="wishes" legend=${t("trainings.needs.q.wishes")} hint=${t("trainings.needs.q.wishesHint")} error=${errors.wishes}
          values=${list(values.wishes)} options=${TOPICS.map((x) => ({ value: x, label: t(`trainings.topic.${x}`) }))} />
        <${RadioGroup} name="mode" legend=${t("trainings.needs.q.mode")} value=${str(values.mode)} error=${errors.mode}
          options=${MODE_WISHES.map((m) => ({ value: m, label: t(`trainings.needs.o.${m}`) }))} />
        <${SubmitButton} label=${t("trainings.needs.submit")} />
      </form>`
    }
    ${
      canManage &&
      open &&
      html`<section aria-labelledby="needs-manage">
        <h2 class="kern-heading-medium" id="needs-manage">${t("trainings.needs.manage")}</h2>
        <p class="kern-body">${t("trainings.needs.responses", { count: round.responses })}</p>
        <p class="kern-body">${t("trainings.needs.closeHelp")}</p>
        <form method="post" action=${`/trainings/bedarf/${round.id}/beenden`} novalidate><${CsrfField} ctx=${ctx} />
          <${CheckboxGroup} name="confirm" legend=${t("trainings.session.cancelConfirmLegend")} error=${errors.confirm} values=${[]}
            options=${[{ value: "yes", label: t("trainings.needs.closeConfirm") }]} />
          <${SubmitButton} variant="secondary" label=${t("trainings.needs.close")} />
        </form>
      </section>`
    }
    ${
      canSeeResults &&
      html`<section aria-labelledby="needs-results">
        <h2 class="kern-heading-medium" id="needs-results">${t("trainings.needs.results")}</h2>
        ${open && html`<p class="kern-body">${t("trainings.needs.resultsWhileOpen")}</p>`}
        ${!open && !results && html`<p class="kern-body">${t("trainings.needs.resultsTooFew", { minimum: NEEDS_MINIMUM })}</p>`}
        ${results && html`<${Results} ctx=${ctx} results=${results} recommended=${recommended} />`}
      </section>`
    }
  <//>`;
}
