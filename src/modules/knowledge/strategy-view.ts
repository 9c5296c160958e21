import { render as renderVnode } from "preact-render-to-string";
import { dateFormat } from "../../platform/i18n/formats.ts";
import type { Translate } from "../../platform/i18n/i18n.ts";
import {
  CsrfField,
  ErrorSummary,
  html,
  Layout,
  PageHeading,
  Paragraphs,
  RadioGroup,
  ScrollTable,
  SubmitButton,
  TextArea,
  TextField,
  type ViewContext,
} from "../../platform/ui/html.ts";
import type { Measure } from "./action-plan.ts";
import { STRATEGY_SECTIONS, type StrategySection, VISIBILITIES } from "./schema.ts";
import type { compareVersions, PublishedStrategy, StrategyVersion } from "./strategy.ts";
import { Change } from "./views.ts";

/* The strategy concept's pages: the own concept with its versions, the editor, one version, a comparison, others' published concepts. */

const dateOf = (lang: string, d: Date) => dateFormat(lang === "en" ? "en-GB" : "de-DE", { timeZone: "Europe/Berlin" }).format(d);

/** The concept's parts as headings and paragraphs (a part not written yet says so). */
export function StrategyDocument({ ctx, version, level = 2 }: { ctx: ViewContext; version: StrategyVersion; level?: 2 | 3 }) {
  const { t } = ctx;
  return html`${STRATEGY_SECTIONS.map(
    (s) => html`<section aria-labelledby=${`teil-${s}`}>
      ${level === 2 ? html`<h2 class="kern-heading-medium" id=${`teil-${s}`}>${t(`knowledge.strategy.section.${s}`)}</h2>` : html`<h3 class="kern-heading-small" id=${`teil-${s}`}>${t(`knowledge.strategy.section.${s}`)}</h3>`}
      ${version.sections[s] ? html`<${Paragraphs} text=${version.sections[s]} />` : html`<p class="kern-body komma-muted">${t("knowledge.strategy.empty")}</p>`}
    </section>`,
  )}`;
}

const published = (t: Translate, lang: string, v: StrategyVersion) =>
  v.publishedAt && v.visibility
    ? t("knowledge.strategy.publishedFor", { date: dateOf(lang, v.publishedAt), visibility: t(`knowledge.visibility.${v.visibility}`) })
    : "–";

