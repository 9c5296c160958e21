import { addStrings } from "../../platform/i18n/i18n.ts";
import type { ModuleManifest } from "../../platform/module.ts";
import { agreementReminders } from "./agreements.ts";
import { registerAgreementRoutes } from "./agreements-routes.ts";
import { registerAllianceApi } from "./api.ts";
import { registerAllianceCsvRoutes } from "./csv-routes.ts";
import { seedDemoAlliance } from "./demo.ts";
import { cardStrings } from "./locales/card.ts";
import { allianceDe } from "./locales/de.ts";
import { allianceEn } from "./locales/en.ts";
import { registerNationalDirectoryRoutes } from "./national-routes.ts";
import { cardPolicy, circlePolicy, directoryPolicy, nationalDirectoryPolicy, partnerEntryPolicy, workspacePolicy } from "./policy.ts";
import { registerAllianceRoutes } from "./routes.ts";
import { registerWorkspaceRoutes } from "./workspace-routes.ts";

export { CardSection } from "./card-view.ts";
export { cardIsPublic, type EmergencyCard, publicEmergencyCard } from "./commands.ts";
export { type PartnerAccountLinked, type PartnerAccountUnlinked, partnerAccountLinked, partnerAccountUnlinked } from "./events.ts";
export { accountIdsOf, accountsActingFor, organisationOfAccount } from "./partner-accounts.ts";
export { displayPhone } from "./phone.ts";
export { cardPolicy, directoryPolicy } from "./policy.ts";
export { type Assignee, partnersOffering, type Responsibilities, whoIsResponsible } from "./responsibilities.ts";

addStrings("de", allianceDe);
addStrings("en", allianceEn);
for (const [lang, strings] of Object.entries(cardStrings)) addStrings(lang, { alliance: strings });

/** The local alliance: its partners, who to call, and the emergency card everyone can find. */
export const allianceModule: ModuleManifest = {
  name: "alliance",
  reservedPaths: ["allianz", "notfallkarte-sw.js"],
  register(app, platform, nav) {
    registerAllianceRoutes(app, platform, nav);
    registerAllianceCsvRoutes(app, platform, nav);
    registerNationalDirectoryRoutes(app, platform, nav);
    registerWorkspaceRoutes(app, platform, nav);
    registerAgreementRoutes(app, platform, nav);
    registerAllianceApi(app, platform);
  },
  nav(request) {
    const tenant = request.currentTenant;
    if (tenant && directoryPolicy.can(request.actor, "read", tenant)) return [{ href: "/allianz", label: request.t("alliance.nav") }];
    // The partners' people: the workspace is their way into the alliance.
    if (tenant && workspacePolicy.can(request.actor, "open", tenant)) return [{ href: "/allianz/arbeitsraum", label: request.t("alliance.workspace.nav") }];
    if (tenant && nationalDirectoryPolicy.can(request.actor, "edit", tenant))
      return [{ href: "/allianz/bundesweit", label: request.t("alliance.national.nav") }];
    return [];
  },
  demo: seedDemoAlliance,
  schedules: (platform) => [agreementReminders(platform)],
  apiTags: [{ name: "alliance", description: "The local alliance: its partners, and the emergency card composed from them." }],
  policies: [directoryPolicy, cardPolicy, nationalDirectoryPolicy, partnerEntryPolicy, workspacePolicy, circlePolicy],
  sealedColumns: [
    { table: "alliance_contacts", tenantColumn: "tenant_id", idColumn: "id", column: "name", context: "alliance_contacts.name" },
    { table: "alliance_contacts", tenantColumn: "tenant_id", idColumn: "id", column: "phone", context: "alliance_contacts.phone" },
    { table: "alliance_contacts", tenantColumn: "tenant_id", idColumn: "id", column: "email", context: "alliance_contacts.email" },
    { table: "alliance_meetings", tenantColumn: "tenant_id", idColumn: "id", column: "agenda", context: "alliance_meetings.agenda" },
    { table: "alliance_meetings", tenantColumn: "tenant_id", idColumn: "id", column: "minutes", context: "alliance_meetings.minutes" },
    { table: "alliance_decisions", tenantColumn: "tenant_id", idColumn: "id", column: "text", context: "alliance_decisions.text" },
  ],
};
