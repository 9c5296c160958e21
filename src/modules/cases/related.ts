import { and, asc, eq, isNull, or, sql } from "drizzle-orm";
import { z } from "zod";
import { appendAudit } from "../../platform/audit/audit.ts";
import type { Actor } from "../../platform/authz/policy.ts";
import { berlinDate, isCalendarDate } from "../../platform/calendar.ts";
import { type Db, withTenant } from "../../platform/db/client.ts";
import type { Platform } from "../../platform/platform.ts";
import { CONTROL_CHARACTERS_MESSAGE, withoutControlCharacters } from "../../platform/validation.ts";
import { checkCaseNumber, isCaseNumber } from "../reports/index.ts";
import { caseToWorkOn } from "./assessment.ts";
import type { TenantRef } from "./policy.ts";
import { caseByNumber } from "./repository.ts";
import { caseLinks, casePerpetrators, cases, LINK_KINDS, type LinkKind } from "./schema.ts";

/*
 * Related cases: the office links cases it sees together (the same perpetrator, the same campaign,
 * the same incident reported twice), and keeps a minimal, time-limited, sealed record of a
 * perpetrator — a keyed hash of it finds another case naming the same person without anyone
 * reading the other case's text. Expired records keep nothing but their dates.
 */

const DESCRIPTION = "case_perpetrators.description";
const _DATE = /^\d{4}-\d{2}-\d{2}$/;

export const linkInput = z.object({
  other: z
    .string()
    .trim()
    .transform((s) => s.toUpperCase())
    .refine(isCaseNumber, { error: "errors.related.number" }),
  kind: z.enum(LINK_KINDS, { error: "errors.related.kind" }),
});

export const perpetratorInput = z.object({
  description: z
    .string()
    .trim()
    .min(2, { error: "errors.related.description" })
    .max(300, { error: "errors.related.descriptionLong" })
    .refine(withoutControlCharacters, { error: CONTROL_CHARACTERS_MESSAGE }),
  until: z.string().refine(isCalendarDate, { error: "errors.related.until" }),
});

/** The same person however it was typed: case, spaces, an @ before a handle, a profile address's scheme and slashes. */
export function normalisePerpetrator(text: string): string {
  return text
    .toLowerCase()
    .normalize("NFKC")
    .replace(/^https?:\/\/(www\.)?/, "")
    .replace(/\/+$/, "")
    .replace(/^@/, "")
    .replace(/\s+/g, " ")
    .trim();
}

export type LinkResult = { ok: true } | { ok: false; field: "other" };

export async function linkCase(
  platform: Pick<Platform, "db" | "clock">,
  actor: Actor,
  tenant: TenantRef,
  number: string,
  input: z.infer<typeof linkInput>,
): Promise<LinkResult> {
  const now = platform.clock.now();
  return withTenant(
    platform.db,
    tenant.id,
    async (tx) => {
      const row = await caseToWorkOn(tx, actor, tenant, number);
      const other = await caseByNumber(tx, tenant.id, input.other);
      if (!other || other.id === row.id) return { ok: false, field: "other" } as const;
      const [exists] = await tx
        .select({ id: caseLinks.id })
        .from(caseLinks)
        .where(
          and(
            eq(caseLinks.tenantId, tenant.id),
            or(and(eq(caseLinks.caseId, row.id), eq(caseLinks.otherCaseId, other.id)), and(eq(caseLinks.caseId, other.id), eq(caseLinks.otherCaseId, row.id))),
          ),
        );
      if (!exists) {
        await tx
          .insert(caseLinks)
          .values({ tenantId: tenant.id, caseId: row.id, otherCaseId: other.id, kind: input.kind, createdBy: actor.userId, createdAt: now });
        await appendAudit(
          tx,
          {
            tenantId: tenant.id,
            actorId: actor.userId,
            action: "case.linked",
            objectType: "case",
            objectId: row.id,
            details: { number, other: other.number, kind: input.kind },
          },
          now,
        );
      }
      return { ok: true } as const;
    },
    actor.userId,
  );
}

