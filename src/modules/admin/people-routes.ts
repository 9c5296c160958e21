import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { Role } from "../../platform/authz/policy.ts";
import { type NavProvider, viewContext } from "../../platform/http/context.ts";
import { fieldErrors } from "../../platform/http/errors.ts";
import { requireActor } from "../../platform/http/guards.ts";
import type { Platform } from "../../platform/platform.ts";
import { type FieldErrors, html } from "../../platform/ui/html.ts";
import { accountOf, removeFromTenant, resetPersonSecondFactor, setPersonAccountStatus } from "./accounts.ts";
import { findPerson, findTenant, listPeople, setRoles } from "./commands.ts";
import { type Body, list, str } from "./form.ts";
import { invitePerson, listPendingInvitations, resendInvitation, revokeInvitation } from "./invitations.ts";
import { accountPolicy, peoplePolicy, rolesFor } from "./policy.ts";
import { askedRoles, mayDecide } from "./role-confirmations.ts";
import { invitationInput, resetInput, rolesInput } from "./schemas.ts";
import { InvitePage, PeopleListPage, PersonPage } from "./views.ts";

/** A municipality's people: the list with open invitations and roles that wait, inviting, a person's roles and account. */
export function registerPeopleRoutes(app: FastifyInstance, platform: Platform, nav: NavProvider) {
  const ctx = (request: FastifyRequest) => viewContext(request, nav);

  app.get("/verwaltung/kommunen/:slug/personen", async (request, reply) => {
    const { actor } = requireActor(request);
    const tenant = await findTenant(platform, actor, (request.params as { slug: string }).slug);
    const people = await listPeople(platform, actor, tenant);
    const canInvite = peoplePolicy.can(actor, "invite", tenant);
    const pending = canInvite ? await listPendingInvitations(platform, actor, tenant) : [];
    const asked = peoplePolicy.can(actor, "changeRoles", tenant)
      ? (await askedRoles(platform, actor, tenant)).map((a) => ({ ...a, mayDecide: mayDecide(actor, a) }))
      : [];
    return reply.page(
      html`<${PeopleListPage} ctx=${ctx(request)} tenant=${tenant} people=${people} canInvite=${canInvite} pending=${pending} asked=${asked} />`,
    );
  });

  app.post("/verwaltung/kommunen/:slug/einladungen/:id/erneut-senden", async (request, reply) => {
    const { actor } = requireActor(request);
    const { slug, id } = request.params as { slug: string; id: string };
    const tenant = await findTenant(platform, actor, slug);
    const sent = await resendInvitation(platform, actor, tenant, id, request.t);
    return reply
      .flash({ kind: "success", message: request.t("admin.invitations.resent", { email: sent.email }) })
      .redirect(`/verwaltung/kommunen/${tenant.slug}/personen#einladungen`, 303);
  });

  app.post("/verwaltung/kommunen/:slug/einladungen/:id/zurueckziehen", async (request, reply) => {
    const { actor } = requireActor(request);
    const { slug, id } = request.params as { slug: string; id: string };
    const tenant = await findTenant(platform, actor, slug);
    await revokeInvitation(platform, actor, tenant, id);
    return reply.flash({ kind: "success", message: request.t("admin.invitations.revoked") }).redirect(`/verwaltung/kommunen/${tenant.slug}/personen`, 303);
  });

  app.get("/verwaltung/kommunen/:slug/personen/einladen", async (request, reply) => {
    const { actor } = requireActor(request);
    const tenant = await findTenant(platform, actor, (request.params as { slug: string }).slug);
    peoplePolicy.authorize(actor, "invite", tenant);
    return reply.page(html`<${InvitePage} ctx=${ctx(request)} tenant=${tenant} roles=${rolesFor(tenant.kind)} values=${{}} errors=${{}} />`);
  });

  app.post("/verwaltung/kommunen/:slug/personen/einladen", async (request, reply) => {
    const { actor } = requireActor(request);
    const tenant = await findTenant(platform, actor, (request.params as { slug: string }).slug);
    peoplePolicy.authorize(actor, "invite", tenant);
    const body = (request.body ?? {}) as Body;
    const values = { email: str(body.email), displayName: str(body.displayName), roles: list(body.roles) };
    const parsed = invitationInput.safeParse(values);
    const result = parsed.success
      ? await invitePerson(platform, actor, tenant, parsed.data, request.t)
      : { ok: false as const, errors: fieldErrors(parsed.error, request.t) };
    if (!result.ok) {
      return reply.page(
        html`<${InvitePage} ctx=${ctx(request)} tenant=${tenant} roles=${rolesFor(tenant.kind)} values=${values} errors=${result.errors} />`,
        400,
      );
    }
    const t = request.t;
    // Roles that wait for a second person once accepted say so now (`role-confirmations.ts`).
    const asked = result.value.asked;
    const later = asked.length > 0 ? ` ${t("admin.people.invitedAsked", { roles: asked.map((r) => t(`roles.${r}`)).join(", ") })}` : "";
    return reply
      .flash({ kind: "success", message: `${t("admin.people.invited", { email: parsed.success ? parsed.data.email : values.email })}${later}` })
      .redirect(`/verwaltung/kommunen/${tenant.slug}/personen#einladungen`, 303);
  });

  /** A person's page: roles, and what accountPolicy lets this admin do to the account. */
  async function personPage(
    request: FastifyRequest,
    reply: FastifyReply,
    extra: { values?: string[]; errors?: FieldErrors; reset?: { values: { reason?: string; confirmed?: boolean }; errors: FieldErrors } } = {},
    status = 200,
  ) {
    const { actor } = requireActor(request);
    const { slug, userId } = request.params as { slug: string; userId: string };
    const tenant = await findTenant(platform, actor, slug);
    peoplePolicy.authorize(actor, "changeRoles", tenant);
    const { person, account } = await accountOf(platform, actor, tenant, userId);
    const asked = (await askedRoles(platform, actor, tenant)).filter((a) => a.userId === person.userId).map((a) => a.role);
    return reply.page(
      html`<${PersonPage} ctx=${ctx(request)} tenant=${tenant} person=${person} roles=${rolesFor(tenant.kind)} values=${extra.values ?? [...person.roles, ...asked]} asked=${asked}
        errors=${extra.errors ?? {}} can=${accountPolicy.serialize(actor, account)} reset=${extra.reset} />`,
      status,
    );
  }

  /** The account behind a person's address, for the account actions (NotFound when not allowed to see the person). */
  async function accountFor(request: FastifyRequest) {
    const { actor } = requireActor(request);
    const { slug, userId } = request.params as { slug: string; userId: string };
    const tenant = await findTenant(platform, actor, slug);
    peoplePolicy.authorize(actor, "changeRoles", tenant);
    return { actor, tenant, ...(await accountOf(platform, actor, tenant, userId)) };
  }

  app.get("/verwaltung/kommunen/:slug/personen/:userId", (request, reply) => personPage(request, reply));

  app.post("/verwaltung/kommunen/:slug/personen/:userId", async (request, reply) => {
    const { actor } = requireActor(request);
    const { slug, userId } = request.params as { slug: string; userId: string };
    const tenant = await findTenant(platform, actor, slug);
    peoplePolicy.authorize(actor, "changeRoles", tenant);
    const person = await findPerson(platform, actor, tenant, userId);
    const body = (request.body ?? {}) as Body;
    const values = list(body.roles);
    const parsed = rolesInput.safeParse({ roles: values });
    const result = parsed.success
      ? await setRoles(platform, actor, tenant, userId, parsed.data.roles as Role[], request.t)
      : { ok: false as const, errors: fieldErrors(parsed.error, request.t) };
    if (!result.ok) return personPage(request, reply, { values, errors: result.errors }, 400);
    const saved = result.value.asked.length > 0 ? "admin.people.rolesSavedAsked" : "admin.people.rolesSaved";
    const roles = result.value.asked.map((r) => request.t(`roles.${r}`)).join(", ");
    return reply
      .flash({ kind: "success", message: request.t(saved, { name: person.displayName, roles }) })
      .redirect(`/verwaltung/kommunen/${tenant.slug}/personen`, 303);
  });

  app.post("/verwaltung/kommunen/:slug/personen/:userId/zweiter-faktor", async (request, reply) => {
    const { actor, tenant, person, account } = await accountFor(request);
    accountPolicy.authorize(actor, "resetSecondFactor", account);
    const body = (request.body ?? {}) as Body;
    const values = { reason: str(body.reason), confirmed: list(body.confirmed).includes("yes") };
    const parsed = resetInput.safeParse(values);
    if (!parsed.success) return personPage(request, reply, { reset: { values, errors: fieldErrors(parsed.error, request.t) } }, 400);
    await resetPersonSecondFactor(platform, actor, account, parsed.data.reason);
    return reply
      .flash({ kind: "success", message: request.t("admin.people.reset.done", { name: person.displayName }) })
      .redirect(`/verwaltung/kommunen/${tenant.slug}/personen/${person.userId}`, 303);
  });

  for (const [path, status] of [
    ["sperren", "disabled"],
    ["entsperren", "active"],
  ] as const) {
    app.post(`/verwaltung/kommunen/:slug/personen/:userId/${path}`, async (request, reply) => {
      const { actor, tenant, person, account } = await accountFor(request);
      await setPersonAccountStatus(platform, actor, account, status);
      return reply
        .flash({
          kind: "success",
          message: request.t(status === "disabled" ? "admin.people.disable.done" : "admin.people.enable.done", { name: person.displayName }),
        })
        .redirect(`/verwaltung/kommunen/${tenant.slug}/personen/${person.userId}`, 303);
    });
  }

  app.post("/verwaltung/kommunen/:slug/personen/:userId/entfernen", async (request, reply) => {
    const { actor, tenant, person, account } = await accountFor(request);
    await removeFromTenant(platform, actor, account);
    return reply
      .flash({ kind: "success", message: request.t("admin.people.remove.done", { name: person.displayName, tenant: tenant.name }) })
      .redirect(`/verwaltung/kommunen/${tenant.slug}/personen`, 303);
  });
}
