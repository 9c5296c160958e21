import { and, eq, gt } from "drizzle-orm";
import { appendAudit } from "../../platform/audit/audit.ts";
import { withTenant } from "../../platform/db/client.ts";
import { translator } from "../../platform/i18n/i18n.ts";
import { loggableError } from "../../platform/logging/loggable-error.ts";
import type { Platform } from "../../platform/platform.ts";
import { mailClearingOffice } from "./office-mail.ts";
import { reportFloods } from "./schema.ts";

/*
 * A flood of (fake) reports must not silence a municipality: every report is still accepted
 * and numbered, and genuine reporters notice nothing. What changes is that the clearing office
 * learns of it at once (a notice in the app and a mail, at most once an hour) and the operator
 * sees it in the log. Arrivals are counted in this process (no database work on the hot path);
 * with several processes each counts its own share, so set the threshold per process. Whether
 * the hour since the last alert has passed is decided in the database (shared counters), so
 * that several processes passing the threshold together alert the office once, not once each.
 */

const ALERT_EVERY_MS = 3_600_000;
/** How long the office's notice stays after the last alert. */
export const FLOOD_NOTICE_MS = 24 * 3_600_000;

export interface FloodAlert {
  tenantId: string;
  tenantSlug: string;
  count: number;
  windowMinutes: number;
}

export function createFloodWatch(platform: Platform) {
  const { threshold, windowMs } = platform.config.reportFlood;
  const arrivals = new Map<string, number[]>();
  const alertedAt = new Map<string, number>();

  async function alert(tenant: { id: string; slug: string; name: string }, count: number, now: Date) {
    const t = translator("de");
    const windowMinutes = Math.round(windowMs / 60_000);
    const mailIds = await withTenant(platform.db, tenant.id, async (tx) => {
      await tx
        .insert(reportFloods)
        .values({ tenantId: tenant.id, startedAt: now, lastAlertAt: now, count })
        .onConflictDoUpdate({ target: reportFloods.tenantId, set: { lastAlertAt: now, count } });
      await appendAudit(
        tx,
        { tenantId: tenant.id, actorId: null, action: "report.flood_detected", objectType: "tenant", objectId: tenant.id, details: { count, windowMinutes } },
        now,
      );
      return mailClearingOffice(platform, tx, tenant.id, (place) => [
        {
          subject: t("reports.mail.floodSubject", { tenant: place.name }),
          text: t("reports.mail.floodBody", { tenant: place.name, count, minutes: windowMinutes, link: place.link("/faelle") }),
        },
      ]);
    });
    await platform.mailer.dispatch(mailIds);
    platform.events.emit("reports.flood", { tenantId: tenant.id, tenantSlug: tenant.slug, count, windowMinutes } satisfies FloodAlert);
  }

  return {
    /** Counts an accepted report; alerts when the municipality's reports pass the threshold. */
    noteReport(tenant: { id: string; slug: string; name: string }): void {
      const now = platform.clock.now();
      const since = now.getTime() - windowMs;
      const list = (arrivals.get(tenant.id) ?? []).filter((at) => at > since);
      list.push(now.getTime());
      arrivals.set(tenant.id, list.length > threshold * 2 ? list.slice(-threshold * 2) : list);
      if (list.length < threshold) return;
      const last = alertedAt.get(tenant.id) ?? 0;
      if (now.getTime() - last < ALERT_EVERY_MS) return;
      alertedAt.set(tenant.id, now.getTime());
      // The reporter does not wait for the alert, and a failed alert does not fail the report.
      platform.counters
        .take("flood-alert", tenant.id, ALERT_EVERY_MS, 1, 1)
        .then((first) => (first ? alert(tenant, list.length, now) : undefined))
        .catch((err: unknown) => console.error("flood alert failed:", JSON.stringify(loggableError(err))));
    },
  };
}

export type FloodWatch = ReturnType<typeof createFloodWatch>;

const watches = new WeakMap<Platform, FloodWatch>();

/** This process's watch for the platform. */
export function floodWatch(platform: Platform): FloodWatch {
  let watch = watches.get(platform);
  if (!watch) {
    watch = createFloodWatch(platform);
    watches.set(platform, watch);
  }
  return watch;
}

/** The flood the office should hear of (alerted within the last day), if any. */
export async function currentFlood(platform: Platform, tenantId: string): Promise<{ count: number; since: Date } | null> {
  const now = platform.clock.now();
  const [row] = await withTenant(platform.db, tenantId, (tx) =>
    tx
      .select()
      .from(reportFloods)
      .where(and(eq(reportFloods.tenantId, tenantId), gt(reportFloods.lastAlertAt, new Date(now.getTime() - FLOOD_NOTICE_MS)))),
  );
  return row ? { count: row.count, since: row.startedAt } : null;
}
