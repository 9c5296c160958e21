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
  SelectField,
  SubmitButton,
  TextArea,
  TextField,
  type ViewContext,
} from "../../platform/ui/html.ts";
import type { Format } from "./catalog.ts";
import { AUDIENCES, FORMAT_DIMENSIONS, MODES, TOPICS } from "./schema.ts";
import type { Session, SessionView } from "./sessions.ts";

/* The trainings' pages: the overview (own registrations, upcoming sessions, the catalog), a format, its form, a session. */

type Values = Record<string, string | string[]>;
const str = (v: string | string[] | undefined) => (Array.isArray(v) ? (v[0] ?? "") : (v ?? ""));
const list = (v: string | string[] | undefined) => (Array.isArray(v) ? v : v ? [v] : []);

export function Badge({ kind, text }: { kind: "info" | "warning" | "success" | "danger"; text: string }) {
  return html`<span class=${`kern-badge kern-badge--${kind}`}><span class="kern-label kern-label--small">${text}</span></span>`;
}

const locale = (ctx: ViewContext) => (ctx.lang === "en" ? "en-GB" : "de-DE");
export const dayOf = (ctx: ViewContext, d: Date) =>
  dateFormat(locale(ctx), { timeZone: "Europe/Berlin", weekday: "short", day: "2-digit", month: "2-digit", year: "numeric" }).format(d);
const timeOf = (ctx: ViewContext, d: Date) => dateFormat(locale(ctx), { timeZone: "Europe/Berlin", hour: "2-digit", minute: "2-digit" }).format(d);
export const whenOf = (ctx: ViewContext, s: Pick<Session, "startsAt" | "endsAt">) =>
  `${dayOf(ctx, s.startsAt)}, ${timeOf(ctx, s.startsAt)}–${timeOf(ctx, s.endsAt)}`;
const durationOf = (ctx: ViewContext, minutes: number) =>
  minutes % 60 === 0 ? ctx.t("trainings.hours", { count: minutes / 60 }) : ctx.t("trainings.minutes", { count: minutes });

/** Where a person stands on a session, as a badge. */
export function OwnBadge({ ctx, view }: { ctx: ViewContext; view: SessionView }) {
  const { t } = ctx;
  const { session, own } = view;
  if (session.status === "cancelled") return html`<${Badge} kind="danger" text=${t("trainings.status.cancelled")} />`;
  if (!own) return null;
  if (own.attended === true)
    return html`<${Badge} kind="success" text=${t(view.ref.feedbackGiven || view.ref.feedbackClosed ? "trainings.status.attended" : "trainings.status.feedbackOpen")} />`;
  if (own.attended === false) return html`<${Badge} kind="info" text=${t("trainings.status.absent")} />`;
  if (own.status === "waiting") return html`<${Badge} kind="warning" text=${t("trainings.status.waiting", { position: own.position ?? 1 })} />`;
  return html`<${Badge} kind="info" text=${t("trainings.status.registered")} />`;
}

export function seatsText(ctx: ViewContext, s: Session, now?: Date) {
  if (s.status === "cancelled") return ctx.t("trainings.status.cancelled");
  if (now && s.endsAt <= now) return s.attendanceTakenAt ? ctx.t("trainings.attendedCount", { count: s.attended }) : ctx.t("trainings.status.past");
  const free = Math.max(0, s.seats - s.registered);
  return free > 0 ? ctx.t("trainings.seatsFree", { count: free, seats: s.seats }) : ctx.t("trainings.full", { count: s.waiting });
}

function SessionTable({ ctx, label, views, showOwn, now }: { ctx: ViewContext; label: string; views: SessionView[]; showOwn: boolean; now: Date }) {
  const { t } = ctx;
  const th = (key: string) => html`<th class="kern-table__header" scope="col">${t(key)}</th>`;
  return html`<${ScrollTable} label=${label}><table class="kern-table">
    <thead class="kern-table__header"><tr class="kern-table__row">
      ${th("trainings.column.when")}${th("trainings.column.format")}${th("trainings.column.place")}${th(showOwn ? "trainings.column.status" : "trainings.column.seats")}
    </tr></thead>
    <tbody class="kern-table__body">${views.map(
      (v) => html`<tr class="kern-table__row">
        <td class="kern-table__cell">${whenOf(ctx, v.session)}</td>
        <th class="kern-table__cell" scope="row"><a class="kern-link" href=${`/trainings/termine/${v.session.id}`}>${v.session.title}</a>
          ${v.session.tenantKind === "national" && html`<br /><span class="kern-body kern-body--small">${t("trainings.offeredBy", { tenant: v.session.tenantName })}</span>`}</th>
        <td class="kern-table__cell">${v.session.place || t("trainings.online")}</td>
        <td class="kern-table__cell">${showOwn ? html`<${OwnBadge} ctx=${ctx} view=${v} />` : seatsText(ctx, v.session, now)}</td>
      </tr>`,
    )}</tbody>
  </table><//>`;
}

