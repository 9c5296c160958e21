import { readFileSync, writeFileSync } from "node:fs";
import { Command, InvalidArgumentError } from "commander";
import { eq } from "drizzle-orm";
import { buildApp } from "./app.ts";
import { type Config, ConfigError, loadConfig } from "./config.ts";
import { createTenant, invitationInput, invitePerson, tenantInput } from "./modules/admin/index.ts";
import { allSealedColumns, modules } from "./modules/index.ts";
import { type AuditAnchor, auditHead, verifyAudit } from "./platform/audit/audit.ts";
import { type Actor, ROLES } from "./platform/authz/policy.ts";
import { bootPlatform, startBackgroundWork, stopBackgroundWork } from "./platform/boot.ts";
import { resealAll, rotateKeys } from "./platform/crypto/rotate.ts";
import { createBackup, restoreBackup } from "./platform/db/backup.ts";
import { DatabaseLockedError, inTransaction, withTenant } from "./platform/db/client.ts";
import { tenants } from "./platform/db/schema.ts";
import { DEMO_ACCOUNTS, DEMO_PASSWORD, demoTotpCode, seedDemo } from "./platform/demo.ts";
import { fieldErrors } from "./platform/http/errors.ts";
import { translator } from "./platform/i18n/i18n.ts";
import type { Platform } from "./platform/platform.ts";

/*
 * The `komma` command. Every subcommand reads the same configuration as the server.
 * Administrative subcommands act as the system (no signed-in person) and say so in the audit log.
 */

function config(): Config {
  try {
    return loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(2);
    }
    throw err;
  }
}

async function withPlatform<T>(fn: (platform: Platform) => Promise<T>, opts: { jobs?: boolean } = {}): Promise<T> {
  let platform: Platform;
  try {
    platform = await bootPlatform(config(), { modules });
  } catch (err) {
    if (err instanceof DatabaseLockedError) {
      console.error(err.message);
      process.exit(3);
    }
    throw err;
  }
  try {
    if (opts.jobs) await platform.jobs.start({ work: false });
    return await fn(platform);
  } finally {
    if (opts.jobs) await platform.jobs.stop();
    await platform.database.close();
  }
}

/** The system acts with national-admin rights for CLI commands. */
function systemActor(platform: Platform): Actor {
  return {
    userId: "00000000-0000-0000-0000-000000000000",
    memberships: [{ tenantId: platform.nationalTenant.id, role: "national_admin" }],
    nationalTenantId: platform.nationalTenant.id,
  };
}

function printDemoAccounts(publicUrl: string) {
  console.log(`\nKommA demo is running at ${publicUrl}\n`);
  console.log(`Demo sign-ins (password for all: ${DEMO_PASSWORD}):`);
  for (const a of DEMO_ACCOUNTS) {
    const second = ["national_admin", "municipal_admin", "clearing_officer"].some((r) => a.roles.includes(r as never));
    console.log(
      `  ${a.email.padEnd(28)} ${a.roles.join(", ").padEnd(18)} ${a.tenant}${second ? `  (second factor: npm run komma -- demo code ${a.email})` : ""}`,
    );
  }
  console.log("");
}

async function serve(opts: { demo?: boolean }) {
  const cfg = config();
  let platform: Platform;
  try {
    platform = await bootPlatform(cfg, { modules });
  } catch (err) {
    if (err instanceof DatabaseLockedError) {
      console.error(err.message);
      process.exit(3);
    }
    throw err;
  }
  if (opts.demo && (await seedDemo(platform))) console.log("Demo data created.");
  let shuttingDown = false;
  const app = await buildApp(platform, { isShuttingDown: () => shuttingDown });
  await startBackgroundWork(platform);
  await app.listen({ port: cfg.port, host: cfg.host });
  if (opts.demo) printDemoAccounts(cfg.publicUrl);
  const shutdown = async (signal: string) => {
    if (shuttingDown) return;
    shuttingDown = true;
    app.log.info({ signal }, "shutting down");
    // Stop taking requests, let those in flight finish, then stop jobs and the database.
    const force = setTimeout(() => process.exit(1), 20_000);
    force.unref();
    await app.close();
    await stopBackgroundWork(platform);
    await platform.database.close();
    process.exit(0);
  };
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
  process.on("SIGINT", () => void shutdown("SIGINT"));
}

const program = new Command().name("komma").description("KommA – Kommunale Allianzen und Strategien gegen Rassismus und Hass");

program.command("serve").description("start the web server").option("--demo", "create demo data on first start").action(serve);

program
  .command("migrate")
  .description("apply database migrations")
  .action(() => withPlatform(async () => console.log("Database is up to date.")));

