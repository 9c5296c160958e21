import { addStrings } from "../../platform/i18n/i18n.ts";
import type { ModuleManifest } from "../../platform/module.ts";
import { measureReminders } from "./action-plan.ts";
import { registerActionPlanRoutes } from "./action-plan-routes.ts";
import { registerLibraryApi } from "./api.ts";
import { registerAssessmentRoutes } from "./assessment-routes.ts";
import { registerCommentRoundRoutes } from "./comment-round-routes.ts";
import { seedDemoLibrary } from "./demo.ts";
import { knowledgeDe } from "./locales/de.ts";
import { knowledgeEn } from "./locales/en.ts";
import { assessmentPolicy, libraryPolicy, pollPolicy, practicePolicy, strategyPolicy, surveyPolicy } from "./policy.ts";
import { registerPollRoutes } from "./poll-routes.ts";
import { registerLibraryRoutes } from "./routes.ts";
import { registerStrategyRoutes } from "./strategy-routes.ts";
import { registerSurveyRoutes } from "./survey-routes.ts";

export { assessmentTaken, practiceAdopted, practiceFeedbackGiven, practicePublished } from "./events.ts";

addStrings("de", knowledgeDe);
addStrings("en", knowledgeEn);

/**
 * Strategie & Wissen: the good-practice library (written in a workspace, reviewed by the national
 * level, published for the network or the public, searched in German, adopted as a linked copy and
 * given feedback); the self-assessment, compared with the medians of peers; the strategy concept in
 * versions with its action plan; and participation — comment rounds on the draft, an anonymous staff
 * survey and an anonymous live poll.
 */
export const knowledgeModule: ModuleManifest = {
  name: "knowledge",
  reservedPaths: ["wissen"],
  register(app, platform, nav) {
    registerLibraryRoutes(app, platform, nav);
    registerAssessmentRoutes(app, platform, nav);
    registerSurveyRoutes(app, platform, nav);
    registerStrategyRoutes(app, platform, nav);
    registerActionPlanRoutes(app, platform, nav);
    registerPollRoutes(app, platform, nav);
    registerCommentRoundRoutes(app, platform, nav);
    registerLibraryApi(app, platform);
  },
  nav(request) {
    const tenant = request.currentTenant;
    if (!request.actor || !tenant) return [];
    if (libraryPolicy.can(request.actor, "open", tenant)) return [{ href: "/wissen", label: request.t("knowledge.nav") }];
    return [];
  },
  schedules: (platform) => [measureReminders(platform)],
  sealedColumns: [
    { table: "knowledge_round_comments", tenantColumn: "tenant_id", idColumn: "id", column: "body", context: "knowledge_round_comments.body" },
    { table: "knowledge_round_comments", tenantColumn: "tenant_id", idColumn: "id", column: "signature", context: "knowledge_round_comments.signature" },
  ],
  demo: seedDemoLibrary,
  policies: [practicePolicy, libraryPolicy, assessmentPolicy, surveyPolicy, strategyPolicy, pollPolicy],
  apiTags: [{ name: "knowledge", description: "The good-practice library: German search, practices, adoption, and whose practices travelled to whom." }],
};
