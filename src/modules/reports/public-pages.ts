import { randomBytes } from "node:crypto";
import { dateFormat } from "../../platform/i18n/formats.ts";
import { LANGUAGE_NAMES, PUBLIC_LANGUAGES } from "../../platform/i18n/i18n.ts";
import {
  CsrfField,
  ErrorSummary,
  type FieldErrors,
  FileField,
  html,
  Layout,
  PageHeading,
  RadioGroup,
  SubmitButton,
  TextArea,
  TextField,
  type ViewContext,
} from "../../platform/ui/html.ts";
import { CardSection, type EmergencyCard } from "../alliance/index.ts";
import type { TenantInfo } from "./commands.ts";
import { MailboxFeedback } from "./feedback-view.ts";
import type { MailboxView } from "./mailbox.ts";
import { EmergencyAlert, EvidenceList, HelpContact, LanguageLinks } from "./page-parts.ts";
import { MailboxQuestions } from "./questions-view.ts";
import { MODES } from "./schemas.ts";

/** A receipt code in its groups, each kept on one line, so that it is copied as it is. */
function receiptGroups(code: string) {
  return code.split("-").map((group, i) => html`${i > 0 ? "-" : ""}<span class="komma-receipt__group">${group}</span>`);
}

/** Whether the municipality's card names anyone: an empty card helps less than the clearing office's contact. */
function cardHasContacts(card: EmergencyCard | null | undefined): card is EmergencyCard {
  return !!card && Object.values(card.situations).some((list) => list.length > 0);
}

/* The public pages around the form: the municipality's page, the start, the receipt and the mailbox. */

export function LandingPage({ ctx, tenant, startAction }: { ctx: ViewContext; tenant: TenantInfo; startAction: string }) {
  const { t } = ctx;
  return html`<${Layout} ctx=${{ ...ctx, languageSwitch: null }} title=${t("reports.titleFor", { tenant: tenant.name })}>
    <${LanguageLinks} ctx=${ctx} base=${`/${tenant.slug}/melden`} />
    <${PageHeading} title=${t("reports.titleFor", { tenant: tenant.name })} lead=${t("reports.intro", { tenant: tenant.name })} />
    <${EmergencyAlert} ctx=${ctx} urgent=${false} />
    <p class="kern-body">${t("reports.introModes")}</p>
    <${HelpContact} ctx=${ctx} tenant=${tenant} />
    <form method="post" action=${startAction} class="komma-form">
      <${CsrfField} ctx=${ctx} />
      <input type="hidden" name="sprache" value=${ctx.lang} />
      <${SubmitButton} label=${t("reports.start")} />
    </form>
    <p class="kern-body"><a class="kern-link" href=${`/${tenant.slug}/melden/postfach?sprache=${ctx.lang}`}>${t("reports.mailboxLink")}</a></p>
  <//>`;
}

/**
 * A municipality's public start page: where an affected person turns at once. Emergency
 * numbers, the way to report, who answers, and in which languages.
 */
