import { addStrings } from "../../platform/i18n/i18n.ts";
import type { ModuleManifest } from "../../platform/module.ts";
import { activityHandlers } from "./activity.ts";
import { registerLagebildApi } from "./api.ts";
import { seedDemoFigures } from "./demo.ts";
import { statisticsHandlers } from "./handlers.ts";
import { monitoringDe } from "./locales/de.ts";
import { monitoringEn } from "./locales/en.ts";
import { lagebildPolicy } from "./policy.ts";
import { rollupRebuild } from "./rebuild.ts";
import { registerLagebildRoutes } from "./routes.ts";

addStrings("de", monitoringDe);
addStrings("en", monitoringEn);

/**
 * Lagebild: one anonymised statistics record per case, fed by the clearing procedure's events
 * and kept when the case is deleted; counts across municipalities kept up to date with every
 * change (rollups); a municipality's own figures and the national ones, with disclosure control,
 * as pages with charts and tables and as CSV and JSON.
 */
export const monitoringModule: ModuleManifest = {
  name: "monitoring",
  reservedPaths: ["lagebild"],
  register(app, platform, nav) {
    registerLagebildRoutes(app, platform, nav);
    registerLagebildApi(app, platform);
  },
  nav(request) {
    const tenant = request.currentTenant;
    if (!request.actor || !tenant) return [];
    if (lagebildPolicy.can(request.actor, "view", { id: tenant.id, kind: tenant.kind })) return [{ href: "/lagebild", label: request.t("monitoring.nav") }];
    return [];
  },
  eventHandlers: (platform) => [...statisticsHandlers(platform), ...activityHandlers(platform)],
  schedules: (platform) => [rollupRebuild(platform)],
  demo: seedDemoFigures,
  demoAfter: ["cases", "knowledge", "trainings"],
  policies: [lagebildPolicy],
  apiTags: [{ name: "lagebild", description: "The situation picture: anonymised figures, withheld below 5, for the national level and each municipality." }],
};
