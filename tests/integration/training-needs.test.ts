import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { groupsOf, topicNeeds, topTopics } from "../../src/modules/trainings/needs.ts";
import { Agent, createTenantFixture, createTestEnv, createUserFixture, type TenantFixture, type TestEnv, type UserFixture } from "../helpers/app.ts";
import { DB_KINDS } from "../helpers/db.ts";

/*
 * The needs assessment: an admin opens a round (bad input refused and kept); the municipality's
 * people answer once each and get their own recommendation at once; results stay hidden while it
 * runs; after the end they show from five answers, with the topics most called for and the
 * catalog's formats for them, and groups (area, role) only where no group of fewer than five can
 * be worked out. An answer is stored as counts only.
 */

const cell = (area: string, role: string, question: string, option: string, count: number) => ({ area, role, question, option, count });

test("groups are shown from five answers, and the rest never falls below five", () => {
  const answers = (area: string, n: number) => [cell(area, "staff", "responses", "all", n), cell(area, "staff", "wishes", "evidence", n)];
  // 7 and 6 shown, 2 + 1 too few: the smallest shown (6) joins them, so the rest (9) cannot be worked out.
  let g = groupsOf([...answers("a", 7), ...answers("b", 6), ...answers("c", 2), ...answers("d", 1)], (c) => c.area);
  assert.deepEqual(
    g.shown.map((x) => [x.key, x.responses]),
    [["a", 7]],
  );
  assert.equal(g.rest?.responses, 9);
  // Everything large enough: no rest.
  g = groupsOf([...answers("a", 5), ...answers("b", 8)], (c) => c.area);
  assert.deepEqual(g.shown.map((x) => x.key).sort(), ["a", "b"]);
  assert.equal(g.rest, null);
  // 5 and 1: showing 5 would give the 1 away: both go into the rest.
  g = groupsOf([...answers("a", 5), ...answers("b", 1)], (c) => c.area);
  assert.deepEqual(g.shown, []);
  assert.equal(g.rest?.responses, 6);
  // Fewer than five in all: nothing.
  g = groupsOf(answers("a", 3), (c) => c.area);
  assert.deepEqual(g, { shown: [], rest: null });
});

test("a wish and feeling unsure call for a topic", () => {
  const need = topicNeeds({ confidence: { counter: "1", online: "2", racism: "4" }, wishes: ["evidence", "online_hate"] });
  assert.equal(need.deescalation, 2);
  assert.equal(need.online_hate, 3);
  assert.equal(need.evidence, 2);
  assert.equal(need.racism_critical, 0);
  assert.deepEqual(topTopics(need), ["online_hate", "deescalation", "evidence"]);
  assert.deepEqual(topTopics(topicNeeds({ confidence: { counter: "4" }, wishes: [] })), []);
});

