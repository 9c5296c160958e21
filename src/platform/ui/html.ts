import { html as htmPreact } from "htm/preact";
import type { ComponentChildren, VNode } from "preact";
import { render } from "preact-render-to-string";
import { type PublicLanguage, RTL_LANGUAGES, type Translate } from "../i18n/i18n.ts";
import { assetUrl } from "./assets.ts";

/*
 * Views are Preact components written with htm tagged templates: JSX-like, escaped by
 * default, and runnable by Node's type stripping without a build step (docs/decisions/002).
 */
export const html = htmPreact as (strings: TemplateStringsArray, ...values: unknown[]) => VNode;
export type { ComponentChildren, VNode };

export interface NavItem {
  href: string;
  label: string;
}

export interface Flash {
  kind: "success" | "info" | "warning" | "danger";
  message: string;
  /**
   * Values shown this once and never again (a link whose token is kept only as a hash): carried
   * in the signed, HttpOnly flash cookie through the redirect after the form, so that reloading
   * the page shows the page, not the form sent again.
   */
  reveal?: { label: string; value: string }[];
}

/** What every page needs to know about the request. */
export interface ViewContext {
  t: Translate;
  lang: PublicLanguage;
  /** Current path and query, to come back to after switching language. */
  path: string;
  csrfToken: string;
  user: { displayName: string } | null;
  tenant: { name: string; slug: string } | null;
  nav: NavItem[];
  flash: Flash | null;
  /** Set on pages where the user is half signed in (second factor pending). */
  limited?: boolean;
  /** Largest evidence file in MB, for upload hints. */
  maxFileMb?: number;
  /** Replaces the German/English switch, e.g. by the reporting flow's own language choice. */
  languageSwitch?: VNode | null;
  /** Links a page adds to the footer, e.g. the municipality's privacy notice on its reporting pages. */
  footerLinks?: NavItem[];
}

export function renderDocument(vnode: VNode): string {
  return `<!doctype html>${render(vnode)}`;
}

function LanguageSwitch({ ctx }: { ctx: ViewContext }) {
  const other = ctx.lang === "en" ? "de" : ctx.lang === "de" ? "en" : "de";
  const back = encodeURIComponent(ctx.path);
  return html`<a class="kern-link komma-lang" href=${`/sprache/${other}?zurueck=${back}`} lang=${other} hreflang=${other}>
    <span class="kern-icon kern-icon--language" aria-hidden="true"></span>
    ${other === "en" ? "English" : "Deutsch"}
  </a>`;
}

function Header({ ctx }: { ctx: ViewContext }) {
  const { t } = ctx;
  return html`<header class="komma-header">
    <div class="kern-container komma-header__bar">
      <a class="komma-brand" href="/">
        <span class="komma-brand__name">KommA</span>
        <span class="komma-brand__claim">${t("shell.claim")}</span>
      </a>
      <div class="komma-header__meta">
        ${ctx.tenant && html`<p class="kern-body kern-body--small komma-tenant"><span class="kern-sr-only">${t("shell.currentTenant")}: </span>${ctx.tenant.name}</p>`}
        ${ctx.languageSwitch === undefined ? html`<${LanguageSwitch} ctx=${ctx} />` : ctx.languageSwitch}
        ${
          ctx.user
            ? html`<form method="post" action="/abmelden" class="komma-inline-form">
                <input type="hidden" name="_csrf" value=${ctx.csrfToken} />
                <button type="submit" class="kern-btn kern-btn--tertiary kern-btn--x-small">
                  <span class="kern-icon kern-icon--logout" aria-hidden="true"></span>
                  <span class="kern-label">${t("shell.signOut")}</span>
                </button>
              </form>`
            : html`<a class="kern-link" href="/anmelden">${t("shell.signIn")}</a>`
        }
      </div>
    </div>
    ${
      ctx.nav.length > 0 &&
      html`<nav class="komma-nav" aria-label=${t("shell.mainNavigation")}>
        <ul class="kern-container komma-nav__list">
          ${ctx.nav.map((item) => {
            const current = item.href === currentNav(ctx.nav, ctx.path);
            return html`<li><a class="komma-nav__link" href=${item.href} aria-current=${current ? "page" : undefined}>${item.label}</a></li>`;
          })}
        </ul>
      </nav>`
    }
  </header>`;
}

