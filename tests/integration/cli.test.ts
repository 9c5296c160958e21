import assert from "node:assert/strict";
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { accessSync, constants, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { openDatabase } from "../../src/platform/db/client.ts";
import { bootedOnce, komma, kommaProcess } from "../helpers/cli.ts";
import { DB_KINDS, type DbKind, freshDatabase, pgliteTemplate, type TestDatabase } from "../helpers/db.ts";

const root = path.resolve(import.meta.dirname, "../..");
const cli = path.join(root, "src/cli.ts");

describe("command line: the installed command", () => {
  test("the bin entry in package.json is an executable file that prints the help", () => {
    const pkg = JSON.parse(readFileSync(path.join(root, "package.json"), "utf8")) as { bin: Record<string, string> };
    const bin = path.join(root, pkg.bin.komma);
    accessSync(bin, constants.X_OK);
    assert.match(readFileSync(bin, "utf8").split("\n")[0], /^#!\/usr\/bin\/env node$/);
    // Run the file itself, as a shell would, so the shebang line is exercised too.
    const r = spawnSync(bin, ["--help"], {
      cwd: root,
      env: { PATH: `${path.dirname(process.execPath)}:${process.env.PATH ?? ""}` },
      encoding: "utf8",
      timeout: 60_000,
    });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^Usage: komma /);
    assert.match(r.stdout, /serve/);
  });
});

describe("command line: configuration", () => {
  test("an invalid value stops the process with a message naming the variable", () => {
    const r = kommaProcess(["migrate"], { PORT: "nicht-eine-zahl", KOMMA_DATA_DIR: "/nonexistent" });
    assert.equal(r.code, 2);
    assert.match(r.err, /PORT/);
  });

  test("production refuses to start without the master key and session secret", () => {
    const r = kommaProcess(["migrate"], { NODE_ENV: "production", DATABASE_URL: "postgres://x@127.0.0.1:1/x" });
    assert.equal(r.code, 2);
    assert.match(r.err, /KOMMA_MASTER_KEY, KOMMA_SESSION_SECRET: required when NODE_ENV=production/);
  });
});

describe("command line: the embedded database is used by one process at a time", () => {
  let dir: string;
  let server: ChildProcess | undefined;
  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), "komma-lock-"));
    // Migrated already, so that the server is up in seconds.
    await (await openDatabase({ kind: "pglite", dataDir: dir, loadDataDir: await pgliteTemplate() })).close();
  });
  after(() => {
    server?.kill("SIGKILL");
    rmSync(dir, { recursive: true, force: true });
  });

  test("a second process on the same data directory exits with a clear message", async () => {
    const port = 20000 + Math.floor(Math.random() * 20000);
    server = spawn(process.execPath, [cli, "serve"], {
      cwd: root,
      env: { PATH: process.env.PATH ?? "", KOMMA_DATA_DIR: dir, PORT: String(port), HOST: "127.0.0.1", LOG_LEVEL: "info" },
    });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error("server did not start")), 60_000);
      server?.stdout?.on("data", (d: Buffer) => {
        if (d.toString().includes("Server listening")) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
    // This test's process is the second one.
    const r = await komma(["migrate"], { KOMMA_DATA_DIR: dir });
    assert.equal(r.code, 3);
    assert.match(r.err, /in use by another KommA process/);
    const ready = await fetch(`http://127.0.0.1:${port}/health/ready`);
    assert.equal(ready.status, 200, "the running server is unaffected");
  });

  test("a start right after the holder was killed takes the lock at once", async () => {
    assert.ok(server, "the server of the test before holds the lock");
    const gone = new Promise((resolve) => server?.once("exit", resolve));
    server.kill("SIGKILL");
    await gone;
    // Its lock was renewed seconds ago and would hold a minute; its process is gone, so it is taken over.
    const r = await komma(["migrate"], { KOMMA_DATA_DIR: dir });
    assert.equal(r.code, 0, r.err);
  });
});

