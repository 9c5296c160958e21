import { and, eq } from "drizzle-orm";
import type { Db } from "../../platform/db/client.ts";
import { memberships, users } from "../../platform/db/schema.ts";
import { type MailPlace, mailPlace } from "../../platform/http/workspace-link.ts";
import type { Platform } from "../../platform/platform.ts";

/**
 * Queues each mail to each active clearing officer of the municipality, in the caller's tenant
 * transaction; returns the ids to dispatch after commit. Such mails never carry case content.
 * `compose` writes them with the municipality's name and links into it (`mailPlace`).
 */
export async function mailClearingOffice(
  platform: Pick<Platform, "mailer" | "config">,
  tx: Db,
  tenantId: string,
  compose: (place: MailPlace) => { subject: string; text: string }[],
): Promise<string[]> {
  const mails = compose(await mailPlace(tx, platform.config.publicUrl, tenantId));
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
