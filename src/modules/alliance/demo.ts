import type { Actor } from "../../platform/authz/policy.ts";
import { berlinInstant } from "../../platform/calendar.ts";
import { checkUpload, DOCUMENT_TYPES } from "../../platform/files/files.ts";
import type { DemoContext } from "../../platform/module.ts";
import { PdfWriter } from "../../platform/pdf/pdf.ts";
import type { Platform } from "../../platform/platform.ts";
import { addAgreement } from "./agreements.ts";
import { addContact, directory, savePartner } from "./commands.ts";
import type { OpeningHours } from "./hours.ts";
import { adoptNationalEntry, nationalDirectory, saveNationalEntry } from "./national.ts";
import { linkPartnerAccount } from "./partner-accounts.ts";
import type { TenantRef } from "./policy.ts";
import { addResponsibility } from "./responsibilities.ts";
import type { CardSituation, PartnerKind } from "./schema.ts";
import type { NationalEntryInput, PARTNER_LANGUAGES, ResponsibilityInput } from "./schemas.ts";
import { addDecision, changeCircleMember, createMeeting, meeting, recordMinutes, setDecisionDone } from "./workspace.ts";

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

/** Fictional entries of the national directory: across the country, and in Musterstadt's Land (Hessen, 06) and another. */
const NATIONAL: NationalEntryInput[] = [
  {
    land: "bund",
    name: "Hilfetelefon Anfeindung (Beispiel)",
    kind: "helpline",
    services: "Bundesweites Beratungstelefon für Menschen, die wegen ihres Amtes oder Engagements angefeindet werden. Anonym und kostenlos.",
    phone: "+493023125910",
    email: "kontakt@hilfetelefon-anfeindung.example",
    web: "https://hilfetelefon-anfeindung.example/",
    languages: ["de", "en", "tr", "ar", "uk", "ru"],
    accessibility: "Auch per Gebärdensprach-Videotelefonie nach Absprache.",
    hours: { alwaysOpen: false, slots: weekdays("08:00", "20:00") },
  },
  {
    land: "bund",
    name: "Meldestelle Hass im Netz (Beispiel)",
    kind: "helpline",
    services: "Nimmt Hinweise auf strafbare Inhalte im Netz entgegen, sichert Beweise und leitet sie an die Strafverfolgung weiter.",
    phone: null,
    email: "hinweise@hass-im-netz.example",
    web: "https://hass-im-netz.example/",
    languages: ["de", "en"],
    accessibility: "",
    hours: { alwaysOpen: true, slots: [] },
  },
  {
    land: "06",
    name: "Landesnetzwerk Opferberatung Musterland (Beispiel)",
    kind: "victim_support",
    services: "Beratung für Betroffene rechter, rassistischer und antisemitischer Gewalt in ganz Musterland, auch vor Ort.",
    phone: "+496990009700",
    email: "beratung@opferberatung-musterland.example",
    web: "https://opferberatung-musterland.example/",
    languages: ["de", "ar", "tr"],
    accessibility: "",
    hours: { alwaysOpen: false, slots: weekdays("09:00", "16:00") },
  },
  {
    land: "06",
    name: "Landeskoordinierung Mobile Beratung (Beispiel)",
    kind: "mobile_counselling",
    services: "Berät Kommunen, Vereine und Initiativen landesweit im Umgang mit Anfeindungen und Rechtsextremismus.",
    phone: "+496990009710",
    email: "info@mobile-beratung-land.example",
    web: "",
    languages: ["de"],
    accessibility: "",
    hours: { alwaysOpen: false, slots: weekdays("10:00", "15:00", [1, 3, 5]) },
  },
  {
    land: "09",
    name: "Fachstelle gegen Anfeindung Beispielland (Beispiel)",
    kind: "antidiscrimination",
    services: "Beratung und Fortbildung für Verwaltungen.",
    phone: "+493023125920",
    email: "fachstelle@beispielland.example",
    web: "",
    languages: ["de", "en"],
    accessibility: "",
    hours: { alwaysOpen: false, slots: weekdays("09:00", "12:00") },
  },
];

/** The national directory, and Musterstadt's copy of the help line, which the national level has changed since. */
async function seedDemoNationalDirectory(platform: Platform, context: DemoContext, municipal: Actor, tenant: TenantRef): Promise<void> {
  const nationalAdmin = context.users.get("admin@demo.example");
  if (!nationalAdmin) return;
  const national = { id: platform.nationalTenant.id, kind: "national" as const };
  const actor: Actor = { userId: nationalAdmin, memberships: [{ tenantId: national.id, role: "national_admin" }], nationalTenantId: national.id };
  if ((await nationalDirectory(platform, actor, national)).entries.length > 0) return;
  const ids: string[] = [];
  for (const entry of NATIONAL) ids.push(await saveNationalEntry(platform, actor, national, null, { ...entry, web: entry.web || null }));
  await adoptNationalEntry(platform, municipal, tenant, ids[0]);
  await adoptNationalEntry(platform, municipal, tenant, ids[2]);
  await saveNationalEntry(platform, actor, national, ids[0], { ...NATIONAL[0], hours: { alwaysOpen: false, slots: weekdays("08:00", "22:00") } });
}

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
  await seedDemoNationalDirectory(platform, context, actor, tenant);
  await seedDemoWorkspace(platform, context, actor, tenant, ids.get("victim_support") as string);
  await seedDemoAgreements(platform, actor, tenant, ids);
}

