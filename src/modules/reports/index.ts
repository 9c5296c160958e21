import multipart from "@fastify/multipart";
import { addStrings } from "../../platform/i18n/i18n.ts";
import type { ModuleManifest } from "../../platform/module.ts";
import { registerReportApi } from "./api.ts";
import { reportsAr } from "./locales/ar.ts";
import { reportsDe } from "./locales/de.ts";
import { reportsEn } from "./locales/en.ts";
import { reportsRu } from "./locales/ru.ts";
import { reportsTr } from "./locales/tr.ts";
import { reportsUk } from "./locales/uk.ts";
import { registerOfficeRoutes } from "./office.ts";
import { reportPolicy } from "./policy.ts";
import { registerReportRoutes } from "./routes.ts";

export { reportPolicy } from "./policy.ts";

addStrings("de", reportsDe);
addStrings("en", reportsEn);
addStrings("tr", reportsTr);
addStrings("ar", reportsAr);
addStrings("uk", reportsUk);
addStrings("ru", reportsRu);

/** Meldestelle: public reporting (named, confidential, anonymous), evidence, mailbox, the office's inbox. */
export const reportsModule: ModuleManifest = {
  name: "reports",
  register(app, platform, nav) {
    app.register(async (scope) => {
      await scope.register(multipart, {
        attachFieldsToBody: true,
        throwFileSizeLimit: false,
        limits: { fileSize: platform.config.reportMaxFileBytes, files: 20, fields: 60, fieldSize: 100_000 },
      });
      registerReportRoutes(scope, platform, nav);
      registerOfficeRoutes(scope, platform, nav);
      registerReportApi(scope, platform);
    });
  },
  nav(request) {
    const tenant = request.currentTenant;
    return tenant && reportPolicy.can(request.actor, "list", tenant) ? [{ href: "/faelle", label: request.t("office.nav") }] : [];
  },
};
