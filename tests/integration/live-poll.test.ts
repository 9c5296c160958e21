import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { Agent, createTenantFixture, createTestEnv, createUserFixture, type TenantFixture, type TestEnv, type UserFixture } from "../helpers/app.ts";
import { DB_KINDS } from "../helpers/db.ts";

/*
 * The anonymous live poll: a leader starts it (bad input refused and kept) and gets a QR code and a
 * link; people vote without an account (a forged answer is refused, a second vote from the same
 * browser not counted); while it runs only the number of votes shows — also to the projection's
 * script — and once closed the result, from five votes on; a closed poll takes no votes. Only the
 * municipality's admins and leaders run its polls.
 */

for (const kind of DB_KINDS) {
  describe(`live poll (${kind})`, () => {
    let env: TestEnv;
    let municipality: TenantFixture;
    let leader: UserFixture;
    let staff: UserFixture;
    let otherLeader: UserFixture;

    async function signedIn(user: UserFixture) {
      const agent = new Agent(env.app);
      env.clock.advance(30_000);
      await agent.signIn(user, env.clock);
      return agent;
    }
    async function start(a: Agent, question: string, options: string) {
      await a.get("/wissen/abstimmungen");
      const res = await a.post("/wissen/abstimmungen", { question, options });
      assert.equal(res.statusCode, 303);
      const path = String(res.headers.location);
      const page = await a.get(path);
      const link = page.body.match(/id="poll-link">http:\/\/localhost:3000(\/[^<]+)</)?.[1];
      assert.ok(link, "the link is on the page");
      return { path, link, page };
    }
    async function vote(link: string, answer: string) {
      const voter = new Agent(env.app);
      await voter.get(link);
      return { voter, res: await voter.post(link, { answer }) };
    }

    before(async () => {
      env = await createTestEnv(kind);
      municipality = await createTenantFixture(env, { name: "Abstimmstadt Probe" });
      const other = await createTenantFixture(env, { name: "Andere Stadt Probe" });
      leader = await createUserFixture(env, [{ tenantId: municipality.id, role: "leader" }]);
      staff = await createUserFixture(env, [{ tenantId: municipality.id, role: "staff" }]);
      otherLeader = await createUserFixture(env, [{ tenantId: other.id, role: "leader" }]);
    });
    after(() => env.close());

    test("started with a QR code; voted without an account; only the count while it runs; the result once closed, from five votes", async () => {
      const a = await signedIn(leader);
      assert.match((await a.get("/wissen")).body, /href="\/wissen\/abstimmungen"/);
      await a.get("/wissen/abstimmungen");
      const bad = await a.post("/wissen/abstimmungen", { question: "Fühlen Sie sich im Rat sicher?", options: "Ja\nja" });
      assert.equal(bad.statusCode, 400);
      assert.match(bad.body, /2 bis 6 verschiedene Antworten/);
      assert.match(bad.body, /value="Fühlen Sie sich im Rat sicher\?"/, "the question is kept");

      const { path, link, page } = await start(a, "Fühlen Sie sich im Rat sicher?", "Ja\nEher ja\nEher nein\nNein");
      assert.match(page.body, /<svg[^>]*role="img" aria-label="QR-Code zur Abstimmung: Fühlen Sie sich im Rat sicher\?"/);
      assert.match(page.body, /0 Stimmen/);

      const shown = await new Agent(env.app).get(link);
      assert.equal(shown.statusCode, 200);
      assert.match(shown.body, /Ihre Stimme ist anonym/);
      assert.equal(shown.headers["referrer-policy"], "no-referrer");
      const forged = await vote(link, "7");
      assert.equal(forged.res.statusCode, 400);
      assert.match(forged.res.body, /Bitte wählen Sie eine Antwort/);

      const first = await vote(link, "0");
      assert.equal(first.res.statusCode, 303);
      assert.match((await first.voter.get(link)).body, /Danke! Ihre Stimme ist gezählt/);
      const again = new Agent(env.app);
      await again.get(link);
      const token = again.csrfToken();
      await again.post(link, { answer: "3" }, { csrf: token });
      await again.post(link, { answer: "3" }, { csrf: token });
      await vote(link, "1");
      await vote(link, "0");

      const running = await a.get(path);
      assert.match(running.body, /4 Stimmen/, "a browser's second vote is not counted");
      assert.doesNotMatch(running.body, /data-position=/, "no distribution while it runs");
      const state = await a.get(`${path}/stand`);
      assert.deepEqual(JSON.parse(state.body), { votes: 4, closed: false, text: "4 Stimmen" });
      const projection = await a.get(`${path}/anzeige`);
      assert.match(projection.body, /data-live-poll="\/wissen\/abstimmungen\/[0-9a-f-]{36}\/stand"/);
      assert.match(projection.body, /<svg[^>]*role="img"/);
      assert.doesNotMatch(projection.body, /Hauptnavigation/, "the room sees the poll, not the presenter's menu");

      const lateVoter = new Agent(env.app);
      await lateVoter.get(link);
      await a.get(path);
      await a.post(`${path}/beenden`, {});
      const few = await a.get(path);
      assert.match(few.body, /Weniger als 5 Stimmen/);
      assert.doesNotMatch(few.body, /data-position=/);
      const late = await lateVoter.post(link, { answer: "2" });
      assert.match(late.body, /Diese Abstimmung ist beendet/);
      assert.match((await a.get(path)).body, /4 Stimmen/, "nothing counted after the end");

      const second = await start(a, "Soll der Rat eine Erklärung beschließen?", "Ja\nNein\nEnthaltung");
      for (const answer of [..."00000011111222"]) await vote(second.link, answer);
      await a.get(second.path);
      await a.post(`${second.path}/beenden`, {});
      const result = await a.get(second.path);
      const counts = Object.fromEntries([...result.body.matchAll(/data-position="(\d)">([^<]+)</g)].map((m) => [m[1], m[2]]));
      assert.deepEqual(
        counts,
        { 0: "6", 1: "weniger als 5", 2: "weniger als 5" },
        "three votes are withheld, and the five with them: else six and five of fourteen would give the three away",
      );
      assert.match(result.body, /43 %/, "six of fourteen");

      // Four votes alike by whoever runs it and one other: the other's vote is not singled out.
      const third = await start(a, "Noch eine Frage?", "Ja\nNein");
      for (const answer of [..."00001"]) await vote(third.link, answer);
      await a.get(third.path);
      await a.post(`${third.path}/beenden`, {});
      const thirdResult = await a.get(third.path);
      assert.deepEqual(
        [...thirdResult.body.matchAll(/data-position="(\d)">([^<]+)</g)].map((m) => m[2]),
        ["weniger als 5", "weniger als 5"],
      );
      assert.deepEqual(JSON.parse((await a.get(`${second.path}/stand`)).body).closed, true);
    });

    test("only the municipality's admins and leaders run its polls; odd links answer 404", async () => {
      const a = await signedIn(leader);
      const { path, link } = await start(a, "Wie sicher fühlen Sie sich?", "Sicher\nUnsicher");
      const s = await signedIn(staff);
      assert.equal((await s.get("/wissen/abstimmungen")).statusCode, 404);
      assert.equal((await s.get(path)).statusCode, 404);
      const o = await signedIn(otherLeader);
      assert.equal((await o.get(path)).statusCode, 404);
      assert.equal((await o.get(`${path}/stand`)).statusCode, 404);
      await o.get("/wissen/abstimmungen");
      assert.equal((await o.post(`${path}/beenden`, {})).statusCode, 404);
      assert.equal((await new Agent(env.app).get(link.replace(/\/[^/]+\/abstimmung\//, "/andere-stadt-probe/abstimmung/"))).statusCode, 404);
      for (const odd of [`/${municipality.slug}/abstimmung/kurz`, `/${municipality.slug}/abstimmung/${"A".repeat(24)}`, "/wissen/abstimmungen/kein-datensatz"])
        assert.equal((await s.get(odd)).statusCode, 404, odd);
    });
  });
}
