import { randomBytes } from "node:crypto";
import { and, eq, inArray, isNull, lt } from "drizzle-orm";
import { type Db, inTransaction, withTenant } from "../../platform/db/client.ts";
import { tenants } from "../../platform/db/schema.ts";
import type { Schedule } from "../../platform/jobs/schedules.ts";
import type { Platform } from "../../platform/platform.ts";
import { DRAFT_TTL_MS, type ReportLanguage, SEALED, type TenantInfo } from "./commands.ts";
import { evidence, reportDrafts } from "./schema.ts";

/*
 * A report in progress: its answers between the steps of the form, sealed, for a day. The
 * draft's token is in the form's address; only its keyed hash is stored.
 */

export interface Draft {
  lang: ReportLanguage;
  /** The form values as entered (re-shown on every step; validated when moving on). */
  values: Record<string, string | string[] | undefined>;
  /**
   * Set once the report is sent: the draft's address then says so (Reload, Back) for the rest of
   * the day, holding nothing of the report but its number.
   */
  sent?: { caseNumber: string; anonymous: boolean; mailbox: boolean; confirmed?: boolean };
}

/** Removes the expired drafts of a municipality with the files uploaded to them. */
export async function expireDrafts(tx: Db, tenantId: string, now: Date): Promise<number> {
  const expired = tx
    .select({ id: reportDrafts.id })
    .from(reportDrafts)
    .where(and(eq(reportDrafts.tenantId, tenantId), lt(reportDrafts.expiresAt, now)));
  await tx.delete(evidence).where(and(eq(evidence.tenantId, tenantId), isNull(evidence.reportId), inArray(evidence.draftId, expired)));
  const gone = await tx
    .delete(reportDrafts)
    .where(and(eq(reportDrafts.tenantId, tenantId), lt(reportDrafts.expiresAt, now)))
    .returning({ id: reportDrafts.id });
  return gone.length;
}

/** Every hour: expired drafts go in every municipality, also where nobody starts a new one. */
export function expireDraftsEverywhere(platform: Pick<Platform, "db" | "clock">): Schedule {
  return {
    name: "reports.expire-drafts",
    cron: "17 * * * *",
    async run() {
      const now = platform.clock.now();
      const all = await inTransaction(platform.db, {}, (tx) => tx.select({ id: tenants.id }).from(tenants));
      for (const t of all) await withTenant(platform.db, t.id, (tx) => expireDrafts(tx, t.id, now));
    },
  };
}

export async function createDraft(platform: Pick<Platform, "db" | "keyring" | "clock">, tenant: TenantInfo, lang: ReportLanguage): Promise<string> {
  const token = randomBytes(18).toString("base64url");
  const now = platform.clock.now();
  await withTenant(platform.db, tenant.id, async (tx) => {
    // Old drafts go when new ones come (and every hour: expireDraftsEverywhere), with any files
    // uploaded to them: nothing of an abandoned report lingers past a day.
    await expireDrafts(tx, tenant.id, now);
    const draft: Draft = { lang, values: {} };
    await tx.insert(reportDrafts).values({
      tenantId: tenant.id,
      id: platform.keyring.lookupHash("draft", token),
      data: await platform.keyring.seal(tx, tenant.id, JSON.stringify(draft), SEALED.draft),
      expiresAt: new Date(now.getTime() + DRAFT_TTL_MS),
    });
  });
  return token;
}

/** A draft as stored: its answers, or `expired` once its time is up (null when there is none). */
async function readDraft(platform: Pick<Platform, "db" | "keyring" | "clock">, tenant: TenantInfo, token: string): Promise<Draft | "expired" | null> {
  if (!/^[A-Za-z0-9_-]{24}$/.test(token)) return null;
  const now = platform.clock.now();
  return withTenant(platform.db, tenant.id, async (tx) => {
    const [row] = await tx
      .select()
      .from(reportDrafts)
      .where(and(eq(reportDrafts.tenantId, tenant.id), eq(reportDrafts.id, platform.keyring.lookupHash("draft", token))));
    if (!row) return null;
    if (row.expiresAt <= now) return "expired";
    return JSON.parse(await platform.keyring.openText(tx, tenant.id, row.data, SEALED.draft)) as Draft;
  });
}

export async function loadDraft(platform: Pick<Platform, "db" | "keyring" | "clock">, tenant: TenantInfo, token: string): Promise<Draft | null> {
  const draft = await readDraft(platform, tenant, token);
  return draft === "expired" ? null : draft;
}

export async function saveDraft(platform: Pick<Platform, "db" | "keyring">, tenant: TenantInfo, token: string, draft: Draft): Promise<void> {
  await withTenant(platform.db, tenant.id, async (tx) => {
    await tx
      .update(reportDrafts)
      .set({ data: await platform.keyring.seal(tx, tenant.id, JSON.stringify(draft), SEALED.draft) })
      .where(and(eq(reportDrafts.tenantId, tenant.id), eq(reportDrafts.id, platform.keyring.lookupHash("draft", token))));
  });
}

/** Leaves a note at a sent draft's address: the report's number, nothing of its content. */
export async function markDraftSent(platform: Platform, tenant: TenantInfo, token: string, lang: ReportLanguage, sent: NonNullable<Draft["sent"]>) {
  const now = platform.clock.now();
  const draft: Draft = { lang, values: {}, sent };
  await withTenant(platform.db, tenant.id, async (tx) => {
    await tx
      .insert(reportDrafts)
      .values({
        tenantId: tenant.id,
        id: platform.keyring.lookupHash("draft", token),
        data: await platform.keyring.seal(tx, tenant.id, JSON.stringify(draft), SEALED.draft),
        expiresAt: new Date(now.getTime() + DRAFT_TTL_MS),
        sent: true,
      })
      // The intake takes a draft once (komma_receive_report), so only this call leaves the note.
      .onConflictDoNothing();
  });
}

/**
 * The note a sent draft leaves, once it is there: a second submission of the same draft, refused
 * by the intake, waits a moment for the first one's note (they arrive together on a double click).
 */
export async function sentNote(platform: Pick<Platform, "db" | "keyring" | "clock">, tenant: TenantInfo, token: string): Promise<Draft | null> {
  for (let i = 0; i < 20; i++) {
    const draft = await readDraft(platform, tenant, token);
    if (draft === "expired") return null; // a draft whose time ran out, not one being sent
    if (draft?.sent) return draft;
    await new Promise((r) => setTimeout(r, 100));
  }
  return null;
}