export function MunicipalityPage({ ctx, tenant, cardLink }: { ctx: ViewContext; tenant: TenantInfo; cardLink?: string | null }) {
  const { t } = ctx;
  return html`<${Layout} ctx=${{ ...ctx, languageSwitch: null }} title=${t("reports.municipality.title", { tenant: tenant.name })}>
    <${LanguageLinks} ctx=${ctx} base=${`/${tenant.slug}`} />
    <${PageHeading} title=${t("reports.municipality.title", { tenant: tenant.name })} lead=${t("reports.municipality.lead", { tenant: tenant.name })} />
    <${EmergencyAlert} ctx=${ctx} urgent=${false} />
    ${cardLink && html`<p class="kern-body kern-body--large"><a class="kern-link" href=${`${cardLink}?sprache=${ctx.lang}`}>${t("reports.municipality.card")}</a></p>`}
    <form method="post" action=${`/${tenant.slug}/melden`} class="komma-form">
      <${CsrfField} ctx=${ctx} />
      <input type="hidden" name="sprache" value=${ctx.lang} />
      <${SubmitButton} label=${t("reports.start")} />
    </form>
    <${HelpContact} ctx=${ctx} tenant=${tenant} />
    <h2 class="kern-heading-medium">${t("reports.municipality.how")}</h2>
    <p class="kern-body">${t("reports.introModes")}</p>
    <dl class="kern-description-list">
      ${MODES.map(
        (m) =>
          html`<div class="kern-description-list-item"><dt class="kern-description-list-item__key">${t(`reports.options.mode.${m}`)}</dt><dd class="kern-description-list-item__value">${t(`reports.options.mode.${m}Hint`)}</dd></div>`,
      )}
    </dl>
    <p class="kern-body">${t("reports.municipality.after")}</p>
    <p class="kern-body"><a class="kern-link" href=${`/${tenant.slug}/melden/postfach?sprache=${ctx.lang}`}>${t("reports.mailboxLink")}</a></p>
    <h2 class="kern-heading-medium">${t("reports.language")}</h2>
    <p class="kern-body">${t("reports.municipality.languages")}</p>
    <ul class="kern-list">
      ${PUBLIC_LANGUAGES.map((l) => html`<li lang=${l}><a class="kern-link" href=${`/${tenant.slug}?sprache=${l}`} hreflang=${l}>${LANGUAGE_NAMES[l]}</a></li>`)}
    </ul>
  <//>`;
}

export function DonePage({
  ctx,
  tenant,
  caseNumber,
  anonymous,
  mailbox,
  confirmed = false,
  card,
}: {
  ctx: ViewContext;
  tenant: TenantInfo;
  caseNumber: string;
  anonymous: boolean;
  /** The person has a receipt code for the mailbox. */
  mailbox: boolean;
  /** A confirmation with the number went to the e-mail address given (not beyond the day's limit). */
  confirmed?: boolean;
  /** The municipality's emergency card, where the public may see it: shown instead of the office's contact. */
  card?: EmergencyCard | null;
}) {
  const { t } = ctx;
  return html`<${Layout} ctx=${{ ...ctx, languageSwitch: null }} title=${t("reports.done.title")}>
    <div class="kern-alert kern-alert--success" role="status"><div class="kern-alert__header"><span class="kern-icon kern-icon--success" aria-hidden="true"></span>
      <h1 class="kern-title">${t("reports.done.title")}</h1></div>
      ${!anonymous && html`<div class="kern-alert__body"><p class="kern-body">${t("reports.done.caseNumber", { caseNumber })}</p>${confirmed && html`<p class="kern-body">${t("reports.done.confirmationSent")}</p>`}</div>`}
    </div>
    <p class="kern-body kern-body--large">${t("reports.done.notAlone")}</p>
    <h2 class="kern-heading-medium">${t("reports.done.nextTitle")}</h2>
    <p class="kern-body">${anonymous ? t("reports.done.nextAnonymous") : t("reports.done.next")}</p>
    ${mailbox && html`<p class="kern-body"><a class="kern-link" href=${`/${tenant.slug}/melden/postfach?sprache=${ctx.lang}`}>${t("reports.done.mailbox")}</a></p>`}
    <h2 class="kern-heading-medium">${t("reports.done.helpTitle")}</h2>
    <${EmergencyAlert} ctx=${ctx} urgent=${false} />
    ${cardHasContacts(card) ? html`<${CardSection} ctx=${ctx} card=${card} />` : html`<${HelpContact} ctx=${ctx} tenant=${tenant} />`}
    <p class="kern-body">${t("reports.done.help")}</p>
  <//>`;
}

