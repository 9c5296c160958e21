import { and, eq, gte, inArray } from "drizzle-orm";
import { berlinDate } from "../../platform/calendar.ts";
import type { Db } from "../../platform/db/client.ts";
import { users } from "../../platform/db/schema.ts";
import type { EventHandler } from "../../platform/events/events.ts";
import { notifyMany, peopleWithRoles } from "../../platform/notifications/notifications.ts";
import type { Platform } from "../../platform/platform.ts";
import { type PartnerAccountLinked, type PartnerAccountUnlinked, partnerAccountLinked, partnerAccountUnlinked } from "../alliance/index.ts";
import { SEEN_BY_PARTNER } from "./referral-policy.ts";
import { caseReferrals, cases } from "./schema.ts";

/*
 * Who reads a referral is the organisation's people: when they change, whoever leads each case
 * referred there (still open to the partner) hears it, by notice and mail, else the clearing
 * office — also where the lead has left it, since they can neither open the case nor end the
 * referral. One more person: the referral can be ended if they should not read it. Nobody left:
 * nobody there can read it, so the office can refer elsewhere.
 */

type Deps = Pick<Platform, "clock" | "mailer" | "config">;

async function tellLeads(
  platform: Deps,
  tx: Db,
  tenantId: string,
  partnerId: string,
  notice: (caseNumber: string) => { kind: string; params: Record<string, string> },
): Promise<string[]> {
  const open = await tx
    .selectDistinct({ number: cases.number, assigneeId: cases.assigneeId })
    .from(caseReferrals)
    .innerJoin(cases, and(eq(cases.tenantId, caseReferrals.tenantId), eq(cases.id, caseReferrals.caseId)))
    .where(
      and(
        eq(caseReferrals.tenantId, tenantId),
        eq(caseReferrals.partnerId, partnerId),
        inArray(caseReferrals.status, [...SEEN_BY_PARTNER]),
        gte(caseReferrals.validUntil, berlinDate(platform.clock.now())),
      ),
    );
  if (open.length === 0) return [];
  const office = await peopleWithRoles(tx, tenantId, ["clearing_officer"]);
  const items = open.map((c) => ({
    userIds: c.assigneeId && office.includes(c.assigneeId) ? [c.assigneeId] : office,
    notice: { ...notice(c.number), link: `/faelle/${c.number}#vermittlungen` },
  }));
  return notifyMany(platform, tx, tenantId, items, { mail: true });
}

export function referralsOnAccountLinked(platform: Deps): EventHandler<PartnerAccountLinked> {
  return {
    name: "cases.referral-account-linked",
    event: partnerAccountLinked,
    async handle({ tx, event, afterCommit }) {
      const [account] = await tx.select({ name: users.displayName }).from(users).where(eq(users.id, event.payload.userId));
      const mails = await tellLeads(platform, tx, event.tenantId, event.payload.partnerId, (caseNumber) => ({
        kind: "cases.notify.partnerAccount",
        params: { caseNumber, name: account?.name ?? "", organisation: event.payload.partnerName },
      }));
      afterCommit(() => platform.mailer.dispatch(mails));
    },
  };
}

export function referralsOnAccountUnlinked(platform: Deps): EventHandler<PartnerAccountUnlinked> {
  return {
    name: "cases.referral-account-unlinked",
    event: partnerAccountUnlinked,
    async handle({ tx, event, afterCommit }) {
      if (event.payload.remaining > 0) return;
      const mails = await tellLeads(platform, tx, event.tenantId, event.payload.partnerId, (caseNumber) => ({
        kind: "cases.notify.partnerNobody",
        params: { caseNumber, organisation: event.payload.partnerName },
      }));
      afterCommit(() => platform.mailer.dispatch(mails));
    },
  };
}
