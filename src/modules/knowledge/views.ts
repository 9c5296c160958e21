import { dateFormat } from "../../platform/i18n/formats.ts";
import {
  CheckboxGroup,
  CsrfField,
  ErrorSummary,
  html,
  Layout,
  PageHeading,
  Paragraphs,
  RadioGroup,
  ScrollTable,
  SelectField,
  SubmitButton,
  TextArea,
  TextField,
  type ViewContext,
} from "../../platform/ui/html.ts";
import type { Values } from "./forms.ts";
import type { Practice, PracticePage } from "./library.ts";
import { DIMENSIONS, PRACTICE_KINDS, PRACTICE_MODULES, VISIBILITIES } from "./schema.ts";
import type { LibraryQuery, LibraryResult } from "./search.ts";
import type { OriginUpdate, TextChange } from "./versions.ts";

/* The library's pages: search, a practice, the own workspace's practices, the form, the review queue. */

function Badge({ kind, text }: { kind: "info" | "warning" | "success"; text: string }) {
  return html`<span class=${`kern-badge kern-badge--${kind}`}><span class="kern-label kern-label--small">${text}</span></span>`;
}
const STATUS_BADGE = { draft: "info", in_review: "warning", published: "success" } as const;

const dateOf = (ctx: ViewContext, d: Date) => dateFormat(ctx.lang === "en" ? "en-GB" : "de-DE", { timeZone: "Europe/Berlin" }).format(d);

/** Links to the library's other pages for who may use them. */
function LibraryLinks(p: { ctx: ViewContext; own: boolean; review: boolean; assessment: boolean; survey: boolean; strategy: boolean; poll: boolean }) {
  const { ctx, own, review, assessment, survey, strategy, poll } = p;
  const { t } = ctx;
  return html`<ul class="kern-list komma-inline-list">
    ${own && html`<li><a class="kern-link" href="/wissen/eigene">${t("knowledge.own.nav")}</a></li>`}
    ${review && html`<li><a class="kern-link" href="/wissen/pruefung">${t("knowledge.review.title")}</a></li>`}
    ${review && html`<li><a class="kern-link" href="/wissen/weitergabe">${t("knowledge.transfer.title")}</a></li>`}
    ${assessment && html`<li><a class="kern-link" href="/wissen/selbstcheck">${t("knowledge.assessment.title")}</a></li>`}
    ${survey && html`<li><a class="kern-link" href="/wissen/befragungen">${t("knowledge.survey.title")}</a></li>`}
    ${poll && html`<li><a class="kern-link" href="/wissen/abstimmungen">${t("knowledge.poll.title")}</a></li>`}
    ${strategy && html`<li><a class="kern-link" href="/wissen/strategie">${t("knowledge.strategy.title")}</a></li>`}
    <li><a class="kern-link" href="/wissen/strategien">${t("knowledge.strategy.others")}</a></li>
  </ul>`;
}

