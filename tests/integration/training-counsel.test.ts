import assert from "node:assert/strict";
import type { AddressInfo } from "node:net";
import { after, before, describe, test } from "node:test";
import { Agent, createTenantFixture, createTestEnv, createUserFixture, type TenantFixture, type TestEnv, type UserFixture } from "../helpers/app.ts";
import { DB_KINDS } from "../helpers/db.ts";

/*
 * Collegial case counselling across municipalities: a room is opened (its link shown once), people
 * of two municipalities join through the link (nine at most; partners cannot), roles are cast
 * (incomplete roles hold the room in casting), and the moderator leads through the phases while an
 * open stream (SSE) tells each change. The case enters only after the de-identification step and
 * the presenter's confirmation of that very text; the key question may not name anyone. Only
 * members see the room; its case is sealed.
 */

const CASE =
  "Am 12.03.2026 wurde Frau Ayşe Demir am Schalter von einem Mann beschimpft, der später an kb@beispiel.example schrieb und unter 0561 987654 anrief. Er wohnt in der Birkenallee 14.";
const CLEAN = "Eine Kollegin im Bürgerbüro wurde im Frühjahr am Schalter mehrfach rassistisch beschimpft; der Mann schrieb ihr danach Mails und rief an.";

for (const kind of DB_KINDS) {
  describe(`collegial case counselling (${kind})`, () => {
    let env: TestEnv;
    let a: TenantFixture;
    let b: TenantFixture;
    const people: UserFixture[] = [];
    let partner: UserFixture;
    let outsider: UserFixture;
    let base: string;

    async function signedIn(user: UserFixture) {
      const agent = new Agent(env.app);
      env.clock.advance(30_000);
      await agent.signIn(user, env.clock);
      return agent;
    }
    const cookieOf = (agent: Agent) => [...agent.cookies].map(([k, v]) => `${k}=${v}`).join("; ");

    before(async () => {
      env = await createTestEnv(kind);
      a = await createTenantFixture(env, { name: "Beratungsstadt Probe" });
      b = await createTenantFixture(env, { name: "Beratungsdorf Probe" });
      for (let i = 0; i < 10; i++)
        people.push(
          await createUserFixture(env, [{ tenantId: i % 2 === 0 ? a.id : b.id, role: i === 0 ? "leader" : "staff" }], { displayName: `Beraterin ${i + 1}` }),
        );
      partner = await createUserFixture(env, [{ tenantId: a.id, role: "alliance_partner" }], { totp: true });
      outsider = await createUserFixture(env, [{ tenantId: a.id, role: "municipal_admin" }], { totp: true });
      await env.app.listen({ port: 0, host: "127.0.0.1" });
      base = `http://127.0.0.1:${(env.app.server.address() as AddressInfo).port}`;
    });
    after(() => env.close());

    test("joined by link, cast, led through the phases with the case de-identified", async () => {
      const host = await signedIn(people[0]);
      await host.get("/trainings/fallberatung");
      let res = await host.post("/trainings/fallberatung", { title: "x", date: "1999-01-01", time: "25:00" });
      assert.equal(res.statusCode, 400);
      assert.match(res.body, /Titel mit 3 bis 200 Zeichen/);
      assert.match(res.body, /value="1999-01-01"/);
      res = await host.post("/trainings/fallberatung", { title: "Fall Frau Yilmaz", date: "2026-13-45", time: "14:00" });
      assert.equal(res.statusCode, 400, "an impossible day is an error, not a failure");
      assert.match(res.body, /Titel ohne Namen/);
      res = await host.post("/trainings/fallberatung", { title: "Fallberatung Probe", date: "2026-12-01", time: "14:00" });
      assert.equal(res.statusCode, 303);
      const roomPath = String(res.headers.location);
      const shown = await host.get(roomPath);
      const link = shown.body.match(/data-reveal="Link zur Fallberatung">http:\/\/localhost:3000(\/[^<]+)</)?.[1];
      assert.ok(link, "the link is shown once");
      assert.doesNotMatch((await host.get(roomPath)).body, /data-reveal=/, "and not again");

      // Eight more join from both municipalities; the tenth finds it full; a partner cannot join; outsiders see nothing.
      const agents = [host];
      for (const person of people.slice(1, 9)) {
        const p = await signedIn(person);
        assert.match((await p.get(link)).body, /Beitreten/);
        res = await p.post(link, {});
        assert.equal(res.headers.location, roomPath);
        agents.push(p);
      }
      const tenth = await signedIn(people[9]);
      await tenth.get(link);
      await tenth.post(link, {});
      assert.equal((await tenth.get(roomPath)).statusCode, 404, "nine at most");
      const p = await signedIn(partner);
      assert.doesNotMatch((await p.get(link)).body, /action="\/trainings\/fallberatung\/beitreten\//, "a partner is not offered to join");
      assert.equal((await p.post(link, {}, { csrf: p.csrfToken() })).statusCode, 404);
      assert.equal((await (await signedIn(outsider)).get(roomPath)).statusCode, 404, "not a member: the room does not exist");

      // The live stream of the room's phase.
      const stream = await fetch(`${base}${roomPath}/live`, { headers: { cookie: cookieOf(agents[1]) } });
      assert.equal(stream.status, 200);
      assert.match(String(stream.headers.get("content-type")), /text\/event-stream/);
      const reader = (stream.body as ReadableStream<Uint8Array>).getReader();
      let received = "";
      const nextPhase = async () => {
        const until = Date.now() + 10_000;
        while (!/event: phase\ndata: [^\n]+\n\n/.test(received)) {
          const chunk = await Promise.race([
            reader.read(),
            new Promise<never>((_, no) => setTimeout(() => no(new Error(`no phase event; so far: ${received}`)), until - Date.now())),
          ]);
          if (chunk.done) throw new Error(`the stream ended; so far: ${received}`);
          received += new TextDecoder().decode(chunk.value);
        }
        const m = /event: phase\ndata: ([^\n]+)\n\n/.exec(received) as RegExpExecArray;
        received = received.slice((m.index ?? 0) + m[0].length);
        return JSON.parse(m[1]).phase as string;
      };
      assert.equal(await nextPhase(), "casting");

      // Casting: incomplete roles hold the room; then presenter, moderator, six consultants... five, and a note-taker.
      await host.get(roomPath);
      const ids = [...host.lastHtml.matchAll(/name="role_([0-9a-f-]{36})"/g)].map((m) => m[1]);
      assert.equal(ids.length, 9);
      res = await host.post(`${roomPath}/rollen`, { [`role_${ids[0]}`]: "moderator" });
      assert.match((await host.get(roomPath)).body, /Noch nicht vollständig: genau eine fallgebende Person/);
      assert.doesNotMatch(host.lastHtml, /Weiter zu:/);
      await host.post(`${roomPath}/rollen`, { [`role_${ids[1]}`]: "presenter", ...Object.fromEntries(ids.slice(2).map((id) => [`role_${id}`, "consultant"])) });
      const gapsText = (await host.get(roomPath)).body.match(/Noch nicht vollständig: [^<]*/)?.[0];
      assert.equal(gapsText, "Noch nicht vollständig: vier bis sechs Beratende, genau eine Person, die mitschreibt.", "seven consultants are too many");
      await host.post(`${roomPath}/rollen`, { [`role_${ids[8]}`]: "" });
      assert.match((await host.get(roomPath)).body, /eine Rolle für alle/);
      await host.post(`${roomPath}/rollen`, { [`role_${ids[7]}`]: "notetaker", [`role_${ids[8]}`]: "consultant" });
      // Now one moderator, one presenter, six consultants and a note-taker.
      await host.get(roomPath);
      res = await host.post(`${roomPath}/weiter`, { from: "casting" });
      assert.equal(res.statusCode, 303);
      assert.equal(await nextPhase(), "account", "the open stream hears of the change");
      assert.match((await agents[3].get(roomPath)).body, /aria-current="step">2\. |komma-steps__current" aria-current="step">Fall erzählen/);

      // The presenter's case: first checked and marked, kept only when that text is confirmed.
      const presenter = agents[1];
      await presenter.get(roomPath);
      res = await presenter.post(`${roomPath}/fall`, { text: CASE });
      assert.equal(res.statusCode, 200);
      for (const kindName of ["Name", "E-Mail-Adresse", "Telefonnummer", "Adresse", "Datum"])
        assert.match(res.body, new RegExp(`<strong>${kindName}:</strong>`));
      assert.match(res.body, /<mark title="Name">Ayşe Demir/);
      const mark = res.body.match(/name="mark" value="([^"]+)"/)?.[1] as string;
      // A fingerprint made without the key does not pass for the check.
      const { createHash } = await import("node:crypto");
      const forged = createHash("sha256").update(CASE).digest("base64url").slice(0, 22);
      assert.equal((await presenter.post(`${roomPath}/fall`, { text: CASE, confirm: "yes", mark: forged })).statusCode, 400);
      // The checked text sent again without the confirmation says what is missing.
      res = await presenter.post(`${roomPath}/fall`, { text: CASE, mark });
      assert.equal(res.statusCode, 400);
      assert.match(res.body, /Bitte bestätigen Sie, dass Sie den Text geprüft haben/);
      res = await presenter.post(`${roomPath}/fall`, { text: CLEAN, confirm: "yes", mark });
      assert.equal(res.statusCode, 400, "a text changed after the check is checked again");
      assert.match(res.body, /nach der Prüfung geändert/);
      const cleanMark = res.body.match(/name="mark" value="([^"]+)"/)?.[1] as string;
      assert.match(res.body, /hat nichts gefunden/);
      res = await presenter.post(`${roomPath}/fall`, { text: CLEAN, confirm: "yes", mark: cleanMark });
      assert.equal(res.statusCode, 303);
      assert.match((await agents[5].get(roomPath)).body, /Eine Kollegin im Bürgerbüro/, "every member reads the case");
      const { rows } = await env.platform.database.rawQuery("select case_text from training_counsel_rooms");
      assert.ok(!JSON.stringify(rows).includes("Bürgerbüro"), "sealed at rest");
      assert.equal((await agents[2].post(`${roomPath}/fall`, { text: CLEAN })).statusCode, 404, "only the presenter tells the case");

      // The moderator leads on; the key question may not name anyone.
      await host.get(roomPath);
      await host.post(`${roomPath}/weiter`, { from: "account" });
      assert.equal(await nextPhase(), "key_question");
      await presenter.get(roomPath);
      res = await presenter.post(`${roomPath}/frage`, { question: "Wie stärke ich Frau Demir?" });
      assert.equal(res.statusCode, 400);
      assert.match(res.body, /Demir/);
      assert.match(res.body, /value="Wie stärke ich Frau Demir\?"/, "the question typed is kept");
      res = await presenter.post(`${roomPath}/frage`, { question: "Wie stärke ich meine Kollegin, ohne sie bloßzustellen?" });
      assert.equal(res.statusCode, 303);
      // Two clicks on "on" from the same phase move one phase only.
      await host.get(roomPath);
      await host.post(`${roomPath}/weiter`, { from: "key_question" });
      await host.post(`${roomPath}/weiter`, { from: "key_question" });
      assert.equal(await nextPhase(), "method");
      assert.match((await host.get(roomPath)).body, /komma-steps__current" aria-current="step">Methode wählen/);
      await host.post(`${roomPath}/methode`, { method: "headstand" });
      await host.post(`${roomPath}/weiter`, { from: "method" });
      assert.equal(await nextPhase(), "consultation");

      // Notes: the note-taker writes, everyone reads; a consultant does not write.
      const notetaker = agents[7];
      await notetaker.get(roomPath);
      assert.equal((await notetaker.post(`${roomPath}/notiz`, { note: "Idee: Team-Gespräch mit klaren Regeln." })).statusCode, 303);
      assert.match((await agents[4].get(roomPath)).body, /Team-Gespräch mit klaren Regeln/);
      assert.equal((await agents[4].post(`${roomPath}/notiz`, { note: "Auch etwas" })).statusCode, 404);
      await host.get(roomPath);
      await host.post(`${roomPath}/weiter`, { from: "consultation" });
      assert.equal(await nextPhase(), "closing");
      await host.get(roomPath);
      await host.post(`${roomPath}/weiter`, { from: "closing" });
      assert.equal(await nextPhase(), "ended");
      assert.match((await agents[6].get(roomPath)).body, /Die Fallberatung ist beendet/);
      await reader.cancel();
    });
  });
}
