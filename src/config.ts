import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import path from "node:path";
import { z } from "zod";

/** Environment variables KommA reads, validated once at start. */
const envSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  HOST: z.string().min(1).default("0.0.0.0"),
  PUBLIC_URL: z.url().optional(),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, "must be a postgres:// URL")
    .optional(),
  // A read replica of DATABASE_URL for the statistics across municipalities (the Lagebild), so that
  // the national picture never slows intake. Without it, they read the primary.
  DATABASE_REPLICA_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, "must be a postgres:// URL")
    .optional(),
  // Connections to PostgreSQL; about twice the database server's cores serves best (measured in
  // docs/performance.md). The default assumes the database runs on a machine like this one.
  DATABASE_POOL_SIZE: z.coerce
    .number()
    .int()
    .min(1)
    .max(500)
    .default(Math.max(4, 2 * availableParallelism())),
  KOMMA_DATA_DIR: z.string().min(1).default("./data"),
  KOMMA_MASTER_KEY: z
    .string()
    .regex(/^[A-Za-z0-9+/=_-]{43,44}$/, "must be 32 bytes in base64")
    .optional(),
  KOMMA_PREVIOUS_MASTER_KEYS: z.string().optional(),
  KOMMA_SESSION_SECRET: z.string().min(32, "must be at least 32 characters").optional(),
  SESSION_IDLE_MINUTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 60)
    .default(30),
  SESSION_ABSOLUTE_HOURS: z.coerce
    .number()
    .int()
    .min(1)
    .max(7 * 24)
    .default(12),
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, "must be an smtp:// or smtps:// URL")
    .optional(),
  MAIL_FROM: z.string().default("KommA <no-reply@komma.invalid>"),
  METRICS_TOKEN: z.string().min(16, "must be at least 16 characters").optional(),
  AUDIT_ANCHOR_EMAIL: z.email("must be an e-mail address").optional(),
  TRUST_PROXY: z
    .string()
    .regex(/^(false|true|[0-9]{1,2}|[0-9a-fA-F.:/]+(,[0-9a-fA-F.:/]+)*)$/, "must be false, true, a number of proxies, or addresses/CIDRs separated by commas")
    .default("false"),
  REPORT_MAX_FILE_MB: z.coerce.number().min(1).max(500).default(25),
  REPORT_MAX_UPLOAD_MB: z.coerce.number().min(1).max(2000).default(60),
  REPORT_MAX_EVIDENCE_MB: z.coerce.number().min(1).max(10_000).default(150),
  REPORT_UPLOAD_BUDGET_MB: z.coerce.number().min(1).max(100_000).default(500),
  REPORT_RATE_LIMIT: z.coerce.number().int().min(1).max(1_000_000).default(20),
  REPORT_FLOOD_THRESHOLD: z.coerce.number().int().min(2).max(1_000_000).default(30),
  REPORT_FLOOD_WINDOW_MINUTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 60)
    .default(10),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
});

export type Env = z.infer<typeof envSchema>;

export interface Config {
  env: Env["NODE_ENV"];
  port: number;
  host: string;
  publicUrl: string;
  secureCookies: boolean;
  database: { kind: "pglite"; dataDir: string } | { kind: "postgres"; url: string; poolSize: number };
  /** A read replica for the statistics across municipalities (DATABASE_REPLICA_URL), if any. */
  statisticsReplica: { kind: "postgres"; url: string; poolSize: number } | null;
  dataDir: string;
  masterKey: Buffer;
  previousMasterKeys: Buffer[];
  sessionSecret: string;
  sessionIdleMs: number;
  sessionAbsoluteMs: number;
  smtpUrl?: string;
  mailFrom: string;
  metricsToken?: string;
  /** Where `komma audit anchor --mail` sends the heads of the audit chains. */
  auditAnchorEmail?: string;
  /** Which reverse proxies to believe about the client's address (Fastify's trustProxy). */
  trustProxy: boolean | number | string[];
  /** Largest evidence file accepted, in bytes. */
  reportMaxFileBytes: number;
  /** Largest upload (all files of one form together), in bytes. */
  reportMaxUploadBytes: number;
  /** The most evidence one report (or draft) may hold in all, in bytes. */
  reportMaxEvidenceBytes: number;
  /** What one client may upload within an hour, in bytes. */
  reportUploadBudgetBytes: number;
  /** Reports a single client may send per minute (form and API). */
  reportRateLimit: number;
  /** This many reports to one municipality within the window is a flood: the office is alerted. */
  reportFlood: { threshold: number; windowMs: number };
  logLevel: Env["LOG_LEVEL"];
}

export class ConfigError extends Error {}

function decodeKey(value: string, name: string): Buffer {
  const key = Buffer.from(value, value.includes("-") || value.includes("_") ? "base64url" : "base64");
  if (key.length !== 32) throw new ConfigError(`${name}: must be 32 bytes in base64`);
  return key;
}

