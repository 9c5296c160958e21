import { and, eq, inArray, sql } from "drizzle-orm";
import { appendAudit } from "../../platform/audit/audit.ts";
import type { Actor } from "../../platform/authz/policy.ts";
import { type Db, rows, withTenant } from "../../platform/db/client.ts";
import { memberships, users } from "../../platform/db/schema.ts";
import { AppError } from "../../platform/http/errors.ts";
import type { Platform } from "../../platform/platform.ts";
import type { Person } from "./circles.ts";
import { partnerAccountLinked, partnerAccountUnlinked } from "./events.ts";
import { directoryPolicy, type TenantRef } from "./policy.ts";
import { partnerById } from "./repository.ts";
import { alliancePartnerAccounts } from "./schema.ts";
import { checkId } from "./schemas.ts";

/*
 * The people who act for a partner organisation (role alliance_partner): linked to it on its
 * entry by the municipal admin, one organisation per person and municipality. They see that
 * entry and the workspace, nothing else.
 */

type Deps = Pick<Platform, "db" | "keyring" | "clock" | "domainEvents">;

/** The accounts that act for a partner organisation. */
export async function accountsOf(tx: Db, tenantId: string, partnerId: string): Promise<Person[]> {
  return rows<Person>(
    tx,
    sql`select u.id, u.display_name as name, null as organisation from ${alliancePartnerAccounts} a join ${users} u on u.id = a.user_id
         where a.tenant_id = ${tenantId} and a.partner_id = ${partnerId} order by u.display_name`,
  );
}

/** Partner accounts of the municipality not yet linked to an organisation (to link one). */
export async function unlinkedPartnerAccounts(tx: Db, tenantId: string): Promise<Person[]> {
  return rows<Person>(
    tx,
    sql`select u.id, u.display_name as name, null as organisation from ${memberships} m join ${users} u on u.id = m.user_id
         where m.tenant_id = ${tenantId} and m.role = 'alliance_partner' and u.status <> 'disabled'
           and not exists (select 1 from ${alliancePartnerAccounts} a where a.tenant_id = m.tenant_id and a.user_id = u.id)
           -- Who administers the municipality never acts for a partner: they would link themselves and read what is referred.
           and not exists (select 1 from ${memberships} x where x.tenant_id = m.tenant_id and x.user_id = u.id and x.role = 'municipal_admin')
         order by u.display_name`,
  );
}

/** Links an account (role alliance_partner in this municipality) to a partner organisation, or unlinks it. */
export async function linkPartnerAccount(platform: Deps, actor: Actor, tenant: TenantRef, partnerId: string, userId: string, link: boolean): Promise<void> {
  directoryPolicy.authorize(actor, "edit", tenant);
  checkId(partnerId);
  checkId(userId);
  const now = platform.clock.now();
  const emitted = await withTenant(
    platform.db,
    tenant.id,
    async (tx) => {
      let eventId: string | null = null;
      if (link) {
        const partner = await partnerById(tx, tenant.id, partnerId);
        if (!partner) throw new AppError("not_found");
        if (!(await unlinkedPartnerAccounts(tx, tenant.id)).some((p) => p.id === userId)) throw new AppError("not_found");
        await tx.insert(alliancePartnerAccounts).values({ tenantId: tenant.id, partnerId, userId, createdAt: now });
        // Whoever refers cases there hears that one more person reads them (cases subscribes).
        eventId = await platform.domainEvents.emit(tx, partnerAccountLinked, tenant.id, { partnerId, partnerName: partner.name, userId });
      } else {
        const gone = await tx
          .delete(alliancePartnerAccounts)
          .where(
            and(eq(alliancePartnerAccounts.tenantId, tenant.id), eq(alliancePartnerAccounts.partnerId, partnerId), eq(alliancePartnerAccounts.userId, userId)),
          )
          .returning({ userId: alliancePartnerAccounts.userId });
        if (gone.length === 0) throw new AppError("not_found");
        // Nobody left to read what is referred there: the leads of those cases hear it (cases subscribes).
        const partner = await partnerById(tx, tenant.id, partnerId);
        const remaining = (await accountsOf(tx, tenant.id, partnerId)).length;
        eventId = await platform.domainEvents.emit(tx, partnerAccountUnlinked, tenant.id, { partnerId, partnerName: partner?.name ?? "", userId, remaining });
      }
      await appendAudit(
        tx,
        {
          tenantId: tenant.id,
          actorId: actor.userId,
          action: link ? "alliance.account.linked" : "alliance.account.unlinked",
          objectType: "alliance_partner",
          objectId: partnerId,
        },
        now,
      );
      return eventId;
    },
    actor.userId,
  );
  if (emitted) await platform.domainEvents.deliver(tenant.id, [emitted]);
}

/** The ids of the accounts acting for each of the given partners. */
export async function accountIdsOf(tx: Db, tenantId: string, partnerIds: string[]): Promise<Map<string, string[]>> {
  const found =
    partnerIds.length === 0
      ? []
      : await tx
          .select({ partnerId: alliancePartnerAccounts.partnerId, userId: alliancePartnerAccounts.userId })
          .from(alliancePartnerAccounts)
          .where(and(eq(alliancePartnerAccounts.tenantId, tenantId), inArray(alliancePartnerAccounts.partnerId, partnerIds)));
  const map = new Map<string, string[]>();
  for (const f of found) map.set(f.partnerId, [...(map.get(f.partnerId) ?? []), f.userId]);
  return map;
}

/** The organisation an account acts for in the municipality (null: none), for other modules. */
export async function organisationOfAccount(platform: Pick<Platform, "db">, tenantId: string, userId: string): Promise<{ id: string; name: string } | null> {
  const [row] = await withTenant(platform.db, tenantId, (tx) =>
    rows<{ id: string; name: string }>(
      tx,
      sql`select p.id, p.name from ${alliancePartnerAccounts} a join alliance_partners p on p.tenant_id = a.tenant_id and p.id = a.partner_id
           where a.tenant_id = ${tenantId} and a.user_id = ${userId}`,
    ),
  );
  return row ?? null;
}

/** The accounts that act for an organisation, by id (for other modules' rules and notices). */
export async function accountsActingFor(platform: Pick<Platform, "db">, tenantId: string, partnerId: string): Promise<string[]> {
  return (await withTenant(platform.db, tenantId, (tx) => accountsOf(tx, tenantId, partnerId))).map((p) => p.id);
}