export function StrategyPage(p: { ctx: ViewContext; versions: StrategyVersion[]; canWrite: boolean; errors: Record<string, string> }) {
  const { ctx, versions, canWrite, errors } = p;
  const { t, lang } = ctx;
  const latest = versions[0];
  const lastPublished = versions.find((v) => v.publishedAt);
  const th = (key: string) => html`<th class="kern-table__header" scope="col">${t(key)}</th>`;
  return html`<${Layout} ctx=${ctx} title=${t("knowledge.strategy.title")}>
    <p><a class="kern-link" href="/wissen">${t("knowledge.title")}</a> · <a class="kern-link" href="/wissen/strategien">${t("knowledge.strategy.others")}</a></p>
    <${PageHeading} title=${latest ? latest.title : t("knowledge.strategy.title")} lead=${t(canWrite ? "knowledge.strategy.lead" : "knowledge.strategy.leadReader")} />
    ${!latest && html`<p class="kern-body">${t(canWrite ? "knowledge.strategy.none" : "knowledge.strategy.noneReader")}</p>`}
    ${
      latest &&
      html`<p class="kern-body">${t("knowledge.strategy.state", { version: latest.version, date: dateOf(lang, latest.savedAt) })}
        ${" "}${lastPublished ? t("knowledge.strategy.lastPublished", { version: lastPublished.version, state: published(t, lang, lastPublished) }) : t("knowledge.strategy.notPublished")}</p>`
    }
    <div class="komma-actions">
      ${canWrite && html`<a class="kern-btn kern-btn--primary" href="/wissen/strategie/bearbeiten"><span class="kern-label">${t(latest ? "knowledge.strategy.edit" : "knowledge.strategy.start")}</span></a>`}
      <a class="kern-link" href="/wissen/strategie/massnahmen">${t("knowledge.plan.nav")}</a>
      ${canWrite && html`<a class="kern-link" href="/wissen/strategie/runden">${t("knowledge.round.title")}</a>`}
      ${latest && html`<a class="kern-link" href="/wissen/strategie/export.pdf" download>${t("knowledge.strategy.exportPdf")}</a>`}
      ${latest && html`<a class="kern-link" href="/wissen/strategie/export.html" download>${t("knowledge.strategy.exportHtml")}</a>`}
    </div>
    ${
      canWrite &&
      latest &&
      !latest.publishedAt &&
      html`<section aria-labelledby="publish-title">
        <h2 class="kern-heading-medium" id="publish-title">${t("knowledge.strategy.publishTitle", { version: latest.version })}</h2>
        <form method="post" action="/wissen/strategie/veroeffentlichen" novalidate><${CsrfField} ctx=${ctx} />
          <input type="hidden" name="version" value=${String(latest.version)} />
          <${ErrorSummary} t=${t} errors=${errors} />
          <${RadioGroup} name="visibility" legend=${t("knowledge.field.visibility")} error=${errors.visibility}
            options=${VISIBILITIES.map((v) => ({ value: v, label: t(`knowledge.visibility.${v}`), hint: t(`knowledge.strategy.visibilityHint.${v}`) }))} />
          <${SubmitButton} label=${t("knowledge.strategy.publish")} variant="secondary" />
        </form>
      </section>`
    }
    ${latest && html`<${StrategyDocument} ctx=${ctx} version=${latest} />`}
    ${
      versions.length > 0 &&
      html`<section aria-labelledby="versions-title">
        <h2 class="kern-heading-medium" id="versions-title">${t("knowledge.strategy.versions")}</h2>
        <${ScrollTable} label=${t("knowledge.strategy.versions")}><table class="kern-table">
          <thead class="kern-table__header"><tr class="kern-table__row">
            ${th("knowledge.strategy.version")}${th("knowledge.strategy.savedOn")}${th("knowledge.strategy.note")}${th("knowledge.strategy.published")}
          </tr></thead>
          <tbody class="kern-table__body">${versions.map(
            (v) => html`<tr class="kern-table__row">
              <th class="kern-table__cell" scope="row"><a class="kern-link" href=${`/wissen/strategie/version/${v.version}`}>${t("knowledge.strategy.versionN", { version: v.version })}</a></th>
              <td class="kern-table__cell">${dateOf(lang, v.savedAt)}</td>
              <td class="kern-table__cell">${v.note || "–"}</td>
              <td class="kern-table__cell">${published(t, lang, v)}</td>
            </tr>`,
          )}</tbody>
        </table><//>
        ${versions.length > 1 && html`<${CompareForm} ctx=${ctx} versions=${versions} from=${versions[1].version} to=${versions[0].version} />`}
      </section>`
    }
  <//>`;
}

function CompareForm({ ctx, versions, from, to }: { ctx: ViewContext; versions: StrategyVersion[]; from: number; to: number }) {
  const { t } = ctx;
  const select = (name: string, label: string, value: number) => html`<div class="kern-form-input">
    <label class="kern-label" for=${`f-${name}`}>${label}</label>
    <div class="kern-form-input__select-wrapper"><select class="kern-form-input__select" id=${`f-${name}`} name=${name}>
      ${versions.map((v) => html`<option value=${String(v.version)} selected=${v.version === value}>${t("knowledge.strategy.versionN", { version: v.version })}</option>`)}
    </select></div>
  </div>`;
  return html`<form method="get" action="/wissen/strategie/vergleich" class="komma-inline-fields">
    <h3 class="kern-heading-small">${t("knowledge.strategy.compare")}</h3>
    ${select("von", t("knowledge.strategy.compareFrom"), from)}
    ${select("zu", t("knowledge.strategy.compareTo"), to)}
    <${SubmitButton} label=${t("knowledge.strategy.compareSubmit")} variant="secondary" />
  </form>`;
}

