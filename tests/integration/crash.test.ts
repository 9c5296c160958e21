import assert from "node:assert/strict";
import type { ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { after, before, describe, test } from "node:test";
import pg from "pg";
import { startServerProcess } from "../../scripts/server-process.ts";
import { createKeyring } from "../../src/platform/crypto/keyring.ts";
import { openDatabase } from "../../src/platform/db/client.ts";
import { freshDatabase, type TestDatabase } from "../helpers/db.ts";

/*
 * Nothing acknowledged is lost: the server is killed with SIGKILL in the middle of a burst of
 * submissions on PostgreSQL; after a restart every report answered with 201 is there, complete,
 * and has its case: the event report.received, committed with the report, survives the kill.
 */

describe("crash safety on PostgreSQL", () => {
  let db: TestDatabase;
  let server: ChildProcess | undefined;
  const masterKey = randomBytes(32).toString("base64");
  const port = 21000 + Math.floor(Math.random() * 20000);
  const env = () => ({
    DATABASE_URL: db.url as string,
    KOMMA_MASTER_KEY: masterKey,
    KOMMA_SESSION_SECRET: randomBytes(32).toString("base64url"),
    LOG_LEVEL: "warn",
    REPORT_RATE_LIMIT: "100000",
  });

  const start = () => startServerProcess(env(), port, ["ignore", "pipe", "pipe"]);

  before(async () => {
    db = await freshDatabase("postgres");
    await db.database.close();
    const c = new pg.Client({ connectionString: db.url });
    await c.connect();
    await c.query("insert into tenants (slug, name, kind, ags, land) values ('crashstadt', 'Crashstadt', 'platform', '06999777', '06')");
    await c.end();
  });
  after(async () => {
    server?.kill("SIGKILL");
    await db.drop().catch(() => {});
  });

  test("every report acknowledged before SIGKILL is present and complete after restart", async () => {
    server = await start();
    const acknowledged: { caseNumber: string; marker: string }[] = [];
    let failures = 0;
    let sent = 0;
    const deadline = Date.now() + 20_000;
    let killed = false;
    const worker = async () => {
      while (Date.now() < deadline) {
        const marker = `Marker-${randomBytes(6).toString("hex")}`;
        sent++;
        try {
          const res = await fetch(`http://127.0.0.1:${port}/api/v1/tenants/crashstadt/reports`, {
            method: "POST",
            headers: { "content-type": "application/json" },
            body: JSON.stringify({ mode: "named", contactEmail: "crash@test.example", description: `Absturztest ${marker} mit genug Text.` }),
          });
          if (res.status === 201) acknowledged.push({ caseNumber: (await res.json()).data.caseNumber, marker });
          else failures++;
        } catch {
          failures++;
          if (killed) return;
        }
      }
    };
    const workers = Array.from({ length: 8 }, worker);
    while (acknowledged.length < 40 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    server.kill("SIGKILL");
    killed = true;
    await Promise.all(workers);
    assert.ok(acknowledged.length >= 40, `acknowledged ${acknowledged.length} of ${sent}`);
    assert.ok(failures > 0, "the kill interrupted requests in flight");

    const database = await openDatabase({ kind: "postgres", url: db.url as string });
    // Reports whose event the dead process had not delivered yet: committed, but no case.
    const { rows: undelivered } = await database.rawQuery("select count(*)::int as n from domain_events where settled_at is null");
    server = await start();
    const keyring = createKeyring(Buffer.from(masterKey, "base64"));
    const { rows } = await database.rawQuery(
      "select r.case_number, r.content, r.tenant_id, c.contact is not null as has_contact from reports r left join report_contacts c on c.tenant_id = r.tenant_id and c.report_id = r.id",
    );
    const byNumber = new Map(rows.map((r) => [String(r.case_number), r]));
    for (const a of acknowledged) {
      const row = byNumber.get(a.caseNumber);
      assert.ok(row, `${a.caseNumber} is stored`);
      assert.equal(row.has_contact, true, `${a.caseNumber} has its contact`);
      const { withTenant } = await import("../../src/platform/db/client.ts");
      const content = await withTenant(database.db, String(row.tenant_id), (tx) =>
        keyring.openText(tx, String(row.tenant_id), String(row.content), "reports.content"),
      );
      assert.ok(content.includes(a.marker), `${a.caseNumber} holds its own content`);
    }
    // The restarted process hands what the dead one left to the job queue: every acknowledged
    // report gets its case, and its office mail, exactly once.
    const numbers = acknowledged.map((a) => a.caseNumber);
    const opened = async () => Number((await database.rawQuery("select count(*)::int as n from cases where number = any($1::text[])", [numbers])).rows[0].n);
    const until = Date.now() + 30_000;
    while ((await opened()) < numbers.length && Date.now() < until) await new Promise((r) => setTimeout(r, 200));
    assert.equal(await opened(), numbers.length, `every acknowledged report has its case (${undelivered[0].n} events were undelivered at the kill)`);
    const { rows: perReport } = await database.rawQuery("select report_id, count(*)::int as n from case_reports group by report_id having count(*) > 1");
    assert.deepEqual(perReport, [], "no report opened two cases");
    await database.close();
    const after = await fetch(`http://127.0.0.1:${port}/api/v1/tenants/crashstadt/reports`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ mode: "anonymous", description: "Nach dem Neustart geht es weiter." }),
    });
    assert.equal(after.status, 201, "the restarted server takes reports again");
  });
});
