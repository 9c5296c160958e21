import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { sql } from "drizzle-orm";
import { measureReminders } from "../../src/modules/knowledge/action-plan.ts";
import { rows, withTenant } from "../../src/platform/db/client.ts";
import { Agent, createTenantFixture, createTestEnv, createUserFixture, type TenantFixture, type TestEnv, type UserFixture } from "../helpers/app.ts";
import { DB_KINDS } from "../helpers/db.ts";

/*
 * The action plan of the strategy concept, without JavaScript: an admin adds measures (bad input
 * refused and kept), the plan shows its progress (done of those not dropped, what is overdue and
 * what is due within a week) with the same figures in the bar and its legend; staff read a
 * measure, only admins change it. The daily job reminds the admins a week before a deadline and
 * once when it has passed — each once, and anew when the deadline moves.
 */

for (const kind of DB_KINDS) {
  describe(`action plan (${kind})`, () => {
    let env: TestEnv;
    let municipality: TenantFixture;
    let admin: UserFixture;
    let staff: UserFixture;
    const measureIds: Record<string, string> = {};

    async function signedIn(user: UserFixture) {
      const agent = new Agent(env.app);
      env.clock.advance(30_000);
      await agent.signIn(user, env.clock);
      return agent;
    }
    async function add(a: Agent, body: Record<string, string>) {
      await a.get("/wissen/strategie/massnahmen/neu");
      const res = await a.post("/wissen/strategie/massnahmen/neu", body);
      assert.equal(res.statusCode, 303, JSON.stringify(body));
      const page = await a.get("/wissen/strategie/massnahmen");
      measureIds[body.title] = page.body.match(new RegExp(`href="/wissen/strategie/massnahmen/([0-9a-f-]{36})">${body.title}<`))?.[1] ?? "";
    }
    const notices = () =>
      withTenant(env.platform.db, municipality.id, (tx) =>
        rows<{ user_id: string; kind: string; params: Record<string, string>; link: string }>(
          tx,
          sql`select user_id, kind, params, link from notifications where kind like 'knowledge.notify.measure.%' order by created_at, kind`,
        ),
      );

    before(async () => {
      env = await createTestEnv(kind);
      municipality = await createTenantFixture(env, { name: "Planstadt Probe" });
      admin = await createUserFixture(env, [{ tenantId: municipality.id, role: "municipal_admin" }], { totp: true });
      staff = await createUserFixture(env, [{ tenantId: municipality.id, role: "staff" }]);
    });
    after(() => env.close());

    test("measures added (bad input kept); the progress counts done of those not dropped and names what is overdue", async () => {
      env.clock.current = new Date("2026-12-01T09:00:00Z");
      const a = await signedIn(admin);
      assert.match((await a.get("/wissen/strategie")).body, /href="\/wissen\/strategie\/massnahmen"/);
      assert.match((await a.get("/wissen/strategie/massnahmen")).body, /Noch keine Maßnahme ist geplant/);
      await a.get("/wissen/strategie/massnahmen/neu");
      const bad = await a.post("/wissen/strategie/massnahmen/neu", {
        goal: "Sicher melden",
        title: "M",
        owner: "",
        dueOn: "2026-02-30",
        status: "vielleicht",
        progress: "",
      });
      assert.equal(bad.statusCode, 400);
      for (const message of [/Maßnahme mit 3 bis 200 Zeichen/, /zuständige Stelle/, /Frist als Datum/, /Bitte wählen Sie den Stand/])
        assert.match(bad.body, message);
      assert.match(bad.body, /value="Sicher melden"/, "what was typed is kept");

      const m = (title: string, dueOn: string, status: string, goal = "Sicher melden") => ({ goal, title, owner: "Hauptamt", dueOn, status, progress: "" });
      await add(a, m("Meldestelle im Intranet verlinken", "2026-10-01", "done"));
      await add(a, m("Notfallkarte an alle Arbeitsplätze", "2026-11-20", "in_progress"));
      await add(a, m("Schulung für Führungskräfte", "2026-12-04", "planned", "Führung stärken"));
      await add(a, m("Plakate an Bushaltestellen", "2026-11-01", "dropped", "Haltung zeigen"));
      await add(a, m("Leitfaden Fürsorgepflicht", "2027-03-01", "planned", "Führung stärken"));

      const plan = await a.get("/wissen/strategie/massnahmen");
      assert.match(plan.body, /1 von 4 Maßnahmen erledigt \(25 %\)/, "the dropped one is not counted");
      assert.match(plan.body, /1 Maßnahme überfällig/);
      assert.match(plan.body, /Notfallkarte an alle Arbeitsplätze<\/a> – fällig war der 20\.11\.2026/);
      assert.match(plan.body, /1 Maßnahme ist in den nächsten 7 Tagen fällig/);
      for (const goal of ["Sicher melden", "Führung stärken", "Haltung zeigen"]) assert.match(plan.body, new RegExp(`Ziel: ${goal}`));
      const legend = Object.fromEntries([...plan.body.matchAll(/data-count="(\w+)">(\d+)</g)].map((x) => [x[1], Number(x[2])]));
      assert.deepEqual(legend, { planned: 2, in_progress: 1, done: 1, dropped: 1 });
      const widths = Object.fromEntries(
        [...plan.body.matchAll(/<rect x="[^"]*" y="0" width="([^"]+)" height="28" fill="[^"]*" data-status="(\w+)"/g)].map((x) => [x[2], Number(x[1])]),
      );
      for (const [status, n] of Object.entries(legend)) assert.equal(widths[status], (n / 5) * 480, `${status}: the bar's part`);
    });

    test("an admin changes a measure; staff read it and change nothing", async () => {
      const a = await signedIn(admin);
      const id = measureIds["Notfallkarte an alle Arbeitsplätze"];
      const form = await a.get(`/wissen/strategie/massnahmen/${id}`);
      assert.match(form.body, /name="progress"/);
      const bad = await a.post(`/wissen/strategie/massnahmen/${id}`, {
        goal: "Sicher melden",
        title: "Notfallkarte an alle Arbeitsplätze",
        owner: "Hauptamt",
        dueOn: "morgen",
        status: "done",
        progress: "Überall ausgehängt.",
      });
      assert.equal(bad.statusCode, 400);
      assert.match(bad.body, /Überall ausgehängt\./);
      await a.get(`/wissen/strategie/massnahmen/${id}`);
      const saved = await a.post(`/wissen/strategie/massnahmen/${id}`, {
        goal: "Sicher melden",
        title: "Notfallkarte an alle Arbeitsplätze",
        owner: "Hauptamt",
        dueOn: "2026-11-20",
        status: "done",
        progress: "Überall ausgehängt.",
      });
      assert.equal(saved.statusCode, 303);
      assert.match((await a.get("/wissen/strategie/massnahmen")).body, /2 von 4 Maßnahmen erledigt \(50 %\)/);

      const s = await signedIn(staff);
      const read = await s.get(`/wissen/strategie/massnahmen/${id}`);
      assert.equal(read.statusCode, 200);
      assert.match(read.body, /Überall ausgehängt\./);
      assert.doesNotMatch(read.body, /<form method="post" action="\/wissen\/strategie\/massnahmen/);
      assert.doesNotMatch((await s.get("/wissen/strategie/massnahmen")).body, /Maßnahme hinzufügen/);
      assert.equal((await s.get("/wissen/strategie/massnahmen/neu")).statusCode, 404);
      assert.equal((await s.get("/wissen/strategie/massnahmen/00000000-0000-0000-0000-000000000000")).statusCode, 404);
      assert.equal((await s.get("/wissen/strategie/massnahmen/kein-datensatz")).statusCode, 404);
    });

    test("the daily job reminds a week before and once overdue — each once, anew when the deadline moves", async () => {
      const job = measureReminders(env.platform);
      env.clock.current = new Date("2026-12-02T06:05:00Z");
      await job.run(env.clock.now());
      await job.run(env.clock.now());
      const first = await notices();
      const byLink = (id: string) => first.filter((n) => n.link === `/wissen/strategie/massnahmen/${id}`).map((n) => n.kind);
      assert.deepEqual(
        byLink(measureIds["Schulung für Führungskräfte"]),
        ["knowledge.notify.measure.due"],
        "due on the 4th: a week ahead, once though the job ran twice",
      );
      assert.deepEqual(byLink(measureIds["Leitfaden Fürsorgepflicht"]), [], "months ahead");
      assert.deepEqual(byLink(measureIds["Notfallkarte an alle Arbeitsplätze"]), [], "done: nobody is reminded");
      assert.deepEqual(byLink(measureIds["Plakate an Bushaltestellen"]), [], "dropped: nobody is reminded");
      assert.ok(
        first.every((n) => n.user_id === admin.id),
        "to the municipality's admins",
      );
      assert.equal(first[0].params.date, "04.12.2026");

      env.clock.current = new Date("2026-12-05T06:05:00Z");
      await job.run(env.clock.now());
      const overdue = (await notices()).filter((n) => n.link.endsWith(measureIds["Schulung für Führungskräfte"]));
      assert.deepEqual(
        overdue.map((n) => n.kind),
        ["knowledge.notify.measure.due", "knowledge.notify.measure.overdue"],
      );

      // The deadline moves on: reminded again for the new one.
      const a = await signedIn(admin);
      const id = measureIds["Schulung für Führungskräfte"];
      await a.get(`/wissen/strategie/massnahmen/${id}`);
      await a.post(`/wissen/strategie/massnahmen/${id}`, {
        goal: "Führung stärken",
        title: "Schulung für Führungskräfte",
        owner: "Personalamt",
        dueOn: "2026-12-10",
        status: "planned",
        progress: "",
      });
      env.clock.current = new Date("2026-12-06T06:05:00Z");
      await job.run(env.clock.now());
      const moved = (await notices()).filter((n) => n.link.endsWith(id));
      assert.equal(moved.length, 3);
      assert.equal(moved[2].params.date, "10.12.2026");
    });
  });
}
