import { and, eq, inArray, sql } from "drizzle-orm";
import type { Db } from "../../platform/db/client.ts";
import { tenants } from "../../platform/db/schema.ts";
import type { EventHandler } from "../../platform/events/events.ts";
import type { Platform } from "../../platform/platform.ts";
import { assessmentTaken, practiceAdopted } from "../knowledge/index.ts";
import { attendanceRecorded } from "../trainings/index.ts";
import { bookedIn } from "./handlers.ts";
import { addToRollups, type Contribution, contributionDelta, monthOf, openMonthSql } from "./records.ts";
import { statisticsSources } from "./schema.ts";

/*
 * Figures from other sources than cases, from their modules' events: training reach (people
 * trained, by role and topic, counted for the municipality each comes from), strategy progress
 * (each municipality's latest self-assessment of a month) and knowledge transfer (practices
 * adopted). Each source remembers what it added, so that a newer version (corrected attendance, a
 * new self-assessment) takes the older one's place in the rollups — within the month under way
 * only: a month that is over keeps what it counted (`replaceSource`).
 */

/** A training's contribution, with the municipality the people trained come from (kept with the source, not in the rollups). */
type Reached = Contribution & { tenantId?: string };

/**
 * Replaces what a source added to the rollups with what it adds now, as of `month` (the first day
 * of the month the change happened in). What it added to a month before stays: that month is
 * over, its figures released as they stood, and a difference between two releases must not tell
 * one municipality's earlier answer (a self-assessment taken again, attendance corrected). What it
 * adds now to such a month is booked in `month` — unless it had added to a month that is over
 * already: a correction of figures released is not taken. Returns what it had added.
 */
export async function replaceSource(
  tx: Db,
  tenantId: string,
  source: string,
  now: readonly Reached[],
  { month, at }: { month: string; at: Date },
): Promise<Reached[]> {
  const [before] = await tx
    .select({ contributions: statisticsSources.contributions })
    .from(statisticsSources)
    .where(and(eq(statisticsSources.tenantId, tenantId), eq(statisticsSources.source, source)))
    .for("update");
  const old = (before?.contributions ?? []) as Reached[];
  const over = old.filter((c) => c.month < month);
  const booked = over.length > 0 ? now.filter((c) => c.month >= month) : now.map((c) => (c.month < month ? { ...c, month } : c));
  const next = [...over, ...booked];
  await addToRollups(tx, contributionDelta(old, next), at);
  await keepSource(tx, tenantId, source, next, at);
  return old;
}

/** Keeps what a source contributes without adding it to the rollups (a municipality's own share of a training). */
export async function keepSource(tx: Db, tenantId: string, source: string, contributions: readonly Contribution[], at: Date): Promise<void> {
  await tx
    .insert(statisticsSources)
    .values({ tenantId, source, contributions, updatedAt: at })
    .onConflictDoUpdate({ target: [statisticsSources.tenantId, statisticsSources.source], set: { contributions, updatedAt: at } });
}

/**
 * Each municipality's own share of a training session ("reach:<session>", in that municipality,
 * for its own Lagebild; not added to the rollups again): written in the event's transaction
 * under that municipality's row-level security, then the event's tenant is set back. A
 * municipality no longer among the corrected attendance keeps an empty share.
 */
async function keepOwnReach(tx: Db, eventTenant: string, sessionId: string, old: readonly Reached[], now: readonly Reached[], at: Date) {
  const tenantsOf = (list: readonly Reached[]) => new Set(list.flatMap((c) => (c.tenantId ? [c.tenantId] : [])));
  const all = [...new Set([...tenantsOf(old), ...tenantsOf(now)])].sort();
  for (const tenantId of all) {
    await tx.execute(sql`select set_config('app.tenant_id', ${tenantId}, true)`);
    // Empty for a municipality no longer reached.
    const own = now.filter((c) => c.tenantId === tenantId).map(({ tenantId: _, ...c }) => c);
    await keepSource(tx, tenantId, `reach:${sessionId}`, own, at);
  }
  // (On an error the transaction is rolled back as a whole, its settings with it.)
  await tx.execute(sql`select set_config('app.tenant_id', ${eventTenant}, true)`);
}

async function tenantFacts(tx: Db, ids: readonly string[]): Promise<Map<string, { land: string; kind: string }>> {
  if (ids.length === 0) return new Map();
  const found = await tx
    .select({ id: tenants.id, land: tenants.land, kind: tenants.kind })
    .from(tenants)
    .where(inArray(tenants.id, [...ids]));
  return new Map(found.map((t) => [t.id, { land: t.land ?? "", kind: t.kind }]));
}

/** A handler typed by its event, in a list of several. */
const typed = <T>(h: EventHandler<T>) => h as EventHandler<unknown>;

export function activityHandlers(platform: Pick<Platform, "clock">): EventHandler<unknown>[] {
  return [
    typed({
      name: "monitoring.training-reach",
      event: attendanceRecorded,
      async handle({ tx, event }) {
        const p = event.payload;
        const facts = await tenantFacts(
          tx,
          p.reach.map((r) => r.tenantId),
        );
        const month = `${p.month}-01`;
        const contributions: Reached[] = p.reach.flatMap((r) => {
          const t = facts.get(r.tenantId);
          if (!t) return [];
          const base = { month, land: t.land, kind: t.kind, sum: 0, count: r.count, tenantId: r.tenantId };
          return [
            { ...base, dimension: "training_reach" as const, code: r.role },
            ...p.topics.map((topic) => ({ ...base, dimension: "training_topic" as const, code: topic })),
          ];
        });
        const at = platform.clock.now();
        const old = await replaceSource(tx, event.tenantId, `session:${p.sessionId}`, contributions, { month: monthOf(event.occurredAt), at });
        await keepOwnReach(tx, event.tenantId, p.sessionId, old, contributions, at);
      },
    }),
    typed({
      name: "monitoring.strategy-progress",
      event: assessmentTaken,
      async handle({ tx, event }) {
        const [t] = await tx
          .select({ land: tenants.land, kind: tenants.kind, open: openMonthSql(tenants.id) })
          .from(tenants)
          .where(eq(tenants.id, event.tenantId));
        if (!t || t.kind === "national") return;
        // In the month it was taken, like a case's event: in a month already released, in the first one open.
        const month = bookedIn(event.payload.takenAt ?? event.occurredAt, { land: t.land, kind: t.kind, open: t.open }, platform.clock.now());
        const contributions: Contribution[] = Object.entries(event.payload.scores).map(([dimension, score]) => ({
          month,
          land: t.land ?? "",
          kind: t.kind,
          dimension: "strategy_score",
          code: dimension,
          count: 1,
          sum: score as number,
        }));
        // The latest self-assessment stands for the municipality: it replaces the one before.
        await replaceSource(tx, event.tenantId, "assessment", contributions, { month, at: platform.clock.now() });
      },
    }),
    typed({
      name: "monitoring.knowledge-transfer",
      event: practiceAdopted,
      async handle({ tx, event }) {
        const t = (await tenantFacts(tx, [event.tenantId])).get(event.tenantId);
        if (!t) return;
        const month = monthOf(event.occurredAt);
        await replaceSource(
          tx,
          event.tenantId,
          `adoption:${event.payload.copyId}`,
          [{ month, land: t.land, kind: t.kind, dimension: "adoption", code: "all", count: 1, sum: 0 }],
          { month, at: platform.clock.now() },
        );
      },
    }),
  ];
}
