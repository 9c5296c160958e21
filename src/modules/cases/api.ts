import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { AppError, problemResponses } from "../../platform/http/errors.ts";
import { API_SECURITY, authenticated, requireActor } from "../../platform/http/guards.ts";
import type { Platform } from "../../platform/platform.ts";
import { findTenant } from "../admin/index.ts";
import { assignCase, inbox, openCase } from "./commands.ts";
import { CASE_STATUSES } from "./schema.ts";

const casePolicies = z.object({ read: z.boolean(), assign: z.boolean() }).meta({ description: "What the caller may do with this case" });
const caseOut = z.object({
  id: z.uuid(),
  number: z.string().meta({ description: "The number the reporter was given, e.g. MUS-2026-0042" }),
  status: z.enum(CASE_STATUSES),
  assigneeId: z.uuid().nullable().meta({ description: "The clearing officer who leads the case" }),
  channel: z.string(),
  mode: z.enum(["named", "confidential", "anonymous"]),
  immediateDanger: z.boolean(),
  openedAt: z.iso.datetime(),
  unreadMessages: z.number().int(),
  policies: casePolicies,
});
const security = API_SECURITY;
const errors = problemResponses(400, 401, 403, 404);
const slugParams = z.object({ slug: z.string().max(60).meta({ description: "The municipality's short name" }) });
const caseParams = slugParams.extend({ number: z.string().max(40).meta({ description: "The case number" }) });

/** JSON API of the cases module under /api/v1. */
export function registerCaseApi(app: FastifyInstance, platform: Platform) {
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.get(
    "/api/v1/tenants/:slug/cases",
    {
      preValidation: authenticated,
      schema: {
        tags: ["cases"],
        operationId: "listCases",
        summary: "The clearing office's cases, newest first, each with what the caller may do with it",
        security,
        params: slugParams,
        response: { 200: z.object({ data: z.array(caseOut) }).meta({ description: "The cases the caller may read" }), ...errors },
      },
    },
    async (request) => {
      const { actor } = requireActor(request);
      const tenant = await findTenant(platform, actor, request.params.slug);
      const rows = await inbox(platform, actor, tenant);
      return {
        data: rows.map((r) => ({
          id: r.id,
          number: r.number,
          status: r.status,
          assigneeId: r.assigneeId,
          channel: r.channel,
          mode: r.mode as "named" | "confidential" | "anonymous",
          immediateDanger: r.immediateDanger,
          openedAt: r.openedAt.toISOString(),
          unreadMessages: r.unreadMessages,
          policies: r.policies,
        })),
      };
    },
  );

  api.put(
    "/api/v1/tenants/:slug/cases/:number/assignee",
    {
      preValidation: authenticated,
      schema: {
        tags: ["cases"],
        operationId: "assignCase",
        summary: "Hand a case to a clearing officer of the municipality, or release it (null)",
        description:
          "Allowed to the officer who leads the case, and to any clearing officer while nobody leads it or once its lead has left the office (else 403).",
        security,
        params: caseParams,
        body: z.object({ assigneeId: z.uuid().nullable() }),
        response: {
          200: z
            .object({ data: z.object({ number: z.string(), assigneeId: z.uuid().nullable(), policies: casePolicies }) })
            .meta({ description: "The case's lead" }),
          ...errors,
        },
      },
    },
    async (request) => {
      const { actor } = requireActor(request);
      const tenant = await findTenant(platform, actor, request.params.slug);
      const result = await assignCase(platform, actor, tenant, request.params.number, request.body.assigneeId);
      if (!result.ok) throw new AppError("validation_failed", undefined, { assigneeId: request.t("cases.notAnOfficer") });
      const kase = await openCase(platform, actor, tenant, request.params.number);
      return { data: { number: kase.number, assigneeId: kase.assigneeId, policies: kase.policies } };
    },
  );
}