for (const kind of DB_KINDS) {
  describe(`command line on ${kind}: seed, audit verify, backup and restore`, () => {
    const masterKey = randomBytes(32).toString("base64");
    const sessionSecret = randomBytes(32).toString("base64url");
    const made: { db?: TestDatabase; dir?: string }[] = [];
    /** A new installation: empty, or (cheaper) migrated already. */
    async function target(k: DbKind, opts: { migrated: boolean }): Promise<Record<string, string>> {
      const base = { KOMMA_MASTER_KEY: masterKey, KOMMA_SESSION_SECRET: sessionSecret };
      if (k === "postgres") {
        const db = await freshDatabase("postgres");
        await db.database.close();
        made.push({ db });
        return { ...base, DATABASE_URL: db.url as string };
      }
      const dir = mkdtempSync(path.join(tmpdir(), "komma-cli-"));
      made.push({ dir });
      if (opts.migrated) await (await openDatabase({ kind: "pglite", dataDir: dir, loadDataDir: await pgliteTemplate() })).close();
      return { ...base, KOMMA_DATA_DIR: dir };
    }
    let source: Record<string, string>;
    // The commands against the source installation share one platform, as a running installation would.
    const installation = bootedOnce();
    const archive = path.join(tmpdir(), `komma-backup-${randomBytes(4).toString("hex")}.bin`);
    before(async () => {
      source = await target(kind, { migrated: true });
    });
    after(async () => {
      await installation.close();
      rmSync(archive, { force: true });
      for (const m of made) {
        if (m.dir) rmSync(m.dir, { recursive: true, force: true });
        if (m.db) {
          const { default: pg } = await import("pg");
          const url = new URL(m.db.url as string);
          const name = url.pathname.slice(1);
          url.pathname = "/test";
          const c = new pg.Client({ connectionString: url.toString() });
          await c.connect();
          await c.query(`drop database if exists "${name}" with (force)`);
          await c.end();
        }
      }
    });

    test("seed --demo creates the demo municipalities and accounts once", async () => {
      const first = await komma(["seed", "--demo"], source, installation);
      assert.equal(first.code, 0, first.err);
      assert.match(first.out, /Demo data created/);
      assert.match(first.out, /clearing@demo\.example/);
      const second = await komma(["seed", "--demo"], source, installation);
      assert.match(second.out, /Demo data exists already/);
      // The demo's people trained reach the national figures as a training's do: each named with
      // the municipality they come from, so that its share of a national figure is protected.
      const { database } = await installation.platform();
      const { rows: reach } = await database.rawQuery(
        `select (select coalesce(sum(count), 0) from statistics_rollups where dimension = 'training_reach')::int as national,
                (select coalesce(sum((c->>'count')::int), 0) from statistics_sources s, jsonb_array_elements(s.contributions) c
                  where s.source like 'session:%' and c->>'dimension' = 'training_reach' and c->>'tenantId' is not null)::int as named`,
      );
      const { national, named } = reach[0] as { national: number; named: number };
      assert.ok(national > 0);
      assert.equal(named, national);
      // What the reporting form and the footer link to is filled in: no "not entered yet" in the demo.
      const { rows: texts } = await database.rawQuery(
        "select slug, imprint, privacy_notice, contact_phone from tenants where slug in ('bund', 'musterstadt') order by slug",
      );
      const [bund, musterstadt] = texts as { imprint: string | null; privacy_notice: string | null; contact_phone: string | null }[];
      assert.match(bund.imprint ?? "", /Demo-Installation von KommA/);
      assert.match(musterstadt.privacy_notice ?? "", /Datenschutzhinweise für die Meldestelle/);
      assert.ok(musterstadt.contact_phone, "the clearing office can be called");
      // The demo's cases tell a week of work: they arrived on different days, and the office answered in hours, not in the seeding's minute.
      const { rows: history } = await database.rawQuery(
        `select count(distinct (c.opened_at at time zone 'Europe/Berlin')::date)::int as days,
                min(extract(epoch from c.first_response_at - c.opened_at))::int as quickest
           from cases c join tenants t on t.id = c.tenant_id where t.slug = 'musterstadt'`,
      );
      const { days, quickest } = history[0] as { days: number; quickest: number };
      assert.ok(days >= 4, `arrived on ${days} days`);
      assert.ok(quickest >= 600, `the quickest first response took ${quickest} s`);
    });

    test("tenant create and user invite work from the command line, with clear errors", async () => {
      const bad = await komma(["tenant", "create", "--name", "Skizzenau", "--slug", "skizzenau", "--ags", "12345678", "--land", "06"], source, installation);
      assert.equal(bad.code, 2);
      assert.match(bad.err, /--ags: The first two digits of the AGS do not match the chosen Land/);
      const ok = await komma(
        ["tenant", "create", "--name", "Skizzenau", "--slug", "skizzenau", "--ags", "06999001", "--land", "06", "--kind", "model"],
        source,
        installation,
      );
      assert.equal(ok.code, 0, ok.err);
      assert.match(ok.out, /Created Skizzenau \(skizzenau\)/);
      const invite = await komma(
        [
          "user",
          "invite",
          "--tenant",
          "skizzenau",
          "--email",
          "neu@skizzenau.example",
          "--name",
          "Lou Skizze",
          "--role",
          "municipal_admin",
          "clearing_officer",
        ],
        source,
        installation,
      );
      assert.equal(invite.code, 0, invite.err);
      assert.match(invite.out, /Invitation to Skizzenau sent to neu@skizzenau\.example; the link is valid until/);
      const unknownRole = await komma(
        ["user", "invite", "--tenant", "skizzenau", "--email", "x@skizzenau.example", "--name", "X Y", "--role", "kaiser"],
        source,
        installation,
      );
      assert.equal(unknownRole.code, 2);
    });

    test("audit verify passes on an untouched log", async () => {
      const r = await komma(["audit", "verify"], source, installation);
      assert.equal(r.code, 0, r.err);
      // The demo's reports and cases are in Musterstadt's log too.
      assert.match(r.out, /ok {6}musterstadt: \d+ entries/);
      assert.doesNotMatch(r.out, /BROKEN/);
    });

    test("audit anchor prints each chain's head, and verify --anchor checks against it", async () => {
      const anchor = await komma(["audit", "anchor"], source, installation);
      assert.equal(anchor.code, 0, anchor.err);
      const parsed = JSON.parse(anchor.out) as { heads: { slug: string; seq: number; hash: string }[] };
      assert.ok(parsed.heads.some((h) => h.slug === "musterstadt" && h.seq >= 1 && /^[0-9a-f]{64}$/.test(h.hash)));
      const file = path.join(tmpdir(), `komma-anchor-${randomBytes(4).toString("hex")}.json`);
      writeFileSync(file, anchor.out);
      try {
        const ok = await komma(["audit", "verify", "--anchor", file], source, installation);
        assert.equal(ok.code, 0, ok.out + ok.err);
        assert.match(ok.out, /ok {6}musterstadt: \d+ entries, anchored at \d+/);
        writeFileSync(file, "kein Anker");
        const bad = await komma(["audit", "verify", "--anchor", file], source, installation);
        assert.equal(bad.code, 2);
        assert.match(bad.err, /is not an anchor/);
      } finally {
        rmSync(file, { force: true });
      }
      const mail = await komma(["audit", "anchor", "--mail"], source, installation);
      assert.equal(mail.code, 2);
      assert.match(mail.err, /set AUDIT_ANCHOR_EMAIL/);
    });

    test("backup writes an encrypted archive that restores into an empty installation", async () => {
      const b = await komma(["backup", archive], source, installation);
      assert.equal(b.code, 0, b.err);
      const bytes = readFileSync(archive);
      assert.equal(bytes.subarray(0, 8).toString("latin1"), "KOMMABK1");
      assert.equal(bytes.includes("Musterstadt"), false, "no plain text inside the archive");
    });

    test("restore needs confirmation, then reproduces the data; audit verify passes afterwards", async () => {
      // Each command boots on its own here: a restore replaces what a booted platform holds (the national tenant, keys).
      const dest = await target(kind, { migrated: false });
      assert.equal((await komma(["migrate"], dest)).code, 0);
      const refused = await komma(["restore", archive], dest);
      assert.notEqual(refused.code, 0, "without --yes nothing happens");
      const r = await komma(["restore", archive, "--yes"], dest);
      assert.equal(r.code, 0, r.err);
      assert.match(r.out, /Restored \d+ rows/);
      const v = await komma(["audit", "verify"], dest);
      assert.equal(v.code, 0, v.out + v.err);
      assert.match(v.out, /ok {6}musterstadt: \d+ entries/);
      const code = await komma(["demo", "code", "clearing@demo.example"], dest);
      assert.match(code.out.trim(), /^\d{6}$/);
    });

    test("audit verify exits 1 and names the entry when the log was tampered with", async () => {
      const database = (await installation.platform()).database;
      await database.rawExec("alter table audit_log disable trigger audit_log_append_only");
      await database.rawQuery("update audit_log set action = 'tenant.deleted' where tenant_id = (select id from tenants where slug = 'musterstadt')");
      await database.rawExec("alter table audit_log enable trigger audit_log_append_only");
      // A real process, as a scheduled check would run it: the installation is closed for it.
      await installation.close();
      const r = kommaProcess(["audit", "verify", "--tenant", "musterstadt"], source);
      assert.equal(r.code, 1);
      assert.match(r.out, /BROKEN {2}musterstadt:\n {8}entry 1: content was changed/);
    });

    test("a wrong master key cannot read the archive", async () => {
      const dest = await target(kind, { migrated: true });
      const r = await komma(["restore", archive, "--yes"], { ...dest, KOMMA_MASTER_KEY: randomBytes(32).toString("base64") });
      assert.notEqual(r.code, 0);
      assert.match(r.err, /cannot be decrypted/);
    });
  });
}
