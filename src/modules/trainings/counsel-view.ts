import { dateFormat } from "../../platform/i18n/formats.ts";
import {
  CheckboxGroup,
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
import { METHODS, PHASE_MINUTES, type RoomView } from "./counsel.ts";
import { advanceBlocker, castingGaps } from "./counsel-session.ts";
import { type Finding, markFindings } from "./deidentify.ts";
import { COUNSEL_PHASES, COUNSEL_ROLES, type CounselPhase, type CounselRole } from "./schema.ts";

/* Collegial case counselling: the person's rooms (and opening one), joining through the link, and the room itself. */

type Values = Record<string, string | string[]>;
const str = (v: string | string[] | undefined) => (Array.isArray(v) ? (v[0] ?? "") : (v ?? ""));
const whenOf = (ctx: ViewContext, d: Date) =>
  dateFormat(ctx.lang === "en" ? "en-GB" : "de-DE", {
    timeZone: "Europe/Berlin",
    weekday: "short",
    day: "2-digit",
    month: "2-digit",
    year: "numeric",
    hour: "2-digit",
    minute: "2-digit",
  }).format(d);

export function CounselListPage(p: {
  ctx: ViewContext;
  rooms: { id: string; title: string; startsAt: Date; phase: CounselPhase; role: CounselRole | null }[];
  canOpen: boolean;
  values: Record<string, string>;
  errors: Record<string, string>;
}) {
  const { ctx, rooms, canOpen, values, errors } = p;
  const { t } = ctx;
  const th = (key: string) => html`<th class="kern-table__header" scope="col">${t(key)}</th>`;
  return html`<${Layout} ctx=${ctx} title=${t("trainings.counsel.title")}>
    <p><a class="kern-link" href="/trainings">${t("trainings.back")}</a></p>
    <${PageHeading} title=${t("trainings.counsel.title")} lead=${t("trainings.counsel.lead")} />
    ${rooms.length === 0 && html`<p class="kern-body">${t("trainings.counsel.none")}</p>`}
    ${
      rooms.length > 0 &&
      html`<${ScrollTable} label=${t("trainings.counsel.mine")}><table class="kern-table">
        <caption class="kern-title">${t("trainings.counsel.mine")}</caption>
        <thead class="kern-table__header"><tr class="kern-table__row">${th("trainings.column.when")}${th("trainings.counsel.room")}${th("trainings.counsel.phase")}${th("trainings.counsel.yourRole")}</tr></thead>
        <tbody class="kern-table__body">${rooms.map(
          (r) => html`<tr class="kern-table__row">
            <td class="kern-table__cell">${whenOf(ctx, r.startsAt)}</td>
            <th class="kern-table__cell" scope="row"><a class="kern-link" href=${`/trainings/fallberatung/${r.id}`}>${r.title}</a></th>
            <td class="kern-table__cell">${t(`trainings.counsel.phases.${r.phase}`)}</td>
            <td class="kern-table__cell">${r.role ? t(`trainings.counsel.roles.${r.role}`) : t("trainings.counsel.noRole")}</td>
          </tr>`,
        )}</tbody>
      </table><//>`
    }
    ${
      canOpen &&
      html`<section aria-labelledby="counsel-new">
        <h2 class="kern-heading-medium" id="counsel-new">${t("trainings.counsel.new")}</h2>
        <p class="kern-body">${t("trainings.counsel.newHelp")}</p>
        <form method="post" action="/trainings/fallberatung" novalidate><${CsrfField} ctx=${ctx} />
          <${ErrorSummary} t=${t} errors=${errors} />
          <${TextField} name="title" label=${t("trainings.counsel.fieldTitle")} hint=${t("trainings.counsel.fieldTitleHint")} value=${values.title} error=${errors.title} />
          <div class="komma-filter-row">
            <${TextField} name="date" type="date" label=${t("trainings.session.date")} value=${values.date} error=${errors.date} />
            <${TextField} name="time" type="time" label=${t("trainings.session.from")} value=${values.time} error=${errors.time} />
          </div>
          <${SubmitButton} label=${t("trainings.counsel.open")} />
        </form>
      </section>`
    }
  <//>`;
}

