import { dateFormat } from "../i18n/formats.ts";
import { CsrfField, ErrorSummary, type FieldErrors, html, Layout, PageHeading, ScrollTable, SubmitButton, TextField, type ViewContext } from "../ui/html.ts";
import type { SessionRecord } from "./sessions.ts";

export function SignInPage({
  ctx,
  values,
  errors,
  problem,
  next,
}: {
  ctx: ViewContext;
  values: { email?: string };
  errors: FieldErrors;
  problem?: string;
  next?: string;
}) {
  const { t } = ctx;
  return html`<${Layout} ctx=${ctx} title=${t("auth.signIn.title")}>
    <${PageHeading} title=${t("auth.signIn.title")} lead=${t("auth.signIn.lead")} />
    ${problem && html`<div class="kern-alert kern-alert--danger" role="alert" tabindex="-1" autofocus data-module="error-summary"><div class="kern-alert__header"><span class="kern-icon kern-icon--danger" aria-hidden="true"></span><p class="kern-title">${problem}</p></div></div>`}
    <${ErrorSummary} t=${t} errors=${errors} />
    <form method="post" action="/anmelden" novalidate class="komma-form">
      <${CsrfField} ctx=${ctx} />
      ${next && html`<input type="hidden" name="weiter" value=${next} />`}
      <${TextField} name="email" type="email" label=${t("auth.email")} autocomplete="username" value=${values.email} error=${errors.email} spellcheck=${false} required />
      <${TextField} name="password" type="password" label=${t("auth.password")} autocomplete="current-password" error=${errors.password} required />
      <${SubmitButton} label=${t("auth.signIn.submit")} />
    </form>
    <p class="kern-body"><a class="kern-link" href="/passwort-vergessen">${t("auth.forgot.link")}</a></p>
  <//>`;
}

/** `next`: where the sign-in was headed (a mail's link): on there once the code is right. */
export function SecondFactorPage({ ctx, errors, problem, next = "" }: { ctx: ViewContext; errors: FieldErrors; problem?: string; next?: string }) {
  const { t } = ctx;
  return html`<${Layout} ctx=${ctx} title=${t("auth.secondFactor.title")}>
    <${PageHeading} title=${t("auth.secondFactor.title")} lead=${t("auth.secondFactor.lead")} />
    ${problem && html`<div class="kern-alert kern-alert--danger" role="alert" tabindex="-1" autofocus><div class="kern-alert__header"><span class="kern-icon kern-icon--danger" aria-hidden="true"></span><p class="kern-title">${problem}</p></div></div>`}
    <${ErrorSummary} t=${t} errors=${errors} />
    <form method="post" action="/anmelden/zweiter-faktor" novalidate class="komma-form">
      <${CsrfField} ctx=${ctx} />
      ${next && html`<input type="hidden" name="weiter" value=${next} />`}
      <${TextField} name="code" label=${t("auth.secondFactor.code")} hint=${t("auth.secondFactor.hint")} autocomplete="one-time-code" inputmode="text" width="4" error=${errors.code} spellcheck=${false} required />
      <${SubmitButton} label=${t("auth.secondFactor.submit")} />
    </form>
  <//>`;
}

export function EnrolPage({
  ctx,
  secret,
  qrDataUri,
  errors,
  required,
}: {
  ctx: ViewContext;
  secret: string;
  qrDataUri: string;
  errors: FieldErrors;
  required: boolean;
}) {
  const { t } = ctx;
  const grouped = secret.replace(/(.{4})/g, "$1 ").trim();
  return html`<${Layout} ctx=${ctx} title=${t("auth.enrol.title")}>
    <${PageHeading} title=${t("auth.enrol.title")} lead=${required ? t("auth.enrol.required") : t("auth.enrol.lead")} />
    <${ErrorSummary} t=${t} errors=${errors} />
    <ol class="kern-list kern-list--number">
      <li>${t("auth.enrol.step1")}</li>
      <li>${t("auth.enrol.step2")}
        <p><img class="komma-qr" src=${qrDataUri} alt=${t("auth.enrol.qrAlt")} width="200" height="200" /></p>
        <p class="kern-body">${t("auth.enrol.manual")} <code class="komma-code" data-testid="totp-secret">${grouped}</code></p>
      </li>
      <li>${t("auth.enrol.step3")}</li>
    </ol>
    <form method="post" action="/konto/zwei-faktor" novalidate class="komma-form">
      <${CsrfField} ctx=${ctx} />
      <${TextField} name="code" label=${t("auth.enrol.code")} autocomplete="one-time-code" inputmode="numeric" width="4" error=${errors.code} spellcheck=${false} required />
      <${SubmitButton} label=${t("auth.enrol.submit")} />
    </form>
  <//>`;
}

