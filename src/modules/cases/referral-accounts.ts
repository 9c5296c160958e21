import { and, eq, gte, inArray } from "drizzle-orm";
import { berlinDate } from "../../platform/calendar.ts";
import { users } from "../../platform/db/schema.ts";
import type { EventHandler } from "../../platform/events/events.ts";
import { notifyMany, peopleWithRoles } from "../../platform/notifications/notifications.ts";
import type { Platform } from "../../platform/platform.ts";
import { type PartnerAccountLinked, partnerAccountLinked } from "../alliance/index.ts";
import { SEEN_BY_PARTNER } from "./referral-policy.ts";
import { caseReferrals, cases } from "./schema.ts";

/**
 * One more person reads what the office referred to an organisation once their account acts for
 * it: whoever leads each case referred there, still open to the partner, hears it (else the
 * clearing office, also where the lead has left it), by notice and mail, and can end the referral
 * if that person should not read it.
 */
export function referralsOnAccountLinked(platform: Pick<Platform, "clock" | "mailer" | "config">): EventHandler<PartnerAccountLinked> {
  return {
    name: "cases.referral-account-linked",
    event: partnerAccountLinked,
    async handle({ tx, event, afterCommit }) {
      const today = berlinDate(platform.clock.now());
      const open = await tx
        .select({ number: cases.number, assigneeId: cases.assigneeId })
        .from(caseReferrals)
        .innerJoin(cases, and(eq(cases.tenantId, caseReferrals.tenantId), eq(cases.id, caseReferrals.caseId)))
        .where(
          and(
            eq(caseReferrals.tenantId, event.tenantId),
            eq(caseReferrals.partnerId, event.payload.partnerId),
            inArray(caseReferrals.status, [...SEEN_BY_PARTNER]),
            gte(caseReferrals.validUntil, today),
          ),
        );
      if (open.length === 0) return;
      const [account] = await tx.select({ name: users.displayName }).from(users).where(eq(users.id, event.payload.userId));
      // A lead who has left the clearing office since can neither read the case nor end the referral: the office hears it.
      const office = await peopleWithRoles(tx, event.tenantId, ["clearing_officer"]);
      const items = [...new Map(open.map((c) => [c.number, c])).values()].map((c) => ({
        userIds: c.assigneeId && office.includes(c.assigneeId) ? [c.assigneeId] : office,
        notice: {
          kind: "cases.notify.partnerAccount",
          params: { caseNumber: c.number, name: account?.name ?? "", organisation: event.payload.partnerName },
          link: `/faelle/${c.number}#vermittlungen`,
        },
      }));
      const mails = await notifyMany(platform, tx, event.tenantId, items, { mail: true });
      afterCommit(() => platform.mailer.dispatch(mails));
    },
  };
}
