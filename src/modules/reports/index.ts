import multipart from "@fastify/multipart";
import { addStrings } from "../../platform/i18n/i18n.ts";
import type { ModuleManifest } from "../../platform/module.ts";
import { forgetFileNamesOfAnonymous } from "./anonymous-files.ts";
import { registerReportApi } from "./api.ts";
import { SEALED } from "./commands.ts";
import { seedDemoReports } from "./demo.ts";
import { expireDraftsEverywhere } from "./drafts.ts";
import type { FloodAlert } from "./flood.ts";
import { reportsAr, shellAr } from "./locales/ar.ts";
import { reportsDe } from "./locales/de.ts";
import { reportsEn } from "./locales/en.ts";
import { reportsRu, shellRu } from "./locales/ru.ts";
import { reportsTr, shellTr } from "./locales/tr.ts";
import { reportsUk, shellUk } from "./locales/uk.ts";
import { notifyOfficeOfReport } from "./notifications.ts";
import { registerOfficeRoutes } from "./office.ts";
import { reportPolicy } from "./policy.ts";
import { anonymousClientKey } from "./public-flow.ts";
import { registerReportRoutes } from "./routes.ts";
import { publicTenantCacheClear } from "./tenants.ts";
import { uploadSpooling } from "./uploads.ts";

export { caseNumbersOf } from "./case-numbers.ts";
export { checkCaseNumber, isCaseNumber } from "./commands.ts";
export {
  type ConsentRevoked,
  consentRevoked,
  type FeedbackGiven,
  feedbackGiven,
  type QuestionAnswered,
  questionAnswered,
  type ReportReceived,
  reportReceived,
} from "./events.ts";
export { mediaTypeLabel } from "./evidence.ts";
export { askFeedback, type FeedbackRow, feedbackInMailbox, feedbackPending, feedbackValues, recordedFeedbackInput, recordFeedback } from "./feedback.ts";
export { OfficeFeedback } from "./feedback-view.ts";
export { decisionsOf, revokeConsent } from "./mailbox-decisions.ts";
export { ReportExtractView, ReportMaterial } from "./office.ts";
export {
  disclosedExtract,
  type ReportDetail,
  type ReportExtract,
  readReport,
  replyToReporter,
  reportNotices,
  setReporterStatus,
  unreadMessagesByReport,
} from "./office-commands.ts";
export { OfficeQuestions } from "./office-questions-view.ts";
export { reportPolicy } from "./policy.ts";
export { askReporter, consentInTx, type QuestionRow, questionInput, recordAnswer, recordedAnswerInput } from "./questions.ts";
export { purgeReports } from "./retention.ts";
export { DATA_CATEGORIES, type DataCategory, type QuestionDetails } from "./schema.ts";
export { answerLines } from "./summary.ts";

addStrings("de", reportsDe);
addStrings("en", reportsEn);
// The reporting flow is also offered in the languages of those affected; the shell strings those
// pages need come with it (the rest of the interface stays German and English).
for (const [lang, shell, strings] of [
  ["tr", shellTr, reportsTr],
  ["ar", shellAr, reportsAr],
  ["uk", shellUk, reportsUk],
  ["ru", shellRu, reportsRu],
] as const) {
  addStrings(lang, shell);
  addStrings(lang, strings);
}

/** Meldestelle: public reporting (named, confidential, anonymous), evidence, mailbox, the office's inbox. */
export const reportsModule: ModuleManifest = {
  name: "reports",
  register(app, platform, nav) {
    platform.broadcast.subscribe("tenant.updated", () => publicTenantCacheClear(platform));
    platform.events.on("reports.flood", (a: FloodAlert) =>
      app.log.warn(
        { tenant: a.tenantSlug, reports: a.count, windowMinutes: a.windowMinutes },
        "reports are arriving far above the usual rate; the clearing office was alerted",
      ),
    );
    app.register(async (scope) => {
      await scope.register(multipart, {
        attachFieldsToBody: true,
        throwFileSizeLimit: false,
        onFile: uploadSpooling(scope, {
          maxUploadBytes: platform.config.reportMaxUploadBytes,
          budgetBytes: platform.config.reportUploadBudgetBytes,
          clientKey: anonymousClientKey,
          counters: platform.counters,
          publicUrl: platform.config.publicUrl,
        }),
        limits: { fileSize: platform.config.reportMaxFileBytes, files: 20, fields: 60, fieldSize: 100_000, parts: 100 },
      });
      registerReportRoutes(scope, platform, nav);
      registerOfficeRoutes(scope, platform, nav);
      registerReportApi(scope, platform);
    });
  },
  demo: seedDemoReports,
  eventHandlers: (platform) => [notifyOfficeOfReport(platform), forgetFileNamesOfAnonymous(platform)],
  schedules: (platform) => [expireDraftsEverywhere(platform)],
  policies: [reportPolicy],
  sealedColumns: [
    { table: "reports", tenantColumn: "tenant_id", idColumn: "id", column: "content", context: SEALED.content },
    { table: "report_contacts", tenantColumn: "tenant_id", idColumn: "report_id", column: "contact", context: SEALED.contact },
    { table: "report_drafts", tenantColumn: "tenant_id", idColumn: "id", column: "data", context: SEALED.draft },
    { table: "evidence", tenantColumn: "tenant_id", idColumn: "id", column: "meta", context: SEALED.evidenceMeta },
    { table: "evidence_blobs", tenantColumn: "tenant_id", idColumn: "evidence_id", column: "data", context: SEALED.evidenceBytes, batchSize: 4 },
    { table: "report_messages", tenantColumn: "tenant_id", idColumn: "id", column: "body", context: SEALED.message },
    { table: "report_questions", tenantColumn: "tenant_id", idColumn: "id", column: "note", context: SEALED.questionNote },
    { table: "report_questions", tenantColumn: "tenant_id", idColumn: "id", column: "answer_note", context: SEALED.answerNote },
    { table: "report_feedback", tenantColumn: "tenant_id", idColumn: "report_id", column: "comment", context: SEALED.feedbackComment },
  ],
  apiTags: [
    {
      name: "reports",
      description:
        "Public intake of reports, so a municipality can offer reporting in its own systems. No account needed; the same validation and storage as the web form.",
    },
  ],
};
