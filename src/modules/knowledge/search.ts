import { sql } from "drizzle-orm";
import type { Actor } from "../../platform/authz/policy.ts";
import { inTransaction, rows } from "../../platform/db/client.ts";
import type { Platform } from "../../platform/platform.ts";
import type { TenantRef } from "./library.ts";
import { readsNetwork } from "./policy.ts";
import { DIMENSIONS, type Dimension, PRACTICE_KINDS, type PracticeKind } from "./schema.ts";

/*
 * German full-text search over the library with PostgreSQL's `german` configuration (on PGlite as
 * on the server): word forms ("Anfeindung" finds "Anfeindungen"), umlauts and ß also typed as
 * ae/oe/ue/ss (the stored words hold each text as written and folded by `komma_fold`), the title
 * ranked before the tags, the summary
 * and the body, highlighted snippets, facets by tag. A short query that finds little also looks
 * for titles that are spelled alike (pg_trgm), so that a typo still finds the practice.
 */

export interface LibraryQuery {
  q: string;
  kind: PracticeKind | null;
  dimension: Dimension | null;
  tag: string | null;
}

export interface LibraryHit {
  id: string;
  title: string;
  summary: string;
  kind: PracticeKind;
  tags: string[];
  tenantName: string;
  /** The title in parts, odd-numbered parts the words found. */
  titleParts: string[];
  /** Parts of the text around the words found; odd-numbered parts are the words to highlight. */
  snippet: string[];
  /** Found by a similar spelling, not by the words themselves. */
  similar: boolean;
}

export interface LibraryResult {
  hits: LibraryHit[];
  tags: { tag: string; n: number }[];
}

const MARK_START = "\u0001";
const MARK_END = "\u0002";
const LIMIT = 30;
const SIMILAR = 0.5;

/** The query from an address's parameters: anything unknown is left out. */
export function parseLibraryQuery(raw: unknown): LibraryQuery {
  const q = (raw ?? {}) as Record<string, unknown>;
  const text = (v: unknown, max: number) =>
    typeof v === "string"
      ? v
          .replace(/[\p{Cc}\p{Cf}]/gu, "")
          .trim()
          .slice(0, max)
      : "";
  const kind = text(q.art, 40);
  const dimension = text(q.dimension, 40);
  const tag = text(q.schlagwort, 60);
  return {
    q: text(q.suche, 200),
    kind: (PRACTICE_KINDS as readonly string[]).includes(kind) ? (kind as PracticeKind) : null,
    dimension: (DIMENSIONS as readonly string[]).includes(dimension) ? (dimension as Dimension) : null,
    tag: tag || null,
  };
}

/** The words typed with umlauts put back (for highlighting a text that has them when the query had none). */
const unfold = (q: string) => q.replace(/ae/gi, "ä").replace(/oe/gi, "ö").replace(/ue/gi, "ü").replace(/ss/g, "ß");

/** Splits a headline into plain and highlighted parts (odd indexes highlighted), escaping nothing: the view does. */
function splitMarks(headline: string): string[] {
  const parts: string[] = [];
  let rest = headline;
  while (rest.length > 0) {
    const start = rest.indexOf(MARK_START);
    if (start < 0) {
      parts.push(rest);
      break;
    }
    const end = rest.indexOf(MARK_END, start);
    parts.push(rest.slice(0, start), rest.slice(start + 1, end < 0 ? undefined : end));
    rest = end < 0 ? "" : rest.slice(end + 1);
  }
  return parts.map((p) => p.replaceAll(MARK_START, "").replaceAll(MARK_END, ""));
}

/** A snippet that begins inside the text says so ("… "), as one that ends inside it does (" …"). */
function withEllipsis(parts: string[], summary: string): string[] {
  const text = parts.join("");
  const out = [...parts];
  if (!summary.startsWith(text.slice(0, Math.min(20, text.length)))) out[0] = `… ${out[0]}`;
  if (!/[.!?:]$/.test(text.trim())) out[out.length - 1] = `${out[out.length - 1]} …`;
  return out;
}

/** How often each tag occurs in the lists, most often first (at most twenty). */
function countTags(lists: string[][]): { tag: string; n: number }[] {
  const counts = new Map<string, number>();
  for (const tag of lists.flat()) counts.set(tag, (counts.get(tag) ?? 0) + 1);
  return [...counts]
    .map(([tag, n]) => ({ tag, n }))
    .sort((a, b) => b.n - a.n || a.tag.localeCompare(b.tag, "de"))
    .slice(0, 20);
}

/**
 * Published practices the viewer may read that match (signed out: public ones only), best first;
 * with the tags of all matches and how often each occurs.
 */