export function ReceiptPage({
  ctx,
  tenant,
  code,
  caseNumber,
  anonymous,
  confirmed = false,
  error,
}: {
  ctx: ViewContext;
  tenant: TenantInfo;
  code: string;
  caseNumber: string;
  anonymous: boolean;
  /** A confirmation went to the e-mail address given: the thank-you page after this one says so. */
  confirmed?: boolean;
  error?: string;
}) {
  const { t } = ctx;
  return html`<${Layout} ctx=${{ ...ctx, languageSwitch: null }} title=${t("reports.receipt.title")}>
    <${ErrorSummary} t=${t} errors=${error ? { confirm: error } : {}} />
    <${PageHeading} title=${t("reports.receipt.title")} lead=${t("reports.receipt.lead")} />
    <p class="komma-receipt" id="receipt-code" data-testid="receipt-code" dir="ltr" lang="en">${receiptGroups(code)}</p>
    <div class="komma-copy" data-module="copy" data-copy="receipt-code" data-copied=${t("reports.receipt.copied")} data-failed=${t("reports.receipt.copyFailed")} hidden>
      <button type="button" class="kern-btn kern-btn--secondary"><span class="kern-label">${t("reports.receipt.copy")}</span></button>
      <p class="kern-body" role="status"></p>
    </div>
    <div class="kern-alert kern-alert--warning" role="note"><div class="kern-alert__header"><span class="kern-icon kern-icon--warning" aria-hidden="true"></span>
      <p class="kern-title">${t("reports.receipt.warning")}</p></div></div>
    <form method="post" action=${`/${tenant.slug}/melden/eingang`} class="komma-form" data-module="receipt" data-leave-warning=${t("reports.receipt.leaveWarning")}>
      <${CsrfField} ctx=${ctx} />
      <input type="hidden" name="sprache" value=${ctx.lang} />
      <input type="hidden" name="fall" value=${caseNumber} />
      <input type="hidden" name="anonym" value=${anonymous ? "1" : "0"} />
      <input type="hidden" name="code" value=${code} />
      ${confirmed && html`<input type="hidden" name="bestaetigt" value="1" />`}
      <div class=${`kern-form-check${error ? " kern-form-check--error" : ""}`}>
        <input class="kern-form-check__checkbox" type="checkbox" id="f-confirm" name="confirm" value="yes" aria-describedby=${error ? "f-confirm-error" : undefined} />
        <label class="kern-label" for="f-confirm">${t("reports.receipt.confirm")}</label>
      </div>
      ${error && html`<p class="kern-error" id="f-confirm-error"><span class="kern-icon kern-icon--danger" aria-hidden="true"></span> ${error}</p>`}
      <${SubmitButton} label=${t("reports.receipt.continue")} />
    </form>
  <//>`;
}

export function MailboxEntryPage({ ctx, tenant, code, error }: { ctx: ViewContext; tenant: TenantInfo; code?: string; error?: string }) {
  const { t } = ctx;
  return html`<${Layout} ctx=${{ ...ctx, languageSwitch: null }} title=${t("reports.mailbox.title")}>
    <${LanguageLinks} ctx=${ctx} base=${`/${tenant.slug}/melden/postfach`} />
    <${PageHeading} title=${t("reports.mailbox.title")} lead=${t("reports.mailbox.lead")} />
    ${error && html`<${ErrorSummary} t=${t} errors=${{ code: error }} />`}
    <form method="post" action=${`/${tenant.slug}/melden/postfach`} novalidate class="komma-form">
      <${CsrfField} ctx=${ctx} />
      <input type="hidden" name="sprache" value=${ctx.lang} />
      <${TextField} name="code" label=${t("reports.mailbox.code")} hint=${t("reports.mailbox.codeHint")} value=${code} error=${error} autocomplete="off" spellcheck=${false} dir="ltr" required />
      <${SubmitButton} label=${t("reports.mailbox.open")} />
    </form>
  <//>`;
}

