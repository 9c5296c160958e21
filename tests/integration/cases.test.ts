import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { assignCase } from "../../src/modules/cases/commands.ts";
import { createReport } from "../../src/modules/reports/commands.ts";
import type { Actor } from "../../src/platform/authz/policy.ts";
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

/*
 * Cases: every report opens its case, which the clearing office finds in its inbox. Who leads a
 * case decides who may hand it on — through the pages and through the API alike; the reporter
 * sees the case taken on in the mailbox.
 */

for (const kind of DB_KINDS) {
  describe(`cases (${kind})`, () => {
    let env: TestEnv;
    let tenant: TenantFixture;
    let other: TenantFixture;
    let anna: UserFixture;
    let ben: UserFixture;
    let stranger: UserFixture;
    const annaAgent = () => signedIn(anna);
    const actorOf = (user: UserFixture): Actor => ({
      userId: user.id,
      memberships: [{ tenantId: tenant.id, role: "clearing_officer" }],
      nationalTenantId: env.platform.nationalTenant.id,
    });
    async function signedIn(user: UserFixture) {
      const agent = new Agent(env.app);
      env.clock.advance(30_000); // a fresh second-factor code: each counts once
      const res = await agent.signIn(user, env.clock);
      assert.equal(res.headers.location, "/start");
      return agent;
    }
    async function newReport(answers: Record<string, string> = {}) {
      return createReport(env.platform, tenant, {
        answers: { mode: "anonymous", description: "Drohbrief im Briefkasten des Rathauses.", ...answers },
        lang: "de",
        channel: "web",
      });
    }

    before(async () => {
      env = await createTestEnv(kind);
      tenant = await createTenantFixture(env);
      other = await createTenantFixture(env);
      anna = await createUserFixture(env, [{ tenantId: tenant.id, role: "clearing_officer" }], { totp: true, displayName: "Anna Amsel" });
      ben = await createUserFixture(env, [{ tenantId: tenant.id, role: "clearing_officer" }], { totp: true, displayName: "Ben Buchfink" });
      stranger = await createUserFixture(env, [{ tenantId: other.id, role: "clearing_officer" }], { totp: true });
    });
    after(() => env.close());

    test("every report opens its case, in the inbox at once with its number, nobody leading it yet", async () => {
      const created = await newReport({ immediateDanger: "yes" });
      const agent = await annaAgent();
      const inbox = await agent.get("/faelle");
      assert.equal(inbox.statusCode, 200);
      const table = inbox.body.slice(inbox.body.indexOf("<tbody"));
      const row = new RegExp(`href="/faelle/${created.caseNumber}"[\\s\\S]*?</tr>`).exec(table)?.[0] ?? "";
      assert.match(row, /Akute Gefahr gemeldet/);
      assert.match(row, /Eingegangen/);
      assert.match(row, /Niemand/);
      const page = await agent.get(`/faelle/${created.caseNumber}`);
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /Drohbrief im Briefkasten/, "the case page shows the report");
      assert.match(page.body, /Fall übernehmen/);
    });

    test("the officer who takes a case on leads it; a colleague cannot take it from them, only receive it", async () => {
      const created = await newReport({ mailbox: "yes" });
      const a = await annaAgent();
      await a.get(`/faelle/${created.caseNumber}`);
      const taken = await a.post(`/faelle/${created.caseNumber}/zuweisung`, { assignee: anna.id });
      assert.equal(taken.statusCode, 303);
      const afterTaking = await a.get(`/faelle/${created.caseNumber}`);
      assert.match(afterTaking.body, /wird jetzt von Anna Amsel geführt/);
      assert.match(afterTaking.body, /In Bearbeitung/);

      const b = await signedIn(ben);
      const seen = await b.get(`/faelle/${created.caseNumber}`);
      assert.equal(seen.statusCode, 200, "a colleague reads the case");
      assert.match(seen.body, /Den Fall führt Anna Amsel/);
      assert.doesNotMatch(seen.body, /action="\/faelle\/[^"]+\/zuweisung"/, "and is offered no hand-over");
      const grab = await b.post(`/faelle/${created.caseNumber}/zuweisung`, { assignee: ben.id });
      assert.equal(grab.statusCode, 403, "nor can take it by posting");
      const refusals = await a.get("/verwaltung/protokoll?bereich=denied");
      assert.match(refusals.body, /Zugriff verweigert: Fälle \(Federführung übergeben\)/, "the refusal is in the log");

      await a.get(`/faelle/${created.caseNumber}`);
      const wrong = await a.post(`/faelle/${created.caseNumber}/zuweisung`, { assignee: stranger.id });
      assert.equal(wrong.statusCode, 400, "only an officer of this clearing office can lead it");
      assert.match(wrong.body, /Bitte wählen Sie eine Person der Clearingstelle/);
      const handed = await a.post(`/faelle/${created.caseNumber}/zuweisung`, { assignee: ben.id });
      assert.equal(handed.statusCode, 303);
      const now = await b.get(`/faelle/${created.caseNumber}`);
      assert.match(now.body, /Fall übergeben an/, "Ben, now leading, may hand it on");
      assert.match(now.body, /Federführung abgeben/, "or give the lead up");
      const back = await a.post(`/faelle/${created.caseNumber}/zuweisung`, { assignee: anna.id });
      assert.equal(back.statusCode, 403, "Anna no longer leads it");

      // The reporter sees that someone works on it.
      const mailbox = new Agent(env.app);
      await mailbox.get(`/${tenant.slug}/melden/postfach`);
      const open = await mailbox.post(`/${tenant.slug}/melden/postfach`, { code: created.receiptCode as string, sprache: "de" });
      assert.match(open.body, /data-testid="mailbox-status">In Bearbeitung/);

      // The hand-overs are in the audit log, in words: which case, to whom.
      const log = await a.get("/verwaltung/protokoll?bereich=reports");
      assert.match(log.body, new RegExp(`Federführung des Falls geändert[\\s\\S]{0,400}an Ben Buchfink[\\s\\S]{0,400}Fall ${created.caseNumber}`));
    });

    test("the API lists cases with what the caller may do, and hands them over under the same rule", async () => {
      const created = await newReport();
      const annaToken = await createApiToken(env, anna);
      const benToken = await createApiToken(env, ben);
      const call = (token: string, method: "GET" | "PUT", url: string, payload?: object) =>
        env.app.inject({ method, url, headers: { authorization: `Bearer ${token}` }, ...(payload ? { payload } : {}) });

      const list = await call(benToken, "GET", `/api/v1/tenants/${tenant.slug}/cases`);
      assert.equal(list.statusCode, 200);
      const row = list.json().data.find((c: { number: string }) => c.number === created.caseNumber);
      assert.deepEqual(row.policies, { read: true, assign: true, work: true });
      assert.equal(row.assigneeId, null);

      const put = await call(annaToken, "PUT", `/api/v1/tenants/${tenant.slug}/cases/${created.caseNumber}/assignee`, { assigneeId: anna.id });
      assert.equal(put.statusCode, 200);
      assert.equal(put.json().data.assigneeId, anna.id);
      const forBen = (await call(benToken, "GET", `/api/v1/tenants/${tenant.slug}/cases`))
        .json()
        .data.find((c: { number: string }) => c.number === created.caseNumber);
      assert.deepEqual(forBen.policies, { read: true, assign: false, work: false }, "the same rule, serialised for the caller");
      const refused = await call(benToken, "PUT", `/api/v1/tenants/${tenant.slug}/cases/${created.caseNumber}/assignee`, { assigneeId: ben.id });
      assert.equal(refused.statusCode, 403);
      assert.equal(refused.headers["content-type"], "application/problem+json; charset=utf-8");

      const strangerToken = await createApiToken(env, stranger);
      const elsewhere = await call(strangerToken, "PUT", `/api/v1/tenants/${tenant.slug}/cases/${created.caseNumber}/assignee`, { assigneeId: stranger.id });
      assert.equal(elsewhere.statusCode, 404, "another municipality's officer finds no case");
      const theirList = await call(strangerToken, "GET", `/api/v1/tenants/${tenant.slug}/cases`);
      assert.equal(theirList.statusCode, 404);
    });

    test("two officers taking the same new case at the same moment: one leads it, the other is refused", async () => {
      const created = await newReport();
      await env.platform.domainEvents.idle(); // the case is opened by the report's event
      const [first, second] = await Promise.all([
        assignCase(env.platform, actorOf(anna), tenant, created.caseNumber, anna.id).then(
          (r) => r,
          (e: Error) => e,
        ),
        assignCase(env.platform, actorOf(ben), tenant, created.caseNumber, ben.id).then(
          (r) => r,
          (e: Error) => e,
        ),
      ]);
      const outcomes = [first, second].map((o) => (o instanceof Error && o.message === "Not allowed." ? "refused" : o instanceof Error ? o.message : "lead"));
      assert.deepEqual(outcomes.sort(), ["lead", "refused"]);
    });

    test("an answer to a reporter without a mailbox is refused, not sent into the void", async () => {
      const created = await createReport(env.platform, tenant, {
        answers: { mode: "named", contactName: "Kim Beispiel", contactEmail: "kim@test.example", description: "Beleidigung am Telefon." },
        lang: "de",
        channel: "web",
      });
      const a = await annaAgent();
      await a.get(`/faelle/${created.caseNumber}`);
      const res = await a.post(`/faelle/${created.caseNumber}/antwort`, { message: "Wir melden uns." });
      assert.equal(res.statusCode, 400);
      assert.match(res.body, /Diese Meldung hat kein Postfach/);
    });

    test("a case whose lead left the clearing office can be taken on by a colleague", async () => {
      const created = await newReport();
      const leaving = await createUserFixture(env, [{ tenantId: tenant.id, role: "clearing_officer" }], { totp: true });
      const l = await signedIn(leaving);
      await l.get(`/faelle/${created.caseNumber}`);
      assert.equal((await l.post(`/faelle/${created.caseNumber}/zuweisung`, { assignee: leaving.id })).statusCode, 303);
      await env.platform.database.rawQuery("update users set status = 'disabled' where id = $1", [leaving.id]);
      const b = await signedIn(ben);
      await b.get(`/faelle/${created.caseNumber}`);
      assert.equal((await b.post(`/faelle/${created.caseNumber}/zuweisung`, { assignee: ben.id })).statusCode, 303);
    });
  });
}