export function StrategyFormPage(p: { ctx: ViewContext; values: Record<string, string>; errors: Record<string, string>; base: number; changed: boolean }) {
  const { ctx, values, errors, base, changed } = p;
  const { t } = ctx;
  return html`<${Layout} ctx=${ctx} title=${t("knowledge.strategy.formTitle")}>
    <p><a class="kern-link" href="/wissen/strategie">${t("knowledge.strategy.back")}</a></p>
    <${PageHeading} title=${t("knowledge.strategy.formTitle")} lead=${t("knowledge.strategy.formLead")} />
    ${changed && html`<div class="kern-alert kern-alert--warning" role="alert"><div class="kern-alert__header"><span class="kern-icon kern-icon--warning" aria-hidden="true"></span><h2 class="kern-title">${t("knowledge.strategy.changed")}</h2></div></div>`}
    <form method="post" action="/wissen/strategie/bearbeiten" novalidate><${CsrfField} ctx=${ctx} />
      <input type="hidden" name="base" value=${String(base)} />
      <${ErrorSummary} t=${t} errors=${errors} />
      <${TextField} name="title" label=${t("knowledge.strategy.fieldTitle")} value=${values.title} error=${errors.title} />
      ${STRATEGY_SECTIONS.map(
        (s: StrategySection) =>
          html`<${TextArea} name=${s} label=${t(`knowledge.strategy.section.${s}`)} hint=${t(`knowledge.strategy.hint.${s}`)} value=${values[s]} error=${errors[s]} rows=${8} />`,
      )}
      <${TextField} name="note" label=${t("knowledge.strategy.fieldNote")} hint=${t("knowledge.strategy.fieldNoteHint")} value=${values.note} error=${errors.note} />
      <div class="komma-actions">
        <${SubmitButton} label=${t("knowledge.strategy.save")} />
        <a class="kern-link" href="/wissen/strategie">${t("knowledge.assessment.cancel")}</a>
      </div>
    </form>
  <//>`;
}

export function StrategyVersionPage({ ctx, version }: { ctx: ViewContext; version: StrategyVersion }) {
  const { t, lang } = ctx;
  const title = t("knowledge.strategy.versionTitle", { version: version.version, date: dateOf(lang, version.savedAt) });
  return html`<${Layout} ctx=${ctx} title=${title}>
    <p><a class="kern-link" href="/wissen/strategie">${t("knowledge.strategy.back")}</a> · <a class="kern-link" href=${`/wissen/strategie/export.html?version=${version.version}`} download>${t("knowledge.strategy.exportHtml")}</a></p>
    <${PageHeading} title=${title} lead=${version.title} />
    ${version.note && html`<p class="kern-body">${t("knowledge.strategy.noteSays", { note: version.note })}</p>`}
    <${StrategyDocument} ctx=${ctx} version=${version} />
  <//>`;
}

export function StrategyComparePage(p: {
  ctx: ViewContext;
  from: StrategyVersion;
  to: StrategyVersion;
  changes: ReturnType<typeof compareVersions>;
  versions: StrategyVersion[];
}) {
  const { ctx, from, to, changes, versions } = p;
  const { t } = ctx;
  const title = t("knowledge.strategy.compareTitle", { from: from.version, to: to.version });
  const unchanged = !changes.title && STRATEGY_SECTIONS.every((s) => !changes.sections[s]);
  return html`<${Layout} ctx=${ctx} title=${title}>
    <p><a class="kern-link" href="/wissen/strategie">${t("knowledge.strategy.back")}</a></p>
    <${PageHeading} title=${title} lead=${t("knowledge.strategy.compareLead")} />
    <${CompareForm} ctx=${ctx} versions=${versions} from=${from.version} to=${to.version} />
    ${unchanged && html`<p class="kern-body">${t("knowledge.strategy.noChanges")}</p>`}
    ${changes.title && html`<h2 class="kern-heading-medium">${t("knowledge.strategy.fieldTitle")}</h2><${Change} ctx=${ctx} parts=${changes.title} />`}
    ${STRATEGY_SECTIONS.map((s) => {
      const c = changes.sections[s];
      return c ? html`<h2 class="kern-heading-medium">${t(`knowledge.strategy.section.${s}`)}</h2><${Change} ctx=${ctx} parts=${c} />` : null;
    })}
  <//>`;
}

