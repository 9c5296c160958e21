import { LANGUAGE_NAMES, PUBLIC_LANGUAGES } from "../../platform/i18n/i18n.ts";
import { html, type ViewContext } from "../../platform/ui/html.ts";
import type { TenantInfo } from "./commands.ts";
import { displayName } from "./evidence.ts";
import type { EvidenceItem } from "./evidence-commands.ts";
import { intentValue } from "./intents.ts";

/* Pieces the reporting pages share: languages, emergency numbers, the office's contact, evidence. */

/** Language links where no input is at stake (landing page, mailbox entry). */
export function LanguageLinks({ ctx, base }: { ctx: ViewContext; base: string }) {
  return html`<nav class="komma-langs" aria-label=${ctx.t("reports.language")}>
    <ul class="kern-list kern-list--horizontal">
      ${PUBLIC_LANGUAGES.map((l) =>
        l === ctx.lang
          ? html`<li><span class="kern-body--bold" lang=${l} aria-current="true">${LANGUAGE_NAMES[l]}</span></li>`
          : html`<li><a class="kern-link" href=${`${base}?sprache=${l}`} lang=${l} hreflang=${l}>${LANGUAGE_NAMES[l]}</a></li>`,
      )}
    </ul>
  </nav>`;
}

/**
 * The emergency numbers. After "yes, someone is in danger" they come first, as an alert that is
 * announced at once; elsewhere they stand as a calm, always-visible note.
 */
export function EmergencyAlert({ ctx, urgent = true }: { ctx: ViewContext; urgent?: boolean }) {
  const { t } = ctx;
  return html`<div class="kern-alert kern-alert--danger komma-emergency" role=${urgent ? "alert" : "note"}>
    <div class="kern-alert__header"><span class="kern-icon kern-icon--danger" aria-hidden="true"></span><p class="kern-title">${t(urgent ? "reports.emergency.title" : "reports.emergency.ifDanger")}</p></div>
    <div class="kern-alert__body">${urgent && html`<p class="kern-body">${t("reports.emergency.text")}</p>`}
      <p class="kern-body komma-emergency__call" dir="ltr"><a class="kern-link" href="tel:110">110</a> · <a class="kern-link" href="tel:112">112</a></p></div>
  </div>`;
}

/** The emergency numbers in one line, on every step of the form after the first (which shows them as a note). */
export function EmergencyLine({ ctx }: { ctx: ViewContext }) {
  return html`<p class="kern-body kern-body--small komma-emergency-line" data-emergency-line>${ctx.t("reports.emergency.line")}${" "}<span dir="ltr"><a class="kern-link" href="tel:110">110</a> · <a class="kern-link" href="tel:112">112</a></span></p>`;
}

/** Where to turn at once: the clearing office of this municipality, if it has said how. */
export function HelpContact({ ctx, tenant }: { ctx: ViewContext; tenant: TenantInfo }) {
  const c = tenant.contact;
  if (!c || (!c.phone && !c.email)) return null;
  const { t } = ctx;
  return html`<section class="kern-card komma-help" aria-labelledby="help-contact">
    <div class="kern-card__container"><div class="kern-card__body">
      <h2 class="kern-heading-small" id="help-contact">${t("reports.help.title")}</h2>
      <dl class="kern-description-list">
        ${c.phone && html`<div class="kern-description-list-item"><dt class="kern-description-list-item__key">${t("reports.help.phone")}</dt><dd class="kern-description-list-item__value"><a class="kern-link" href=${`tel:${c.phone.replace(/[^+0-9]/g, "")}`} dir="ltr">${c.phone}</a></dd></div>`}
        ${c.email && html`<div class="kern-description-list-item"><dt class="kern-description-list-item__key">${t("reports.help.email")}</dt><dd class="kern-description-list-item__value"><a class="kern-link" href=${`mailto:${c.email}`} dir="ltr">${c.email}</a></dd></div>`}
        ${c.hours && html`<div class="kern-description-list-item"><dt class="kern-description-list-item__key">${t("reports.help.hours")}</dt><dd class="kern-description-list-item__value" lang="de">${c.hours}</dd></div>`}
      </dl>
    </div></div>
  </section>`;
}

export function EvidenceList({ ctx, items, removeAction }: { ctx: ViewContext; items: EvidenceItem[]; removeAction?: string }) {
  const { t } = ctx;
  if (items.length === 0) return html`<p class="kern-body">${t("reports.evidence.none")}</p>`;
  return html`<ul class="kern-list komma-evidence">
    ${items.map(
      (item) => html`<li>
        <bdi class="komma-break">${displayName(item.name)}</bdi>${item.size ? ` (${Math.max(1, Math.round(item.size / 1024))} KB)` : ""}
        ${item.kind === "file" && !item.metadataRemoved && html`<br /><span class="kern-body kern-body--small">${t("reports.evidence.keptAsSent")}</span>`}
        ${
          removeAction &&
          html`<button type="submit" name="intent" value=${intentValue({ action: "remove", arg: item.id })} form="evidence-remove" class="kern-btn kern-btn--tertiary kern-btn--x-small"><span class="kern-label">${t("reports.evidence.remove")}<span class="kern-sr-only">: ${displayName(item.name)}</span></span></button>`
        }
      </li>`,
    )}
  </ul>`;
}