function Footer({ ctx }: { ctx: ViewContext }) {
  const { t } = ctx;
  return html`<footer class="komma-footer">
    <div class="kern-container">
      <ul class="kern-list kern-list--horizontal komma-footer__links">
        <li><a class="kern-link" href="/impressum">${t("footer.imprint")}</a></li>
        ${ctx.footerLinks?.map((l) => html`<li><a class="kern-link" href=${l.href}>${l.label}</a></li>`)}
        <li><a class="kern-link" href="/datenschutz">${t("footer.privacy")}</a></li>
        <li><a class="kern-link" href="/barrierefreiheit">${t("footer.accessibility")}</a></li>
        <li><a class="kern-link" href="/api/docs">${t("footer.api")}</a></li>
      </ul>
      <p class="kern-body kern-body--small">${t("footer.licence")}</p>
    </div>
  </footer>`;
}

/** The navigation entry the page belongs to: the longest one whose address the path starts with. */
function currentNav(nav: NavItem[], path: string): string | null {
  const matches = nav.filter((item) => path === item.href || path.startsWith(`${item.href}/`) || path.startsWith(`${item.href}?`));
  return matches.sort((a, b) => b.href.length - a.href.length)[0]?.href ?? null;
}

export function FlashMessage({ flash }: { flash: Flash }) {
  const reveal = Array.isArray(flash.reveal) ? flash.reveal.filter((r) => typeof r?.label === "string" && typeof r?.value === "string") : [];
  return html`<div class=${`kern-alert kern-alert--${flash.kind}`} role="status">
    <div class="kern-alert__header"><span class=${`kern-icon kern-icon--${flash.kind === "danger" ? "danger" : flash.kind}`} aria-hidden="true"></span>
      <p class="kern-title">${flash.message}</p></div>
    ${
      reveal.length > 0 &&
      html`<div class="kern-alert__body"><dl class="kern-description-list">${reveal.map(
        (r) => html`<div class="kern-description-list-item"><dt class="kern-description-list-item__key">${r.label}</dt>
          <dd class="kern-description-list-item__value"><code class="komma-break" data-reveal=${r.label}>${r.value}</code></dd></div>`,
      )}</dl></div>`
    }
  </div>`;
}

/**
 * A page of the application. `bare` leaves out the header with the navigation and the footer: for a
 * page shown to a room (a projected live poll), where the menu of the person presenting has no place.
 */
export function Layout({ ctx, title, children, bare }: { ctx: ViewContext; title: string; children?: ComponentChildren; bare?: boolean }) {
  const dir = RTL_LANGUAGES.includes(ctx.lang) ? "rtl" : "ltr";
  return html`<html lang=${ctx.lang} dir=${dir}>
    <head>
      <meta charset="utf-8" />
      <meta name="viewport" content="width=device-width, initial-scale=1" />
      <title>${title} – KommA</title>
      <link rel="icon" href=${assetUrl("favicon.svg")} type="image/svg+xml" />
      <link rel="stylesheet" href=${assetUrl("kern.css")} />
      <link rel="stylesheet" href=${assetUrl("komma.css")} />
      <script src=${assetUrl("komma.js")} defer></script>
    </head>
    <body>
      ${!bare && html`<a class="komma-skip-link" href="#inhalt">${ctx.t("shell.skipToContent")}</a>`}
      ${!bare && html`<${Header} ctx=${ctx} />`}
      <main id="inhalt" class=${bare ? "kern-container komma-main komma-main--bare" : "kern-container komma-main"} tabindex="-1">
        ${ctx.flash && html`<${FlashMessage} flash=${ctx.flash} />`}
        ${children}
      </main>
      ${!bare && html`<${Footer} ctx=${ctx} />`}
    </body>
  </html>`;
}

/* ---------------------------------------------------------------- forms */

/** Field name → message, as produced by `fieldErrors()` from a zod error. */
export type FieldErrors = Record<string, string>;

/**
 * The error summary at the top of a form. It takes focus on load (autofocus works without
 * JavaScript), so screen-reader users hear at once that something needs fixing.
 */
export function ErrorSummary({ t, errors }: { t: Translate; errors: FieldErrors }) {
  const entries = Object.entries(errors);
  if (entries.length === 0) return null;
  return html`<div class="kern-alert kern-alert--danger komma-error-summary" role="alert" tabindex="-1" autofocus data-module="error-summary" aria-labelledby="error-summary-title">
    <div class="kern-alert__header">
      <span class="kern-icon kern-icon--danger" aria-hidden="true"></span>
      <h2 class="kern-title" id="error-summary-title">${t("form.errorSummary")}</h2>
    </div>
    <div class="kern-alert__body">
      <ul class="kern-list">
        ${entries.map(([field, message]) => html`<li><a class="kern-link" href=${`#${fieldId(field)}`}>${message}</a></li>`)}
      </ul>
    </div>
  </div>`;
}