function FormatFacts({ ctx, format }: { ctx: ViewContext; format: Format }) {
  const { t } = ctx;
  return html`<p class="kern-body kern-body--small">${[
    t(`trainings.audience.${format.audience}`),
    durationOf(ctx, format.minutes),
    t(`trainings.mode.${format.mode}`),
    format.tenantKind === "national" ? t("trainings.offeredBy", { tenant: format.tenantName }) : null,
  ]
    .filter(Boolean)
    .join(" · ")}</p>`;
}

export function TrainingsPage(p: {
  ctx: ViewContext;
  sessions: SessionView[];
  formats: Format[];
  userId: string;
  canKeep: boolean;
  now: Date;
  /** The needs assessment: whether the person sees it, and a running round they have not answered. */
  needs: { link: boolean; pending: { id: string; title: string } | null };
  /** Whether the person may ask for coaching, or coaches (sees the requests waiting). */
  coaching: { ask: boolean; coach: boolean; counsel: boolean };
}) {
  const { ctx, sessions, formats, userId, canKeep, now, needs, coaching } = p;
  const { t } = ctx;
  // What lies ahead first (soonest first), then what is over (latest first).
  const mine = [
    ...sessions.filter((v) => v.own !== null && v.session.endsAt > now),
    ...sessions.filter((v) => v.own !== null && v.session.endsAt <= now).reverse(),
  ];
  const running = sessions.filter((v) => v.session.trainerId === userId);
  const upcoming = sessions.filter((v) => v.session.startsAt > now && v.session.status === "scheduled" && v.own === null && v.session.trainerId !== userId);
  const active = formats.filter((f) => !f.archived);
  return html`<${Layout} ctx=${ctx} title=${t("trainings.title")}>
    <${PageHeading} title=${t("trainings.title")} lead=${t("trainings.lead")} />
    ${
      needs.pending &&
      html`<div class="kern-alert kern-alert--info" role="note"><div class="kern-alert__header"><span class="kern-icon kern-icon--info" aria-hidden="true"></span>
        <p class="kern-title">${t("trainings.needs.pending", { title: needs.pending.title })}</p></div>
        <div class="kern-alert__body"><p class="kern-body"><a class="kern-link" href=${`/trainings/bedarf/${needs.pending.id}`}>${t("trainings.needs.takePart")}</a></p></div></div>`
    }
    <ul class="kern-list komma-inline-list">
      ${needs.link && html`<li><a class="kern-link" href="/trainings/bedarf">${t("trainings.needs.title")}</a></li>`}
      ${coaching.ask && html`<li><a class="kern-link" href="/trainings/coaching">${t("trainings.coaching.askLink")}</a></li>`}
      ${coaching.coach && html`<li><a class="kern-link" href="/trainings/coaching">${t("trainings.coaching.coachLink")}</a></li>`}
      ${coaching.counsel && html`<li><a class="kern-link" href="/trainings/fallberatung">${t("trainings.counsel.link")}</a></li>`}
    </ul>
    ${
      mine.length > 0 &&
      html`<section aria-labelledby="trainings-mine">
        <h2 class="kern-heading-medium" id="trainings-mine">${t("trainings.mine")}</h2>
        <${SessionTable} ctx=${ctx} label=${t("trainings.mine")} views=${mine} showOwn=${true} now=${now} />
      </section>`
    }
    ${
      running.length > 0 &&
      html`<section aria-labelledby="trainings-running">
        <h2 class="kern-heading-medium" id="trainings-running">${t("trainings.running")}</h2>
        <${SessionTable} ctx=${ctx} label=${t("trainings.running")} views=${running} showOwn=${false} now=${now} />
      </section>`
    }
    <section aria-labelledby="trainings-upcoming">
      <h2 class="kern-heading-medium" id="trainings-upcoming">${t("trainings.upcoming")}</h2>
      ${
        upcoming.length > 0
          ? html`<${SessionTable} ctx=${ctx} label=${t("trainings.upcoming")} views=${upcoming} showOwn=${false} now=${now} />`
          : html`<p class="kern-body">${t("trainings.noUpcoming")}</p>`
      }
    </section>
    <section aria-labelledby="trainings-catalog">
      <h2 class="kern-heading-medium" id="trainings-catalog">${t("trainings.catalog")}</h2>
      ${
        canKeep &&
        html`<p class="kern-body">${t("trainings.format.scheduleHint")}</p>
        <p><a class="kern-btn kern-btn--secondary" href="/trainings/formate/neu"><span class="kern-label">${t("trainings.format.new")}</span></a></p>`
      }
      ${active.length === 0 && html`<p class="kern-body">${t("trainings.format.none")}</p>`}
      <ul class="kern-list komma-plain-list">
        ${active.map(
          (f) => html`<li class="komma-format">
            <h3 class="kern-heading-small"><a class="kern-link" href=${`/trainings/formate/${f.id}`}>${f.title}</a></h3>
            <${FormatFacts} ctx=${ctx} format=${f} />
            <p class="kern-body">${f.summary.split("\n")[0]}</p>
          </li>`,
        )}
      </ul>
      ${
        canKeep &&
        formats.some((f) => f.archived) &&
        html`<h3 class="kern-heading-small">${t("trainings.format.archivedList")}</h3>
        <ul class="kern-list">${formats.filter((f) => f.archived).map((f) => html`<li><a class="kern-link" href=${`/trainings/formate/${f.id}`}>${f.title}</a></li>`)}</ul>`
      }
    </section>
  <//>`;
}

