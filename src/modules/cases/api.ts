import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { AppError, problemResponses } from "../../platform/http/errors.ts";
import { API_SECURITY, authenticated, requireActor } from "../../platform/http/guards.ts";
import type { Platform } from "../../platform/platform.ts";
import { CLEARING_STAGES, INCIDENT_FORMS, PERCEIVED_MOTIVES } from "../../platform/vocabulary.ts";
import { findTenant } from "../admin/index.ts";
import { assignCase, inbox, openCase } from "./commands.ts";
import { COUNT_BOUND, INBOX_SORTS, INBOX_VIEWS, PAGE_SIZE, parseInboxQuery } from "./inbox-query.ts";
import { CASE_STATUSES } from "./schema.ts";

const casePolicies = z
  .object({ read: z.boolean(), assign: z.boolean(), work: z.boolean().meta({ description: "Assess the risk, decide and update measures" }) })
  .meta({ description: "What the caller may do with this case" });
const caseOut = z.object({
  id: z.uuid(),
  number: z.string().meta({ description: "The number the reporter was given, e.g. MUS-2026-0042" }),
  status: z.enum(CASE_STATUSES),
  assigneeId: z.uuid().nullable().meta({ description: "The clearing officer who leads the case" }),
  channel: z.string(),
  mode: z.enum(["named", "confidential", "anonymous"]),
  immediateDanger: z.boolean(),
  stage: z.enum(CLEARING_STAGES),
  riskLevel: z.number().int().min(0).max(3).nullable().meta({ description: "The level of the latest risk assessment; null before the first" }),
  forms: z.array(z.string()).meta({ description: "The forms of the incident the report names (codes)" }),
  motives: z.array(z.string()).meta({ description: "The perceived motives the report names (codes)" }),
  tags: z.array(z.string()).meta({ description: "The clearing office's own keywords" }),
  respondBy: z.iso.datetime().nullable().meta({ description: "When the office should have responded first" }),
  firstResponseAt: z.iso.datetime().nullable(),
  nextDueOn: z.iso.date().nullable().meta({ description: "The earliest due date of the case's open measures" }),
  openedAt: z.iso.datetime(),
  unreadMessages: z.number().int(),
  policies: casePolicies,
});
const inboxQuery = z.object({
  ansicht: z.enum(INBOX_VIEWS).optional().meta({ description: "open (default), mine, unassigned, overdue, closed or all" }),
  stufe: z.enum(["0", "1", "2", "3"]).optional().meta({ description: "Only cases at this risk level" }),
  phase: z.enum(CLEARING_STAGES).optional(),
  form: z.enum(INCIDENT_FORMS).optional(),
  motiv: z.enum(PERCEIVED_MOTIVES).optional(),
  suche: z.string().max(100).optional().meta({ description: "Part of a case number or of one of the office's tags" }),
  sortierung: z.enum(INBOX_SORTS).optional().meta({ description: "newest (default), oldest, level or due" }),
  seite: z
    .string()
    .regex(/^\d{1,6}$/)
    .optional()
    .meta({ description: `Page (${PAGE_SIZE} cases each), from 1` }),
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
        querystring: inboxQuery,
        response: {
          200: z
            .object({
              data: z.array(caseOut),
              total: z
                .number()
                .int()
                .meta({ description: `How many cases match, counted up to ${COUNT_BOUND}` }),
              more: z.boolean().meta({ description: `More than ${COUNT_BOUND} cases match: narrow the filter` }),
              page: z.number().int(),
              pageSize: z.number().int(),
            })
            .meta({ description: "One page of the cases the caller may read" }),
          ...errors,
        },
      },
    },
    async (request) => {
      const { actor } = requireActor(request);
      const tenant = await findTenant(platform, actor, request.params.slug);
      const page = await inbox(platform, actor, tenant, parseInboxQuery(request.query), { officers: false });
      return {
        total: page.total,
        more: page.more,
        page: page.query.page,
        pageSize: PAGE_SIZE,
        data: page.rows.map((r) => ({
          id: r.id,
          number: r.number,
          status: r.status,
          assigneeId: r.assigneeId,
          channel: r.channel,
          mode: r.mode as "named" | "confidential" | "anonymous",
          immediateDanger: r.immediateDanger,
          stage: r.stage,
          riskLevel: r.riskLevel,
          forms: r.forms,
          motives: r.motives,
          tags: r.tags,
          respondBy: r.respondBy?.toISOString() ?? null,
          firstResponseAt: r.firstResponseAt?.toISOString() ?? null,
          nextDueOn: r.nextDueOn,
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
