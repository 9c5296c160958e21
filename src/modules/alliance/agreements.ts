import { and, asc, eq, gte, isNotNull, isNull, lte, sql } from "drizzle-orm";
import { appendAudit } from "../../platform/audit/audit.ts";
import type { Actor } from "../../platform/authz/policy.ts";
import { berlinDate } from "../../platform/calendar.ts";
import { type Db, inTransaction, rows, withTenant } from "../../platform/db/client.ts";
import { memberships, tenants, users } from "../../platform/db/schema.ts";
import { type CheckedUpload, fileInfos, getFile, putFile, removeFile, type StoredFileInfo } from "../../platform/files/files.ts";
import { AppError } from "../../platform/http/errors.ts";
import { workspaceLink } from "../../platform/http/workspace-link.ts";
import { dateFormat } from "../../platform/i18n/formats.ts";
import { translator } from "../../platform/i18n/i18n.ts";
import type { Schedule } from "../../platform/jobs/schedules.ts";
import type { Platform } from "../../platform/platform.ts";
import { directoryPolicy, type TenantRef } from "./policy.ts";
import { partnerById } from "./repository.ts";
import { allianceAgreements, alliancePartners } from "./schema.ts";
import { type AgreementInput, checkId } from "./schemas.ts";

/*
 * Cooperation agreements with the alliance's partners: what was agreed, from when until when, and
 * the signed document (kept sealed in the tenant's file store). Eight weeks before an agreement
 * ends, the municipality's admins get a mail, once, so that it can be renewed in time.
 */

type Deps = Pick<Platform, "db" | "keyring" | "clock">;
export const AGREEMENT_FILE = "alliance.agreement";
/** How long before its end an agreement is brought to the admins' attention. */
export const REMIND_DAYS = 56;
const _DAY = 86_400_000;

export interface Agreement {
  id: string;
  title: string;
  validFrom: string;
  validUntil: string | null;
  file: StoredFileInfo | null;
  /** Judged on the Berlin calendar date: not yet valid, valid, ending within eight weeks, ended. */
  status: "upcoming" | "valid" | "ending" | "ended";
}

/** The agreements with a partner, for those who read the directory. */
export async function agreementsOf(tx: Db, platform: Pick<Platform, "keyring" | "clock">, tenantId: string, partnerId: string): Promise<Agreement[]> {
  const today = berlinDate(platform.clock.now());
  const horizon = berlinDate(platform.clock.now(), REMIND_DAYS);
  const list = await tx
    .select()
    .from(allianceAgreements)
    .where(and(eq(allianceAgreements.tenantId, tenantId), eq(allianceAgreements.partnerId, partnerId)))
    .orderBy(asc(allianceAgreements.validFrom));
  const files = await fileInfos(
    platform.keyring,
    tx,
    tenantId,
    list.flatMap((a) => (a.fileId ? [a.fileId] : [])),
  );
  const status = (a: { validFrom: string; validUntil: string | null }): Agreement["status"] =>
    a.validFrom > today ? "upcoming" : a.validUntil && a.validUntil < today ? "ended" : a.validUntil && a.validUntil <= horizon ? "ending" : "valid";
  return list.map((a) => ({
    id: a.id,
    title: a.title,
    validFrom: a.validFrom,
    validUntil: a.validUntil,
    file: a.fileId ? (files.get(a.fileId) ?? null) : null,
    status: status(a),
  }));
}

/** Records an agreement with its document (optional), in one transaction. */
export async function addAgreement(
  platform: Deps,
  actor: Actor,
  tenant: TenantRef,
  partnerId: string,
  input: AgreementInput,
  file: CheckedUpload | null,
): Promise<void> {
  directoryPolicy.authorize(actor, "edit", tenant);
  checkId(partnerId);
  const now = platform.clock.now();
  await withTenant(
    platform.db,
    tenant.id,
    async (tx) => {
      if (!(await partnerById(tx, tenant.id, partnerId))) throw new AppError("not_found");
      const fileId = file ? await putFile(platform.keyring, tx, tenant.id, { ...file, purpose: AGREEMENT_FILE, createdBy: actor.userId }, now) : null;
      const [row] = await tx
        .insert(allianceAgreements)
        .values({ tenantId: tenant.id, partnerId, title: input.title, validFrom: input.validFrom, validUntil: input.validUntil, fileId, createdAt: now })
        .returning({ id: allianceAgreements.id });
      await appendAudit(
        tx,
        {
          tenantId: tenant.id,
          actorId: actor.userId,
          action: "alliance.agreement.added",
          objectType: "alliance_partner",
          objectId: partnerId,
          details: { agreement: row.id },
        },
        now,
      );
    },
    actor.userId,
  );
}

export async function removeAgreement(platform: Deps, actor: Actor, tenant: TenantRef, partnerId: string, agreementId: string): Promise<void> {
  directoryPolicy.authorize(actor, "edit", tenant);
  checkId(partnerId);
  checkId(agreementId);
  const now = platform.clock.now();
  await withTenant(
    platform.db,
    tenant.id,
    async (tx) => {
      const [gone] = await tx
        .delete(allianceAgreements)
        .where(and(eq(allianceAgreements.tenantId, tenant.id), eq(allianceAgreements.partnerId, partnerId), eq(allianceAgreements.id, agreementId)))
        .returning({ fileId: allianceAgreements.fileId });
      if (!gone) throw new AppError("not_found");
      if (gone.fileId) await removeFile(tx, tenant.id, gone.fileId);
      await appendAudit(
        tx,
        {
          tenantId: tenant.id,
          actorId: actor.userId,
          action: "alliance.agreement.removed",
          objectType: "alliance_partner",
          objectId: partnerId,
          details: { agreement: agreementId },
        },
        now,
      );
    },
    actor.userId,
  );
}