export function fieldId(name: string): string {
  return `f-${name.replace(/[^a-zA-Z0-9_-]/g, "-")}`;
}

interface FieldProps {
  name: string;
  /** When one page has several forms with a field of this name: the id (and error key) of this one. */
  id?: string;
  label: string;
  hint?: string;
  error?: string;
  value?: string | null;
  type?: string;
  autocomplete?: string;
  required?: boolean;
  inputmode?: string;
  width?: "2" | "4";
  spellcheck?: boolean;
  dir?: string;
}

function describedBy(id: string, hint?: string, error?: string): string | undefined {
  const ids = [hint && `${id}-hint`, error && `${id}-error`].filter(Boolean);
  return ids.length ? ids.join(" ") : undefined;
}

function FieldFrame({ id, label, hint, error, children }: { id: string; label: string; hint?: string; error?: string; children: ComponentChildren }) {
  return html`<div class=${`kern-form-input${error ? " kern-form-input--error" : ""}`}>
    <label class="kern-label" for=${id}>${label}</label>
    ${hint && html`<div class="kern-hint" id=${`${id}-hint`}>${hint}</div>`}
    ${error && html`<p class="kern-error" id=${`${id}-error`}><span class="kern-icon kern-icon--danger" aria-hidden="true"></span> ${error}</p>`}
    ${children}
  </div>`;
}

export function TextField(p: FieldProps) {
  const id = fieldId(p.id ?? p.name);
  return html`<${FieldFrame} id=${id} label=${p.label} hint=${p.hint} error=${p.error}>
    <input
      class=${`kern-form-input__input${p.error ? " kern-form-input__input--error" : ""}${p.width ? ` kern-form-input__input--width-${p.width}` : ""}`}
      id=${id}
      name=${p.name}
      type=${p.type ?? "text"}
      value=${p.type === "password" ? undefined : (p.value ?? "")}
      autocomplete=${p.autocomplete}
      inputmode=${p.inputmode}
      spellcheck=${p.spellcheck === false ? "false" : undefined}
      dir=${p.dir}
      required=${p.required}
      aria-describedby=${describedBy(id, p.hint, p.error)}
      aria-invalid=${p.error ? "true" : undefined}
    />
  <//>`;
}

/** A file input in the same anatomy as the other fields (label, hint, inline error). */
export function FileField(p: { name: string; id?: string; label: string; hint?: string; error?: string; multiple?: boolean }) {
  const id = fieldId(p.id ?? p.name);
  return html`<${FieldFrame} id=${id} label=${p.label} hint=${p.hint} error=${p.error}>
    <input class="kern-form-input__input" type="file" id=${id} name=${p.name} multiple=${p.multiple} aria-describedby=${describedBy(id, p.hint, p.error)} aria-invalid=${p.error ? "true" : undefined} />
  <//>`;
}

export function TextArea(p: FieldProps & { rows?: number }) {
  const id = fieldId(p.id ?? p.name);
  return html`<${FieldFrame} id=${id} label=${p.label} hint=${p.hint} error=${p.error}>
    <textarea
      class=${`kern-form-input__input${p.error ? " kern-form-input__input--error" : ""}`}
      id=${id}
      name=${p.name}
      rows=${p.rows ?? 5}
      required=${p.required}
      aria-describedby=${describedBy(id, p.hint, p.error)}
      aria-invalid=${p.error ? "true" : undefined}
    >${p.value ?? ""}</textarea>
  <//>`;
}

export function SelectField(p: FieldProps & { options: { value: string; label: string }[] }) {
  const id = fieldId(p.id ?? p.name);
  return html`<${FieldFrame} id=${id} label=${p.label} hint=${p.hint} error=${p.error}>
    <div class="kern-form-input__select-wrapper">
      <select
        class=${`kern-form-input__select${p.error ? " kern-form-input__select--error" : ""}`}
        id=${id}
        name=${p.name}
        required=${p.required}
        aria-describedby=${describedBy(id, p.hint, p.error)}
        aria-invalid=${p.error ? "true" : undefined}
      >
        ${p.options.map((o) => html`<option value=${o.value} selected=${o.value === p.value}>${o.label}</option>`)}
      </select>
    </div>
  <//>`;
}