export function SessionFields({
  ctx,
  values,
  errors,
  trainers,
}: {
  ctx: ViewContext;
  values: Values;
  errors: Record<string, string>;
  trainers: { id: string; name: string }[];
}) {
  const { t } = ctx;
  return html`
    <${TextField} name="date" type="date" label=${t("trainings.session.date")} value=${str(values.date)} error=${errors.date} />
    <div class="komma-filter-row">
      <${TextField} name="from" type="time" label=${t("trainings.session.from")} value=${str(values.from)} error=${errors.from} />
      <${TextField} name="to" type="time" label=${t("trainings.session.to")} value=${str(values.to)} error=${errors.to} />
    </div>
    <${TextField} name="place" label=${t("trainings.session.place")} hint=${t("trainings.session.placeHint")} value=${str(values.place)} error=${errors.place} />
    <${TextField} name="onlineLink" type="url" label=${t("trainings.session.link")} hint=${t("trainings.session.linkHint")} value=${str(values.onlineLink)} error=${errors.onlineLink} />
    <${TextField} name="seats" inputmode="numeric" width="4" label=${t("trainings.session.seats")} value=${str(values.seats)} error=${errors.seats} />
    <${SelectField} name="trainerId" label=${t("trainings.session.trainer")} hint=${t("trainings.session.trainerHint")} value=${str(values.trainerId)} error=${errors.trainerId}
      options=${[{ value: "", label: t("trainings.session.noTrainer") }, ...trainers.map((tr) => ({ value: tr.id, label: tr.name }))]} />`;
}

export function FormatPage(p: {
  ctx: ViewContext;
  format: Format;
  sessions: SessionView[];
  canWrite: boolean;
  trainers: { id: string; name: string }[];
  values: Values;
  errors: Record<string, string>;
  now: Date;
}) {
  const { ctx, format, sessions, canWrite, trainers, values, errors, now } = p;
  const { t } = ctx;
  return html`<${Layout} ctx=${ctx} title=${format.title}>
    <p><a class="kern-link" href="/trainings">${t("trainings.back")}</a></p>
    <${PageHeading} title=${format.title} />
    ${format.archived && html`<p><${Badge} kind="info" text=${t("trainings.format.archived")} /></p>`}
    <${FormatFacts} ctx=${ctx} format=${format} />
    ${format.summary.split(/\n{2,}/).map((para) => html`<p class="kern-body">${para}</p>`)}
    <dl class="kern-description-list">
      <div class="kern-description-list-item">
        <dt class="kern-description-list-item__key">${t("trainings.format.topics")}</dt>
        <dd class="kern-description-list-item__value">${format.topics.map((x) => t(`trainings.topic.${x}`)).join(", ")}</dd>
      </div>
      ${
        format.trainerName &&
        html`<div class="kern-description-list-item">
          <dt class="kern-description-list-item__key">${t("trainings.format.trainerName")}</dt>
          <dd class="kern-description-list-item__value">${format.trainerName}</dd>
        </div>`
      }
      ${
        format.dimensions.length > 0 &&
        html`<div class="kern-description-list-item">
          <dt class="kern-description-list-item__key">${t("trainings.format.dimensions")}</dt>
          <dd class="kern-description-list-item__value">${format.dimensions.map((d) => t(`trainings.dimension.${d}`)).join(", ")}</dd>
        </div>`
      }
    </dl>
    ${
      format.practiceIds.length > 0 &&
      html`<h2 class="kern-heading-small">${t("trainings.format.practices")}</h2>
      <ul class="kern-list">${format.practiceIds.map((id, i) => html`<li><a class="kern-link" href=${`/wissen/${id}`}>${t("trainings.format.practice", { n: i + 1 })}</a></li>`)}</ul>`
    }
    ${canWrite && html`<p><a class="kern-link" href=${`/trainings/formate/${format.id}/bearbeiten`}>${t("trainings.format.edit")}</a></p>`}
    <section aria-labelledby="format-sessions">
      <h2 class="kern-heading-medium" id="format-sessions">${t("trainings.format.sessions")}</h2>
      ${
        sessions.length > 0
          ? html`<${SessionTable} ctx=${ctx} label=${t("trainings.format.sessions")} views=${sessions} showOwn=${false} now=${now} />`
          : html`<p class="kern-body">${t("trainings.format.noSessions")}</p>`
      }
    </section>
    ${
      canWrite &&
      !format.archived &&
      html`<section aria-labelledby="format-schedule">
        <h2 class="kern-heading-medium" id="format-schedule">${t("trainings.session.new")}</h2>
        <form method="post" action=${`/trainings/formate/${format.id}/termine`} novalidate><${CsrfField} ctx=${ctx} />
          <${ErrorSummary} t=${t} errors=${errors} />
          <${SessionFields} ctx=${ctx} values=${values} errors=${errors} trainers=${trainers} />
          <${SubmitButton} label=${t("trainings.session.schedule")} />
        </form>
      </section>`
    }
  <//>`;
}

