import { hasRole } from "../../platform/authz/policy.ts";
import { addStrings } from "../../platform/i18n/i18n.ts";
import type { ModuleManifest } from "../../platform/module.ts";
import { registerCaseApi } from "./api.ts";
import { escalateOnAssessment, noticeOfDecision } from "./assessment.ts";
import { registerCaseFileApi } from "./case-api.ts";
import { feedbackIntoStatistics } from "./closing-figures.ts";
import { registerClosureRoutes } from "./closure-routes.ts";
import { openCaseOnReport } from "./commands.ts";
import { seedDemoCases } from "./demo.ts";
import { dailyDigest } from "./digest.ts";
import { leaderShareOnAnswer, leaderShareOnRevocation, leaderSharePolicy } from "./leaders.ts";
import { registerLeaderRoutes } from "./leaders-routes.ts";
import { casesDe } from "./locales/de.ts";
import { casesEn } from "./locales/en.ts";
import { casePolicy, inboxPolicy } from "./policy.ts";
import { procedurePolicy } from "./procedure-editor.ts";
import { registerProcedureRoutes } from "./procedure-routes.ts";
import { referralsOnAccountLinked, referralsOnAccountUnlinked } from "./referral-accounts.ts";
import { referralPolicy } from "./referral-policy.ts";
import { referralOnAnswer, referralOnRevocation } from "./referrals.ts";
import { retentionJob, retentionPolicy } from "./retention.ts";
import { registerCaseRoutes } from "./routes.ts";
import { deadlineReminders } from "./tasks.ts";

export { type OfficeNotices, officeNotices } from "./commands.ts";
export { type ClosingFigures, caseAssessed, caseAssigned, caseClosed, caseDismissed, caseFeedbackRecorded, caseOpened, caseReopened } from "./events.ts";
export { type CaseRef, casePolicy, inboxPolicy } from "./policy.ts";
export { OfficeNoticesView } from "./views.ts";

addStrings("de", casesDe);
addStrings("en", casesEn);

/** Cases: every report opens one; the clearing office's inbox, each case, who leads it. */
export const casesModule: ModuleManifest = {
  name: "cases",
  reservedPaths: ["faelle", "vermittlungen", "fuehrung"],
  register(app, platform, nav) {
    registerCaseRoutes(app, platform, nav);
    registerClosureRoutes(app, platform, nav);
    registerLeaderRoutes(app, platform, nav);
    registerProcedureRoutes(app, platform, nav);
    registerCaseApi(app, platform);
    registerCaseFileApi(app, platform);
  },
  nav(request) {
    const tenant = request.currentTenant;
    if (!tenant) return [];
    if (inboxPolicy.can(request.actor, "list", tenant)) return [{ href: "/faelle", label: request.t("office.nav") }];
    const entries = [];
    // The people acting for a partner find the cases referred to their organisation.
    if (tenant.kind !== "national" && hasRole(request.actor, tenant.id, "alliance_partner"))
      entries.push({ href: "/vermittlungen", label: request.t("cases.referrals.nav") });
    // Leaders find the cases shared with them, with the affected person's consent.
    if (tenant.kind !== "national" && hasRole(request.actor, tenant.id, "leader")) entries.push({ href: "/fuehrung", label: request.t("cases.leaders.nav") });
    // The municipality's admins set the clearing procedure and how long closed cases are kept (the office finds both from the inbox).
    if (procedurePolicy.can(request.actor, "configure", tenant)) entries.push({ href: "/faelle/verfahren", label: request.t("cases.procedure.nav") });
    return entries;
  },
  demo: seedDemoCases,
  // Referrals go to the demo alliance's partners.
  demoAfter: ["reports", "alliance"],
  eventHandlers: (platform) => [
    openCaseOnReport(platform),
    escalateOnAssessment(platform),
    noticeOfDecision(platform),
    referralOnAnswer(platform),
    referralOnRevocation(platform),
    referralsOnAccountLinked(platform),
    referralsOnAccountUnlinked(platform),
    feedbackIntoStatistics(platform),
    leaderShareOnAnswer(platform),
    leaderShareOnRevocation(platform),
  ],
  sealedColumns: [
    { table: "case_assessments", tenantColumn: "tenant_id", idColumn: "id", column: "justification", context: "case_assessments.justification" },
    { table: "case_tasks", tenantColumn: "tenant_id", idColumn: "id", column: "note", context: "case_tasks.note" },
    { table: "case_tasks", tenantColumn: "tenant_id", idColumn: "id", column: "outcome", context: "case_tasks.outcome" },
    { table: "case_referrals", tenantColumn: "tenant_id", idColumn: "id", column: "purpose", context: "case_referrals.purpose" },
    { table: "case_referrals", tenantColumn: "tenant_id", idColumn: "id", column: "outcome", context: "case_referrals.outcome" },
    { table: "case_referrals", tenantColumn: "tenant_id", idColumn: "id", column: "exception_reason", context: "case_referrals.exception_reason" },
    { table: "case_closures", tenantColumn: "tenant_id", idColumn: "id", column: "note", context: "case_closures.note" },
    { table: "case_closures", tenantColumn: "tenant_id", idColumn: "id", column: "return_reason", context: "case_closures.return_reason" },
    { table: "case_legal_holds", tenantColumn: "tenant_id", idColumn: "id", column: "reason", context: "case_legal_holds.reason" },
    { table: "case_notes", tenantColumn: "tenant_id", idColumn: "id", column: "body", context: "case_notes.body" },
    { table: "case_leader_shares", tenantColumn: "tenant_id", idColumn: "id", column: "summary", context: "case_leader_shares.summary" },
    { table: "case_perpetrators", tenantColumn: "tenant_id", idColumn: "id", column: "description", context: "case_perpetrators.description" },
  ],
  schedules: (platform) => [deadlineReminders(platform), retentionJob(platform), dailyDigest(platform)],
  policies: [inboxPolicy, casePolicy, referralPolicy, retentionPolicy, leaderSharePolicy, procedurePolicy],
  apiTags: [{ name: "cases", description: "The clearing office's cases: the inbox and who leads each case." }],
};
