import type { ModuleManifest } from "../../platform/module.ts";
import { FEEDBACK_CONTACT, FEEDBACK_MESSAGE, registerSiteRoutes } from "./routes.ts";

/** Public pages: home, start page, Impressum, Datenschutz, Barrierefreiheit with feedback. */
export const siteModule: ModuleManifest = {
  name: "site",
  reservedPaths: ["start", "impressum", "datenschutz", "barrierefreiheit"],
  register: registerSiteRoutes,
  sealedColumns: [
    { table: "accessibility_feedback", idColumn: "id", column: "message", context: FEEDBACK_MESSAGE },
    { table: "accessibility_feedback", idColumn: "id", column: "contact", context: FEEDBACK_CONTACT },
  ],
};
