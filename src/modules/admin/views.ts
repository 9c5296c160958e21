import type { Role } from "../../platform/authz/policy.ts";
import { dateFormat } from "../../platform/i18n/formats.ts";
import {
  CheckboxGroup,
  CsrfField,
  ErrorSummary,
  type FieldErrors,
  html,
  Layout,
  PageHeading,
  RadioGroup,
  ScrollTable,
  SelectField,
  SubmitButton,
  TextField,
  type ViewContext,
} from "../../platform/ui/html.ts";
import { LAENDER, LAENDER_CODES } from "../../platform/vocabulary.ts";
import type { Person, TenantRow } from "./commands.ts";
import type { PendingInvitation } from "./invitations.ts";
import type { AskedRole } from "./role-confirmations.ts";
import { RESET_REASONS } from "./schemas.ts";

export function TenantListPage({ ctx, tenants, query, canCreate }: { ctx: ViewContext; tenants: TenantRow[]; query: string; canCreate: boolean }) {
  const { t } = ctx;
  return html`<${Layout} ctx=${ctx} title=${t("admin.tenants.title")}>
    <${PageHeading} title=${t("admin.tenants.title")} lead=${t("admin.tenants.lead", { count: tenants.length })} />
    ${canCreate && html`<p><a class="kern-btn kern-btn--primary" href="/verwaltung/kommunen/neu"><span class="kern-icon kern-icon--add" aria-hidden="true"></span><span class="kern-label">${t("admin.tenants.create")}</span></a></p>`}
    <form method="get" action="/verwaltung/kommunen" role="search" class="komma-search">
      <${TextField} name="q" type="search" label=${t("admin.tenants.search")} value=${query} />
      <${SubmitButton} label=${t("admin.tenants.searchSubmit")} variant="secondary" />
    </form>
    <${ScrollTable} label=${t("admin.tenants.title")}>
      <table class="kern-table kern-table--striped">
        <caption class="kern-sr-only">${t("admin.tenants.title")}</caption>
        <thead class="kern-table__header"><tr class="kern-table__row">
          <th class="kern-table__header" scope="col">${t("admin.tenants.name")}</th>
          <th class="kern-table__header" scope="col">${t("admin.tenants.kind")}</th>
          <th class="kern-table__header" scope="col">${t("admin.tenants.land")}</th>
          <th class="kern-table__header" scope="col">${t("admin.tenants.ags")}</th>
          <th class="kern-table__header" scope="col">${t("admin.tenants.actions")}</th>
        </tr></thead>
        <tbody class="kern-table__body">
          ${tenants.map(
            (x) => html`<tr class="kern-table__row">
              <th class="kern-table__cell" scope="row">${x.name}</th>
              <td class="kern-table__cell">${t(`tenantKinds.${x.kind}`)}</td>
              <td class="kern-table__cell">${x.land ? LAENDER[x.land as keyof typeof LAENDER] : "–"}</td>
              <td class="kern-table__cell">${x.ags ?? "–"}</td>
              <td class="kern-table__cell">
                <a class="kern-link" href=${`/verwaltung/kommunen/${x.slug}/personen`}>${t("admin.people.title")}<span class="kern-sr-only">: ${x.name}</span></a>
                ${x.kind !== "national" && html` · <a class="kern-link" href=${`/verwaltung/kommunen/${x.slug}/bearbeiten`}>${t("admin.tenants.edit")}<span class="kern-sr-only">: ${x.name}</span></a>`}
              </td>
            </tr>`,
          )}
        </tbody>
      </table>
    <//>
  <//>`;
}

export interface TenantFormValues {
  name?: string;
  slug?: string;
  ags?: string;
  land?: string;
  kind?: string;
}