export function PublishedStrategiesPage({ ctx, list, signedIn }: { ctx: ViewContext; list: PublishedStrategy[]; signedIn: boolean }) {
  const { t, lang } = ctx;
  const title = t(signedIn ? "knowledge.strategy.othersTitle" : "knowledge.strategy.publicTitle");
  return html`<${Layout} ctx=${ctx} title=${title}>
    <p><a class="kern-link" href="/wissen">${t("knowledge.title")}</a></p>
    <${PageHeading} title=${title} lead=${t(signedIn ? "knowledge.strategy.othersLead" : "knowledge.strategy.publicLead")} />
    ${list.length === 0 && html`<p class="kern-body">${t(signedIn ? "knowledge.strategy.othersNone" : "knowledge.strategy.publicNone")}</p>`}
    <ul class="kern-list komma-results">
      ${list.map(
        (s) => html`<li>
          <h2 class="kern-heading-small"><a class="kern-link" href=${`/wissen/strategien/${s.slug}`}>${s.tenantName}: ${s.version.title}</a></h2>
          <p class="kern-body kern-body--small">${t("knowledge.strategy.versionTitle", { version: s.version.version, date: dateOf(lang, s.version.publishedAt ?? s.version.savedAt) })}</p>
        </li>`,
      )}
    </ul>
  <//>`;
}

export function PublishedStrategyPage({ ctx, strategy }: { ctx: ViewContext; strategy: PublishedStrategy }) {
  const { t, lang } = ctx;
  return html`<${Layout} ctx=${ctx} title=${strategy.version.title}>
    <p><a class="kern-link" href="/wissen/strategien">${t("knowledge.strategy.othersTitle")}</a></p>
    <${PageHeading} title=${strategy.version.title} lead=${t("knowledge.strategy.of", { tenant: strategy.tenantName })} />
    <p class="kern-body">${published(t, lang, strategy.version)}</p>
    <${StrategyDocument} ctx=${ctx} version=${strategy.version} />
  <//>`;
}

/**
 * The concept as a document of its own to download: one HTML file with its own small style, in the
 * reader's language, headings in order, no script and nothing loaded from elsewhere.
 */
export function strategyExport(p: { t: Translate; lang: string; tenantName: string; version: StrategyVersion; plan: Measure[] }): string {
  const { t, lang, tenantName, version, plan } = p;
  const day = (iso: string) => dateFormat(lang, { dateStyle: "long", timeZone: "UTC" }).format(new Date(`${iso}T00:00:00Z`));
  const style = `body{font-family:system-ui,sans-serif;line-height:1.5;max-width:46rem;margin:2rem auto;padding:0 1rem;color:#171a22}h1{font-size:1.8rem}h2{font-size:1.3rem;margin-top:2rem}h3{font-size:1.1rem}.meta{color:#444}`;
  return `<!doctype html>${renderVnode(html`<html lang=${lang}>
    <head><meta charset="utf-8" /><meta name="viewport" content="width=device-width, initial-scale=1" /><title>${version.title} – ${tenantName}</title><style>${style}</style></head>
    <body>
      <header><p class="meta">${t("knowledge.strategy.of", { tenant: tenantName })}</p><h1>${version.title}</h1>
        <p class="meta">${t("knowledge.strategy.versionTitle", { version: version.version, date: dateOf(lang, version.savedAt) })} · ${
          version.publishedAt && version.visibility ? published(t, lang, version) : t("knowledge.strategy.draftMark")
        }</p></header>
      <main>${STRATEGY_SECTIONS.map(
        (s) =>
          html`<section><h2>${t(`knowledge.strategy.section.${s}`)}</h2>${
            version.sections[s]
              ? version.sections[s]
                  .split(/\n[ \t]*\n/)
                  .map((para) => para.trim())
                  .filter(Boolean)
                  .map((para) => html`<p>${para}</p>`)
              : html`<p>${t("knowledge.strategy.empty")}</p>`
          }</section>`,
      )}
      ${
        plan.length > 0 &&
        html`<section><h2>${t("knowledge.plan.title")}</h2>${[...new Set(plan.map((m) => m.goal))].map(
          (goal) => html`<h3>${t("knowledge.plan.goal", { goal })}</h3>
            <ul>${plan
              .filter((m) => m.goal === goal)
              .map(
                (m) =>
                  html`<li>${m.title} – ${[m.owner, day(m.dueOn), t(`knowledge.plan.status.${m.status}`)].join(" · ")}${m.progress ? ` – ${m.progress.replace(/\s+/g, " ").trim()}` : ""}</li>`,
              )}</ul>`,
        )}</section>`
      }</main>
    </body>
  </html>`)}`;
}
