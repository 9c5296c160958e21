import type { FastifyInstance, FastifyRequest } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { problemResponses } from "../../platform/http/errors.ts";
import { API_SECURITY, authenticated, requireActor, requireTenant } from "../../platform/http/guards.ts";
import type { Platform } from "../../platform/platform.ts";
import { adoptPractice } from "./adoption.ts";
import { practicePage, type TenantRef } from "./library.ts";
import { DIMENSIONS, PRACTICE_KINDS, VISIBILITIES } from "./schema.ts";
import { parseLibraryQuery, searchLibrary } from "./search.ts";
import { transfer } from "./transfer.ts";

const hitOut = z.object({
  id: z.uuid(),
  title: z.string(),
  summary: z.string(),
  kind: z.enum(PRACTICE_KINDS),
  tags: z.array(z.string()),
  municipality: z.string().meta({ description: "Who wrote it" }),
  snippet: z.string().meta({ description: "Words around what was found, plain text" }),
  similar: z.boolean().meta({ description: "Found by a similar spelling of the title, not by the words" }),
});
const practiceOut = z.object({
  id: z.uuid(),
  title: z.string(),
  summary: z.string(),
  body: z.string(),
  kind: z.enum(PRACTICE_KINDS),
  tags: z.array(z.string()),
  dimensions: z.array(z.enum(DIMENSIONS)),
  visibility: z.enum(VISIBILITIES),
  status: z.enum(["draft", "in_review", "published"]),
  version: z.int(),
  publishedVersion: z.int().nullable(),
  municipality: z.string(),
  originId: z.uuid().nullable().meta({ description: "The practice this one was adopted from" }),
  originVersion: z.int().nullable(),
  adoptions: z
    .array(z.object({ municipality: z.string(), adoptedAt: z.iso.datetime(), score: z.int().nullable(), text: z.string().nullable() }))
    .meta({ description: "Who adopted it and what they said: for its own municipality and the national level, otherwise empty" }),
  policies: z.record(z.string(), z.boolean()),
});
const errors = problemResponses(400, 401, 404);

