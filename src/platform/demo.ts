import { eq } from "drizzle-orm";
import { appendAudit } from "./audit/audit.ts";
import { hashPassword } from "./auth/passwords.ts";
import { newRecoveryCodes, totpFor } from "./auth/totp.ts";
import { type Role, SECOND_FACTOR_ROLES } from "./authz/policy.ts";
import { withTenant } from "./db/client.ts";
import { memberships, recoveryCodes, tenants, users } from "./db/schema.ts";
import { type DemoContext, demoOrder, type ModuleManifest } from "./module.ts";
import type { Platform } from "./platform.ts";

/*
 * Demo data: the national level, 10 model and 50 network municipalities with fictional
 * names and well-formed AGS (Land code + a Kreis number above 900, which no real Kreis uses),
 * and one account per role. Nothing here names a real person or place.
 */

export const DEMO_PASSWORD = "Demo-Zugang-2026!";

/**
 * The platform as it was `hours` after `from` (negative: before), for demo data that tells a
 * history: what a module's demo does through it is dated then (a report's arrival, the office's
 * first step on it), while the events it causes are handled as they come.
 */
export function demoPlatformAt(platform: Platform, from: Date, hours: number): Platform {
  const at = new Date(from.getTime() + hours * 3_600_000);
  return { ...platform, clock: { now: () => at } };
}

const DEMO_IMPRINT = `Dies ist eine Demo-Installation von KommA mit erfundenen Kommunen, Personen und Fällen.

Betreiberin (fiktiv): KommA-Demo, Beispielweg 1, 00000 Musterstadt
E-Mail: demo@demo.example`;

const DEMO_PRIVACY_NOTICE = `Beispieltext der Demo: Eine Kommune trägt hier ihre eigenen Datenschutzhinweise für die Meldestelle ein.

Verantwortlich: Stadt Musterstadt (fiktiv), Clearingstelle, Musterplatz 1, 00000 Musterstadt.

Wozu: Ihre Meldung wird bearbeitet, um Sie zu unterstützen und zu schützen. Wer anonym meldet, hinterlässt keine IP-Adresse; Namen von Dateien werden ersetzt.

Wer sie sieht: die Clearingstelle der Stadt. An eine Beratungsstelle oder die Polizei geht etwas nur mit Ihrer Zustimmung.

Wie lange: bis drei Jahre nach Abschluss des Falls, dann wird er gelöscht. Es bleibt nur eine Statistik ohne Namen und ohne Freitext.

Ihre Rechte: Auskunft, Berichtigung, Löschung, Einschränkung, Widerspruch und Beschwerde bei der Datenschutzaufsicht Ihres Landes.`;
export const DEMO_DOMAIN = "demo.example";

const PREFIXES = ["Muster", "Beispiel", "Probe", "Exempel", "Vorlage", "Platzhalter", "Schablone", "Skizze", "Entwurf", "Attrappe"];
const SUFFIXES = ["stadt", "heim", "dorf", "hausen", "feld", "burg"];
const LAND_CODES = ["06", "05", "09", "08", "03", "14", "12", "16", "01", "07", "13", "15", "10", "02", "04", "11"];

export interface DemoMunicipality {
  name: string;
  slug: string;
  ags: string;
  land: string;
  kind: "model" | "platform";
}

export function demoMunicipalities(): DemoMunicipality[] {
  const out: DemoMunicipality[] = [];
  let i = 0;
  for (const suffix of SUFFIXES) {
    for (const prefix of PREFIXES) {
      const name = `${prefix}${suffix}`;
      const land = LAND_CODES[i % LAND_CODES.length];
      // Model municipalities: the "-stadt" row (Musterstadt first), in 8 Länder as in the project.
      const kind = suffix === "stadt" ? "model" : "platform";
      const landForModel = kind === "model" ? LAND_CODES[i % 8] : land;
      out.push({
        name,
        slug: name.toLowerCase(),
        ags: `${landForModel}9${String(i).padStart(2, "0")}${String(100 + i).slice(-3)}`,
        land: landForModel,
        kind,
      });
      i++;
    }
  }
  return out;
}

