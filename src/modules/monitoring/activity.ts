import { and, eq, inArray } from "drizzle-orm";
import { berlinDate } from "../../platform/calendar.ts";
import type { Db } from "../../platform/db/client.ts";
import { tenants } from "../../platform/db/schema.ts";
import type { EventHandler } from "../../platform/events/events.ts";
import type { Platform } from "../../platform/platform.ts";
import { assessmentTaken, practiceAdopted } from "../knowledge/index.ts";
import { attendanceRecorded } from "../trainings/index.ts";
import { addToRollups, type Contribution, contributionDelta } from "./records.ts";
import { statisticsSources } from "./schema.ts";

/*
 * Figures from other sources than cases, from their modules' events: training reach (people
 * trained, by role and topic, counted for the municipality each comes from), strategy progress
 * (each municipality's latest self-assessment) and knowledge transfer (practices adopted). Each
 * source remembers what it added, so that a newer version (corrected attendance, a new
 * self-assessment) takes the older one's place in the rollups.
 */

/** Replaces what a source added to the rollups with what it adds now. */
export async function replaceSource(tx: Db, tenantId: string, source: string, now: readonly Contribution[], at: Date): Promise<void> {
  const [before] = await tx
    .select({ contributions: statisticsSources.contributions })
    .from(statisticsSources)
    .where(and(eq(statisticsSources.tenantId, tenantId), eq(statisticsSources.source, source)))
    .for("update");
  const old = (before?.contributions ?? []) as Contribution[];
  await addToRollups(tx, contributionDelta(old, now), at);
  await tx
    .insert(statisticsSources)
    .values({ tenantId, source, contributions: now, updatedAt: at })
    .onConflictDoUpdate({ target: [statisticsSources.tenantId, statisticsSources.source], set: { contributions: now, updatedAt: at } });
}

async function tenantFacts(tx: Db, ids: readonly string[]): Promise<Map<string, { land: string; kind: string }>> {
  if (ids.length === 0) return new Map();
  const found = await tx
    .select({ id: tenants.id, land: tenants.land, kind: tenants.kind })
    .from(tenants)
    .where(inArray(tenants.id, [...ids]));
  return new Map(found.map((t) => [t.id, { land: t.land ?? "", kind: t.kind }]));
}

const monthOf = (d: Date) => `${berlinDate(d).slice(0, 7)}-01`;

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
        const contributions: Contribution[] = p.reach.flatMap((r) => {
          const t = facts.get(r.tenantId);
          if (!t) return [];
          const base = { month, land: t.land, kind: t.kind, sum: 0, count: r.count };
          return [
            { ...base, dimension: "training_reach" as const, code: r.role },
            ...p.topics.map((topic) => ({ ...base, dimension: "training_topic" as const, code: topic })),
          ];
        });
        await replaceSource(tx, event.tenantId, `session:${p.sessionId}`, contributions, platform.clock.now());
      },
    }),
    typed({
      name: "monitoring.strategy-progress",
      event: assessmentTaken,
      async handle({ tx, event }) {
        const t = (await tenantFacts(tx, [event.tenantId])).get(event.tenantId);
        if (!t || t.kind === "national") return;
        const month = monthOf(event.occurredAt);
        const contributions: Contribution[] = Object.entries(event.payload.scores).map(([dimension, score]) => ({
          month,
          land: t.land,
          kind: t.kind,
          dimension: "strategy_score",
          code: dimension,
          count: 1,
          sum: score as number,
        }));
        // The latest self-assessment stands for the municipality: it replaces the one before.
        await replaceSource(tx, event.tenantId, "assessment", contributions, platform.clock.now());
      },
    }),
    typed({
      name: "monitoring.knowledge-transfer",
      event: practiceAdopted,
      async handle({ tx, event }) {
        const t = (await tenantFacts(tx, [event.tenantId])).get(event.tenantId);
        if (!t) return;
        await replaceSource(
          tx,
          event.tenantId,
          `adoption:${event.payload.copyId}`,
          [{ month: monthOf(event.occurredAt), land: t.land, kind: t.kind, dimension: "adoption", code: "all", count: 1, sum: 0 }],
          platform.clock.now(),
        );
      },
    }),
  ];
}
