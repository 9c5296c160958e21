import { and, eq } from "drizzle-orm";
import type { Db } from "../../platform/db/client.ts";
import { memberships, users } from "../../platform/db/schema.ts";
import type { Platform } from "../../platform/platform.ts";

/**
 * Queues one mail to each active clearing officer of the municipality, in the caller's tenant
 * transaction; returns the ids to dispatch after commit. Such mails never carry case content.
 */
export async function mailClearingOffice(
  platform: Pick<Platform, "mailer">,
  tx: Db,
  tenantId: string,
  mail: { subject: string; text: string },
): Promise<string[]> {
  const officers = await tx
    .select({ email: users.email })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(memberships.tenantId, tenantId), eq(memberships.role, "clearing_officer"), eq(users.status, "active")));
  const ids: string[] = [];
  for (const o of officers) ids.push(await platform.mailer.enqueue(tx, { to: o.email, ...mail }));
  return ids;
}
