import { dateFormat } from "../../platform/i18n/formats.ts";
import { CsrfField, ErrorSummary, type FieldErrors, html, SubmitButton, TextArea, type ViewContext } from "../../platform/ui/html.ts";
import { describeAction } from "../admin/index.ts";
import type { NoteRow, TimelineEntry } from "./case-file.ts";

const when = (ctx: ViewContext, d: Date) => dateFormat(ctx.lang, { dateStyle: "medium", timeStyle: "short", timeZone: "Europe/Berlin" }).format(d);

/** The office's notes on the case, newest first, and the form to add one. */
export function NotesSection({
  ctx,
  number,
  notes,
  draft,
}: {
  ctx: ViewContext;
  number: string;
  notes: NoteRow[];
  draft?: { body: string; errors: FieldErrors };
}) {
  const { t } = ctx;
  return html`<section aria-labelledby="notizen">
    <h2 class="kern-heading-medium" id="notizen">${t("cases.notes.title")}</h2>
    ${notes.length === 0 && html`<p class="kern-body">${t("cases.notes.none")}</p>`}
    <ol class="komma-messages">
      ${notes.map(
        (n) => html`<li class="komma-message komma-message--office">
          <p class="kern-body kern-body--small"><strong>${n.authorName ?? "–"}</strong> · ${when(ctx, n.createdAt)}</p>
          <p class="kern-body komma-pre" dir="auto">${n.body}</p>
        </li>`,
      )}
    </ol>
    <form method="post" action=${`/faelle/${number}/notizen`} novalidate class="komma-form">
      <${CsrfField} ctx=${ctx} />
      <${ErrorSummary} t=${t} errors=${draft?.errors ?? {}} />
      <${TextArea} name="noteBody" label=${t("cases.notes.add")} hint=${t("cases.notes.hint")} value=${draft?.body} error=${draft?.errors.noteBody} rows=${3} />
      <${SubmitButton} label=${t("cases.notes.save")} variant="secondary" />
    </form>
  </section>`;
}

/** Runs of the same event by the same person (opening the case again and again) as one line with their count. */
function folded(entries: TimelineEntry[]): (TimelineEntry & { times: number; since: Date })[] {
  const out: (TimelineEntry & { times: number; since: Date })[] = [];
  for (const e of entries) {
    const last = out.at(-1);
    if (last && last.action === e.action && last.actorName === e.actorName) {
      last.times++;
      last.since = e.at;
    } else out.push({ ...e, times: 1, since: e.at });
  }
  return out;
}

/** Every event of the case from the audit log, folded: who did what, when. */
export function TimelineSection({ ctx, timeline }: { ctx: ViewContext; timeline: { entries: TimelineEntry[]; more: boolean } }) {
  const { t } = ctx;
  return html`<section aria-labelledby="verlauf">
    <h2 class="kern-heading-medium" id="verlauf">${t("cases.timeline.title")}</h2>
    <details class="komma-details">
      <summary class="kern-link">${t("cases.timeline.show", { count: timeline.entries.length })}</summary>
      <ol class="kern-list komma-timeline">
        ${folded(timeline.entries).map(
          (e) =>
            html`<li><span class="komma-nowrap">${when(ctx, e.at)}</span> · ${describeAction(t, e)} · ${e.actorName ?? t("cases.timeline.nobody")}${
              e.times > 1 ? ` (${t("cases.timeline.times", { count: e.times, since: when(ctx, e.since) })})` : ""
            }</li>`,
        )}
      </ol>
      ${timeline.more && html`<p class="kern-body">${t("cases.timeline.more")}</p>`}
    </details>
  </section>`;
}
