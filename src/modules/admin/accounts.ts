import { and, eq } from "drizzle-orm";
import { appendAudit } from "../../platform/audit/audit.ts";
import { accountTenantIds, resetSecondFactor, setAccountStatus } from "../../platform/auth/service.ts";
import type { Actor } from "../../platform/authz/policy.ts";
import { withTenant } from "../../platform/db/client.ts";
import { memberships } from "../../platform/db/schema.ts";
import type { Platform } from "../../platform/platform.ts";
import { findPerson, type Person, type TenantRow } from "./commands.ts";
import { type AccountRef, accountPolicy } from "./policy.ts";
import { withdrawAsked } from "./role-confirmations.ts";
import type { ResetReason } from "./schemas.ts";

/*
 * What an admin can do to a person's account from the people page: reset the second factor
 * (with a reason from a fixed list), disable or enable the account, or remove the person from
 * this municipality. The rules (accountPolicy) decide who may do which to whom.
 */

/** The account as the rules see it, for a person listed in this municipality (else NotFound). */
export async function accountOf(platform: Platform, actor: Actor, tenant: TenantRow, userId: string): Promise<{ person: Person; account: AccountRef }> {
  const person = await findPerson(platform, actor, tenant, userId);
  const tenantIds = await accountTenantIds(platform, person.userId);
  return { person, account: { tenantId: tenant.id, tenant, person: { userId: person.userId, tenantIds } } };
}

/** The entry goes where it was done and to every tenant the person works in. */
async function auditAccountChange(platform: Platform, actor: Actor, account: AccountRef, action: string, details: Record<string, unknown> = {}) {
  const now = platform.clock.now();
  for (const tenantId of new Set([account.tenantId, ...account.person.tenantIds])) {
    await withTenant(
      platform.db,
      tenantId,
      (tx) => appendAudit(tx, { tenantId, actorId: actor.userId, action, objectType: "user", objectId: account.person.userId, details }, now),
      actor.userId,
    );
  }
}

/** Removes the second factor and ends all sessions; the person enrols a new one at next sign-in. */
export async function resetPersonSecondFactor(platform: Platform, actor: Actor, account: AccountRef, reason: ResetReason): Promise<void> {
  accountPolicy.authorize(actor, "resetSecondFactor", account);
  await resetSecondFactor(platform, account.person.userId);
  await auditAccountChange(platform, actor, account, "person.second_factor_reset", { reason });
}

/** Disables the account everywhere and ends its sessions, or enables it again. */
export async function setPersonAccountStatus(platform: Platform, actor: Actor, account: AccountRef, status: "active" | "disabled"): Promise<void> {
  accountPolicy.authorize(actor, status === "disabled" ? "disable" : "enable", account);
  if (await setAccountStatus(platform, account.person.userId, status)) {
    await auditAccountChange(platform, actor, account, status === "disabled" ? "account.disabled" : "account.enabled");
  }
}

/** Takes every role in this municipality from the person; their account and other memberships stay. */
export async function removeFromTenant(platform: Platform, actor: Actor, account: AccountRef): Promise<void> {
  accountPolicy.authorize(actor, "remove", account);
  const { tenantId } = account;
  await withTenant(
    platform.db,
    tenantId,
    async (tx) => {
      await tx.delete(memberships).where(and(eq(memberships.tenantId, tenantId), eq(memberships.userId, account.person.userId)));
      // What was asked for the person goes too: a later confirmation would bring them back.
      await withdrawAsked(tx, tenantId, account.person.userId);
      await appendAudit(
        tx,
        { tenantId, actorId: actor.userId, action: "person.removed", objectType: "user", objectId: account.person.userId },
        platform.clock.now(),
      );
    },
    actor.userId,
  );
}
