import type { EventHandler } from "../../platform/events/events.ts";
import { translator } from "../../platform/i18n/i18n.ts";
import type { Platform } from "../../platform/platform.ts";
import { type ReportReceived, reportReceived } from "./events.ts";
import { mailClearingOffice } from "./office-mail.ts";

/**
 * Tells the clearing office that a report arrived: one mail to each active clearing officer,
 * with the case number and a link, never content. A report of acute danger says so in its subject.
 */
export function notifyOfficeOfReport(platform: Pick<Platform, "mailer" | "config">): EventHandler<ReportReceived> {
  return {
    name: "reports.notify-office",
    event: reportReceived,
    async handleMany({ tx, events, afterCommit }) {
      const t = translator("de");
      const ids = await mailClearingOffice(platform, tx, events[0].tenantId, (place) =>
        events.map(({ payload: { caseNumber, immediateDanger } }) => ({
          subject: t(immediateDanger ? "reports.mail.newDangerSubject" : "reports.mail.newSubject", { caseNumber }),
          text: t("reports.mail.newBody", { caseNumber, tenant: place.name, link: place.link(`/faelle/${caseNumber}`) }),
        })),
      );
      afterCommit(() => platform.mailer.dispatch(ids));
    },
  };
}
