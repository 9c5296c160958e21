import { addStrings } from "../../platform/i18n/i18n.ts";
import type { ModuleManifest } from "../../platform/module.ts";
import { activityHandlers } from "./activity.ts";
import { registerLagebildApi } from "./api.ts";
import { registerBoardRoutes } from "./board-routes.ts";
import { releaseDemoFigures, seedDemoFigures } from "./demo.ts";
import { statisticsHandlers } from "./handlers.ts";
import { monitoringDe } from "./locales/de.ts";
import { monitoringEn } from "./locales/en.ts";
import { boardPolicy, lagebildPolicy } from "./policy.ts";
import { anyReleased, rollupRebuild } from "./rebuild.ts";
import { registerLagebildRoutes } from "./routes.ts";

addStrings("de", monitoringDe);
addStrings("en", monitoringEn);

/**
 * Lagebild: one anonymised statistics record per case, fed by the clearing procedure's events
 * and kept when the case is deleted; counts across municipalities kept up to date with every
 * change (rollups); a municipality's own figures and the national ones, with disclosure control,
 * as pages with charts and tables, as CSV, JSON, API and a yearly PDF report; and the advisory
 * board's workspace with its meeting papers.
 */
export const monitoringModule: ModuleManifest = {
  name: "monitoring",
  reservedPaths: ["lagebild", "beirat"],
  register(app, platform, nav) {
    registerLagebildRoutes(app, platform, nav);
    registerLagebildApi(app, platform);
    registerBoardRoutes(app, platform, nav);
  },
  nav(request) {
    const tenant = request.currentTenant;
    if (!request.actor || !tenant) return [];
    const ref = { id: tenant.id, kind: tenant.kind };
    return [
      ...(lagebildPolicy.can(request.actor, "view", ref) ? [{ href: "/lagebild", label: request.t("monitoring.nav") }] : []),
      ...(boardPolicy.can(request.actor, "read", ref) ? [{ href: "/beirat", label: request.t("monitoring.board.nav") }] : []),
    ];
  },
  eventHandlers: (platform) => [...statisticsHandlers(platform), ...activityHandlers(platform)],
  schedules: (platform) => [rollupRebuild(platform)],
  demo: seedDemoFigures,
  demoAfter: ["cases", "knowledge", "trainings"],
  demoInBackground: {
    what: "the Lagebild's first national figures, at /lagebild as beirat@demo.example",
    due: async (platform) => !(await anyReleased(platform.db)),
    run: releaseDemoFigures,
  },
  policies: [lagebildPolicy, boardPolicy],
  apiTags: [{ name: "lagebild", description: "The situation picture: anonymised figures, withheld below 5, for the national level and each municipality." }],
};