program
  .command("seed")
  .description("create demo data")
  .requiredOption("--demo", "fictional municipalities and one account per role")
  .action(() =>
    withPlatform(async (platform) => {
      const created = await seedDemo(platform);
      console.log(created ? "Demo data created." : "Demo data exists already.");
      printDemoAccounts(platform.config.publicUrl);
    }),
  );

const tenant = program.command("tenant").description("municipalities");
tenant
  .command("create")
  .description("create a municipality")
  .requiredOption("--name <name>")
  .requiredOption("--slug <slug>")
  .requiredOption("--ags <ags>", "Amtlicher Gemeindeschlüssel, 8 digits")
  .requiredOption("--land <code>", "two-digit Land code, e.g. 06 for Hessen")
  .option("--kind <kind>", "model or platform", "platform")
  .action((o) =>
    withPlatform(async (platform) => {
      const t = translator("en");
      const parsed = tenantInput.safeParse(o);
      if (!parsed.success) {
        for (const [k, v] of Object.entries(fieldErrors(parsed.error, t))) console.error(`--${k}: ${v}`);
        process.exitCode = 2;
        return;
      }
      const result = await createTenant(platform, systemActor(platform), parsed.data, t);
      if (!result.ok) {
        for (const [k, v] of Object.entries(result.errors)) console.error(`--${k}: ${v}`);
        process.exitCode = 2;
        return;
      }
      console.log(`Created ${result.value.name} (${result.value.slug}).`);
    }),
  );

const user = program.command("user").description("people");
user
  .command("invite")
  .description("invite a person into a municipality; the link goes out by mail (or the outbox)")
  .requiredOption("--tenant <slug>")
  .requiredOption("--email <email>")
  .requiredOption("--name <name>")
  .requiredOption("--role <role...>", `one or more of: ${ROLES.join(", ")}`)
  .action((o) =>
    withPlatform(
      async (platform) => {
        const t = translator("de");
        const [row] = await platform.db.select().from(tenants).where(eq(tenants.slug, o.tenant));
        if (!row) {
          console.error(`--tenant: no municipality with slug ${o.tenant}`);
          process.exitCode = 2;
          return;
        }
        const parsed = invitationInput.safeParse({ email: o.email, displayName: o.name, roles: o.role });
        if (!parsed.success) {
          for (const [k, v] of Object.entries(fieldErrors(parsed.error, translator("en")))) console.error(`${k}: ${v}`);
          process.exitCode = 2;
          return;
        }
        const result = await invitePerson(platform, systemActor(platform), row, parsed.data as never, t);
        if (!result.ok) {
          for (const [k, v] of Object.entries(result.errors)) console.error(`${k}: ${v}`);
          process.exitCode = 2;
          return;
        }
        console.log(`Invitation to ${row.name} sent to ${o.email}; the link is valid until ${result.value.expiresAt.toISOString()}.`);
      },
      { jobs: true },
    ),
  );

const audit = program.command("audit").description("audit log");

audit
  .command("verify")
  .description("check every tenant's hash chain; exits 1 if anything was changed, inserted or removed")
  .option("--tenant <slug>", "only this municipality")
  .option("--anchor <file>", "an anchor from `audit anchor`: also proves that nothing up to it was removed or rewritten")
  .action((o: { tenant?: string; anchor?: string }) =>
    withPlatform(async (platform) => {
      const anchors = o.anchor ? readAnchorFile(o.anchor) : null;
      if (anchors === undefined) return;
      const list = await platform.db
        .select()
        .from(tenants)
        .where(o.tenant ? eq(tenants.slug, o.tenant) : undefined);
      let broken = 0;
      for (const t of list) {
        const anchor = anchors?.find((a) => a.tenantId === t.id);
        const result = await withTenant(platform.db, t.id, (tx) => verifyAudit(tx, t.id, anchor));
        if (result.ok) console.log(`ok      ${t.slug}: ${result.entries} entries${anchor ? `, anchored at ${anchor.seq}` : ""}`);
        else {
          broken++;
          console.log(`BROKEN  ${t.slug}:`);
          for (const p of result.problems) console.log(`        ${p}`);
        }
      }
      for (const a of anchors ?? []) {
        if (!list.some((t) => t.id === a.tenantId) && !o.tenant) {
          broken++;
          console.log(`BROKEN  tenant ${a.tenantId} of the anchor no longer exists`);
        }
      }
      if (broken > 0) process.exitCode = 1;
    }),
  );