interface GeneratedSecrets {
  masterKey: string;
  sessionSecret: string;
}

/**
 * Secrets for the embedded set-up: generated once into the data directory so that
 * `npm start` needs no configuration. Production must pass them explicitly.
 */
function embeddedSecrets(dataDir: string, warn: (msg: string) => void): GeneratedSecrets {
  const file = path.join(dataDir, "secrets.json");
  if (existsSync(file)) return JSON.parse(readFileSync(file, "utf8")) as GeneratedSecrets;
  mkdirSync(dataDir, { recursive: true });
  const secrets: GeneratedSecrets = {
    masterKey: randomBytes(32).toString("base64"),
    sessionSecret: randomBytes(32).toString("base64url"),
  };
  writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  warn(
    `Generated a master key and session secret in ${file}. Keep this file safe and out of backups of the database; for production set KOMMA_MASTER_KEY and KOMMA_SESSION_SECRET.`,
  );
  return secrets;
}

/**
 * Reads and validates configuration. Throws ConfigError naming the variable on invalid input.
 */
export function loadConfig(source: Record<string, string | undefined> = process.env, warn: (msg: string) => void = (m) => console.warn(`WARN ${m}`)): Config {
  const parsed = envSchema.safeParse(source);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n  ${lines.join("\n  ")}`);
  }
  const env = parsed.data;
  const dataDir = path.resolve(env.KOMMA_DATA_DIR);
  const production = env.NODE_ENV === "production";
  let masterKey = env.KOMMA_MASTER_KEY;
  let sessionSecret = env.KOMMA_SESSION_SECRET;
  if (!masterKey || !sessionSecret) {
    if (production) {
      const missing = [!masterKey && "KOMMA_MASTER_KEY", !sessionSecret && "KOMMA_SESSION_SECRET"].filter(Boolean);
      throw new ConfigError(`Invalid configuration:\n  ${missing.join(", ")}: required when NODE_ENV=production`);
    }
    const generated = embeddedSecrets(dataDir, warn);
    masterKey ??= generated.masterKey;
    sessionSecret ??= generated.sessionSecret;
  }
  const publicUrl = (env.PUBLIC_URL ?? `http://localhost:${env.PORT}`).replace(/\/$/, "");
  return {
    env: env.NODE_ENV,
    port: env.PORT,
    host: env.HOST,
    publicUrl,
    secureCookies: publicUrl.startsWith("https://"),
    database: env.DATABASE_URL ? { kind: "postgres", url: env.DATABASE_URL, poolSize: env.DATABASE_POOL_SIZE } : { kind: "pglite", dataDir },
    statisticsReplica: env.DATABASE_URL && env.DATABASE_REPLICA_URL ? { kind: "postgres", url: env.DATABASE_REPLICA_URL, poolSize: 4 } : null,
    dataDir,
    masterKey: decodeKey(masterKey, "KOMMA_MASTER_KEY"),
    previousMasterKeys: (env.KOMMA_PREVIOUS_MASTER_KEYS ?? "")
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean)
      .map((k) => decodeKey(k, "KOMMA_PREVIOUS_MASTER_KEYS")),
    sessionSecret,
    sessionIdleMs: env.SESSION_IDLE_MINUTES * 60_000,
    sessionAbsoluteMs: env.SESSION_ABSOLUTE_HOURS * 3_600_000,
    smtpUrl: env.SMTP_URL,
    mailFrom: env.MAIL_FROM,
    metricsToken: env.METRICS_TOKEN,
    auditAnchorEmail: env.AUDIT_ANCHOR_EMAIL,
    trustProxy:
      env.TRUST_PROXY === "false"
        ? false
        : env.TRUST_PROXY === "true"
          ? true
          : /^[0-9]+$/.test(env.TRUST_PROXY)
            ? Number(env.TRUST_PROXY)
            : env.TRUST_PROXY.split(","),
    reportMaxFileBytes: Math.round(env.REPORT_MAX_FILE_MB * 1024 * 1024),
    reportMaxUploadBytes: Math.round(Math.max(env.REPORT_MAX_UPLOAD_MB, env.REPORT_MAX_FILE_MB) * 1024 * 1024),
    reportMaxEvidenceBytes: Math.round(Math.max(env.REPORT_MAX_EVIDENCE_MB, env.REPORT_MAX_FILE_MB) * 1024 * 1024),
    reportUploadBudgetBytes: Math.round(env.REPORT_UPLOAD_BUDGET_MB * 1024 * 1024),
    reportRateLimit: env.REPORT_RATE_LIMIT,
    reportFlood: { threshold: env.REPORT_FLOOD_THRESHOLD, windowMs: env.REPORT_FLOOD_WINDOW_MINUTES * 60_000 },
    logLevel: env.LOG_LEVEL,
  };
}