export function LibraryPage(p: {
  ctx: ViewContext;
  query: LibraryQuery;
  result: LibraryResult;
  signedIn: boolean;
  own: boolean;
  review: boolean;
  assessment: boolean;
  survey: boolean;
  strategy: boolean;
  poll: boolean;
}) {
  const { ctx, query, result } = p;
  const { t } = ctx;
  const similar = result.hits.length > 0 && result.hits.every((h) => h.similar);
  const tagHref = (tag: string | null) => {
    const params = new URLSearchParams();
    if (query.q) params.set("suche", query.q);
    if (query.kind) params.set("art", query.kind);
    if (query.dimension) params.set("dimension", query.dimension);
    if (tag) params.set("schlagwort", tag);
    const s = params.toString();
    return s ? `/wissen?${s}` : "/wissen";
  };
  return html`<${Layout} ctx=${ctx} title=${t("knowledge.title")}>
    <${PageHeading} title=${t("knowledge.title")} lead=${p.signedIn ? t("knowledge.lead") : t("knowledge.leadPublic")} />
    <${LibraryLinks} ctx=${ctx} own=${p.own} review=${p.review} assessment=${p.assessment} survey=${p.survey} strategy=${p.strategy} poll=${p.poll} />
    <form method="get" action="/wissen" role="search" class="komma-filters">
      <${TextField} name="suche" label=${t("knowledge.search.label")} hint=${t("knowledge.search.hint")} value=${query.q} type="search" />
      <div class="komma-filter-row">
        <${SelectField} name="art" label=${t("knowledge.search.kind")} value=${query.kind ?? ""}
          options=${[{ value: "", label: t("knowledge.search.any") }, ...PRACTICE_KINDS.map((k) => ({ value: k, label: t(`knowledge.kind.${k}`) }))]} />
        <${SelectField} name="dimension" label=${t("knowledge.search.dimension")} value=${query.dimension ?? ""}
          options=${[{ value: "", label: t("knowledge.search.any") }, ...DIMENSIONS.map((d) => ({ value: d, label: t(`knowledge.dimension.${d}`) }))]} />
      </div>
      ${query.tag && html`<input type="hidden" name="schlagwort" value=${query.tag} />`}
      <${SubmitButton} label=${t("knowledge.search.submit")} />
    </form>
    ${query.tag && html`<p class="kern-body">${t("knowledge.search.tagFilter", { tag: query.tag })} · <a class="kern-link" href=${tagHref(null)}>${t("knowledge.search.clearTag")}</a></p>`}
    <h2 class="kern-heading-medium" id="results" aria-live="polite">${
      query.q || query.kind || query.dimension || query.tag ? t("knowledge.search.results", { count: result.hits.length }) : t("knowledge.search.latest")
    }</h2>
    ${result.hits.length === 0 && html`<p class="kern-body">${t("knowledge.search.none")}${!p.signedIn && ` ${t("knowledge.search.signInForMore")}`}</p>`}
    ${similar && html`<p class="kern-body">${t("knowledge.search.similar")}</p>`}
    <ol class="kern-list komma-results" aria-labelledby="results">
      ${result.hits.map(
        (h) => html`<li class="komma-result">
          <h3 class="kern-heading-small"><a class="kern-link" href=${`/wissen/${h.id}`}>${h.titleParts.map((part, i) => (i % 2 === 1 ? html`<mark>${part}</mark>` : part))}</a></h3>
          <p class="kern-body--small">${t(`knowledge.kind.${h.kind}`)} · ${t("knowledge.from", { tenant: h.tenantName })}</p>
          <p class="kern-body">${h.snippet.map((part, i) => (i % 2 === 1 ? html`<mark>${part}</mark>` : part))}</p>
          ${h.tags.length > 0 && html`<p class="kern-body--small">${t("knowledge.page.tags")}: ${h.tags.join(", ")}</p>`}
        </li>`,
      )}
    </ol>
    ${
      result.tags.length > 0 &&
      html`<nav aria-labelledby="facets"><h2 class="kern-heading-small" id="facets">${t("knowledge.search.tags")}</h2>
        <ul class="kern-list komma-inline-list">${result.tags.map(
          (f) => html`<li><a class="kern-link" href=${tagHref(f.tag)} aria-current=${query.tag === f.tag ? "true" : undefined}>${f.tag} (${f.n})</a></li>`,
        )}</ul></nav>`
    }
  <//>`;
}

/** A practice's page, with what the viewer may do beside it and a form's errors when one came back. */
export interface PracticeViewModel extends PracticePage {
  canWithdraw: boolean;
  /** Who adopted it: for its own municipality and the national level. */
  showAdoptions: boolean;
  feedbackErrors?: Record<string, string>;
  feedbackValues?: Values;
}

