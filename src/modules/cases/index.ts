import { addStrings } from "../../platform/i18n/i18n.ts";
import type { ModuleManifest } from "../../platform/module.ts";
import { registerCaseApi } from "./api.ts";
import { escalateOnAssessment, noticeOfDecision } from "./assessment.ts";
import { openCaseOnReport } from "./commands.ts";
import { seedDemoCases } from "./demo.ts";
import { casesDe } from "./locales/de.ts";
import { casesEn } from "./locales/en.ts";
import { casePolicy, inboxPolicy } from "./policy.ts";
import { registerCaseRoutes } from "./routes.ts";
import { deadlineReminders } from "./tasks.ts";

export { type OfficeNotices, officeNotices } from "./commands.ts";
export { caseAssessed, caseAssigned, caseOpened } from "./events.ts";
export { type CaseRef, casePolicy, inboxPolicy } from "./policy.ts";
export { OfficeNoticesView } from "./views.ts";

addStrings("de", casesDe);
addStrings("en", casesEn);

/** Cases: every report opens one; the clearing office's inbox, each case, who leads it. */
export const casesModule: ModuleManifest = {
  name: "cases",
  reservedPaths: ["faelle"],
  register(app, platform, nav) {
    registerCaseRoutes(app, platform, nav);
    registerCaseApi(app, platform);
  },
  nav(request) {
    const tenant = request.currentTenant;
    return tenant && inboxPolicy.can(request.actor, "list", tenant) ? [{ href: "/faelle", label: request.t("office.nav") }] : [];
  },
  demo: seedDemoCases,
  eventHandlers: (platform) => [openCaseOnReport(platform), escalateOnAssessment(platform), noticeOfDecision(platform)],
  sealedColumns: [
    { table: "case_assessments", tenantColumn: "tenant_id", idColumn: "id", column: "justification", context: "case_assessments.justification" },
    { table: "case_tasks", tenantColumn: "tenant_id", idColumn: "id", column: "note", context: "case_tasks.note" },
    { table: "case_tasks", tenantColumn: "tenant_id", idColumn: "id", column: "outcome", context: "case_tasks.outcome" },
  ],
  schedules: (platform) => [deadlineReminders(platform)],
  policies: [inboxPolicy, casePolicy],
  apiTags: [{ name: "cases", description: "The clearing office's cases: the inbox and who leads each case." }],
};
