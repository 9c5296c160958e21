import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { parse } from "csv-parse/sync";
import { sql } from "drizzle-orm";
import fc from "fast-check";
import { caseAssessed, caseClosed, caseDismissed, caseFeedbackRecorded, caseOpened, caseReopened } from "../../src/modules/cases/index.ts";
import { assessmentTaken, practiceAdopted } from "../../src/modules/knowledge/index.ts";
import { rebuildRollups, releaseFigures, releaseOnce, rollupRebuild } from "../../src/modules/monitoring/rebuild.ts";
import { attendanceRecorded } from "../../src/modules/trainings/index.ts";
import { berlinDate, berlinInstant } from "../../src/platform/calendar.ts";
import { inTransaction, rows, withTenant } from "../../src/platform/db/client.ts";
import type { EventType } from "../../src/platform/events/events.ts";
import {
  Agent,
  createApiToken,
  createTenantFixture,
  createTestEnv,
  createUserFixture,
  type TenantFixture,
  type TestEnv,
  type UserFixture,
} from "../helpers/app.ts";
import { DB_KINDS } from "../helpers/db.ts";

/*
 * The Lagebild: statistics records follow the clearing procedure's events (opened, assessed,
 * closed, dismissed, reopened, feedback); the rollups across municipalities change with them and
 * equal what a rebuild from the records gives; the page, the CSV and the JSON show the same
 * figures for a filter; no figure crossing municipalities shows a count from 1 to 4, and none
 * withheld can be found by subtracting the totals the other filters show. Only the municipality's
 * admins, clearing officers and leaders see its own figures; only the national team and the
 * advisory board the national ones.
 */

type Row = Record<string, unknown>;

/** A PDF's text as pdftotext lays it out. */
function pdfText(response: { statusCode: number; rawPayload: Buffer }): string {
  assert.equal(response.statusCode, 200);
  const dir = mkdtempSync(join(tmpdir(), "komma-lagebild-"));
  writeFileSync(join(dir, "r.pdf"), response.rawPayload);
  return execFileSync("pdftotext", ["-layout", join(dir, "r.pdf"), "-"], { encoding: "utf8" });
}

/**
 * Whether a yearly report explains the chart's hatched mark, and whether it draws one: a chart (a tagged
 * figure) of months one of which is withheld (as its year's JSON says).
 */
async function hatchOfReport(
  agent: { get(url: string): Promise<{ body: string }> },
  pdf: { rawPayload: Buffer },
  text: string,
  area: string,
): Promise<{ explained: boolean; drawn: boolean }> {
  const { rows } = JSON.parse((await agent.get(`/lagebild/zahlen.json?jahr=2026&quartal=0&gebiet=${area}`)).body) as {
    rows: { period: string; value: number | null }[];
  };
  const charted = pdf.rawPayload.toString("latin1").includes("/S /Figure");
  return {
    explained: /Im Diagramm ist eine gesperrte Zahl ein niedriges schraffiertes Feld/.test(text.replace(/\s+/g, " ")),
    drawn: charted && rows.some((r) => /^\d{4}-\d\d$/.test(r.period) && r.value === null),
  };
}