/** Fixed TOTP secrets for the demo accounts that need a second factor (base32). */
export const DEMO_TOTP: Record<string, string> = {
  [`admin@${DEMO_DOMAIN}`]: "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP",
  [`verwaltung@${DEMO_DOMAIN}`]: "KRSXG5CTMVRXEZLUKRSXG5CTMVRXEZLU",
  [`clearing@${DEMO_DOMAIN}`]: "MFRGGZDFMZTWQ2LKMFRGGZDFMZTWQ2LK",
  [`clearing2@${DEMO_DOMAIN}`]: "ONSWG4TFORZWC3DUONSWG4TFORZWC3DU",
  [`partner@${DEMO_DOMAIN}`]: "OBQXE5DOMVZGC3DMNFQW4Y3FOBQXE5DO",
};

export const DEMO_ACCOUNTS: { email: string; name: string; tenant: "bund" | "musterstadt"; roles: Role[] }[] = [
  { email: `admin@${DEMO_DOMAIN}`, name: "Robin Bundesmuster", tenant: "bund", roles: ["national_admin"] },
  { email: `beirat@${DEMO_DOMAIN}`, name: "Sascha Beiratsbeispiel", tenant: "bund", roles: ["advisory_board"] },
  { email: `verwaltung@${DEMO_DOMAIN}`, name: "Kim Verwaltungsmuster", tenant: "musterstadt", roles: ["municipal_admin"] },
  { email: `clearing@${DEMO_DOMAIN}`, name: "Jona Clearingbeispiel", tenant: "musterstadt", roles: ["clearing_officer"] },
  { email: `clearing2@${DEMO_DOMAIN}`, name: "Luca Clearingmuster", tenant: "musterstadt", roles: ["clearing_officer"] },
  { email: `fuehrung@${DEMO_DOMAIN}`, name: "Alex Leitungsmuster", tenant: "musterstadt", roles: ["leader"] },
  { email: `mitarbeit@${DEMO_DOMAIN}`, name: "Sam Mitarbeitsbeispiel", tenant: "musterstadt", roles: ["staff"] },
  { email: `partner@${DEMO_DOMAIN}`, name: "Noa Partnermuster", tenant: "musterstadt", roles: ["alliance_partner"] },
  { email: `training@${DEMO_DOMAIN}`, name: "Mika Trainingsbeispiel", tenant: "musterstadt", roles: ["trainer"] },
];

/**
 * Starts the modules' work on the demo data that need not hold up the first page
 * (`demoInBackground`): all of it where the demo was just `seeded`, at a later start what is
 * still `due` (a start stopped before it was done). Each settles on its own.
 */
export async function startDemoInBackground(
  platform: Platform,
  modules: readonly ModuleManifest[],
  opts: { seeded: boolean; say: (line: string) => void; failed: (err: unknown, module: string) => void },
): Promise<void> {
  const { say, failed } = opts;
  const working: ModuleManifest[] = [];
  for (const m of modules) if (m.demoInBackground && (opts.seeded || (await m.demoInBackground.due(platform)))) working.push(m);
  if (working.length === 0) return;
  const what = working.map((m) => m.demoInBackground?.what).join("; ");
  say(
    opts.seeded
      ? `Part of the demo data is being prepared in the background (${what}): it follows within minutes.`
      : `Part of the demo data was not done at the last stop and is being prepared in the background again (${what}): it follows within minutes.`,
  );
  for (const m of working)
    m.demoInBackground?.run(platform).then(
      () => say(`Demo: done in the background — ${m.demoInBackground?.what}.`),
      (err: unknown) => failed(err, m.name),
    );
}

/**
 * Seeds demo data once; returns false when it was there already. The platform makes the
 * municipalities and people; then each module adds its own (its manifest's `demo`), in the
 * order of the modules, with the events of one delivered before the next begins.
 */
