import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { sql } from "drizzle-orm";
import { ALL_QUESTIONS, type Answers, recordAssessment } from "../../src/modules/knowledge/assessment.ts";
import { withTenant } from "../../src/platform/db/client.ts";
import { Agent, createTenantFixture, createTestEnv, createUserFixture, type TenantFixture, type TestEnv, type UserFixture } from "../helpers/app.ts";
import { DB_KINDS } from "../helpers/db.ts";

/*
 * The self-assessment, without JavaScript: a model municipality's admin answers the
 * questionnaire (a missing answer is named and the others kept), sees its scores as a chart and as
 * a table with the same figures, and — once five model municipalities take part — the median of
 * its peers; fewer than five show only how many take part. Leaders read, staff and other
 * municipalities do not; the national level sees the medians, never one municipality's figures.
 */

const DIMENSIONS = ["alliance", "strategy", "clearing", "training", "communication", "participation"];

/** Every statement answered with `level`, except the dimensions in `except`. */
function answers(level: number, except: Record<string, number> = {}): Answers {
  return Object.fromEntries(ALL_QUESTIONS.map((q) => [q.field, except[q.dimension] ?? level]));
}
const form = (a: Answers) => Object.fromEntries(Object.entries(a).map(([k, v]) => [k, String(v)]));

