import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import {
  Agent,
  createTenantFixture,
  createTestEnv,
  createUserFixture,
  outboxMails,
  type TenantFixture,
  type TestEnv,
  type UserFixture,
} from "../helpers/app.ts";
import { DB_KINDS } from "../helpers/db.ts";

/*
 * Coaching requests are confidential: a leader asks (bad input refused and kept); the national
 * level's coaches see only that one waits; the first to take it reads it (audited) and the two
 * write to each other; nobody else reads it — not a second coach, not the national admin, not
 * another leader, not the municipality's admin. Its words are sealed at rest and no mail carries
 * them. A municipality with trainers of its own may be asked instead.
 */

const CONCERN = "Eine Mitarbeiterin wurde am Schalter rassistisch beleidigt; wie stärke ich sie und das Team?";

for (const kind of DB_KINDS) {
  describe(`coaching requests (${kind})`, () => {
    let env: TestEnv;
    let town: TenantFixture;
    let leader: UserFixture;
    let otherLeader: UserFixture;
    let townAdmin: UserFixture;
    let nationalAdmin: UserFixture;
    let coach: UserFixture;
    let secondCoach: UserFixture;
    let staff: UserFixture;

    async function signedIn(user: UserFixture) {
      const agent = new Agent(env.app);
      env.clock.advance(30_000);
      await agent.signIn(user, env.clock);
      return agent;
    }

    before(async () => {
      env = await createTestEnv(kind);
      town = await createTenantFixture(env, { name: "Coachingstadt Probe" });
      const national = env.platform.nationalTenant.id;
      leader = await createUserFixture(env, [{ tenantId: town.id, role: "leader" }], { displayName: "Leitung Probe" });
      otherLeader = await createUserFixture(env, [{ tenantId: town.id, role: "leader" }]);
      townAdmin = await createUserFixture(env, [{ tenantId: town.id, role: "municipal_admin" }], { totp: true });
      staff = await createUserFixture(env, [{ tenantId: town.id, role: "staff" }]);
      nationalAdmin = await createUserFixture(env, [{ tenantId: national, role: "national_admin" }], { totp: true });
      coach = await createUserFixture(env, [{ tenantId: national, role: "trainer" }], { displayName: "Coach Probe" });
      secondCoach = await createUserFixture(env, [{ tenantId: national, role: "trainer" }]);
    });
    after(() => env.close());

    test("asked, taken by one coach, read and answered by the two of them only", async () => {
      const l = await signedIn(leader);
      const page = await l.get("/trainings/coaching");
      assert.equal(page.statusCode, 200);
      assert.doesNotMatch(page.body, /value="local"/, "no trainers of its own: only the national level can be asked");
      let res = await l.post("/trainings/coaching", { route: "local", topic: "", body: "kurz", contact: "" });
      assert.equal(res.statusCode, 400);
      assert.match(res.body, /an wen die Anfrage geht/);
      assert.match(res.body, /ein Thema/);
      assert.match(res.body, /10 bis 5\.000 Zeichen/);
      assert.match(res.body, />kurz<\/textarea>/, "what was typed is kept");
      res = await l.post("/trainings/coaching", { route: "national", topic: "leadership", body: CONCERN, contact: "0301 2345, vormittags", urgent: "yes" });
      assert.equal(res.statusCode, 303);
      const path = String(res.headers.location);
      assert.match((await l.get(path)).body, /rassistisch beleidigt/);

      // Sealed at rest; the coaches' mail says only that one waits.
      const { rows } = await env.platform.database.rawQuery("select body, contact from training_coaching_requests");
      assert.ok(!JSON.stringify(rows).includes("Schalter"), "the concern is sealed");
      assert.ok(!JSON.stringify(rows).includes("0301"), "so is the contact");
      const mails = await outboxMails(env);
      const waiting = mails.filter((m) => m.to === coach.email);
      assert.equal(waiting.length, 1, "each coach is told");
      assert.doesNotMatch(waiting[0].body, /Schalter|0301|Leitung Probe/);

      // A coach sees that it waits, not what it holds; the other people see nothing.
      const c = await signedIn(coach);
      assert.match((await c.get("/trainings/coaching")).body, /Coachingstadt Probe/);
      let peek = await c.get(path);
      assert.equal(peek.statusCode, 200);
      assert.doesNotMatch(peek.body, /Schalter/);
      for (const outsider of [nationalAdmin, townAdmin, otherLeader, staff]) {
        const o = await signedIn(outsider);
        assert.equal((await o.get(path)).statusCode, 404, "nobody else opens it");
      }

      // An admin who also gives themselves the trainer role does not get to take it.
      const adminCoach = await createUserFixture(
        env,
        [
          { tenantId: env.platform.nationalTenant.id, role: "national_admin" },
          { tenantId: env.platform.nationalTenant.id, role: "trainer" },
        ],
        { totp: true },
      );
      const ac = await signedIn(adminCoach);
      assert.equal((await ac.get(path)).statusCode, 404, "an admin-coach sees nothing of it");
      // The coach takes it; a second coach is too late.
      const c2 = await signedIn(secondCoach);
      await c2.get(path);
      await c.get(path);
      res = await c.post(`${path}/uebernehmen`, {});
      assert.equal(res.statusCode, 303);
      assert.equal((await c2.post(`${path}/uebernehmen`, {})).statusCode, 404);
      assert.equal((await c2.get(path)).statusCode, 404, "taken by another: gone for the second coach");
      peek = await c.get(path);
      assert.match(peek.body, /rassistisch beleidigt/);
      assert.match(peek.body, /0301 2345/);
      const { rows: audit } = await env.platform.database.rawQuery("select action from audit_log where action like 'training.coaching%' order by seq");
      assert.ok(
        audit.some((r) => r.action === "training.coaching_read"),
        "the coach's reading is audited",
      );

      // They write to each other; the mails carry no words.
      res = await c.post(`${path}/nachricht`, { body: "" });
      assert.equal(res.statusCode, 400);
      res = await c.post(`${path}/nachricht`, { body: "Passt Ihnen Donnerstag, 10 Uhr?" });
      assert.equal(res.statusCode, 303);
      const back = await l.get(path);
      assert.match(back.body, /Donnerstag, 10 Uhr/);
      assert.match(back.body, /Übernommen/);
      await l.post(`${path}/nachricht`, { body: "Ja, gern." });
      assert.match((await c.get(path)).body, /Ja, gern\./);
      for (const m of await outboxMails(env)) assert.doesNotMatch(m.body, /Donnerstag|Ja, gern|Schalter/);

      // The coach finishes it; nobody writes any more.
      await c.get(path);
      assert.equal((await c.post(`${path}/abschliessen`, {})).statusCode, 303);
      assert.match((await l.get(path)).body, /Abgeschlossen/);
      assert.doesNotMatch(l.lastHtml, /name="body"/);
      assert.equal((await l.post(`${path}/nachricht`, { body: "Noch etwas" })).statusCode, 404);
    });

    test("a municipality's own trainer can be asked; a request can be withdrawn", async () => {
      const local = await createUserFixture(env, [{ tenantId: town.id, role: "trainer" }], { displayName: "Ortstrainerin Probe" });
      const l = await signedIn(leader);
      assert.match((await l.get("/trainings/coaching")).body, /value="local"/);
      const res = await l.post("/trainings/coaching", {
        route: "local",
        topic: "self_care",
        body: "Ich werde online bedroht und schlafe schlecht.",
        contact: "per E-Mail",
      });
      const path = String(res.headers.location);
      const t = await signedIn(local);
      assert.match((await t.get("/trainings/coaching")).body, new RegExp(path.replace(/\//g, "\\/")));
      const national = await signedIn(coach);
      assert.equal((await national.get(path)).statusCode, 404, "the national coaches do not see a request to the municipality");
      await l.get(path);
      assert.equal((await l.post(`${path}/zurueckziehen`, {})).statusCode, 303);
      assert.match((await l.get(path)).body, /Zurückgezogen/);
      assert.doesNotMatch((await t.get("/trainings/coaching")).body, new RegExp(path.replace(/\//g, "\\/")), "no longer waiting");
    });
  });
}