export function TenantFormPage({
  ctx,
  values,
  errors,
  action,
  title,
}: {
  ctx: ViewContext;
  values: TenantFormValues;
  errors: FieldErrors;
  action: string;
  title: string;
}) {
  const { t } = ctx;
  return html`<${Layout} ctx=${ctx} title=${title}>
    <${PageHeading} title=${title} />
    <${ErrorSummary} t=${t} errors=${errors} />
    <form method="post" action=${action} novalidate class="komma-form">
      <${CsrfField} ctx=${ctx} />
      <${TextField} name="name" label=${t("admin.tenants.name")} hint=${t("admin.tenants.nameHint")} value=${values.name} error=${errors.name} required />
      <${TextField} name="slug" label=${t("admin.tenants.slug")} hint=${t("admin.tenants.slugHint")} value=${values.slug} error=${errors.slug} spellcheck=${false} required />
      <${SelectField}
        name="land"
        label=${t("admin.tenants.land")}
        value=${values.land}
        error=${errors.land}
        options=${[{ value: "", label: t("form.choose") }, ...LAENDER_CODES.map((code) => ({ value: code, label: LAENDER[code] }))]}
        required
      />
      <${TextField} name="ags" label=${t("admin.tenants.ags")} hint=${t("admin.tenants.agsHint")} value=${values.ags} error=${errors.ags} inputmode="numeric" width="4" spellcheck=${false} required />
      <${SelectField}
        name="kind"
        label=${t("admin.tenants.kind")}
        value=${values.kind}
        error=${errors.kind}
        options=${[
          { value: "", label: t("form.choose") },
          { value: "model", label: t("tenantKinds.model") },
          { value: "platform", label: t("tenantKinds.platform") },
        ]}
        required
      />
      <${SubmitButton} label=${t("form.save")} />
    </form>
  <//>`;
}

function PendingInvitations({ ctx, tenant, pending }: { ctx: ViewContext; tenant: TenantRow; pending: PendingInvitation[] }) {
  const { t } = ctx;
  const date = dateFormat(ctx.lang, { dateStyle: "medium", timeZone: "Europe/Berlin" });
  const action = (id: string, what: "erneut-senden" | "zurueckziehen", label: string, email: string) =>
    html`<form method="post" action=${`/verwaltung/kommunen/${tenant.slug}/einladungen/${id}/${what}`} class="komma-inline-form">
      <${CsrfField} ctx=${ctx} />
      <button type="submit" class="kern-btn kern-btn--tertiary kern-btn--x-small"><span class="kern-label">${label}<span class="kern-sr-only">: ${email}</span></span></button>
    </form>`;
  return html`<h2 class="kern-heading-medium" id="einladungen">${t("admin.invitations.title")}</h2>
    <p class="kern-body">${t("admin.invitations.lead")}</p>
    <ul class="kern-list komma-invitations">
      ${pending.map(
        (i) => html`<li>
          <p class="kern-body"><strong>${i.displayName}</strong> · <span class="komma-break">${i.email}</span></p>
          <p class="kern-body kern-body--small">${i.roles.map((r) => t(`roles.${r}`)).join(", ")} · ${t("admin.invitations.validUntil", { date: date.format(i.expiresAt) })}</p>
          <div class="komma-actions">
            ${action(i.id, "erneut-senden", t("admin.invitations.resend"), i.email)}
            ${action(i.id, "zurueckziehen", t("admin.invitations.revoke"), i.email)}
          </div>
        </li>`,
      )}
    </ul>`;
}

/** Roles that open every case and wait for a second person: to confirm or refuse, for whoever may. */
function AskedRoles({ ctx, tenant, asked }: { ctx: ViewContext; tenant: TenantRow; asked: (AskedRole & { mayDecide: boolean })[] }) {
  const { t } = ctx;
  const date = dateFormat(ctx.lang, { dateStyle: "medium", timeZone: "Europe/Berlin" });
  const action = (a: AskedRole, what: "bestaetigen" | "ablehnen", label: string, primary: boolean) =>
    html`<form method="post" action=${`/verwaltung/kommunen/${tenant.slug}/freigaben/${a.id}/${what}`} class="komma-inline-form">
      <${CsrfField} ctx=${ctx} />
      <button type="submit" class=${`kern-btn ${primary ? "kern-btn--primary" : "kern-btn--secondary"} kern-btn--small`}><span class="kern-label">${label}<span class="kern-sr-only">: ${t(`roles.${a.role}`)}, ${a.displayName}</span></span></button>
    </form>`;
  return html`<h2 class="kern-heading-medium" id="freigaben">${t("admin.confirmations.title")}</h2>
    <p class="kern-body">${t("admin.confirmations.lead")}</p>
    <ul class="kern-list komma-invitations">
      ${asked.map(
        (a) => html`<li>
          <p class="kern-body">${t("admin.confirmations.row", { role: t(`roles.${a.role}`), name: a.displayName, email: a.email, by: a.requestedByName, date: date.format(a.requestedAt) })}</p>
          ${
            a.mayDecide
              ? html`<div class="komma-actions">${action(a, "bestaetigen", t("admin.confirmations.confirm"), true)}${action(a, "ablehnen", t("admin.confirmations.refuse"), false)}</div>`
              : html`<p class="kern-body kern-body--small">${t("admin.confirmations.waiting")}</p>`
          }
        </li>`,
      )}
    </ul>`;
}

