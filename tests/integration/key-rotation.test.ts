import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import sharp from "sharp";
import { allSealedColumns } from "../../src/modules/index.ts";
import { createReport } from "../../src/modules/reports/commands.ts";
import { createDraft } from "../../src/modules/reports/drafts.ts";
import { addFileEvidence } from "../../src/modules/reports/evidence-commands.ts";
import { addMessage, openMailbox } from "../../src/modules/reports/mailbox.ts";
import { readReport } from "../../src/modules/reports/office-commands.ts";
import { resealAll, rotateKeys } from "../../src/platform/crypto/rotate.ts";
import { withTenant } from "../../src/platform/db/client.ts";
import { Agent, createTenantFixture, createTestEnv, createUserFixture, type TenantFixture, type TestEnv } from "../helpers/app.ts";
import { DB_KINDS } from "../helpers/db.ts";
import { spooled } from "../helpers/files.ts";

/** Every sealed value in every text column of the application's tables, with the key it names. */
async function sealedValues(env: TestEnv): Promise<{ where: string; keyId: string }[]> {
  const { rows: columns } = await env.platform.database.rawQuery(
    "select table_name, column_name from information_schema.columns where table_schema = 'public' and data_type = 'text'",
  );
  const found: { where: string; keyId: string }[] = [];
  for (const c of columns) {
    const { rows } = await env.platform.database.rawQuery(
      `select split_part("${c.column_name}", '.', 2) as key_id from "${c.table_name}" where "${c.column_name}" like 'k1.%'`,
    );
    for (const r of rows) found.push({ where: `${c.table_name}.${c.column_name}`, keyId: String(r.key_id) });
  }
  return found;
}

for (const kind of DB_KINDS) {
  describe(`key rotation (${kind})`, () => {
    let env: TestEnv;
    let tenant: TenantFixture;
    const cases: string[] = [];
    let receipt = "";
    before(async () => {
      env = await createTestEnv(kind);
      tenant = await createTenantFixture(env, { name: "Rotationsdorf" });
      const info = { id: tenant.id, slug: tenant.slug, name: tenant.name, kind: tenant.kind };
      await createUserFixture(env, [{ tenantId: tenant.id, role: "clearing_officer" }], { totp: true });
      const named = await createReport(env.platform, info, {
        answers: { mode: "named", contactName: "Erika Fiktiv", contactEmail: "erika@test.example", description: "Drohbrief im Briefkasten des Rathauses." },
        lang: "de",
        channel: "web",
      });
      const anonymous = await createReport(env.platform, info, {
        answers: {
          mode: "anonymous",
          description: "Beleidigung im Ratssaal, anonym gemeldet.",
          urls: [{ url: "https://social.example/p/1", kind: "content" }],
        },
        lang: "de",
        channel: "web",
      });
      cases.push(named.caseNumber, anonymous.caseNumber);
      receipt = anonymous.receiptCode as string;
      const png = await sharp({ create: { width: 20, height: 20, channels: 3, background: "#06c" } })
        .png()
        .toBuffer();
      const added = await addFileEvidence(env.platform, info, { reportId: anonymous.id }, spooled("foto.png", png));
      assert.ok(added.ok);
      await addMessage(env.platform, info, anonymous.id, { kind: "reporter" }, "Gibt es schon etwas Neues?");
      await createDraft(env.platform, info, "de");
      const agent = new Agent(env.app);
      await agent.get("/barrierefreiheit");
      const feedback = await agent.post("/barrierefreiheit", { message: "Der Kontrast im Kopf ist zu schwach.", contact: "leser@test.example" });
      assert.equal(feedback.statusCode, 200);
    });
    after(() => env.close());

    test("after rotation no value of any table is sealed under an old key, and every report reads as before", async () => {
      const before = await sealedValues(env);
      const tables = new Set(before.map((v) => v.where));
      for (const expected of [
        "reports.content",
        "report_contacts.contact",
        "report_drafts.data",
        "evidence.meta",
        "evidence_blobs.data",
        "report_messages.body",
        "accessibility_feedback.message",
        "accessibility_feedback.contact",
        "users.totp_secret",
      ]) {
        assert.ok(tables.has(expected), `the fixture has sealed values in ${expected}`);
      }
      const oldKeys = new Set(before.map((v) => v.keyId));

      const report = await rotateKeys(env.platform, allSealedColumns());
      assert.equal(report.resealed, before.length);

      const after = await sealedValues(env);
      assert.equal(after.length, before.length);
      const stale = after.filter((v) => oldKeys.has(v.keyId));
      assert.deepEqual(stale, [], "no value under an old key");

      env.platform.keyring.forget();
      const officer = await createUserFixture(env, [{ tenantId: tenant.id, role: "clearing_officer" }], { totp: true });
      const actor = {
        userId: officer.id,
        memberships: [{ tenantId: tenant.id, role: "clearing_officer" as const }],
        nationalTenantId: env.platform.nationalTenant.id,
      };
      const info = { id: tenant.id, slug: tenant.slug, name: tenant.name, kind: tenant.kind };
      const named = await readReport(env.platform, actor, info, cases[0]);
      assert.match(JSON.stringify(named), /Drohbrief im Briefkasten/);
      assert.match(JSON.stringify(named), /erika@test\.example/);
      const anonymous = await readReport(env.platform, actor, info, cases[1]);
      assert.match(JSON.stringify(anonymous), /Beleidigung im Ratssaal/);
      // The file's sealed details read as before (an anonymous report's file goes by the case and its place).
      assert.ok(JSON.stringify(anonymous).includes(`"name":"${cases[1]}-2.png"`));
      const mailbox = await openMailbox(env.platform, info, receipt);
      assert.equal(mailbox?.messages[0].body, "Gibt es schon etwas Neues?");
    });

    test("an interrupted re-sealing is finished by running it again", async () => {
      // Rotate only the keys, as if the process had died before re-sealing anything.
      for (const t of [tenant.id, env.platform.nationalTenant.id]) {
        await withTenant(env.platform.db, t, (tx) => env.platform.keyring.rotateTenantKey(tx, t));
      }
      const pending = (await sealedValues(env)).length;
      const first = await resealAll(env.platform, allSealedColumns(), { batchSize: 1 });
      assert.equal(first.resealed, pending, "every value re-sealed, one per transaction");
      const again = await resealAll(env.platform, allSealedColumns());
      assert.equal(again.resealed, 0, "nothing is left for a second run");
    });
  });
}