export function PracticeView({ ctx, page, reviewErrors }: { ctx: ViewContext; page: PracticeViewModel; reviewErrors?: Record<string, string> }) {
  const { t } = ctx;
  const { practice: p, policies } = page;
  const id = p.id;
  return html`<${Layout} ctx=${ctx} title=${p.title}>
    <p><a class="kern-link" href="/wissen">${t("knowledge.title")}</a></p>
    <${PageHeading} title=${p.title} lead=${p.summary} />
    <p class="kern-body">
      <${Badge} kind=${STATUS_BADGE[p.status]} text=${t(`knowledge.status.${p.status}`)} />
      ${" "}${t(`knowledge.kind.${p.kind}`)} · ${t("knowledge.from", { tenant: p.tenantName })} · ${t(`knowledge.visibility.${p.visibility}`)} ·
      ${" "}${t("knowledge.page.version", { version: p.publishedVersion ?? p.version })}
    </p>
    ${
      p.originId &&
      html`<p class="kern-body">${
        p.originTitle
          ? html`<a class="kern-link" href=${`/wissen/${p.originId}`}>${t("knowledge.page.origin", { title: p.originTitle, tenant: p.originTenantName, version: p.originVersion })}</a>`
          : t("knowledge.page.originGone")
      }</p>`
    }
    ${
      p.reviewNote &&
      (policies.edit || page.canWithdraw) &&
      html`<div class="kern-alert kern-alert--warning" role="status"><div class="kern-alert__header"><span class="kern-icon kern-icon--warning" aria-hidden="true"></span><h2 class="kern-title">${t(p.status === "draft" ? "knowledge.page.returned" : "knowledge.page.reviewNote")}</h2></div>
        <div class="kern-alert__body"><p class="kern-body">${p.reviewNote}</p></div></div>`
    }
    ${page.originUpdate && html`<${OriginChanges} ctx=${ctx} update=${page.originUpdate} />`}
    ${page.copyId && html`<p class="kern-body"><a class="kern-link" href=${`/wissen/${page.copyId}`}>${t("knowledge.page.yourCopy")}</a></p>`}
    <${Paragraphs} text=${p.body} />
    <dl class="kern-description-list">
      ${p.tags.length > 0 && html`<div class="kern-description-list-item"><dt class="kern-description-list-item__key">${t("knowledge.page.tags")}</dt><dd class="kern-description-list-item__value">${p.tags.join(", ")}</dd></div>`}
      ${
        p.dimensions.length > 0 &&
        html`<div class="kern-description-list-item"><dt class="kern-description-list-item__key">${t("knowledge.page.dimensions")}</dt><dd class="kern-description-list-item__value">${p.dimensions.map((d) => t(`knowledge.dimension.${d}`)).join(", ")}</dd></div>`
      }
    </dl>
    ${policies.edit && html`<p><a class="kern-btn kern-btn--secondary" href=${`/wissen/${id}/bearbeiten`}><span class="kern-label">${t("knowledge.page.edit")}</span></a></p>`}
    ${
      policies.edit &&
      html`<form method="post" action=${`/wissen/${id}/einreichen`}><${CsrfField} ctx=${ctx} />
        <p class="kern-hint">${t(p.visibility === "internal" ? "knowledge.page.publishHint" : "knowledge.page.submitHint")}</p>
        <${SubmitButton} label=${p.visibility === "internal" ? t("knowledge.page.publish") : t("knowledge.page.submit")} /></form>`
    }
    ${
      p.status === "published" &&
      page.canWithdraw &&
      html`<form method="post" action=${`/wissen/${id}/zuruecknehmen`}><${CsrfField} ctx=${ctx} />
        <p class="kern-hint">${t("knowledge.page.withdrawHint")}</p><${SubmitButton} label=${t("knowledge.page.withdraw")} variant="secondary" /></form>`
    }
    ${
      policies.adopt &&
      html`<form method="post" action=${`/wissen/${id}/uebernehmen`}><${CsrfField} ctx=${ctx} />
        <p class="kern-hint">${t("knowledge.page.adoptHint")}</p><${SubmitButton} label=${t("knowledge.page.adopt")} /></form>`
    }
    ${policies.feedback && html`<${FeedbackForm} ctx=${ctx} id=${id} given=${page.feedback} errors=${page.feedbackErrors ?? {}} values=${page.feedbackValues ?? {}} />`}
    ${policies.review && html`<${ReviewForm} ctx=${ctx} id=${id} version=${p.version} errors=${reviewErrors ?? {}} />`}
    ${page.showAdoptions && html`<${Adoptions} ctx=${ctx} page=${page} />`}
  <//>`;
}