export function RecoveryCodesPage({ ctx, codes }: { ctx: ViewContext; codes: string[] }) {
  const { t } = ctx;
  return html`<${Layout} ctx=${ctx} title=${t("auth.recovery.title")}>
    <${PageHeading} title=${t("auth.recovery.title")} lead=${t("auth.recovery.lead")} />
    <div class="kern-alert kern-alert--warning" role="note"><div class="kern-alert__header"><span class="kern-icon kern-icon--warning" aria-hidden="true"></span><p class="kern-title">${t("auth.recovery.warning")}</p></div></div>
    <ul class="kern-list komma-codes" data-testid="recovery-codes">
      ${codes.map((c) => html`<li><code class="komma-code">${c}</code></li>`)}
    </ul>
    <p><a class="kern-btn kern-btn--primary" href="/start"><span class="kern-label">${t("auth.recovery.done")}</span></a></p>
  <//>`;
}

export function AccountSecurityPage({ ctx, totpEnabled, remaining }: { ctx: ViewContext; totpEnabled: boolean; remaining: number }) {
  const { t } = ctx;
  return html`<${Layout} ctx=${ctx} title=${t("account.title")}>
    <${PageHeading} title=${t("account.title")} />
    <dl class="kern-description-list">
      <div class="kern-description-list-item">
        <dt class="kern-description-list-item__key">${t("account.secondFactor")}</dt>
        <dd class="kern-description-list-item__value">${totpEnabled ? t("account.secondFactorOn", { count: remaining }) : t("account.secondFactorOff")}</dd>
      </div>
    </dl>
    <ul class="kern-list">
      ${!totpEnabled && html`<li><a class="kern-link" href="/konto/zwei-faktor">${t("account.enableSecondFactor")}</a></li>`}
      <li><a class="kern-link" href="/konto/sitzungen">${t("account.sessionsLink")}</a></li>
      <li><a class="kern-link" href="/konto/kommune">${t("account.tenantLink")}</a></li>
      <li><a class="kern-link" href="/konto/benachrichtigungen#einstellungen">${t("account.noticesLink")}</a></li>
      <li><a class="kern-link" href="/konto/api-tokens">${t("account.apiTokensLink")}</a></li>
    </ul>
  <//>`;
}