/** JSON API of the library under /api/v1: search and a practice for everyone who may read them, adoption for municipalities' admins, the transfer for the national level. */
export function registerLibraryApi(app: FastifyInstance, platform: Platform) {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const viewerOf = (request: FastifyRequest): TenantRef | null =>
    request.actor && request.currentTenant ? { id: request.currentTenant.id, kind: request.currentTenant.kind } : null;

  api.get(
    "/api/v1/knowledge/practices",
    {
      schema: {
        tags: ["knowledge"],
        operationId: "searchPractices",
        summary: "Search the good-practice library in German (word forms, umlauts typed as ae/oe/ue, typos in short queries)",
        description: "Without credentials the public practices; with them also those published for the network. The thirty best, best first.",
        security: [{}, ...API_SECURITY],
        querystring: z.object({
          suche: z.string().max(200).optional().meta({ description: "Words to search for" }),
          art: z.enum(PRACTICE_KINDS).optional(),
          dimension: z.enum(DIMENSIONS).optional(),
          schlagwort: z.string().max(60).optional(),
        }),
        response: {
          200: z.object({ data: z.array(hitOut), tags: z.array(z.object({ tag: z.string(), n: z.int() })) }).meta({ description: "What was found" }),
          ...errors,
        },
      },
    },
    async (request) => {
      const result = await searchLibrary(platform, request.actor, viewerOf(request), parseLibraryQuery(request.query));
      return {
        data: result.hits.map((h) => ({
          id: h.id,
          title: h.title,
          summary: h.summary,
          kind: h.kind,
          tags: h.tags,
          municipality: h.tenantName,
          snippet: h.snippet.join(""),
          similar: h.similar,
        })),
        tags: result.tags,
      };
    },
  );

  api.get(
    "/api/v1/knowledge/practices/:id",
    {
      schema: {
        tags: ["knowledge"],
        operationId: "getPractice",
        summary: "One practice, with what the caller may do with it",
        description: "A practice the caller may not read answers 404, like one that does not exist.",
        security: [{}, ...API_SECURITY],
        params: z.object({ id: z.string().max(40) }),
        response: { 200: practiceOut.meta({ description: "The practice" }), ...errors },
      },
    },
    async (request) => {
      const page = await practicePage(platform, request.actor, viewerOf(request), request.params.id);
      const p = page.practice;
      return {
        id: p.id,
        title: p.title,
        summary: p.summary,
        body: p.body,
        kind: p.kind,
        tags: p.tags,
        dimensions: p.dimensions,
        visibility: p.visibility,
        status: p.status,
        version: p.version,
        publishedVersion: p.publishedVersion,
        municipality: p.tenantName,
        originId: p.originId,
        originVersion: p.originVersion,
        adoptions: page.adoptions.map((a) => ({ municipality: a.tenantName, adoptedAt: a.adoptedAt.toISOString(), score: a.score, text: a.text })),
        policies: page.policies,
      };
    },
  );

  api.post(
    "/api/v1/knowledge/practices/:id/adoptions",
    {
      preValidation: authenticated,
      schema: {
        tags: ["knowledge"],
        operationId: "adoptPractice",
        summary: "Take another municipality's published practice into the caller's municipality as a linked copy (a draft for itself)",
        description:
          "For the admins of a municipality other than the practice's (else 404). Adopting twice gives the same copy (200 instead of 201). The adoption is recorded for the transfer view.",
        security: API_SECURITY,
        params: z.object({ id: z.string().max(40) }),
        response: {
          201: z.object({ data: z.object({ copyId: z.uuid(), created: z.boolean() }) }).meta({ description: "The copy, made now" }),
          200: z.object({ data: z.object({ copyId: z.uuid(), created: z.boolean() }) }).meta({ description: "The copy made earlier" }),
          ...errors,
        },
      },
    },
    async (request, reply) => {
      const { actor } = requireActor(request);
      const tenant = requireTenant(request);
      const result = await adoptPractice(platform, actor, { id: tenant.id, kind: tenant.kind }, request.params.id);
      return reply.code(result.created ? 201 : 200).send({ data: result });
    },
  );

  api.get(
    "/api/v1/knowledge/transfer",
    {
      preValidation: authenticated,
      schema: {
        tags: ["knowledge"],
        operationId: "getKnowledgeTransfer",
        summary: "Whose practices travelled to whom: every adoption, and the figures per practice and per municipality",
        description: "For the national level (else 404).",
        security: API_SECURITY,
        response: {
          200: z
            .object({
              adoptions: z.array(
                z.object({
                  practiceId: z.uuid(),
                  title: z.string().nullable(),
                  from: z.string(),
                  to: z.string(),
                  adoptedAt: z.iso.datetime(),
                  score: z.int().nullable(),
                }),
              ),
              byPractice: z.array(
                z.object({
                  practiceId: z.uuid(),
                  title: z.string().nullable(),
                  from: z.string(),
                  adoptions: z.int(),
                  meanScore: z.number().nullable(),
                  answers: z.int(),
                }),
              ),
              byMunicipality: z.array(z.object({ municipality: z.string(), given: z.int(), taken: z.int() })),
            })
            .meta({ description: "The transfer" }),
          ...errors,
        },
      },
    },
    async (request) => {
      const { actor } = requireActor(request);
      const t = await transfer(platform, actor);
      return {
        adoptions: t.edges.map((e) => ({
          practiceId: e.originId,
          title: e.originTitle,
          from: e.fromTenant,
          to: e.toTenant,
          adoptedAt: e.adoptedAt.toISOString(),
          score: e.score,
        })),
        byPractice: t.byPractice.map((p) => ({
          practiceId: p.originId,
          title: p.title,
          from: p.from,
          adoptions: p.adoptions,
          meanScore: p.meanScore,
          answers: p.answers,
        })),
        byMunicipality: t.byTenant.map((m) => ({ municipality: m.name, given: m.given, taken: m.taken })),
      };
    },
  );
}