/** A text's change, word by word: removed words struck through, added ones marked — each also said in words for screen readers. */
export function Change({ ctx, parts }: { ctx: ViewContext; parts: TextChange }) {
  const { t } = ctx;
  return html`<p class="kern-body komma-diff">${parts.map((p) =>
    p.added
      ? html`<ins><span class="kern-sr-only">${t("knowledge.origin.added")} </span>${p.value}</ins>`
      : p.removed
        ? html`<del><span class="kern-sr-only">${t("knowledge.origin.removed")} </span>${p.value}</del>`
        : p.value,
  )}</p>`;
}

/** On a copy: the origin has a newer version — what changed since the version taken. */
function OriginChanges({ ctx, update }: { ctx: ViewContext; update: OriginUpdate }) {
  const { t } = ctx;
  const parts = (["title", "summary", "body"] as const).filter((k) => update[k] !== null);
  return html`<section class="kern-alert kern-alert--info" aria-labelledby="origin-changes">
    <div class="kern-alert__header"><span class="kern-icon kern-icon--info" aria-hidden="true"></span>
      <h2 class="kern-title" id="origin-changes">${t("knowledge.origin.title", { from: update.fromVersion, to: update.toVersion })}</h2></div>
    <div class="kern-alert__body">
      <p class="kern-body">${t("knowledge.origin.lead", { date: dateOf(ctx, update.publishedAt) })}</p>
      ${parts.map((k) => html`<h3 class="kern-heading-small">${t(`knowledge.field.${k}`)}</h3><${Change} ctx=${ctx} parts=${update[k] ?? []} />`)}
    </div>
  </section>`;
}

function FeedbackForm({
  ctx,
  id,
  given,
  errors,
  values,
}: {
  ctx: ViewContext;
  id: string;
  given: { score: number; text: string } | null;
  errors: Record<string, string>;
  values: Values;
}) {
  const { t } = ctx;
  const score = typeof values.score === "string" ? values.score : given ? String(given.score) : undefined;
  const text = typeof values.text === "string" ? values.text : (given?.text ?? "");
  return html`<section aria-labelledby="feedback-title">
    <h2 class="kern-heading-medium" id="feedback-title">${t("knowledge.feedback.title")}</h2>
    ${given && html`<p class="kern-body">${t("knowledge.feedback.given", { score: given.score })}</p>`}
    <form method="post" action=${`/wissen/${id}/rueckmeldung`} novalidate><${CsrfField} ctx=${ctx} />
      <${ErrorSummary} t=${t} errors=${errors} />
      <${RadioGroup} name="score" legend=${t("knowledge.feedback.score")} hint=${t("knowledge.feedback.scoreHint")} error=${errors.score} value=${score}
        options=${[1, 2, 3, 4, 5].map((n) => ({ value: String(n), label: t("knowledge.feedback.scoreOption", { score: n }) }))} />
      <${TextArea} name="text" label=${t("knowledge.feedback.text")} hint=${t("knowledge.feedback.textHint")} error=${errors.text} value=${text} rows=${3} />
      <${SubmitButton} label=${t("knowledge.feedback.submit")} variant="secondary" />
    </form>
  </section>`;
}

function ReviewForm({ ctx, id, version, errors }: { ctx: ViewContext; id: string; version: number; errors: Record<string, string> }) {
  const { t } = ctx;
  return html`<section aria-labelledby="review-title">
    <h2 class="kern-heading-medium" id="review-title">${t("knowledge.review.decide")}</h2>
    <form method="post" action=${`/wissen/${id}/pruefen`} novalidate><${CsrfField} ctx=${ctx} />
      <input type="hidden" name="version" value=${String(version)} />
      <${ErrorSummary} t=${t} errors=${errors} />
      <${TextArea} name="note" label=${t("knowledge.review.note")} hint=${t("knowledge.review.noteHint")} error=${errors.note} rows=${3} />
      <div class="komma-actions">
        <button type="submit" name="decision" value="approve" class="kern-btn kern-btn--primary"><span class="kern-label">${t("knowledge.review.approve")}</span></button>
        <button type="submit" name="decision" value="return" class="kern-btn kern-btn--secondary"><span class="kern-label">${t("knowledge.review.giveBack")}</span></button>
      </div>
    </form>
  </section>`;
}

