import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { ROLES } from "../../platform/authz/policy.ts";
import { AppError, problemResponses } from "../../platform/http/errors.ts";
import { API_SECURITY, authenticated, requireActor } from "../../platform/http/guards.ts";
import type { Platform } from "../../platform/platform.ts";
import { createTenant, findTenant, listPeople, listTenants, type TenantRow } from "./commands.ts";
import { invitePerson } from "./invitations.ts";
import { peoplePolicy, tenantPolicy } from "./policy.ts";
import { invitationInput, tenantInput } from "./schemas.ts";

const tenantOut = z.object({
  id: z.uuid(),
  slug: z.string(),
  name: z.string(),
  kind: z.enum(["national", "model", "platform"]),
  ags: z.string().nullable().meta({ description: "Amtlicher Gemeindeschlüssel (8 digits)" }),
  land: z.string().nullable().meta({ description: "Two-digit code of the Land" }),
});
const tenantPolicies = z.object({ read: z.boolean(), update: z.boolean() }).meta({ description: "What the caller may do with this municipality" });
const personOut = z.object({ userId: z.uuid(), displayName: z.string(), email: z.string(), status: z.string(), roles: z.array(z.enum(ROLES)) });
const errors = problemResponses(400, 401, 403, 404);
const security = API_SECURITY;
const slugParams = z.object({ slug: z.string().max(60).meta({ description: "The municipality's short name" }) });

function tenantData(t: TenantRow) {
  return { id: t.id, slug: t.slug, name: t.name, kind: t.kind, ags: t.ags, land: t.land };
}

/** JSON API of the admin module under /api/v1. */
export function registerAdminApi(app: FastifyInstance, platform: Platform) {
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.get(
    "/api/v1/me",
    {
      preValidation: authenticated,
      schema: {
        tags: ["account"],
        operationId: "getMe",
        summary: "The signed-in person and their memberships",
        security,
        response: {
          200: z
            .object({
              data: z.object({
                id: z.uuid(),
                displayName: z.string(),
                email: z.string(),
                memberships: z.array(z.object({ tenantId: z.uuid(), role: z.enum(ROLES) })),
              }),
            })
            .meta({ description: "The signed-in person" }),
          ...problemResponses(401),
        },
      },
    },
    async (request) => {
      const { actor, user } = requireActor(request);
      return { data: { id: user.id, displayName: user.displayName, email: user.email, memberships: actor.memberships } };
    },
  );

  api.get(
    "/api/v1/tenants",
    {
      preValidation: authenticated,
      schema: {
        tags: ["tenants"],
        operationId: "listTenants",
        summary: "List municipalities (national admins)",
        security,
        querystring: z.object({ q: z.string().max(100).optional().meta({ description: "Part of the name, slug or AGS" }) }),
        response: {
          200: z.object({ data: z.array(tenantOut), policies: z.object({ create: z.boolean() }) }).meta({ description: "The municipalities that match" }),
          ...errors,
        },
      },
    },
    async (request) => {
      const { actor } = requireActor(request);
      const rows = await listTenants(platform, actor, request.query.q ?? "");
      return { data: rows.map(tenantData), policies: { create: tenantPolicy.can(actor, "create", null) } };
    },
  );

  api.post(
    "/api/v1/tenants",
    {
      preValidation: authenticated,
      schema: {
        tags: ["tenants"],
        operationId: "createTenant",
        summary: "Create a municipality (national admins)",
        description: "The AGS must begin with the Land's code; slug and AGS must be unused (else 409).",
        security,
        body: tenantInput,
        response: { 201: z.object({ data: tenantOut }).meta({ description: "The municipality was created" }), ...errors, ...problemResponses(409) },
      },
    },
    async (request, reply) => {
      const { actor } = requireActor(request);
      tenantPolicy.authorize(actor, "create", null);
      const result = await createTenant(platform, actor, request.body, request.t);
      if (!result.ok) throw new AppError("conflict", undefined, result.errors);
      return reply.code(201).send({ data: tenantData(result.value) });
    },
  );

  api.get(
    "/api/v1/tenants/:slug",
    {
      preValidation: authenticated,
      schema: {
        tags: ["tenants"],
        operationId: "getTenant",
        summary: "One municipality",
        security,
        params: slugParams,
        response: { 200: z.object({ data: tenantOut, policies: tenantPolicies }).meta({ description: "The municipality" }), ...errors },
      },
    },
    async (request) => {
      const { actor } = requireActor(request);
      const tenant = await findTenant(platform, actor, request.params.slug);
      const p = tenantPolicy.serialize(actor, tenant);
      return { data: tenantData(tenant), policies: { read: p.read, update: p.update } };
    },
  );

  api.get(
    "/api/v1/tenants/:slug/people",
    {
      preValidation: authenticated,
      schema: {
        tags: ["people"],
        operationId: "listPeople",
        summary: "People of a municipality and their roles (municipal and national admins)",
        security,
        params: slugParams,
        response: {
          200: z
            .object({ data: z.array(personOut), policies: z.object({ invite: z.boolean(), changeRoles: z.boolean() }) })
            .meta({ description: "The people and what the caller may do with them" }),
          ...errors,
        },
      },
    },
    async (request) => {
      const { actor } = requireActor(request);
      const tenant = await findTenant(platform, actor, request.params.slug);
      const people = await listPeople(platform, actor, tenant);
      const p = peoplePolicy.serialize(actor, tenant);
      return { data: people, policies: { invite: p.invite, changeRoles: p.changeRoles } };
    },
  );

  api.post(
    "/api/v1/tenants/:slug/invitations",
    {
      preValidation: authenticated,
      schema: {
        tags: ["people"],
        operationId: "invitePerson",
        summary:
          "Invite a person with roles: the address receives a link, and the roles apply once the person accepts (the clearing office's, given by a municipal admin, once a second person confirms it)",
        security,
        params: slugParams,
        body: invitationInput,
        response: {
          201: z
            .object({ data: z.object({ invitationId: z.uuid(), expiresAt: z.iso.datetime() }) })
            .meta({ description: "The invitation is pending until the person accepts it; the answer is the same for every address" }),
          ...errors,
          ...problemResponses(409),
        },
      },
    },
    async (request, reply) => {
      const { actor } = requireActor(request);
      const tenant = await findTenant(platform, actor, request.params.slug);
      peoplePolicy.authorize(actor, "invite", tenant);
      const result = await invitePerson(platform, actor, tenant, request.body, request.t);
      if (!result.ok) throw new AppError(result.errors.email ? "conflict" : "validation_failed", undefined, result.errors);
      return reply.code(201).send({ data: { invitationId: result.value.invitationId, expiresAt: result.value.expiresAt.toISOString() } });
    },
  );
}
