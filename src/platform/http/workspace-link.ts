import { eq } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import { tenants } from "../db/schema.ts";

/*
 * A mail leads into one municipality's workspace. Case numbers, partners and meetings are
 * numbered per municipality, and a person may work in several: a bare `/faelle/MUS-2026-0001`
 * would open whichever municipality they happen to be working in. The link names the
 * municipality (`/konto/kommune/<slug>/faelle/…`): there KommA opens the page, after asking
 * to switch for someone who is working elsewhere just then.
 */

/** The municipality a mail is about: its name for the text, its links for the buttons. */
export interface MailPlace {
  name: string;
  /** The full address of `path` (from "/", with query and anchor) in this municipality. */
  link(path: string): string;
}

export function workspaceLink(publicUrl: string, tenantSlug: string, path: string): string {
  return `${publicUrl}/konto/kommune/${tenantSlug}${path === "/" ? "" : path}`;
}

/** The municipality of `tenantId` as a mail names it and links into it. */
export async function mailPlace(tx: Db, publicUrl: string, tenantId: string): Promise<MailPlace> {
  const [tenant] = await tx.select({ slug: tenants.slug, name: tenants.name }).from(tenants).where(eq(tenants.id, tenantId));
  if (!tenant) throw new Error("a mail about a municipality that does not exist");
  return { name: tenant.name, link: (path) => workspaceLink(publicUrl, tenant.slug, path) };
}