export function CounselJoinPage(p: {
  ctx: ViewContext;
  room: { title: string; startsAt: Date; phase: CounselPhase; members: number } | null;
  canJoin: boolean;
  action: string;
}) {
  const { ctx, room, canJoin, action } = p;
  const { t } = ctx;
  return html`<${Layout} ctx=${ctx} title=${t("trainings.counsel.join")}>
    <${PageHeading} title=${room ? room.title : t("trainings.counsel.join")} lead=${room ? whenOf(ctx, room.startsAt) : undefined} />
    ${!room && html`<p class="kern-body">${t("trainings.counsel.linkInvalid")}</p>`}
    ${room && html`<p class="kern-body">${t("trainings.counsel.joinLead", { count: room.members })}</p>`}
    ${room && !canJoin && html`<p class="kern-body">${t(room.phase === "casting" ? "trainings.counsel.cannotJoin" : "trainings.counsel.underWay")}</p>`}
    ${
      room &&
      canJoin &&
      html`<form method="post" action=${action}><${CsrfField} ctx=${ctx} />
        <${SubmitButton} label=${t("trainings.counsel.joinButton")} />
      </form>`
    }
  <//>`;
}

/** The text with the de-identification step's findings marked, and the list of them. */
function Findings({ ctx, text, findings }: { ctx: ViewContext; text: string; findings: Finding[] }) {
  const { t } = ctx;
  if (findings.length === 0) return html`<p class="kern-body">${t("trainings.counsel.noFindings")}</p>`;
  return html`<div class="kern-alert kern-alert--warning" role="status">
      <div class="kern-alert__header"><span class="kern-icon kern-icon--warning" aria-hidden="true"></span>
        <p class="kern-title">${t("trainings.counsel.findings", { count: findings.length })}</p></div>
      <div class="kern-alert__body">
        <ul class="kern-list">${findings.map((f) => html`<li><strong>${t(`trainings.counsel.kind.${f.kind}`)}:</strong> <bdi>${f.text}</bdi></li>`)}</ul>
      </div>
    </div>
    <p class="kern-body komma-marked">${markFindings(text, findings).map((part) =>
      part.kind
        ? html`<mark title=${t(`trainings.counsel.kind.${part.kind}`)}>${part.text}<span class="kern-sr-only"> (${t(`trainings.counsel.kind.${part.kind}`)})</span></mark>`
        : part.text,
    )}</p>`;
}

