import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { sql } from "drizzle-orm";
import jsQRModule from "jsqr";
import sharp from "sharp";
import { savePartner } from "../../src/modules/alliance/commands.ts";
import { rows, withTenant } from "../../src/platform/db/client.ts";
import {
  Agent,
  createApiToken,
  createTenantFixture,
  createTestEnv,
  createUserFixture,
  type TenantFixture,
  type TestEnv,
  type UserFixture,
} from "../helpers/app.ts";
import { DB_KINDS } from "../helpers/db.ts";
import { pdfPages, pdfText } from "../helpers/pdf.ts";

/*
 * The alliance: a municipal admin keeps the directory of partners (bad input is refused with the
 * input kept, nothing half-saved; contact persons are sealed), everyone who works there reads it,
 * and the emergency card composed from it is public or for staff only — never for another
 * municipality's people. The card works in the reporting languages (Arabic right to left), its QR
 * code leads to the reporting form and its contacts can be saved as a vCard.
 */

const PARTNER = {
  name: "Beratungsstelle Regenbogen",
  kind: "victim_support",
  services: "Vertrauliche Beratung nach Angriffen.",
  phone: "069 90009 123",
  email: "beratung@regenbogen.example",
  web: "www.regenbogen.example",
  region: "Testkreis",
  languages: ["de", "ar"],
  accessibility: "",
  cardSituations: ["threat", "support"],
  // The test clock stands on Tuesday, 24 November 2026, 10:00 in Berlin.
  di_from_1: "09:00",
  di_to_1: "12:00",
  di_from_2: "13:00",
  di_to_2: "16:00",
};

/** The parts of a vCard file: each card's properties by name (values unescaped). */
function parseVcards(text: string): Record<string, string>[] {
  const unfolded = text.replace(/\r\n[ \t]/g, "");
  const cards: Record<string, string>[] = [];
  let current: Record<string, string> | null = null;
  for (const line of unfolded.split("\r\n")) {
    if (line === "BEGIN:VCARD") current = {};
    else if (line === "END:VCARD" && current) {
      cards.push(current);
      current = null;
    } else if (current && line.includes(":")) {
      const [head, ...value] = line.split(":");
      const name = head.split(";")[0].toUpperCase();
      current[name] = (current[name] ? `${current[name]}\n` : "") + value.join(":").replace(/\\([,;\\])/g, "$1");
    }
  }
  return cards;
}

// jsqr's types declare an ES default export; the file exports the function itself.
const jsQR = jsQRModule as unknown as typeof jsQRModule.default;

