import type { ModuleManifest } from "../../platform/module.ts";
import { registerSiteRoutes } from "./routes.ts";

/** Public pages: home, start page, Impressum, Datenschutz, Barrierefreiheit with feedback. */
export const siteModule: ModuleManifest = {
  name: "site",
  register: registerSiteRoutes,
};
