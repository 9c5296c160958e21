import { createCipheriv, createDecipheriv, createHash, createHmac, createSecretKey, type KeyObject, randomBytes } from "node:crypto";
import { and, eq, sql } from "drizzle-orm";
import type { Executor } from "../db/client.ts";
import { tenantKeys } from "../db/schema.ts";

/*
 * Envelope encryption. Each tenant has data keys (AES-256-GCM); each data key is stored
 * wrapped by the master key, which lives outside the database. A sealed value names its
 * data key, and its additional authenticated data binds it to the tenant and to the field
 * it belongs to, so a ciphertext copied to another tenant or column does not open.
 *
 * Sealed format: "k1.<keyId>.<iv>.<ciphertext+tag>" (base64url parts).
 */

const VERSION = "k1";

/**
 * The broadcast channel on which a process that made a tenant's new data key tells the others
 * (payload `{ tenantId }`), so that they stop sealing with the previous one.
 */
export const KEYS_ROTATED = "keys.rotated";

export class KeyringError extends Error {}

function masterKeyId(key: Buffer): string {
  return createHash("sha256").update(key).digest("hex").slice(0, 12);
}

function gcmEncrypt(key: Buffer | KeyObject, plaintext: Buffer, aad: string): { iv: Buffer; data: Buffer } {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  cipher.setAAD(Buffer.from(aad, "utf8"));
  const data = Buffer.concat([cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]);
  return { iv, data };
}

function gcmDecrypt(key: Buffer | KeyObject, iv: Buffer, data: Buffer, aad: string): Buffer {
  const decipher = createDecipheriv("aes-256-gcm", key, iv);
  decipher.setAAD(Buffer.from(aad, "utf8"));
  decipher.setAuthTag(data.subarray(data.length - 16));
  return Buffer.concat([decipher.update(data.subarray(0, data.length - 16)), decipher.final()]);
}

/** Seals values for one tenant with its active data key, without touching the database. */
export type Sealer = (plaintext: string | Buffer, context: string) => string;

export interface Keyring {
  /** Encrypts `plaintext` for a tenant; `context` names the field, e.g. "users.totp_secret". */
  seal(ex: Executor, tenantId: string, plaintext: string | Buffer, context: string): Promise<string>;
  /** A sealer for the tenant's active data key, loaded through `ex` unless this process has it. */
  sealer(ex: Executor, tenantId: string): Promise<Sealer>;
  /** The id of the tenant's active data key (the second part of every value it seals). */
  activeKeyId(ex: Executor, tenantId: string): Promise<string>;
  /** The tenant's sealer if this process already holds its active data key, else null. */
  cachedSealer(tenantId: string): Sealer | null;
  open(ex: Executor, tenantId: string, sealed: string, context: string): Promise<Buffer>;
  openText(ex: Executor, tenantId: string, sealed: string, context: string): Promise<string>;
  /** Creates the first data key of a new tenant. */
  createTenantKey(ex: Executor, tenantId: string): Promise<string>;
  /** Makes a new active data key for the tenant; older keys stay for reading. */
  rotateTenantKey(ex: Executor, tenantId: string): Promise<string>;
  /** Re-wraps every data key of the tenant under the current master key. Returns how many changed. */
  rewrapTenantKeys(ex: Executor, tenantId: string): Promise<number>;
  /** A keyed hash for lookups of secrets (receipt codes, tokens) that must not be stored in clear. */
  lookupHash(purpose: string, value: string): string;
  /**
   * Forgets which data key is active for a tenant (or for all), so the next seal reads it from
   * the database: after another process rotated. Unwrapped keys stay, for opening old values.
   */
  forgetActive(tenantId?: string): void;
  forget(): void;
}

export function isSealed(value: string): boolean {
  return value.startsWith(`${VERSION}.`);
}

