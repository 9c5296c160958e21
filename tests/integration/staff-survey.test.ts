import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { suppressSmall } from "../../src/platform/disclosure.ts";
import { Agent, createTenantFixture, createTestEnv, createUserFixture, type TenantFixture, type TestEnv, type UserFixture } from "../helpers/app.ts";
import { DB_KINDS } from "../helpers/db.ts";

/*
 * The anonymous staff survey: a municipal admin opens it (bad input refused and kept) and gets its
 * link once; staff answer without an account (an empty or forged answer is refused); results stay
 * hidden while it runs and, after the end, below five answers; a renewed link replaces the old one;
 * an ended survey takes no answers. And over the stored rows: an answer leaves nothing but counts —
 * no time, person, address or device anywhere in the database.
 */

/** The survey's link as the page shows it once. */
const linkOn = (body: string) => body.match(/data-reveal="Link zur Befragung">http:\/\/localhost:3000(\/[^<]+)</)?.[1] ?? "";

const ANSWER = {
  racism: "once",
  hostility: "several",
  witnessed: "never",
  where: "counter",
  knows: "rather_no",
  backing: "yes",
  reported: "no_how",
  training: "yes",
};

for (const kind of DB_KINDS) {
  describe(`staff survey (${kind})`, () => {
    let env: TestEnv;
    let municipality: TenantFixture;
    let admin: UserFixture;
    let leader: UserFixture;
    let staff: UserFixture;
    let otherAdmin: UserFixture;

    async function signedIn(user: UserFixture) {
      const agent = new Agent(env.app);
      env.clock.advance(30_000);
      await agent.signIn(user, env.clock);
      return agent;
    }

    /** Opens a survey and returns its page's path and the link's path (shown once). */
    async function open(a: Agent, title: string) {
      await a.get("/wissen/befragungen");
      const res = await a.post("/wissen/befragungen", { title, closesOn: "2026-12-20" });
      assert.equal(res.statusCode, 303, "to the survey's page, so that a reload does not open a second one");
      const shown = await a.get(String(res.headers.location));
      const link = linkOn(shown.body);
      assert.ok(link, "the link is shown");
      const page = await a.get("/wissen/befragungen");
      const path = page.body.match(new RegExp(`href="(/wissen/befragungen/[0-9a-f-]{36})">${title}<`))?.[1];
      assert.ok(path);
      return { path, link };
    }

    /** One person answering through the link, in a browser of their own. */
    async function answer(link: string, body: Record<string, string>, headers: Record<string, string> = {}) {
      const person = new Agent(env.app);
      await person.get(link, headers);
      return { person, res: await person.post(link, body, { headers }) };
    }

    before(async () => {
      env = await createTestEnv(kind);
      municipality = await createTenantFixture(env, { name: "Befragungsstadt Probe", slug: `befragungsstadt-${kind}` });
      const other = await createTenantFixture(env, { name: "Andere Gemeinde Probe" });
      admin = await createUserFixture(env, [{ tenantId: municipality.id, role: "municipal_admin" }], { totp: true });
      leader = await createUserFixture(env, [{ tenantId: municipality.id, role: "leader" }]);
      staff = await createUserFixture(env, [{ tenantId: municipality.id, role: "staff" }]);
      otherAdmin = await createUserFixture(env, [{ tenantId: other.id, role: "municipal_admin" }], { totp: true });
    });
    after(() => env.close());

    test("opened with its link once; answered without an account; results only after the end and from five answers", async () => {
      const a = await signedIn(admin);
      assert.match((await a.get("/wissen")).body, /href="\/wissen\/befragungen"/);
      await a.get("/wissen/befragungen");
      const emoji = await a.post("/wissen/befragungen", { title: "😀😀", closesOn: "2026-12-20" });
      assert.equal(emoji.statusCode, 400, "two characters, however many code units");
      const bad = await a.post("/wissen/befragungen", { title: "Be", closesOn: "2026-11-01" });
      assert.equal(bad.statusCode, 400);
      assert.match(bad.body, /Bitte geben Sie einen Titel mit 3 bis 200 Zeichen an/);
      assert.match(bad.body, /Bitte wählen Sie einen Tag von morgen an/);
      assert.match(bad.body, /value="2026-11-01"/, "what was typed is kept");

      const { path, link } = await open(a, "Befragung Winter");
      const page = await a.get(path);
      assert.doesNotMatch(page.body, /data-reveal=/, "the link is not shown again");
      assert.match(page.body, /Neuen Link erzeugen/);

      const form = new Agent(env.app);
      const shown = await form.get(link);
      assert.equal(shown.statusCode, 200);
      assert.match(shown.body, /Diese Befragung ist anonym/);
      assert.equal(shown.headers["referrer-policy"], "no-referrer");
      const empty = await form.post(link, {});
      assert.equal(empty.statusCode, 400);
      assert.match(empty.body, /Bitte beantworten Sie mindestens eine Frage/);
      const forged = await form.post(link, { ...ANSWER, where: "zuhause" });
      assert.equal(forged.statusCode, 400);
      assert.match(forged.body, /Bitte wählen Sie eine der Antworten/);
      assert.match(forged.body, /name="racism" value="once" checked/, "the valid answers are kept");

      for (let i = 0; i < 3; i++) {
        const { person, res } = await answer(link, i === 0 ? ANSWER : { ...ANSWER, racism: "never", training: "maybe" });
        assert.equal(res.statusCode, 303);
        assert.match((await person.get(link)).body, /Vielen Dank! Ihre Antworten sind gezählt/, "not asked twice");
      }
      // The same browser sends its form a second time (a reload, a second click): counted once.
      const twice = new Agent(env.app);
      await twice.get(link);
      const token = twice.csrfToken();
      assert.equal((await twice.post(link, ANSWER, { csrf: token })).statusCode, 303);
      assert.equal((await twice.post(link, ANSWER, { csrf: token })).statusCode, 303);
      const running = await a.get(path);
      assert.match(running.body, /4 Antworten/, "four browsers, four answers");
      assert.match(running.body, /Ergebnisse zeigen wir, wenn die Befragung beendet ist/);
      assert.doesNotMatch(running.body, /data-option=/, "no figures while it runs");

      // The end: four are too few.
      const lateComer = new Agent(env.app);
      await lateComer.get(link);
      await a.get(path);
      assert.equal((await a.post(`${path}/beenden`, {})).statusCode, 303);
      const few = await a.get(path);
      assert.match(few.body, /Die Befragung ist beendet/);
      assert.match(few.body, /weniger als 5 Personen/);
      assert.doesNotMatch(few.body, /data-option=/);
      assert.doesNotMatch(few.body, /Befragung jetzt beenden/, "an ended survey does not open again");
      const late = await lateComer.post(link, ANSWER);
      assert.equal(late.statusCode, 200, "the form was open before the end, the answer came after it");
      assert.match(late.body, /Diese Befragung ist beendet/);
      assert.match((await a.get(path)).body, /4 Antworten/, "nothing counted after the end");

      // A second survey with twelve answers: its results show after the end, for admins and leaders.
      const second = await open(a, "Befragung Frühjahr");
      for (let i = 0; i < 12; i++) await answer(second.link, i < 5 ? ANSWER : { racism: "never", knows: "yes" });
      await a.get(second.path);
      await a.post(`${second.path}/beenden`, {});
      const l = await signedIn(leader);
      const results = await l.get(second.path);
      assert.equal(results.statusCode, 200);
      const cell = (question: string, option: string) =>
        Number(results.body.match(new RegExp(`id="result-${question}"[\\s\\S]*?data-option="${option}">(\\d+)<`))?.[1]);
      assert.equal(cell("racism", "once"), 5);
      assert.equal(cell("racism", "never"), 7);
      assert.equal(cell("knows", "yes"), 7);
      assert.equal(cell("where", "counter"), 5);
      assert.match(results.body, /58 %/, "seven of twelve");
      assert.match(results.body, /id="result-racism"[\s\S]*?data-option="often">weniger als 5</, "a count below five (here none) is withheld");
      assert.match(results.body, /id="result-reported"[\s\S]*?data-option="no_how">5</);
      assert.doesNotMatch(results.body, /Befragung jetzt beenden/, "a leader reads, does not manage");
    });

    test("a renewed link replaces the old one; only the municipality's admins and leaders see its surveys", async () => {
      const a = await signedIn(admin);
      const { path, link } = await open(a, "Befragung Sommer");
      await a.get(path);
      const renewed = await a.post(`${path}/link`, {});
      assert.equal(renewed.statusCode, 303);
      const fresh = linkOn((await a.get(String(renewed.headers.location))).body);
      assert.notEqual(fresh, link);
      assert.equal((await new Agent(env.app).get(link)).statusCode, 404, "the old link stops working");
      assert.equal((await new Agent(env.app).get(fresh)).statusCode, 200);

      const s = await signedIn(staff);
      assert.equal((await s.get("/wissen/befragungen")).statusCode, 404);
      assert.equal((await s.get(path)).statusCode, 404);
      const o = await signedIn(otherAdmin);
      assert.equal((await o.get(path)).statusCode, 404, "another municipality's survey");
      await o.get("/wissen/befragungen");
      assert.equal((await o.post(`${path}/beenden`, {})).statusCode, 404);
      const wrongTenant = fresh.replace(/^\/[^/]+\//, "/andere-gemeinde-probe/");
      assert.equal((await new Agent(env.app).get(wrongTenant)).statusCode, 404, "a link works only under its municipality");
      for (const odd of [`/${municipality.slug}/befragung/kurz`, `/${municipality.slug}/befragung/${"A".repeat(43)}`, "/GROSS/befragung/x"])
        assert.equal((await new Agent(env.app).get(odd)).statusCode, 404, odd);
    });

    test("a count below five is withheld, and a second one with it where one alone could be worked out", () => {
      assert.deepEqual(suppressSmall({ yes: 12, no: 7, maybe: 0 }), { yes: 12, no: null, maybe: null });
      assert.deepEqual(suppressSmall({ yes: 12, no: 3, maybe: 4 }), { yes: 12, no: null, maybe: null });
      assert.deepEqual(suppressSmall({ yes: 5, no: 6 }), { yes: 5, no: 6 });
      assert.deepEqual(suppressSmall({ yes: 2 }), { yes: null });
    });

    test("over the stored rows: an answer leaves counts only — no time, person, address or device", async () => {
      const a = await signedIn(admin);
      const { link } = await open(a, "Befragung Anonymität");
      const raw = (text: string, params: unknown[] = []) => env.platform.database.rawQuery(text, params);
      const tables = (await raw("select tablename from pg_tables where schemaname = 'public' order by tablename")).rows.map((r) => String(r.tablename));
      const snapshot = async () => {
        const rows = new Map<string, Set<string>>();
        for (const t of tables) rows.set(t, new Set((await raw(`select t::text as row from "${t}" t`)).rows.map((r) => String(r.row))));
        return rows;
      };

      // A signed-in member of staff answers from a browser that gives itself away.
      const person = await signedIn(staff);
      const marks = { "user-agent": "Anonymitaetsprobe/7.7 (Dienstrechner 0815)", "x-forwarded-for": "198.51.100.77" };
      await person.get(link, marks);
      const before = await snapshot();
      const res = await person.post(link, ANSWER, { headers: marks });
      assert.equal(res.statusCode, 303);
      const after = await snapshot();

      const changed = new Map<string, string[]>();
      for (const t of tables) {
        const added = [...(after.get(t) ?? [])].filter((r) => !before.get(t)?.has(r));
        if (added.length) changed.set(t, added);
      }
      // The only other row written is the survey's rate limit (a keyed hash of the survey's link,
      // not of any address); the session of the signed-in person is neither read nor touched.
      const about = [...changed.keys()].filter((t) => t !== "rate_counters").sort();
      assert.deepEqual(about, ["knowledge_survey_counts", "knowledge_surveys"]);
      assert.equal(changed.get("knowledge_surveys")?.length, 1);
      assert.equal(changed.get("knowledge_survey_counts")?.length, Object.keys(ANSWER).length);

      const columns = (
        await raw("select column_name from information_schema.columns where table_name = 'knowledge_survey_counts' order by ordinal_position")
      ).rows.map((r) => r.column_name);
      assert.deepEqual(columns, ["tenant_id", "survey_id", "question", "option", "count"], "a count has no time, person or device");
      const everything = [...after.values()].flatMap((set) => [...set]).join("\n");
      assert.ok(!everything.includes("Anonymitaetsprobe"), "the device is stored nowhere");
      assert.ok(!everything.includes("198.51.100.77"), "the address is stored nowhere");
      const surveyRows = [...(changed.get("knowledge_surveys") ?? []), ...(changed.get("knowledge_survey_counts") ?? [])].join("\n");
      assert.ok(!surveyRows.includes(staff.id), "the person is not tied to the answer");
      const audit = await raw("select count(*)::int as n from audit_log where action like 'survey.%' and actor_id = $1", [staff.id]);
      assert.equal(audit.rows[0].n, 0, "answering is not audited");
    });
  });
}
