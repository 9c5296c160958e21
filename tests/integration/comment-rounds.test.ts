import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { Agent, createTenantFixture, createTestEnv, createUserFixture, type TenantFixture, type TestEnv, type UserFixture } from "../helpers/app.ts";
import { DB_KINDS } from "../helpers/db.ts";

/*
 * Comment rounds on the strategy draft: the admins open a round for invited groups (bad input
 * refused and kept) and get each group's link once; a group's member comments without an account
 * (a comment without its part is refused, the words kept); comments are sealed at rest and wait
 * for moderation — approved ones show to every group, rejected ones to nobody; the admins end the
 * round with what they changed, which the groups then read; an ended round takes no comments; a
 * renewed link replaces the old one; only the municipality's admins run its rounds.
 */

for (const kind of DB_KINDS) {
  describe(`comment rounds (${kind})`, () => {
    let env: TestEnv;
    let municipality: TenantFixture;
    let admin: UserFixture;
    let staff: UserFixture;
    let otherAdmin: UserFixture;
    let roundPath = "";
    let links: Record<string, string> = {};

    async function signedIn(user: UserFixture) {
      const agent = new Agent(env.app);
      env.clock.advance(30_000);
      await agent.signIn(user, env.clock);
      return agent;
    }

    before(async () => {
      env = await createTestEnv(kind);
      municipality = await createTenantFixture(env, { name: "Runde Stadt Probe", slug: `runde-stadt-${kind}` });
      const other = await createTenantFixture(env, { name: "Ferne Gemeinde Probe" });
      admin = await createUserFixture(env, [{ tenantId: municipality.id, role: "municipal_admin" }], { totp: true });
      staff = await createUserFixture(env, [{ tenantId: municipality.id, role: "staff" }]);
      otherAdmin = await createUserFixture(env, [{ tenantId: other.id, role: "municipal_admin" }], { totp: true });
    });
    after(() => env.close());

    test("opened for invited groups with a link each; a group comments; comments are sealed and wait for moderation", async () => {
      const a = await signedIn(admin);
      assert.match((await a.get("/wissen/strategie/runden")).body, /Schreiben Sie zuerst eine Version des Strategiekonzepts/);
      await a.get("/wissen/strategie/bearbeiten");
      await a.post("/wissen/strategie/bearbeiten", { base: "0", title: "Unser Konzept", goals: "Jede Anfeindung wird gemeldet.", note: "" });

      const form = await a.get("/wissen/strategie/runden");
      assert.match(form.body, /Kommentierung des Entwurfs \(Version 1\)/);
      const bad = await a.post("/wissen/strategie/runden", { title: "Entwurf kommentieren", groups: "  ", closesOn: "2026-01-01" });
      assert.equal(bad.statusCode, 400);
      assert.match(bad.body, /Bitte nennen Sie 1 bis 8 verschiedene Gruppen/);
      assert.match(bad.body, /value="Entwurf kommentieren"/);
      const opened = await a.post("/wissen/strategie/runden", {
        title: "Entwurf kommentieren",
        groups: "Migrantenorganisationen\nAllianz",
        closesOn: "2026-12-15",
      });
      assert.equal(opened.statusCode, 303, "to the round's page, so that a reload does not open a second round");
      const shown = await a.get(String(opened.headers.location));
      links = Object.fromEntries([...shown.body.matchAll(/data-reveal="([^"]+)">http:\/\/localhost:3000(\/[^<]+)</g)].map((m) => [m[1], m[2]]));
      assert.deepEqual(Object.keys(links).sort(), ["Allianz", "Migrantenorganisationen"]);
      roundPath = (await a.get("/wissen/strategie/runden")).body.match(/href="(\/wissen\/strategie\/runden\/[0-9a-f-]{36})"/)?.[1] ?? "";
      assert.doesNotMatch((await a.get(roundPath)).body, /data-reveal=/, "the links are not shown again");

      const m = new Agent(env.app);
      const page = await m.get(links.Migrantenorganisationen);
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /lädt die Gruppe „Migrantenorganisationen“ ein/);
      assert.match(page.body, /Jede Anfeindung wird gemeldet\./);
      const missing = await m.post(links.Migrantenorganisationen, { section: "", body: "Bitte die Beratungsstellen nennen.", signature: "" });
      assert.equal(missing.statusCode, 400);
      assert.match(missing.body, /Bitte wählen Sie den Teil des Entwurfs/);
      assert.match(missing.body, /Bitte die Beratungsstellen nennen\./, "the words are kept");
      const sent = await m.post(links.Migrantenorganisationen, {
        section: "goals",
        body: "Bitte die Beratungsstellen nennen.",
        signature: "Verein Brückenschlag",
      });
      assert.equal(sent.statusCode, 303);
      assert.match((await m.get(links.Migrantenorganisationen)).body, /Ihr Kommentar ist eingegangen/);
      assert.doesNotMatch((await m.get(links.Migrantenorganisationen)).body, /Bitte die Beratungsstellen nennen/, "not shown before it is approved");
      env.clock.advance(60_000);
      await m.post(links.Migrantenorganisationen, { section: "situation", body: "Unpassender Beitrag mit Namen.", signature: "" });

      const stored = await env.platform.database.rawQuery("select body, signature from knowledge_round_comments");
      assert.equal(stored.rows.length, 2);
      assert.ok(
        stored.rows.every((r) => !String(r.body).includes("Beratungsstellen") && !String(r.signature ?? "").includes("Brückenschlag")),
        "sealed at rest",
      );
      const notices = await env.platform.database.rawQuery(
        "select count(*)::int as n from notifications where kind = 'knowledge.notify.comment' and user_id = $1",
        [admin.id],
      );
      assert.equal(notices.rows[0].n, 1, "the admins hear of the comments once, while the notice is unread");
    });

    test("approved comments show to every group, rejected ones to nobody; the round ends with what changed", async () => {
      const a = await signedIn(admin);
      const list = await a.get("/wissen/strategie/runden");
      assert.match(
        list.body,
        /Entwurf kommentieren<\/a><\/th><td class="kern-table__cell">Version 1<\/td><td[^>]*>[\s\S]*?<\/td><td class="kern-table__cell">2<\/td>/,
        "the list counts what waits",
      );
      const round = await a.get(roundPath);
      assert.match(round.body, /Warten auf Freigabe \(2\)/);
      const ids = [...round.body.matchAll(/action="\/wissen\/strategie\/runden\/[0-9a-f-]{36}\/kommentare\/([0-9a-f-]{36})"/g)].map((x) => x[1]);
      assert.equal(ids.length, 2);
      assert.equal((await a.post(`${roundPath}/kommentare/${ids[0]}`, { decision: "approve" })).statusCode, 303);
      await a.get(roundPath);
      assert.equal((await a.post(`${roundPath}/kommentare/${ids[1]}`, { decision: "reject" })).statusCode, 303);
      await a.get(roundPath);
      assert.equal((await a.post(`${roundPath}/kommentare/${ids[1]}`, { decision: "maybe" })).statusCode, 400);

      const alliance = await new Agent(env.app).get(links.Allianz);
      assert.match(alliance.body, /Bitte die Beratungsstellen nennen\./, "approved: every group reads it");
      assert.match(alliance.body, /Verein Brückenschlag · Migrantenorganisationen/);
      assert.doesNotMatch(alliance.body, /Unpassender Beitrag/, "rejected: nobody does");

      await a.get(roundPath);
      const empty = await a.post(`${roundPath}/beenden`, { summary: " " });
      assert.equal(empty.statusCode, 400);
      assert.match(empty.body, /Bitte schreiben Sie, was sich geändert hat/);
      await a.get("/wissen/strategie/bearbeiten");
      await a.post("/wissen/strategie/bearbeiten", {
        base: "1",
        title: "Unser Konzept",
        goals: "Jede Anfeindung wird gemeldet. Die Beratungsstellen sind genannt.",
        note: "Nach der Runde",
      });
      const lateComer = new Agent(env.app);
      await lateComer.get(links.Migrantenorganisationen);
      const lateToken = lateComer.csrfToken();
      await a.get(roundPath);
      assert.equal((await a.post(`${roundPath}/beenden`, { summary: "Die Beratungsstellen sind jetzt bei den Zielen genannt." })).statusCode, 303);

      const late = new Agent(env.app);
      const ended = await late.get(links.Allianz);
      assert.match(ended.body, /Die Kommentierung ist beendet/);
      assert.match(ended.body, /Was sich geändert hat \(Version 2\)/);
      assert.match(ended.body, /Die Beratungsstellen sind jetzt bei den Zielen genannt\./);
      assert.doesNotMatch(ended.body, /name="body"/, "no form once it has ended");
      const count = async () => (await env.platform.database.rawQuery("select count(*)::int as n from knowledge_round_comments")).rows[0].n;
      const before = await count();
      const tooLate = await lateComer.post(links.Migrantenorganisationen, { section: "goals", body: "Zu spät.", signature: "" }, { csrf: lateToken });
      assert.equal(tooLate.statusCode, 200);
      assert.match(tooLate.body, /Die Kommentierung ist beendet/);
      assert.equal(await count(), before, "an ended round takes no comments");
    });

    test("a renewed link replaces the old one; only the municipality's admins run its rounds", async () => {
      const a = await signedIn(admin);
      await a.get("/wissen/strategie/runden");
      const opened = await a.post("/wissen/strategie/runden", { title: "Zweite Runde", groups: "Beirat", closesOn: "2026-12-20" });
      const old = (await a.get(String(opened.headers.location))).body.match(/data-reveal="Beirat">http:\/\/localhost:3000(\/[^<]+)</)?.[1] ?? "";
      const path = (await a.get("/wissen/strategie/runden")).body.match(/href="(\/wissen\/strategie\/runden\/[0-9a-f-]{36})">Zweite Runde</)?.[1] ?? "";
      const groupAction = (await a.get(path)).body.match(/action="(\/wissen\/strategie\/runden\/[0-9a-f-]{36}\/gruppen\/[0-9a-f-]{36}\/link)"/)?.[1] ?? "";
      const renewed = await a.post(groupAction, {});
      const fresh = (await a.get(String(renewed.headers.location))).body.match(/data-reveal="Beirat">http:\/\/localhost:3000(\/[^<]+)</)?.[1] ?? "";
      assert.ok(fresh && fresh !== old);
      assert.equal((await new Agent(env.app).get(old)).statusCode, 404);
      assert.equal((await new Agent(env.app).get(fresh)).statusCode, 200);

      const s = await signedIn(staff);
      assert.equal((await s.get("/wissen/strategie/runden")).statusCode, 404);
      assert.equal((await s.get(path)).statusCode, 404);
      const o = await signedIn(otherAdmin);
      assert.equal((await o.get(path)).statusCode, 404);
      assert.equal((await new Agent(env.app).get(fresh.replace(/^\/[^/]+\//, "/ferne-gemeinde-probe/"))).statusCode, 404);
      assert.equal((await new Agent(env.app).get(`/${municipality.slug}/runde/kurz`)).statusCode, 404);
    });
  });
}
