import type { ModuleManifest } from "../../platform/module.ts";
import { registerAdminApi } from "./api.ts";
import { registerInvitationRoutes } from "./invitation-routes.ts";
import { registerPeopleRoutes } from "./people-routes.ts";
import { accountPolicy, auditPolicy, outboxPolicy, peoplePolicy, settingsPolicy, siteTextsPolicy, tenantPolicy } from "./policy.ts";
import { registerRoleConfirmationRoutes } from "./role-confirmation-routes.ts";
import { seedDemoRoleRequest } from "./role-confirmations.ts";
import { adminNav, registerAdminRoutes } from "./routes.ts";

export { describeAction } from "./audit-log.ts";
export { createTenant, findTenant } from "./commands.ts";
export { invitePerson } from "./invitations.ts";
export { auditPolicy, outboxPolicy, peoplePolicy, rolesFor, tenantPolicy } from "./policy.ts";
export { invitationInput, LAENDER, tenantInput } from "./schemas.ts";

/** Tenants, people and roles, the audit log and the development outbox. */
export const adminModule: ModuleManifest = {
  name: "admin",
  reservedPaths: ["verwaltung", "einladung"],
  register(app, platform, nav) {
    registerAdminRoutes(app, platform, nav);
    registerPeopleRoutes(app, platform, nav);
    registerInvitationRoutes(app, platform, nav);
    registerRoleConfirmationRoutes(app, platform);
    registerAdminApi(app, platform);
  },
  nav: adminNav,
  demo: seedDemoRoleRequest,
  policies: [tenantPolicy, settingsPolicy, siteTextsPolicy, peoplePolicy, accountPolicy, auditPolicy, outboxPolicy],
  apiTags: [
    { name: "account", description: "The person behind the token or session." },
    { name: "tenants", description: "Municipalities (tenants): list, read and create." },
    { name: "people", description: "People of a municipality, their roles and invitations." },
  ],
};
