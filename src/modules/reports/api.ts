import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { problemResponses } from "../../platform/http/errors.ts";
import type { Platform } from "../../platform/platform.ts";
import { createReport } from "./commands.ts";
import { anonymousClientKey } from "./routes.ts";
import { intakeSchema } from "./schemas.ts";
import { publicTenant } from "./tenants.ts";

/**
 * Public intake API, so a municipality can embed reporting elsewhere. Same validation and
 * storage as the form; anonymous reports get their receipt code in the answer, once.
 */
export function registerReportApi(app: FastifyInstance, platform: Platform) {
  app.withTypeProvider<ZodTypeProvider>().post(
    "/api/v1/tenants/:slug/reports",
    {
      config: { csrf: false, rateLimit: { max: platform.config.reportRateLimit, timeWindow: "1 minute", keyGenerator: anonymousClientKey } },
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
      const tenant = await publicTenant(platform, request.params.slug);
      const { language, ...answers } = request.body;
      const created = await createReport(
        platform,
        { id: tenant.id, slug: tenant.slug, name: tenant.name, kind: tenant.kind },
        { answers, lang: language, channel: "api" },
      );
      return reply.code(201).send({ data: { caseNumber: created.caseNumber, receiptCode: created.receiptCode } });
    },
  );
}
