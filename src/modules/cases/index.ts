import { hasRole } from "../../platform/authz/policy.ts";
import { addStrings } from "../../platform/i18n/i18n.ts";
import type { ModuleManifest } from "../../platform/module.ts";
import { registerCaseApi } from "./api.ts";
import { escalateOnAssessment, noticeOfDecision } from "./assessment.ts";
import { feedbackIntoStatistics } from "./closure.ts";
import { openCaseOnReport } from "./commands.ts";
import { seedDemoCases } from "./demo.ts";
import { casesDe } from "./locales/de.ts";
import { casesEn } from "./locales/en.ts";
import { casePolicy, inboxPolicy } from "./policy.ts";
import { referralPolicy } from "./referral-policy.ts";
import { referralOnAnswer, referralOnRevocation } from "./referrals.ts";
import { registerCaseRoutes } from "./routes.ts";
import { deadlineReminders } from "./tasks.ts";

export { type OfficeNotices, officeNotices } from "./commands.ts";
export { caseAssessed, caseAssigned, caseClosed, caseOpened } from "./events.ts";
export { type CaseRef, casePolicy, inboxPolicy } from "./policy.ts";
export { OfficeNoticesView } from "./views.ts";

addStrings("de", casesDe);
addStrings("en", casesEn);

/** Cases: every report opens one; the clearing office's inbox, each case, who leads it. */
export const casesModule: ModuleManifest = {
  name: "cases",
  reservedPaths: ["faelle", "vermittlungen"],
  register(app, platform, nav) {
    registerCaseRoutes(app, platform, nav);
    registerCaseApi(app, platform);
  },
  nav(request) {
    const tenant = request.currentTenant;
    if (!tenant) return [];
    if (inboxPolicy.can(request.actor, "list", tenant)) return [{ href: "/faelle", label: request.t("office.nav") }];
    // The people acting for a partner find the cases referred to their organisation.
    if (tenant.kind !== "national" && hasRole(request.actor, tenant.id, "alliance_partner"))
      return [{ href: "/vermittlungen", label: request.t("cases.referrals.nav") }];
    return [];
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
    feedbackIntoStatistics(platform),
  ],
  sealedColumns: [
    { table: "case_assessments", tenantColumn: "tenant_id", idColumn: "id", column: "justification", context: "case_assessments.justification" },
    { table: "case_tasks", tenantColumn: "tenant_id", idColumn: "id", column: "note", context: "case_tasks.note" },
    { table: "case_tasks", tenantColumn: "tenant_id", idColumn: "id", column: "outcome", context: "case_tasks.outcome" },
    { table: "case_referrals", tenantColumn: "tenant_id", idColumn: "id", column: "purpose", context: "case_referrals.purpose" },
    { table: "case_referrals", tenantColumn: "tenant_id", idColumn: "id", column: "outcome", context: "case_referrals.outcome" },
    { table: "case_closures", tenantColumn: "tenant_id", idColumn: "id", column: "note", context: "case_closures.note" },
    { table: "case_closures", tenantColumn: "tenant_id", idColumn: "id", column: "return_reason", context: "case_closures.return_reason" },
  ],
  schedules: (platform) => [deadlineReminders(platform)],
  policies: [inboxPolicy, casePolicy, referralPolicy],
  apiTags: [{ name: "cases", description: "The clearing office's cases: the inbox and who leads each case." }],
};
