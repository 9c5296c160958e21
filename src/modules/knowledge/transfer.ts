import { sql } from "drizzle-orm";
import type { Actor } from "../../platform/authz/policy.ts";
import { rows, withTenant } from "../../platform/db/client.ts";
import type { Platform } from "../../platform/platform.ts";
import { libraryPolicy } from "./policy.ts";
import { practiceAdoptions, practiceFeedback, practices } from "./schema.ts";

/*
 * Whose practice travelled to whom: every adoption with its origin, the adopting municipality,
 * when, and what it said of it — for the national level, which sees the transfer across the
 * network (the database lets its tenant read adoptions and feedback; nobody else sees others').
 */

export interface TransferEdge {
  originId: string;
  originTitle: string | null;
  fromTenant: string;
  toTenant: string;
  adoptedAt: Date;
  score: number | null;
}

export interface Transfer {
  edges: TransferEdge[];
  /** Per practice: how often adopted, and the mean feedback score where there is any. */
  byPractice: { originId: string; title: string | null; from: string; adoptions: number; meanScore: number | null; answers: number }[];
  /** Per municipality: how many of its practices others adopted, and how many it adopted. */
  byTenant: { name: string; given: number; taken: number }[];
}

export async function transfer(platform: Pick<Platform, "db">, actor: Actor): Promise<Transfer> {
  libraryPolicy.authorize(actor, "reviewQueue", { id: actor.nationalTenantId, kind: "national" });
  const edges = await withTenant(
    platform.db,
    actor.nationalTenantId,
    (tx) =>
      rows<TransferEdge>(
        tx,
        sql`select a.origin_id as "originId", o.title as "originTitle", ft.name as "fromTenant", tt.name as "toTenant",
                   a.adopted_at as "adoptedAt", f.score
              from ${practiceAdoptions} a
              join tenants ft on ft.id = a.origin_tenant_id
              join tenants tt on tt.id = a.tenant_id
              left join ${practices} o on o.id = a.origin_id
              left join ${practiceFeedback} f on f.tenant_id = a.tenant_id and f.origin_id = a.origin_id
             order by a.adopted_at desc`,
      ),
    actor.userId,
  );
  const practicesSeen = new Map<string, Transfer["byPractice"][number] & { sum: number }>();
  const tenantsSeen = new Map<string, { name: string; given: number; taken: number }>();
  const tenant = (name: string) => {
    const t = tenantsSeen.get(name) ?? { name, given: 0, taken: 0 };
    tenantsSeen.set(name, t);
    return t;
  };
  for (const e of edges) {
    const p = practicesSeen.get(e.originId) ?? {
      originId: e.originId,
      title: e.originTitle,
      from: e.fromTenant,
      adoptions: 0,
      meanScore: null,
      answers: 0,
      sum: 0,
    };
    p.adoptions++;
    if (e.score !== null) {
      p.answers++;
      p.sum += e.score;
      p.meanScore = Math.round((p.sum / p.answers) * 10) / 10;
    }
    practicesSeen.set(e.originId, p);
    tenant(e.fromTenant).given++;
    tenant(e.toTenant).taken++;
  }
  return {
    edges: edges.map((e) => ({ ...e, adoptedAt: new Date(e.adoptedAt) })),
    byPractice: [...practicesSeen.values()]
      .map(({ sum: _, ...p }) => p)
      .sort((a, b) => b.adoptions - a.adoptions || String(a.title).localeCompare(String(b.title))),
    byTenant: [...tenantsSeen.values()].sort((a, b) => b.given + b.taken - (a.given + a.taken) || a.name.localeCompare(b.name)),
  };
}

/** The graph's lines: from → to with how many practices travelled, heaviest first. */
export function transferLinks(edges: readonly TransferEdge[]): { from: string; to: string; n: number }[] {
  const links = new Map<string, { from: string; to: string; n: number }>();
  for (const e of edges) {
    const key = `${e.fromTenant}\u0000${e.toTenant}`;
    const link = links.get(key) ?? { from: e.fromTenant, to: e.toTenant, n: 0 };
    link.n++;
    links.set(key, link);
  }
  return [...links.values()].sort((a, b) => b.n - a.n || a.from.localeCompare(b.from) || a.to.localeCompare(b.to));
}