audit
  .command("anchor")
  .description("print the head of every tenant's chain, to keep outside the database (and mail it with --mail)")
  .option("--mail", "also mail it to AUDIT_ANCHOR_EMAIL")
  .action((o: { mail?: boolean }) =>
    withPlatform(
      async (platform) => {
        const list = await platform.db.select().from(tenants);
        const heads: (AuditAnchor & { slug: string })[] = [];
        for (const t of list) {
          const head = await withTenant(platform.db, t.id, (tx) => auditHead(tx, t.id));
          if (head) heads.push({ slug: t.slug, ...head });
        }
        const text = `${JSON.stringify({ takenAt: platform.clock.now().toISOString(), heads }, null, 2)}\n`;
        process.stdout.write(text);
        if (o.mail) {
          const to = platform.config.auditAnchorEmail;
          if (!to) {
            console.error("--mail: set AUDIT_ANCHOR_EMAIL to the address that keeps the anchors");
            process.exitCode = 2;
            return;
          }
          const id = await inTransaction(platform.db, {}, (tx) => platform.mailer.enqueue(tx, { to, subject: "KommA audit anchor", text }));
          await platform.mailer.dispatch([id]);
          console.error(`Anchor mailed to ${to}.`);
        }
      },
      { jobs: true },
    ),
  );

/** The anchors of a file written by `audit anchor`; undefined (after saying why) when it cannot be read. */
function readAnchorFile(file: string): AuditAnchor[] | undefined {
  try {
    const parsed = JSON.parse(readFileSync(file, "utf8")) as { heads?: AuditAnchor[] };
    if (!Array.isArray(parsed.heads)) throw new Error("no heads");
    return parsed.heads.map((h) => ({ tenantId: String(h.tenantId), seq: Number(h.seq), hash: String(h.hash) }));
  } catch {
    console.error(`--anchor: ${file} is not an anchor written by \`komma audit anchor\``);
    process.exitCode = 2;
    return undefined;
  }
}

program
  .command("keys")
  .description("encryption keys")
  .command("rotate")
  .description("new data key per tenant, re-wrap under the current master key, re-seal every stored value")
  .option("--resume", "only re-seal what an interrupted rotation left under an older key")
  .action((o: { resume?: boolean }) =>
    withPlatform(async (platform) => {
      if (o.resume) {
        const r = await resealAll(platform, allSealedColumns());
        console.log(`${r.resealed} values re-sealed.`);
        return;
      }
      const r = await rotateKeys(platform, allSealedColumns());
      console.log(`Rotated ${r.tenants} tenants: ${r.rewrapped} keys re-wrapped, ${r.resealed} values re-sealed.`);
    }),
  );

const eventsCommand = program.command("events").description("domain events between modules");
eventsCommand
  .command("failed")
  .description("list deliveries of events that failed or are being retried (event, handler, attempts, error)")
  .action(() =>
    withPlatform(async (platform) => {
      const failed = await platform.domainEvents.failed();
      if (failed.length === 0) console.log("No failed deliveries.");
      for (const f of failed)
        console.log(
          `${f.updatedAt.toISOString()}  ${f.status.padEnd(8)}  ${f.event}  →  ${f.handler}  (${f.attempts} attempts)  ${f.eventId}  ${f.lastError ?? ""}`,
        );
    }),
  );
eventsCommand
  .command("retry")
  .description("give failed deliveries another round of attempts, after their cause was fixed; a running server delivers them within seconds")
  .action(() =>
    withPlatform(async (platform) => {
      const n = await platform.domainEvents.retryFailed();
      console.log(`${n} deliveries will be tried again.`);
    }),
  );

program
  .command("backup")
  .description("write an encrypted backup archive of the whole database")
  .argument("<file>")
  .action((file: string) =>
    withPlatform(async (platform) => {
      const archive = await createBackup(platform.database, platform.config.masterKey);
      writeFileSync(file, archive, { mode: 0o600 });
      console.log(`Backup written to ${file} (${archive.length} bytes).`);
    }),
  );

program
  .command("restore")
  .description("replace all data by a backup archive (needs the same master key)")
  .argument("<file>")
  .requiredOption("--yes", "confirm that all current data is replaced")
  .action((file: string) =>
    withPlatform(async (platform) => {
      const counts = await restoreBackup(platform.database, platform.config.masterKey, readFileSync(file));
      console.log(`Restored ${Object.values(counts).reduce((a, b) => a + b, 0)} rows.`);
    }),
  );

program
  .command("demo")
  .description("helpers for the demo")
  .command("code")
  .description("print the current second-factor code of a demo account")
  .argument("<email>", "a demo account", (v) => {
    if (!demoTotpCode(v, new Date())) throw new InvalidArgumentError("not a demo account with a second factor");
    return v;
  })
  .action((email: string) => console.log(demoTotpCode(email, new Date())));

await program.parseAsync(process.argv);