export function FormatFormPage(p: { ctx: ViewContext; action: string; values: Values; errors: Record<string, string>; editing: boolean }) {
  const { ctx, action, values, errors, editing } = p;
  const { t } = ctx;
  const title = editing ? t("trainings.format.edit") : t("trainings.format.new");
  return html`<${Layout} ctx=${ctx} title=${title}>
    <p><a class="kern-link" href="/trainings">${t("trainings.back")}</a></p>
    <${PageHeading} title=${title} />
    <form method="post" action=${action} novalidate><${CsrfField} ctx=${ctx} />
      <${ErrorSummary} t=${t} errors=${errors} />
      <${TextField} name="title" label=${t("trainings.format.fieldTitle")} value=${str(values.title)} error=${errors.title} />
      <${TextArea} name="summary" label=${t("trainings.format.summary")} hint=${t("trainings.format.summaryHint")} value=${str(values.summary)} error=${errors.summary} rows=${6} />
      <${CheckboxGroup} name="topics" legend=${t("trainings.format.topics")} hint=${t("trainings.format.topicsHint")} error=${errors.topics}
        values=${list(values.topics)} options=${TOPICS.map((x) => ({ value: x, label: t(`trainings.topic.${x}`) }))} />
      <${RadioGroup} name="audience" legend=${t("trainings.format.audience")} value=${str(values.audience)} error=${errors.audience}
        options=${AUDIENCES.map((x) => ({ value: x, label: t(`trainings.audience.${x}`) }))} />
      <${TextField} name="minutes" inputmode="numeric" width="4" label=${t("trainings.format.minutes")} hint=${t("trainings.format.minutesHint")} value=${str(values.minutes)} error=${errors.minutes} />
      <${RadioGroup} name="mode" legend=${t("trainings.format.mode")} value=${str(values.mode)} error=${errors.mode}
        options=${MODES.map((x) => ({ value: x, label: t(`trainings.mode.${x}`) }))} />
      <${TextField} name="trainerName" label=${t("trainings.format.trainerName")} hint=${t("trainings.format.trainerNameHint")} value=${str(values.trainerName)} error=${errors.trainerName} />
      <${CheckboxGroup} name="dimensions" legend=${t("trainings.format.dimensions")} hint=${t("trainings.format.dimensionsHint")} error=${errors.dimensions}
        values=${list(values.dimensions)} options=${FORMAT_DIMENSIONS.map((x) => ({ value: x, label: t(`trainings.dimension.${x}`) }))} />
      ${list(values.practiceIds).map((id) => html`<input type="hidden" name="practiceIds" value=${id} />`)}
      ${
        editing &&
        html`<${CheckboxGroup} name="archived" legend=${t("trainings.format.archive")} values=${list(values.archived)}
          options=${[{ value: "yes", label: t("trainings.format.archiveLabel"), hint: t("trainings.format.archiveHint") }]} />`
      }
      <div class="komma-actions">
        <${SubmitButton} label=${t("trainings.format.save")} />
        <a class="kern-link" href="/trainings">${t("trainings.cancel")}</a>
      </div>
    </form>
  <//>`;
}
