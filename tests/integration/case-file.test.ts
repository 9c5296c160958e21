import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { sql } from "drizzle-orm";
import { retentionJob } from "../../src/modules/cases/retention.ts";
import { createReport } from "../../src/modules/reports/commands.ts";
import { rows, withTenant } from "../../src/platform/db/client.ts";
import { Agent, createTenantFixture, createTestEnv, createUserFixture, type TenantFixture, type TestEnv, type UserFixture } from "../helpers/app.ts";
import { DB_KINDS } from "../helpers/db.ts";

/*
 * The case file: the office's notes (sealed, kept as written) and the timeline of every event on
 * the case from the audit log — who read, assessed, noted, when.
 */

for (const kind of DB_KINDS) {
  describe(`the case file (${kind})`, () => {
    let env: TestEnv;
    let tenant: TenantFixture;
    let anna: UserFixture;
    let ben: UserFixture;
    let admin: UserFixture;
    let number = "";

    async function signedIn(user: UserFixture) {
      const agent = new Agent(env.app);
      env.clock.advance(30_000);
      await agent.signIn(user, env.clock);
      return agent;
    }

    before(async () => {
      env = await createTestEnv(kind);
      tenant = await createTenantFixture(env);
      anna = await createUserFixture(env, [{ tenantId: tenant.id, role: "clearing_officer" }], { totp: true, displayName: "Anna Amsel" });
      ben = await createUserFixture(env, [{ tenantId: tenant.id, role: "clearing_officer" }], { totp: true, displayName: "Ben Buchfink" });
      admin = await createUserFixture(env, [{ tenantId: tenant.id, role: "municipal_admin" }], { totp: true });
      number = (
        await createReport(env.platform, tenant, {
          answers: { mode: "anonymous", description: "Schmierereien am Wahlkreisbüro.", forms: ["property_damage"] } as never,
          lang: "de",
          channel: "web",
        })
      ).caseNumber;
    });
    after(() => env.close());

    test("the office keeps sealed notes on a case, colleagues too; the timeline shows who did what", async () => {
      const a = await signedIn(anna);
      await a.get(`/faelle/${number}`);
      await a.post(`/faelle/${number}/zuweisung`, { assignee: anna.id });
      await a.post(`/faelle/${number}/einschaetzung`, { form: "property_damage", criteria: [], level: "1" });
      const empty = await a.post(`/faelle/${number}/notizen`, { noteBody: "   " });
      assert.equal(empty.statusCode, 400);
      assert.match(empty.body, /Bitte schreiben Sie die Notiz/);
      await a.get(`/faelle/${number}`);
      assert.equal((await a.post(`/faelle/${number}/notizen`, { noteBody: "Bauhof informiert, Fotos vor der Reinigung gemacht." })).statusCode, 303);

      const b = await signedIn(ben);
      await b.get(`/faelle/${number}`);
      assert.equal((await b.post(`/faelle/${number}/notizen`, { noteBody: "Die Polizei hat angerufen: zweiter Fall in der Straße." })).statusCode, 303);
      const page = await b.get(`/faelle/${number}`);
      const notes = page.body.slice(page.body.indexOf('id="notizen"'), page.body.indexOf('id="verlauf"'));
      assert.ok(notes.indexOf("Polizei hat angerufen") < notes.indexOf("Bauhof informiert"), "newest first");
      assert.match(notes, /Ben Buchfink/);
      assert.match(notes, /Anna Amsel/);
      const stored = await withTenant(env.platform.db, tenant.id, (tx) => rows<{ body: string }>(tx, sql`select body from case_notes`));
      assert.ok(
        stored.every((n) => !n.body.includes("Bauhof") && !n.body.includes("Polizei")),
        "sealed",
      );

      const timeline = page.body.slice(page.body.indexOf('id="verlauf"'), page.body.indexOf('id="abschluss"'));
      for (const line of [
        /Meldung eingegangen/,
        /Meldung geöffnet · Anna Amsel/,
        /Gefährdung eingeschätzt · Anna Amsel/,
        /Notiz zum Fall hinzugefügt · Ben Buchfink/,
      ]) {
        assert.match(timeline, line);
      }
      assert.doesNotMatch(timeline, /Bauhof/, "the timeline names events, not the notes' words");

      const x = await signedIn(admin);
      await x.get("/start");
      assert.equal((await x.post(`/faelle/${number}/notizen`, { noteBody: "Von außen" })).statusCode, 404);
    });

    test("a hand-over carries a note for the colleague, who hears of it; handing on is not the office's first response", async () => {
      const fresh = (
        await createReport(env.platform, tenant, {
          answers: { mode: "anonymous", description: "Beleidigung am Telefon.", forms: ["insult"] } as never,
          lang: "de",
          channel: "web",
        })
      ).caseNumber;
      const a = await signedIn(anna);
      await a.get(`/faelle/${fresh}`);
      const long = await a.post(`/faelle/${fresh}/zuweisung`, { assignee: ben.id, handoverNote: "x".repeat(10_001) });
      assert.equal(long.statusCode, 400);
      assert.match(long.body, /höchstens 10\.000 Zeichen/);
      await a.get(`/faelle/${fresh}`);
      const handed = await a.post(`/faelle/${fresh}/zuweisung`, { assignee: ben.id, handoverNote: "Rückruf erbeten, am besten vormittags." });
      assert.equal(handed.statusCode, 303);
      const q = <T>(query: ReturnType<typeof sql>) => withTenant(env.platform.db, tenant.id, (tx) => rows<T>(tx, query));
      const [kase] = await q<{ first_response_at: Date | null }>(sql`select first_response_at from cases where number = ${fresh}`);
      assert.equal(kase.first_response_at, null, "the person still waits for a response");
      const notices = await q<{ user_id: string }>(sql`select user_id from notifications where kind = 'cases.notify.assigned'`);
      assert.deepEqual(
        notices.map((n) => n.user_id),
        [ben.id],
      );
      const b = await signedIn(ben);
      assert.match((await b.get(`/faelle/${fresh}`)).body, /Rückruf erbeten, am besten vormittags\./);
      // The one who handed it on reads along and is told why the forms are gone.
      assert.match((await a.get(`/faelle/${fresh}`)).body, /Diesen Fall führt Ben Buchfink/);
      // Not assessed yet, it is not closed; an address that only takes forms leads back to the case.
      const early = await b.post(`/faelle/${fresh}/abschluss`, {
        closeOutcome: "supported",
        closeConversation: "declined",
        closeConversationOn: "",
        closeNote: "",
      });
      assert.equal(early.statusCode, 400);
      assert.match(early.body, /Schätzen Sie zuerst die Gefährdung ein \(oben\)/);
      const back = await b.get(`/faelle/${fresh}/abschluss`);
      assert.equal(back.statusCode, 303);
      assert.equal(back.headers.location, `/faelle/${fresh}`);
    });

    test("a perpetrator named in two cases is found by its keyed hash, the cases are linked; the record expires on its last day", async () => {
      const make = async (description: string) =>
        (
          await createReport(env.platform, tenant, {
            answers: { mode: "anonymous", description, forms: ["insult"] } as never,
            lang: "de",
            channel: "web",
          })
        ).caseNumber;
      const first = await make("Hasskommentare von einem Konto unter dem Video.");
      const second = await make("Dasselbe Konto schreibt mir jetzt private Nachrichten.");
      const a = await signedIn(anna);
      for (const n of [first, second]) {
        await a.get(`/faelle/${n}`);
        await a.post(`/faelle/${n}/zuweisung`, { assignee: anna.id });
      }
      await a.get(`/faelle/${first}`);
      const far = await a.post(`/faelle/${first}/taeter`, { perpDescription: "@HassKonto_42", perpUntil: "2031-01-01" });
      assert.equal(far.statusCode, 400);
      assert.match(far.body, /zwischen heute und in zwei Jahren/);
      await a.get(`/faelle/${first}`);
      assert.equal((await a.post(`/faelle/${first}/taeter`, { perpDescription: "@HassKonto_42", perpUntil: "2027-06-01" })).statusCode, 303);
      await a.get(`/faelle/${second}`);
      assert.equal((await a.post(`/faelle/${second}/taeter`, { perpDescription: "hasskonto_42 ", perpUntil: "2027-06-01" })).statusCode, 303);
      const page = await a.get(`/faelle/${second}`);
      assert.match(page.body, new RegExp(`Auch erfasst in:</strong> <a class="kern-link" href="/faelle/${first}">`));
      assert.match(page.body, new RegExp(`Dieselbe Person ist auch in ${first} erfasst`));
      const stored = await withTenant(env.platform.db, tenant.id, (tx) => rows<{ description: string }>(tx, sql`select description from case_perpetrators`));
      assert.ok(
        stored.every((p) => !p.description.toLowerCase().includes("hasskonto")),
        "sealed",
      );

      const bad = await a.post(`/faelle/${second}/verbunden`, { linkOther: "XYZ-2026-9999", linkKind: "same_perpetrator" });
      assert.equal(bad.statusCode, 400);
      assert.match(bad.body, /Diesen Fall gibt es in Ihrer Kommune nicht/);
      await a.get(`/faelle/${second}`);
      assert.equal((await a.post(`/faelle/${second}/verbunden`, { linkOther: first.toLowerCase(), linkKind: "same_perpetrator" })).statusCode, 303);
      assert.match(
        (await a.get(`/faelle/${first}`)).body,
        new RegExp(`href="/faelle/${second}">${second}</a> · dieselbe Person als Täter:in`),
        "shown on both",
      );

      env.clock.advance(200 * 86_400_000);
      await retentionJob(env.platform).run(env.clock.now());
      const expired = await withTenant(env.platform.db, tenant.id, (tx) =>
        rows<{ description: string | null; lookup: string | null }>(tx, sql`select description, lookup from case_perpetrators`),
      );
      assert.ok(
        expired.every((p) => p.description === null && p.lookup === null),
        "nothing kept past the last day",
      );
      const b = await signedIn(anna);
      assert.match((await b.get(`/faelle/${first}`)).body, /Abgelaufen am 1\. Juni 2027 – gelöscht/);
    });

    test("a witness's report joins the affected person's case: one case, each report with its number; the other case points here", async () => {
      const report = async (description: string, extra: Record<string, unknown> = {}) =>
        (
          await createReport(env.platform, tenant, {
            answers: { mode: "anonymous", description, forms: ["insult"], ...extra } as never,
            lang: "de",
            channel: "web",
          })
        ).caseNumber;
      const affected = await report("Ich wurde am Schalter beschimpft.");
      const witness = await report("Ich habe gesehen, wie eine Kollegin am Schalter bedroht wurde.", { forms: ["threat"], immediateDanger: "yes" });
      const a = await signedIn(anna);
      await a.get(`/faelle/${affected}`);
      await a.post(`/faelle/${affected}/zuweisung`, { assignee: anna.id });
      const unknown = await a.post(`/faelle/${affected}/zusammenfuehren`, { joinOther: affected });
      assert.equal(unknown.statusCode, 400);
      assert.match(unknown.body, /Einen offenen anderen Fall mit dieser Nummer gibt es/);
      await a.get(`/faelle/${affected}`);
      assert.equal((await a.post(`/faelle/${affected}/zusammenfuehren`, { joinOther: witness })).statusCode, 303);

      const page = await a.get(`/faelle/${affected}`);
      assert.match(page.body, new RegExp(`href="/faelle/${affected}/meldungen/${witness}"`));
      const q = <T>(query: ReturnType<typeof sql>) => withTenant(env.platform.db, tenant.id, (tx) => rows<T>(tx, query));
      const [joined] = await q<{ forms: string[]; immediate_danger: boolean }>(sql`select forms, immediate_danger from cases where number = ${affected}`);
      assert.deepEqual(joined.forms, ["insult", "threat"]);
      assert.equal(joined.immediate_danger, true, "the witness's acute danger counts for the case");
      const further = await a.get(`/faelle/${affected}/meldungen/${witness}`);
      assert.equal(further.statusCode, 200);
      assert.match(further.body, /wie eine Kollegin am Schalter bedroht wurde/);
      assert.equal((await a.get(`/faelle/${affected}/meldungen/XYZ-2026-0001`)).statusCode, 404);
      const other = await a.get(`/faelle/${witness}`);
      assert.match(other.body, new RegExp(`Mit einem anderen Fall zusammengeführt: <a class="kern-link" href="/faelle/${affected}">`));
      await a.post(`/faelle/${witness}/wieder-oeffnen`, {});
      const [still] = await q<{ status: string }>(sql`select status from cases where number = ${witness}`);
      assert.equal(still.status, "closed", "a joined case is not reopened");
    });
  });
}