export function PeopleListPage({
  ctx,
  tenant,
  people,
  canInvite,
  pending,
  asked = [],
}: {
  ctx: ViewContext;
  tenant: TenantRow;
  people: Person[];
  canInvite: boolean;
  pending: PendingInvitation[];
  asked?: (AskedRole & { mayDecide: boolean })[];
}) {
  const { t } = ctx;
  return html`<${Layout} ctx=${ctx} title=${`${t("admin.people.title")} – ${tenant.name}`}>
    <${PageHeading} title=${t("admin.people.titleFor", { tenant: tenant.name })} lead=${t("admin.people.lead")} />
    ${asked.length > 0 && html`<${AskedRoles} ctx=${ctx} tenant=${tenant} asked=${asked} />`}
    ${canInvite && html`<p><a class="kern-btn kern-btn--primary" href=${`/verwaltung/kommunen/${tenant.slug}/personen/einladen`}><span class="kern-icon kern-icon--add" aria-hidden="true"></span><span class="kern-label">${t("admin.people.invite")}</span></a></p>`}
    ${
      people.length === 0
        ? html`<p class="kern-body">${t("admin.people.none")}</p>`
        : html`<${ScrollTable} label=${t("admin.people.titleFor", { tenant: tenant.name })}><table class="kern-table">
        <caption class="kern-sr-only">${t("admin.people.titleFor", { tenant: tenant.name })}</caption>
        <thead class="kern-table__header"><tr class="kern-table__row">
          <th class="kern-table__header" scope="col">${t("admin.people.name")}</th>
          <th class="kern-table__header" scope="col">${t("auth.email")}</th>
          <th class="kern-table__header" scope="col">${t("admin.people.roles")}</th>
          <th class="kern-table__header" scope="col">${t("admin.people.status")}</th>
          <th class="kern-table__header" scope="col">${t("admin.tenants.actions")}</th>
        </tr></thead>
        <tbody class="kern-table__body">
          ${people.map(
            (p) => html`<tr class="kern-table__row">
              <th class="kern-table__cell" scope="row">${p.displayName}</th>
              <td class="kern-table__cell">${p.email}</td>
              <td class="kern-table__cell">${p.roles.map((r) => t(`roles.${r}`)).join(", ")}</td>
              <td class="kern-table__cell">${t(`userStatus.${p.status}`)}</td>
              <td class="kern-table__cell"><a class="kern-link" href=${`/verwaltung/kommunen/${tenant.slug}/personen/${p.userId}`}>${t("admin.people.editRoles")}<span class="kern-sr-only">: ${p.displayName}</span></a></td>
            </tr>`,
          )}
        </tbody></table><//>`
    }
    ${pending.length > 0 && html`<${PendingInvitations} ctx=${ctx} tenant=${tenant} pending=${pending} />`}
  <//>`;
}

export function InvitePage({
  ctx,
  tenant,
  roles,
  values,
  errors,
}: {
  ctx: ViewContext;
  tenant: TenantRow;
  roles: readonly Role[];
  values: { email?: string; displayName?: string; roles?: string[] };
  errors: FieldErrors;
}) {
  const { t } = ctx;
  return html`<${Layout} ctx=${ctx} title=${t("admin.people.invite")}>
    <${PageHeading} title=${t("admin.people.inviteTo", { tenant: tenant.name })} lead=${t("admin.people.inviteLead")} />
    <${ErrorSummary} t=${t} errors=${errors} />
    <form method="post" action=${`/verwaltung/kommunen/${tenant.slug}/personen/einladen`} novalidate class="komma-form">
      <${CsrfField} ctx=${ctx} />
      <${TextField} name="displayName" label=${t("admin.people.name")} value=${values.displayName} error=${errors.displayName} autocomplete="off" required />
      <${TextField} name="email" type="email" label=${t("auth.email")} value=${values.email} error=${errors.email} autocomplete="off" spellcheck=${false} required />
      <${CheckboxGroup} name="roles" legend=${t("admin.people.roles")} hint=${t("admin.people.rolesHint")} error=${errors.roles}
        options=${roles.map((r) => ({ value: r, label: t(`roles.${r}`), hint: t(`roleHints.${r}`) }))} values=${values.roles ?? []} />
      <${SubmitButton} label=${t("admin.people.sendInvite")} />
    </form>
  <//>`;
}

