import { dateFormat, numberFormat } from "../../platform/i18n/formats.ts";
import { CsrfField, ErrorSummary, FileField, html, Layout, PageHeading, SubmitButton, TextField, type ViewContext } from "../../platform/ui/html.ts";
import type { BoardDocument } from "./board.ts";

/* The advisory board's workspace: the national figures and yearly reports (read-only), and the meeting documents. */

const day = (ctx: ViewContext, iso: string) =>
  dateFormat(ctx.lang === "en" ? "en-GB" : "de-DE", { dateStyle: "long", timeZone: "UTC" }).format(new Date(`${iso}T00:00:00Z`));
const size = (ctx: ViewContext, bytes: number) => {
  const locale = ctx.lang === "en" ? "en-GB" : "de-DE";
  return bytes < 1024 * 1024
    ? `${numberFormat(locale).format(Math.max(1, Math.round(bytes / 1024)))} KB`
    : `${numberFormat(locale, { maximumFractionDigits: 1, minimumFractionDigits: 1 }).format(bytes / 1024 / 1024)} MB`;
};

export function BoardPage(p: {
  ctx: ViewContext;
  docs: BoardDocument[];
  canManage: boolean;
  years: number[];
  /** No figures yet, and the first release is being made. */
  releasing: boolean;
  thisYear: number;
  values: Record<string, string>;
  errors: Record<string, string>;
}) {
  const { ctx, docs, canManage, years, releasing, thisYear, values, errors } = p;
  const { t } = ctx;
  const meetings = [...new Set(docs.map((d) => d.meetingOn))];
  return html`<${Layout} ctx=${ctx} title=${t("monitoring.board.title")}>
    <${PageHeading} title=${t("monitoring.board.title")} lead=${t("monitoring.board.lead")} />
    <section aria-labelledby="board-figures" class="komma-board">
      <h2 class="kern-heading-medium" id="board-figures">${t("monitoring.board.figures")}</h2>
      <p class="kern-body"><a class="kern-link" href="/lagebild">${t("monitoring.board.figuresLink")}</a></p>
      <h3 class="kern-heading-small">${t("monitoring.board.reports")}</h3>
      ${years.length === 0 ? html`<p class="kern-body">${t("monitoring.board.noReports")}${releasing ? ` ${t("monitoring.board.noReportsYet")}` : ""}</p>` : ""}
      ${
        years.length > 0 &&
        html`<ul class="kern-list">${years.map(
          (y) =>
            html`<li><a class="kern-link" href=${`/lagebild/jahresbericht.pdf?jahr=${y}&gebiet=DE`} download>${t(y === thisYear ? "monitoring.board.reportRunning" : "monitoring.board.report", { year: y })}</a></li>`,
        )}</ul>`
      }
    </section>
    <section aria-labelledby="board-documents" class="komma-board">
      <h2 class="kern-heading-medium" id="board-documents">${t("monitoring.board.documents")}</h2>
      ${docs.length === 0 && html`<p class="kern-body">${t("monitoring.board.none")}</p>`}
      ${meetings.map(
        (m) => html`<h3 class="kern-heading-small">${t("monitoring.board.meeting", { date: day(ctx, m) })}</h3>
          <ul class="kern-list">${docs
            .filter((d) => d.meetingOn === m)
            .map(
              (d) => html`<li>
                <a class="kern-link" href=${`/beirat/dokument/${d.id}`}><bdi>${d.title}</bdi></a>
                ${d.file && html`<span class="kern-body kern-body--small"> (<bdi>${d.file.name}</bdi>, ${size(ctx, d.file.size)})</span>`}
                ${canManage && html` <a class="kern-link" href=${`/beirat/dokument/${d.id}/entfernen`}>${t("monitoring.board.remove", { title: d.title })}</a>`}
              </li>`,
            )}</ul>`,
      )}
      ${
        canManage &&
        html`<h3 class="kern-heading-small" id="board-add">${t("monitoring.board.add")}</h3>
        <${ErrorSummary} t=${t} errors=${errors} />
        <form method="post" action="/beirat/dokumente" enctype="multipart/form-data" class="komma-form" novalidate>
          <${CsrfField} ctx=${ctx} />
          <${TextField} name="title" label=${t("monitoring.board.fieldTitle")} value=${values.title ?? ""} error=${errors.title} required=${true} />
          <${TextField} name="meetingOn" type="date" label=${t("monitoring.board.fieldMeeting")} value=${values.meetingOn ?? ""} error=${errors.meetingOn} required=${true} />
          <${FileField} name="datei" label=${t("monitoring.board.fieldFile")} hint=${t("monitoring.board.fileHint")} error=${errors.datei} />
          <${SubmitButton} label=${t("monitoring.board.save")} variant="secondary" />
        </form>`
      }
    </section>
  <//>`;
}

/** Asks before a paper is removed: the board can no longer read it afterwards. */
export function BoardRemovePage(p: { ctx: ViewContext; doc: BoardDocument }) {
  const { ctx, doc } = p;
  const { t } = ctx;
  return html`<${Layout} ctx=${ctx} title=${t("monitoring.board.confirmTitle")}>
    <${PageHeading} title=${t("monitoring.board.confirmTitle")} />
    <p class="kern-body">${t("monitoring.board.confirmText", { title: doc.title, date: day(ctx, doc.meetingOn) })}</p>
    <form method="post" action=${`/beirat/dokument/${doc.id}/entfernen`} class="komma-form">
      <${CsrfField} ctx=${ctx} />
      <${SubmitButton} label=${t("monitoring.board.confirmButton")} />
    </form>
    <p class="kern-body"><a class="kern-link" href="/beirat#board-documents">${t("monitoring.board.keep")}</a></p>
  </${Layout}>`;
}