for (const kind of DB_KINDS) {
  describe(`needs assessment (${kind})`, () => {
    let env: TestEnv;
    let town: TenantFixture;
    let admin: UserFixture;
    let leader: UserFixture;
    let partner: UserFixture;
    const staff: UserFixture[] = [];

    async function signedIn(user: UserFixture) {
      const agent = new Agent(env.app);
      env.clock.advance(30_000);
      await agent.signIn(user, env.clock);
      return agent;
    }

    before(async () => {
      env = await createTestEnv(kind);
      town = await createTenantFixture(env, { name: "Bedarfsstadt Probe" });
      admin = await createUserFixture(env, [{ tenantId: town.id, role: "municipal_admin" }], { totp: true });
      leader = await createUserFixture(env, [{ tenantId: town.id, role: "leader" }]);
      partner = await createUserFixture(env, [{ tenantId: town.id, role: "alliance_partner" }], { totp: true });
      for (let i = 0; i < 6; i++) staff.push(await createUserFixture(env, [{ tenantId: town.id, role: "staff" }]));
    });
    after(() => env.close());

    test("answered once each, recommended at once, evaluated after the end from five answers", async () => {
      const a = await signedIn(admin);
      // The municipality's own format for de-escalation is what the catalog recommends.
      await a.get("/trainings/formate/neu");
      const format = await a.post("/trainings/formate", {
        title: "Ruhig bleiben am Schalter – Probe",
        summary: "Deeskalation.",
        minutes: "180",
        mode: "on_site",
        audience: "public_contact",
        topics: ["deescalation"],
      });
      assert.equal(format.statusCode, 303);

      await a.get("/trainings/bedarf");
      let res = await a.post("/trainings/bedarf", { title: "x", closesOn: "2020-01-01" });
      assert.equal(res.statusCode, 400);
      assert.match(res.body, /Titel mit 3 bis 200 Zeichen/);
      assert.match(res.body, /value="2020-01-01"/, "what was typed is kept");
      res = await a.post("/trainings/bedarf", { title: "Trainingsbedarf Probe", closesOn: "2026-12-20" });
      assert.equal(res.statusCode, 303);
      const roundPath = String(res.headers.location);

      // Five in the citizen service, one in the field service; all unsure at the counter.
      for (const [i, person] of staff.entries()) {
        const s = await signedIn(person);
        assert.match((await s.get("/trainings")).body, /Ihre Antworten fehlen noch/, "the overview asks them to take part");
        await s.get(roundPath);
        if (i === 0) {
          res = await s.post(roundPath, { experience: "often", conf_counter: "7", wishes: ["evidence"] });
          assert.equal(res.statusCode, 400, "a forged answer and a missing area are refused");
          assert.match(res.body, /Bitte wählen Sie Ihren Arbeitsbereich/);
          assert.match(res.body, /value="often" checked/, "and what was chosen is kept");
        }
        res = await s.post(roundPath, {
          area: i < 5 ? "citizen_service" : "field",
          experience: i < 3 ? "several" : "never",
          conf_counter: "1",
          conf_online: "4",
          wishes: i % 2 === 0 ? ["evidence"] : [],
        });
        assert.equal(res.statusCode, 303);
        const personal = await s.get(String(res.headers.location));
        assert.match(personal.body, /Ihre Empfehlung/);
        assert.match(personal.body, /Ruhig bleiben am Schalter – Probe/, "the person sees the format for their need at once");
        if (i === 1) {
          // A second sending (another tab) is not counted again.
          await s.get(roundPath);
          await s.post(roundPath, { area: "citizen_service", conf_counter: "1" });
        }
      }
      let page = await a.get(roundPath);
      assert.match(page.body, /6 Antworten bisher/);
      assert.match(page.body, /erst nach dem Ende/, "no results while it runs");
      assert.doesNotMatch(page.body, /id="needs-topics"/);

      // Counts only: nothing in the counts names a person.
      const { rows } = await env.platform.database.rawQuery("select * from training_needs_counts");
      const text = JSON.stringify(rows);
      for (const person of staff) assert.ok(!text.includes(person.id), "no person's id among the counts");
      assert.equal((await env.platform.database.rawQuery("select * from training_needs_respondents")).rows.length, 6);

      // The staff do not see results; partners see nothing.
      const s0 = await signedIn(staff[0]);
      assert.doesNotMatch((await s0.get(roundPath)).body, /id="needs-results"/);
      assert.equal((await (await signedIn(partner)).get(roundPath)).statusCode, 404);

      // Each answer rewrote every cell of the round: the rows do not tell which cells an answer changed.
      const { rows: versions } = await env.platform.database.rawQuery(
        "select count(distinct xmin::text)::int as versions, count(*)::int as cells from training_needs_counts where round_id = $1",
        [roundPath.split("/").pop()],
      );
      assert.equal(versions[0].versions, 1, "all cells carry the last answer's transaction");
      assert.ok(Number(versions[0].cells) > 100, "every cell exists from the start");
      // Ending takes a confirmation.
      await a.get(roundPath);
      assert.equal((await a.post(`${roundPath}/beenden`, {})).statusCode, 400);
      // Ended: the results, with the recommended format; the small field service is not singled out.
      await a.get(roundPath);
      res = await a.post(`${roundPath}/beenden`, { confirm: "yes" });
      assert.equal(res.statusCode, 303);
      const l = await signedIn(leader);
      page = await l.get(roundPath);
      assert.match(page.body, /6 Antworten/);
      assert.match(page.body, /Am meisten gebraucht: Deeskalation im Publikumsverkehr/);
      assert.match(page.body, /href="\/trainings\/formate\/[0-9a-f-]{36}">Ruhig bleiben am Schalter – Probe/);
      assert.match(page.body, /data-topic="deescalation" data-kind="unsure">6</);
      assert.match(page.body, /data-topic="evidence" data-kind="wished">weniger als 5</, "three wishes are fewer than five");
      assert.doesNotMatch(page.body, /Außendienst, Ordnungsamt<\/th>/, "one person's area is not shown");
      assert.doesNotMatch(page.body, /Bürgerservice und Publikumsverkehr<\/th>/, "nor the five beside them, which would give the one away");
      assert.match(page.body, /Keine Gruppe lässt sich einzeln zeigen/, "no group is large enough beside the others");

      // Ended: nobody answers any more.
      const late = await signedIn(staff[5]);
      assert.doesNotMatch((await late.get(roundPath)).body, /name="area"/);
    });

    test("below five answers no results are shown", async () => {
      const a = await signedIn(admin);
      await a.get("/trainings/bedarf");
      const res = await a.post("/trainings/bedarf", { title: "Kleine Runde Probe", closesOn: "2026-12-20" });
      const roundPath = String(res.headers.location);
      for (const person of staff.slice(0, 4)) {
        const s = await signedIn(person);
        await s.get(roundPath);
        await s.post(roundPath, { area: "internal", conf_racism: "1" });
      }
      await a.get(roundPath);
      await a.post(`${roundPath}/beenden`, { confirm: "yes" });
      const page = await a.get(roundPath);
      assert.match(page.body, /weniger als 5 Personen geantwortet/);
      assert.doesNotMatch(page.body, /id="needs-topics"/);
    });
  });
}
