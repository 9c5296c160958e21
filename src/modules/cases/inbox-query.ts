import { and, asc, desc, eq, inArray, isNull, ne, or, type SQL, sql } from "drizzle-orm";
import { type Db, rows } from "../../platform/db/client.ts";
import { users } from "../../platform/db/schema.ts";
import {
  CLEARING_STAGES,
  type ClearingStage,
  INCIDENT_FORMS,
  type IncidentForm,
  PERCEIVED_MOTIVES,
  type PerceivedMotive,
  RISK_LEVELS,
  type RiskLevel,
} from "../../platform/vocabulary.ts";
import { assigneeActive, type CaseRow, caseColumns } from "./repository.ts";
import { cases } from "./schema.ts";

/*
 * The inbox's filters, sorting, search and paging: read from the address (every value checked;
 * anything unknown falls back to the default, so a link never breaks), turned into one query
 * that fetches one page of a municipality's cases with the number of all that match.
 */

export const INBOX_VIEWS = ["open", "mine", "unassigned", "overdue", "closed", "all"] as const;
export type InboxView = (typeof INBOX_VIEWS)[number];
export const INBOX_SORTS = ["newest", "oldest", "level", "due"] as const;
export type InboxSort = (typeof INBOX_SORTS)[number];
export const PAGE_SIZE = 50;
/** How far the inbox counts the cases that match: "more than 1,000" says enough. */
export const COUNT_BOUND = 1000;
const MAX_PAGE = 10_000;

export interface InboxQuery {
  view: InboxView;
  level: RiskLevel | null;
  stage: ClearingStage | null;
  form: IncidentForm | null;
  motive: PerceivedMotive | null;
  /** Searched in the case number and the office's tags, never in content. */
  q: string;
  sort: InboxSort;
  page: number;
}

export const DEFAULT_INBOX_QUERY: InboxQuery = { view: "open", level: null, stage: null, form: null, motive: null, q: "", sort: "newest", page: 1 };

const pick = <T extends string>(allowed: readonly T[], value: unknown): T | null =>
  typeof value === "string" && (allowed as readonly string[]).includes(value) ? (value as T) : null;

/** The inbox query from an address's parameters. */
export function parseInboxQuery(raw: unknown): InboxQuery {
  const q = (raw ?? {}) as Record<string, unknown>;
  const level = typeof q.stufe === "string" && /^[0-3]$/.test(q.stufe) ? (Number(q.stufe) as RiskLevel) : null;
  const page = typeof q.seite === "string" && /^\d{1,6}$/.test(q.seite) ? Math.min(Math.max(Number(q.seite), 1), MAX_PAGE) : 1;
  const search =
    typeof q.suche === "string"
      ? q.suche
          .replace(/[\p{Cc}\p{Cf}]/gu, "")
          .trim()
          .slice(0, 100)
      : "";
  return {
    view: pick(INBOX_VIEWS, q.ansicht) ?? "open",
    level: RISK_LEVELS.includes(level as RiskLevel) ? level : null,
    stage: pick(CLEARING_STAGES, q.phase),
    form: pick(INCIDENT_FORMS, q.form),
    motive: pick(PERCEIVED_MOTIVES, q.motiv),
    q: search,
    sort: pick(INBOX_SORTS, q.sortierung) ?? "newest",
    page,
  };
}

/** The query as address parameters (defaults left out), for links that keep the filters. */
export function inboxParams(query: InboxQuery, change: Partial<InboxQuery> = {}): string {
  const q = { ...query, ...change };
  const params = new URLSearchParams();
  if (q.view !== "open") params.set("ansicht", q.view);
  if (q.level !== null) params.set("stufe", String(q.level));
  if (q.stage) params.set("phase", q.stage);
  if (q.form) params.set("form", q.form);
  if (q.motive) params.set("motiv", q.motive);
  if (q.q) params.set("suche", q.q);
  if (q.sort !== "newest") params.set("sortierung", q.sort);
  if (q.page > 1) params.set("seite", String(q.page));
  const s = params.toString();
  return s ? `?${s}` : "";
}

