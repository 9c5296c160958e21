import { and, desc, eq, inArray, isNull, sql } from "drizzle-orm";
import type { Role } from "../authz/policy.ts";
import { type Db, withTenant } from "../db/client.ts";
import { memberships, notificationSettings, notifications, users } from "../db/schema.ts";
import { mailPlace } from "../http/workspace-link.ts";
import { isUiLanguage, translator } from "../i18n/i18n.ts";
import type { Platform } from "../platform.ts";

/*
 * The notification centre: a module tells people what needs them (a case escalated, a deadline
 * near) in the transaction of the change, in the app and, if it asks, by mail. A notice names its
 * text by an i18n key (`<kind>.title`) with parameters — a case number, a date, never content —
 * so it reads in each person's language and a mail says no more than the number.
 */

export interface Notice {
  /** An i18n key prefix: `<kind>.title` is the notice's one line. */
  kind: string;
  params: Record<string, string | number>;
  /** A path in the app the notice leads to. */
  link: string;
}

export interface NoticeRow extends Notice {
  id: string;
  createdAt: Date;
  readAt: Date | null;
}

/** The active people with one of the roles in the municipality. */
export async function peopleWithRoles(tx: Db, tenantId: string, roles: readonly Role[]): Promise<string[]> {
  if (roles.length === 0) return [];
  const found = await tx
    .selectDistinct({ id: users.id })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(memberships.tenantId, tenantId), inArray(memberships.role, [...roles]), eq(users.status, "active")));
  return found.map((u) => u.id);
}

/**
 * Writes the notice for each person (once per person) in the caller's transaction; with `mail`,
 * queues a mail to each in their language. Returns the mails' ids: dispatch them after commit.
 */
export async function notify(
  platform: Pick<Platform, "mailer" | "config" | "clock">,
  tx: Db,
  tenantId: string,
  userIds: readonly string[],
  notice: Notice,
  opts: { mail: boolean },
): Promise<string[]> {
  return notifyMany(platform, tx, tenantId, [{ userIds, notice }], opts);
}

/** Several notices, each to its people, in one statement (and one for their mails): a scan's reminders. */
export async function notifyMany(
  platform: Pick<Platform, "mailer" | "config" | "clock">,
  tx: Db,
  tenantId: string,
  items: readonly { userIds: readonly string[]; notice: Notice }[],
  opts: { mail: boolean },
): Promise<string[]> {
  const pairs = items.flatMap(({ userIds, notice }) => [...new Set(userIds)].map((userId) => ({ userId, notice })));
  if (pairs.length === 0) return [];
  const now = platform.clock.now();
  await tx.insert(notifications).values(pairs.map(({ userId, notice }) => ({ tenantId, userId, ...notice, createdAt: now })));
  if (!opts.mail) return [];
  const people = [...new Set(pairs.map((p) => p.userId))];
  const recipients = new Map(
    (
      await tx
        .select({ id: users.id, email: users.email, locale: users.locale })
        .from(users)
        .where(and(inArray(users.id, people), eq(users.status, "active")))
    ).map((r) => [r.id, r]),
  );
  const place = await mailPlace(tx, platform.config.publicUrl, tenantId);
  return platform.mailer.enqueueMany(
    tx,
    pairs.flatMap(({ userId, notice }) => {
      const r = recipients.get(userId);
      if (!r) return [];
      const t = translator(isUiLanguage(r.locale) ? r.locale : "de");
      const title = t(`${notice.kind}.title`, notice.params);
      return [{ to: r.email, subject: title, text: t("notifications.mailBody", { title, tenant: place.name, link: place.link(notice.link) }) }];
    }),
  );
}

/** How many notices the person has not read in the municipality. */
export async function unreadNotices(db: Db, tenantId: string, userId: string): Promise<number> {
  const [row] = await withTenant(db, tenantId, (tx) =>
    tx
      .select({ n: sql<number>`count(*)::int` })
      .from(notifications)
      .where(and(eq(notifications.tenantId, tenantId), eq(notifications.userId, userId), isNull(notifications.readAt))),
  );
  return row?.n ?? 0;
}

export const NOTICES_PER_PAGE = 50;

/** The person's latest notices in the municipality, newest first. */
export async function noticesOf(db: Db, tenantId: string, userId: string): Promise<NoticeRow[]> {
  return withTenant(db, tenantId, (tx) =>
    tx
      .select({
        id: notifications.id,
        kind: notifications.kind,
        params: notifications.params,
        link: notifications.link,
        createdAt: notifications.createdAt,
        readAt: notifications.readAt,
      })
      .from(notifications)
      .where(and(eq(notifications.tenantId, tenantId), eq(notifications.userId, userId)))
      .orderBy(desc(notifications.createdAt), desc(notifications.id))
      .limit(NOTICES_PER_PAGE),
  );
}

/** Marks one notice (or, without an id, all) of the person read; returns the one notice's link. */
export async function markNoticesRead(db: Db, tenantId: string, userId: string, id: string | null, now: Date): Promise<string | null> {
  return withTenant(db, tenantId, async (tx) => {
    const mine = and(eq(notifications.tenantId, tenantId), eq(notifications.userId, userId));
    if (id === null) {
      await tx
        .update(notifications)
        .set({ readAt: now })
        .where(and(mine, isNull(notifications.readAt)));
      return null;
    }
    const [row] = await tx
      .update(notifications)
      .set({ readAt: sql`coalesce(${notifications.readAt}, ${now.toISOString()}::timestamptz)` })
      .where(and(mine, eq(notifications.id, id)))
      .returning({ link: notifications.link });
    return row?.link ?? null;
  });
}

/** Whether the person wants the daily summary by mail in the municipality. */
export async function wantsDigest(db: Db, tenantId: string, userId: string): Promise<boolean> {
  const [row] = await withTenant(db, tenantId, (tx) =>
    tx
      .select({ on: notificationSettings.dailyDigest })
      .from(notificationSettings)
      .where(and(eq(notificationSettings.tenantId, tenantId), eq(notificationSettings.userId, userId))),
  );
  return row?.on ?? false;
}

export async function setDigest(db: Db, tenantId: string, userId: string, on: boolean, now: Date): Promise<void> {
  await withTenant(db, tenantId, (tx) =>
    tx
      .insert(notificationSettings)
      .values({ tenantId, userId, dailyDigest: on, updatedAt: now })
      .onConflictDoUpdate({ target: [notificationSettings.tenantId, notificationSettings.userId], set: { dailyDigest: on, updatedAt: now } }),
  );
}

/** The active people of the municipality who want the daily summary, with their address and language. */
export async function digestSubscribers(tx: Db, tenantId: string): Promise<{ id: string; email: string; locale: string | null }[]> {
  return tx
    .select({ id: users.id, email: users.email, locale: users.locale })
    .from(notificationSettings)
    .innerJoin(users, eq(users.id, notificationSettings.userId))
    .where(and(eq(notificationSettings.tenantId, tenantId), eq(notificationSettings.dailyDigest, true), eq(users.status, "active")));
}
