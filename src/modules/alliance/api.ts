import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { problemResponses } from "../../platform/http/errors.ts";
import { API_SECURITY, authenticated, requireActor } from "../../platform/http/guards.ts";
import type { Platform } from "../../platform/platform.ts";
import { LAND_CODES, type Land } from "../../platform/vocabulary.ts";
import { directory, emergencyCard, municipality } from "./commands.ts";
import { isOpenAt, openingHoursSchema } from "./hours.ts";
import { nationalDirectory } from "./national.ts";
import { CARD_SITUATIONS, CARD_VISIBILITIES, PARTNER_KINDS } from "./schema.ts";

const hoursOut = openingHoursSchema.meta({
  description: "Opening hours in Berlin time: around the clock, or periods per weekday (1 = Monday), each [from, to)",
});
const partnerOut = z.object({
  id: z.uuid(),
  name: z.string(),
  kind: z.enum(PARTNER_KINDS),
  services: z.string(),
  phone: z.string().nullable().meta({ description: "E.164, e.g. +4969900092000" }),
  email: z.string().nullable(),
  web: z.string().nullable(),
  region: z.string(),
  languages: z.array(z.string()).meta({ description: "ISO 639-1 codes" }),
  accessibility: z.string(),
  hours: hoursOut,
  openNow: z.boolean(),
  cardSituations: z.array(z.enum(CARD_SITUATIONS)),
  nationalEntryId: z.uuid().nullable().meta({ description: "The national directory's entry this partner was taken from, if any" }),
  updatedAt: z.iso.datetime(),
});
const nationalEntryOut = z.object({
  id: z.uuid(),
  land: z.enum(LAND_CODES as [Land, ...Land[]]).meta({ description: "Two digits of the Amtlicher Gemeindeschlüssel, or bund for services across the country" }),
  name: z.string(),
  kind: z.enum(PARTNER_KINDS),
  services: z.string(),
  phone: z.string().nullable(),
  email: z.string().nullable(),
  web: z.string().nullable(),
  languages: z.array(z.string()),
  accessibility: z.string(),
  hours: hoursOut,
  version: z.int().meta({ description: "Counts up with every change" }),
  adoptedAs: z.uuid().nullable().meta({ description: "The municipality's partner copied from this entry, if any" }),
  updatedAt: z.iso.datetime(),
});
const cardContactOut = z.object({
  name: z.string(),
  kind: z.enum(PARTNER_KINDS),
  services: z.string(),
  phone: z.string().nullable(),
  email: z.string().nullable(),
  web: z.string().nullable(),
  languages: z.array(z.string()),
  hours: hoursOut,
  openNow: z.boolean(),
});
const security = API_SECURITY;
const errors = problemResponses(400, 401, 403, 404);
const slugParams = z.object({ slug: z.string().max(60).meta({ description: "The municipality's short name" }) });

/** JSON API of the alliance under /api/v1: the directory for the people of a municipality, and its emergency card. */
export function registerAllianceApi(app: FastifyInstance, platform: Platform) {
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.get(
    "/api/v1/tenants/:slug/alliance/partners",
    {
      preValidation: authenticated,
      schema: {
        tags: ["alliance"],
        operationId: "listAlliancePartners",
        summary: "The partners of the municipality's alliance, by name, each with whether it can be reached now",
        description: "For the people who work in the municipality. Contact persons are not part of this list.",
        security,
        params: slugParams,
        response: {
          200: z.object({ data: z.array(partnerOut), policies: z.object({ read: z.boolean(), edit: z.boolean() }) }).meta({ description: "The directory" }),
          ...errors,
        },
      },
    },
    async (request) => {
      const { actor } = requireActor(request);
      const dir = await directory(platform, actor, await municipality(platform, request.params.slug));
      const now = platform.clock.now();
      return {
        data: dir.partners.map(({ nationalVersion: _v, nationalSnapshot: _s, ...p }) => ({
          ...p,
          openNow: isOpenAt(p.hours, now),
          updatedAt: p.updatedAt.toISOString(),
        })),
        policies: dir.policies,
      };
    },
  );

  api.get(
    "/api/v1/tenants/:slug/alliance/national-directory",
    {
      preValidation: authenticated,
      schema: {
        tags: ["alliance"],
        operationId: "listNationalHelpServices",
        summary: "The help services of the national directory for the municipality: those of its Land and those across the country",
        description: "For the people who work in the municipality; `adoptedAs` names the partner its alliance took from an entry.",
        security,
        params: slugParams,
        response: { 200: z.object({ data: z.array(nationalEntryOut) }).meta({ description: "The national directory for this municipality" }), ...errors },
      },
    },
    async (request) => {
      const { actor } = requireActor(request);
      const dir = await nationalDirectory(platform, actor, await municipality(platform, request.params.slug));
      return { data: dir.entries.map((e) => ({ ...e, adoptedAs: dir.adopted.get(e.id) ?? null, updatedAt: e.updatedAt.toISOString() })) };
    },
  );

  api.get(
    "/api/v1/tenants/:slug/emergency-card",
    {
      schema: {
        tags: ["alliance"],
        operationId: "getEmergencyCard",
        summary: "The municipality's emergency card: whom to call after a threat, against hate online, for counselling",
        description:
          "Public when the municipality publishes its card (no credentials needed); otherwise for its people and alliance partners only (else 404). Services open now come first in each list.",
        security: [{}, ...security],
        params: slugParams,
        response: {
          200: z
            .object({
              data: z.object({
                municipality: z.object({ slug: z.string(), name: z.string() }),
                visibility: z.enum(CARD_VISIBILITIES),
                emergencyNumbers: z.object({ police: z.literal("110"), fireAndRescue: z.literal("112") }),
                situations: z.object(
                  Object.fromEntries(CARD_SITUATIONS.map((s) => [s, z.array(cardContactOut)])) as Record<
                    (typeof CARD_SITUATIONS)[number],
                    z.ZodArray<typeof cardContactOut>
                  >,
                ),
                reportingForm: z.url(),
                at: z.iso.datetime(),
              }),
            })
            .meta({ description: "The card" }),
          ...errors,
        },
      },
    },
    async (request, reply) => {
      const card = await emergencyCard(platform, request.actor, request.params.slug);
      if (card.visibility === "staff") reply.header("cache-control", "private, no-store");
      return {
        data: {
          municipality: { slug: card.tenant.slug, name: card.tenant.name },
          visibility: card.visibility,
          emergencyNumbers: { police: "110" as const, fireAndRescue: "112" as const },
          situations: card.situations,
          reportingForm: `${platform.config.publicUrl}/${card.tenant.slug}/melden`,
          at: card.at.toISOString(),
        },
      };
    },
  );
}