/** Two agreements: with the counselling service (a signed document, ending in six weeks), and an open-ended one with the police. */
async function seedDemoAgreements(platform: Platform, actor: Actor, tenant: TenantRef, ids: Map<PartnerKind, string>): Promise<void> {
  const now = platform.clock.now();
  const day = (offset: number) => new Date(now.getTime() + offset * 86_400_000).toISOString().slice(0, 10);
  const pdf = new PdfWriter({ title: "Kooperationsvereinbarung", lang: "de", direction: "ltr" });
  pdf.paragraph("Kooperationsvereinbarung (Beispiel)", { size: 16, bold: true, after: 8 }, "H1");
  pdf.paragraph(
    "Zwischen der Stadt Musterstadt und der Beratungsstelle Lichtblick. Die Beratungsstelle berät Beschäftigte der Stadt nach Anfeindungen, vertraulich und kostenlos; die Clearingstelle vermittelt mit Einwilligung der Betroffenen.",
  );
  const file = await checkUpload({ name: "Kooperationsvereinbarung-Lichtblick.pdf", bytes: await pdf.finish() }, DOCUMENT_TYPES, 10_000_000);
  await addAgreement(
    platform,
    actor,
    tenant,
    ids.get("victim_support") as string,
    { title: "Beratung von Beschäftigten nach Anfeindungen", validFrom: day(-680), validUntil: day(42) },
    "problem" in file ? null : file,
  );
  await addAgreement(
    platform,
    actor,
    tenant,
    ids.get("police") as string,
    { title: "Ansprechstelle Staatsschutz", validFrom: day(-300), validUntil: null },
    null,
  );
}

/**
 * The workspace: the partner account acts for the victim counselling service; the alliance met
 * four weeks ago (minutes, attendance, two decisions, one done) and meets again in two weeks; the
 * strategy group has its own circle.
 */
async function seedDemoWorkspace(platform: Platform, context: DemoContext, actor: Actor, tenant: TenantRef, counselling: string): Promise<void> {
  const person = (email: string) => context.users.get(email);
  const [partnerAccount, officer, leader] = [person("partner@demo.example"), person("clearing@demo.example"), person("fuehrung@demo.example")];
  if (!partnerAccount || !officer || !leader) return;
  await linkPartnerAccount(platform, actor, tenant, counselling, partnerAccount, true);
  for (const userId of [actor.userId, officer, leader, partnerAccount]) await changeCircleMember(platform, actor, tenant, "alliance", userId, true);
  for (const userId of [actor.userId, leader]) await changeCircleMember(platform, actor, tenant, "strategy", userId, true);

  const day = 86_400_000;
  const at = (offsetDays: number, hour: number) => {
    const d = new Date(platform.clock.now().getTime() + offsetDays * day);
    return berlinInstant(d.toISOString().slice(0, 10), `${String(hour).padStart(2, "0")}:00`);
  };
  const past = await createMeeting(platform, actor, tenant, "alliance", {
    title: "Allianztreffen Herbst",
    startsAt: at(-28, 16),
    endsAt: at(-28, 18),
    place: "Rathaus Musterstadt, Sitzungssaal 2",
    link: null,
    agenda: "1. Lage seit dem Sommer\n2. Notfallkarte: Entwurf und Verteilung\n3. Schulung für die Bürgerbüros",
  });
  await recordMinutes(
    platform,
    actor,
    tenant,
    past,
    "Zu 1: Die Clearingstelle berichtet von drei Meldungen seit Juli, alle bearbeitet.\nZu 2: Der Entwurf der Notfallkarte wird angenommen; Auslage in allen Bürgerbüros.\nZu 3: Die Opferberatung bietet eine Schulung im ersten Quartal an.",
    new Map([
      [actor.userId, "present"],
      [officer, "present"],
      [partnerAccount, "present"],
      [leader, "excused"],
    ]),
    null,
  );
  const due = (offsetDays: number) => new Date(platform.clock.now().getTime() + offsetDays * day).toISOString().slice(0, 10);
  await addDecision(platform, actor, tenant, past, { text: "Notfallkarte in allen Bürgerbüros auslegen.", ownerId: actor.userId, due: due(-7) });
  await addDecision(platform, actor, tenant, past, { text: "Termin für die Schulung der Bürgerbüros vorschlagen.", ownerId: partnerAccount, due: due(21) });
  const [first] = (await meeting(platform, actor, tenant, past)).decisions;
  await setDecisionDone(platform, actor, tenant, past, first.id, true);
  await createMeeting(platform, actor, tenant, "alliance", {
    title: "Allianztreffen Winter",
    startsAt: at(14, 16),
    endsAt: at(14, 18),
    place: "",
    link: "https://video.musterstadt.example/allianz",
    agenda: "1. Rückblick auf das Jahr\n2. Schulungsplan",
  });
  await createMeeting(platform, actor, tenant, "strategy", {
    title: "Strategiegruppe: Handlungskonzept 2027",
    startsAt: at(7, 10),
    endsAt: at(7, 12),
    place: "Rathaus Musterstadt, Büro der Bürgermeisterin",
    link: null,
    agenda: "Entwurf des Handlungskonzepts besprechen.",
  });
}
