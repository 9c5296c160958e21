import { readFileSync, writeFileSync } from "node:fs";
import { Command, CommanderError, InvalidArgumentError } from "commander";
import { eq } from "drizzle-orm";
import { type Config, ConfigError, loadConfig } from "../config.ts";
import { createTenant, invitationInput, invitePerson, tenantInput } from "../modules/admin/index.ts";
import { allSealedColumns, modules } from "../modules/index.ts";
import { type AuditAnchor, auditHead, parseAnchors, verifyAudit } from "../platform/audit/audit.ts";
import { ROLES, systemActor } from "../platform/authz/policy.ts";
import { bootPlatform } from "../platform/boot.ts";
import { resealAll, rotateKeys } from "../platform/crypto/rotate.ts";
import { createBackup, restoreBackup } from "../platform/db/backup.ts";
import { DatabaseLockedError, inTransaction, withTenant } from "../platform/db/client.ts";
import { tenants } from "../platform/db/schema.ts";
import { demoSignInLines, demoTotpCode, seedDemo } from "../platform/demo.ts";
import { fieldErrors } from "../platform/http/errors.ts";
import { translator } from "../platform/i18n/i18n.ts";
import type { Platform } from "../platform/platform.ts";
import { runServer } from "./serve.ts";

/*
 * The `komma` command. Every subcommand reads the same configuration as the server.
 * Administrative subcommands act as the system (no signed-in person) and say so in the audit log.
 *
 * The program touches no process state: it reads the environment, writes and ends through `CliIo`,
 * and `runCli` answers with the exit code. `src/cli.ts` wires it to the real process; tests run
 * commands in-process, several against one booted platform where that is what they mean.
 */

/** What a run of the command line reads from and writes to. */
export interface CliIo {
  /** The environment the configuration is read from. */
  env: Record<string, string | undefined>;
  /** Standard output and error; text arrives with its line ends. */
  out(text: string): void;
  err(text: string): void;
  /** Ends the process: only `serve` calls it, on a signal. Other commands return their code from `runCli`. */
  exit(code: number): void;
  /** How a command gets its platform; by default booted for the command and closed after it. */
  platforms?: PlatformProvider;
}

/** Hands a command its platform and takes it back when the command is done. */
export interface PlatformProvider {
  open(config: Config): Promise<Platform>;
  release(platform: Platform): Promise<void>;
}

const bootPerCommand: PlatformProvider = {
  open: (config) => bootPlatform(config, { modules }),
  release: (platform) => platform.database.close(),
};

/** Ends a command with an exit code, after it said why. */
class CliExit extends Error {
  code: number;
  constructor(code: number) {
    super(`exit ${code}`);
    this.code = code;
  }
}

