import { and, asc, eq, isNull, type SQL, type SQLWrapper, sql } from "drizzle-orm";
import { z } from "zod";
import { appendAudit } from "../../platform/audit/audit.ts";
import { type Actor, hasRole, Policy, TENANT_RELATIONS } from "../../platform/authz/policy.ts";
import { berlinDate, isCalendarDate } from "../../platform/calendar.ts";
import { type Db, inTransaction, rows, withTenant } from "../../platform/db/client.ts";
import { tenants, users } from "../../platform/db/schema.ts";
import { AppError } from "../../platform/http/errors.ts";
import type { Schedule } from "../../platform/jobs/schedules.ts";
import type { Platform } from "../../platform/platform.ts";
import { CONTROL_CHARACTERS_MESSAGE, UUID_PATTERN, withoutControlCharacters } from "../../platform/validation.ts";
import { checkCaseNumber, purgeReports } from "../reports/index.ts";
import { caseWithJoined } from "./closing-figures.ts";
import { type CaseRef, casePolicy, type TenantRef } from "./policy.ts";
import { expirePerpetrators } from "./related.ts";
import { caseByNumber, caseFacts } from "./repository.ts";
import { caseLegalHolds, caseRetention } from "./schema.ts";

/*
 * Retention: a closed case is kept for the municipality's period (default three years; a case
 * closed as a duplicate or abuse, one year), then the daily job deletes it with its reports,
 * evidence, messages and notes. What stays is the statistics record — categories and figures, no
 * free text. A legal hold (reason sealed, last day) keeps a case until it ends or is lifted. The
 * deletion itself is done by a database function (komma_purge_case, komma_purge_reports) that
 * checks the same conditions again: the application has no right to delete cases otherwise.
 */

export const RETENTION_DEFAULTS = { closedMonths: 36, dismissedMonths: 12 } as const;
/**
 * A legal hold lifted keeps the case for this many days more (up to the hold's last day): a hold
 * lifted by mistake, or by one officer alone, can be placed again before the nightly run deletes
 * the case. The database's `komma_purge_case` (migration 0069) holds to the same.
 */
export const HOLD_GRACE_DAYS = 14;
/** The last day a hold keeps its case: its own, or for a lifted one the end of the grace period. */
const keptUntil = (until: SQL | SQLWrapper, liftedAt: SQL | SQLWrapper) =>
  sql`case when ${liftedAt} is null then ${until} else least(${until}, (${liftedAt} at time zone 'Europe/Berlin')::date + ${HOLD_GRACE_DAYS}::int) end`;