export function SessionsPage({ ctx, sessions, currentId }: { ctx: ViewContext; sessions: SessionRecord[]; currentId: string }) {
  const { t } = ctx;
  const fmt = dateFormat(ctx.lang === "de" ? "de-DE" : "en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: "Europe/Berlin" });
  return html`<${Layout} ctx=${ctx} title=${t("account.sessions.title")}>
    <${PageHeading} title=${t("account.sessions.title")} lead=${t("account.sessions.lead")} />
    <${ScrollTable} label=${t("account.sessions.title")}>
      <table class="kern-table">
        <caption class="kern-sr-only">${t("account.sessions.title")}</caption>
        <thead class="kern-table__header"><tr class="kern-table__row">
          <th class="kern-table__header" scope="col">${t("account.sessions.device")}</th>
          <th class="kern-table__header" scope="col">${t("account.sessions.started")}</th>
          <th class="kern-table__header" scope="col">${t("account.sessions.lastSeen")}</th>
          <th class="kern-table__header kern-table__header--action" scope="col">${t("account.sessions.action")}</th>
        </tr></thead>
        <tbody class="kern-table__body">
          ${sessions.map(
            (s) => html`<tr class="kern-table__row">
              <td class="kern-table__cell">${s.label || t("account.sessions.unknownDevice")}${s.id === currentId && html` <span class="kern-badge kern-badge--info"><span class="kern-label kern-label--small">${t("account.sessions.current")}</span></span>`}</td>
              <td class="kern-table__cell">${fmt.format(s.createdAt)}</td>
              <td class="kern-table__cell">${fmt.format(s.lastSeenAt)}</td>
              <td class="kern-table__cell kern-table__cell--action">
                <form method="post" action=${`/konto/sitzungen/${s.id}/beenden`} class="komma-inline-form">
                  <${CsrfField} ctx=${ctx} />
                  <button type="submit" class="kern-btn kern-btn--secondary kern-btn--x-small"><span class="kern-label">${t("account.sessions.revoke")}<span class="kern-sr-only">: ${s.label} ${fmt.format(s.createdAt)}</span></span></button>
                </form>
              </td>
            </tr>`,
          )}
        </tbody>
      </table>
    <//>
    <form method="post" action="/konto/sitzungen/andere-beenden" class="komma-form">
      <${CsrfField} ctx=${ctx} />
      <${SubmitButton} label=${t("account.sessions.revokeOthers")} variant="secondary" />
    </form>
  <//>`;
}

/** A token as its owner sees it in the list: never the token itself, only its hash is kept. */
export interface TokenListed {
  id: string;
  name: string;
  tenantName: string;
  createdAt: Date;
  expiresAt: Date;
  lastUsedAt: Date | null;
}

/** The account's API tokens: when each was made, until when it holds, when a program last used it; a new one shown once. */
export function ApiTokensPage({
  ctx,
  tokens,
  now,
  tenantName,
  created,
  errors = {},
  name,
}: {
  ctx: ViewContext;
  tokens: readonly TokenListed[];
  now: Date;
  tenantName?: string;
  created?: string;
  errors?: FieldErrors;
  name?: string;
}) {
  const { t } = ctx;
  const day = dateFormat(ctx.lang === "de" ? "de-DE" : "en-GB", { dateStyle: "medium", timeZone: "Europe/Berlin" });
  return html`<${Layout} ctx=${ctx} title=${t("account.tokens.title")}>
    <${PageHeading} title=${t("account.tokens.title")} lead=${t("account.tokens.lead")} />
    ${
      created &&
      html`<div class="kern-alert kern-alert--success" role="status"><div class="kern-alert__header"><span class="kern-icon kern-icon--success" aria-hidden="true"></span><p class="kern-title">${t("account.tokens.created")}</p></div>
      <div class="kern-alert__body"><code class="komma-code" data-testid="api-token">${created}</code>
        <p class="kern-body"><a class="kern-link" href="/api/docs">${t("apiDocs.title")}</a></p></div></div>`
    }
    <${ErrorSummary} t=${t} errors=${errors} />
    ${
      tenantName &&
      html`<form method="post" action="/konto/api-tokens" novalidate class="komma-form">
      <${CsrfField} ctx=${ctx} />
      <${TextField} name="name" label=${t("account.tokens.name")} hint=${t("account.tokens.hint", { tenant: tenantName })} value=${name} error=${errors.name} required />
      <${SubmitButton} label=${t("account.tokens.create")} />
    </form>`
    }
    ${
      tokens.length > 0 &&
      html`<${ScrollTable} label=${t("account.tokens.listTitle")}>
      <table class="kern-table" data-table="api-tokens">
        <caption class="kern-title">${t("account.tokens.listTitle")}</caption>
        <thead class="kern-table__header"><tr class="kern-table__row">
          <th class="kern-table__header" scope="col">${t("account.tokens.name")}</th>
          <th class="kern-table__header" scope="col">${t("account.tokens.tenant")}</th>
          <th class="kern-table__header" scope="col">${t("account.tokens.createdAt")}</th>
          <th class="kern-table__header" scope="col">${t("account.tokens.expiresAt")}</th>
          <th class="kern-table__header" scope="col">${t("account.tokens.lastUsed")}</th>
          <th class="kern-table__header kern-table__header--action" scope="col">${t("account.tokens.action")}</th>
        </tr></thead>
        <tbody class="kern-table__body">
          ${tokens.map(
            (tok) => html`<tr class="kern-table__row">
              <th class="kern-table__cell" scope="row">${tok.name}</th>
              <td class="kern-table__cell">${tok.tenantName}</td>
              <td class="kern-table__cell">${day.format(tok.createdAt)}</td>
              <td class="kern-table__cell">${
                tok.expiresAt <= now
                  ? html`<span class="kern-badge kern-badge--warning"><span class="kern-label kern-label--small">${t("account.tokens.expired", { date: day.format(tok.expiresAt) })}</span></span>`
                  : day.format(tok.expiresAt)
              }</td>
              <td class="kern-table__cell">${tok.lastUsedAt ? day.format(tok.lastUsedAt) : t("account.tokens.neverUsed")}</td>
              <td class="kern-table__cell kern-table__cell--action">
                <form method="post" action=${`/konto/api-tokens/${tok.id}/widerrufen`} class="komma-inline-form">
                  <${CsrfField} ctx=${ctx} />
                  <button class="kern-btn kern-btn--secondary kern-btn--x-small" type="submit"><span class="kern-label">${t("account.tokens.revoke")}<span class="kern-sr-only">: ${tok.name}</span></span></button>
                </form>
              </td>
            </tr>`,
          )}
        </tbody>
      </table>
    <//>`
    }
  <//>`;
}