const likePattern = (s: string) => `%${s.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

export interface InboxCaseRow extends CaseRow {
  /** Whether whoever leads the case still works in the clearing office (for the rules). */
  assigneeActive: boolean;
  respondBy: Date | null;
  firstResponseAt: Date | null;
  nextDueOn: string | null;
}

/** One page of the municipality's cases that match, and how many match in all. */
export async function queryInbox(
  tx: Db,
  tenantId: string,
  userId: string,
  query: InboxQuery,
  now: Date,
  today: string,
): Promise<{ rows: InboxCaseRow[]; total: number; more: boolean }> {
  const open = ne(cases.status, "closed");
  const conditions: (SQL | undefined)[] = [eq(cases.tenantId, tenantId)];
  switch (query.view) {
    case "open":
      conditions.push(open);
      break;
    case "mine":
      conditions.push(open, eq(cases.assigneeId, userId));
      break;
    case "unassigned":
      conditions.push(open, isNull(cases.assigneeId));
      break;
    case "overdue":
      conditions.push(
        open,
        or(and(isNull(cases.firstResponseAt), sql`${cases.respondBy} < ${now.toISOString()}::timestamptz`), sql`${cases.nextDueOn} < ${today}::date`),
      );
      break;
    case "closed":
      conditions.push(eq(cases.status, "closed"));
      break;
    case "all":
      break;
  }
  if (query.level !== null) conditions.push(eq(cases.riskLevel, query.level));
  if (query.stage) conditions.push(eq(cases.stage, query.stage));
  if (query.form) conditions.push(sql`${cases.forms} @> array[${query.form}]::text[]`);
  if (query.motive) conditions.push(sql`${cases.motives} @> array[${query.motive}]::text[]`);
  if (query.q) {
    const like = likePattern(query.q);
    conditions.push(sql`(${cases.number} ilike ${like} or exists (select 1 from unnest(${cases.tags}) as tag where tag ilike ${like}))`);
  }
  const order =
    query.sort === "oldest"
      ? [asc(cases.openedAt), asc(cases.number)]
      : query.sort === "level"
        ? [sql`${cases.riskLevel} desc nulls last`, desc(cases.openedAt), desc(cases.number)]
        : query.sort === "due"
          ? [sql`${cases.nextDueOn} asc nulls last`, desc(cases.openedAt), desc(cases.number)]
          : [desc(cases.openedAt), desc(cases.number)];
  // First the page's ids alone (cheap columns: the database sorts and stops at the page's end),
  // then their full rows; the count apart. Computing every column of every matching row before
  // the limit is what makes an inbox slow at ten thousand cases.
  const page = await tx
    .select({ id: cases.id })
    .from(cases)
    .where(and(...conditions))
    .orderBy(...order)
    .limit(PAGE_SIZE)
    .offset((query.page - 1) * PAGE_SIZE);
  // Counted up to a bound: beyond it the office narrows the view rather than reads a number.
  const [counted] = await rows<{ n: number }>(
    tx,
    sql`select count(*)::int as n from (select 1 from ${cases} where ${and(...conditions)} limit ${COUNT_BOUND + 1}) as matching`,
  );
  const total = Math.min(counted?.n ?? 0, COUNT_BOUND);
  const more = (counted?.n ?? 0) > COUNT_BOUND;
  if (page.length === 0) return { rows: [], total, more };
  const found = await tx
    .select({ ...caseColumns, respondBy: cases.respondBy, firstResponseAt: cases.firstResponseAt, nextDueOn: cases.nextDueOn, assigneeActive })
    .from(cases)
    .leftJoin(users, eq(users.id, cases.assigneeId))
    .where(
      and(
        eq(cases.tenantId, tenantId),
        inArray(
          cases.id,
          page.map((p) => p.id),
        ),
      ),
    );
  const byId = new Map(found.map((r) => [r.id, { ...r, assigneeActive: !!r.assigneeActive }]));
  return { rows: page.flatMap((p) => byId.get(p.id) ?? []), total, more };
}
