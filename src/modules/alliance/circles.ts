import { and, eq, sql } from "drizzle-orm";
import type { Actor } from "../../platform/authz/policy.ts";
import { type Db, rows } from "../../platform/db/client.ts";
import { memberships, users } from "../../platform/db/schema.ts";
import { CIRCLE_ROLES, circlePolicy, type TenantRef } from "./policy.ts";
import { allianceCircleMembers, alliancePartnerAccounts, alliancePartners, type Circle } from "./schema.ts";

/* Who may belong to the workspace's circles, who does, and the check that the actor is a member. */

export interface Person {
  id: string;
  name: string;
  /** The partner organisation the person acts for, if any. */
  organisation: string | null;
}

/** The people who may belong to a circle: the municipality's people and the partners' (active accounts). */
export async function eligiblePeople(tx: Db, tenantId: string): Promise<Person[]> {
  return rows<Person>(
    tx,
    sql`select u.id, u.display_name as name, max(p.name) as organisation
          from ${memberships} m join ${users} u on u.id = m.user_id
          left join ${alliancePartnerAccounts} a on a.tenant_id = m.tenant_id and a.user_id = u.id
          left join ${alliancePartners} p on p.tenant_id = a.tenant_id and p.id = a.partner_id
         where m.tenant_id = ${tenantId} and u.status = 'active' and m.role in (${sql.join(
           CIRCLE_ROLES.map((r) => sql`${r}`),
           sql`, `,
         )})
         group by u.id, u.display_name
         order by u.display_name`,
  );
}

export async function memberIdsOf(tx: Db, tenantId: string, circle: Circle): Promise<string[]> {
  const found = await tx
    .select({ userId: allianceCircleMembers.userId })
    .from(allianceCircleMembers)
    .where(and(eq(allianceCircleMembers.tenantId, tenantId), eq(allianceCircleMembers.circle, circle)));
  return found.map((m) => m.userId);
}

/** Refuses (as not found) anyone who is not a member of the circle. */
export async function authorizeCircle(tx: Db, actor: Actor, tenant: TenantRef, circle: Circle): Promise<string[]> {
  const memberIds = await memberIdsOf(tx, tenant.id, circle);
  circlePolicy.authorize(actor, "view", { tenantId: tenant.id, tenantKind: tenant.kind, memberIds });
  return memberIds;
}
