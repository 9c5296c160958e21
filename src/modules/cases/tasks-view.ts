import { dateFormat } from "../../platform/i18n/formats.ts";
import {
  CsrfField,
  ErrorSummary,
  type FieldErrors,
  html,
  RadioGroup,
  ScrollTable,
  SelectField,
  SubmitButton,
  TextArea,
  TextField,
  type ViewContext,
} from "../../platform/ui/html.ts";
import type { CaseView } from "./commands.ts";
import { MEASURE_GROUPS } from "./measures.ts";
import type { TaskRow } from "./tasks.ts";

/** What the task forms show again after an error: the add form, or the update of one task. */
export interface TaskDraft {
  add?: { values: Record<string, string>; errors: FieldErrors };
  update?: { taskId: string; values: Record<string, string>; errors: FieldErrors };
}

const dateText = (lang: string, iso: string) => dateFormat(lang, { dateStyle: "medium", timeZone: "UTC" }).format(new Date(`${iso}T00:00:00Z`));

/** The deadline as the office must see it: not running yet, days left, or passed. */
function Deadline({ ctx, task }: { ctx: ViewContext; task: TaskRow }) {
  const { t } = ctx;
  if (task.measure === "strafantrag" && task.fromOn === null) {
    return html`<span class="kern-badge kern-badge--info"><span class="kern-label kern-label--small">${t("cases.tasks.notRunning")}</span></span>`;
  }
  if (!task.dueOn) return html`<span>–</span>`;
  const date = dateText(ctx.lang, task.dueOn);
  if (!task.due) return html`<span>${date}</span>`;
  const { overdue, daysLeft } = task.due;
  const kind = overdue ? "danger" : daysLeft <= 14 ? "warning" : "info";
  const text = overdue
    ? t("cases.tasks.overdue", { count: -daysLeft })
    : daysLeft === 0
      ? t("cases.tasks.lastDay")
      : t("cases.tasks.daysLeft", { count: daysLeft });
  return html`<span class="komma-nowrap">${date}</span><br /><span class=${`kern-badge kern-badge--${kind}`}><span class="kern-label kern-label--small">${text}</span></span>`;
}

function UpdateForm({ ctx, kase, task, draft }: { ctx: ViewContext; kase: CaseView; task: TaskRow; draft: TaskDraft["update"] }) {
  const { t } = ctx;
  const mine = draft?.taskId === task.id ? draft : undefined;
  const values = mine?.values ?? { status: "done", outcome: "", fromOn: "" };
  // Every task has these fields: each form's own ids (and error keys), so labels and the error summary find them.
  const own = (name: string) => `${name}-${task.id}`;
  const errors = Object.fromEntries(Object.entries(mine?.errors ?? {}).map(([k, v]) => [own(k), v]));
  const legal = task.measure === "strafantrag" || task.measure === "register_block";
  return html`<details class="komma-details" open=${mine ? true : undefined}>
    <summary class="kern-link">${t("cases.tasks.update")}<span class="kern-sr-only">: ${t(`cases.measures.catalog.${task.measure}`)}</span></summary>
    <form method="post" action=${`/faelle/${kase.number}/massnahmen/${task.id}`} novalidate class="komma-form">
      <${CsrfField} ctx=${ctx} />
      <${ErrorSummary} t=${t} errors=${errors} />
      ${
        legal &&
        html`<${TextField} name="fromOn" id=${own("fromOn")} type="date" label=${t(`cases.tasks.fromOn.${task.measure}`)} hint=${t(`cases.tasks.fromOnHint.${task.measure}`)}
          value=${values.fromOn || task.fromOn || ""} error=${errors[own("fromOn")]} />`
      }
      <${RadioGroup} name="status" id=${own("status")} legend=${t("cases.tasks.status")} value=${values.status} error=${errors[own("status")]}
        options=${["open", "done", "cancelled"].map((s) => ({ value: s, label: t(`cases.tasks.statuses.${s}`) }))} />
      <${TextArea} name="outcome" id=${own("outcome")} label=${t("cases.tasks.outcome")} hint=${t("cases.tasks.outcomeHint")} value=${values.outcome}
        error=${errors[own("outcome")]} rows=${3} />
      <${SubmitButton} label=${t("cases.tasks.saveUpdate")} variant="secondary" />
    </form>
  </details>`;
}

