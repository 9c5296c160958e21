import { eq } from "drizzle-orm";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { z } from "zod";
import { checkPasswordStrength } from "../../platform/auth/passwords.ts";
import { requiresSecondFactor } from "../../platform/auth/service.ts";
import type { Role } from "../../platform/authz/policy.ts";
import { inTransaction } from "../../platform/db/client.ts";
import { tenants } from "../../platform/db/schema.ts";
import { type NavProvider, viewContext } from "../../platform/http/context.ts";
import { fieldErrors } from "../../platform/http/errors.ts";
import type { Platform } from "../../platform/platform.ts";
import { CsrfField, ErrorSummary, type FieldErrors, html, Layout, PageHeading, SubmitButton, TextField, type ViewContext } from "../../platform/ui/html.ts";
import { CONTROL_CHARACTERS_MESSAGE, singleLine } from "../../platform/validation.ts";
import { acceptInvitation, acceptWithNewAccount, type InvitationRow, invitationForLink } from "./invitations.ts";

/*
 * The invited person's side: the link from the mail leads here. Someone without an account
 * chooses a name and password; someone with one signs in as that account and accepts.
 */

const newAccountSchema = z.object({
  displayName: z.string().trim().min(2, "errors.nameRequired").max(120, "errors.tooLong").refine(singleLine, CONTROL_CHARACTERS_MESSAGE),
  password: z.string().max(1000, "errors.passwordTooLong"),
  confirm: z.string().max(1000),
});

type Tenant = { id: string; slug: string; name: string };

function InvitationPage({ ctx, tenant, invitation, children }: { ctx: ViewContext; tenant: Tenant; invitation: InvitationRow; children?: unknown }) {
  const { t } = ctx;
  const roles = (invitation.roles as Role[]).map((r) => t(`roles.${r}`)).join(", ");
  return html`<${Layout} ctx=${ctx} title=${t("invitation.title", { tenant: tenant.name })}>
    <${PageHeading} title=${t("invitation.title", { tenant: tenant.name })} lead=${t("invitation.lead", { tenant: tenant.name, roles })} />
    ${children}
  <//>`;
}