const holdKeptUntil = keptUntil(sql`h.until`, sql`h.lifted_at`);
const HOLD_REASON = "case_legal_holds.reason";
const _DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Who sees what the next run removes (the clearing office, the municipality's admins) and who sets the periods (admins). */
export const retentionPolicy = new Policy<TenantRef, "view" | "configure">("retention", ["view", "configure"], TENANT_RELATIONS)
  .allow("view", (actor, t) => t.kind !== "national" && (hasRole(actor, t.id, "clearing_officer") || hasRole(actor, t.id, "municipal_admin")))
  .allow("configure", (actor, t) => t.kind !== "national" && hasRole(actor, t.id, "municipal_admin"));

const months = (error: string) =>
  z
    .string()
    .regex(/^\d{1,3}$/, { error })
    .transform(Number)
    .refine((n) => n >= 1 && n <= 120, { error });

export const retentionInput = z.object({
  closedMonths: months("errors.retention.months"),
  dismissedMonths: months("errors.retention.months"),
});

export const holdInput = z.object({
  reason: z
    .string()
    .trim()
    .min(1, { error: "errors.retention.reason" })
    .max(1000, { error: "errors.retention.reasonLong" })
    .refine(withoutControlCharacters, { error: CONTROL_CHARACTERS_MESSAGE }),
  until: z.string().refine(isCalendarDate, { error: "errors.retention.until" }),
});

export interface RetentionSettings {
  closedMonths: number;
  dismissedMonths: number;
  /** Set by the municipality (otherwise the defaults apply). */
  own: boolean;
}

/** The first day a closed case may be deleted (the nightly run deletes it then, unless it is held). */
export async function deletableFrom(tx: Db, tenantId: string, closedAt: Date, dismissed: boolean): Promise<string> {
  const settings = await settingsOf(tx, tenantId);
  const at = new Date(closedAt);
  at.setUTCMonth(at.getUTCMonth() + (dismissed ? settings.dismissedMonths : settings.closedMonths));
  return berlinDate(at, 1);
}

async function settingsOf(tx: Db, tenantId: string): Promise<RetentionSettings> {
  const [row] = await tx.select().from(caseRetention).where(eq(caseRetention.tenantId, tenantId));
  return row ? { closedMonths: row.closedMonths, dismissedMonths: row.dismissedMonths, own: true } : { ...RETENTION_DEFAULTS, own: false };
}

export interface DueCase {
  id: string;
  number: string;
  closedAt: Date;
  dismissed: boolean;
  /** The last day of a legal hold that keeps it; none when the next run deletes it. */
  heldUntil: string | null;
}

/** The closed cases past their period, oldest first; those under a legal hold with its last day. */
async function pastPeriod(tx: Db, tenantId: string, now: Date): Promise<DueCase[]> {
  const today = berlinDate(now);
  return rows<DueCase>(
    tx,
    sql`select c.id, c.number, c.closed_at as "closedAt", c.closed_reason is not null as dismissed,
          -- A hold on a case joined into this one holds it too: the joined case's reports are here now.
          (select max(${holdKeptUntil})::text from case_legal_holds h where h.tenant_id = c.tenant_id
            and h.case_id in (${caseWithJoined(tenantId, sql`c.id`)}) and ${holdKeptUntil} >= ${today}::date) as "heldUntil"
        from cases c left join case_retention r on r.tenant_id = c.tenant_id
        where c.tenant_id = ${tenantId} and c.status = 'closed' and c.closed_at is not null
          -- A case joined into another goes with that one: its risk assessments count there.
          and not exists (select 1 from cases t where t.tenant_id = c.tenant_id and t.id = c.joined_into)
          and c.closed_at < ${now}::timestamptz - make_interval(months => case when c.closed_reason is null
                then coalesce(r.closed_months, ${RETENTION_DEFAULTS.closedMonths}) else coalesce(r.dismissed_months, ${RETENTION_DEFAULTS.dismissedMonths}) end)
        order by c.closed_at`,
  ).then((found) => found.map((c) => ({ ...c, closedAt: new Date(c.closedAt) })));
}

export interface RetentionOverview {
  settings: RetentionSettings;
  /** What the next run deletes (a dry run: nothing is changed). */
  due: DueCase[];
  /** Past their period, but kept by a legal hold. */
  held: DueCase[];
  policies: { configure: boolean };
}

export async function retentionOverview(platform: Pick<Platform, "db" | "clock">, actor: Actor, tenant: TenantRef): Promise<RetentionOverview> {
  retentionPolicy.authorize(actor, "view", tenant);
  return withTenant(
    platform.db,
    tenant.id,
    async (tx) => {
      const past = await pastPeriod(tx, tenant.id, platform.clock.now());
      return {
        settings: await settingsOf(tx, tenant.id),
        due: past.filter((c) => c.heldUntil === null),
        held: past.filter((c) => c.heldUntil !== null),
        policies: { configure: retentionPolicy.can(actor, "configure", tenant) },
      };
    },
    actor.userId,
  );
}

export async function setRetention(
  platform: Pick<Platform, "db" | "clock">,
  actor: Actor,
  tenant: TenantRef,
  input: z.infer<typeof retentionInput>,
): Promise<void> {
  // The clearing office sees the periods; changing them is refused (403), not hidden.
  retentionPolicy.authorize(actor, "view", tenant);
  if (!retentionPolicy.can(actor, "configure", tenant)) throw AppError.refused({ policy: retentionPolicy.name, action: "configure", tenantId: tenant.id });
  const now = platform.clock.now();
  await withTenant(
    platform.db,
    tenant.id,
    async (tx) => {
      await tx
        .insert(caseRetention)
        .values({ tenantId: tenant.id, ...input, updatedBy: actor.userId, updatedAt: now })
        .onConflictDoUpdate({ target: caseRetention.tenantId, set: { ...input, updatedBy: actor.userId, updatedAt: now } });
      await appendAudit(
        tx,
        { tenantId: tenant.id, actorId: actor.userId, action: "case.retention_set", objectType: "tenant", objectId: tenant.id, details: input },
        now,
      );
    },
    actor.userId,
  );
}

export interface HoldRow {
  id: string;
  reason: string;
  until: string;
  placedByName: string | null;
  placedAt: Date;
  liftedByName: string | null;
  liftedAt: Date | null;
  active: boolean;
  /** A lifted hold's last day of keeping the case (the grace period), while it lasts. */
  graceUntil: string | null;
}

/** The legal holds of a case, newest first, their reasons opened. */
export async function holdsOf(tx: Db, keyring: Platform["keyring"], tenantId: string, caseId: string, today: string): Promise<HoldRow[]> {
  const found = await tx
    .select({
      id: caseLegalHolds.id,
      reason: caseLegalHolds.reason,
      until: caseLegalHolds.until,
      placedByName: users.displayName,
      placedAt: caseLegalHolds.placedAt,
      liftedAt: caseLegalHolds.liftedAt,
      liftedByName: sql<string | null>`(select u.display_name from ${users} u where u.id = ${caseLegalHolds.liftedBy})`,
      keptUntil: sql<string>`(${keptUntil(caseLegalHolds.until, caseLegalHolds.liftedAt)})::text`,
    })
    .from(caseLegalHolds)
    .leftJoin(users, eq(users.id, caseLegalHolds.placedBy))
    .where(and(eq(caseLegalHolds.tenantId, tenantId), eq(caseLegalHolds.caseId, caseId)))
    .orderBy(asc(caseLegalHolds.placedAt));
  return Promise.all(
    found.map(async ({ keptUntil: kept, ...h }) => ({
      ...h,
      reason: await keyring.openText(tx, tenantId, h.reason, HOLD_REASON),
      active: h.liftedAt === null && h.until >= today,
      graceUntil: h.liftedAt !== null && kept >= today ? kept : null,
    })),
  );
}

/** The clearing office keeps a case from deletion (an officer of the municipality, open or closed). */
async function officerCase(tx: Db, actor: Actor, tenant: TenantRef, number: string) {
  checkCaseNumber(number);
  const row = await caseByNumber(tx, tenant.id, number, { lock: true });
  if (!row) throw new AppError("not_found");
  casePolicy.authorize(actor, "read", (await caseFacts(tx, tenant, [row.id])).get(row.id) as CaseRef);
  return row;
}

export async function placeHold(
  platform: Pick<Platform, "db" | "clock" | "keyring">,
  actor: Actor,
  tenant: TenantRef,
  number: string,
  input: z.infer<typeof holdInput>,
): Promise<{ ok: boolean }> {
  const now = platform.clock.now();
  // A hold ends some day: from today to ten years ahead.
  if (input.until < berlinDate(now) || input.until > berlinDate(now, 3653)) return { ok: false };
  await withTenant(
    platform.db,
    tenant.id,
    async (tx) => {
      const row = await officerCase(tx, actor, tenant, number);
      await tx.insert(caseLegalHolds).values({
        tenantId: tenant.id,
        caseId: row.id,
        reason: await platform.keyring.seal(tx, tenant.id, input.reason, HOLD_REASON),
        until: input.until,
        placedBy: actor.userId,
        placedAt: now,
      });
      await appendAudit(
        tx,
        {
          tenantId: tenant.id,
          actorId: actor.userId,
          action: "case.hold_placed",
          objectType: "case",
          objectId: row.id,
          details: { number, until: input.until },
        },
        now,
      );
    },
    actor.userId,
  );
  return { ok: true };
}

export async function liftHold(platform: Pick<Platform, "db" | "clock">, actor: Actor, tenant: TenantRef, number: string, holdId: string): Promise<void> {
  if (!UUID_PATTERN.test(holdId)) throw new AppError("not_found");
  const now = platform.clock.now();
  await withTenant(
    platform.db,
    tenant.id,
    async (tx) => {
      const row = await officerCase(tx, actor, tenant, number);
      const lifted = await tx
        .update(caseLegalHolds)
        .set({ liftedBy: actor.userId, liftedAt: now })
        .where(and(eq(caseLegalHolds.tenantId, tenant.id), eq(caseLegalHolds.caseId, row.id), eq(caseLegalHolds.id, holdId), isNull(caseLegalHolds.liftedAt)))
        .returning({ id: caseLegalHolds.id });
      if (lifted.length === 0) throw new AppError("not_found");
      await appendAudit(
        tx,
        { tenantId: tenant.id, actorId: actor.userId, action: "case.hold_lifted", objectType: "case", objectId: row.id, details: { number } },
        now,
      );
    },
    actor.userId,
  );
}

/** Deletes one municipality's cases past their period (not those under a hold); returns their numbers. */
export async function purgeTenant(platform: Pick<Platform, "db" | "clock">, tenantId: string): Promise<string[]> {
  const now = platform.clock.now();
  return withTenant(platform.db, tenantId, async (tx) => {
    await expirePerpetrators(tx, tenantId, now);
    const due = (await pastPeriod(tx, tenantId, now)).filter((c) => c.heldUntil === null);
    const purged: string[] = [];
    for (const c of due) {
      const reportIds = (
        await rows<{ report_id: string }>(tx, sql`select report_id from case_reports where tenant_id = ${tenantId} and case_id = ${c.id}`)
      ).map((r) => r.report_id);
      const [{ number }] = await rows<{ number: string | null }>(
        tx,
        sql`select komma_purge_case(${tenantId}::uuid, ${c.id}::uuid, ${now}::timestamptz) as number`,
      );
      if (!number) continue;
      await purgeReports(tx, tenantId, reportIds);
      await appendAudit(tx, { tenantId, actorId: null, action: "case.purged", objectType: "case", objectId: c.id, details: { number } }, now);
      purged.push(number);
    }
    return purged;
  });
}

/** Every night: each municipality's cases past their period are deleted. */
export function retentionJob(platform: Pick<Platform, "db" | "clock">): Schedule {
  return {
    name: "cases.retention",
    cron: "30 3 * * *",
    async run() {
      const municipalities = await inTransaction(platform.db, {}, (tx) =>
        tx.select({ id: tenants.id }).from(tenants).where(sql`${tenants.kind} <> 'national'`),
      );
      for (const t of municipalities) await purgeTenant(platform, t.id);
    },
  };
}