function AddForm({ ctx, kase, draft }: { ctx: ViewContext; kase: CaseView; draft: TaskDraft["add"] }) {
  const { t } = ctx;
  const values = draft?.values ?? {};
  const errors = draft?.errors ?? {};
  const measures = Object.values(MEASURE_GROUPS)
    .flat()
    .map((m) => ({ value: m, label: t(`cases.measures.catalog.${m}`) }));
  return html`<form method="post" action=${`/faelle/${kase.number}/massnahmen`} novalidate class="komma-form" id="neue-massnahme">
    <${CsrfField} ctx=${ctx} />
    <${ErrorSummary} t=${t} errors=${errors} />
    <${SelectField} name="measure" label=${t("cases.tasks.measure")} value=${values.measure ?? ""} error=${errors.measure}
      options=${[{ value: "", label: t("cases.risk.chooseForm") }, ...measures]} />
    <${RadioGroup} name="entitled" legend=${t("cases.tasks.entitled")} hint=${t("cases.tasks.entitledHint")} value=${values.entitled ?? ""} error=${errors.entitled}
      options=${[
        { value: "", label: t("cases.tasks.entitledNone") },
        { value: "affected", label: t("cases.tasks.entitledOptions.affected") },
        { value: "superior", label: t("cases.tasks.entitledOptions.superior") },
      ]} />
    <${TextField} name="fromOn" type="date" label=${t("cases.tasks.fromOnAdd")} hint=${t("cases.tasks.fromOnAddHint")} value=${values.fromOn ?? ""} error=${errors.fromOn} />
    <${SelectField} name="ownerId" label=${t("cases.tasks.owner")} value=${values.ownerId ?? ""} error=${errors.ownerId}
      options=${[{ value: "", label: t("cases.tasks.ownerNone") }, ...kase.officers.map((o) => ({ value: o.id, label: o.name }))]} />
    <${TextField} name="dueOn" type="date" label=${t("cases.tasks.dueOn")} hint=${t("cases.tasks.dueOnHint")} value=${values.dueOn ?? ""} error=${errors.dueOn} />
    <${TextArea} name="note" label=${t("cases.tasks.note")} hint=${t("cases.tasks.noteHint")} value=${values.note ?? ""} error=${errors.note} rows=${3} />
    <${SubmitButton} label=${t("cases.tasks.save")} />
  </form>`;
}

/** The measures of a case as tasks, with their deadlines in view; the forms for who works on it. */
export function TasksSection({ ctx, kase, draft = {} }: { ctx: ViewContext; kase: CaseView; draft?: TaskDraft }) {
  const { t } = ctx;
  const title = (task: TaskRow) =>
    task.entitled
      ? `${t(`cases.measures.catalog.${task.measure}`)} – ${t(`cases.tasks.entitledOptions.${task.entitled}`)}`
      : t(`cases.measures.catalog.${task.measure}`);
  return html`<section aria-labelledby="massnahmen">
    <h2 class="kern-heading-medium" id="massnahmen">${t("cases.tasks.title")}</h2>
    ${
      kase.tasks.length === 0
        ? html`<p class="kern-body">${t("cases.tasks.none")}</p>`
        : html`<${ScrollTable} label=${t("cases.tasks.tableLabel")}><table class="kern-table">
          <caption class="kern-sr-only">${t("cases.tasks.title")}</caption>
          <thead class="kern-table__header"><tr class="kern-table__row">
            <th class="kern-table__header" scope="col">${t("cases.tasks.measure")}</th>
            <th class="kern-table__header" scope="col">${t("cases.tasks.deadline")}</th>
            <th class="kern-table__header" scope="col">${t("cases.tasks.owner")}</th>
            <th class="kern-table__header" scope="col">${t("cases.tasks.status")}</th>
          </tr></thead>
          <tbody class="kern-table__body">
          ${kase.tasks.map(
            (task) => html`<tr class="kern-table__row">
              <th class="kern-table__cell" scope="row">${title(task)}
                ${task.note && html`<br /><span class="kern-body kern-body--small">${t("cases.tasks.note")}: ${task.note}</span>`}
                ${task.outcome && html`<br /><span class="kern-body kern-body--small">${t("cases.tasks.outcome")}: ${task.outcome}</span>`}
                ${kase.policies.work && html`<${UpdateForm} ctx=${ctx} kase=${kase} task=${task} draft=${draft.update} />`}</th>
              <td class="kern-table__cell"><${Deadline} ctx=${ctx} task=${task} /></td>
              <td class="kern-table__cell">${task.ownerName ?? t("cases.tasks.ownerNone")}</td>
              <td class="kern-table__cell">${t(`cases.tasks.statuses.${task.status}`)}</td>
            </tr>`,
          )}
          </tbody></table><//>`
    }
    ${
      kase.policies.work &&
      (kase.tasks.length === 0
        ? html`<${AddForm} ctx=${ctx} kase=${kase} draft=${draft.add} />`
        : html`<details class="komma-details" open=${draft.add ? true : undefined}>
            <summary class="kern-link">${t("cases.tasks.add")}</summary>
            <${AddForm} ctx=${ctx} kase=${kase} draft=${draft.add} />
          </details>`)
    }
  </section>`;
}

/** The legal deadline that comes first, for the top of the case: the earliest open one, and whether one is not running yet. */
export function NextDeadline({ ctx, kase }: { ctx: ViewContext; kase: CaseView }) {
  const { t } = ctx;
  const legal = kase.tasks.filter((task) => task.status === "open" && (task.measure === "strafantrag" || task.measure === "register_block"));
  if (legal.length === 0) return null;
  const running = legal.filter((task) => task.due).sort((a, b) => String(a.dueOn).localeCompare(String(b.dueOn)));
  const waiting = legal.some((task) => task.measure === "strafantrag" && task.fromOn === null);
  const first = running[0];
  return html`<div class="kern-description-list-item"><dt class="kern-description-list-item__key">${t("cases.tasks.nextDeadline")}</dt>
    <dd class="kern-description-list-item__value">${first && html`<a class="kern-link" href="#massnahmen">${t(`cases.measures.catalog.${first.measure}`)}</a>: <${Deadline} ctx=${ctx} task=${first} />`}
      ${waiting && (first ? html`<br />${t("cases.tasks.alsoWaiting")}` : t("cases.tasks.waiting"))}</dd></div>`;
}
