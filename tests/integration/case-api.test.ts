import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { sql } from "drizzle-orm";
import { createReport } from "../../src/modules/reports/commands.ts";
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
import { pdfText } from "../helpers/pdf.ts";

/*
 * The case file through the API: a municipality's own system reads a case (audited), decides a
 * measure whose legal deadline the server computes, closes with four eyes and fetches the dossier —
 * under the same rules as the pages; bad input answers 400 with a problem document.
 */

for (const kind of DB_KINDS) {
  describe(`the case file API (${kind})`, () => {
    let env: TestEnv;
    let tenant: TenantFixture;
    let anna: UserFixture;
    let ben: UserFixture;
    let partner: UserFixture;
    let number = "";

    before(async () => {
      env = await createTestEnv(kind);
      tenant = await createTenantFixture(env);
      anna = await createUserFixture(env, [{ tenantId: tenant.id, role: "clearing_officer" }], { totp: true, displayName: "Anna Amsel" });
      ben = await createUserFixture(env, [{ tenantId: tenant.id, role: "clearing_officer" }], { totp: true, displayName: "Ben Buchfink" });
      partner = await createUserFixture(env, [{ tenantId: tenant.id, role: "alliance_partner" }], { totp: true });
      number = (
        await createReport(env.platform, tenant, {
          answers: { mode: "anonymous", description: "Drohung per E-Mail an das Bürgermeisterbüro.", forms: ["threat"] } as never,
          lang: "de",
          channel: "web",
        })
      ).caseNumber;
      const a = new Agent(env.app);
      env.clock.advance(30_000);
      await a.signIn(anna, env.clock);
      await a.get(`/faelle/${number}`);
      await a.post(`/faelle/${number}/zuweisung`, { assignee: anna.id });
      await a.post(`/faelle/${number}/einschaetzung`, { form: "threat", criteria: ["privateAddressOrFamily"], level: "2" });
    });
    after(() => env.close());

    test("read a case, decide a Strafantrag, close with four eyes, fetch the dossier", async () => {
      const annaToken = await createApiToken(env, anna);
      const benToken = await createApiToken(env, ben);
      const call = (token: string, method: "GET" | "POST", path: string, payload?: object) =>
        env.app.inject({
          method,
          url: `/api/v1/tenants/${tenant.slug}/cases/${number}${path}`,
          headers: { authorization: `Bearer ${token}` },
          ...(payload ? { payload } : {}),
        });

      const read = await call(annaToken, "GET", "");
      assert.equal(read.statusCode, 200);
      const file = read.json().data;
      assert.equal(file.riskLevel, 2);
      assert.deepEqual(
        file.assessments.map((x: { level: number }) => x.level),
        [2],
      );
      assert.equal(file.closure, null);
      const reads = await withTenant(env.platform.db, tenant.id, (tx) => rows(tx, sql`select 1 from audit_log where action = 'case.read'`));
      assert.equal(reads.length, 1, "the read is audited");

      const bad = await call(annaToken, "POST", "/tasks", { measure: "strafantrag", ownerId: "", dueOn: "", entitled: "", fromOn: "2026-02-30", note: "" });
      assert.equal(bad.statusCode, 400);
      assert.match(String(bad.headers["content-type"]), /application\/problem\+json/);
      const added = await call(annaToken, "POST", "/tasks", {
        measure: "strafantrag",
        ownerId: anna.id,
        dueOn: "",
        entitled: "affected",
        fromOn: "2026-11-24",
        note: "",
      });
      assert.equal(added.statusCode, 201);
      assert.equal(added.json().data.dueOn, "2027-02-24", "§77b: three months from the day of knowledge");

      const early = await call(annaToken, "POST", "/closure", { outcome: "supported", conversation: "anonymous", conversationOn: "", note: "" });
      assert.equal(early.statusCode, 400, "an open measure comes first");
      const task = added.json().data.id;
      const a = new Agent(env.app);
      env.clock.advance(30_000);
      await a.signIn(anna, env.clock);
      await a.get(`/faelle/${number}`);
      await a.post(`/faelle/${number}/massnahmen/${task}`, { status: "done", outcome: "Strafantrag gestellt", fromOn: "" });

      const asked = await call(annaToken, "POST", "/closure", { outcome: "proceedings", conversation: "anonymous", conversationOn: "", note: "" });
      assert.equal(asked.statusCode, 200);
      assert.equal(asked.json().data.released, false, "level 2: a second officer releases it");
      assert.equal((await call(annaToken, "POST", "/closure/release")).statusCode, 400, "not the one who asked");
      assert.equal((await call(benToken, "POST", "/closure/release")).statusCode, 200);
      assert.equal((await call(benToken, "GET", "")).json().data.status, "closed");

      const dossier = await call(benToken, "POST", "/dossier", { recipient: "prosecutor", parts: ["timeline"] });
      assert.equal(dossier.statusCode, 200);
      assert.equal(dossier.json().data.contentType, "application/pdf");
      const text = pdfText(Buffer.from(dossier.json().data.base64, "base64"));
      assert.match(text, new RegExp(number));
      assert.doesNotMatch(text, /Bürgermeisterbüro/, "the account only when chosen");

      const partnerToken = await createApiToken(env, partner);
      assert.equal((await call(partnerToken, "GET", "")).statusCode, 404, "a partner finds no case");
    });
  });
}