/** The figures of the chart (bar width, value and label) and of the table, by series and dimension. */
function figures(body: string) {
  const attrs = (tag: string) => Object.fromEntries([...tag.matchAll(/([\w-]+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
  const bars = new Map<string, { value: number; width: number }>();
  for (const m of body.matchAll(/<rect [^>]*data-series="[^"]*"[^>]*>/g)) {
    const a = attrs(m[0]);
    bars.set(`${a["data-series"]}/${a["data-dimension"]}`, { value: Number(a["data-value"]), width: Number(a.width) });
  }
  const labels = new Map<string, number>();
  for (const m of body.matchAll(/<text [^>]*data-series="([^"]*)" data-dimension="([^"]*)"[^>]*>(\d+)<\/text>/g)) labels.set(`${m[1]}/${m[2]}`, Number(m[3]));
  const cells = new Map<string, number>();
  for (const m of body.matchAll(/<td [^>]*data-series="([^"]*)" data-dimension="([^"]*)"[^>]*>(\d+)<\/td>/g)) cells.set(`${m[1]}/${m[2]}`, Number(m[3]));
  return { bars, labels, cells };
}

/** Chart and table hold the same figures, and each bar is as long as its figure. */
function assertChartMatchesTable(body: string): Map<string, number> {
  const { bars, labels, cells } = figures(body);
  assert.ok(cells.size > 0, "the table has figures");
  assert.deepEqual([...bars.keys()].sort(), [...cells.keys()].sort(), "a bar for every cell of the table, and no other");
  for (const [key, bar] of bars) {
    assert.equal(bar.value, cells.get(key), `${key}: bar and table`);
    assert.equal(labels.get(key), cells.get(key), `${key}: the figure beside the bar`);
    assert.equal(bar.width, bar.value * 3.2, `${key}: the bar's length`);
  }
  return cells;
}

for (const kind of DB_KINDS) {
  describe(`self-assessment (${kind})`, () => {
    let env: TestEnv;
    let model: TenantFixture;
    let other: TenantFixture;
    let admin: UserFixture;
    let leader: UserFixture;
    let staff: UserFixture;
    let otherAdmin: UserFixture;
    let national: UserFixture;
    let peers: TenantFixture[];
    let firstPath = "";

    async function signedIn(user: UserFixture) {
      const agent = new Agent(env.app);
      env.clock.advance(30_000);
      await agent.signIn(user, env.clock);
      return agent;
    }

    before(async () => {
      env = await createTestEnv(kind);
      model = await createTenantFixture(env, { kind: "model", name: "Modellstadt Selbstprobe" });
      other = await createTenantFixture(env, { name: "Netzwerkgemeinde Selbstprobe" });
      peers = [];
      for (let i = 0; i < 5; i++) peers.push(await createTenantFixture(env, { kind: "model", name: `Vergleichsstadt ${i}` }));
      admin = await createUserFixture(env, [{ tenantId: model.id, role: "municipal_admin" }], { totp: true });
      leader = await createUserFixture(env, [{ tenantId: model.id, role: "leader" }]);
      staff = await createUserFixture(env, [{ tenantId: model.id, role: "staff" }]);
      otherAdmin = await createUserFixture(env, [{ tenantId: other.id, role: "municipal_admin" }], { totp: true });
      national = await createUserFixture(env, [{ tenantId: env.platform.nationalTenant.id, role: "national_admin" }], { totp: true });
    });
    after(() => env.close());

    test("the admin answers; a missing answer is named and the others kept; chart and table agree", async () => {
      const a = await signedIn(admin);
      assert.match((await a.get("/wissen")).body, /href="\/wissen\/selbstcheck"/, "the library leads to the self-assessment");
      const empty = await a.get("/wissen/selbstcheck");
      assert.equal(empty.statusCode, 200);
      assert.match(empty.body, /noch nicht ausgefüllt/);
      assert.doesNotMatch(empty.body, /<table/);

      await a.get("/wissen/selbstcheck/neu");
      const mine = answers(2, { alliance: 1 });
      const { alliance_card: _left, ...partial } = form(mine);
      const bad = await a.post("/wissen/selbstcheck/neu", partial);
      assert.equal(bad.statusCode, 400);
      assert.match(bad.body, /Bitte wählen Sie eine Antwort zu: Eine Notfallkarte/);
      assert.match(bad.body, /href="#f-alliance_card"/, "the summary leads to the statement");
      assert.match(bad.body, /name="alliance_meets" value="1" checked/, "the answers given are kept");

      const saved = await a.post("/wissen/selbstcheck/neu", form(mine));
      assert.equal(saved.statusCode, 303);
      const page = await a.get("/wissen/selbstcheck");
      assert.match(page.body, /Der Selbstcheck ist gespeichert/);
      const cells = assertChartMatchesTable(page.body);
      assert.equal(cells.get("own-0/alliance"), 33);
      assert.equal(cells.get("own-0/strategy"), 67);
      assert.ok(![...cells.keys()].some((k) => k.startsWith("model/")), "no median from one municipality");
      assert.match(page.body, /Median der Modellkommunen zeigen wir, sobald mindestens 5 Kommunen teilnehmen \(bisher 0\)/, "its own is not among its peers");
      assert.match(page.body, /Median der Plattformkommunen zeigen wir, sobald mindestens 5 Kommunen teilnehmen \(bisher 0\)/);
      const links = [...page.body.matchAll(/href="\/wissen\?dimension=(\w+)"/g)].map((m) => m[1]);
      assert.deepEqual([...links].sort(), [...DIMENSIONS].sort(), "every dimension leads to its practices");
      assert.equal(links[0], "alliance", "the weakest first");

      firstPath = page.body.match(/href="(\/wissen\/selbstcheck\/[0-9a-f-]{36})"/)?.[1] ?? "";
      const detail = await a.get(firstPath);
      assert.equal(detail.statusCode, 200);
      assert.match(detail.body, /Allianz: 33 von 100 Punkten/);
      assert.match(detail.body, /In Ansätzen/);

      // The second round starts from the first's answers and shows beside it.
      const again = await a.get("/wissen/selbstcheck/neu");
      assert.match(again.body, /Vorausgefüllt mit den Antworten vom/);
      assert.match(again.body, /name="alliance_meets" value="1" checked/);
      env.clock.advance(90 * 86_400_000);
      const later = await signedIn(admin);
      await later.get("/wissen/selbstcheck/neu");
      assert.equal((await later.post("/wissen/selbstcheck/neu", form(answers(2)))).statusCode, 303);
      const second = assertChartMatchesTable((await later.get("/wissen/selbstcheck")).body);
      assert.equal(second.get("own-0/alliance"), 33, "the earlier one");
      assert.equal(second.get("own-1/alliance"), 67, "the newer one");
    });

    test("the median of the model municipalities shows from five on, over each one's latest self-assessment of the last two years", async () => {
      const now = env.clock.now().getTime();
      const ago = (days: number) => new Date(now - days * 86_400_000);
      // A municipality whose only self-assessment is three years old does not count.
      await recordAssessment(env.platform, peers[4].id, null, answers(3), ago(3 * 365));
      // One that changed its answers counts with the latest.
      await recordAssessment(env.platform, peers[0].id, null, answers(3), ago(300));
      await recordAssessment(env.platform, peers[0].id, null, answers(0), ago(20));
      await recordAssessment(env.platform, peers[1].id, null, answers(1), ago(20));
      await recordAssessment(env.platform, peers[2].id, null, answers(3), ago(20));
      const a = await signedIn(admin);
      const three = await a.get("/wissen/selbstcheck");
      assert.match(three.body, /\(bisher 3\)/, "the old one does not count, the one taken twice counts once");
      await recordAssessment(env.platform, peers[3].id, null, answers(3), ago(10));
      const four = await a.get("/wissen/selbstcheck");
      assert.match(four.body, /\(bisher 4\)/);
      assert.ok(![...assertChartMatchesTable(four.body).keys()].some((k) => k.startsWith("model/")));

      await recordAssessment(env.platform, peers[4].id, null, answers(2), ago(5));
      const five = await a.get("/wissen/selbstcheck");
      const cells = assertChartMatchesTable(five.body);
      // The others' latest scores per dimension: 0, 33, 100, 100, 67 → median 67.
      for (const d of DIMENSIONS) assert.equal(cells.get(`model/${d}`), 67, d);
      assert.match(five.body, /Median der Modellkommunen \(5\)/);

      // Its own answers move nothing it sees: all "no" now, the median of the others stays.
      const later = await signedIn(admin);
      await later.get("/wissen/selbstcheck/neu");
      await later.post("/wissen/selbstcheck/neu", form(answers(0)));
      const again = assertChartMatchesTable((await later.get("/wissen/selbstcheck")).body);
      for (const d of DIMENSIONS) assert.equal(again.get(`model/${d}`), 67, d);
      assert.doesNotMatch(five.body, /Vergleichsstadt/, "no other municipality is named");

      // The stored rows hold the scores the page shows.
      const stored = await withTenant(env.platform.db, model.id, (tx) =>
        tx.execute(sql`select scores from knowledge_assessments where tenant_id = ${model.id} order by taken_at desc limit 1`),
      );
      const scores = (stored as unknown as { rows: { scores: Record<string, number> }[] }).rows[0].scores;
      assert.equal(scores.alliance, again.get("own-2/alliance"));
      assert.equal(scores.alliance, 0);
    });

    test("leaders read, staff and other municipalities do not; the national level sees medians only", async () => {
      const l = await signedIn(leader);
      const read = await l.get("/wissen/selbstcheck");
      assert.equal(read.statusCode, 200);
      assert.doesNotMatch(read.body, /href="\/wissen\/selbstcheck\/neu"/, "a leader does not take it");
      assert.equal((await l.get("/wissen/selbstcheck/neu")).statusCode, 404);
      assert.equal((await l.get(firstPath)).statusCode, 200);

      const s = await signedIn(staff);
      assert.equal((await s.get("/wissen/selbstcheck")).statusCode, 404);
      assert.doesNotMatch((await s.get("/wissen")).body, /href="\/wissen\/selbstcheck"/);

      const o = await signedIn(otherAdmin);
      assert.equal((await o.get(firstPath)).statusCode, 404, "another municipality's self-assessment");
      assert.equal((await o.get("/wissen/selbstcheck/kein-datensatz")).statusCode, 404);
      const before = await o.get("/wissen/selbstcheck");
      assert.match(before.body, /noch nicht ausgefüllt/);
      assert.match(before.body, /Median der Modellkommunen \(6\)/, "before its own, it sees where the model municipalities stand");

      const n = await signedIn(national);
      const overview = await n.get("/wissen/selbstcheck");
      assert.equal(overview.statusCode, 200);
      const cells = assertChartMatchesTable(overview.body);
      assert.deepEqual([...new Set([...cells.keys()].map((k) => k.split("/")[0]))], ["model"]);
      assert.doesNotMatch(overview.body, /Modellstadt Selbstprobe|Vergleichsstadt/);
      assert.equal((await n.get(firstPath)).statusCode, 404);
      assert.equal((await n.get("/wissen/selbstcheck/neu")).statusCode, 404);

      const anonymous = new Agent(env.app);
      assert.notEqual((await anonymous.get("/wissen/selbstcheck")).statusCode, 200);
    });
  });
}
