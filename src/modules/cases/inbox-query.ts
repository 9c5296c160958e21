import { and, eq, isNull, ne, or, type SQL, sql } from "drizzle-orm";
import { type Db, preparedRows } from "../../platform/db/client.ts";
import { memberships, users } from "../../platform/db/schema.ts";
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

/** One page of the municipality's cases that match, how many match in all, and what the page shows beside them. */
export interface InboxResult {
  rows: InboxCaseRow[];
  total: number;
  more: boolean;
  /** Cases reporting acute danger nobody has answered yet (asked for on the first page). */
  urgent: { number: string; openedAt: Date }[];
  /** The office's active officers (asked for by the page, for a bulk hand-over). */
  officers: { id: string; name: string }[];
}

interface InboxDbRow {
  n: number;
  urgent: { number: string; openedAt: string }[] | null;
  officers: { id: string; name: string }[] | null;
  id: string | null;
  number: string;
  status: CaseRow["status"];
  assignee_id: string | null;
  assignee_name: string | null;
  channel: string;
  mode: string;
  immediate_danger: boolean;
  stage: CaseRow["stage"];
  risk_level: RiskLevel | null;
  forms: string[];
  motives: string[];
  closed_reason: CaseRow["closedReason"];
  joined_into_number: string | null;
  closure_requested: boolean;
  closed_at: Date | string | null;
  tags: string[];
  procedure_version: number;
  opened_at: Date | string;
  report_ids: string[];
  assignee_active: boolean;
  respond_by: Date | string | null;
  first_response_at: Date | string | null;
  next_due_on: string | null;
}

const asDate = (v: Date | string) => (v instanceof Date ? v : new Date(v));
const asDateOrNull = (v: Date | string | null) => (v === null ? null : asDate(v));

/**
 * The page in one statement, prepared once per connection: the page's ids (cheap columns: the
 * database sorts and stops at the page's end), their full rows, the count up to a bound, and on
 * request the unanswered acute danger and the office's officers. Computing every column of every
 * matching row before the limit, or a round trip for each part, is what makes an inbox slow at
 * ten thousand cases and twenty officers.
 */
export async function queryInbox(
  tx: Db,
  tenantId: string,
  userId: string,
  query: InboxQuery,
  now: Date,
  today: string,
  opts: { urgent: boolean; officers: boolean } = { urgent: false, officers: false },
): Promise<InboxResult> {
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
    // The tags joined by a separator no tag and no search holds (control characters are refused in
    // both), so that a search never matches across two tags: one string per case, not a subquery.
    conditions.push(sql`(${cases.number} ilike ${like} or array_to_string(${cases.tags}, chr(31)) ilike ${like})`);
  }
  const where = and(...conditions);
  const order =
    query.sort === "oldest"
      ? sql`${cases.openedAt} asc, ${cases.number} asc`
      : query.sort === "level"
        ? sql`${cases.riskLevel} desc nulls last, ${cases.openedAt} desc, ${cases.number} desc`
        : query.sort === "due"
          ? sql`${cases.nextDueOn} asc nulls last, ${cases.openedAt} desc, ${cases.number} desc`
          : sql`${cases.openedAt} desc, ${cases.number} desc`;
  const urgent = opts.urgent
    ? sql`(select coalesce(json_agg(json_build_object('number', d.number, 'openedAt', d.opened_at) order by d.opened_at), '[]')
          from (select ${cases.number}, ${cases.openedAt} from ${cases}
                 where ${cases.tenantId} = ${tenantId} and ${cases.immediateDanger} and ${cases.firstResponseAt} is null and ${cases.status} <> 'closed'
                 order by ${cases.openedAt} limit 20) d)`
    : sql`null::json`;
  const officers = opts.officers
    ? sql`(select coalesce(json_agg(json_build_object('id', u.id, 'name', u.display_name) order by u.display_name), '[]')
          from ${memberships} m join ${users} u on u.id = m.user_id
         where m.tenant_id = ${tenantId} and m.role = 'clearing_officer' and u.status = 'active')`
    : sql`null::json`;
  const found = await preparedRows<InboxDbRow>(
    tx,
    sql`select s.n, s.urgent, s.officers, p.*
          from (select (select count(*)::int from (select 1 from ${cases} where ${where} limit ${COUNT_BOUND + 1}) as matching) as n,
                       ${urgent} as urgent, ${officers} as officers) s
          left join lateral (
            select row_number() over (order by ${order}) as ord, ${cases.id} as id, ${cases.number} as number, ${cases.status} as status, ${cases.assigneeId} as assignee_id,
                   ${users.displayName} as assignee_name, ${cases.channel} as channel, ${cases.mode} as mode,
                   ${cases.immediateDanger} as immediate_danger, ${cases.stage} as stage, ${cases.riskLevel} as risk_level,
                   ${cases.forms} as forms, ${cases.motives} as motives, ${cases.closedReason} as closed_reason,
                   ${caseColumns.joinedIntoNumber} as joined_into_number, ${caseColumns.closureRequested} as closure_requested,
                   ${cases.closedAt} as closed_at, ${cases.tags} as tags, ${cases.procedureVersion} as procedure_version,
                   ${cases.openedAt} as opened_at, ${caseColumns.reportIds} as report_ids, ${assigneeActive} as assignee_active,
                   ${cases.respondBy} as respond_by, ${cases.firstResponseAt} as first_response_at, ${cases.nextDueOn}::text as next_due_on
              from (select ${cases.id} as id from ${cases} where ${where} order by ${order}
                     limit ${PAGE_SIZE} offset ${(query.page - 1) * PAGE_SIZE}) page
              join ${cases} on ${cases.tenantId} = ${tenantId} and ${cases.id} = page.id
              left join ${users} on ${users.id} = ${cases.assigneeId}
          ) p on true
         order by p.ord`,
  );
  const head = found[0];
  const counted = head?.n ?? 0;
  return {
    rows: found
      .filter((r): r is InboxDbRow & { id: string } => r.id !== null)
      .map((r) => ({
        id: r.id,
        number: r.number,
        status: r.status,
        assigneeId: r.assignee_id,
        assigneeName: r.assignee_name,
        channel: r.channel,
        mode: r.mode,
        immediateDanger: r.immediate_danger,
        stage: r.stage,
        riskLevel: r.risk_level,
        forms: r.forms,
        motives: r.motives,
        closedReason: r.closed_reason,
        joinedIntoNumber: r.joined_into_number,
        closureRequested: r.closure_requested,
        closedAt: asDateOrNull(r.closed_at),
        tags: r.tags,
        procedureVersion: r.procedure_version,
        openedAt: asDate(r.opened_at),
        reportIds: r.report_ids,
        assigneeActive: r.assignee_active,
        respondBy: asDateOrNull(r.respond_by),
        firstResponseAt: asDateOrNull(r.first_response_at),
        nextDueOn: r.next_due_on,
      })),
    total: Math.min(counted, COUNT_BOUND),
    more: counted > COUNT_BOUND,
    urgent: (head?.urgent ?? []).map((u) => ({ number: u.number, openedAt: new Date(u.openedAt) })),
    officers: head?.officers ?? [],
  };
}
