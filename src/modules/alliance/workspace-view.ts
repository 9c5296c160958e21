import { dateFormat } from "../../platform/i18n/formats.ts";
import {
  CsrfField,
  ErrorSummary,
  type FieldErrors,
  FileField,
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
import type { Person } from "./circles.ts";
import type { Values } from "./forms.ts";
import { ATTENDANCE, CIRCLES, type Circle } from "./schema.ts";
import type { Meeting, MeetingSummary, Workspace } from "./workspace.ts";
import type { CircleDocument } from "./workspace-documents.ts";

/* The alliance's workspace: the circles a person belongs to, their meetings, and one meeting's record. */

const CIRCLE_PATH: Record<Circle, string> = { alliance: "allianz", strategy: "strategiegruppe" };
export const circleFromPath = (segment: string): Circle | null =>
  (Object.entries(CIRCLE_PATH).find(([, path]) => path === segment)?.[0] as Circle | undefined) ?? null;

const one = (v: string | string[] | undefined) => (Array.isArray(v) ? (v[0] ?? "") : (v ?? ""));
const personLabel = (p: Person) => (p.organisation ? `${p.name} (${p.organisation})` : p.name);

function when(ctx: ViewContext, m: { startsAt: Date; endsAt: Date }): string {
  const day = dateFormat(ctx.lang, { dateStyle: "full", timeZone: "Europe/Berlin" }).format(m.startsAt);
  const time = dateFormat(ctx.lang, { timeStyle: "short", timeZone: "Europe/Berlin" });
  return `${day}, ${time.format(m.startsAt)}–${time.format(m.endsAt)}`;
}

function MeetingList({ ctx, meetings, now }: { ctx: ViewContext; meetings: MeetingSummary[]; now: Date }) {
  const { t } = ctx;
  if (meetings.length === 0) return html`<p class="kern-body">${t("alliance.workspace.noMeetings")}</p>`;
  const upcoming = meetings.filter((m) => m.endsAt >= now).reverse();
  const past = meetings.filter((m) => m.endsAt < now);
  const list = (items: MeetingSummary[]) =>
    html`<ul class="kern-list">${items.map(
      (m) =>
        html`<li><a class="kern-link" href=${`/allianz/sitzung/${m.id}`}>${m.title}</a>${m.cancelled && html` (${t("alliance.meeting.cancelled")})`} – ${when(ctx, m)}${m.place && html`, ${m.place}`}</li>`,
    )}</ul>`;
  return html`${upcoming.length > 0 && html`<h3 class="kern-heading-small">${t("alliance.workspace.upcoming")}</h3>${list(upcoming)}`}
    ${past.length > 0 && html`<h3 class="kern-heading-small">${t("alliance.workspace.past")}</h3>${list(past)}`}`;
}

export function WorkspacePage({
  ctx,
  ws,
  now,
  values = {},
  errors = {},
  formCircle,
  docCircle,
}: {
  ctx: ViewContext;
  ws: Workspace;
  now: Date;
  values?: Values;
  errors?: FieldErrors;
  /** The circle whose meeting form was sent (its errors and values). */
  formCircle?: Circle;
  /** The circle whose document form was sent (its errors and values). */
  docCircle?: Circle;
}) {
  const { t } = ctx;
  return html`<${Layout} ctx=${ctx} title=${t("alliance.workspace.title")}>
    <${PageHeading} title=${t("alliance.workspace.title")} lead=${t("alliance.workspace.lead")} />
    <${ErrorSummary} t=${t} errors=${errors} />
    ${
      ws.ownPartner &&
      html`<p class="kern-body">${t("alliance.workspace.yourOrganisation")} <a class="kern-link" href=${`/allianz/partner/${ws.ownPartner.id}`}>${ws.ownPartner.name}</a></p>`
    }
    ${ws.circles.length === 0 && html`<p class="kern-body">${t("alliance.workspace.noCircle")}</p>`}
    ${ws.circles.map(
      (c) => html`<section aria-labelledby=${`circle-${c.circle}`} class="komma-circle">
        <h2 class="kern-heading-medium" id=${`circle-${c.circle}`}>${t(`alliance.workspace.circle.${c.circle}`)}</h2>
        <p class="kern-body">${t(`alliance.workspace.circleHint.${c.circle}`)}</p>
        <details class="kern-body"><summary>${t("alliance.workspace.members", { count: c.members.length })}</summary>
          <ul class="kern-list">${c.members.map((m) => html`<li>${personLabel(m)}</li>`)}</ul>
        </details>
        <${MeetingList} ctx=${ctx} meetings=${c.meetings} now=${now} />
        <${DocumentList} ctx=${ctx} docs=${c.documents} />
      </section>`,
    )}
    ${
      ws.circles.length > 0 &&
      html`<section aria-labelledby="add-meeting">
        <h2 class="kern-heading-medium" id="add-meeting">${t("alliance.workspace.addMeeting")}</h2>
        <${MeetingForm} ctx=${ctx} circles=${ws.circles.map((c) => c.circle)} values=${formCircle ? values : {}} errors=${formCircle ? errors : {}} />
      </section>
      <section aria-labelledby="add-document">
        <h2 class="kern-heading-medium" id="add-document">${t("alliance.documents.add")}</h2>
        <${DocumentForm} ctx=${ctx} circles=${ws.circles.map((c) => c.circle)} values=${docCircle ? values : {}} errors=${docCircle ? errors : {}} />
      </section>`
    }
    ${ws.management && html`<${Membership} ctx=${ctx} ws=${ws} />`}
  <//>`;
}

/** Which circle a form is for: a choice where the person is in both, otherwise stated. */
function CircleChoice({ ctx, name, circles, value, error }: { ctx: ViewContext; name: string; circles: Circle[]; value: string; error?: string }) {
  const { t } = ctx;
  if (circles.length === 1) {
    return html`<input type="hidden" name=${name} value=${CIRCLE_PATH[circles[0]]} /><p class="kern-body">${t("alliance.workspace.forCircle", { circle: t(`alliance.workspace.circle.${circles[0]}`) })}</p>`;
  }
  return html`<${SelectField} name=${name} label=${t("alliance.workspace.circleLabel")} value=${value} error=${error}
    options=${circles.map((c) => ({ value: CIRCLE_PATH[c], label: t(`alliance.workspace.circle.${c}`) }))} />`;
}

function MeetingFields({ ctx, values, errors }: { ctx: ViewContext; values: Values; errors: FieldErrors }) {
  const { t } = ctx;
  return html`
    <${TextField} name="title" label=${t("alliance.meeting.title")} value=${one(values.title)} error=${errors.title} required=${true} />
    <${TextField} name="date" type="date" label=${t("alliance.meeting.date")} hint=${t("alliance.meeting.dateHint")} value=${one(values.date)} error=${errors.date} required=${true} />
    <${TextField} name="from" type="time" label=${t("alliance.meeting.from")} value=${one(values.from)} error=${errors.from} required=${true} />
    <${TextField} name="to" type="time" label=${t("alliance.meeting.to")} value=${one(values.to)} error=${errors.to} required=${true} />
    <${TextField} name="place" label=${t("alliance.meeting.place")} hint=${t("alliance.meeting.placeHint")} value=${one(values.place)} error=${errors.place} />
    <${TextField} name="link" label=${t("alliance.meeting.link")} value=${one(values.link)} error=${errors.link} dir="ltr" spellcheck=${false} />
    <${TextArea} name="agenda" label=${t("alliance.meeting.agenda")} value=${one(values.agenda)} error=${errors.agenda} rows=${4} />`;
}

/** A stored meeting as its form shows it: the day and times on Berlin's clock. */
export function meetingFormValues(m: Meeting): Values {
  const day = dateFormat("en-CA", { timeZone: "Europe/Berlin" });
  const time = dateFormat("en-GB", { timeZone: "Europe/Berlin", hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
  return {
    title: m.title,
    date: day.format(m.startsAt),
    from: time.format(m.startsAt),
    to: time.format(m.endsAt),
    place: m.place,
    link: m.link ?? "",
    agenda: m.agenda,
  };
}

function MeetingForm({ ctx, circles, values, errors }: { ctx: ViewContext; circles: Circle[]; values: Values; errors: FieldErrors }) {
  const { t } = ctx;
  return html`<form method="post" action="/allianz/arbeitsraum/sitzungen" class="komma-form" novalidate>
    <${CsrfField} ctx=${ctx} />
    <${CircleChoice} ctx=${ctx} name="kreis" circles=${circles} value=${one(values.kreis)} error=${errors.kreis} />
    <${MeetingFields} ctx=${ctx} values=${values} errors=${errors} />
    <${SubmitButton} label=${t("alliance.meeting.create")} />
  </form>`;
}

/** A circle's shared documents. */
function DocumentList({ ctx, docs }: { ctx: ViewContext; docs: CircleDocument[] }) {
  const { t } = ctx;
  const day = dateFormat(ctx.lang, { dateStyle: "medium", timeZone: "Europe/Berlin" });
  return html`<h3 class="kern-heading-small">${t("alliance.documents.title")}</h3>
    ${docs.length === 0 && html`<p class="kern-body">${t("alliance.documents.none")}</p>`}
    <ul class="kern-list">${docs.map(
      (d) => html`<li>
        <a class="kern-link" href=${`/allianz/dokument/${d.id}`}>${d.title}</a>
        ${d.file && html` (<bdi>${d.file.name}</bdi>, ${Math.max(1, Math.round(d.file.size / 1024))} KB)`} – ${d.addedBy}, ${day.format(d.addedAt)}
        ${
          d.removable &&
          html`<form method="post" action=${`/allianz/dokument/${d.id}/entfernen`} class="komma-inline-form"><${CsrfField} ctx=${ctx} />
            <button type="submit" class="kern-btn kern-btn--tertiary kern-btn--small"><span class="kern-label">${t("alliance.documents.remove", { title: d.title })}</span></button></form>`
        }
      </li>`,
    )}</ul>`;
}

function DocumentForm({ ctx, circles, values, errors }: { ctx: ViewContext; circles: Circle[]; values: Values; errors: FieldErrors }) {
  const { t } = ctx;
  return html`<form method="post" action="/allianz/arbeitsraum/dokumente" enctype="multipart/form-data" class="komma-form" novalidate>
    <${CsrfField} ctx=${ctx} />
    <${CircleChoice} ctx=${ctx} name="docKreis" circles=${circles} value=${one(values.docKreis)} error=${errors.docKreis} />
    <${TextField} name="docTitle" label=${t("alliance.documents.fieldTitle")} value=${one(values.docTitle)} error=${errors.docTitle} required=${true} />
    <${FileField} name="datei" label=${t("alliance.documents.file")} hint=${t("alliance.documents.fileHint")} error=${errors.datei} />
    <${SubmitButton} label=${t("alliance.documents.save")} variant="secondary" />
  </form>`;
}

/** Who belongs to which circle: for municipal admins. */
function Membership({ ctx, ws }: { ctx: ViewContext; ws: Workspace }) {
  const { t } = ctx;
  return html`<section aria-labelledby="membership">
    <h2 class="kern-heading-medium" id="membership">${t("alliance.workspace.membership")}</h2>
    <p class="kern-body">${t("alliance.workspace.membershipHint")}</p>
    ${(ws.management ?? []).map((m) => {
      return html`<h3 class="kern-heading-small">${t(`alliance.workspace.circle.${m.circle}`)}</h3>
        ${m.members.length === 0 ? html`<p class="kern-body">${t("alliance.workspace.noMembers")}</p>` : ""}
        <ul class="kern-list">${m.members.map(
          (p) => html`<li>${personLabel(p)}
            <form method="post" action=${`/allianz/arbeitsraum/${CIRCLE_PATH[m.circle]}/mitglieder/${p.id}/entfernen`} class="komma-inline-form">
              <${CsrfField} ctx=${ctx} />
              <button type="submit" class="kern-btn kern-btn--tertiary kern-btn--small"><span class="kern-label">${t("alliance.workspace.removeMember", { name: p.name })}</span></button>
            </form></li>`,
        )}</ul>
`;
    })}
    <form method="post" action="/allianz/arbeitsraum/mitglieder" class="komma-form">
      <${CsrfField} ctx=${ctx} />
      <${SelectField} name="memberKreis" label=${t("alliance.workspace.circleLabel")}
        options=${CIRCLES.map((c) => ({ value: CIRCLE_PATH[c], label: t(`alliance.workspace.circle.${c}`) }))} />
      <${SelectField} name="userId" label=${t("alliance.workspace.person")}
        options=${[{ value: "", label: t("alliance.field.kindChoose") }, ...ws.candidates.map((p) => ({ value: p.id, label: personLabel(p) }))]} />
      <${SubmitButton} label=${t("alliance.workspace.addMember")} variant="secondary" />
    </form>
  </section>`;
}

export function MeetingPage({
  ctx,
  meeting,
  values = {},
  errors = {},
  conflict = false,
  edit = null,
}: {
  ctx: ViewContext;
  meeting: Meeting;
  values?: Values;
  errors?: FieldErrors;
  /** Someone else saved the minutes since this person opened the page. */
  conflict?: boolean;
  /** The change form as sent, with its errors. */
  edit?: { values: Values; errors: FieldErrors } | null;
}) {
  const { t } = ctx;
  const base = `/allianz/sitzung/${meeting.id}`;
  const row = (key: string, value: unknown) =>
    html`<div class="kern-description-list-item"><dt class="kern-description-list-item__key">${t(key)}</dt><dd class="kern-description-list-item__value">${value}</dd></div>`;
  const minutes = values.minutes !== undefined ? one(values.minutes) : meeting.minutes;
  return html`<${Layout} ctx=${ctx} title=${meeting.title}>
    <p><a class="kern-link" href="/allianz/arbeitsraum">${t("alliance.workspace.back")}</a></p>
    <${PageHeading} title=${meeting.title} lead=${t(`alliance.workspace.circle.${meeting.circle}`)} />
    <${ErrorSummary} t=${t} errors=${errors} />
    <dl class="kern-description-list">
      ${row("alliance.meeting.when", when(ctx, meeting))}
      ${meeting.place && row("alliance.meeting.place", meeting.place)}
      ${meeting.link && row("alliance.meeting.link", html`<a class="kern-link" href=${meeting.link} dir="ltr">${meeting.link}</a>`)}
    </dl>
    ${
      meeting.cancelled &&
      html`<div class="kern-alert kern-alert--warning" role="status"><div class="kern-alert__header"><span class="kern-icon kern-icon--warning" aria-hidden="true"></span><p class="kern-title">${t("alliance.meeting.cancelledNotice")}</p></div></div>`
    }
    <p><a class="kern-link" href=${`${base}/kalender.ics`} download=${`sitzung-${meeting.startsAt.toISOString().slice(0, 10)}.ics`}>${t("alliance.meeting.ics")}</a></p>
    <h2 class="kern-heading-medium">${t("alliance.meeting.agenda")}</h2>
    ${meeting.agenda ? html`<p class="kern-body komma-pre">${meeting.agenda}</p>` : html`<p class="kern-body">–</p>`}

    <h2 class="kern-heading-medium" id="protokoll">${t("alliance.meeting.record")}</h2>
    ${
      conflict &&
      html`<div class="kern-alert kern-alert--warning" role="alert">
        <div class="kern-alert__header"><span class="kern-icon kern-icon--warning" aria-hidden="true"></span><h3 class="kern-title">${t("alliance.meeting.conflictTitle")}</h3></div>
        <div class="kern-alert__body"><p class="kern-body">${t("alliance.meeting.conflict")}</p><p class="kern-body komma-pre">${meeting.minutes || "–"}</p></div>
      </div>`
    }
    <form method="post" action=${`${base}/protokoll`} class="komma-form" novalidate>
      <${CsrfField} ctx=${ctx} />
      <input type="hidden" name="stand" value=${meeting.updatedAt.toISOString()} />
      <${ScrollTable} label=${t("alliance.meeting.attendance")}><table class="kern-table">
        <caption class="kern-title">${t("alliance.meeting.attendance")}</caption>
        <thead class="kern-table__header"><tr class="kern-table__row">
          <th class="kern-table__header" scope="col">${t("alliance.meeting.person")}</th>
          ${ATTENDANCE.map((a) => html`<th class="kern-table__header" scope="col">${t(`alliance.meeting.attendanceStatus.${a}`)}</th>`)}
        </tr></thead>
        <tbody class="kern-table__body">${meeting.members.map((p) => {
          const current = one(values[`attendance_${p.id}`]) || meeting.attendance.get(p.id) || "";
          return html`<tr class="kern-table__row">
            <th class="kern-table__cell" scope="row" id=${`person-${p.id}`}>${personLabel(p)}</th>
            ${ATTENDANCE.map(
              (a) => html`<td class="kern-table__cell"><input class="kern-form-check__radio" type="radio" name=${`attendance_${p.id}`} value=${a}
                checked=${current === a} aria-labelledby=${`person-${p.id} status-${p.id}-${a}`} />
                <span class="kern-sr-only" id=${`status-${p.id}-${a}`}>${t(`alliance.meeting.attendanceStatus.${a}`)}</span></td>`,
            )}
          </tr>`;
        })}</tbody>
      </table><//>
      <${TextArea} name="minutes" label=${t("alliance.meeting.minutes")} value=${minutes} error=${errors.minutes} rows=${8} />
      <${SubmitButton} label=${t("alliance.meeting.saveRecord")} />
    </form>

    <h2 class="kern-heading-medium" id="beschluesse">${t("alliance.meeting.decisions")}</h2>
    ${meeting.decisions.length === 0 && html`<p class="kern-body">${t("alliance.meeting.noDecisions")}</p>`}
    <ul class="kern-list komma-decisions">${meeting.decisions.map(
      (d) => html`<li>
        <p class="kern-body">${d.done ? html`<span class="kern-badge kern-badge--success"><span class="kern-label kern-label--small">${t("alliance.meeting.done")}</span></span> ` : ""}${d.text}</p>
        <p class="kern-body kern-body--small">${t("alliance.meeting.owner")}: ${d.owner ? personLabel(d.owner) : "–"} · ${t("alliance.meeting.due")}: ${d.due ? dateFormat(ctx.lang, { dateStyle: "medium", timeZone: "UTC" }).format(new Date(`${d.due}T00:00:00Z`)) : "–"}</p>
        <form method="post" action=${`${base}/beschluesse/${d.id}/${d.done ? "offen" : "erledigt"}`} class="komma-inline-form"><${CsrfField} ctx=${ctx} />
          <button type="submit" class="kern-btn kern-btn--tertiary kern-btn--small"><span class="kern-label">${t(d.done ? "alliance.meeting.reopen" : "alliance.meeting.markDone")}</span></button></form>
      </li>`,
    )}</ul>
    <h3 class="kern-heading-small">${t("alliance.meeting.addDecision")}</h3>
    <form method="post" action=${`${base}/beschluesse`} class="komma-form" novalidate>
      <${CsrfField} ctx=${ctx} />
      <${TextArea} name="text" label=${t("alliance.meeting.decision")} value=${one(values.text)} error=${errors.text} rows=${2} />
      <${SelectField} name="ownerId" label=${t("alliance.meeting.owner")} value=${one(values.ownerId)} error=${errors.ownerId}
        options=${[{ value: "", label: "–" }, ...meeting.members.map((p) => ({ value: p.id, label: personLabel(p) }))]} />
      <${TextField} name="due" type="date" label=${t("alliance.meeting.due")} value=${one(values.due)} error=${errors.due} />
      <${SubmitButton} label=${t("alliance.meeting.saveDecision")} variant="secondary" />
    </form>
    ${
      !meeting.cancelled &&
      html`<h2 class="kern-heading-medium" id="bearbeiten">${t("alliance.meeting.edit")}</h2>
      <details class="kern-body" open=${edit !== null}>
        <summary>${t("alliance.meeting.editSummary")}</summary>
        <form method="post" action=${`${base}/bearbeiten`} class="komma-form" novalidate>
          <${CsrfField} ctx=${ctx} />
          <${MeetingFields} ctx=${ctx} values=${edit?.values ?? meetingFormValues(meeting)} errors=${edit?.errors ?? {}} />
          <${SubmitButton} label=${t("alliance.meeting.saveChanges")} variant="secondary" />
        </form>
      </details>
      <form method="post" action=${`${base}/absagen`} class="komma-form">
        <${CsrfField} ctx=${ctx} />
        <p class="kern-body">${t("alliance.meeting.cancelHint")}</p>
        <${SubmitButton} label=${t("alliance.meeting.cancel")} variant="secondary" />
      </form>`
    }
  <//>`;
}