export function CounselRoomPage(p: {
  ctx: ViewContext;
  room: RoomView;
  can: Record<"cast" | "advance" | "tell" | "ask" | "method" | "note", boolean>;
  now: Date;
  check: { text: string; findings: Finding[]; mark: string; error: string | null } | null;
  errors: Record<string, string>;
  values: Values;
}) {
  const { ctx, room, can, now, check, errors, values } = p;
  const { t } = ctx;
  const phase = room.phase;
  const index = COUNSEL_PHASES.indexOf(phase);
  const minutes = phase === "ended" ? 0 : PHASE_MINUTES[phase];
  // Roles are cast once the meeting begins: before then its clock has not started.
  const started = phase === "casting" ? Math.max(room.phaseStartedAt.getTime(), room.startsAt.getTime()) : room.phaseStartedAt.getTime();
  const endsAt = new Date(started + minutes * 60_000);
  const left = Math.ceil((endsAt.getTime() - now.getTime()) / 60_000);
  const next = COUNSEL_PHASES[index + 1];
  const blocker = advanceBlocker(room);
  const gaps = castingGaps(room.members);
  const base = `/trainings/fallberatung/${room.id}`;
  return html`<${Layout} ctx=${ctx} title=${room.title}>
    <p><a class="kern-link" href="/trainings/fallberatung">${t("trainings.counsel.back")}</a></p>
    <${PageHeading} title=${room.title} lead=${whenOf(ctx, room.startsAt)} />
    <div data-counsel-live=${`${base}/live`} data-phase=${phase}>
      <ol class="komma-steps" aria-label=${t("trainings.counsel.phase")}>
        ${COUNSEL_PHASES.filter((x) => x !== "ended").map(
          (x, i) =>
            html`<li class=${i < index ? "komma-steps__done" : i === index ? "komma-steps__current" : ""} aria-current=${i === index ? "step" : undefined}>${t(`trainings.counsel.phases.${x}`)}</li>`,
        )}
      </ol>
      <section class="kern-card komma-phase" aria-labelledby="counsel-phase">
        <div class="kern-card__container"><div class="kern-card__body">
          <h2 class="kern-heading-medium" id="counsel-phase">${t(`trainings.counsel.phases.${phase}`)}</h2>
          ${
            phase === "casting" &&
            now < room.startsAt &&
            html`<p class="kern-body">${t("trainings.counsel.beginsAt", { when: whenOf(ctx, room.startsAt), count: minutes })}</p>`
          }
          ${
            phase !== "ended" &&
            !(phase === "casting" && now < room.startsAt) &&
            html`<p class="kern-body" data-ends-at=${endsAt.toISOString()} data-left-text=${t("trainings.counsel.left", { count: 0 })} data-left-one=${t("trainings.counsel.left", { count: 1 })} data-over-text=${t("trainings.counsel.over")}>
              ${t("trainings.counsel.minutes", { count: minutes })} · <span data-left>${left > 0 ? t("trainings.counsel.left", { count: left }) : t("trainings.counsel.over")}</span></p>`
          }
          <p class="kern-body">${t(`trainings.counsel.guide.${phase}`)}</p>
          ${room.ref.role && phase !== "ended" && html`<p class="kern-body"><strong>${t(`trainings.counsel.roles.${room.ref.role}`)}:</strong> ${t(`trainings.counsel.roleGuide.${room.ref.role}`)}</p>`}
          <p class="kern-body kern-body--small">${t("trainings.counsel.reload")}</p>
        </div></div>
      </section>
    </div>

    ${
      can.advance &&
      next &&
      html`<form method="post" action=${`${base}/weiter`} class="komma-actions"><${CsrfField} ctx=${ctx} />
        <input type="hidden" name="from" value=${phase} />
        ${
          blocker
            ? html`<p class="kern-body">${t(blocker)}</p>`
            : html`<${SubmitButton} label=${next === "ended" ? t("trainings.counsel.finish") : t("trainings.counsel.next", { phase: t(`trainings.counsel.phases.${next}`) })} />`
        }
      </form>`
    }

    <section aria-labelledby="counsel-members">
      <h2 class="kern-heading-medium" id="counsel-members">${t("trainings.counsel.members", { count: room.members.length })}</h2>
      ${
        can.cast
          ? html`<form method="post" action=${`${base}/rollen`} novalidate><${CsrfField} ctx=${ctx} />
              <p class="kern-body">${t("trainings.counsel.castHelp")}</p>
              ${gaps.length > 0 && html`<p class="kern-body">${t("trainings.counsel.gaps", { gaps: gaps.map((g) => t(`trainings.counsel.gap.${g}`)).join(", ") })}</p>`}
              ${room.members.map(
                (m) => html`<${SelectField} name=${`role_${m.userId}`} label=${`${m.name} (${m.tenantName})`} value=${m.role ?? ""}
                  options=${[{ value: "", label: t("trainings.counsel.noRole") }, ...COUNSEL_ROLES.map((r) => ({ value: r, label: t(`trainings.counsel.roles.${r}`) }))]} />`,
              )}
              <${SubmitButton} variant="secondary" label=${t("trainings.counsel.saveRoles")} />
            </form>
            ${
              room.ref.host &&
              html`<form method="post" action=${`${base}/link`}><${CsrfField} ctx=${ctx} />
                <p class="kern-body kern-body--small">${t("trainings.counsel.linkLost")}</p>
                <${SubmitButton} variant="tertiary" label=${t("trainings.counsel.renewLink")} />
              </form>`
            }`
          : html`<ul class="kern-list">${room.members.map((m) => html`<li>${m.name} (${m.tenantName})${m.role ? ` – ${t(`trainings.counsel.roles.${m.role}`)}` : ""}</li>`)}</ul>`
      }
    </section>

    ${
      (room.caseText || can.tell) &&
      html`<section aria-labelledby="counsel-case">
        <h2 class="kern-heading-medium" id="counsel-case">${t("trainings.counsel.case")}</h2>
        ${room.caseText && html`<${Paragraphs} text=${room.caseText} />`}
        ${
          can.tell &&
          html`<form method="post" action=${`${base}/fall`} novalidate><${CsrfField} ctx=${ctx} />
            <${ErrorSummary} t=${t} errors=${errors} />
            <p class="kern-body">${t("trainings.counsel.tellHelp")}</p>
            ${check && html`<${Findings} ctx=${ctx} text=${check.text} findings=${check.findings} />`}
            <${TextArea} name="text" label=${t("trainings.counsel.caseField")} hint=${t("trainings.counsel.caseHint")} value=${check?.text ?? room.caseText ?? ""} error=${errors.text} rows=${10} />
            ${
              check &&
              html`<p class="kern-body kern-body--small">${t("trainings.counsel.checkHint")}</p>
              <input type="hidden" name="mark" value=${check.mark} />
              <${CheckboxGroup} name="confirm" legend=${t("trainings.counsel.confirmLegend")} error=${errors.confirm} values=${[]}
                options=${[{ value: "yes", label: t("trainings.counsel.confirm") }]} />`
            }
            <${SubmitButton} label=${check ? t("trainings.counsel.enter") : t("trainings.counsel.checkButton")} />
          </form>`
        }
      </section>`
    }

    ${
      (room.keyQuestion || can.ask) &&
      html`<section aria-labelledby="counsel-question">
        <h2 class="kern-heading-medium" id="counsel-question">${t("trainings.counsel.keyQuestion")}</h2>
        ${room.keyQuestion && html`<p class="kern-body kern-body--large">${room.keyQuestion}</p>`}
        ${
          can.ask &&
          html`<form method="post" action=${`${base}/frage`} novalidate><${CsrfField} ctx=${ctx} />
            <${ErrorSummary} t=${t} errors=${errors} />
            <${TextField} name="question" label=${t("trainings.counsel.questionField")} hint=${t("trainings.counsel.questionHint")} value=${str(values.question) || (room.keyQuestion ?? "")} error=${errors.question} />
            <${SubmitButton} label=${t("trainings.counsel.saveQuestion")} />
          </form>`
        }
      </section>`
    }

    ${
      (room.method || can.method) &&
      html`<section aria-labelledby="counsel-method">
        <h2 class="kern-heading-medium" id="counsel-method">${t("trainings.counsel.method")}</h2>
        ${room.method && html`<p class="kern-body"><strong>${t(`trainings.counsel.methods.${room.method}.name`)}</strong> – ${t(`trainings.counsel.methods.${room.method}.how`)}</p>`}
        ${
          can.method &&
          html`<form method="post" action=${`${base}/methode`} novalidate><${CsrfField} ctx=${ctx} />
            <${SelectField} name="method" label=${t("trainings.counsel.methodField")} value=${room.method ?? ""} error=${errors.method}
              options=${[{ value: "", label: t("trainings.coaching.choose") }, ...METHODS.map((m) => ({ value: m, label: t(`trainings.counsel.methods.${m}.name`) }))]} />
            <${SubmitButton} label=${t("trainings.counsel.saveMethod")} />
          </form>`
        }
      </section>`
    }

    ${
      (room.notes.length > 0 || can.note) &&
      html`<section aria-labelledby="counsel-notes">
        <h2 class="kern-heading-medium" id="counsel-notes">${t("trainings.counsel.notes")}</h2>
        <ol class="kern-list komma-plain-list">${room.notes.map(
          (n) =>
            html`<li><p class="kern-body kern-body--small">${t(`trainings.counsel.phases.${n.phase}`)} · ${n.authorName}</p><${Paragraphs} text=${n.body} /></li>`,
        )}</ol>
        ${
          can.note &&
          html`<form method="post" action=${`${base}/notiz`} novalidate><${CsrfField} ctx=${ctx} />
            <${TextArea} name="note" label=${t("trainings.counsel.noteField")} hint=${t("trainings.counsel.noteHint")} value=${str(values.note)} error=${errors.note} rows=${4} />
            <${SubmitButton} variant="secondary" label=${t("trainings.counsel.saveNote")} />
          </form>`
        }
      </section>`
    }
  <//>`;
}