/** An agreement's document, for those who read the directory; the download is audited. */
export async function agreementDocument(platform: Deps, actor: Actor, tenant: TenantRef, partnerId: string, agreementId: string) {
  directoryPolicy.authorize(actor, "read", tenant);
  checkId(partnerId);
  checkId(agreementId);
  const now = platform.clock.now();
  return withTenant(
    platform.db,
    tenant.id,
    async (tx) => {
      const [a] = await tx
        .select({ fileId: allianceAgreements.fileId })
        .from(allianceAgreements)
        .where(and(eq(allianceAgreements.tenantId, tenant.id), eq(allianceAgreements.partnerId, partnerId), eq(allianceAgreements.id, agreementId)));
      const file = a?.fileId ? await getFile(platform.keyring, tx, tenant.id, a.fileId, AGREEMENT_FILE) : null;
      if (!file) throw new AppError("not_found");
      await appendAudit(
        tx,
        {
          tenantId: tenant.id,
          actorId: actor.userId,
          action: "alliance.agreement.downloaded",
          objectType: "alliance_partner",
          objectId: partnerId,
          details: { agreement: agreementId },
        },
        now,
      );
      return file;
    },
    actor.userId,
  );
}

/** Removes the documents of a partner's agreements (before the partner goes; the agreements go with it). */
export async function removeAgreementFiles(tx: Db, tenantId: string, partnerId: string): Promise<void> {
  const files = await tx
    .delete(allianceAgreements)
    .where(and(eq(allianceAgreements.tenantId, tenantId), eq(allianceAgreements.partnerId, partnerId)))
    .returning({ fileId: allianceAgreements.fileId });
  for (const f of files) if (f.fileId) await removeFile(tx, tenantId, f.fileId);
}

/**
 * Every morning: each agreement that ends within eight weeks and has not been brought up yet is
 * sent to the municipality's admins by mail (the partner's name and the date, nothing else), once.
 */
export function agreementReminders(platform: Pick<Platform, "db" | "clock" | "mailer" | "config">): Schedule {
  return {
    name: "alliance.agreement-reminders",
    cron: "0 7 * * *",
    async run() {
      const now = platform.clock.now();
      const today = berlinDate(now);
      const horizon = berlinDate(now, REMIND_DAYS);
      const all = await inTransaction(platform.db, {}, (tx) =>
        tx.select({ id: tenants.id, slug: tenants.slug, name: tenants.name }).from(tenants).where(sql`${tenants.kind} <> 'national'`),
      );
      for (const tenant of all) {
        const ids = await withTenant(platform.db, tenant.id, async (tx) => {
          const due = await tx
            .select({
              id: allianceAgreements.id,
              title: allianceAgreements.title,
              until: allianceAgreements.validUntil,
              partnerId: allianceAgreements.partnerId,
              partner: alliancePartners.name,
            })
            .from(allianceAgreements)
            .innerJoin(alliancePartners, and(eq(alliancePartners.tenantId, allianceAgreements.tenantId), eq(alliancePartners.id, allianceAgreements.partnerId)))
            .where(
              and(
                eq(allianceAgreements.tenantId, tenant.id),
                isNull(allianceAgreements.remindedAt),
                isNotNull(allianceAgreements.validUntil),
                gte(allianceAgreements.validUntil, today),
                lte(allianceAgreements.validUntil, horizon),
              ),
            );
          if (due.length === 0) return [];
          const admins = await rows<{ email: string }>(
            tx,
            sql`select distinct u.email from ${memberships} m join ${users} u on u.id = m.user_id
                 where m.tenant_id = ${tenant.id} and m.role = 'municipal_admin' and u.status = 'active'`,
          );
          const t = translator("de");
          const mails = due.flatMap((a) => {
            const date = dateFormat("de-DE", { dateStyle: "long", timeZone: "UTC" }).format(new Date(`${a.until}T00:00:00Z`));
            const link = workspaceLink(platform.config.publicUrl, tenant.slug, `/allianz/partner/${a.partnerId}`);
            return admins.map((admin) => ({
              to: admin.email,
              subject: t("alliance.agreements.mailSubject", { partner: a.partner }),
              text: t("alliance.agreements.mailBody", { partner: a.partner, title: a.title, date, tenant: tenant.name, link }),
            }));
          });
          const queued = mails.length > 0 ? await platform.mailer.enqueueMany(tx, mails) : [];
          for (const a of due) {
            await tx
              .update(allianceAgreements)
              .set({ remindedAt: now })
              .where(and(eq(allianceAgreements.tenantId, tenant.id), eq(allianceAgreements.id, a.id)));
          }
          return queued;
        });
        if (ids.length > 0) await platform.mailer.dispatch(ids);
      }
    },
  };
}