/**
 * Runs one command line (`argv` without node and script, e.g. `["audit", "verify"]`) and answers
 * with its exit code: 0 done, 1 a failure (or a broken audit chain), 2 invalid input or
 * configuration, 3 the embedded database is in use. `serve` answers once it listens.
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const run = { exitCode: 0 };
  try {
    await buildProgram(io, run).parseAsync([...argv], { from: "user" });
    return run.exitCode;
  } catch (err) {
    if (err instanceof CliExit) return err.code;
    // Commander has written its message (unknown option, missing --yes, help) already.
    if (err instanceof CommanderError) return err.exitCode;
    io.err(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    return 1;
  }
}

/** The `komma` program, writing through `io`; commands that fail softly set `run.exitCode`. */
export function buildProgram(io: CliIo, run: { exitCode: number } = { exitCode: 0 }): Command {
  const say = (text: string) => io.out(`${text}\n`);
  const complain = (text: string) => io.err(`${text}\n`);
  const platforms = io.platforms ?? bootPerCommand;

  function config(): Config {
    try {
      return loadConfig(io.env, (m) => complain(`WARN ${m}`));
    } catch (err) {
      if (err instanceof ConfigError) {
        complain(err.message);
        throw new CliExit(2);
      }
      throw err;
    }
  }

  async function openPlatform(cfg: Config, provider: PlatformProvider): Promise<Platform> {
    try {
      return await provider.open(cfg);
    } catch (err) {
      if (err instanceof DatabaseLockedError) {
        complain(err.message);
        throw new CliExit(3);
      }
      throw err;
    }
  }

  /** Runs `fn` on a platform; `jobs` for commands that may send mail. */
  async function withPlatform<T>(fn: (platform: Platform) => Promise<T>, opts: { jobs?: boolean } = {}): Promise<T> {
    const platform = await openPlatform(config(), platforms);
    // Commands need the job queue only to hand mail to SMTP delivery; without SMTP the mail stays
    // in the outbox (mailer.dispatch does nothing) and pg-boss need not start.
    const jobs = opts.jobs === true && platform.mailer.delivers;
    try {
      if (jobs) await platform.jobs.start({ work: false });
      return await fn(platform);
    } finally {
      if (jobs) await platform.jobs.stop();
      await platforms.release(platform);
    }
  }

  function printDemoAccounts(publicUrl: string) {
    for (const line of demoSignInLines(publicUrl)) say(line);
  }

  async function serve(opts: { demo?: boolean }) {
    const cfg = config();
    // The server keeps its platform until it stops, whatever tests would share.
    const platform = await openPlatform(cfg, bootPerCommand);
    const seeded = opts.demo === true && (await seedDemo(platform, modules));
    if (seeded) say("Demo data created.");
    await runServer(platform, cfg, { demo: opts.demo === true, seeded, say, exit: (code) => io.exit(code) });
  }

  const program = new Command()
    .name("komma")
    .description("KommA – Kommunale Allianzen und Strategien gegen Rassismus und Hass")
    // Subcommands inherit both: commander's own messages go to `io`, and it throws instead of exiting.
    .configureOutput({ writeOut: io.out, writeErr: io.err })
    .exitOverride();

  program.command("serve").description("start the web server").option("--demo", "create demo data on first start").action(serve);

  program
    .command("migrate")
    .description("apply database migrations")
    .action(() => withPlatform(async () => say("Database is up to date.")));

  program
    .command("seed")
    .description("create demo data")
    .requiredOption("--demo", "fictional municipalities and one account per role")
    .action(() =>
      withPlatform(async (platform) => {
        const created = await seedDemo(platform, modules);
        say(created ? "Demo data created." : "Demo data exists already.");
        printDemoAccounts(platform.config.publicUrl);
      }),
    );

  const tenant = program.command("tenant").description("municipalities");
  tenant
    .command("create")
    .description("create a municipality")
    .requiredOption("--name <name>", 'the municipality\'s name, e.g. "Stadt Musterstadt"')
    .requiredOption("--slug <slug>", "short name for addresses (/{slug}): lower-case letters, digits, hyphens")
    .requiredOption("--ags <ags>", "Amtlicher Gemeindeschlüssel, 8 digits")
    .requiredOption("--land <code>", "two-digit Land code, e.g. 06 for Hessen")
    .option("--kind <kind>", "model or platform", "platform")
    .action((o) =>
      withPlatform(async (platform) => {
        const t = translator("en");
        const parsed = tenantInput.safeParse(o);
        if (!parsed.success) {
          for (const [k, v] of Object.entries(fieldErrors(parsed.error, t))) complain(`--${k}: ${v}`);
          run.exitCode = 2;
          return;
        }
        const result = await createTenant(platform, systemActor(platform.nationalTenant.id), parsed.data, t);
        if (!result.ok) {
          for (const [k, v] of Object.entries(result.errors)) complain(`--${k}: ${v}`);
          run.exitCode = 2;
          return;
        }
        say(`Created ${result.value.name} (${result.value.slug}).`);
      }),
    );

  const user = program.command("user").description("people");
  user
    .command("invite")
    .description("invite a person into a municipality; the link goes out by mail (or the outbox)")
    .requiredOption("--tenant <slug>", "the municipality's short name (bund for the national level)")
    .requiredOption("--email <email>", "where the invitation link goes")
    .requiredOption("--name <name>", "the person's name as shown to others")
    .requiredOption("--role <role...>", `one or more of: ${ROLES.join(", ")}`)
    .action((o) =>
      withPlatform(
        async (platform) => {
          const t = translator("de");
          const [row] = await platform.db.select().from(tenants).where(eq(tenants.slug, o.tenant));
          if (!row) {
            complain(`--tenant: no municipality with slug ${o.tenant}`);
            run.exitCode = 2;
            return;
          }
          const parsed = invitationInput.safeParse({ email: o.email, displayName: o.name, roles: o.role });
          if (!parsed.success) {
            for (const [k, v] of Object.entries(fieldErrors(parsed.error, translator("en")))) complain(`${k}: ${v}`);
            run.exitCode = 2;
            return;
          }
          const result = await invitePerson(platform, systemActor(platform.nationalTenant.id), row, parsed.data as never, t);
          if (!result.ok) {
            for (const [k, v] of Object.entries(result.errors)) complain(`${k}: ${v}`);
            run.exitCode = 2;
            return;
          }
          say(`Invitation to ${row.name} sent to ${o.email}; the link is valid until ${result.value.expiresAt.toISOString()}.`);
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
          if (result.ok) say(`ok      ${t.slug}: ${result.entries} entries${anchor ? `, anchored at ${anchor.seq}` : ""}`);
          else {
            broken++;
            say(`BROKEN  ${t.slug}:`);
            for (const p of result.problems) say(`        ${p}`);
          }
        }
        for (const a of anchors ?? []) {
          if (!list.some((t) => t.id === a.tenantId) && !o.tenant) {
            broken++;
            say(`BROKEN  tenant ${a.tenantId} of the anchor no longer exists`);
          }
        }
        if (broken > 0) run.exitCode = 1;
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
          io.out(text);
          if (o.mail) {
            const to = platform.config.auditAnchorEmail;
            if (!to) {
              complain("--mail: set AUDIT_ANCHOR_EMAIL to the address that keeps the anchors");
              run.exitCode = 2;
              return;
            }
            const id = await inTransaction(platform.db, {}, (tx) => platform.mailer.enqueue(tx, { to, subject: "KommA audit anchor", text }));
            await platform.mailer.dispatch([id]);
            complain(`Anchor mailed to ${to}.`);
          }
        },
        { jobs: true },
      ),
    );

  /** The anchors of a file written by `audit anchor`; undefined (after saying why) when it cannot be read. */
  function readAnchorFile(file: string): AuditAnchor[] | undefined {
    try {
      return parseAnchors(readFileSync(file, "utf8"));
    } catch {
      complain(`--anchor: ${file} is not an anchor written by \`komma audit anchor\``);
      run.exitCode = 2;
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
          say(`${r.resealed} values re-sealed.`);
          return;
        }
        const r = await rotateKeys(platform, allSealedColumns());
        say(`Rotated ${r.tenants} tenants: ${r.rewrapped} keys re-wrapped, ${r.resealed} values re-sealed.`);
      }),
    );

  const eventsCommand = program.command("events").description("domain events between modules");
  eventsCommand
    .command("failed")
    .description("list deliveries of events that failed or are being retried (event, handler, attempts, error)")
    .action(() =>
      withPlatform(async (platform) => {
        const failed = await platform.domainEvents.failed();
        if (failed.length === 0) say("No failed deliveries.");
        for (const f of failed)
          say(`${f.updatedAt.toISOString()}  ${f.status.padEnd(8)}  ${f.event}  →  ${f.handler}  (${f.attempts} attempts)  ${f.eventId}  ${f.lastError ?? ""}`);
      }),
    );
  eventsCommand
    .command("retry")
    .description("give failed deliveries another round of attempts, after their cause was fixed; a running server delivers them within seconds")
    .action(() =>
      withPlatform(async (platform) => {
        const n = await platform.domainEvents.retryFailed();
        say(`${n} deliveries will be tried again.`);
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
        say(`Backup written to ${file} (${archive.length} bytes).`);
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
        say(`Restored ${Object.values(counts).reduce((a, b) => a + b, 0)} rows.`);
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
    .action((email: string) => say(String(demoTotpCode(email, new Date()))));

  return program;
}