export function PersonPage({
  ctx,
  tenant,
  person,
  roles,
  values,
  errors,
  can,
  reset,
  asked = [],
}: {
  ctx: ViewContext;
  tenant: TenantRow;
  person: Person;
  roles: readonly Role[];
  values: string[];
  /** Roles given that wait for a second person: ticked, and saying so. */
  asked?: readonly Role[];
  errors: FieldErrors;
  /** What accountPolicy allows here, so that exactly the allowed actions are offered. */
  can: Record<"resetSecondFactor" | "disable" | "enable" | "remove", boolean>;
  reset?: { values: { reason?: string; confirmed?: boolean }; errors: FieldErrors };
}) {
  const { t } = ctx;
  const base = `/verwaltung/kommunen/${tenant.slug}/personen/${person.userId}`;
  const disabled = person.status === "disabled";
  const resetErrors = reset?.errors ?? {};
  return html`<${Layout} ctx=${ctx} title=${person.displayName}>
    <${PageHeading} title=${t("admin.people.personTitle", { name: person.displayName, tenant: tenant.name })} lead=${`${person.email} · ${t(`userStatus.${person.status}`)}`} />
    <${ErrorSummary} t=${t} errors=${{ ...errors, ...resetErrors }} />
    <h2 class="kern-heading-medium">${t("admin.people.roles")}</h2>
    <form method="post" action=${base} novalidate class="komma-form">
      <${CsrfField} ctx=${ctx} />
      <${CheckboxGroup} name="roles" legend=${t("admin.people.rolesOf", { name: person.displayName, tenant: tenant.name })} hint=${t("admin.people.removeHint")} error=${errors.roles}
        options=${roles.map((r) => ({
          value: r,
          label: t(`roles.${r}`),
          hint: asked.includes(r) ? `${t(`roleHints.${r}`)} ${t("admin.confirmations.asked", { role: t(`roles.${r}`) })}.` : t(`roleHints.${r}`),
        }))} values=${values} />
      <${SubmitButton} label=${t("form.save")} />
    </form>
    ${
      can.resetSecondFactor &&
      !person.secondFactor &&
      html`<h2 class="kern-heading-medium" id="zweiter-faktor">${t("admin.people.reset.title")}</h2>
      <p class="kern-body">${t("admin.people.reset.none")}</p>`
    }
    ${
      can.resetSecondFactor &&
      person.secondFactor &&
      html`<h2 class="kern-heading-medium" id="zweiter-faktor">${t("admin.people.reset.title")}</h2>
      <p class="kern-body">${t("admin.people.reset.lead")}</p>
      <form method="post" action=${`${base}/zweiter-faktor`} novalidate class="komma-form">
        <${CsrfField} ctx=${ctx} />
        <${RadioGroup} name="reason" legend=${t("admin.people.reset.reason")} hint=${t("admin.people.reset.reasonHint")} error=${resetErrors.reason}
          value=${reset?.values.reason} options=${RESET_REASONS.map((r) => ({ value: r, label: t(`admin.people.resetReasons.${r}`) }))} />
        <${CheckboxGroup} name="confirmed" legend=${t("admin.people.reset.check")} error=${resetErrors.confirmed}
          options=${[{ value: "yes", label: t("admin.people.reset.confirmed") }]} values=${reset?.values.confirmed ? ["yes"] : []} />
        <${SubmitButton} label=${t("admin.people.reset.submit")} variant="secondary" />
      </form>`
    }
    ${
      can.remove &&
      html`<h2 class="kern-heading-medium">${t("admin.people.remove.title", { tenant: tenant.name })}</h2>
      <p class="kern-body">${t("admin.people.remove.lead", { tenant: tenant.name })}</p>
      <form method="post" action=${`${base}/entfernen`} class="komma-form">
        <${CsrfField} ctx=${ctx} />
        <${SubmitButton} label=${t("admin.people.remove.submit", { tenant: tenant.name })} variant="secondary" />
      </form>`
    }
    ${
      (disabled ? can.enable : can.disable) &&
      html`<h2 class="kern-heading-medium">${t(disabled ? "admin.people.enable.title" : "admin.people.disable.title")}</h2>
      <p class="kern-body">${t(disabled ? "admin.people.enable.lead" : "admin.people.disable.lead")}</p>
      <form method="post" action=${`${base}/${disabled ? "entsperren" : "sperren"}`} class="komma-form">
        <${CsrfField} ctx=${ctx} />
        <${SubmitButton} label=${t(disabled ? "admin.people.enable.submit" : "admin.people.disable.submit")} variant="secondary" />
      </form>`
    }
    ${!can.resetSecondFactor && can.remove && html`<p class="kern-body">${t("admin.people.nationalOnly")}</p>`}
  <//>`;
}
