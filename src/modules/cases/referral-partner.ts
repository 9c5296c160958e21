import { and, eq, inArray, sql } from "drizzle-orm";
import { z } from "zod";
import { appendAudit } from "../../platform/audit/audit.ts";
import { type Actor, hasRole } from "../../platform/authz/policy.ts";
import { berlinDate } from "../../platform/calendar.ts";
import { withTenant } from "../../platform/db/client.ts";
import { AppError } from "../../platform/http/errors.ts";
import type { Platform } from "../../platform/platform.ts";
import { CONTROL_CHARACTERS_MESSAGE, UUID_PATTERN, withoutControlCharacters } from "../../platform/validation.ts";
import { accountsActingFor, organisationOfAccount } from "../alliance/index.ts";
import { disclosedExtract, type ReportExtract } from "../reports/index.ts";
import type { TenantRef } from "./policy.ts";
import { type ReferralRef, referralPolicy } from "./referral-policy.ts";
import { OUTCOME, type ReferralRow, referralRows } from "./referrals.ts";
import { caseDisclosures, caseReferrals, type ReferralStatus } from "./schema.ts";

/*
 * The partner's side of a referral: the cases referred to their organisation, one of them with the
 * consented categories (each look a disclosure), and their answer — accept or decline what is
 * offered, report done what was accepted.
 */

/** The partner's referrals: those of their organisation that they may read now. */
export async function referralsForPartner(
  platform: Pick<Platform, "db" | "keyring" | "clock">,
  actor: Actor,
  tenant: TenantRef,
): Promise<{ organisation: { id: string; name: string } | null; rows: ReferralRow[] } | null> {
  if (tenant.kind === "national" || !hasRole(actor, tenant.id, "alliance_partner")) return null;
  const organisation = await organisationOfAccount(platform, tenant.id, actor.userId);
  // Not linked to an organisation yet: nothing can have been referred to them.
  if (!organisation) return { organisation: null, rows: [] };
  const today = berlinDate(platform.clock.now());
  const names = new Map([[organisation.id, organisation.name]]);
  const all = await withTenant(
    platform.db,
    tenant.id,
    (tx) => referralRows(platform, tx, tenant.id, eq(caseReferrals.partnerId, organisation.id), names),
    actor.userId,
  );
  const rows = referralPolicy.permitted(
    actor,
    "read",
    all.map((r) => ({ ...r, tenantId: tenant.id, tenantKind: tenant.kind, accountIds: [actor.userId], running: r.validUntil >= today })),
  );
  return { organisation, rows };
}

/** One referral for its partner, with the consented categories of the report; the look is a disclosure. */
export async function openReferral(
  platform: Pick<Platform, "db" | "keyring" | "clock">,
  actor: Actor,
  tenant: TenantRef,
  referralId: string,
): Promise<{ referral: ReferralRow; extract: ReportExtract; canRespond: boolean }> {
  const { referral, ref } = await loadForPartner(platform, actor, tenant, referralId);
  referralPolicy.authorize(actor, "read", ref);
  const now = platform.clock.now();
  const extract = await disclosedExtract(platform, tenant.id, referral.number, referral.categories, { actorId: actor.userId, referralId });
  await withTenant(
    platform.db,
    tenant.id,
    (tx) => tx.insert(caseDisclosures).values({ tenantId: tenant.id, referralId, userId: actor.userId, categories: referral.categories, at: now }),
    actor.userId,
  );
  return { referral, extract, canRespond: referralPolicy.can(actor, "respond", ref) };
}

async function loadForPartner(platform: Pick<Platform, "db" | "keyring" | "clock">, actor: Actor, tenant: TenantRef, referralId: string) {
  if (!UUID_PATTERN.test(referralId)) throw new AppError("not_found");
  const organisation = await organisationOfAccount(platform, tenant.id, actor.userId);
  const names = organisation ? new Map([[organisation.id, organisation.name]]) : new Map<string, string>();
  const [referral] = await withTenant(
    platform.db,
    tenant.id,
    (tx) => referralRows(platform, tx, tenant.id, eq(caseReferrals.id, referralId), names),
    actor.userId,
  );
  if (!referral) throw new AppError("not_found");
  const accountIds = await accountsActingFor(platform, tenant.id, referral.partnerId);
  const ref: ReferralRef = {
    tenantId: tenant.id,
    tenantKind: tenant.kind,
    accountIds,
    status: referral.status,
    running: referral.validUntil >= berlinDate(platform.clock.now()),
  };
  return { referral, ref };
}

export const referralResponse = z.discriminatedUnion("action", [
  z.object({ action: z.literal("accept") }),
  z.object({ action: z.literal("decline") }),
  z.object({
    action: z.literal("done"),
    outcome: z
      .string()
      .trim()
      .min(1, { error: "errors.referrals.outcome" })
      .max(2000, { error: "errors.referrals.purposeLong" })
      .refine(withoutControlCharacters, { error: CONTROL_CHARACTERS_MESSAGE }),
  }),
]);

/** The partner accepts, declines, or reports the referral done with its outcome. */
export async function respondToReferral(
  platform: Pick<Platform, "db" | "keyring" | "clock">,
  actor: Actor,
  tenant: TenantRef,
  referralId: string,
  response: z.infer<typeof referralResponse>,
): Promise<void> {
  const { referral, ref } = await loadForPartner(platform, actor, tenant, referralId);
  referralPolicy.authorize(actor, "read", ref);
  if (!referralPolicy.can(actor, "respond", ref)) throw AppError.refused({ policy: referralPolicy.name, action: "respond", tenantId: tenant.id });
  const next: ReferralStatus = response.action === "accept" ? "accepted" : response.action === "decline" ? "declined" : "done";
  // Accept or decline what is offered; report done what was accepted.
  const fits = response.action === "done" ? referral.status === "accepted" : referral.status === "offered";
  if (!fits) throw AppError.refused({ policy: referralPolicy.name, action: "respond", tenantId: tenant.id });
  const now = platform.clock.now();
  await withTenant(
    platform.db,
    tenant.id,
    async (tx) => {
      await tx
        .update(caseReferrals)
        .set({
          status: next,
          outcome: response.action === "done" ? await platform.keyring.seal(tx, tenant.id, response.outcome, OUTCOME) : sql`${caseReferrals.outcome}`,
          updatedAt: now,
        })
        .where(and(eq(caseReferrals.tenantId, tenant.id), eq(caseReferrals.id, referralId), inArray(caseReferrals.status, ["offered", "accepted"])));
      await appendAudit(
        tx,
        {
          tenantId: tenant.id,
          actorId: actor.userId,
          action: `case.referral_${next}`,
          objectType: "case_referral",
          objectId: referralId,
          details: { number: referral.number },
        },
        now,
      );
    },
    actor.userId,
  );
}