function Adoptions({ ctx, page }: { ctx: ViewContext; page: PracticeViewModel }) {
  const { t } = ctx;
  return html`<section aria-labelledby="adoptions-title">
    <h2 class="kern-heading-medium" id="adoptions-title">${t("knowledge.page.adoptions")}</h2>
    ${page.adoptions.length === 0 && html`<p class="kern-body">${t("knowledge.page.noAdoptions")}</p>`}
    ${
      page.adoptions.length > 0 &&
      html`<${ScrollTable} label=${t("knowledge.page.adoptions")}><table class="kern-table">
        <thead class="kern-table__header"><tr class="kern-table__row">
          <th class="kern-table__header" scope="col">${t("knowledge.page.adoptions")}</th>
          <th class="kern-table__header" scope="col">${t("knowledge.page.adoptedAt")}</th>
          <th class="kern-table__header" scope="col">${t("knowledge.page.score")}</th>
          <th class="kern-table__header" scope="col">${t("knowledge.page.comment")}</th>
        </tr></thead>
        <tbody class="kern-table__body">${page.adoptions.map(
          (a) => html`<tr class="kern-table__row">
            <th class="kern-table__cell" scope="row">${a.tenantName}</th>
            <td class="kern-table__cell">${dateOf(ctx, a.adoptedAt)}</td>
            <td class="kern-table__cell">${a.score ?? "–"}</td>
            <td class="kern-table__cell">${a.text || "–"}</td>
          </tr>`,
        )}</tbody>
      </table><//>`
    }
  </section>`;
}

export function PracticeList({ ctx, list, caption, byTenant }: { ctx: ViewContext; list: Practice[]; caption: string; byTenant: boolean }) {
  const { t } = ctx;
  return html`<${ScrollTable} label=${caption}><table class="kern-table">
    <caption class="kern-sr-only">${caption}</caption>
    <thead class="kern-table__header"><tr class="kern-table__row">
      <th class="kern-table__header" scope="col">${t("knowledge.field.title")}</th>
      <th class="kern-table__header" scope="col">${t("knowledge.field.kind")}</th>
      <th class="kern-table__header" scope="col">${t("knowledge.list.status")}</th>
      <th class="kern-table__header" scope="col">${t("knowledge.list.visibility")}</th>
      ${byTenant && html`<th class="kern-table__header" scope="col">${t("knowledge.review.submittedBy")}</th>`}
    </tr></thead>
    <tbody class="kern-table__body">${list.map(
      (p) => html`<tr class="kern-table__row">
        <th class="kern-table__cell" scope="row"><a class="kern-link" href=${`/wissen/${p.id}`}>${p.title}</a>
          ${p.originTenantName && html`<br /><span class="kern-body--small">${t("knowledge.own.copyOf", { tenant: p.originTenantName })}</span>`}</th>
        <td class="kern-table__cell">${t(`knowledge.kind.${p.kind}`)}</td>
        <td class="kern-table__cell">${
          p.status === "draft" && p.reviewNote
            ? html`<${Badge} kind="warning" text=${t("knowledge.status.returned")} />`
            : html`<${Badge} kind=${STATUS_BADGE[p.status]} text=${t(`knowledge.status.${p.status}`)} />`
        }</td>
        <td class="kern-table__cell">${t(`knowledge.visibility.${p.visibility}`)}</td>
        ${byTenant && html`<td class="kern-table__cell">${p.tenantName}</td>`}
      </tr>`,
    )}</tbody>
  </table><//>`;
}

export function OwnPracticesPage({ ctx, list, canWrite }: { ctx: ViewContext; list: Practice[]; canWrite: boolean }) {
  const { t } = ctx;
  return html`<${Layout} ctx=${ctx} title=${t("knowledge.own.title")}>
    <p><a class="kern-link" href="/wissen">${t("knowledge.title")}</a></p>
    <${PageHeading} title=${t("knowledge.own.title")} lead=${t("knowledge.own.lead")} />
    ${canWrite && html`<p><a class="kern-btn kern-btn--secondary" href="/wissen/neu"><span class="kern-icon kern-icon--add" aria-hidden="true"></span><span class="kern-label">${t("knowledge.own.add")}</span></a></p>`}
    ${list.length === 0 ? html`<p class="kern-body">${t("knowledge.own.none")}</p>` : html`<${PracticeList} ctx=${ctx} list=${list} caption=${t("knowledge.own.title")} byTenant=${false} />`}
  <//>`;
}