for (const kind of DB_KINDS) {
  describe(`alliance (${kind})`, () => {
    let env: TestEnv;
    let tenant: TenantFixture;
    let other: TenantFixture;
    let admin: UserFixture;
    let staff: UserFixture;
    let otherAdmin: UserFixture;
    let partnerPath = "";

    async function signedIn(user: UserFixture) {
      const agent = new Agent(env.app);
      env.clock.advance(30_000);
      const res = await agent.signIn(user, env.clock);
      assert.equal(res.headers.location, "/start");
      return agent;
    }
    async function countPartners(tenantId: string): Promise<number> {
      const [r] = await withTenant(env.platform.db, tenantId, (tx) => rows<{ n: number }>(tx, sql`select count(*)::int as n from alliance_partners`));
      return r.n;
    }

    before(async () => {
      env = await createTestEnv(kind);
      tenant = await createTenantFixture(env);
      other = await createTenantFixture(env);
      admin = await createUserFixture(env, [{ tenantId: tenant.id, role: "municipal_admin" }], { totp: true });
      staff = await createUserFixture(env, [{ tenantId: tenant.id, role: "staff" }]);
      otherAdmin = await createUserFixture(env, [{ tenantId: other.id, role: "municipal_admin" }], { totp: true });
    });
    after(() => env.close());

    test("bad input is refused with every error at once, the input kept and nothing saved", async () => {
      const agent = await signedIn(admin);
      await agent.get("/allianz/partner/neu");
      const res = await agent.post("/allianz/partner/neu", {
        ...PARTNER,
        phone: "12",
        email: "beratung@",
        web: "javascript:alert(1)",
        mo_from_1: "12:00",
        mo_to_1: "09:00",
        di_from_2: "11:00",
      });
      assert.equal(res.statusCode, 400);
      assert.match(res.body, /kern-alert--danger[\s\S]*Telefonnummer/, "an error summary names the phone number");
      assert.match(res.body, /E-Mail-Adresse im Format/);
      assert.match(res.body, /Webadresse/);
      assert.match(res.body, /href="#f-mo_to_1"[^>]*>Das Ende muss nach dem Beginn liegen/, "the summary leads to the end time that is wrong");
      assert.match(res.body, /href="#f-di_from_2"[^>]*>Die Zeiträume eines Tages dürfen sich nicht überschneiden/, "and to the period that overlaps");
      assert.match(res.body, /name="mo_from_1"[^>]*value="12:00"|value="12:00"[^>]*name="mo_from_1"/, "the times stay as typed");
      assert.match(res.body, /value="Beratungsstelle Regenbogen"/, "the name stays as typed");
      assert.match(res.body, /value="beratung@"/);
      assert.equal(await countPartners(tenant.id), 0, "nothing half-saved");
    });

    test("a municipal admin enters a partner and a contact person; the contact is sealed at rest", async () => {
      const agent = await signedIn(admin);
      await agent.get("/allianz/partner/neu");
      const res = await agent.post("/allianz/partner/neu", PARTNER);
      assert.equal(res.statusCode, 303, res.body.slice(0, 500));
      partnerPath = String(res.headers.location);
      const page = await agent.get(partnerPath);
      assert.match(page.body, /Beratungsstelle Regenbogen/);
      assert.match(page.body, /href="tel:\+496990009123"/, "the number is stored normalised and callable");
      assert.match(page.body, /href="https:\/\/www\.regenbogen\.example\/"/);

      const added = await agent.post(`${partnerPath}/kontakte`, { name: "Ayla Testberaterin", function: "Beraterin", phone: "+49 69 90009 124", email: "" });
      assert.equal(added.statusCode, 303);
      assert.match((await agent.get(partnerPath)).body, /Ayla Testberaterin/);
      const stored = await withTenant(env.platform.db, tenant.id, (tx) =>
        rows<{ name: string; phone: string }>(tx, sql`select name, phone from alliance_contacts`),
      );
      assert.equal(stored.length, 1);
      assert.match(stored[0].name, /^k1\./, "the name is sealed");
      assert.match(stored[0].phone, /^k1\./, "the phone number is sealed");

      const list = await agent.get("/allianz");
      assert.match(list.body, /Beratungsstelle Regenbogen/);
      assert.match(list.body, /Jetzt erreichbar/, "open at 10:00 on a Tuesday");
    });

    test("staff read the directory but cannot change it", async () => {
      const agent = await signedIn(staff);
      assert.match((await agent.get("/allianz")).body, /Beratungsstelle Regenbogen/);
      assert.equal((await agent.get("/allianz/partner/neu")).statusCode, 404);
      const page = await agent.get(partnerPath);
      assert.equal(page.statusCode, 200);
      assert.doesNotMatch(page.body, /bearbeiten/, "no edit link");
      assert.equal((await agent.post("/allianz/partner/neu", PARTNER)).statusCode, 404);
      assert.equal((await agent.post("/allianz/partner/neu", { ...PARTNER, name: "" })).statusCode, 404, "not the form with its errors either");
      assert.equal((await agent.post("/allianz/notfallkarte", { cardVisibility: "bogus" })).statusCode, 404);
      assert.equal((await agent.post(`${partnerPath}/entfernen`, {})).statusCode, 404);
      assert.equal(await countPartners(tenant.id), 1);
    });

    test("another municipality's admin neither sees nor changes this directory", async () => {
      const agent = await signedIn(otherAdmin);
      assert.doesNotMatch((await agent.get("/allianz")).body, /Regenbogen/);
      assert.equal((await agent.get(partnerPath)).statusCode, 404);
      assert.equal((await agent.post(`${partnerPath}/bearbeiten`, { ...PARTNER, name: "Übernommen" })).statusCode, 404);
      assert.equal((await agent.post(`${partnerPath}/entfernen`, {})).statusCode, 404);
      assert.equal((await agent.post(`${partnerPath}/kontakte`, { name: "X", phone: "069 90009 125" })).statusCode, 404);
      assert.equal(await countPartners(tenant.id), 1);
    });

    test("the public card names the partner with a callable number, open now, and is one link from the municipality's page", async () => {
      const start = await env.app.inject({ url: `/${tenant.slug}` });
      assert.match(start.body, new RegExp(`href="/${tenant.slug}/notfallkarte`));
      const card = await env.app.inject({ url: `/${tenant.slug}/notfallkarte` });
      assert.equal(card.statusCode, 200);
      assert.match(card.body, /href="tel:110"/);
      assert.match(card.body, /Beratungsstelle Regenbogen/);
      assert.match(card.body, /href="tel:\+496990009123"/);
      assert.match(card.body, /Jetzt erreichbar/);
      assert.doesNotMatch(card.body, /Ayla Testberaterin/, "contact persons are not on the card");

      // The page after sending a report shows who helps now, from the card.
      const reporter = new Agent(env.app);
      await reporter.get(`/${tenant.slug}/melden`);
      const done = await reporter.post(`/${tenant.slug}/melden/eingang`, { confirm: "yes", fall: "", anonym: "1", code: "", sprache: "de" });
      assert.equal(done.statusCode, 200);
      assert.match(done.body, /Wer jetzt hilft[\s\S]*Beratungsstelle Regenbogen[\s\S]*href="tel:\+496990009123"/);
      assert.match(done.body, new RegExp(`href="/${tenant.slug}/notfallkarte\\?sprache=de"`));
      assert.equal(done.body.match(/Beratungsstelle Regenbogen/g)?.length, 1, "a partner for after a threat and for counselling is named once");

      const arabic = await env.app.inject({ url: `/${tenant.slug}/notfallkarte?sprache=ar` });
      assert.match(arabic.body, /<html lang="ar" dir="rtl"/);
      assert.match(arabic.body, /بطاقة الطوارئ/);
    });

    test("the card's QR code leads to the reporting form, and its contacts are a vCard", async () => {
      const card = await env.app.inject({ url: `/${tenant.slug}/notfallkarte` });
      const svg = /<svg[\s\S]*?<\/svg>/.exec(card.body)?.[0] ?? "";
      const { data, info } = await sharp(Buffer.from(svg)).resize(400).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
      assert.equal(
        jsQR(new Uint8ClampedArray(data.buffer, data.byteOffset, data.length), info.width, info.height)?.data,
        `${env.platform.config.publicUrl}/${tenant.slug}/melden`,
      );

      const vcf = await env.app.inject({ url: `/${tenant.slug}/notfallkarte.vcf` });
      assert.equal(vcf.statusCode, 200);
      assert.match(String(vcf.headers["content-type"]), /^text\/vcard/);
      const cards = parseVcards(vcf.body);
      const partner = cards.find((c) => (c.ORG ?? c.FN ?? "").includes("Beratungsstelle Regenbogen"));
      assert.ok(partner, "the partner is in the file");
      assert.match(partner.TEL ?? "", /\+496990009123/);
      assert.ok(
        cards.some((c) => (c.TEL ?? "").includes("110")),
        "the police emergency number is too",
      );
    });

    test("the card is a one-page PDF with the contacts, in German and in Arabic in logical order", async () => {
      const de = await env.app.inject({ url: `/${tenant.slug}/notfallkarte.pdf` });
      assert.equal(de.statusCode, 200);
      assert.equal(de.headers["content-type"], "application/pdf");
      assert.equal(pdfPages(de.rawPayload), 1);
      const text = pdfText(de.rawPayload);
      assert.match(text, /In akuter Gefahr: sofort anrufen/);
      assert.match(text, /110 Polizei/);
      assert.match(text, /Beratungsstelle Regenbogen/);
      assert.match(text, /069 90009123|069 90009 123|069 9000 9123/);
      assert.match(text, new RegExp(`${env.platform.config.publicUrl}/${tenant.slug}/melden`));
      assert.doesNotMatch(text, /Ayla Testberaterin/, "contact persons are not on the card");

      const ar = await env.app.inject({ url: `/${tenant.slug}/notfallkarte.pdf?sprache=ar` });
      const arabic = pdfText(ar.rawPayload);
      assert.match(arabic, /بطاقة الطوارئ/, "the title's words in the order they are read");
      assert.match(arabic, /بعد تهديد أو اعتداء/);
      assert.match(arabic, /Beratungsstelle Regenbogen/, "the German name stays readable inside the Arabic card");
      assert.match(arabic, /110/);
    });

    test("a card of a large alliance still fits one page of PDF, in a smaller type", async () => {
      const actor = {
        userId: otherAdmin.id,
        memberships: [{ tenantId: other.id, role: "municipal_admin" as const }],
        nationalTenantId: env.platform.nationalTenant.id,
      };
      for (let i = 1; i <= 8; i++) {
        await savePartner(env.platform, actor, other, null, {
          name: `Beratungsstelle Nummer ${i} für den ganzen Landkreis`,
          kind: "victim_support",
          services: "Vertrauliche und kostenlose Beratung für Betroffene rechter, rassistischer und antisemitischer Gewalt, auch vor Ort.",
          phone: `+49699000940${i}`,
          email: `stelle${i}@beratung.example`,
          web: null,
          region: "",
          languages: ["de", "ar", "tr"],
          accessibility: "",
          cardSituations: i % 2 === 0 ? ["threat", "support"] : ["online"],
          hours: { alwaysOpen: false, slots: [1, 2, 3, 4, 5].map((day) => ({ day: day as 1, from: "09:00", to: "17:00" })) },
        });
      }
      for (const lang of ["de", "ar"]) {
        const res = await env.app.inject({ url: `/${other.slug}/notfallkarte.pdf?sprache=${lang}` });
        assert.equal(pdfPages(res.rawPayload), 1, lang);
        assert.match(pdfText(res.rawPayload), /Beratungsstelle Nummer 8/);
      }
    });

    test("the API lists the directory for the municipality's people and serves the card as JSON", async () => {
      const token = await createApiToken(env, staff);
      const list = await env.app.inject({ url: `/api/v1/tenants/${tenant.slug}/alliance/partners`, headers: { authorization: `Bearer ${token}` } });
      assert.equal(list.statusCode, 200);
      const partner = list.json().data.find((p: { name: string }) => p.name === "Beratungsstelle Regenbogen");
      assert.equal(partner.phone, "+496990009123");
      assert.equal(partner.openNow, true);
      assert.deepEqual(list.json().policies, { read: true, edit: false });
      assert.doesNotMatch(list.body, /Ayla/, "no contact persons");
      const outsider = await createApiToken(env, otherAdmin);
      const refused = await env.app.inject({ url: `/api/v1/tenants/${tenant.slug}/alliance/partners`, headers: { authorization: `Bearer ${outsider}` } });
      assert.equal(refused.statusCode, 404);
      assert.match(String(refused.headers["content-type"]), /application\/problem\+json/);

      const card = await env.app.inject({ url: `/api/v1/tenants/${tenant.slug}/emergency-card` });
      assert.equal(card.statusCode, 200);
      assert.equal(card.json().data.situations.threat[0].name, "Beratungsstelle Regenbogen");
      assert.equal(card.json().data.reportingForm, `${env.platform.config.publicUrl}/${tenant.slug}/melden`);
    });

    test("two partners of the same name are two entries on the card and in the vCard; invisible names and links with credentials are refused", async () => {
      const agent = await signedIn(admin);
      await agent.get("/allianz/partner/neu");
      for (const phone of ["069 90009 301", "069 90009 302"]) {
        const res = await agent.post("/allianz/partner/neu", {
          name: "Hilfe e. V.",
          kind: "victim_support",
          phone,
          cardSituations: "support",
          alwaysOpen: "yes",
        });
        assert.equal(res.statusCode, 303);
        await agent.get("/allianz/partner/neu");
      }
      const vcf = await env.app.inject({ url: `/${tenant.slug}/notfallkarte.vcf` });
      assert.match(vcf.body, /\+496990009301/);
      assert.match(vcf.body, /\+496990009302/);
      const card = await env.app.inject({ url: `/${tenant.slug}/notfallkarte` });
      assert.match(card.body, /tel:\+496990009301/);
      assert.match(card.body, /tel:\+496990009302/);

      for (const bad of [{ name: "\u200b" }, { name: "Hilfe\u202eV. e" }, { web: "https://bank.example@elsewhere.example/" }]) {
        const res = await agent.post("/allianz/partner/neu", { ...PARTNER, ...bad });
        assert.equal(res.statusCode, 400, JSON.stringify(bad));
        await agent.get("/allianz/partner/neu");
      }
    });

    test("a staff-only card is for the people of the municipality only", async () => {
      const agent = await signedIn(admin);
      await agent.get("/allianz");
      assert.equal((await agent.post("/allianz/notfallkarte", { cardVisibility: "staff" })).statusCode, 303);
      const signedOut = await env.app.inject({ url: `/${tenant.slug}/notfallkarte` });
      assert.equal(signedOut.statusCode, 303, "not for the public: whoever kept the link is asked to sign in");
      assert.equal(signedOut.headers.location, `/anmelden?weiter=${encodeURIComponent(`/${tenant.slug}/notfallkarte`)}`);
      assert.doesNotMatch(signedOut.body, /Regenbogen/);
      for (const file of [".vcf", ".pdf"]) {
        const download = await env.app.inject({ url: `/${tenant.slug}/notfallkarte${file}` });
        assert.equal(download.statusCode, 303, `${file}: signed out, asked to sign in`);
        assert.equal(download.headers.location, `/anmelden?weiter=${encodeURIComponent(`/${tenant.slug}/notfallkarte${file}`)}`);
        assert.doesNotMatch(download.body, /Regenbogen/);
      }
      assert.equal((await env.app.inject({ url: `/api/v1/tenants/${tenant.slug}/emergency-card` })).statusCode, 404);
      const staffToken = await createApiToken(env, staff);
      assert.equal(
        (await env.app.inject({ url: `/api/v1/tenants/${tenant.slug}/emergency-card`, headers: { authorization: `Bearer ${staffToken}` } })).statusCode,
        200,
      );
      assert.doesNotMatch((await env.app.inject({ url: `/${tenant.slug}` })).body, /notfallkarte/, "the public page does not link to it");
      const outsider = await signedIn(otherAdmin);
      assert.equal((await outsider.get(`/${tenant.slug}/notfallkarte`)).statusCode, 404, "nor for another municipality");
      assert.equal((await outsider.get(`/${tenant.slug}/notfallkarte.pdf`)).statusCode, 404);
      const colleague = await signedIn(staff);
      const mine = await colleague.get(`/${tenant.slug}/notfallkarte`);
      assert.equal(mine.statusCode, 200);
      assert.match(String(mine.headers["cache-control"]), /no-store/);
      await agent.get("/allianz");
      assert.equal((await agent.post("/allianz/notfallkarte", { cardVisibility: "public" })).statusCode, 303);
    });

    test("the responsibility matrix answers who is responsible for a level-2 threat at the first assessment", async () => {
      const agent = await signedIn(admin);
      await agent.get("/allianz/partner/neu");
      const police = await agent.post("/allianz/partner/neu", { name: "Polizei Testkreis", kind: "police", phone: "030 23125 900", alwaysOpen: "yes" });
      const policeId = String(police.headers.location).split("/").at(-1) as string;
      await agent.get("/allianz/zustaendigkeiten");
      const lines = [
        { stage: "assessment", form: "threat", level: "2", raci: "responsible", assignee: `partner:${policeId}` },
        { stage: "assessment", form: "", level: "", raci: "consulted", assignee: "role:clearing_officer" },
        { stage: "assessment", form: "insult", level: "", raci: "responsible", assignee: "role:leader" },
        { stage: "measures", form: "threat", level: "2", raci: "informed", assignee: `person:${admin.id}` },
      ];
      for (const line of lines) {
        const res = await agent.post("/allianz/zustaendigkeiten", line);
        assert.equal(res.statusCode, 303, res.body.slice(0, 300));
        await agent.get("/allianz/zustaendigkeiten");
      }
      // A partner or person of another municipality cannot be named.
      const strangerPartner = await withTenant(env.platform.db, other.id, (tx) =>
        rows<{ id: string }>(
          tx,
          sql`insert into alliance_partners (tenant_id, name, kind, hours, created_at, updated_at) values (${other.id}, 'Fremd', 'police', '{"alwaysOpen":true,"slots":[]}', now(), now()) returning id`,
        ),
      );
      for (const assignee of [`partner:${strangerPartner[0].id}`, `person:${otherAdmin.id}`, "role:national_admin", "nobody"]) {
        const res = await agent.post("/allianz/zustaendigkeiten", { stage: "intake", form: "", level: "", raci: "responsible", assignee });
        assert.equal(res.statusCode, 400, assignee);
        assert.match(res.body, /Bitte wählen Sie eine Rolle, einen Partner der Allianz oder eine Person dieser Kommune/);
        await agent.get("/allianz/zustaendigkeiten");
      }

      const { whoIsResponsible, partnersOffering } = await import("../../src/modules/alliance/index.ts");
      const answer = await whoIsResponsible(env.platform, tenant.id, { stage: "assessment", form: "threat", level: 2 });
      assert.deepEqual(
        answer.responsible.map((a) => (a.kind === "partner" ? a.partner.name : a.kind)),
        ["Polizei Testkreis"],
        "the police, not the leader named for insults",
      );
      assert.deepEqual(answer.consulted, [{ kind: "role", role: "clearing_officer" }], "a line for every form and level applies too");
      assert.deepEqual(answer.informed, []);
      const offering = await partnersOffering(env.platform, tenant.id, { kind: "police", openAt: env.clock.now() });
      assert.deepEqual(
        offering.map((p) => [p.name, p.openNow]),
        [["Polizei Testkreis", true]],
      );

      const page = await agent.get("/allianz/zustaendigkeiten");
      assert.match(page.body, /Ersteinschätzung[\s\S]*Polizei Testkreis[\s\S]*Bedrohung, Stufe 2/);
      const colleague = await signedIn(staff);
      assert.match((await colleague.get("/allianz/zustaendigkeiten")).body, /Polizei Testkreis/, "staff read the matrix");
      assert.equal((await colleague.post("/allianz/zustaendigkeiten", lines[0])).statusCode, 404, "but do not change it");
      const outsider = await signedIn(otherAdmin);
      assert.doesNotMatch((await outsider.get("/allianz/zustaendigkeiten")).body, /Polizei Testkreis/);
    });

    test("an admin changes and removes a partner; each change is audited without personal data", async () => {
      const agent = await signedIn(admin);
      await agent.get(`${partnerPath}/bearbeiten`);
      const both = await agent.post(`${partnerPath}/bearbeiten`, { ...PARTNER, alwaysOpen: "yes" });
      assert.equal(both.statusCode, 400, "round the clock and opening times at once: which is meant?");
      assert.match(both.body, /Rund um die Uhr erreichbar: bitte keine Zeiten eintragen/);
      assert.match(both.body, /value="09:00"/, "the times typed are kept");
      const withoutTimes = Object.fromEntries(Object.entries(PARTNER).filter(([k]) => !k.startsWith("di_")));
      const changed = await agent.post(`${partnerPath}/bearbeiten`, { ...withoutTimes, name: "Beratungsstelle Regenbogen e. V.", alwaysOpen: "yes" });
      assert.equal(changed.statusCode, 303);
      assert.match((await agent.get(partnerPath)).body, /Rund um die Uhr/);
      const confirm = await agent.get(`${partnerPath}/entfernen`);
      assert.match(confirm.body, /aus der Allianz entfernen\?/, "removing asks first");
      const before = await countPartners(tenant.id);
      assert.equal((await agent.post(`${partnerPath}/entfernen`, {})).statusCode, 303);
      assert.equal(await countPartners(tenant.id), before - 1);
      const partnerId = partnerPath.split("/").at(-1) as string;
      const audit = await withTenant(env.platform.db, tenant.id, (tx) =>
        rows<{ action: string; details: unknown }>(
          tx,
          sql`select action, details from audit_log where action like 'alliance.%' and (object_id = ${partnerId} or object_type = 'tenant') order by seq`,
        ),
      );
      assert.deepEqual(
        audit.map((a) => a.action),
        [
          "alliance.partner.created",
          "alliance.contact.added",
          "alliance.card.visibility",
          "alliance.card.visibility",
          "alliance.partner.updated",
          "alliance.partner.removed",
        ],
      );
      assert.doesNotMatch(JSON.stringify(audit), /Ayla|Regenbogen|90009/, "no names or numbers in the audit log");
    });

    test("partners come in from Excel's CSV all or nothing, and go out as CSV whose formulas stay text", async () => {
      const agent = await signedIn(admin);
      const page = await agent.get("/allianz/import");
      assert.match(page.body, /Ist auch nur eine Zeile fehlerhaft, wird nichts importiert/, "the page says what happens to valid rows");
      const before = await countPartners(tenant.id);
      const upload = (text: string, encode: (s: string) => Buffer) =>
        agent.postMultipart("/allianz/import", {}, [{ field: "datei", name: "partner.csv", data: encode(text), type: "text/csv" }]);
      const win1252 = (s: string) => Buffer.from([...s].map((c) => (c === "–" ? 0x96 : c.charCodeAt(0))));

      const broken = "Name;Art;Telefon;Erreichbarkeit\r\nStelle Nord;Opferberatung;069 90009 201;Mo–Fr 09:00–17:00\r\nStelle Süd;Opferberatung;12;\r\n";
      const refused = await upload(broken, win1252);
      assert.equal(refused.statusCode, 400);
      assert.match(refused.body, /Die Datei wurde nicht importiert/);
      assert.match(refused.body, /Zeile 3, Spalte „Telefon“: Bitte geben Sie eine Telefonnummer ein/);
      assert.equal(await countPartners(tenant.id), before, "the valid row was not saved either");

      await agent.get("/allianz/import");
      const fixed = broken.replace(";12;", ";069 90009 202;").replace("Stelle Nord", '"=HYPERLINK(""https://evil.example"";""Nord"")"');
      const imported = await upload(fixed, win1252);
      assert.equal(imported.statusCode, 303, imported.body.slice(0, 300));
      assert.match(String((await agent.get("/allianz")).body), /2 Partner sind importiert/);
      assert.equal(await countPartners(tenant.id), before + 2);
      const card = await env.app.inject({ url: `/${tenant.slug}/notfallkarte` });
      assert.equal(card.statusCode, 200);

      const csv = await agent.get("/allianz/partner.csv");
      assert.match(String(csv.headers["content-type"]), /^text\/csv/);
      assert.match(csv.body, /\r\nStelle Süd;Opferberatung;;069 90009202;/, "umlauts as written");
      assert.match(csv.body, /;069 90009201;;;;;;;Mo–Fr 09:00–17:00\r\n/, "hours as written");
      assert.match(csv.body, /"'=HYPERLINK\(""https:\/\/evil\.example"";""Nord""\)"/, "the formula is text in a spreadsheet");

      const audit = await withTenant(env.platform.db, tenant.id, (tx) =>
        rows<{ details: { count: number } }>(tx, sql`select details from audit_log where action = 'alliance.partner.imported'`),
      );
      assert.deepEqual(
        audit.map((a) => a.details.count),
        [2],
      );

      const colleague = await signedIn(staff);
      assert.equal((await colleague.get("/allianz/import")).statusCode, 404, "staff cannot import");
      assert.equal((await colleague.get("/allianz/partner.csv")).statusCode, 200, "but may take the list along");
      const outsider = await signedIn(otherAdmin);
      assert.doesNotMatch((await outsider.get("/allianz/partner.csv")).body, /Stelle Süd/, "another municipality's export holds only its own partners");
      await outsider.get("/allianz/import");
      assert.equal((await outsider.postMultipart("/allianz/import", {}, [{ field: "datei", name: "x.csv", data: Buffer.from(fixed) }])).statusCode, 303);
      assert.equal(await countPartners(tenant.id), before + 2, "its import lands in its own directory");
    });
  });
}
