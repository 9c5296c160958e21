import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { AppError, problemResponses } from "../../platform/http/errors.ts";
import { API_SECURITY, authenticated, requireActor } from "../../platform/http/guards.ts";
import type { Platform } from "../../platform/platform.ts";
import { findTenant } from "../admin/index.ts";
import { auditCaseRead } from "./case-file.ts";
import { closureInput, releaseClosure, requestClosure } from "./closure.ts";
import { openCase } from "./commands.ts";
import { caseDossier, dossierInput } from "./dossier.ts";
import { CLOSURE_OUTCOMES, CONVERSATIONS, REFERRAL_STATUSES } from "./schema.ts";
import { addTask, taskInput } from "./tasks.ts";

/*
 * The case file through the API, for a municipality's own case or document system: one case with
 * its assessments, measures, the person's decisions, referrals with their consent, closure and
 * legal holds; adding a measure, closing (four eyes as on the page) and the evidence dossier.
 * The same commands and policies as the pages; every read of a case is audited.
 */

const security = API_SECURITY;
const errors = problemResponses(400, 401, 403, 404);
const params = z.object({
  slug: z.string().max(60).meta({ description: "The municipality's short name" }),
  number: z.string().max(40).meta({ description: "The case number" }),
});
const iso = (d: Date | null) => d?.toISOString() ?? null;

const caseFileOut = z.object({
  number: z.string(),
  status: z.string(),
  stage: z.string(),
  riskLevel: z.number().int().nullable(),
  assigneeId: z.uuid().nullable(),
  assessments: z.array(
    z.object({ level: z.number().int(), proposedLevel: z.number().int(), form: z.string(), criteria: z.array(z.string()), at: z.iso.datetime() }),
  ),
  tasks: z.array(
    z.object({
      id: z.uuid(),
      measure: z.string(),
      status: z.string(),
      ownerId: z.uuid().nullable(),
      entitled: z.string().nullable().meta({ description: "Strafantrag: whose application (affected, superior)" }),
      fromOn: z.iso.date().nullable(),
      dueOn: z.iso.date().nullable().meta({ description: "The legal deadline or the office's due date" }),
      outcome: z.string().nullable(),
    }),
  ),
  decisions: z
    .array(
      z.object({
        topic: z.string(),
        answer: z.string().nullable(),
        channel: z.string().nullable(),
        askedAt: z.iso.datetime(),
        answeredAt: z.iso.datetime().nullable(),
        revokedAt: z.iso.datetime().nullable(),
      }),
    )
    .meta({ description: "What the affected person was asked and answered" }),
  referrals: z.array(
    z.object({
      id: z.uuid(),
      partner: z.string().nullable(),
      categories: z.array(z.string()).meta({ description: "The data categories consented to" }),
      status: z.enum(REFERRAL_STATUSES),
      validUntil: z.iso.date(),
      consentAt: z.iso.datetime().nullable(),
      consentChannel: z.string().nullable(),
    }),
  ),
  closure: z
    .object({
      outcome: z.enum(CLOSURE_OUTCOMES),
      conversation: z.enum(CONVERSATIONS),
      decision: z.enum(["released", "returned"]).nullable().meta({ description: "null: waiting for a second officer's release" }),
      requestedAt: z.iso.datetime(),
      decidedAt: z.iso.datetime().nullable(),
    })
    .nullable(),
  legalHolds: z.array(z.object({ until: z.iso.date(), active: z.boolean() })),
});