for (const kind of DB_KINDS) {
  describe(`Lagebild (${kind})`, () => {
    let env: TestEnv;
    let east: TenantFixture;
    let west: TenantFixture;
    let small: TenantFixture;
    let leader: UserFixture;
    let staff: UserFixture;
    let board: UserFixture;

    const emit = async <T>(tenantId: string, type: EventType<T>, payload: T) => {
      await withTenant(env.platform.db, tenantId, (tx) => env.platform.domainEvents.emit(tx, type, tenantId, payload));
    };
    const records = (tenantId: string) => withTenant(env.platform.db, tenantId, (tx) => rows<Row>(tx, sql`select * from statistics_records order by case_id`));
    const rollups = () =>
      inTransaction(env.platform.db, {}, (tx) =>
        rows<Row>(
          tx,
          sql`select to_char(month, 'YYYY-MM') as month, land, kind, dimension, code, count, sum from statistics_rollups where count > 0 order by 1, 2, 3, 4, 5`,
        ),
      );
    const figures = { channel: "web", mode: "named", place: "town_hall", affectedFunction: "staff" } as const;
    const opened = (caseId: string, extra: Partial<{ forms: string[]; motives: string[] }> = {}) => ({
      caseId,
      number: `K-${caseId.slice(0, 4)}`,
      reportId: crypto.randomUUID(),
      immediateDanger: false,
      forms: ["insult"],
      motives: ["racist"],
      ...figures,
      ...extra,
    });
    const closing = (openedMonth: string, score = true) => ({
      openedMonth,
      ...figures,
      forms: ["threat", "insult"],
      motives: ["antisemitic"],
      level: 1,
      measures: ["criminal_complaint"],
      firstResponseMinutes: 90,
      respondedInTime: score,
      strafantrag: "in_time" as const,
    });
    /** The national figures as released at the start of next month (they hold the months before it; November is in a quarter under way). */
    const releaseNextMonth = () => releaseFigures(env.platform.db, new Date(env.clock.now().getTime() + 32 * 86_400_000));
    /** The national figures as released once the quarter is over (in January): its sums and breakdowns are in. */
    let releases = 0;
    const releaseAfterQuarter = () => releaseFigures(env.platform.db, new Date(Date.parse("2027-01-05T11:00:00Z") + ++releases * 60_000));
    async function signedIn(user: UserFixture) {
      const agent = new Agent(env.app);
      env.clock.advance(30_000);
      await agent.signIn(user, env.clock);
      return agent;
    }

    before(async () => {
      env = await createTestEnv(kind);
      east = await createTenantFixture(env, { kind: "model" });
      west = await createTenantFixture(env);
      small = await createTenantFixture(env);
      await env.platform.db.execute(sql`update tenants set land = '14' where id = ${east.id}`);
      await env.platform.db.execute(sql`update tenants set land = '05' where id in (${west.id}, ${small.id})`);
      leader = await createUserFixture(env, [{ tenantId: east.id, role: "leader" }]);
      staff = await createUserFixture(env, [{ tenantId: east.id, role: "staff" }]);
      board = await createUserFixture(env, [{ tenantId: env.platform.nationalTenant.id, role: "advisory_board" }]);
    });
    after(() => env.close());

    test("before the first release the national figures are none, not zeros: the page says so, the downloads hold no row, the yearly report waits", async () => {
      const agent = await signedIn(board);
      const page = await agent.get("/lagebild?jahr=2026&gebiet=DE");
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /Noch sind keine veröffentlicht\./);
      assert.match(page.body, /data-empty[^>]*>Für diesen Zeitraum gibt es noch keine Zahlen\.</);
      assert.doesNotMatch(page.body, /data-figure=|data-table=|data-dimension=|zahlen\.csv|data-legend/, "no figure, table, legend or download of zeros");
      const json = JSON.parse((await agent.get("/lagebild/zahlen.json?jahr=2026&gebiet=DE")).body) as { released?: unknown; rows: unknown[] };
      assert.deepEqual([json.released, json.rows], [undefined, []]);
      const csv = (await agent.get("/lagebild/zahlen.csv?jahr=2026&gebiet=DE")).body.replace(/^\uFEFF/, "").trim();
      assert.equal(csv.split("\n").length, 1, "the header alone");
      const pdf = await agent.get("/lagebild/jahresbericht.pdf?jahr=2026&gebiet=DE");
      assert.equal(pdf.statusCode, 404);
      assert.match(
        pdf.body,
        /data-detail[^>]*>Die bundesweiten Zahlen erscheinen einmal im Monat, jeweils für die Monate davor\. Noch sind keine veröffentlicht\.</,
        "and says why",
      );
      // The report is made in a worker: ten a minute per person — counted per person, so that colleagues behind
      // one municipal network address do not use up each other's.
      const colleague = async () => signedIn(await createUserFixture(env, [{ tenantId: env.platform.nationalTenant.id, role: "advisory_board" }]));
      const one = await colleague();
      const other = await colleague();
      for (let i = 0; i < 10; i++) assert.equal((await one.get("/lagebild/jahresbericht.pdf?jahr=2026")).statusCode, 404);
      assert.equal((await one.get("/lagebild/jahresbericht.pdf?jahr=2026")).statusCode, 429);
      assert.equal((await other.get("/lagebild/jahresbericht.pdf?jahr=2026")).statusCode, 404, "a colleague at the same address is not held up");
      // A release under way (the demo's first, or one in another process) holds a lease: the page says the first is being
      // made, and no second release starts beside it; a lease left behind by a process that died is taken over once past.
      const lease = async (ms: number) =>
        env.platform.db.execute(sql`update statistics_rollup_state set releasing_until = ${new Date(env.clock.now().getTime() + ms)} where id = 1`);
      await lease(3_600_000);
      const underWay = (await agent.get("/lagebild?jahr=2026&gebiet=DE")).body;
      assert.match(underWay, /Noch sind keine veröffentlicht\. Die erste wird gerade erstellt/);
      assert.doesNotMatch(underWay, /data-empty/, "not said twice that there are no figures yet");
      assert.match(
        (await agent.get("/lagebild/jahresbericht.pdf?jahr=2026")).body,
        /data-detail[^>]*>[^<]*Noch sind keine veröffentlicht\. Die erste wird gerade erstellt/,
      );
      assert.match(
        (await agent.get("/beirat")).body,
        /Noch keine Zahlen für einen Jahresbericht\. Die ersten bundesweiten Zahlen werden gerade veröffentlicht/,
        "and the board's workspace",
      );
      assert.equal(await releaseOnce(env.platform.db, env.clock), false, "not two at once");
      await lease(-1);
      assert.doesNotMatch((await agent.get("/lagebild?jahr=2026&gebiet=DE")).body, /wird gerade erstellt/);
      assert.doesNotMatch((await agent.get("/beirat")).body, /werden gerade veröffentlicht/);
      assert.equal(await releaseOnce(env.platform.db, env.clock), true, "a lease left behind is taken over");
      const [state] = await inTransaction(env.platform.db, {}, (tx) => rows<Row>(tx, sql`select releasing_until from statistics_rollup_state`));
      assert.equal(state.releasing_until, null, "and given back at the end");
    });

    test("records follow the case's events; a dismissed case leaves the figures; the rollups equal a rebuild from the records", async () => {
      // The clock stands in November 2026: 9 cases of the east, 7 of the west, 2 of the small one.
      const ids = (n: number) => Array.from({ length: n }, () => crypto.randomUUID());
      const eastIds = ids(9);
      const westIds = ids(7);
      const smallIds = ids(2);
      for (const id of eastIds) await emit(east.id, caseOpened, opened(id, { forms: ["threat", "insult"], motives: ["antisemitic"] }));
      for (const id of westIds) await emit(west.id, caseOpened, opened(id));
      for (const id of smallIds) await emit(small.id, caseOpened, opened(id, { motives: ["right_wing_extremist"] }));
      await env.platform.domainEvents.drain();

      await emit(east.id, caseAssessed, { caseId: eastIds[0], number: "K-1", level: 3, previousLevel: null, form: "threat", procedureVersion: 1 });
      for (const id of eastIds.slice(0, 6)) {
        await emit(east.id, caseClosed, { caseId: id, number: "K", outcome: "supported", figures: closing("2026-11-01", id !== eastIds[5]) });
        await emit(east.id, caseFeedbackRecorded, { caseId: id, number: "K", supported: 4, superiors: null, colleagues: 3, office: 5, partners: null });
      }
      await emit(west.id, caseDismissed, { caseId: westIds[6], number: "K", reason: "duplicate" });
      await emit(west.id, caseDismissed, { caseId: westIds[5], number: "K", reason: "abuse" });
      await emit(west.id, caseReopened, { caseId: westIds[5], number: "K" });
      await env.platform.domainEvents.drain();

      const eastRecords = await records(east.id);
      assert.equal(eastRecords.length, 9);
      assert.equal(eastRecords.filter((r) => r.state === "closed").length, 6);
      const first = eastRecords.find((r) => r.case_id === eastIds[0]) as Row;
      assert.equal(first.level, 1, "closing brings the case's figures (its highest level included)");
      assert.equal(first.feedback_supported, 4);
      assert.equal(first.land, "14");
      assert.ok(!JSON.stringify(eastRecords).includes("K-"), "no case number in the record");
      const westRecords = await records(west.id);
      assert.deepEqual(westRecords.map((r) => r.state).sort(), ["dismissed", "open", "open", "open", "open", "open", "open"]);

      const incremental = await rollups();
      const count = (dimension: string, code: string, land?: string) =>
        incremental
          .filter((r) => r.dimension === dimension && r.code === code && (land === undefined || r.land === land))
          .reduce((s, r) => s + Number(r.count), 0);
      assert.equal(count("incidents", "all"), 9 + 6 + 2, "the duplicate does not count; the reopened case counts again");
      assert.equal(count("incidents", "all", "14"), 9);
      assert.equal(count("closed", "all"), 6);
      assert.equal(count("form", "threat"), 9);
      assert.equal(count("pmk_area", "rechts"), 2);
      assert.equal(count("pmk_hate", "antisemitisch"), 9);
      assert.equal(count("pmk_target", "office_holders"), 17);
      assert.equal(count("response", "in_time"), 5);
      assert.equal(count("strafantrag", "in_time"), 6);
      assert.equal(count("feedback", "supported"), 6);
      assert.equal(incremental.find((r) => r.dimension === "feedback" && r.code === "supported")?.sum, 24);

      await rebuildRollups(env.platform.db, env.clock.now());
      assert.deepEqual(await rollups(), incremental, "rebuilt from the records, the rollups are the same");
    });

    test("the page, the CSV and the JSON show the same figures; below 5 nothing is shown, and nothing withheld can be subtracted out", async () => {
      // A third Land with a municipality whose cases vary as real ones do (channel, place,
      // function, form, motive): where every case of a Land has the same category, that category
      // is its total, and a total shown beside such categories would give small figures away.
      const north = await createTenantFixture(env);
      await env.platform.db.execute(sql`update tenants set land = '09' where id = ${north.id}`);
      const channels = ["web", "phone", "email", "letter"];
      const places = ["town_hall", "online", "meeting", "email", "letter"];
      const functions = ["office_holder", "elected_member", "staff"];
      const motives = ["racist", "antisemitic", "anti_muslim", "other"];
      for (let i = 0; i < 20; i++) {
        const caseId = crypto.randomUUID();
        const facts = {
          channel: channels[i % 4],
          mode: "named",
          place: places[i % 5],
          affectedFunction: functions[i % 3],
          forms: i % 2 === 0 ? ["insult"] : ["threat", "insult"],
          motives: [motives[i % 4]],
        };
        await emit(north.id, caseOpened, { caseId, number: `N-${i}`, reportId: crypto.randomUUID(), immediateDanger: false, ...facts });
        if (i < 12)
          await emit(north.id, caseClosed, {
            caseId,
            number: `N-${i}`,
            outcome: i % 2 === 0 ? "supported" : "referred",
            figures: {
              openedMonth: "2026-11-01",
              ...facts,
              level: 1 + (i % 2),
              measures: ["criminal_complaint"],
              firstResponseMinutes: 60,
              respondedInTime: i % 3 !== 0,
              strafantrag: "in_time" as const,
            },
          });
      }
      await env.platform.domainEvents.drain();
      await releaseAfterQuarter();
      const agent = await signedIn(board);
      const page = await agent.get("/lagebild?jahr=2026&quartal=0&gebiet=DE");
      assert.equal(page.statusCode, 200);
      // The area is named with the period, so that a printed page says what it shows.
      const bremen = (await agent.get("/lagebild?jahr=2026&quartal=2&gebiet=04")).body;
      assert.match(bremen, /<h2 class="kern-heading-medium">2\. Quartal 2026 · Bremen<\/h2>/);
      // Nothing reported in Bremen that quarter: said once, not in a page of zeros.
      assert.match(bremen, /data-empty[^>]*>Für diesen Zeitraum gibt es noch keine Zahlen\.</);
      assert.doesNotMatch(bremen, /data-figure="incidents"|data-table="months"|data-dimension=/);
      // Where no Strafantrag was decided (North Rhine-Westphalia's cases are open), its key figure does not read as Strafanträge missed.
      const nrw = (await agent.get("/lagebild?jahr=2026&quartal=4&gebiet=05")).body;
      assert.match(nrw, /data-figure="strafantrag-in-time">0 <span[^>]*>\(in keinem Fall war ein Strafantrag beschlossen\)/);
      // The release line speaks of the figures across municipalities, whichever area is chosen.
      assert.match(bremen, /data-release[^>]*>Stand: Zahlen bis Ende [^<]*Die Zahlen über die Kommunen hinweg erscheinen einmal im Monat/);
      // What each PMK term counts: an Unterthemenfeld gathers several motives, so it is larger than the motive of its name.
      assert.match(page.body, /data-pmk-sources[\s\S]*<strong>Rassistisch<\/strong>: Rassistisch, Anti-Schwarzer Rassismus, Antiasiatisch</);
      // Why every category of a breakdown is withheld is said once; the later such breakdowns say so in a line.
      const explanations = await Promise.all(
        ["05", "09", "model", "platform"].map(async (area) => {
          const body = (await agent.get(`/lagebild?jahr=2026&quartal=0&gebiet=${area}`)).body;
          const count = (re: RegExp) => (body.match(re) ?? []).length;
          // The legend explains the hatched mark where a chart draws one, and only there.
          assert.equal(/schraffiertes Feld/.test(body), /fill="url\(#months-title-withheld\)"/.test(body), area);
          return {
            all: count(/data-all-withheld/g),
            long: count(/Jede Kategorie mit Fällen ist gesperrt: Sie hat weniger als 5 Fälle/g),
            short: count(/Auch hier ist jede Kategorie mit Fällen gesperrt\./g),
            breakdowns: count(/<section class="komma-breakdown" aria-labelledby="b-/g),
            incidentsWithheld: /data-figure="incidents"><abbr/.test(body),
            keyWithheld: /data-figure="(incidents|closed|in-time|strafantrag-in-time)"><abbr/.test(body),
            // A key figure withheld beside shown ones says why where it stands.
            note: /data-withheld-note[^>]*>„×“ heißt gesperrt: weniger als 5 – oder auch eine große Zahl/.test(body),
            // A page mostly withheld says so at its top, and where more is shown: a larger area than a Land or a kind.
            mostly: /data-mostly-withheld[\s\S]*Viele Zahlen gesperrt[\s\S]*Ein größeres Gebiet zeigt oft mehr\./.test(body),
            mostlyAt: body.indexOf("data-mostly-withheld"),
            headline: body.indexOf('id="headline-title"'),
          };
        }),
      );
      for (const e of explanations) {
        assert.equal(e.long, e.all > 0 ? 1 : 0, JSON.stringify(e));
        assert.equal(e.short, Math.max(0, e.all - 1), JSON.stringify(e));
        assert.equal(e.mostly, e.incidentsWithheld || (e.breakdowns > 0 && 2 * e.all >= e.breakdowns), JSON.stringify(e));
        assert.equal(e.note, e.keyWithheld, JSON.stringify(e));
        if (e.mostly) assert.ok(e.mostlyAt < e.headline, "said above the figures");
      }
      assert.ok(
        explanations.some((e) => e.mostly),
        `a page mostly withheld: ${JSON.stringify(explanations)}`,
      );
      assert.ok(
        explanations.some((e) => e.note),
        `a page with a key figure withheld: ${JSON.stringify(explanations)}`,
      );
      assert.ok(
        explanations.some((e) => e.all >= 2),
        `a page with several such breakdowns: ${JSON.stringify(explanations)}`,
      );
      // The yearly report of such an area says the same at its top, and folds each breakdown withheld whole into its reason
      // and the categories with cases (not a table of "×" and 0).
      const mostlyArea = ["05", "09", "model", "platform"][explanations.findIndex((e) => e.mostly && e.all >= 2)];
      assert.ok(mostlyArea, `an area mostly withheld with several such breakdowns: ${JSON.stringify(explanations)}`);
      const folded = explanations[["05", "09", "model", "platform"].indexOf(mostlyArea)];
      const mostlyPdf = await agent.get(`/lagebild/jahresbericht.pdf?jahr=2026&gebiet=${mostlyArea}`);
      const report = pdfText(mostlyPdf).replace(/\s+/g, " ");
      const reportAt = (re: RegExp) => report.search(re);
      const hatch = await hatchOfReport(agent, mostlyPdf, report, mostlyArea);
      assert.equal(hatch.explained, hatch.drawn, `the hatched mark explained where a chart draws one, and only there: ${JSON.stringify(hatch)}`);
      assert.ok(reportAt(/Viele Zahlen gesperrt\. Viele Zahlen unten sind gesperrt \(×\).* Ein größeres Gebiet zeigt oft mehr\./) >= 0, report);
      assert.ok(reportAt(/Viele Zahlen gesperrt/) < reportAt(/Haben sich Betroffene unterstützt gefühlt\?/), "said above the figures");
      assert.equal((report.match(/Jede Kategorie mit Fällen ist gesperrt: Sie hat weniger als 5 Fälle/g) ?? []).length, 1);
      assert.equal((report.match(/Auch hier ist jede Kategorie mit Fällen gesperrt\./g) ?? []).length, folded.all - 1);
      assert.equal((report.match(/Gesperrt \(×\): /g) ?? []).length, folded.all, "each names its categories with cases");
      assert.equal(
        (report.match(/Kategorie Anzahl/g) ?? []).length,
        1 + folded.breakdowns - folded.all,
        "the key figures and the other breakdowns keep their tables",
      );
      // A year without figures is not offered: not a page of zeros, but this year with a notice.
      const noFigures = await agent.get("/lagebild?jahr=2019&gebiet=DE");
      assert.match(noFigures.body, /Den gewünschten Zeitraum oder das Gebiet gibt es hier nicht\. Gezeigt wird: 2026/);
      assert.doesNotMatch(noFigures.body, /<option[^>]*value="2019"/);
      const noFiguresJson = JSON.parse((await agent.get("/lagebild/zahlen.json?jahr=2019")).body) as { filter: { year: number }; adjusted: boolean };
      assert.equal(noFiguresJson.filter.year, 2026);
      assert.equal(noFiguresJson.adjusted, true, "the download says it shows another year than asked");
      assert.equal(JSON.parse((await agent.get("/lagebild/zahlen.json?jahr=2026")).body).adjusted, false);
      assert.equal(JSON.parse((await agent.get("/lagebild/zahlen.json?quartal=1&quartal=2")).body).adjusted, true, "nor two quarters at once");
      const json = await agent.get("/lagebild/zahlen.json?jahr=2026&quartal=0&gebiet=DE");
      assert.equal(json.statusCode, 200);
      const data = JSON.parse(json.body) as {
        note: string;
        rows: { period: string; dimension: string; code: string; value: number | null; mean: number | null }[];
      };
      const csv = await agent.get("/lagebild/zahlen.csv?jahr=2026&quartal=0&gebiet=DE");
      assert.match(String(csv.headers["content-type"]), /text\/csv/);
      assert.match(String(csv.headers["content-disposition"]), /filename="lagebild-2026-bundesweit\.csv"/);
      // In English the downloads are named in English.
      const english = await signedIn(board);
      await english.get("/sprache/en?zurueck=/lagebild");
      const named = await english.get("/lagebild/jahresbericht.pdf?jahr=2026&quartal=2&gebiet=DE");
      assert.match(
        String(named.headers["content-disposition"]),
        /filename="yearly-report-2026-germany\.pdf"/,
        "the yearly report is the year's, whatever quarter the page showed",
      );
      // A year without figures: the page shows this year with a notice, a file would not say so.
      const none = await agent.get("/lagebild/jahresbericht.pdf?jahr=2019&gebiet=DE");
      assert.equal(none.statusCode, 404);
      assert.match(none.body, /data-detail[^>]*>Für dieses Jahr gibt es keine Zahlen\. Zahlen gibt es für: 2026/);
      const csvRows = parse(csv.body, { columns: true, delimiter: ";", bom: true }) as Record<string, string>[];
      assert.equal(csvRows.find((r) => r.dimension === "form" && r.code === "threat")?.bezeichnung, "Bedrohung", "with the names beside the codes");
      assert.deepEqual(
        csvRows.map((r) => [r.zeitraum, r.dimension, r.code, r.anzahl === "" ? null : Number(r.anzahl)]),
        data.rows.map((r) => [r.period, r.dimension, r.code, r.value]),
        "CSV and JSON hold the same figures",
      );
      const token = await createApiToken(env, board);
      const api = await env.app.inject({ method: "GET", url: "/api/v1/lagebild?jahr=2026&quartal=0&gebiet=DE", headers: { authorization: `Bearer ${token}` } });
      assert.equal(api.statusCode, 200);
      assert.deepEqual(JSON.parse(api.body).rows, data.rows, "the API gives the export's figures");
      assert.equal(JSON.parse(api.body).note, data.note, "and says, as the export does, what null means");
      assert.match(data.note, /^value null: gesperrt/, "in the language of the page it was downloaded from");
      assert.match(data.note, /Gesperrt ist auch eine Zahl, die bis auf 1 bis 4 von einer einzigen Kommune stammt/, "and why a large figure can be withheld");
      assert.match(JSON.parse((await english.get("/lagebild/zahlen.json?jahr=2026&gebiet=DE")).body).note, /^value null: withheld/);
      // A filter the figures do not offer is refused with the field named: a program never takes
      // this year's figures for those of the year it asked for.
      for (const [query, field] of [
        ["quartal=7", "quartal"],
        ["jahr=202600000", "jahr"],
        ["jahr=2019", "jahr"],
        ["gebiet=XX", "gebiet"],
      ]) {
        const refused = await env.app.inject({ method: "GET", url: `/api/v1/lagebild?${query}`, headers: { authorization: `Bearer ${token}` } });
        assert.equal(refused.statusCode, 400, query);
        assert.match(String(refused.headers["content-type"]), /application\/problem\+json/);
        const problem = JSON.parse(refused.body);
        assert.equal(problem.code, "validation_failed");
        assert.deepEqual(Object.keys(problem.errors), [field], query);
      }
      const noYear = await env.app.inject({ method: "GET", url: "/api/v1/lagebild?jahr=2019", headers: { authorization: `Bearer ${token}` } });
      assert.match(JSON.parse(noYear.body).errors.jahr, /keine Zahlen.*2026/);
      // A program asks for its language with Accept-Language (German where it asks for none it is offered).
      const inEnglish = await env.app.inject({
        method: "GET",
        url: "/api/v1/lagebild?jahr=2019",
        headers: { authorization: `Bearer ${token}`, "accept-language": "en-GB,en;q=0.8" },
      });
      assert.match(JSON.parse(inEnglish.body).errors.jahr, /no figures for this year.*2026/);
      // The problem's title speaks the same language as its messages.
      assert.equal(JSON.parse(inEnglish.body).title, "Invalid values");
      assert.equal(JSON.parse(noYear.body).title, "Ungültige Angaben");
      const inFrench = await env.app.inject({
        method: "GET",
        url: "/api/v1/lagebild?jahr=2019",
        headers: { authorization: `Bearer ${token}`, "accept-language": "fr" },
      });
      assert.match(JSON.parse(inFrench.body).errors.jahr, /keine Zahlen/);
      const unsigned = await env.app.inject({ method: "GET", url: "/api/v1/lagebild" });
      assert.equal(unsigned.statusCode, 401);
      assert.match(String(unsigned.headers["content-type"]), /application\/problem\+json/);
      const body = page.body.replace(/<!-- -->/g, "");
      const value = (dimension: string, code: string) => data.rows.find((r) => r.period === "2026" && r.dimension === dimension && r.code === code)?.value;
      // Every case was an insult: the count of insults is the incidents', shown alike (the Länder's
      // totals, 9, 8 and 20, are shown too), on the page as in the export.
      assert.equal(value("form", "insult"), 37);
      assert.equal(value("incidents", "all"), 37);
      assert.match(body, /data-figure="incidents">37</, "the page shows the export's figure");
      // Each category's share in words beside its bar; none where the total is withheld (an empty bar would read as 0 %).
      assert.match(body, /<span class="komma-share-text">\d+ %<\/span>/);
      assert.equal(value("motive", "antisemitic"), 14);
      assert.equal(value("pmk_hate", "antisemitisch"), 14, "an Unterthemenfeld of one motive is that motive's count");
      assert.equal(value("measure", "criminal_complaint"), 18);
      // A motive no report named this year is listed with its 0, on the page as in the export.
      assert.equal(value("motive", "anti_asian"), 0);
      assert.match(body, /data-code="anti_asian">\s*<th[^>]*>[^<]*<\/th>\s*<td[^>]*>0</);
      // In each breakdown the largest first; a withheld one after the figures shown, before the zeros.
      for (const table of body.match(/<table[^>]*data-dimension="[^"]+"[\s\S]*?<\/table>/g) ?? []) {
        const order = [...table.matchAll(/data-code="[^"]+">\s*<th[^>]*>[^<]*<\/th>\s*<td[^>]*>(<abbr|[\d.]+)/g)].map((m) =>
          m[1] === "<abbr" ? 0.5 : Number(m[1].replace(/\./g, "")),
        );
        assert.deepEqual(
          order,
          [...order].sort((a, b) => b - a),
          table.slice(0, 80),
        );
      }
      for (const r of data.rows.filter((x) => x.period === "2026" && x.dimension === "form")) {
        const cell = new RegExp(`data-code="${r.code}">\\s*<th[^>]*>[^<]*</th>\\s*<td[^>]*>${r.value === null ? "<abbr" : r.value}`);
        assert.match(page.body.replace(/<!-- -->/g, ""), cell, `form ${r.code} as in the export`);
      }

      // Every filter of the year: Länder, kinds, the country, each quarter and the whole year.
      const shown = new Map<string, number | null>();
      for (const scope of ["DE", "14", "05", "09", "model", "platform"])
        for (const quarter of [0, 1, 2, 3, 4]) {
          const r = await agent.get(`/lagebild/zahlen.json?jahr=2026&quartal=${quarter}&gebiet=${scope}`);
          const lines = (JSON.parse(r.body) as typeof data).rows;
          const keys = lines.map((x) => `${x.period}|${x.dimension}|${x.code}`);
          assert.equal(new Set(keys).size, keys.length, `each figure once (quarter ${quarter}, ${scope})`);
          for (const x of lines) {
            if (x.value !== null) assert.ok(x.value === 0 || x.value >= 5, `${scope} ${x.period} ${x.dimension}/${x.code} = ${x.value}`);
            shown.set(`${scope}|${x.period}|${x.dimension}|${x.code}`, x.value);
          }
        }
      // The small municipality's two right-wing cases: alone in the west's Land they would be 2.
      assert.equal(shown.get("DE|2026|pmk_area|rechts"), null);
      assert.equal(shown.get("05|2026|pmk_area|rechts"), null);
      // Land 05's reports are the west's 6 and the small one's 2: its 8, shown, would tell the west the small one's 2.
      assert.equal(shown.get("05|2026|incidents|all"), null);
      assert.equal(shown.get("05|2026|form|insult"), null);
      // No total gives a withheld figure away: where the country is shown, its Länder are shown or two are withheld.
      for (const [key, v] of shown) {
        const [scope, period, dimension, code] = key.split("|");
        if (scope !== "DE" || v === null) continue;
        const parts = ["14", "05", "09"].map((land) => shown.get(`${land}|${period}|${dimension}|${code}`));
        const withheld = parts.filter((p) => p === null).length;
        assert.notEqual(withheld, 1, `${period} ${dimension}/${code}: country ${v}, Länder ${parts.join(", ")}`);
        const kinds = ["model", "platform"].map((k) => shown.get(`${k}|${period}|${dimension}|${code}`));
        assert.notEqual(kinds.filter((p) => p === null).length, 1, `${period} ${dimension}/${code}: by kind ${kinds.join(", ")}`);
      }
    });

    test("training reach follows corrected attendance; the latest self-assessment stands for a municipality; adoptions count", async () => {
      const sessionId = crypto.randomUUID();
      const session = (eastStaff: number, westStaff: number) => ({
        sessionId,
        formatId: crypto.randomUUID(),
        month: "2026-09",
        topics: ["deescalation" as const],
        audience: "all_staff" as const,
        reach: [
          { tenantId: east.id, role: "staff", count: eastStaff },
          { tenantId: west.id, role: "staff", count: westStaff },
        ],
      });
      const national = env.platform.nationalTenant.id;
      await emit(national, attendanceRecorded, session(9, 4));
      await env.platform.domainEvents.drain();
      // Corrected: the east's 6 and the west's 5 (with 3, the east would read the west's 3 off the 9 and they are withheld).
      await emit(national, attendanceRecorded, session(6, 5));
      for (const [tenant, score] of [
        [east.id, 40],
        [east.id, 80],
        [west.id, 60],
        [small.id, 50],
      ] as const)
        await emit(tenant, assessmentTaken, {
          assessmentId: crypto.randomUUID(),
          scores: { alliance: score, strategy: score, clearing: score, training: score, communication: score, participation: score },
        });
      for (let i = 0; i < 6; i++)
        await emit(west.id, practiceAdopted, { originTenantId: east.id, originId: crypto.randomUUID(), originVersion: 1, copyId: crypto.randomUUID() });
      await env.platform.domainEvents.drain();
      const all = await rollups();
      const sum = (dimension: string, code: string, field: "count" | "sum" = "count") =>
        all.filter((r) => r.dimension === dimension && r.code === code).reduce((s, r) => s + Number(r[field]), 0);
      assert.equal(sum("training_reach", "staff"), 11, "the corrected attendance replaces the first");
      assert.equal(sum("training_topic", "deescalation"), 11);
      assert.equal(sum("strategy_score", "alliance"), 3, "one latest self-assessment per municipality");
      assert.equal(sum("strategy_score", "alliance", "sum"), 80 + 60 + 50);
      assert.equal(sum("adoption", "all"), 6);
      // A rebuild from the case records leaves these alone.
      await rebuildRollups(env.platform.db, env.clock.now());
      assert.equal(
        (await rollups()).filter((r) => r.dimension === "training_reach").reduce((s, r) => s + Number(r.count), 0),
        11,
      );

      await releaseAfterQuarter();
      const agent = await signedIn(board);
      const data = JSON.parse((await agent.get("/lagebild/zahlen.json?jahr=2026&gebiet=DE")).body) as {
        rows: { dimension: string; code: string; value: number | null; mean: number | null }[];
      };
      const row = (dimension: string, code: string) => data.rows.find((r) => r.dimension === dimension && r.code === code);
      assert.equal(row("training_reach", "staff")?.value, 11);
      assert.equal(row("adoption", "all")?.value, 6);
      assert.equal(row("strategy_score", "alliance")?.value, null, "three municipalities: withheld, and no mean");
      assert.equal(row("strategy_score", "alliance")?.mean, null);
      const page = await agent.get("/lagebild?jahr=2026&gebiet=DE");
      assert.match(page.body, /Geschulte Personen nach Rolle/);
      assert.match(page.body, /data-figure="adoptions">6</);
      // Every self-assessment figure withheld: said why, the table a click away.
      assert.match(
        page.body,
        /id="activity-strategy"[^<]*<\/h3>\s*<p class="kern-body" data-all-withheld[^>]*>Jede Zahl ist gesperrt: Eine Kommune schätzt sich nur ab und zu ein[\s\S]*?<details[^>]*><summary[^>]*>Tabelle ansehen<\/summary>[\s\S]*?data-table="activity-strategy"/,
      );
      // A quarter without self-assessments says so, not in a table of "–" and 0.
      const firstQuarter = (await agent.get("/lagebild?jahr=2026&quartal=1&gebiet=DE")).body;
      assert.match(firstQuarter, /id="activity-strategy"[^<]*<\/h3>\s*<p class="kern-body">Keine Zahlen in diesem Zeitraum\.<\/p>/);
      assert.doesNotMatch(firstQuarter, /data-table="activity-strategy"/);
      assert.doesNotMatch(page.body, /id="activity-reach"[^<]*<\/h3>\s*<p class="kern-body" data-all-withheld/, "training reach is shown");

      // The yearly report: the same figures in a tagged PDF, whatever quarter the page showed.
      const pdf = await agent.get("/lagebild/jahresbericht.pdf?jahr=2026&quartal=3&gebiet=DE");
      assert.equal(pdf.statusCode, 200);
      assert.equal(String(pdf.headers["content-type"]), "application/pdf");
      const dir = mkdtempSync(join(tmpdir(), "komma-lagebild-"));
      writeFileSync(join(dir, "r.pdf"), pdf.rawPayload);
      const text = pdfText(pdf);
      assert.match(text, /Jahresbericht Lagebild 2026 – Bundesweit/, "titled as its link and file name say");
      // Its legend speaks of the chart's hatched mark only where it draws one.
      assert.ok(pdf.rawPayload.toString("latin1").includes("/S /Figure"), "the country's months are charted");
      const hatch = await hatchOfReport(agent, pdf, text, "DE");
      assert.equal(hatch.explained, hatch.drawn, JSON.stringify(hatch));
      assert.match(text, /Gemeldete Vorfälle\s+37/, "as in the export");
      assert.match(text, /Erste Reaktion in der Frist/, "with the first responses in time");
      // A long label wraps within its cell: nothing of it is cut off.
      assert.match(text.replace(/\s+/g, " "), /in denen ein Strafantrag beschlossen wurde(: gesperrt)?\)/, "the Strafantrag's key figure, in full");
      assert.match(text, /„–“: kein Mittelwert gezeigt/, "and what a mean's “–” stands for");
      assert.match(text, /Gesamt: \d+/, "and what each breakdown's codes add up to");
      assert.match(text, /Übernommene Praxisbeispiele: 6/);
      assert.match(text.replace(/\s+/g, " "), /Jede Zahl ist gesperrt: Eine Kommune schätzt sich nur ab und zu ein/, "why no self-assessment is shown");
      assert.doesNotMatch(text, /Mittelwert \(0–100\)/, "and no table of “–” and “×” beside it");
      assert.match(text, /Beschäftigte\s+11/, "training reach as in the export");
      const info = execFileSync("pdfinfo", [join(dir, "r.pdf")], { encoding: "utf8" });
      assert.match(info, /Tagged:\s+yes/);
      // Every page numbered of the last, and nothing but the number on a page of its own.
      const pages = Number(/Pages:\s+(\d+)/.exec(info)?.[1]);
      assert.ok(pages > 1);
      for (let page = 1; page <= pages; page++) {
        const one = execFileSync("pdftotext", ["-f", String(page), "-l", String(page), join(dir, "r.pdf"), "-"], { encoding: "utf8" });
        assert.match(one, new RegExp(`Seite ${page} von ${pages}`));
        assert.ok(one.replace(/Seite \d+ von \d+/, "").trim().length > 0, `page ${page} holds more than its number`);
      }

      // A municipality sees its own: its people trained (whoever held the training), its latest self-assessment, its adoptions.
      const eastLeader = await signedIn(leader);
      const ownRows = (JSON.parse((await eastLeader.get("/lagebild/zahlen.json?jahr=2026")).body) as typeof data).rows;
      const own = (dimension: string, code: string) => ownRows.find((r) => r.dimension === dimension && r.code === code);
      assert.equal(own("training_reach", "staff")?.value, 6, "the east's share of the corrected attendance");
      assert.equal(own("training_topic", "deescalation")?.value, 6);
      // Its self-assessment of November is not among the months released to it yet (the test below sees it once they are).
      assert.equal(own("strategy_score", "alliance"), undefined, "no self-assessment from a month not yet released");
      assert.equal(own("adoption", "all")?.value, 0, "the west's adoptions are not the east's");
      const ownPage = await eastLeader.get("/lagebild?jahr=2026");
      assert.match(ownPage.body, /Ihre Selbsteinschätzung: keine aus diesem Zeitraum/);
      assert.match(ownPage.body, /data-figure="adoptions">0</);
      assert.equal(
        (JSON.parse((await eastLeader.get("/lagebild/zahlen.json?jahr=2026&quartal=1")).body) as typeof data).rows.find(
          (r) => r.dimension === "training_reach",
        ),
        undefined,
        "none in a quarter without trainings",
      );
      // Corrected once more, without the west: the west's share is gone, nationally and in its own figures.
      await emit(national, attendanceRecorded, { ...session(6, 3), reach: [{ tenantId: east.id, role: "staff", count: 6 }] });
      await env.platform.domainEvents.drain();
      const westShare = await withTenant(env.platform.db, west.id, (tx) =>
        rows<{ contributions: unknown[] }>(tx, sql`select contributions from statistics_sources where source = ${`reach:${sessionId}`}`),
      );
      assert.deepEqual(westShare[0].contributions, []);
      assert.equal(
        (await rollups()).filter((r) => r.dimension === "training_reach").reduce((s, r) => s + Number(r.count), 0),
        6,
      );
    });

    test("a municipality's own figures for its leader, not its staff; the national ones not for a municipality", async () => {
      const agent = await signedIn(leader);
      const page = await agent.get("/lagebild");
      assert.equal(page.statusCode, 200);
      // Its own figures are released once a month too: November, under way, with its 9 cases, is not among them yet.
      assert.match(page.body, /Stand: Zahlen bis Ende Oktober 2026, veröffentlicht am 24\. November 2026\. Auch die eigenen Zahlen erscheinen einmal im Monat/);
      // Nothing in the months released: said once, not in a page of zeros.
      assert.match(page.body, /data-empty[^>]*>Für diesen Zeitraum gibt es noch keine Zahlen\.</);
      assert.doesNotMatch(page.body, /data-figure="incidents"|data-table="months"|data-dimension=/);
      assert.doesNotMatch(page.body, />Nov 2026</);
      assert.doesNotMatch(page.body, /name="gebiet"/, "no national filter");
      assert.match(page.body, /<option value="2026" selected/);
      assert.doesNotMatch(page.body, /<option value="2025"/, "no year without figures is offered");
      assert.equal((await agent.get("/lagebild/zahlen.json?gebiet=DE")).statusCode, 200);
      const own = JSON.parse((await agent.get("/lagebild/zahlen.json?gebiet=DE")).body) as {
        filter: { scope: string };
        adjusted: boolean;
        rows: { dimension: string; value: number }[];
      };
      assert.equal(own.filter.scope, "*", "a municipality cannot ask for the country");
      assert.equal(own.adjusted, true, "and is told so");
      assert.match((await agent.get("/lagebild?gebiet=DE")).body, /role="status"/, "on the page too");
      assert.equal(own.rows.find((r) => r.dimension === "incidents")?.value, 0, "as on the page");
      const other = await signedIn(staff);
      assert.equal((await other.get("/lagebild")).statusCode, 404);
      assert.equal((await other.get("/lagebild/zahlen.csv")).statusCode, 404);
      const leaderToken = await createApiToken(env, leader);
      const staffToken = await createApiToken(env, staff);
      const viaApi = (token: string, query = "") =>
        env.app.inject({ method: "GET", url: `/api/v1/lagebild${query}`, headers: { authorization: `Bearer ${token}` } });
      assert.equal(JSON.parse((await viaApi(leaderToken)).body).filter.scope, "*");
      // A program asking a municipality's own figures for an area is told, not given the municipality's as the area's.
      const area = await viaApi(leaderToken, "?gebiet=DE");
      assert.equal(area.statusCode, 400);
      assert.deepEqual(Object.keys(JSON.parse(area.body).errors), ["gebiet"]);
      assert.equal((await viaApi(staffToken)).statusCode, 404);
      assert.equal((await viaApi(staffToken, "?gebiet=DE")).statusCode, 404, "who may not see the figures learns nothing from a bad filter");
      const bad = await agent.get("/lagebild?jahr=abc&quartal=9&gebiet=%00");
      assert.equal(bad.statusCode, 200, "a filter it does not know falls back to the default");
      assert.match(
        bad.body,
        /Den gewünschten Zeitraum oder das Gebiet gibt es hier nicht: Hier stehen die Zahlen Ihrer Kommune\. Gezeigt wird: 2026, Januar bis September\./,
        "and says so",
      );
      // A year it has no figures for is no question of area: the notice does not speak of one.
      const year = (await agent.get("/lagebild?jahr=1999")).body;
      assert.match(year, /Den gewünschten Zeitraum oder das Gebiet gibt es hier nicht\. Gezeigt wird: 2026/);
      assert.doesNotMatch(year, /Hier stehen die Zahlen Ihrer Kommune/);
      assert.doesNotMatch((await agent.get("/lagebild?jahr=2026&quartal=0")).body, /gibt es hier nicht/, "not where the link is fine");
      assert.doesNotMatch((await agent.get("/lagebild?jahr=2026&quartal=01")).body, /gibt es hier nicht/, "nor where it writes a quarter with a leading zero");
      // Whatever the query string holds, never a server error.
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.tuple(fc.constantFrom("jahr", "quartal", "gebiet", "x"), fc.string({ unit: "binary", maxLength: 12 })), { maxLength: 4 }),
          async (pairs) => {
            const query = pairs.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join("&");
            for (const path of ["/lagebild", "/lagebild/zahlen.json", "/lagebild/zahlen.csv", "/api/v1/lagebild"]) {
              const r = await agent.get(`${path}?${query}`);
              assert.ok(r.statusCode < 500, `${path}?${query}: ${r.statusCode}`);
            }
          },
        ),
        { numRuns: 25 },
      );
    });

    test("the national figures change only with the monthly release: cases between releases show with the next one", async () => {
      type Export = { released?: { at: string; before: string }; rows: { period: string; dimension: string; code: string; value: number | null }[] };
      const national = async () => {
        const agent = await signedIn(board);
        return JSON.parse((await agent.get("/lagebild/zahlen.json?jahr=2026&gebiet=DE")).body) as Export;
      };
      const insults = (d: Export) => d.rows.find((r) => r.period === "2026" && r.dimension === "form" && r.code === "insult")?.value;
      await releaseAfterQuarter();
      const insultsBefore = insults(await national()) ?? 0;
      await releaseNextMonth();
      const before = await national();
      assert.equal(before.released?.before, "2026-12", "the months before December");
      const heldBack = async () =>
        (
          await rows<{ held: string[]; shown: string[]; withheld: [string, string][] }>(
            env.platform.db,
            sql`select held_back as held, shown, withheld from statistics_releases where year = 2026`,
          )
        )[0];
      // What a release withholds it holds back for the next ones (a year so far named by its quarters), none of it shown.
      const december = await heldBack();
      assert.ok(december.held.length > 0, "it withholds some");
      for (const k of december.held) assert.ok(!december.shown.includes(k), k);
      for (const [k] of december.withheld) if (!k.startsWith("mean|")) assert.ok(december.held.includes(k.replace(/^2026\|/, "2026-Q1-Q3|")), k);
      // October and November are in the quarter under way: shown month by month, not yet summed.
      assert.ok(before.rows.some((r) => r.period === "2026-11" && r.dimension === "incidents" && r.value !== null));
      assert.equal(insults(before), undefined, "the year's sums count the quarters over");
      assert.ok(before.rows.some((r) => r.period === "2026-Q1-Q3"));
      assert.ok(
        before.rows.some((r) => r.period === "2025-Q1-Q3" && r.dimension === "feedback"),
        "the year before is compared over the same quarters",
      );
      const fourth = await (await signedIn(board)).get("/lagebild?jahr=2026&quartal=4&gebiet=DE");
      assert.match(fourth.body, /data-pending[^>]*>.*Das 4\. Quartal 2026 läuft noch/s);
      assert.doesNotMatch(fourth.body, /data-dimension=/, "no breakdown of a quarter under way");
      const fourthRows = (JSON.parse((await (await signedIn(board)).get("/lagebild/zahlen.json?jahr=2026&quartal=4&gebiet=DE")).body) as Export).rows;
      assert.deepEqual([...new Set(fourthRows.filter((r) => r.period.startsWith("2026-1")).map((r) => r.period))], ["2026-10", "2026-11"]);
      assert.ok(!fourthRows.some((r) => r.period === "2026-Q4"), "nor exported");
      // Six more cases of the west this month, one of them closed: between releases nothing moves.
      const ids = Array.from({ length: 6 }, () => crypto.randomUUID());
      for (const id of ids) await emit(west.id, caseOpened, opened(id));
      await emit(west.id, caseClosed, { caseId: ids[0], number: "K", outcome: "protected", figures: closing("2026-11-01") });
      await env.platform.domainEvents.drain();
      await rollupRebuild(env.platform).run(env.clock.now());
      assert.deepEqual((await national()).rows, before.rows, "no change can be seen until the next release");
      const page = await (await signedIn(board)).get("/lagebild?jahr=2026&gebiet=DE");
      assert.match(page.body, /Stand: Zahlen bis Ende November 2026, veröffentlicht am \d+\. Dezember 2026/);
      assert.match(
        page.body,
        /Summen und Aufschlüsselungen: Januar bis September<\/p><\/div><div class="kern-alert__body"><p class="kern-body">Sie zählen die Quartale, die vorbei sind/,
      );
      // December is not released yet: it is not shown at all (a 0 would say none happened).
      assert.match(page.body, />Nov 2026</);
      assert.doesNotMatch(page.body, />Dez 2026</);
      assert.ok(!before.rows.some((r) => r.period === "2026-12"), "nor exported");
      assert.doesNotMatch(page.body, /<option value="2025"/, "no year without figures is offered");

      // The first run of the job in the next month releases them.
      env.clock.advance(40 * 86_400_000);
      const began = env.clock.now();
      await rollupRebuild(env.platform).run(env.clock.now());
      const after = await national();
      assert.equal(after.released?.before, "2027-01");
      assert.equal(insults(after), insultsBefore + 6, "the quarter over, its months are summed");
      const released = after.released?.at;
      assert.ok(Date.parse(String(released)) > began.getTime(), "released when stored, after the release began (its protection takes a while)");
      // January's release kept December's held back, but for what it showed.
      const januaryHeld = await heldBack();
      for (const k of december.held) assert.ok(januaryHeld.held.includes(k) !== januaryHeld.shown.includes(k), k);
      await rollupRebuild(env.platform).run(env.clock.now());
      assert.equal((await national()).released?.at, released, "once a month");
      // A release protected another way than today's is not shown, and is made again by the next run.
      await env.platform.db.execute(sql`update statistics_releases set method = 1`);
      assert.equal((await national()).released, undefined, "an outdated release is not shown");
      await rollupRebuild(env.platform).run(env.clock.now());
      assert.equal((await national()).released?.before, "2027-01", "the schedule releases the figures again");
      assert.equal(insults(await national()), insultsBefore + 6);
      // A release keeps its table's cells, so that a read need not sum its rows again; one without them (made before) reads the same.
      const stored = await national();
      await env.platform.db.execute(sql`update statistics_releases set "table" = null, released_at = released_at + interval '1 second'`);
      const summedAgain = await national();
      assert.notEqual(summedAgain.released?.at, stored.released?.at, "read anew, not from memory");
      assert.deepEqual(summedAgain.rows, stored.rows);

      // A municipality's own figures, likewise: in January its release holds November and December.
      type Own = { released?: { before: string }; rows: { period: string; dimension: string; code: string; value: number | null }[] };
      const ownFigures = async () => JSON.parse((await (await signedIn(leader)).get("/lagebild/zahlen.json?jahr=2026")).body) as Own;
      // A case counts in the month it was opened, its closing in the month it was closed.
      const closed = (d: Own, period: string) => d.rows.find((r) => r.period === period && r.dimension === "closed")?.value ?? 0;
      // The job released them with the national figures, protected already: the leader's first look only reads them.
      const ownRelease = () =>
        withTenant(env.platform.db, east.id, (tx) =>
          rows<{ month: string; at: Date; stored: boolean }>(
            tx,
            sql`select to_char(month, 'YYYY-MM-DD') as month, released_at as at, "table" is not null and withheld is not null as stored
                  from statistics_own_releases where year = 2026`,
          ),
        ).then(([r]) => r);
      const byJob = await ownRelease();
      assert.equal(byJob.month, "2027-01-01");
      assert.ok(byJob.stored, "with its table as protected");
      const january = await ownFigures();
      assert.equal(january.released?.before, "2027-01");
      assert.deepEqual((await ownRelease()).at, byJob.at, "the first look made no release of its own");
      // One released before tables were kept is protected again from its rows: the same figures.
      await withTenant(env.platform.db, east.id, (tx) =>
        tx.execute(sql`update statistics_own_releases set "table" = null, withheld = null, released_at = released_at + interval '1 second'`),
      );
      assert.deepEqual((await ownFigures()).rows, january.rows);
      const ownHeld = () =>
        withTenant(env.platform.db, east.id, (tx) =>
          rows<{ hidden: string[]; held: string[] }>(tx, sql`select hidden, held_back as held from statistics_own_releases where year = 2026`),
        ).then(([r]) => r);
      const januaryOwn = await ownHeld();
      assert.equal(january.rows.find((r) => r.period === "2026" && r.dimension === "incidents")?.value, 9);
      assert.equal(january.rows.find((r) => r.period === "2026-11" && r.dimension === "incidents")?.value, 9);
      // One of its November cases closed now, in January: its leader, who may know which, sees no change of 2026, then or later.
      const [{ case_id: eastCase }] = await withTenant(env.platform.db, east.id, (tx) =>
        rows<{ case_id: string }>(tx, sql`select case_id from statistics_records where state = 'open' order by case_id limit 1`),
      );
      await emit(east.id, caseClosed, { caseId: eastCase, number: "K", outcome: "protected", figures: closing("2026-11-01") });
      await env.platform.domainEvents.drain();
      assert.deepEqual((await ownFigures()).rows, january.rows, "no change until the next release");
      env.clock.advance(31 * 86_400_000);
      // East is alone in its Land and of its kind: its own release follows the month's national one (lagebild-sole.test.ts).
      assert.equal((await ownFigures()).released?.before, "2027-01", "until the national release of February is made");
      await releaseFigures(env.platform.db, env.clock.now());
      const february = await ownFigures();
      assert.equal(february.released?.before, "2027-02");
      assert.deepEqual((await ownHeld()).hidden, januaryOwn.held, "February's own release is protected with what January's withheld");
      assert.deepEqual(february.rows, january.rows, "November, which is over, stays as it was released");
      assert.equal(closed(february, "2026-11"), closed(january, "2026-11"));
      // The closing counts in January 2027, the month it happened in.
      const [booked] = await withTenant(env.platform.db, east.id, (tx) =>
        rows<{ opened: string; closed: string }>(
          tx,
          sql`select to_char(opened_month, 'YYYY-MM') as opened, to_char(closed_month, 'YYYY-MM') as closed from statistics_records where case_id = ${eastCase}`,
        ),
      );
      assert.deepEqual(booked, { opened: "2026-11", closed: "2027-01" });
      const [{ n }] = await rows<{ n: number }>(
        env.platform.db,
        sql`select coalesce(sum(count), 0)::int as n from statistics_rollups where month = '2027-01-01' and dimension = 'closed'`,
      );
      assert.ok(n >= 1, "the national figures count it in January 2027");
      const next = JSON.parse((await (await signedIn(leader)).get("/lagebild/zahlen.json?jahr=2027")).body) as Own;
      assert.ok(
        next.rows.some((r) => r.period === "2027-01" && r.dimension === "closed"),
        "its leader finds January 2027 among the months with figures",
      );
    });

    test("a month's release waits for the cases' events of the months before it that are still on their way (a day at most)", async () => {
      type Released = { released?: { before: string } };
      const releasedBefore = async () =>
        (JSON.parse((await (await signedIn(board)).get("/lagebild/zahlen.json?jahr=2026&gebiet=DE")).body) as Released).released?.before;
      /** Half an hour before the next month begins, in Berlin. */
      const toMonthsEnd = () => {
        const [y, m] = berlinDate(env.clock.now()).split("-").map(Number);
        const next = y * 12 + m;
        const start = berlinInstant(`${Math.floor(next / 12)}-${String((next % 12) + 1).padStart(2, "0")}-01`, "00:00");
        env.clock.advance(start.getTime() - env.clock.now().getTime() - 30 * 60_000);
        return `${berlinDate(start).slice(0, 7)}`;
      };
      await rollupRebuild(env.platform).run(env.clock.now());
      const month = toMonthsEnd();
      const before = await releasedBefore();
      const ownBefore = async () => (JSON.parse((await (await signedIn(leader)).get("/lagebild/zahlen.json?jahr=2026")).body) as Released).released?.before;
      const own = await ownBefore();
      // A case opened at 23:30, whose event is not delivered yet when the month turns.
      await emit(east.id, caseOpened, opened(crypto.randomUUID()));
      env.clock.advance(60 * 60_000);
      await rollupRebuild(env.platform).run(env.clock.now());
      assert.equal(await releasedBefore(), before, "the release waits for it");
      assert.equal(await ownBefore(), own, "and so does a municipality's own");
      await env.platform.domainEvents.drain();
      await rollupRebuild(env.platform).run(env.clock.now());
      assert.equal(await releasedBefore(), month, "delivered, the month is released");
      assert.equal(await ownBefore(), month, "the municipality's own too");

      // An event that stays undelivered holds the release back for a day, no longer.
      const following = toMonthsEnd();
      const late = crypto.randomUUID();
      await emit(west.id, caseOpened, opened(late));
      env.clock.advance(60 * 60_000);
      await rollupRebuild(env.platform).run(env.clock.now());
      assert.equal(await releasedBefore(), month);
      env.clock.advance(24 * 3_600_000);
      await rollupRebuild(env.platform).run(env.clock.now());
      assert.equal(await releasedBefore(), following);
      // Delivered after the release of its month, the report is booked in the month under way: the month released stays as it was.
      await env.platform.domainEvents.drain();
      const [booked] = await withTenant(env.platform.db, west.id, (tx) =>
        rows<{ opened: string }>(tx, sql`select to_char(opened_month, 'YYYY-MM') as opened from statistics_records where case_id = ${late}`),
      );
      assert.equal(booked.opened, following);
    });

    test("a month that is over keeps what other sources added: a self-assessment taken again or attendance corrected later changes no month released", async () => {
      const monthNow = () => `${berlinDate(env.clock.now()).slice(0, 7)}-01`;
      const byMonth = async (dimension: string, code: string) =>
        new Map(
          (await rollups())
            .filter((r) => r.dimension === dimension && r.code === code)
            .reduce((m, r) => m.set(`${r.month}-01`, (m.get(`${r.month}-01`) ?? 0) + Number(r.count)), new Map<string, number>()),
        );
      const sums = async () =>
        new Map(
          (await rollups())
            .filter((r) => r.dimension === "strategy_score" && r.code === "alliance")
            .map((r) => [`${r.month}|${r.land}|${r.kind}`, Number(r.sum)]),
        );
      const assess = (score: number) =>
        emit(small.id, assessmentTaken, {
          assessmentId: crypto.randomUUID(),
          scores: { alliance: score, strategy: score, clearing: score, training: score, communication: score, participation: score },
        });
      const first = monthNow();
      const scoresBefore = await sums();
      await assess(30);
      await emit(east.id, assessmentTaken, {
        assessmentId: crypto.randomUUID(),
        scores: { alliance: 70, strategy: 70, clearing: 70, training: 70, communication: 70, participation: 70 },
      });
      await env.platform.domainEvents.drain();
      // The small municipality's self-assessment of November 2026 (50) stays in November; the new one counts in its month.
      const scoresAfter = await sums();
      for (const [key, sum] of scoresBefore) if (!key.startsWith(first.slice(0, 7))) assert.equal(scoresAfter.get(key), sum, key);
      assert.equal(
        [...scoresAfter].filter(([k]) => k.startsWith(first.slice(0, 7))).reduce((n, [, v]) => n + v, 0),
        30 + 70,
        "the small one's and the east's",
      );

      // A session of a month that is over, recorded now: counted now. Corrected in the next month: not taken.
      const sessionId = crypto.randomUUID();
      const session = (count: number) => ({
        sessionId,
        formatId: crypto.randomUUID(),
        month: "2026-10",
        topics: ["evidence" as const],
        audience: "leaders" as const,
        reach: [{ tenantId: west.id, role: "leader", count }],
      });
      const national = env.platform.nationalTenant.id;
      const leadersBefore = await byMonth("training_reach", "leader");
      await emit(national, attendanceRecorded, session(7));
      await env.platform.domainEvents.drain();
      const recorded = await byMonth("training_reach", "leader");
      assert.equal((recorded.get(first) ?? 0) - (leadersBefore.get(first) ?? 0), 7, "booked in the month it was recorded");
      assert.equal(recorded.get("2026-10-01"), leadersBefore.get("2026-10-01"), "not in October, which was released");
      env.clock.advance(32 * 86_400_000);
      // A municipality sees its latest self-assessment of the period's months released — not one of a later month.
      const ownOf = async (year: string) =>
        (
          JSON.parse((await (await signedIn(leader)).get(`/lagebild/zahlen.json?jahr=${year}`)).body) as {
            rows: { dimension: string; code: string; mean: number | null }[];
          }
        ).rows;
      const alliance = (list: { dimension: string; code: string; mean: number | null }[]) =>
        list.find((r) => r.dimension === "strategy_score" && r.code === "alliance")?.mean;
      assert.equal(first, "2027-04-01");
      assert.equal(alliance(await ownOf("2026")), 80, "2026 shows the one of November 2026");
      assert.equal(alliance(await ownOf("2027")), undefined, "April's waits for the end of its quarter, like the rest of it");
      await emit(national, attendanceRecorded, session(5));
      await env.platform.domainEvents.drain();
      assert.deepEqual(await byMonth("training_reach", "leader"), recorded, "a correction of a month released is not taken");
      // The west's own figures follow the correction: they are its own, shown as they are.
      const [own] = await withTenant(env.platform.db, west.id, (tx) =>
        rows<{ contributions: { count: number }[] }>(tx, sql`select contributions from statistics_sources where source = ${`reach:${sessionId}`}`),
      );
      assert.equal(own.contributions[0].count, 5);
    });
  });
}
