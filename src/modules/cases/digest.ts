import { and, eq, isNull, sql } from "drizzle-orm";
import { berlinDate } from "../../platform/calendar.ts";
import { inTransaction, withTenant } from "../../platform/db/client.ts";
import { memberships, notifications, tenants } from "../../platform/db/schema.ts";
import { type MailPlace, mailPlace } from "../../platform/http/workspace-link.ts";
import { isUiLanguage, translator } from "../../platform/i18n/i18n.ts";
import type { Schedule } from "../../platform/jobs/schedules.ts";
import { digestSubscribers } from "../../platform/notifications/notifications.ts";
import type { Platform } from "../../platform/platform.ts";
import { caseClosures, cases, caseTasks } from "./schema.ts";

/*
 * The daily summary for clearing officers who asked for it (on their notification page): the
 * cases they lead, the new ones nobody leads, the first responses overdue, what is due today or
 * overdue among their measures, closures waiting for a second officer, unread notices — figures
 * and case numbers only, like every mail of the platform.
 */

export interface Digest {
  leading: number;
  unassigned: number;
  overdueResponse: string[];
  dueTasks: string[];
  releases: string[];
  unread: number;
}

/** The summary of one officer, read under the municipality's row-level security. */
export async function digestFor(platform: Pick<Platform, "db" | "clock">, tenantId: string, userId: string): Promise<Digest> {
  const now = platform.clock.now();
  const today = berlinDate(now);
  return withTenant(platform.db, tenantId, async (tx) => {
    const open = and(eq(cases.tenantId, tenantId), sql`${cases.status} <> 'closed'`);
    const [counts] = await tx
      .select({
        leading: sql<number>`count(*) filter (where ${cases.assigneeId} = ${userId})::int`,
        unassigned: sql<number>`count(*) filter (where ${cases.assigneeId} is null)::int`,
      })
      .from(cases)
      .where(open);
    const overdue = await tx
      .select({ number: cases.number })
      .from(cases)
      .where(and(open, isNull(cases.firstResponseAt), sql`${cases.respondBy} < ${now}`, sql`(${cases.assigneeId} is null or ${cases.assigneeId} = ${userId})`))
      .orderBy(cases.respondBy)
      .limit(20);
    const due = await tx
      .selectDistinct({ number: cases.number })
      .from(caseTasks)
      .innerJoin(cases, and(eq(cases.tenantId, caseTasks.tenantId), eq(cases.id, caseTasks.caseId)))
      .where(
        and(
          open,
          eq(caseTasks.status, "open"),
          sql`${caseTasks.dueOn} <= ${today}::date`,
          sql`(${caseTasks.ownerId} = ${userId} or (${caseTasks.ownerId} is null and ${cases.assigneeId} = ${userId}))`,
        ),
      )
      .limit(20);
    const releases = await tx
      .select({ number: cases.number })
      .from(caseClosures)
      .innerJoin(cases, and(eq(cases.tenantId, caseClosures.tenantId), eq(cases.id, caseClosures.caseId)))
      .where(and(eq(caseClosures.tenantId, tenantId), isNull(caseClosures.decision), sql`${caseClosures.requestedBy} <> ${userId}`))
      .limit(20);
    const [unread] = await tx
      .select({ n: sql<number>`count(*)::int` })
      .from(notifications)
      .where(and(eq(notifications.tenantId, tenantId), eq(notifications.userId, userId), isNull(notifications.readAt)));
    return {
      leading: counts?.leading ?? 0,
      unassigned: counts?.unassigned ?? 0,
      overdueResponse: overdue.map((r) => r.number),
      dueTasks: due.map((r) => r.number).sort(),
      releases: releases.map((r) => r.number),
      unread: unread?.n ?? 0,
    };
  });
}

/** The mail's text in the person's language: figures and case numbers, a link, nothing of any case's content. */
export function digestText(lang: string, digest: Digest, place: MailPlace): { subject: string; text: string } {
  const t = translator(isUiLanguage(lang) ? lang : "de");
  const lines = [
    t("cases.digest.leading", { count: digest.leading }),
    t("cases.digest.unassigned", { count: digest.unassigned }),
    ...(digest.overdueResponse.length > 0 ? [t("cases.digest.overdueResponse", { numbers: digest.overdueResponse.join(", ") })] : []),
    ...(digest.dueTasks.length > 0 ? [t("cases.digest.dueTasks", { numbers: digest.dueTasks.join(", ") })] : []),
    ...(digest.releases.length > 0 ? [t("cases.digest.releases", { numbers: digest.releases.join(", ") })] : []),
    t("cases.digest.unread", { count: digest.unread }),
  ];
  return {
    subject: t("cases.digest.subject", { tenant: place.name }),
    text: `${t("cases.digest.greeting", { tenant: place.name })}\n\n${lines.map((l) => `- ${l}`).join("\n")}\n\n${place.link("/faelle")}\n\n${t("cases.digest.footer")}`,
  };
}

/** Every morning at 07:30: the summary to each clearing officer who asked for it. */
export function dailyDigest(platform: Pick<Platform, "db" | "clock" | "mailer" | "config">): Schedule {
  return {
    name: "cases.daily-digest",
    cron: "30 7 * * *",
    async run() {
      const municipalities = await inTransaction(platform.db, {}, (tx) =>
        tx.select({ id: tenants.id }).from(tenants).where(sql`${tenants.kind} <> 'national'`),
      );
      for (const { id: tenantId } of municipalities) {
        const people = await withTenant(platform.db, tenantId, async (tx) => {
          const subscribers = await digestSubscribers(tx, tenantId);
          const officers = new Set(
            (
              await tx
                .select({ id: memberships.userId })
                .from(memberships)
                .where(and(eq(memberships.tenantId, tenantId), eq(memberships.role, "clearing_officer")))
            ).map((m) => m.id),
          );
          return subscribers.filter((s) => officers.has(s.id));
        });
        for (const person of people) {
          const digest = await digestFor(platform, tenantId, person.id);
          const ids = await withTenant(platform.db, tenantId, async (tx) => {
            const { subject, text } = digestText(person.locale ?? "de", digest, await mailPlace(tx, platform.config.publicUrl, tenantId));
            return platform.mailer.enqueueMany(tx, [{ to: person.email, subject, text }]);
          });
          await platform.mailer.dispatch(ids);
        }
      }
    },
  };
}
