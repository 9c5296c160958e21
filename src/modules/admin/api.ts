import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { ROLES, type Role } from "../../platform/authz/policy.ts";
import { AppError, fieldErrors, problemSchema } from "../../platform/http/errors.ts";
import { requireActor } from "../../platform/http/guards.ts";
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
  ags: z.string().nullable(),
  land: z.string().nullable(),
});
const tenantPolicies = z.object({ read: z.boolean(), update: z.boolean() });
const personOut = z.object({ userId: z.uuid(), displayName: z.string(), email: z.string(), status: z.string(), roles: z.array(z.enum(ROLES)) });
const errors = { 400: problemSchema, 401: problemSchema, 404: problemSchema };
const security: Record<string, string[]>[] = [{ bearerAuth: [] }, { sessionCookie: [] }];
const slugParams = z.object({ slug: z.string().max(60) });

function tenantData(t: TenantRow) {
  return { id: t.id, slug: t.slug, name: t.name, kind: t.kind, ags: t.ags, land: t.land };
}

/** Validation failures inside commands become problem documents with field errors. */
function invalid(errs: Record<string, string>): never {
  throw new AppError("validation_failed", undefined, errs);
}

/** JSON API of the admin module under /api/v1. */
export function registerAdminApi(app: FastifyInstance, platform: Platform) {
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.get(
    "/api/v1/me",
    {
      schema: {
        tags: ["account"],
        summary: "The signed-in person and their memberships",
        security,
        response: {
          200: z.object({
            data: z.object({
              id: z.uuid(),
              displayName: z.string(),
              email: z.string(),
              memberships: z.array(z.object({ tenantId: z.uuid(), role: z.enum(ROLES) })),
            }),
          }),
          401: problemSchema,
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
      schema: {
        tags: ["tenants"],
        summary: "List municipalities (national admins)",
        security,
        querystring: z.object({ q: z.string().max(100).optional() }),
        response: { 200: z.object({ data: z.array(tenantOut), policies: z.object({ create: z.boolean() }) }), ...errors },
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
      schema: {
        tags: ["tenants"],
        summary: "Create a municipality (national admins)",
        security,
        body: z.object({ name: z.string(), slug: z.string(), ags: z.string(), land: z.string(), kind: z.enum(["model", "platform"]) }),
        response: { 201: z.object({ data: tenantOut }), 409: problemSchema, ...errors },
      },
    },
    async (request, reply) => {
      const { actor } = requireActor(request);
      tenantPolicy.authorize(actor, "create", null);
      const parsed = tenantInput.safeParse(request.body);
      if (!parsed.success) invalid(fieldErrors(parsed.error, request.t));
      const result = await createTenant(platform, actor, parsed.data, request.t);
      if (!result.ok) throw new AppError("conflict", undefined, result.errors);
      return reply.code(201).send({ data: tenantData(result.value) });
    },
  );

  api.get(
    "/api/v1/tenants/:slug",
    {
      schema: {
        tags: ["tenants"],
        summary: "One municipality",
        security,
        params: slugParams,
        response: { 200: z.object({ data: tenantOut, policies: tenantPolicies }), ...errors },
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
      schema: {
        tags: ["people"],
        summary: "People of a municipality and their roles (municipal and national admins)",
        security,
        params: slugParams,
        response: { 200: z.object({ data: z.array(personOut), policies: z.object({ invite: z.boolean(), changeRoles: z.boolean() }) }), ...errors },
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
      schema: {
        tags: ["people"],
        summary: "Invite a person with roles: the address receives a link, and the roles apply once the person accepts",
        security,
        params: slugParams,
        body: z.object({ email: z.string(), displayName: z.string(), roles: z.array(z.string()) }),
        response: { 201: z.object({ data: z.object({ invitationId: z.uuid(), expiresAt: z.iso.datetime() }) }), 409: problemSchema, ...errors },
      },
    },
    async (request, reply) => {
      const { actor } = requireActor(request);
      const tenant = await findTenant(platform, actor, request.params.slug);
      peoplePolicy.authorize(actor, "invite", tenant);
      const parsed = invitationInput.safeParse(request.body);
      if (!parsed.success) invalid(fieldErrors(parsed.error, request.t));
      const result = await invitePerson(platform, actor, tenant, { ...parsed.data, roles: parsed.data.roles as Role[] }, request.t);
      if (!result.ok) throw new AppError(result.errors.email ? "conflict" : "validation_failed", undefined, result.errors);
      return reply.code(201).send({ data: { invitationId: result.value.invitationId, expiresAt: result.value.expiresAt.toISOString() } });
    },
  );
}