export function CheckboxGroup(p: {
  name: string;
  id?: string;
  legend: string;
  hint?: string;
  error?: string;
  options: { value: string; label: string; hint?: string }[];
  values: string[];
}) {
  const id = fieldId(p.id ?? p.name);
  return html`<fieldset class=${`kern-fieldset${p.error ? " kern-fieldset--error" : ""}`} id=${id} aria-describedby=${describedBy(id, p.hint, p.error)}>
    <legend class="kern-label">${p.legend}</legend>
    ${p.hint && html`<div class="kern-hint" id=${`${id}-hint`}>${p.hint}</div>`}
    ${p.error && html`<p class="kern-error" id=${`${id}-error`}><span class="kern-icon kern-icon--danger" aria-hidden="true"></span> ${p.error}</p>`}
    <div class="kern-fieldset__body">
      ${p.options.map(
        (o, i) => html`<div class="kern-form-check">
          <input class="kern-form-check__checkbox" type="checkbox" id=${`${id}-${i}`} name=${p.name} value=${o.value} checked=${p.values.includes(o.value)} aria-describedby=${o.hint ? `${id}-${i}-hint` : undefined} />
          <label class="kern-label" for=${`${id}-${i}`}>${o.label}</label>
          ${o.hint && html`<div class="kern-hint" id=${`${id}-${i}-hint`}>${o.hint}</div>`}
        </div>`,
      )}
    </div>
  </fieldset>`;
}

export function RadioGroup(p: {
  name: string;
  id?: string;
  legend: string;
  hint?: string;
  error?: string;
  options: { value: string; label: string; hint?: string }[];
  value?: string;
  large?: boolean;
  /** The options side by side (short labels such as a scale). */
  horizontal?: boolean;
}) {
  const id = fieldId(p.id ?? p.name);
  return html`<fieldset class=${`kern-fieldset${p.error ? " kern-fieldset--error" : ""}`} aria-describedby=${describedBy(id, p.hint, p.error)}>
    <legend class=${p.large ? "kern-label kern-label--large" : "kern-label"}>${p.legend}</legend>
    ${p.hint && html`<div class="kern-hint" id=${`${id}-hint`}>${p.hint}</div>`}
    ${p.error && html`<p class="kern-error" id=${`${id}-error`}><span class="kern-icon kern-icon--danger" aria-hidden="true"></span> ${p.error}</p>`}
    <div class=${p.horizontal ? "kern-fieldset__body kern-fieldset__body--horizontal" : "kern-fieldset__body"}>
      ${p.options.map(
        (o, i) => html`<div class="kern-form-check">
          <input class="kern-form-check__radio" type="radio" id=${i === 0 ? id : `${id}-${i}`} name=${p.name} value=${o.value} checked=${p.value === o.value} aria-describedby=${o.hint ? `${id}-${i}-hint` : undefined} />
          <label class="kern-label" for=${i === 0 ? id : `${id}-${i}`}>${o.label}</label>
          ${o.hint && html`<div class="kern-hint" id=${`${id}-${i}-hint`}>${o.hint}</div>`}
        </div>`,
      )}
    </div>
  </fieldset>`;
}

export function CsrfField({ ctx }: { ctx: ViewContext }) {
  return html`<input type="hidden" name="_csrf" value=${ctx.csrfToken} />`;
}

export function SubmitButton({ label, variant = "primary" }: { label: string; variant?: "primary" | "secondary" | "tertiary" }) {
  return html`<button type="submit" class=${`kern-btn kern-btn--${variant}`}><span class="kern-label">${label}</span></button>`;
}

/**
 * Plain text as paragraphs: an empty line starts a new paragraph, a single line break stays a
 * line break. The text is escaped like everything else; no HTML from the text is ever rendered.
 */
export function Paragraphs({ text, lang }: { text: string; lang?: string }) {
  const paragraphs = text
    .replace(/\r\n?/g, "\n")
    .split(/\n[ \t]*\n/)
    .map((p) => p.trim())
    .filter(Boolean);
  return html`<div class="komma-prose komma-paragraphs" lang=${lang}>${paragraphs.map((p) => html`<p class="kern-body">${p}</p>`)}</div>`;
}

/**
 * A wide table's scroll box. On a narrow screen the table scrolls inside it, not the page. It is
 * a named region in the tab order, so a keyboard user can reach it and scroll with the arrow
 * keys, and a screen reader announces what it holds (axe: scrollable-region-focusable).
 */
export function ScrollTable({ label, children }: { label: string; children: ComponentChildren }) {
  return html`<div class="kern-table-responsive komma-scroll-region" tabindex="0" role="region" aria-label=${label}>${children}</div>`;
}

export function PageHeading({ title, lead }: { title: string; lead?: string }) {
  return html`<div class="komma-page-heading">
    <h1 class="kern-heading-large">${title}</h1>
    ${lead && html`<p class="kern-body kern-body--large">${lead}</p>`}
  </div>`;
}
