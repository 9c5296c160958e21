import { and, eq } from "drizzle-orm";
import { appendAudit } from "../../platform/audit/audit.ts";
import type { Actor } from "../../platform/authz/policy.ts";
import { withTenant } from "../../platform/db/client.ts";
import { AppError } from "../../platform/http/errors.ts";
import { notify } from "../../platform/notifications/notifications.ts";
import type { Platform } from "../../platform/platform.ts";
import { UUID_PATTERN } from "../../platform/validation.ts";
import { checkCaseNumber } from "../reports/index.ts";
import { type CaseRef, casePolicy, type TenantRef } from "./policy.ts";
import { noticeToPartner } from "./referrals.ts";
import { caseByNumber, caseFacts } from "./repository.ts";
import { caseReferrals } from "./schema.ts";

/*
 * A referral without the affected person's consent, under a legal exception (a danger to life,
 * a child's welfare, a legal duty), is made by the lead with the basis and the reason, and reaches
 * the partner only once a second officer of the office released it — or it ends, refused.
 */

export type ExceptionDecision = "release" | "refuse";
export type ExceptionResult = { ok: true } | { ok: false; reason: "none" | "sameOfficer" };

export async function decideException(
  platform: Pick<Platform, "db" | "clock" | "mailer" | "config">,
  actor: Actor,
  tenant: TenantRef,
  number: string,
  referralId: string,
  decision: ExceptionDecision,
): Promise<ExceptionResult> {
  checkCaseNumber(number);
  if (!UUID_PATTERN.test(referralId)) throw new AppError("not_found");
  const now = platform.clock.now();
  const done = await withTenant(
    platform.db,
    tenant.id,
    async (tx) => {
      const row = await caseByNumber(tx, tenant.id, number, { lock: true });
      if (!row) throw new AppError("not_found");
      // Any officer of the office may be the second pair of eyes on an open case.
      const ref = (await caseFacts(tx, tenant, [row.id])).get(row.id) as CaseRef;
      casePolicy.authorize(actor, "read", ref);
      if (ref.closed) return { ok: false, reason: "none" } as const;
      const [r] = await tx
        .select({ id: caseReferrals.id, createdBy: caseReferrals.createdBy, partnerId: caseReferrals.partnerId, status: caseReferrals.status })
        .from(caseReferrals)
        .where(and(eq(caseReferrals.tenantId, tenant.id), eq(caseReferrals.caseId, row.id), eq(caseReferrals.id, referralId.toLowerCase())))
        .for("update");
      if (r?.status !== "awaiting_release") return { ok: false, reason: "none" } as const;
      if (r.createdBy === actor.userId) return { ok: false, reason: "sameOfficer" } as const;
      await tx
        .update(caseReferrals)
        .set(decision === "release" ? { status: "offered", releasedBy: actor.userId, releasedAt: now, updatedAt: now } : { status: "ended", updatedAt: now })
        .where(and(eq(caseReferrals.tenantId, tenant.id), eq(caseReferrals.id, r.id)));
      await appendAudit(
        tx,
        {
          tenantId: tenant.id,
          actorId: actor.userId,
          action: decision === "release" ? "case.referral_released" : "case.referral_refused",
          objectType: "case",
          objectId: row.id,
          details: { number, referralId: r.id },
        },
        now,
      );
      if (decision === "release") await noticeToPartner(platform, tx, tenant.id, r.partnerId, r.id, number);
      const mails = await notify(
        platform,
        tx,
        tenant.id,
        [r.createdBy],
        { kind: `cases.notify.exception.${decision}`, params: { caseNumber: number }, link: `/faelle/${number}#vermittlungen` },
        { mail: true },
      );
      return { ok: true, mails } as const;
    },
    actor.userId,
  );
  if (!done.ok) return done;
  await platform.mailer.dispatch(done.mails);
  return { ok: true };
}
