import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { problemResponses } from "../../platform/http/errors.ts";
import { API_SECURITY, authenticated } from "../../platform/http/guards.ts";
import type { Platform } from "../../platform/platform.ts";
import { exportRows } from "./export-rows.ts";
import { loadFigures, releaseOut } from "./routes.ts";

const rowOut = z.object({
  year: z.int(),
  period: z.string().meta({
    description:
      "The year (2026), a quarter (2026-Q2) or a month (2026-05); a year under way by the quarters that are over (2026-Q1-Q3): sums count only those, the months of the quarter under way come one by one",
  }),
  scope: z.string().meta({ description: "DE (the country), a Land's two-digit code, model or platform; * for a municipality's own" }),
  dimension: z.string(),
  code: z.string(),
  value: z.int().nullable().meta({ description: "null: withheld (fewer than 5, or withheld so that such a figure cannot be worked out)" }),
  mean: z.number().nullable().meta({ description: "For feedback scores: the mean of the answers (1–5)" }),
});

/**
 * The Lagebild's figures under /api/v1: for the national team and the advisory board the national
 * ones, for a municipality's admins, clearing officers and leaders their own — the same figures,
 * withheld the same way, as the page and its downloads. With a personal API token (bearer) or a
 * session.
 */
export function registerLagebildApi(app: FastifyInstance, platform: Platform) {
  app.withTypeProvider<ZodTypeProvider>().get(
    "/api/v1/lagebild",
    {
      preValidation: authenticated,
      schema: {
        tags: ["lagebild"],
        operationId: "getLagebild",
        summary: "The situation picture's figures for a year or quarter, for the country, a Land or a kind of municipality",
        description:
          "The national figures for the national team and the advisory board; a municipality's own figures for its admins, clearing officers and leaders (the area is then ignored); 404 for anyone else. Unknown filter values fall back to the default: this year, the whole country.",
        security: API_SECURITY,
        querystring: z.object({
          jahr: z.string().max(8).optional().meta({ description: "Year, 2016 to this year" }),
          quartal: z.string().max(2).optional().meta({ description: "1–4, or 0 for the whole year" }),
          gebiet: z.string().max(12).optional().meta({ description: "DE, a Land's code (01–16), model or platform" }),
        }),
        response: {
          200: z
            .object({
              filter: z.object({ year: z.int(), quarter: z.int(), scope: z.string() }),
              period: z.string(),
              released: z
                .object({ at: z.string(), before: z.string() })
                .optional()
                .meta({ description: "National figures: when they were released, and the first month (YYYY-MM) they do not hold yet" }),
              rows: z.array(rowOut),
            })
            .meta({ description: "Every figure of the page for the filter" }),
          ...problemResponses(400, 401, 404),
        },
      },
    },
    async (request) => {
      const { figures } = await loadFigures(platform, request);
      return { filter: figures.filter, period: figures.period, ...releaseOut(figures), rows: exportRows(figures) };
    },
  );
}