export function registerInvitationRoutes(app: FastifyInstance, platform: Platform, nav: NavProvider) {
  const ctx = (request: FastifyRequest) => viewContext(request, nav);

  async function load(request: FastifyRequest) {
    const { slug, token } = request.params as { slug: string; token: string };
    if (!/^[a-z0-9-]{1,60}$/.test(slug)) return null;
    const [tenant] = await inTransaction(platform.db, {}, (tx) =>
      tx.select({ id: tenants.id, slug: tenants.slug, name: tenants.name }).from(tenants).where(eq(tenants.slug, slug)),
    );
    if (!tenant) return null;
    const found = await invitationForLink(platform, tenant.id, token);
    return found.state === "invalid" ? null : { tenant, found, path: `/einladung/${tenant.slug}/${token}` };
  }

  function invalid(request: FastifyRequest, reply: FastifyReply) {
    const t = request.t;
    return reply.page(
      html`<${Layout} ctx=${ctx(request)} title=${t("invitation.invalidTitle")}><${PageHeading} title=${t("invitation.invalidTitle")} lead=${t("invitation.invalidLead")} /><//>`,
      410,
    );
  }

  function newAccountForm(
    request: FastifyRequest,
    reply: FastifyReply,
    tenant: Tenant,
    invitation: InvitationRow,
    path: string,
    errors: FieldErrors,
    name?: string,
  ) {
    const c = ctx(request);
    const t = c.t;
    return reply.page(
      html`<${InvitationPage} ctx=${c} tenant=${tenant} invitation=${invitation}>
        <p class="kern-body">${t("invitation.newAccount", { email: invitation.email })}</p>
        <${ErrorSummary} t=${t} errors=${errors} />
        <form method="post" action=${path} novalidate class="komma-form">
          <${CsrfField} ctx=${c} />
          <input type="text" name="username" value=${invitation.email} autocomplete="username" hidden />
          <${TextField} name="displayName" label=${t("invitation.name")} hint=${t("invitation.nameHint")} value=${name ?? invitation.displayName} error=${errors.displayName} autocomplete="name" required />
          <${TextField} name="password" type="password" label=${t("auth.setPassword.password")} hint=${t("auth.setPassword.hint")} autocomplete="new-password" error=${errors.password} required />
          <${TextField} name="confirm" type="password" label=${t("auth.setPassword.confirm")} autocomplete="new-password" error=${errors.confirm} required />
          <${SubmitButton} label=${t("invitation.accept")} />
        </form>
      <//>`,
      Object.keys(errors).length > 0 ? 400 : 200,
    );
  }

  app.get("/einladung/:slug/:token", async (request, reply) => {
    const loaded = await load(request);
    if (!loaded) return invalid(request, reply);
    const { tenant, found, path } = loaded;
    if (found.state === "new_account") return newAccountForm(request, reply, tenant, found.invitation, path, {});
    const c = ctx(request);
    const t = c.t;
    if (request.user && request.actor && request.user.id === found.userId) {
      return reply.page(html`<${InvitationPage} ctx=${c} tenant=${tenant} invitation=${found.invitation}>
        <form method="post" action=${path} class="komma-form">
          <${CsrfField} ctx=${c} />
          <${SubmitButton} label=${t("invitation.accept")} />
        </form>
      <//>`);
    }
    const body = request.user
      ? html`<p class="kern-body">${t("invitation.otherAccount")}</p>`
      : html`<p class="kern-body">${t("invitation.signInFirst")}</p>
          <p><a class="kern-btn kern-btn--primary" href=${`/anmelden?weiter=${encodeURIComponent(path)}`}><span class="kern-label">${t("shell.signIn")}</span></a></p>`;
    return reply.page(html`<${InvitationPage} ctx=${c} tenant=${tenant} invitation=${found.invitation}>${body}<//>`);
  });

  app.post("/einladung/:slug/:token", { config: { rateLimit: { max: 10, timeWindow: "1 minute" } } }, async (request, reply) => {
    const loaded = await load(request);
    if (!loaded) return invalid(request, reply);
    const { tenant, found, path } = loaded;
    const t = request.t;
    if (found.state === "existing_account") {
      if (!request.actor || request.user?.id !== found.userId) return reply.redirect(path, 303);
      const accepted = await acceptInvitation(platform, found.invitation, found.userId);
      if (!accepted) return invalid(request, reply);
      const needsSecondFactor = requiresSecondFactor(found.invitation.roles as Role[]) && !request.user.totpEnabled;
      const asked = accepted.asked.length > 0 ? ` ${t("invitation.roleAsked", { roles: accepted.asked.map((r) => t(`roles.${r}`)).join(", ") })}` : "";
      return reply
        .flash({ kind: "success", message: `${t("invitation.accepted", { tenant: tenant.name })}${asked}` })
        .redirect(needsSecondFactor ? "/konto/zwei-faktor" : "/start", 303);
    }
    const body = (request.body ?? {}) as Record<string, unknown>;
    const parsed = newAccountSchema.safeParse(body);
    const errors: FieldErrors = parsed.success ? {} : fieldErrors(parsed.error, t);
    if (parsed.success) {
      const weak = await checkPasswordStrength(parsed.data.password, [found.invitation.email, parsed.data.displayName]);
      if (weak) errors.password = t(`errors.password.${weak}`);
      else if (parsed.data.password !== parsed.data.confirm) errors.confirm = t("errors.passwordMismatch");
    }
    if (!parsed.success || Object.keys(errors).length > 0) {
      return newAccountForm(request, reply, tenant, found.invitation, path, errors, typeof body.displayName === "string" ? body.displayName : undefined);
    }
    const accepted = await acceptWithNewAccount(platform, found.invitation, parsed.data);
    if (!accepted) return invalid(request, reply);
    const asked = accepted.asked.length > 0 ? ` ${t("invitation.roleAsked", { roles: accepted.asked.map((r) => t(`roles.${r}`)).join(", ") })}` : "";
    return reply.flash({ kind: "success", message: `${t("invitation.accountCreated", { tenant: tenant.name })}${asked}` }).redirect("/anmelden", 303);
  });
}
