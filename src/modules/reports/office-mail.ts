import { and, eq } from "drizzle-orm";
import type { Db } from "../../platform/db/client.ts";
import { memberships, users } from "../../platform/db/schema.ts";
import type { Platform } from "../../platform/platform.ts";

/**
 * Queues each mail to each active clearing officer of the municipality, in the caller's tenant
 * transaction; returns the ids to dispatch after commit. Such mails never carry case content.
 */
export async function mailClearingOffice(
  platform: Pick<Platform, "mailer">,
  tx: Db,
  tenantId: string,
  ...mails: { subject: string; text: string }[]
): Promise<string[]> {
  const officers = await tx
    .select({ email: users.email })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(memberships.tenantId, tenantId), eq(memberships.role, "clearing_officer"), eq(users.status, "active")));
  return platform.mailer.enqueueMany(
    tx,
    mails.flatMap((mail) => officers.map((o) => ({ to: o.email, ...mail }))),
  );
}