export function createKeyring(masterKey: Buffer, previousMasterKeys: Buffer[] = []): Keyring {
  const masters = new Map<string, Buffer>();
  for (const k of [masterKey, ...previousMasterKeys]) masters.set(masterKeyId(k), k);
  const currentMasterId = masterKeyId(masterKey);
  // Unwrapped data keys, by tenant and key id. Cleared on rotation.
  const cache = new Map<string, KeyObject>();
  const active = new Map<string, string>();
  // Counts `forgetActive` calls: a key id read while one happened may be the old one, and is
  // used for this seal but not kept.
  let forgotten = 0;
  // A key object once, not a buffer on every call: Node would make one from it each time.
  const lookupKey = createSecretKey(createHmac("sha256", masterKey).update("komma-lookup-hash").digest());

  function wrap(tenantId: string, keyId: string, dataKey: Buffer): string {
    const { iv, data } = gcmEncrypt(masterKey, dataKey, `${tenantId}/${keyId}`);
    return `${iv.toString("base64url")}.${data.toString("base64url")}`;
  }

  function unwrap(tenantId: string, keyId: string, wrapped: string, mkId: string): Buffer {
    const mk = masters.get(mkId);
    if (!mk) throw new KeyringError(`data key ${keyId} is wrapped by an unknown master key ${mkId}`);
    const [iv, data] = wrapped.split(".");
    return gcmDecrypt(mk, Buffer.from(iv, "base64url"), Buffer.from(data, "base64url"), `${tenantId}/${keyId}`);
  }

  async function loadKey(ex: Executor, tenantId: string, keyId: string): Promise<KeyObject> {
    const cached = cache.get(`${tenantId}/${keyId}`);
    if (cached) return cached;
    const [row] = await ex
      .select()
      .from(tenantKeys)
      .where(and(eq(tenantKeys.tenantId, tenantId), eq(tenantKeys.keyId, keyId)));
    if (!row) throw new KeyringError(`no data key ${keyId} for this tenant`);
    const key = createSecretKey(unwrap(tenantId, keyId, row.wrappedKey, row.masterKeyId));
    cache.set(`${tenantId}/${keyId}`, key);
    return key;
  }

  async function activeKey(ex: Executor, tenantId: string): Promise<{ keyId: string; key: KeyObject }> {
    let keyId = active.get(tenantId);
    if (!keyId) {
      const before = forgotten;
      const [row] = await ex
        .select({ keyId: tenantKeys.keyId })
        .from(tenantKeys)
        .where(and(eq(tenantKeys.tenantId, tenantId), eq(tenantKeys.active, true)));
      if (row) keyId = row.keyId;
      else {
        // First use of a tenant without a key: make exactly one, also under concurrent requests.
        await ex.execute(sql`select pg_advisory_xact_lock(hashtextextended(${tenantId}, 7))`);
        const [again] = await ex
          .select({ keyId: tenantKeys.keyId })
          .from(tenantKeys)
          .where(and(eq(tenantKeys.tenantId, tenantId), eq(tenantKeys.active, true)));
        keyId = again ? again.keyId : await createTenantKey(ex, tenantId);
      }
      if (forgotten === before) active.set(tenantId, keyId);
    }
    return { keyId, key: await loadKey(ex, tenantId, keyId) };
  }

  async function createTenantKey(ex: Executor, tenantId: string): Promise<string> {
    const keyId = randomBytes(6).toString("hex");
    const dataKey = randomBytes(32);
    await ex.insert(tenantKeys).values({
      tenantId,
      keyId,
      wrappedKey: wrap(tenantId, keyId, dataKey),
      masterKeyId: currentMasterId,
      active: true,
    });
    cache.set(`${tenantId}/${keyId}`, createSecretKey(dataKey));
    active.set(tenantId, keyId);
    return keyId;
  }

  function sealerFor(tenantId: string, keyId: string, key: KeyObject): Sealer {
    return (plaintext, context) => {
      const buf = typeof plaintext === "string" ? Buffer.from(plaintext, "utf8") : plaintext;
      const { iv, data } = gcmEncrypt(key, buf, `${tenantId}/${context}`);
      return `${VERSION}.${keyId}.${iv.toString("base64url")}.${data.toString("base64url")}`;
    };
  }

  return {
    async seal(ex, tenantId, plaintext, context) {
      return (await this.sealer(ex, tenantId))(plaintext, context);
    },
    async sealer(ex, tenantId) {
      const { keyId, key } = await activeKey(ex, tenantId);
      return sealerFor(tenantId, keyId, key);
    },
    async activeKeyId(ex, tenantId) {
      return (await activeKey(ex, tenantId)).keyId;
    },
    cachedSealer(tenantId) {
      const keyId = active.get(tenantId);
      const key = keyId ? cache.get(`${tenantId}/${keyId}`) : undefined;
      return keyId && key ? sealerFor(tenantId, keyId, key) : null;
    },
    async open(ex, tenantId, sealed, context) {
      const [version, keyId, iv, data] = sealed.split(".");
      if (version !== VERSION || !keyId || !iv || !data) throw new KeyringError("not a sealed value");
      const key = await loadKey(ex, tenantId, keyId);
      return gcmDecrypt(key, Buffer.from(iv, "base64url"), Buffer.from(data, "base64url"), `${tenantId}/${context}`);
    },
    async openText(ex, tenantId, sealed, context) {
      return (await this.open(ex, tenantId, sealed, context)).toString("utf8");
    },
    createTenantKey,
    async rotateTenantKey(ex, tenantId) {
      await ex.update(tenantKeys).set({ active: false }).where(eq(tenantKeys.tenantId, tenantId));
      active.delete(tenantId);
      return createTenantKey(ex, tenantId);
    },
    async rewrapTenantKeys(ex, tenantId) {
      const keys = await ex.select().from(tenantKeys).where(eq(tenantKeys.tenantId, tenantId));
      let changed = 0;
      for (const row of keys) {
        if (row.masterKeyId === currentMasterId) continue;
        const dataKey = unwrap(tenantId, row.keyId, row.wrappedKey, row.masterKeyId);
        await ex
          .update(tenantKeys)
          .set({ wrappedKey: wrap(tenantId, row.keyId, dataKey), masterKeyId: currentMasterId })
          .where(and(eq(tenantKeys.tenantId, tenantId), eq(tenantKeys.keyId, row.keyId)));
        changed++;
      }
      return changed;
    },
    lookupHash(purpose, value) {
      return createHmac("sha256", lookupKey).update(`${purpose}\n${value}`).digest("base64url");
    },
    forgetActive(tenantId) {
      forgotten += 1;
      if (tenantId) active.delete(tenantId);
      else active.clear();
    },
    forget() {
      cache.clear();
      active.clear();
    },
  };
}
