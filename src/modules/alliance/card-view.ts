import { LANGUAGE_NAMES, PUBLIC_LANGUAGES } from "../../platform/i18n/i18n.ts";
import { html, Layout, PageHeading, type ViewContext } from "../../platform/ui/html.ts";
import type { EmergencyCard } from "./commands.ts";
import { describeHours, type OpeningHours } from "./hours.ts";
import { displayPhone, telHref } from "./phone.ts";

/* The emergency card and the pieces the directory's pages share with it. Shown in all six reporting languages. */

export function languageName(code: string, locale: string): string {
  try {
    return new Intl.DisplayNames([locale], { type: "language" }).of(code) ?? code;
  } catch {
    return code;
  }
}

export function Phone({ e164 }: { e164: string }) {
  return html`<a class="kern-link komma-phone" href=${telHref(e164)} dir="ltr">${displayPhone(e164)}</a>`;
}

export function HoursText({ ctx, hours }: { ctx: ViewContext; hours: OpeningHours }) {
  if (hours.alwaysOpen) return html`<span>${ctx.t("alliance.hours.alwaysOpen")}</span>`;
  const lines = describeHours(hours, ctx.lang);
  if (lines.length === 0) return html`<span>${ctx.t("alliance.hours.unknown")}</span>`;
  return html`<ul class="kern-list komma-hours">${lines.map((l) => html`<li><span>${l.days}</span> <span dir="ltr">${l.ranges}</span></li>`)}</ul>`;
}

export function OpenBadge({ ctx, open, hours }: { ctx: ViewContext; open: boolean; hours: OpeningHours }) {
  if (hours.alwaysOpen)
    return html`<span class="kern-badge kern-badge--success"><span class="kern-label kern-label--small">${ctx.t("alliance.hours.alwaysOpenShort")}</span></span>`;
  if (hours.slots.length === 0) return null;
  return open
    ? html`<span class="kern-badge kern-badge--success"><span class="kern-label kern-label--small">${ctx.t("alliance.hours.openNow")}</span></span>`
    : html`<span class="kern-badge kern-badge--info"><span class="kern-label kern-label--small">${ctx.t("alliance.hours.closedNow")}</span></span>`;
}

/* ------------------------------------------------------------------ the emergency card */

/**
 * The contacts of one situation. A partner named in an earlier section appears again with its
 * name and number only: the card stays short on a phone and fits one printed page.
 */
function CardContacts({ ctx, contacts, seen }: { ctx: ViewContext; contacts: EmergencyCard["situations"]["threat"]; seen: Set<string> }) {
  const { t } = ctx;
  if (contacts.length === 0) return html`<p class="kern-body">${t("alliance.card.noContacts")}</p>`;
  return html`<ul class="komma-card-contacts">
    ${contacts.map((c) => {
      const again = seen.has(c.id);
      seen.add(c.id);
      return html`<li class="komma-card-contact">
        <p class="kern-body kern-body--bold" lang="de" dir="auto">${c.name} <span class="komma-card-now"><${OpenBadge} ctx=${ctx} open=${c.openNow} hours=${c.hours} /></span></p>
        ${!again && c.services && html`<p class="kern-body komma-card-services" lang="de" dir="auto">${c.services}</p>`}
        <p class="kern-body komma-card-ways">
          ${c.phone && html`<a class="kern-link komma-card-call komma-phone" href=${telHref(c.phone)} dir="ltr">${displayPhone(c.phone)}</a>`}
          ${!again && c.email && html` <a class="kern-link" href=${`mailto:${c.email}`} dir="ltr">${c.email}</a>`}
          ${!again && c.web && html` <a class="kern-link komma-noprint" href=${c.web} dir="ltr">${c.web.replace(/^https?:\/\//, "").replace(/\/$/, "")}</a>`}
        </p>
        ${!again && !c.hours.alwaysOpen && c.hours.slots.length > 0 && html`<div class="kern-body komma-card-hours"><${HoursText} ctx=${ctx} hours=${c.hours} /></div>`}
        ${!again && c.languages.length > 0 && html`<p class="kern-body komma-card-langs">${t("alliance.card.languages")}: ${c.languages.map((l) => languageName(l, ctx.lang)).join(", ")}</p>`}
      </li>`;
    })}
  </ul>`;
}