export function ReviewQueuePage({ ctx, list }: { ctx: ViewContext; list: Practice[] }) {
  const { t } = ctx;
  return html`<${Layout} ctx=${ctx} title=${t("knowledge.review.title")}>
    <p><a class="kern-link" href="/wissen">${t("knowledge.title")}</a></p>
    <${PageHeading} title=${t("knowledge.review.title")} lead=${t("knowledge.review.lead")} />
    ${list.length === 0 ? html`<p class="kern-body">${t("knowledge.review.none")}</p>` : html`<${PracticeList} ctx=${ctx} list=${list} caption=${t("knowledge.review.title")} byTenant=${true} />`}
  <//>`;
}

export function PracticeFormPage(p: {
  ctx: ViewContext;
  action: string;
  title: string;
  values: Values;
  errors: Record<string, string>;
  cancel: string;
  beyond: boolean;
}) {
  const { ctx, values, errors } = p;
  const { t } = ctx;
  const str = (k: string) => (typeof values[k] === "string" ? (values[k] as string) : "");
  const list = (k: string) => (Array.isArray(values[k]) ? (values[k] as string[]) : values[k] ? [values[k] as string] : []);
  const visibilities = p.beyond ? VISIBILITIES : (["internal"] as const);
  return html`<${Layout} ctx=${ctx} title=${p.title}>
    <${PageHeading} title=${p.title} />
    <form method="post" action=${p.action} novalidate><${CsrfField} ctx=${ctx} />
      <${ErrorSummary} t=${t} errors=${errors} />
      <${SelectField} name="kind" label=${t("knowledge.field.kind")} value=${str("kind")} error=${errors.kind}
        options=${[{ value: "", label: t("knowledge.form.choose") }, ...PRACTICE_KINDS.map((k) => ({ value: k, label: t(`knowledge.kind.${k}`) }))]} />
      <${TextField} name="title" label=${t("knowledge.field.title")} value=${str("title")} error=${errors.title} />
      <${TextArea} name="summary" label=${t("knowledge.field.summary")} hint=${t("knowledge.field.summaryHint")} value=${str("summary")} error=${errors.summary} rows=${3} />
      <${TextArea} name="body" label=${t("knowledge.field.body")} hint=${t("knowledge.field.bodyHint")} value=${str("body")} error=${errors.body} rows=${12} />
      <${TextField} name="tags" label=${t("knowledge.field.tags")} hint=${t("knowledge.field.tagsHint")} value=${str("tags")} error=${errors.tags} />
      <${CheckboxGroup} name="dimensions" legend=${t("knowledge.field.dimensions")} values=${list("dimensions")} error=${errors.dimensions}
        options=${DIMENSIONS.map((d) => ({ value: d, label: t(`knowledge.dimension.${d}`) }))} />
      <${CheckboxGroup} name="modules" legend=${t("knowledge.field.modules")} values=${list("modules")} error=${errors.modules}
        options=${PRACTICE_MODULES.map((m) => ({ value: m, label: t(`knowledge.module.${m}`) }))} />
      <${RadioGroup} name="visibility" legend=${t("knowledge.field.visibility")} value=${str("visibility")} error=${errors.visibility}
        options=${visibilities.map((v) => ({ value: v, label: t(`knowledge.visibility.${v}`), hint: t(`knowledge.visibility.${v}Hint`) }))} />
      <div class="komma-actions">
        <${SubmitButton} label=${t("knowledge.form.save")} />
        <a class="kern-btn kern-btn--tertiary" href=${p.cancel}><span class="kern-label">${t("knowledge.form.cancel")}</span></a>
      </div>
    </form>
  <//>`;
}