export interface RelatedRow {
  number: string;
  kind: LinkKind;
}

/** The cases linked to this one, in either direction. */
export async function linksOf(tx: Db, tenantId: string, caseId: string): Promise<RelatedRow[]> {
  const other = sql<string>`case when ${caseLinks.caseId} = ${caseId} then ${caseLinks.otherCaseId} else ${caseLinks.caseId} end`;
  return tx
    .select({ number: cases.number, kind: caseLinks.kind })
    .from(caseLinks)
    .innerJoin(cases, and(eq(cases.tenantId, caseLinks.tenantId), eq(cases.id, other)))
    .where(and(eq(caseLinks.tenantId, tenantId), or(eq(caseLinks.caseId, caseId), eq(caseLinks.otherCaseId, caseId))))
    .orderBy(asc(cases.number));
}

export type PerpetratorResult = { ok: true } | { ok: false; field: "until" };

export async function addPerpetrator(
  platform: Pick<Platform, "db" | "clock" | "keyring">,
  actor: Actor,
  tenant: TenantRef,
  number: string,
  input: z.infer<typeof perpetratorInput>,
): Promise<PerpetratorResult> {
  checkCaseNumber(number);
  const now = platform.clock.now();
  // Kept as short as it can be: at most two years.
  if (input.until < berlinDate(now) || input.until > berlinDate(now, 2 * 366)) return { ok: false, field: "until" };
  return withTenant(
    platform.db,
    tenant.id,
    async (tx) => {
      const row = await caseToWorkOn(tx, actor, tenant, number);
      await tx.insert(casePerpetrators).values({
        tenantId: tenant.id,
        caseId: row.id,
        description: await platform.keyring.seal(tx, tenant.id, input.description, DESCRIPTION),
        lookup: platform.keyring.lookupHash(`perpetrator:${tenant.id}`, normalisePerpetrator(input.description)),
        until: input.until,
        createdBy: actor.userId,
        createdAt: now,
      });
      await appendAudit(
        tx,
        {
          tenantId: tenant.id,
          actorId: actor.userId,
          action: "case.perpetrator_recorded",
          objectType: "case",
          objectId: row.id,
          details: { number, until: input.until },
        },
        now,
      );
      return { ok: true } as const;
    },
    actor.userId,
  );
}

export interface PerpetratorRow {
  id: string;
  description: string | null;
  until: string;
  /** Other cases whose record names the same person (by the keyed hash). */
  alsoIn: string[];
}

export async function perpetratorsOf(tx: Db, keyring: Platform["keyring"], tenantId: string, caseId: string): Promise<PerpetratorRow[]> {
  const found = await tx
    .select({
      id: casePerpetrators.id,
      description: casePerpetrators.description,
      until: casePerpetrators.until,
      alsoIn: sql<string[]>`array(select distinct c.number from ${casePerpetrators} o join ${cases} c on c.tenant_id = o.tenant_id and c.id = o.case_id
        where o.tenant_id = "case_perpetrators"."tenant_id" and o.lookup = "case_perpetrators"."lookup" and o.case_id <> "case_perpetrators"."case_id" order by 1)`,
    })
    .from(casePerpetrators)
    .where(and(eq(casePerpetrators.tenantId, tenantId), eq(casePerpetrators.caseId, caseId)))
    .orderBy(asc(casePerpetrators.createdAt));
  return Promise.all(found.map(async (p) => ({ ...p, description: p.description ? await keyring.openText(tx, tenantId, p.description, DESCRIPTION) : null })));
}

/** Past their last day, perpetrator records keep nothing but their dates (the nightly retention run). */
export async function expirePerpetrators(tx: Db, tenantId: string, now: Date): Promise<number> {
  const expired = await tx
    .update(casePerpetrators)
    .set({ description: null, lookup: null, expiredAt: now })
    .where(and(eq(casePerpetrators.tenantId, tenantId), isNull(casePerpetrators.expiredAt), sql`${casePerpetrators.until} < ${berlinDate(now)}::date`))
    .returning({ id: casePerpetrators.id });
  return expired.length;
}