/** The emergency card: what to do now and whom to call, on a phone and on one printed page. */
export function EmergencyCardPage({ ctx, card, reportUrl, qr }: { ctx: ViewContext; card: EmergencyCard; reportUrl: string; qr: string }) {
  const { t } = ctx;
  const base = `/${card.tenant.slug}/notfallkarte`;
  const seen = new Set<string>();
  return html`<${Layout} ctx=${{ ...ctx, languageSwitch: null }} title=${t("alliance.card.title", { tenant: card.tenant.name })}>
    <div class="komma-card-page" data-offline-card=${card.visibility === "public" ? base : undefined}>
    <nav class="komma-langs komma-noprint" aria-label=${t("alliance.card.language")}>
      <ul class="kern-list kern-list--horizontal">
        ${PUBLIC_LANGUAGES.map((l) =>
          l === ctx.lang
            ? html`<li><span class="kern-body--bold" lang=${l} aria-current="true">${LANGUAGE_NAMES[l]}</span></li>`
            : html`<li><a class="kern-link" href=${`${base}?sprache=${l}`} lang=${l} hreflang=${l}>${LANGUAGE_NAMES[l]}</a></li>`,
        )}
      </ul>
    </nav>
    <${PageHeading} title=${t("alliance.card.title", { tenant: card.tenant.name })} lead=${t("alliance.card.lead")} />
    <section class="kern-alert kern-alert--danger komma-card-danger" aria-labelledby="card-danger">
      <div class="kern-alert__header"><span class="kern-icon kern-icon--danger" aria-hidden="true"></span><h2 class="kern-title" id="card-danger">${t("alliance.card.danger.title")}</h2></div>
      <div class="kern-alert__body">
        <p class="kern-body">${t("alliance.card.danger.text")}</p>
        <p class="kern-body komma-card-emergency"><a class="kern-link" href="tel:110" dir="ltr">110</a> ${t("alliance.card.danger.police")} · <a class="kern-link" href="tel:112" dir="ltr">112</a> ${t("alliance.card.danger.rescue")}</p>
      </div>
    </section>
    <section aria-labelledby="card-threat">
      <h2 class="kern-heading-medium" id="card-threat">${t("alliance.card.threat.title")}</h2>
      <ol class="kern-list komma-card-steps">${["1", "2", "3"].map((n) => html`<li>${t(`alliance.card.threat.step${n}`)}</li>`)}</ol>
      <${CardContacts} ctx=${ctx} contacts=${card.situations.threat} seen=${seen} />
    </section>
    <section aria-labelledby="card-online">
      <h2 class="kern-heading-medium" id="card-online">${t("alliance.card.online.title")}</h2>
      <ol class="kern-list komma-card-steps">${["1", "2", "3"].map((n) => html`<li>${t(`alliance.card.online.step${n}`)}</li>`)}</ol>
      <${CardContacts} ctx=${ctx} contacts=${card.situations.online} seen=${seen} />
    </section>
    <section aria-labelledby="card-support">
      <h2 class="kern-heading-medium" id="card-support">${t("alliance.card.support.title")}</h2>
      <p class="kern-body">${t("alliance.card.support.text")}</p>
      <${CardContacts} ctx=${ctx} contacts=${card.situations.support} seen=${seen} />
    </section>
    <section aria-labelledby="card-report" class="komma-card-report">
      <h2 class="kern-heading-medium" id="card-report">${t("alliance.card.report.title")}</h2>
      <p class="kern-body">${t("alliance.card.report.text", { tenant: card.tenant.name })}</p>
      <p class="kern-body"><a class="kern-link" href=${`/${card.tenant.slug}/melden?sprache=${ctx.lang}`}>${t("alliance.card.report.link")}</a></p>
      <div class="komma-qr" dangerouslySetInnerHTML=${{ __html: qr }}></div>
      <p class="kern-body komma-card-url" dir="ltr">${reportUrl}</p>
    </section>
    <p class="kern-body komma-noprint"><a class="kern-link" href=${`${base}.vcf`} download=${`notfallkarte-${card.tenant.slug}.vcf`}>${t("alliance.card.vcard")}</a></p>
    <p class="kern-body komma-noprint"><a class="kern-link" href=${`${base}.pdf?sprache=${ctx.lang}`} type="application/pdf">${t("alliance.card.pdf")}</a></p>
    <p class="kern-body komma-noprint">${t("alliance.card.print")}</p>
    </div>
  <//>`;
}

/**
 * The card's contacts where a report was just sent and in the reporter's mailbox: who helps after
 * a threat and who counsels, and the way to the whole card.
 */
export function CardSection({ ctx, card }: { ctx: ViewContext; card: EmergencyCard }) {
  const { t } = ctx;
  // Each helper once: those for after a threat, then the counsellors not already named.
  const named = new Set(card.situations.threat.map((c) => c.id));
  const more = card.situations.support.filter((c) => !named.has(c.id));
  return html`<section class="kern-card komma-help" aria-labelledby="card-help">
    <div class="kern-card__container"><div class="kern-card__body">
      <h2 class="kern-heading-small" id="card-help">${t("alliance.card.whoHelps")}</h2>
      <${CardContacts} ctx=${ctx} contacts=${card.situations.threat} seen=${new Set<string>()} />
      ${more.length > 0 && html`<${CardContacts} ctx=${ctx} contacts=${more} seen=${new Set<string>()} />`}
      <p class="kern-body"><a class="kern-link" href=${`/${card.tenant.slug}/notfallkarte?sprache=${ctx.lang}`}>${t("alliance.card.fullCard")}</a></p>
    </div></div>
  </section>`;
}
