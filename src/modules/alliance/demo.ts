import type { Actor } from "../../platform/authz/policy.ts";
import type { DemoContext } from "../../platform/module.ts";
import type { Platform } from "../../platform/platform.ts";
import { addContact, directory, savePartner } from "./commands.ts";
import type { OpeningHours } from "./hours.ts";
import { addResponsibility } from "./responsibilities.ts";
import type { CardSituation, PartnerKind } from "./schema.ts";
import type { PARTNER_LANGUAGES, ResponsibilityInput } from "./schemas.ts";

/*
 * A demo alliance for Musterstadt. Every organisation, person, address and number is made up; the
 * phone numbers are from the ranges the Bundesnetzagentur keeps free for film and fiction
 * (030 23125 xxx, 069 90009 xxx), so that nobody real is called.
 */

const weekdays = (from: string, to: string, days: (1 | 2 | 3 | 4 | 5 | 6 | 7)[] = [1, 2, 3, 4, 5]) => days.map((day) => ({ day, from, to }));

const PARTNERS: {
  name: string;
  kind: PartnerKind;
  services: string;
  phone: string;
  email: string;
  web: string;
  languages: (typeof PARTNER_LANGUAGES)[number][];
  hours: OpeningHours;
  card: CardSituation[];
  accessibility?: string;
  contact?: { name: string; function: string; phone: string; email: string };
}[] = [
  {
    name: "Polizeipräsidium Musterstadt – Staatsschutz",
    kind: "police",
    services: "Anzeigen, Gefährdungseinschätzung und Schutzmaßnahmen bei politisch motivierten Bedrohungen.",
    phone: "+493023125100",
    email: "staatsschutz@polizei-musterstadt.example",
    web: "https://polizei-musterstadt.example",
    languages: ["de", "en"],
    hours: { alwaysOpen: true, slots: [] },
    card: ["threat", "online"],
    contact: {
      name: "Robin Beispielkommissar",
      function: "Kontaktbeamt:in für Amts- und Mandatsträger",
      phone: "+493023125101",
      email: "kontakt.staatsschutz@polizei-musterstadt.example",
    },
  },
  {
    name: "Beratungsstelle Lichtblick – Opferberatung",
    kind: "victim_support",
    services: "Vertrauliche, kostenlose Beratung für Betroffene rechter, rassistischer und antisemitischer Gewalt – auch ohne Anzeige.",
    phone: "+496990009200",
    email: "beratung@lichtblick.example",
    web: "https://lichtblick.example",
    languages: ["de", "en", "tr", "ar"],
    hours: { alwaysOpen: false, slots: [...weekdays("09:00", "13:00"), ...weekdays("14:00", "17:00", [1, 2, 3, 4])] },
    card: ["threat", "support"],
    accessibility: "Stufenloser Zugang; Gespräche in Gebärdensprache nach Absprache.",
    contact: { name: "Deniz Musterberaterin", function: "Beraterin", phone: "+496990009201", email: "d.musterberaterin@lichtblick.example" },
  },
  {
    name: "Mobile Beratung Musterland",
    kind: "mobile_counselling",
    services: "Berät Verwaltung, Vereine und Initiativen im Umgang mit rechtsextremen Vorfällen vor Ort.",
    phone: "+496990009300",
    email: "team@mobile-beratung-musterland.example",
    web: "https://mobile-beratung-musterland.example",
    languages: ["de", "en"],
    hours: { alwaysOpen: false, slots: weekdays("09:00", "16:00") },
    card: ["support"],
  },
  {
    name: "Netzwache – Hilfe bei Hass im Netz",
    kind: "helpline",
    services: "Hilft, Beweise zu sichern, Inhalte zu melden und Anzeige zu erstatten.",
    phone: "+493023125400",
    email: "hilfe@netzwache.example",
    web: "https://netzwache.example",
    languages: ["de", "en", "uk", "ru"],
    hours: { alwaysOpen: false, slots: [...weekdays("08:00", "20:00"), ...weekdays("10:00", "14:00", [6])] },
    card: ["online"],
  },
  {
    name: "Musterstadt – Personalamt",
    kind: "administration",
    services: "Dienstliche Unterstützung für Beschäftigte: Schutz am Arbeitsplatz, Strafantrag des Dienstherrn, Freistellung.",
    phone: "+493023125500",
    email: "personalamt@musterstadt.example",
    web: "https://musterstadt.example",
    languages: ["de"],
    hours: { alwaysOpen: false, slots: weekdays("08:00", "15:30") },
    card: [],
  },
  {
    name: "Verein Brücken Musterstadt e. V.",
    kind: "migrant_organisation",
    services: "Begleitung zu Behörden und Beratungsstellen, Sprachmittlung.",
    phone: "+496990009600",
    email: "kontakt@bruecken-musterstadt.example",
    web: "https://bruecken-musterstadt.example",
    languages: ["de", "ar", "fa", "tr", "uk"],
    hours: { alwaysOpen: false, slots: weekdays("15:00", "19:00", [2, 4]) },
    card: ["support"],
  },
];

export async function seedDemoAlliance(platform: Platform, context: DemoContext): Promise<void> {
  const tenant = context.tenants.get("musterstadt");
  const admin = context.users.get("verwaltung@demo.example");
  if (!tenant || !admin) return;
  const actor: Actor = { userId: admin, memberships: [{ tenantId: tenant.id, role: "municipal_admin" }], nationalTenantId: platform.nationalTenant.id };
  if ((await directory(platform, actor, tenant)).partners.length > 0) return;
  const ids = new Map<PartnerKind, string>();
  for (const p of PARTNERS) {
    const id = await savePartner(platform, actor, tenant, null, {
      name: p.name,
      kind: p.kind,
      services: p.services,
      phone: p.phone,
      email: p.email,
      web: p.web,
      region: "Musterstadt und Landkreis Musterland",
      languages: p.languages,
      accessibility: p.accessibility ?? "",
      cardSituations: p.card,
      hours: p.hours,
    });
    ids.set(p.kind, id);
    if (p.contact) await addContact(platform, actor, tenant, id, p.contact);
  }
  // Who does what: the clearing office takes every report in; a threat of level 2 or more goes to
  // the police at the first assessment; victim counselling is consulted on measures and leads aftercare.
  const role = (r: string) => ({ assigneeKind: "role" as const, assigneeRole: r, partnerId: null, userId: null });
  const partner = (kind: PartnerKind) => ({ assigneeKind: "partner" as const, assigneeRole: null, partnerId: ids.get(kind) as string, userId: null });
  const lines: ResponsibilityInput[] = [
    { stage: "intake", form: null, level: null, raci: "responsible", assignee: role("clearing_officer") },
    { stage: "assessment", form: null, level: null, raci: "responsible", assignee: role("clearing_officer") },
    { stage: "assessment", form: "threat", level: 2, raci: "consulted", assignee: partner("police") },
    { stage: "assessment", form: "threat", level: 3, raci: "responsible", assignee: partner("police") },
    { stage: "assessment", form: null, level: 3, raci: "informed", assignee: role("leader") },
    { stage: "measures", form: null, level: null, raci: "consulted", assignee: partner("victim_support") },
    { stage: "measures", form: null, level: null, raci: "informed", assignee: partner("administration") },
    { stage: "aftercare", form: null, level: null, raci: "responsible", assignee: partner("victim_support") },
    { stage: "closure", form: null, level: null, raci: "responsible", assignee: role("clearing_officer") },
  ];
  for (const line of lines) await addResponsibility(platform, actor, tenant, line);
}