export function MailboxPage({
  ctx,
  tenant,
  code,
  view,
  notice,
  errors,
  answers = {},
  message = "",
  link = { url: "", kind: "content" },
  card,
}: {
  ctx: ViewContext;
  tenant: TenantInfo;
  code: string;
  view: MailboxView;
  notice?: string;
  errors: FieldErrors;
  /** What the reporter entered in a question's form, shown again with its errors. */
  answers?: Record<string, string>;
  /** A message typed and not sent (evidence was added instead): shown again. */
  message?: string;
  /** A link typed and not added (it had a mistake, or the message beside it did): shown again. */
  link?: { url: string; kind: string };
  card?: EmergencyCard | null;
}) {
  const { t } = ctx;
  const fmt = dateFormat(ctx.lang, { dateStyle: "long", timeStyle: "short", timeZone: "Europe/Berlin" });
  const action = `/${tenant.slug}/melden/postfach`;
  return html`<${Layout} ctx=${{ ...ctx, languageSwitch: null }} title=${t("reports.mailbox.title")}>
    <${PageHeading} title=${t("reports.mailbox.title")} />
    <${ErrorSummary} t=${t} errors=${errors} />
    ${notice && html`<div class="kern-alert kern-alert--success" role="status"><div class="kern-alert__header"><span class="kern-icon kern-icon--success" aria-hidden="true"></span><p class="kern-title">${notice}</p></div></div>`}
    <dl class="kern-description-list">
      <div class="kern-description-list-item"><dt class="kern-description-list-item__key">${t("reports.mailbox.status")}</dt><dd class="kern-description-list-item__value" data-testid="mailbox-status">${t(`reports.mailbox.statuses.${view.status}`)}</dd></div>
      <div class="kern-description-list-item"><dt class="kern-description-list-item__key">${t("reports.mailbox.received")}</dt><dd class="kern-description-list-item__value">${fmt.format(view.createdAt)}</dd></div>
    </dl>
    <${MailboxQuestions} ctx=${ctx} action=${action} code=${code} questions=${view.questions} errors=${errors} values=${answers} />
    <${MailboxFeedback} ctx=${ctx} action=${action} code=${code} feedback=${view.feedback} errors=${errors} values=${answers} />
    <h2 class="kern-heading-medium">${t("reports.mailbox.messages")}</h2>
    ${view.messages.length === 0 ? html`<p class="kern-body">${t("reports.mailbox.noMessages")}</p>` : ""}
    <ol class="komma-messages">
      ${view.messages.map(
        (m) => html`<li class=${`komma-message komma-message--${m.author}`}>
          <p class="kern-body kern-body--small"><strong>${m.author === "office" ? t("reports.mailbox.fromOffice") : t("reports.mailbox.fromYou")}</strong> · ${fmt.format(m.createdAt)}</p>
          <p class="kern-body komma-pre" dir="auto">${m.body}</p>
        </li>`,
      )}
    </ol>
    <form method="post" action=${action} enctype="multipart/form-data" novalidate class="komma-form">
      <${CsrfField} ctx=${ctx} />
      <input type="hidden" name="sprache" value=${ctx.lang} />
      <input type="hidden" name="code" value=${code} />
      <input type="hidden" name="_einmal" value=${randomBytes(16).toString("base64url")} />
      <${TextArea} name="message" label=${t("reports.mailbox.reply")} error=${errors.message} rows=${5} value=${message} />
      <button type="submit" name="_aktion" value="antworten" class="kern-btn kern-btn--primary"><span class="kern-label">${t("reports.mailbox.send")}</span></button>
      <h2 class="kern-heading-medium">${t("reports.mailbox.addEvidence")}</h2>
      <${EvidenceList} ctx=${ctx} items=${view.evidence} />
      <${FileField} name="file" label=${t("reports.evidence.file")} hint=${t("reports.evidence.fileHint", { mb: ctx.maxFileMb ?? 25 })} error=${errors.file} multiple />
      <button type="submit" name="_aktion" value="beweis" class="kern-btn kern-btn--secondary"><span class="kern-label">${t("reports.evidence.upload")}</span></button>
      <${TextField} name="url" type="url" label=${t("reports.evidence.url")} value=${link.url} error=${errors.url} spellcheck=${false} dir="ltr" />
      <${RadioGroup} name="urlKind" legend=${t("reports.evidence.urlKind")} value=${link.kind === "profile" ? "profile" : "content"}
        options=${[{ value: "content", label: t("reports.evidence.urlKinds.content") }, { value: "profile", label: t("reports.evidence.urlKinds.profile") }]} />
      <button type="submit" name="_aktion" value="beweis" class="kern-btn kern-btn--secondary"><span class="kern-label">${t("reports.evidence.addUrl")}</span></button>
    </form>
    ${cardHasContacts(card) ? html`<${CardSection} ctx=${ctx} card=${card} />` : html`<${HelpContact} ctx=${ctx} tenant=${tenant} />`}
    <p class="kern-body"><a class="kern-link" href=${`/${tenant.slug}/melden?sprache=${ctx.lang}`}>${t("reports.mailbox.close")}</a></p>
  <//>`;
}
