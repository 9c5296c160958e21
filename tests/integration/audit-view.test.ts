import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { describeAction } from "../../src/modules/admin/audit-log.ts";
import { createReport } from "../../src/modules/reports/commands.ts";
import { appendAudit } from "../../src/platform/audit/audit.ts";
import { withTenant } from "../../src/platform/db/client.ts";
import { translator } from "../../src/platform/i18n/i18n.ts";
import { Agent, createTenantFixture, createTestEnv, createUserFixture, type TenantFixture, type TestEnv } from "../helpers/app.ts";
import { DB_KINDS } from "../helpers/db.ts";

/*
 * The audit log page reads as sentences: actions in words, objects named, reports by their case
 * number, refusals as refusals. The stored keys stay as they are.
 */

/** The audit table's rows as text, one string per row. */
function rows(body: string): string[] {
  const table = /<tbody class="kern-table__body">([\s\S]*?)<\/tbody>/.exec(body)?.[1] ?? "";
  return [...table.matchAll(/<tr[^>]*>([\s\S]*?)<\/tr>/g)].map((m) =>
    m[1]
      .replace(/<[^>]+>/g, " ")
      .replace(/&amp;/g, "&")
      .replace(/\s+/g, " ")
      .trim(),
  );
}

for (const kind of DB_KINDS) {
  describe(`the audit log in words (${kind})`, () => {
    let env: TestEnv;
    let tenant: TenantFixture;
    let admin: Agent;
    let caseNumber: string;

    before(async () => {
      env = await createTestEnv(kind);
      tenant = await createTenantFixture(env, { name: "Musterstadt" });
      const officer = await createUserFixture(env, [{ tenantId: tenant.id, role: "clearing_officer" }], { totp: true, displayName: "Jona Clearing" });
      const staff = await createUserFixture(env, [{ tenantId: tenant.id, role: "staff" }], { displayName: "Sam Beispiel" });
      const info = { id: tenant.id, slug: tenant.slug, name: tenant.name, kind: tenant.kind };
      caseNumber = (
        await createReport(env.platform, info, { answers: { mode: "anonymous", description: "Drohbrief im Briefkasten." }, lang: "de", channel: "web" })
      ).caseNumber;
      const officerAgent = new Agent(env.app);
      await officerAgent.signIn(officer, env.clock);
      assert.equal((await officerAgent.get(`/faelle/${caseNumber}`)).statusCode, 200);
      const staffAgent = new Agent(env.app);
      await staffAgent.signIn(staff, env.clock);
      assert.equal((await staffAgent.get("/verwaltung/einstellungen")).statusCode, 404);
      env.clock.advance(30_000);
      const adminUser = await createUserFixture(env, [{ tenantId: tenant.id, role: "municipal_admin" }], { totp: true, displayName: "Alex Verwaltung" });
      admin = new Agent(env.app);
      await admin.signIn(adminUser, env.clock);
    });
    after(() => env.close());

    // Each test reads the area it is about, so that entries other tests add cannot push its own
    // to an older page.
    test("reading a report shows as words, with the report's case number", async () => {
      const body = (await admin.get("/verwaltung/protokoll?bereich=reports")).body;
      const read = rows(body).find((r) => r.includes("Meldung geöffnet"));
      assert.ok(read, "an entry reads 'Meldung geöffnet'");
      assert.match(read, /Jona Clearing/);
      assert.match(read, new RegExp(`Meldung ${caseNumber}`));
      assert.ok(rows(body).some((r) => r.includes("Meldung eingegangen") && r.includes(`Meldung ${caseNumber}`) && r.includes("Anonym")));
      assert.doesNotMatch(body, /report\.read|report\.received/, "no raw keys");
    });

    test("a refusal reads as a refusal, with what was refused", async () => {
      const body = (await admin.get("/verwaltung/protokoll?bereich=denied")).body;
      const denied = rows(body).find((r) => r.includes("Zugriff verweigert"));
      assert.ok(denied);
      assert.match(denied, /Zugriff verweigert: Einstellungen der Kommune \(einstellen\)/);
      assert.match(denied, /Sam Beispiel/);
    });

    test("an action without a translation is still readable", async () => {
      await withTenant(env.platform.db, tenant.id, (tx) =>
        appendAudit(tx, { tenantId: tenant.id, actorId: null, action: "strategy.goal_adopted", objectType: "goal" }, env.clock.now()),
      );
      const body = (await admin.get("/verwaltung/protokoll")).body;
      assert.ok(rows(body).some((r) => r.includes("Strategy goal adopted (strategy.goal_adopted)") && r.includes("Goal")));
    });

    test("in English, the same entries read in English", async () => {
      await admin.get("/sprache/en?zurueck=/verwaltung/protokoll");
      const reports = (await admin.get("/verwaltung/protokoll?bereich=reports")).body;
      assert.ok(rows(reports).some((r) => r.includes("Report opened") && r.includes(`Report ${caseNumber}`)));
      const denied = (await admin.get("/verwaltung/protokoll?bereich=denied")).body;
      assert.ok(rows(denied).some((r) => r.includes("Access refused: Municipality settings (configure)")));
      await admin.get("/sprache/de?zurueck=/verwaltung/protokoll");
    });

    test("the log can be narrowed to refusals, and older entries are a page further", async () => {
      const denied = rows((await admin.get("/verwaltung/protokoll?bereich=denied")).body);
      assert.ok(denied.length > 0);
      assert.ok(denied.every((r) => r.includes("Zugriff verweigert")));
      for (let i = 0; i < 60; i++) {
        await withTenant(env.platform.db, tenant.id, (tx) =>
          appendAudit(tx, { tenantId: tenant.id, actorId: null, action: "tenant.updated", objectType: "tenant", objectId: tenant.id }, env.clock.now()),
        );
      }
      const first = (await admin.get("/verwaltung/protokoll")).body;
      assert.equal(rows(first).length, 50);
      const older = /href="(\/verwaltung\/protokoll\?vor=\d+)"/.exec(first)?.[1];
      assert.ok(older, "a link to older entries");
      const second = rows((await admin.get(older)).body);
      assert.ok(second.length > 0);
      assert.ok(
        second.some((r) => r.includes(`Meldung ${caseNumber}`)),
        "the report's entries are on the older page",
      );
    });
  });
}

describe("audit actions", () => {
  test("every action the code records has German and English words", () => {
    const root = path.resolve(import.meta.dirname, "../../src");
    const files = (readdirSync(root, { recursive: true }) as string[]).filter((f) => f.endsWith(".ts") && !f.includes("locales"));
    const keys = new Set<string>(["report.message_reporter", "report.message_office"]);
    for (const f of files) {
      const text = readFileSync(path.join(root, f), "utf8");
      for (const m of text.matchAll(/action: "([a-z_]+\.[a-z_]+)"|auditAccount\([^)]*?"([a-z_]+\.[a-z_]+)"/g)) keys.add(m[1] ?? m[2]);
    }
    keys.delete("access.denied");
    assert.ok(keys.has("report.read") && keys.has("auth.sign_in"), "the scan finds the keys");
    for (const lang of ["de", "en"] as const) {
      const t = translator(lang);
      const untranslated = [...keys].filter((action) => describeAction(t, { action, objectType: "x", details: {} }).includes(`(${action})`));
      assert.deepEqual(untranslated, [], `actions without ${lang} words`);
    }
  });
});
