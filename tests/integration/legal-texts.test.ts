import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { withTenant } from "../../src/platform/db/client.ts";
import { auditLog } from "../../src/platform/db/schema.ts";
import { Agent, createTenantFixture, createTestEnv, createUserFixture, type TenantFixture, type TestEnv } from "../helpers/app.ts";
import { DB_KINDS } from "../helpers/db.ts";

/*
 * The operator sets the Impressum and the Datenschutzerklärung; each municipality sets the
 * privacy notice of its reporting office, which every page of the reporting form links to.
 * Texts are plain text in paragraphs, shown escaped; until they are set, a default says so.
 */

const paragraphsOf = (body: string) =>
  [...(/<div class="komma-prose komma-paragraphs"[^>]*>([\s\S]*?)<\/div>/.exec(body)?.[1] ?? "").matchAll(/<p class="kern-body">([\s\S]*?)<\/p>/g)].map(
    (m) => m[1],
  );

for (const kind of DB_KINDS) {
  describe(`legal texts (${kind})`, () => {
    let env: TestEnv;
    let tenant: TenantFixture;
    let national: Agent;
    let municipal: Agent;
    const actions = (tenantId: string) =>
      withTenant(env.platform.db, tenantId, (tx) => tx.select({ action: auditLog.action, details: auditLog.details }).from(auditLog));

    before(async () => {
      env = await createTestEnv(kind);
      tenant = await createTenantFixture(env, { name: "Musterstadt" });
      const nationalAdmin = await createUserFixture(env, [{ tenantId: env.platform.nationalTenant.id, role: "national_admin" }], { totp: true });
      const municipalAdmin = await createUserFixture(env, [{ tenantId: tenant.id, role: "municipal_admin" }], { totp: true });
      national = new Agent(env.app);
      await national.signIn(nationalAdmin, env.clock);
      municipal = new Agent(env.app);
      await municipal.signIn(municipalAdmin, env.clock);
    });
    after(() => env.close());

    test("until they are filled in, the pages say so plainly", async () => {
      // As on a new installation, whatever another test filled in.
      await env.platform.database.rawQuery("update tenants set imprint = null, privacy_notice = null where kind = 'national' or id = $1", [tenant.id]);
      await env.platform.broadcast.publish("tenant.updated", { tenantId: tenant.id });
      const visitor = new Agent(env.app);
      assert.match((await visitor.get("/impressum")).body, /hat das Impressum noch nicht eingetragen/);
      assert.match((await visitor.get("/datenschutz")).body, /hat die Datenschutzerklärung noch nicht eingetragen/);
      const notice = await visitor.get(`/${tenant.slug}/datenschutz`);
      assert.equal(notice.statusCode, 200);
      assert.match(notice.body, /Musterstadt hat die Datenschutzhinweise für die Meldestelle noch nicht eingetragen/);
      assert.equal((await visitor.get("/gibt-es-nicht/datenschutz")).statusCode, 404);
    });

    test("a national admin sets the Impressum and the Datenschutzerklärung; paragraphs are kept and nothing is taken as HTML", async () => {
      await national.get("/verwaltung/rechtstexte");
      const res = await national.post("/verwaltung/rechtstexte", {
        imprint: "KommA-Betrieb GmbH\r\nMusterweg 1, 12345 Musterstadt\r\n\r\n<script>alert(1)</script> Vertreten durch Kim Muster",
        privacyNotice: "Verantwortlich ist die KommA-Betrieb GmbH.",
      });
      assert.equal(res.statusCode, 303);
      const imprint = (await new Agent(env.app).get("/impressum")).body;
      assert.deepEqual(paragraphsOf(imprint), [
        "KommA-Betrieb GmbH\nMusterweg 1, 12345 Musterstadt",
        "&lt;script>alert(1)&lt;/script> Vertreten durch Kim Muster",
      ]);
      assert.doesNotMatch(imprint, /noch nicht eingetragen/);
      assert.deepEqual(paragraphsOf((await new Agent(env.app).get("/datenschutz")).body), ["Verantwortlich ist die KommA-Betrieb GmbH."]);
      const audit = await actions(env.platform.nationalTenant.id);
      assert.ok(audit.some((e) => e.action === "tenant.site_texts_updated" && JSON.stringify(e.details) === '{"changed":["imprint","privacyNotice"]}'));
    });

    test("a municipal admin sets the privacy notice of the reporting office; reporters read it before sending", async () => {
      await municipal.get("/verwaltung/einstellungen");
      const res = await municipal.post("/verwaltung/einstellungen", {
        contactPhone: "",
        contactEmail: "",
        contactHours: "",
        privacyNotice: "Verantwortlich: Stadt Musterstadt, Rathausplatz 1.\n\nDatenschutzbeauftragte: datenschutz@musterstadt.example",
      });
      assert.equal(res.statusCode, 303);
      const notice = (await new Agent(env.app).get(`/${tenant.slug}/datenschutz`)).body;
      assert.deepEqual(paragraphsOf(notice), ["Verantwortlich: Stadt Musterstadt, Rathausplatz 1.", "Datenschutzbeauftragte: datenschutz@musterstadt.example"]);
      const audit = await actions(tenant.id);
      assert.ok(audit.some((e) => e.action === "tenant.privacy_notice_updated"));
      assert.ok(!audit.some((e) => e.action === "tenant.contact_updated"), "the contact did not change, so no entry for it");

      // Every page of the reporting flow links to it: the start page and a step of the form.
      const reporter = new Agent(env.app);
      const link = `href="/${tenant.slug}/datenschutz"`;
      assert.ok((await reporter.get(`/${tenant.slug}/melden`)).body.includes(link), "the reporting start page links to the notice");
      const started = await reporter.post(`/${tenant.slug}/melden`, { sprache: "tr" });
      const step = await reporter.get(started.headers.location as string);
      assert.equal(step.statusCode, 200);
      assert.ok(step.body.includes(link), "a step of the form links to the notice");
      assert.match(step.body, /Bildirim biriminin gizlilik bildirimi/, "in the reporter's language");
    });

    test("a text with control characters is refused with the input kept", async () => {
      await municipal.get("/verwaltung/einstellungen");
      const res = await municipal.post("/verwaltung/einstellungen", {
        contactPhone: "",
        contactEmail: "",
        contactHours: "",
        privacyNotice: "Text\u0000mit NUL",
      });
      assert.equal(res.statusCode, 400);
      assert.match(res.body, /unsichtbare Steuerzeichen/);
    });

    test("only national admins may set the Impressum and the Datenschutzerklärung", async () => {
      assert.equal((await municipal.get("/verwaltung/rechtstexte")).statusCode, 404);
      await municipal.get("/verwaltung/einstellungen");
      const res = await municipal.post("/verwaltung/rechtstexte", { imprint: "Übernommen", privacyNotice: "" });
      assert.equal(res.statusCode, 404);
      assert.doesNotMatch((await new Agent(env.app).get("/impressum")).body, /Übernommen/);
    });
  });
}
