import assert from "node:assert/strict";
import { PassThrough } from "node:stream";
import { after, before, describe, test } from "node:test";
import { sql } from "drizzle-orm";
import { caseOpened } from "../../src/modules/cases/index.ts";
import { releaseFigures } from "../../src/modules/monitoring/rebuild.ts";
import { rows, withTenant } from "../../src/platform/db/client.ts";
import { Agent, createTenantFixture, createTestEnv, createUserFixture, type TestEnv, type UserFixture } from "../helpers/app.ts";
import { DB_KINDS } from "../helpers/db.ts";

/*
 * The advisory board's workspace: the national team adds meeting papers (bad input kept, the
 * wrong kind of file refused); board members read them and the yearly reports but change
 * nothing; nobody of a municipality gets in; every download is in the national audit log.
 */

const PDF = Buffer.from("%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n");

for (const kind of DB_KINDS) {
  describe(`advisory board workspace (${kind})`, () => {
    let env: TestEnv;
    let team: UserFixture;
    let member: UserFixture;
    let mayor: UserFixture;
    let townId: string;

    async function signedIn(user: UserFixture) {
      const agent = new Agent(env.app);
      env.clock.advance(30_000);
      await agent.signIn(user, env.clock);
      return agent;
    }

    before(async () => {
      env = await createTestEnv(kind);
      const national = env.platform.nationalTenant.id;
      team = await createUserFixture(env, [{ tenantId: national, role: "national_admin" }], { totp: true });
      member = await createUserFixture(env, [{ tenantId: national, role: "advisory_board" }]);
      const town = await createTenantFixture(env);
      townId = town.id;
      mayor = await createUserFixture(env, [{ tenantId: town.id, role: "municipal_admin" }], { totp: true });
    });
    after(() => env.close());

    test("who may not add papers is refused before the body is read: an upload that never ends gets its answer", async () => {
      // A body that announces 20 MB and sends only its first part: were it read first, no answer would come.
      const upload = (cookie: string) => {
        const body = new PassThrough();
        body.write('--x\r\ncontent-disposition: form-data; name="datei"; filename="a.pdf"\r\ncontent-type: application/pdf\r\n\r\n%PDF-1.4 ');
        const answer = env.app.inject({
          method: "POST",
          url: "/beirat/dokumente",
          headers: { cookie, "content-type": "multipart/form-data; boundary=x", "content-length": String(20 * 1024 * 1024) },
          payload: body,
        });
        return Promise.race([answer, new Promise<null>((resolve) => setTimeout(() => resolve(null), 5_000))]).finally(() => body.destroy());
      };
      const signedOut = await upload("");
      assert.ok(signedOut, "signed out: answered at once");
      assert.equal(signedOut.statusCode, 303);
      assert.match(String(signedOut.headers.location), /^\/anmelden/);
      const b = await signedIn(member);
      const board = await upload([...b.cookies].map(([k, v]) => `${k}=${v}`).join("; "));
      assert.ok(board, "a board member, who reads only: answered at once");
      assert.equal(board.statusCode, 404);
    });

    test("the team adds a paper; the board reads it and the reports; nobody else gets in", async () => {
      const a = await signedIn(team);
      const empty = await a.get("/beirat");
      assert.equal(empty.statusCode, 200);
      assert.match(empty.body, /Noch keine Unterlagen eingestellt/);
      const bad = await a.postMultipart("/beirat/dokumente", { title: "Tagesordnung Frühjahr", meetingOn: "2026-02-30" }, [
        { field: "datei", name: "agenda.txt", data: Buffer.from("nur Text") },
      ]);
      assert.equal(bad.statusCode, 400);
      assert.match(bad.body, /Bitte geben Sie den Tag der Sitzung an/);
      assert.match(bad.body, /Bitte laden Sie ein PDF-/);
      assert.match(bad.body, /value="Tagesordnung Frühjahr"/, "the title is kept");
      await a.get("/beirat");
      const ancient = await a.postMultipart("/beirat/dokumente", { title: "Tagesordnung Frühjahr", meetingOn: "0001-01-01" }, [
        { field: "datei", name: "tagesordnung.pdf", data: PDF },
      ]);
      assert.equal(ancient.statusCode, 400, "a date far off is a slip");
      await a.get("/beirat");
      // A right-to-left override would show the title in the list reordered, disguised.
      const disguised = await a.postMultipart("/beirat/dokumente", { title: "Protokoll \u202efdp.exe", meetingOn: "2026-03-12" }, [
        { field: "datei", name: "protokoll.pdf", data: PDF },
      ]);
      assert.equal(disguised.statusCode, 400);
      assert.match(disguised.body, /unsichtbare Steuerzeichen/);
      await a.get("/beirat");
      const added = await a.postMultipart("/beirat/dokumente", { title: "Tagesordnung Frühjahr", meetingOn: "2026-03-12" }, [
        { field: "datei", name: "tagesordnung.pdf", data: PDF },
      ]);
      assert.equal(added.statusCode, 303);

      const b = await signedIn(member);
      const page = await b.get("/beirat");
      assert.match(page.body, /Sitzung am 12\. März 2026/);
      assert.match(page.body, /Noch keine Zahlen für einen Jahresbericht/, "no report for years without figures");
      assert.doesNotMatch(page.body, /Unterlage einstellen/, "the board reads only");
      const path = /href="(\/beirat\/dokument\/[^"]+)"/.exec(page.body)?.[1] ?? "";
      const download = await b.get(path);
      assert.ok(download.rawPayload.equals(PDF));
      assert.match(String(download.headers["content-disposition"]), /^attachment/);
      assert.equal(download.headers["content-security-policy"], "sandbox; default-src 'none'", "never rendered on our origin");
      assert.equal((await b.post(`${path}/entfernen`, {})).statusCode, 404, "the board cannot remove");
      assert.equal((await b.get(`${path}/entfernen`)).statusCode, 404, "nor ask to");
      const audit = await withTenant(env.platform.db, env.platform.nationalTenant.id, (tx) =>
        rows<{ action: string; details: { meetingOn?: string } }>(tx, sql`select action, details from audit_log where action like 'board.%' order by seq`),
      );
      // Each entry names the paper (by its id and its meeting), not its title, which is the national team's free text.
      assert.deepEqual(
        audit.map((x) => [x.action, x.details.meetingOn]),
        [
          ["board.document_added", "2026-03-12"],
          ["board.document_read", "2026-03-12"],
        ],
      );
      // The log's page says which meeting's paper each entry is about.
      assert.match((await a.get("/verwaltung/protokoll")).body, /Unterlage des Beirats zur Sitzung am 12\.03\.2026/);

      const m = await signedIn(mayor);
      assert.equal((await m.get("/beirat")).statusCode, 404);
      assert.equal((await m.get(path)).statusCode, 404);

      // Once there are figures, the year's report is offered (still preliminary while the year runs).
      await withTenant(env.platform.db, townId, (tx) =>
        env.platform.domainEvents.emit(tx, caseOpened, townId, {
          caseId: crypto.randomUUID(),
          number: "B-1",
          reportId: crypto.randomUUID(),
          channel: "web",
          mode: "named",
          immediateDanger: false,
          forms: ["insult"],
          motives: [],
          place: null,
          affectedFunction: null,
        }),
      );
      await env.platform.domainEvents.drain();
      await releaseFigures(env.platform.db, new Date(env.clock.now().getTime() + 32 * 86_400_000));
      assert.match(
        (await b.get("/beirat")).body,
        /href="\/lagebild\/jahresbericht\.pdf\?jahr=2026&amp;gebiet=DE" download>Jahresbericht 2026 \(PDF, vorläufig/,
      );

      // Removing asks first, naming the paper; keeping it leads back to the list.
      assert.match((await a.get("/beirat")).body, new RegExp(`<a class="kern-link" href="${path}/entfernen">„Tagesordnung Frühjahr“ entfernen</a>`));
      const ask = await a.get(`${path}/entfernen`);
      assert.equal(ask.statusCode, 200);
      assert.match(ask.body, /Unterlage entfernen\?/);
      assert.match(ask.body, /„Tagesordnung Frühjahr“ \(Sitzung am 12. März 2026\) wird entfernt/);
      assert.match(ask.body, new RegExp(`<form method="post" action="${path}/entfernen"`));
      assert.match(ask.body, /href="\/beirat#board-documents">Nein, Unterlage behalten/);
      assert.match((await a.get("/beirat")).body, /Tagesordnung Frühjahr/, "asking removes nothing");
      assert.equal((await a.post(`${path}/entfernen`, {})).statusCode, 303);
      assert.equal((await a.get(`${path}/entfernen`)).statusCode, 404, "a removed paper is not asked about");
      assert.match((await a.get("/beirat")).body, /Noch keine Unterlagen eingestellt/);
      assert.equal((await a.get("/beirat/dokument/kein-uuid")).statusCode, 404);
    });
  });
}