export function registerCaseFileApi(app: FastifyInstance, platform: Platform) {
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.get(
    "/api/v1/tenants/:slug/cases/:number",
    {
      preValidation: authenticated,
      schema: {
        tags: ["cases"],
        operationId: "getCase",
        summary: "One case: assessments, measures, the person's decisions, referrals, closure, legal holds",
        description: "For the clearing office of the municipality (others: 404). Every read is in the audit log.",
        security,
        params,
        response: { 200: z.object({ data: caseFileOut }).meta({ description: "The case file" }), ...errors },
      },
    },
    async (request) => {
      const { actor } = requireActor(request);
      const tenant = await findTenant(platform, actor, request.params.slug);
      const kase = await openCase(platform, actor, tenant, request.params.number);
      const decisions = await auditCaseRead(platform, actor, tenant, kase);
      return {
        data: {
          number: kase.number,
          status: kase.status,
          stage: kase.stage,
          riskLevel: kase.riskLevel,
          assigneeId: kase.assigneeId,
          assessments: kase.assessments.map((a) => ({
            level: a.level,
            proposedLevel: a.proposedLevel,
            form: a.form,
            criteria: a.criteria,
            at: a.assessedAt.toISOString(),
          })),
          tasks: kase.tasks.map((t) => ({
            id: t.id,
            measure: t.measure,
            status: t.status,
            ownerId: t.ownerId,
            entitled: t.entitled,
            fromOn: t.fromOn,
            dueOn: t.dueOn,
            outcome: t.outcome,
          })),
          decisions: decisions.map((q) => ({
            topic: q.topic,
            answer: q.answer,
            channel: q.channel,
            askedAt: q.askedAt.toISOString(),
            answeredAt: iso(q.answeredAt),
            revokedAt: iso(q.revokedAt),
          })),
          referrals: kase.referrals.map((r) => ({
            id: r.id,
            partner: r.partnerName,
            categories: r.categories,
            status: r.status,
            validUntil: r.validUntil,
            consentAt: iso(r.consentAt),
            consentChannel: r.consentChannel,
          })),
          closure: kase.closure
            ? {
                outcome: kase.closure.outcome,
                conversation: kase.closure.conversation,
                decision: kase.closure.decision,
                requestedAt: kase.closure.requestedAt.toISOString(),
                decidedAt: iso(kase.closure.decidedAt),
              }
            : null,
          legalHolds: kase.holds.map((h) => ({ until: h.until, active: h.active })),
        },
      };
    },
  );

  api.post(
    "/api/v1/tenants/:slug/cases/:number/tasks",
    {
      preValidation: authenticated,
      schema: {
        tags: ["cases"],
        operationId: "addCaseTask",
        summary: "Decide a measure: a task with owner and due date; a Strafantrag per entitled person with its §77b deadline",
        description:
          "For who leads the case (403 for a colleague). A Strafantrag's due date is computed from `fromOn`, the day the person learned of the act and the perpetrator.",
        security,
        params,
        body: taskInput,
        response: {
          201: z.object({ data: z.object({ id: z.uuid(), dueOn: z.iso.date().nullable(), passed: z.boolean() }) }).meta({ description: "The measure" }),
          ...errors,
        },
      },
    },
    async (request, reply) => {
      const { actor } = requireActor(request);
      const tenant = await findTenant(platform, actor, request.params.slug);
      const result = await addTask(platform, actor, tenant, request.params.number, request.body);
      if (!result.ok) {
        const field: Record<string, string> =
          result.field === "entitled" ? { entitled: request.t("errors.cases.strafantragTwice") } : { ownerId: request.t("errors.cases.owner") };
        throw new AppError("validation_failed", undefined, field);
      }
      return reply.status(201).send({ data: { id: result.id, dueOn: result.dueOn, passed: result.passed } });
    },
  );

  api.post(
    "/api/v1/tenants/:slug/cases/:number/closure",
    {
      preValidation: authenticated,
      schema: {
        tags: ["cases"],
        operationId: "requestClosure",
        summary: "Close a case, or ask a second officer to release the closure (risk level 2 or 3)",
        security,
        params,
        body: closureInput,
        response: {
          200: z
            .object({ data: z.object({ released: z.boolean().meta({ description: "false: waiting for a second officer" }) }) })
            .meta({ description: "Done" }),
          ...errors,
        },
      },
    },
    async (request) => {
      const { actor } = requireActor(request);
      const tenant = await findTenant(platform, actor, request.params.slug);
      const result = await requestClosure(platform, actor, tenant, request.params.number, request.body);
      if (!result.ok)
        throw new AppError("validation_failed", undefined, { outcome: request.t(`errors.closure.${result.field}`, { count: result.count ?? 0 }) });
      return { data: { released: result.released } };
    },
  );

  api.post(
    "/api/v1/tenants/:slug/cases/:number/closure/release",
    {
      preValidation: authenticated,
      schema: {
        tags: ["cases"],
        operationId: "releaseClosure",
        summary: "Release a requested closure as the second officer (not the one who asked)",
        security,
        params,
        response: { 200: z.object({ data: z.object({ closed: z.literal(true) }) }).meta({ description: "The case is closed" }), ...errors },
      },
    },
    async (request) => {
      const { actor } = requireActor(request);
      const tenant = await findTenant(platform, actor, request.params.slug);
      const result = await releaseClosure(platform, actor, tenant, request.params.number);
      if (!result.ok)
        throw new AppError("validation_failed", request.t(`errors.closure.${result.reason === "openTasks" ? "openTasksRelease" : result.reason}`));
      return { data: { closed: true as const } };
    },
  );

  api.post(
    "/api/v1/tenants/:slug/cases/:number/dossier",
    {
      preValidation: authenticated,
      schema: {
        tags: ["cases"],
        operationId: "caseDossier",
        summary: "The evidence dossier as PDF: the case's key facts and the chosen parts only",
        description:
          "Parts: account, contact, evidence (with both checksums), timeline, messages. The PDF comes base64-encoded in the JSON answer, like every answer of this API. Every dossier is in the audit log.",
        security,
        params,
        body: dossierInput,
        response: {
          200: z
            .object({
              data: z.object({
                fileName: z.string(),
                contentType: z.literal("application/pdf"),
                base64: z.string().meta({ description: "The PDF, base64-encoded" }),
              }),
            })
            .meta({ description: "The dossier" }),
          ...errors,
        },
      },
    },
    async (request, reply) => {
      const { actor } = requireActor(request);
      const tenant = await findTenant(platform, actor, request.params.slug);
      const pdf = await caseDossier(platform, actor, tenant, request.params.number, request.body, request.t, request.lang);
      reply.header("cache-control", "private, no-store");
      return { data: { fileName: `dossier-${request.params.number}.pdf`, contentType: "application/pdf" as const, base64: pdf.toString("base64") } };
    },
  );
}
