import { addStrings } from "../../platform/i18n/i18n.ts";
import type { ModuleManifest } from "../../platform/module.ts";
import { COACHING_SEALED } from "./coaching.ts";
import { registerCoachingRoutes } from "./coaching-routes.ts";
import { COUNSEL_SEALED } from "./counsel.ts";
import { registerCounselRoutes } from "./counsel-routes.ts";
import { seedDemoTrainings } from "./demo.ts";
import { trainingsDe } from "./locales/de.ts";
import { trainingsEn } from "./locales/en.ts";
import { registerNeedsRoutes } from "./needs-routes.ts";
import { sessionReminders } from "./participation.ts";
import { coachingAskPolicy, coachingPolicy, counselOpenPolicy, counselPolicy, formatPolicy, needsPolicy, sessionPolicy, trainingsPolicy } from "./policy.ts";
import { registerTrainingRoutes } from "./routes.ts";

export { attendanceRecorded } from "./events.ts";

addStrings("de", trainingsDe);
addStrings("en", trainingsEn);

/**
 * Trainings & Coachings: the needs assessment with its recommended formats, the catalog of formats (the national level's for the whole network, a
 * municipality's for its own people), sessions with registration, waiting list and calendar
 * invitations, attendance, certificates and anonymous feedback; who was trained goes to the
 * Lagebild as events; confidential coaching requests from leaders to the national level's
 * coaches or the municipality's own trainers; and collegial case counselling across
 * municipalities, with roles, phases, a de-identification step and live phase changes.
 */
export const trainingsModule: ModuleManifest = {
  name: "trainings",
  reservedPaths: ["trainings"],
  register(app, platform, nav) {
    registerNeedsRoutes(app, platform, nav);
    registerCoachingRoutes(app, platform, nav);
    registerCounselRoutes(app, platform, nav);
    registerTrainingRoutes(app, platform, nav);
  },
  nav(request) {
    const tenant = request.currentTenant;
    if (!request.actor || !tenant) return [];
    if (trainingsPolicy.can(request.actor, "open", { id: tenant.id, kind: tenant.kind })) return [{ href: "/trainings", label: request.t("trainings.nav") }];
    return [];
  },
  schedules: (platform) => [sessionReminders(platform)],
  demo: seedDemoTrainings,
  demoAfter: ["knowledge"],
  policies: [trainingsPolicy, formatPolicy, sessionPolicy, needsPolicy, coachingPolicy, coachingAskPolicy, counselPolicy, counselOpenPolicy],
  sealedColumns: [...COACHING_SEALED, ...COUNSEL_SEALED],
};