export function ForgotPasswordPage({ ctx, values, errors, sent }: { ctx: ViewContext; values: { email?: string }; errors: FieldErrors; sent: boolean }) {
  const { t } = ctx;
  return html`<${Layout} ctx=${ctx} title=${t("auth.forgot.title")}>
    <${PageHeading} title=${t("auth.forgot.title")} lead=${t("auth.forgot.lead")} />
    ${sent && html`<div class="kern-alert kern-alert--success" role="status"><div class="kern-alert__header"><span class="kern-icon kern-icon--success" aria-hidden="true"></span><p class="kern-title">${t("auth.forgot.sent")}</p></div></div>`}
    <${ErrorSummary} t=${t} errors=${errors} />
    <form method="post" action="/passwort-vergessen" novalidate class="komma-form">
      <${CsrfField} ctx=${ctx} />
      <${TextField} name="email" type="email" label=${t("auth.email")} autocomplete="username" value=${values.email} error=${errors.email} spellcheck=${false} required />
      <${SubmitButton} label=${t("auth.forgot.submit")} />
    </form>
  <//>`;
}

export function SetPasswordPage({
  ctx,
  token,
  email,
  errors,
  purpose,
}: {
  ctx: ViewContext;
  token: string;
  email: string;
  errors: FieldErrors;
  purpose: "invite" | "reset";
}) {
  const { t } = ctx;
  const title = purpose === "invite" ? t("auth.setPassword.inviteTitle") : t("auth.setPassword.title");
  return html`<${Layout} ctx=${ctx} title=${title}>
    <${PageHeading} title=${title} lead=${t("auth.setPassword.lead", { email })} />
    <${ErrorSummary} t=${t} errors=${errors} />
    <form method="post" action=${`/passwort-setzen/${token}`} novalidate class="komma-form">
      <${CsrfField} ctx=${ctx} />
      <input type="text" name="username" value=${email} autocomplete="username" hidden />
      <${TextField} name="password" type="password" label=${t("auth.setPassword.password")} hint=${t("auth.setPassword.hint")} autocomplete="new-password" error=${errors.password} required />
      <${TextField} name="confirm" type="password" label=${t("auth.setPassword.confirm")} autocomplete="new-password" error=${errors.confirm} required />
      <${SubmitButton} label=${t("auth.setPassword.submit")} />
    </form>
  <//>`;
}

export function LinkInvalidPage({ ctx }: { ctx: ViewContext }) {
  const { t } = ctx;
  return html`<${Layout} ctx=${ctx} title=${t("auth.linkInvalid.title")}>
    <${PageHeading} title=${t("auth.linkInvalid.title")} lead=${t("auth.linkInvalid.lead")} />
    <p><a class="kern-link" href="/passwort-vergessen">${t("auth.forgot.link")}</a></p>
  <//>`;
}
