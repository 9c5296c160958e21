import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { AppError, problemResponses } from "../../platform/http/errors.ts";
import { API_SECURITY, authenticated } from "../../platform/http/guards.ts";
import type { Platform } from "../../platform/platform.ts";
import { DIMENSIONS, type Dimension } from "./dimensions.ts";
import { type ExportRow, exportNote, exportRows } from "./export-rows.ts";
import { otherYearAsked, SCOPES } from "./figures.ts";
import { loadFigures, releaseOut } from "./routes.ts";

const rowOut = z.object({
  year: z.int(),
  period: z.string().meta({
    description:
      "The year (2026), a quarter (2026-Q2) or a month (2026-05); a year under way by the quarters that are over (2026-Q1-Q3): sums count only those, the months of the quarter under way come one by one",
  }),
  scope: z.string().meta({ description: "DE (the country), a Land's two-digit code, model or platform; * for a municipality's own" }),
  dimension: z.enum(Object.keys(DIMENSIONS) as [Dimension, ...Dimension[]]).meta({
    description:
      "incidents and closed: totals; form, motive, place, channel, function, pmk_area, pmk_hate, pmk_target: reports by category (month of the report); level, outcome, response, strafantrag, measure: closed cases by category (month of the closing); feedback: the affected people's answers; training_reach, training_topic, strategy_score, adoption: trainings, self-assessments and adopted practices",
  }),
  code: z.string().meta({ description: "The category's code (all for a total); the page and the CSV name it in words" }),
  value: z.int().nullable().meta({
    description:
      "The count (for feedback the number of answers, for strategy_score the number of self-assessments: each municipality's latest of a month); null: withheld (fewer than 5, or withheld so that such a figure cannot be worked out)",
  }),
  mean: z.number().nullable().meta({
    description: "feedback: the mean answer (1–5); strategy_score: the mean self-assessment (0–100); one decimal; null where not shown (see note)",
  }),
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
          "The national figures for the national team and the advisory board; a municipality's own figures for its admins, clearing officers and leaders (who give no area: one answers 400); 404 for anyone else. Without a filter: this year, the whole country. A filter the figures do not offer (a year without figures, a quarter 7, an unknown area) answers 400 and names the field.",
        security: API_SECURITY,
        querystring: z.object({
          jahr: z
            .string()
            .regex(/^\d{4}$/, "errors.lagebild.year")
            .optional()
            .meta({ description: "Year: this year, or an earlier one from 2016 that has figures" }),
          quartal: z.enum(["0", "1", "2", "3", "4"], "errors.lagebild.quarter").optional().meta({ description: "1–4, or 0 for the whole year" }),
          gebiet: z
            .enum(SCOPES as [string, ...string[]], "errors.lagebild.area")
            .optional()
            .meta({ description: "DE, a Land's code (01–16), model or platform" }),
        }),
        response: {
          200: z
            .object({
              filter: z.object({ year: z.int(), quarter: z.int(), scope: z.string() }),
              period: z.string(),
              note: z.string().meta({ description: "What null means in the rows" }),
              released: z.object({ at: z.string(), before: z.string() }).optional().meta({
                description: "When the figures (national, or a municipality's own) were released, and the first month (YYYY-MM) they do not hold yet",
              }),
              rows: z.array(rowOut),
            })
            .meta({ description: "Every figure of the page for the filter" }),
          ...problemResponses(400, 401, 404),
        },
      },
    },
    async (request) => {
      const { figures, years, national } = await loadFigures(platform, request);
      // A municipality's own figures have no area to choose: a program asking for one would take them for the area's.
      if (!national && request.query.gebiet !== undefined) throw new AppError("validation_failed", undefined, { gebiet: request.t("errors.lagebild.areaOwn") });
      if (otherYearAsked(request.query, figures.filter))
        throw new AppError("validation_failed", undefined, { jahr: request.t("errors.lagebild.noYear", { years: years.join(", ") }) });
      return {
        filter: figures.filter,
        period: figures.period,
        ...releaseOut(figures),
        note: exportNote(request.t, national),
        rows: exportRows(figures) as (ExportRow & { dimension: Dimension })[],
      };
    },
  );
}