export async function searchLibrary(
  platform: Pick<Platform, "db">,
  actor: Actor | null,
  viewer: TenantRef | null,
  query: LibraryQuery,
): Promise<LibraryResult> {
  // The control characters that mark a snippet's highlights can never come from a text: they are refused on input.
  const filters = sql.join(
    [
      // A network practice needs someone working in a municipality; the database holds the same line.
      viewer && readsNetwork(actor) ? sql`m.visibility in ('public', 'network')` : sql`m.visibility = 'public'`,
      query.kind ? sql`m.kind = ${query.kind}` : undefined,
      query.dimension ? sql`${query.dimension} = any(m.dimensions)` : undefined,
      query.tag ? sql`${query.tag} = any(m.tags)` : undefined,
    ].filter((f) => f !== undefined),
    sql` and `,
  );
  return inTransaction(platform.db, { tenantId: viewer?.id ?? null, userId: actor?.userId ?? null }, async (tx) => {
    type Row = Omit<LibraryHit, "snippet" | "similar" | "titleParts"> & { headline: string | null; titleMarked?: string | null; similar: boolean };
    let found: Row[];
    if (query.q) {
      const words = query.q.trim().split(/\s+/).length;
      const marks = sql`websearch_to_tsquery('german', ${query.q}) || websearch_to_tsquery('german', ${unfold(query.q)})`;
      const headline = sql`ts_headline('german', m.summary || ' ' || m.body, ${marks},
                               ${`StartSel=${MARK_START}, StopSel=${MARK_END}, MaxWords=35, MinWords=15, MaxFragments=1`})`;
      const titleMarked = sql`ts_headline('german', m.title, ${marks}, ${`StartSel=${MARK_START}, StopSel=${MARK_END}, HighlightAll=true`})`;
      found = await rows<Row>(
        tx,
        // The best first, then the highlights for those alone: a headline costs, and there may be thousands of matches.
        sql`select m.id, m.title, m.summary, m.kind, m.tags, t.name as "tenantName", false as similar, ${headline} as headline,
                   ${titleMarked} as "titleMarked"
              from (select m.practice_id as id, m.tenant_id, m.title, m.summary, m.body, m.kind, m.tags, m.published_at, ts_rank(m.search, fts, 1) as rank
                      from knowledge_search m, websearch_to_tsquery('german', ${query.q}) as fts
                     where ${filters} and m.search @@ fts
                     order by rank desc, m.published_at desc limit ${LIMIT}) m
              join tenants t on t.id = m.tenant_id
             order by m.rank desc, m.published_at desc`,
      );
      // Nothing found by the words of a short query: titles spelled alike (a typo), best first.
      if (found.length === 0 && words <= 2) {
        // How alike a misspelt word must be to a title's word to be offered (the index answers `<%`).
        await tx.execute(sql`select set_config('pg_trgm.word_similarity_threshold', ${String(SIMILAR)}, true)`);
        found = await rows<Row>(
          tx,
          sql`select m.practice_id as id, m.title, m.summary, m.kind, m.tags, t.name as "tenantName", true as similar, null as headline
                from knowledge_search m join tenants t on t.id = m.tenant_id
               where ${filters} and komma_fold(${query.q}) <% komma_fold(m.title)
               order by word_similarity(komma_fold(${query.q}), komma_fold(m.title)) desc, m.published_at desc limit ${LIMIT}`,
        );
      }
    } else {
      found = await rows<Row>(
        tx,
        sql`select m.practice_id as id, m.title, m.summary, m.kind, m.tags, t.name as "tenantName", false as similar, null as headline
              from knowledge_search m join tenants t on t.id = m.tenant_id
             where ${filters} order by m.published_at desc limit ${LIMIT}`,
      );
    }
    // The tags of everything a search matched (to narrow it); without words, of the practices shown —
    // counting the tags of the whole library on every visit would read all of it.
    const tags = query.q
      ? await rows<{ tag: string; n: number }>(
          tx,
          sql`select tag, count(*)::int as n from knowledge_search m, unnest(m.tags) as tag
               where ${filters} and m.search @@ websearch_to_tsquery('german', ${query.q})
               group by tag order by n desc, tag limit 20`,
        )
      : countTags(found.map((r) => r.tags));
    return {
      hits: found.map((r) => ({
        id: r.id,
        title: r.title,
        summary: r.summary,
        kind: r.kind,
        tags: r.tags,
        tenantName: r.tenantName,
        similar: r.similar,
        snippet: r.headline?.includes(MARK_START) ? withEllipsis(splitMarks(r.headline), r.summary) : [r.summary],
        titleParts: r.titleMarked?.includes(MARK_START) ? splitMarks(r.titleMarked) : [r.title],
      })),
      tags,
    };
  });
}