export async function seedDemo(platform: Platform, modules: readonly ModuleManifest[]): Promise<boolean> {
  const db = platform.db;
  const [existing] = await db.select().from(tenants).where(eq(tenants.slug, "musterstadt"));
  if (existing) return false;
  const now = platform.clock.now();
  const bySlug = new Map<string, string>([["bund", platform.nationalTenant.id]]);
  for (const m of demoMunicipalities()) {
    // The model municipality of the demo shows how a clearing office is reached and what its reporting form
    // tells about data (a fictional address; 0123 is no German area code).
    const contact =
      m.slug === "musterstadt"
        ? {
            contactPhone: "0123 456 780",
            contactEmail: "clearingstelle@musterstadt.example",
            contactHours: "Mo–Fr 8–16 Uhr",
            privacyNotice: DEMO_PRIVACY_NOTICE,
          }
        : {};
    const [row] = await db
      .insert(tenants)
      .values({ ...m, ...contact })
      .returning();
    bySlug.set(m.slug, row.id);
    await withTenant(db, row.id, async (tx) => {
      await platform.keyring.createTenantKey(tx, row.id);
      await appendAudit(
        tx,
        { tenantId: row.id, actorId: null, action: "tenant.created", objectType: "tenant", objectId: row.id, details: { source: "demo" } },
        now,
      );
    });
  }
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const national = platform.nationalTenant.id;
  // An Impressum, so that the footer's link shows one (the Datenschutzerklärung keeps its default: how KommA handles data).
  await db.update(tenants).set({ imprint: DEMO_IMPRINT }).where(eq(tenants.id, national));
  const userIds = new Map<string, string>();
  for (const account of DEMO_ACCOUNTS) {
    const secret = DEMO_TOTP[account.email];
    const sealed = secret ? await withTenant(db, national, (tx) => platform.keyring.seal(tx, national, secret, "users.totp_secret")) : null;
    const [user] = await db
      .insert(users)
      .values({ email: account.email, displayName: account.name, passwordHash, status: "active", totpSecret: sealed, totpEnabledAt: sealed ? now : null })
      .returning();
    userIds.set(account.email, user.id);
    const tenantId = bySlug.get(account.tenant) as string;
    await withTenant(db, tenantId, (tx) => tx.insert(memberships).values(account.roles.map((role) => ({ tenantId, userId: user.id, role }))));
    if (sealed) {
      await db.insert(recoveryCodes).values(newRecoveryCodes().map((c) => ({ userId: user.id, codeHash: platform.keyring.lookupHash("recovery", c) })));
    }
  }
  const all = await db.select().from(tenants);
  const context: DemoContext = {
    tenants: new Map(all.map((t) => [t.slug, { id: t.id, slug: t.slug, name: t.name, kind: t.kind as "national" | "model" | "platform" }])),
    users: userIds,
  };
  for (const m of demoOrder(modules)) {
    if (!m.demo) continue;
    await m.demo(platform, context);
    await platform.domainEvents.drain();
  }
  return true;
}

/** The current TOTP code of a demo account (never of a real one). */
export function demoTotpCode(email: string, now: Date): string | null {
  const secret = DEMO_TOTP[email.toLowerCase()];
  return secret ? totpFor(secret, email).generate({ timestamp: now.getTime() }) : null;
}

/** What `npm start` prints about the demo: where it runs, and how each account signs in. */
export function demoSignInLines(publicUrl: string): string[] {
  return [
    `\nKommA demo is running at ${publicUrl}\n`,
    `Demo sign-ins (password for all: ${DEMO_PASSWORD}):`,
    ...DEMO_ACCOUNTS.map((a) => {
      const second = a.roles.some((r) => SECOND_FACTOR_ROLES.includes(r));
      return `  ${a.email.padEnd(28)} ${a.roles.join(", ").padEnd(18)} ${a.tenant}${second ? `  (second factor: npm run komma -- demo code ${a.email})` : ""}`;
    }),
    "",
  ];
}
