import type { FastifyInstance, FastifyRequest } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { AppError, problemResponses } from "../../platform/http/errors.ts";
import { RATE_LIMIT_PURPOSE, routeLimitKey } from "../../platform/http/rate-limit-store.ts";
import type { Platform } from "../../platform/platform.ts";
import { createReport, INTAKE_WINDOW_MS } from "./commands.ts";
import { anonymousClientKey } from "./public-flow.ts";
import { intakeSchema } from "./schemas.ts";
import { publicTenant } from "./tenants.ts";

const ROUTE = "/api/v1/tenants/:slug/reports";

/**
 * Public intake API, so a municipality can embed reporting elsewhere. Same validation and
 * storage as the form; anonymous reports get their receipt code in the answer, once.
 *
 * Each client may send `REPORT_RATE_LIMIT` requests a minute. A report is counted in the intake's
 * own statement (one round trip); a request that stores nothing (invalid, or for no municipality)
 * is counted on its own, and over the limit it too is refused.
 */
export function registerReportApi(app: FastifyInstance, platform: Platform) {
  const max = platform.config.reportRateLimit;
  const clientKey = (request: FastifyRequest) => routeLimitKey(`POST ${ROUTE}`, anonymousClientKey(request));
  async function countRefused(request: FastifyRequest): Promise<void> {
    const { total, msLeft } = await platform.counters.add(RATE_LIMIT_PURPOSE, clientKey(request), INTAKE_WINDOW_MS);
    if (total > max) throw AppError.rateLimited(msLeft / 1000);
  }
  app.withTypeProvider<ZodTypeProvider>().post(
    ROUTE,
    {
      config: { csrf: false },
      // JSON only: a multipart body (which the scope's upload handling would spool) is refused before a byte is read.
      onRequest: async (request) => {
        if (/^\s*multipart\//i.test(String(request.headers["content-type"] ?? ""))) throw new AppError("unsupported_media_type", request.t("errors.jsonOnly"));
      },
      attachValidation: true,
      schema: {
        tags: ["reports"],
        operationId: "submitReport",
        summary: "Submit a report (no account needed)",
        description:
          "Only `description` and `mode` are required; `named` and `confidential` reports also need `contactEmail` or `contactPhone`. An anonymous report's receipt code is in the answer, once: it is the only way to follow the report up.",
        params: z.object({ slug: z.string().max(60).meta({ description: "The municipality's short name, as in its reporting address" }) }),
        // The same schema the web form's steps are built from: the document shows what the server checks.
        body: intakeSchema,
        response: {
          201: z
            .object({
              data: z.object({
                caseNumber: z.string().meta({ description: "The case number the clearing office uses" }),
                receiptCode: z.string().nullable().meta({ description: "Only for anonymous reports: the code to look the report up later" }),
              }),
            })
            .meta({ description: "The report was stored" }),
          ...problemResponses(400, 404, 413, 415, 429),
        },
      },
    },
    async (request, reply) => {
      if (request.validationError) {
        await countRefused(request);
        throw request.validationError;
      }
      const tenant = await publicTenant(platform, request.params.slug).catch(async (err: unknown) => {
        await countRefused(request);
        throw err;
      });
      const { language, ...answers } = request.body;
      const created = await createReport(
        platform,
        { id: tenant.id, slug: tenant.slug, name: tenant.name, kind: tenant.kind },
        { answers, lang: language, channel: "api", rateLimit: { key: clientKey(request), max } },
      );
      return reply.code(201).send({ data: { caseNumber: created.caseNumber, receiptCode: created.receiptCode } });
    },
  );
}
