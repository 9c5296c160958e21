import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { AppError, fieldErrors, problemSchema } from "../../platform/http/errors.ts";
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
        summary: "Submit a report (no account needed). Only `description` and either contact details or `mode: anonymous` are required.",
        params: z.object({ slug: z.string().max(60) }),
        body: z.record(z.string(), z.unknown()),
        response: {
          201: z.object({ data: z.object({ caseNumber: z.string(), receiptCode: z.string().nullable() }) }),
          400: problemSchema,
          404: problemSchema,
          429: problemSchema,
        },
      },
    },
    async (request, reply) => {
      const tenant = await publicTenant(platform, request.params.slug);
      const parsed = intakeSchema.safeParse(request.body);
      if (!parsed.success) throw new AppError("validation_failed", undefined, fieldErrors(parsed.error, request.t));
      const { language, ...answers } = parsed.data;
      const created = await createReport(
        platform,
        { id: tenant.id, slug: tenant.slug, name: tenant.name, kind: tenant.kind },
        { answers, lang: language, channel: "api" },
      );
      return reply.code(201).send({ data: { caseNumber: created.caseNumber, receiptCode: created.receiptCode } });
    },
  );
}
