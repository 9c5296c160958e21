import { CsrfField, FileField, html, Layout, PageHeading, ScrollTable, SubmitButton, type ViewContext } from "../../platform/ui/html.ts";
import { CSV_HEADERS, type ImportProblem, MAX_IMPORT_ROWS } from "./csv.ts";

/* Importing partners from a spreadsheet: what the file must hold, and each wrong row by its line number. */

export function ImportPage({ ctx, problems = [], fileError }: { ctx: ViewContext; problems?: ImportProblem[]; fileError?: string }) {
  const { t } = ctx;
  const problemText = (p: ImportProblem) => {
    const where = p.line === 0 ? "" : p.column ? t("alliance.csv.lineColumn", { line: p.line, column: p.column }) : t("alliance.csv.line", { line: p.line });
    const message = t(p.message, p.params ?? {});
    return where ? `${where}: ${message}` : message;
  };
  return html`<${Layout} ctx=${ctx} title=${t("alliance.csv.title")}>
    <p><a class="kern-link" href="/allianz">${t("alliance.back")}</a></p>
    <${PageHeading} title=${t("alliance.csv.title")} lead=${t("alliance.csv.lead")} />
    ${
      (problems.length > 0 || fileError) &&
      html`<div class="kern-alert kern-alert--danger komma-error-summary" role="alert" tabindex="-1" autofocus aria-labelledby="import-problems-title">
        <div class="kern-alert__header">
          <span class="kern-icon kern-icon--danger" aria-hidden="true"></span>
          <h2 class="kern-title" id="import-problems-title">${t("alliance.csv.notImported")}</h2>
        </div>
        <div class="kern-alert__body">
          ${fileError ? html`<p class="kern-body"><a class="kern-link" href="#f-datei">${fileError}</a></p>` : html`<p class="kern-body">${t("alliance.csv.problemsIntro", { count: problems.length })}</p>`}
          <ul class="kern-list">${problems.map((p) => html`<li>${problemText(p)}</li>`)}</ul>
        </div>
      </div>`
    }
    <div class="kern-alert kern-alert--info">
      <div class="kern-alert__header"><span class="kern-icon kern-icon--info" aria-hidden="true"></span><h2 class="kern-title">${t("alliance.csv.allOrNothingTitle")}</h2></div>
      <div class="kern-alert__body"><p class="kern-body">${t("alliance.csv.allOrNothing")}</p></div>
    </div>
    <form method="post" action="/allianz/import" enctype="multipart/form-data" class="komma-form">
      <${CsrfField} ctx=${ctx} />
      <${FileField} name="datei" label=${t("alliance.csv.file")} hint=${t("alliance.csv.fileHint", { max: MAX_IMPORT_ROWS })} error=${fileError} />
      <${SubmitButton} label=${t("alliance.csv.upload")} />
    </form>
    <h2 class="kern-heading-medium">${t("alliance.csv.columnsTitle")}</h2>
    <p class="kern-body">${t("alliance.csv.columnsLead")} <a class="kern-link" href="/allianz/partner.csv?vorlage=1">${t("alliance.csv.template")}</a></p>
    <${ScrollTable} label=${t("alliance.csv.columnsTitle")}><table class="kern-table">
      <thead class="kern-table__header"><tr class="kern-table__row">
        <th class="kern-table__header" scope="col">${t("alliance.csv.column")}</th>
        <th class="kern-table__header" scope="col">${t("alliance.csv.content")}</th>
      </tr></thead>
      <tbody class="kern-table__body">
        ${CSV_HEADERS.map(
          (c) => html`<tr class="kern-table__row">
            <th class="kern-table__cell" scope="row">${c.header}</th>
            <td class="kern-table__cell">${t(`alliance.csv.columns.${c.key}`)}</td>
          </tr>`,
        )}
      </tbody>
    </table><//>
  <//>`;
}
