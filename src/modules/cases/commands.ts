import { appendAudit } from "../../platform/audit/audit.ts";
import type { Actor } from "../../platform/authz/policy.ts";
import { berlinDate } from "../../platform/calendar.ts";
import { withTenant } from "../../platform/db/client.ts";
import type { EventHandler } from "../../platform/events/events.ts";
import { AppError } from "../../platform/http/errors.ts";
import { notify } from "../../platform/notifications/notifications.ts";
import type { Platform } from "../../platform/platform.ts";
import { type Responsibilities, whoIsResponsible } from "../alliance/index.ts";
import { checkCaseNumber, type ReportReceived, reportNotices, reportReceived, setReporterStatus, unreadMessagesByReport } from "../reports/index.ts";
import { type AssessmentRow, assessmentsOf } from "./assessment.ts";
import { type NoteRow, notesOf } from "./case-file.ts";
import { type ClosureRow, latestClosure } from "./closure.ts";
import { caseAssigned, caseOpened } from "./events.ts";
import { DEFAULT_INBOX_QUERY, type InboxCaseRow, type InboxQuery, queryInbox } from "./inbox-query.ts";
import { leadersOf, type ShareRow, sharesOfCase } from "./leaders.ts";
import { type CaseRef, casePolicy, inboxPolicy, type TenantRef } from "./policy.ts";
import { type ReferralRow, referralsOfCase } from "./referrals.ts";
import { linksOf, type PerpetratorRow, perpetratorsOf, type RelatedRow } from "./related.ts";
import { activeOfficers, type CaseRow, caseByNumber, caseFacts, markResponded, newCaseCounts, openCasesFor, setAssignee } from "./repository.ts";
import { deletableFrom, type HoldRow, holdsOf } from "./retention.ts";
import { type TaskRow, tasksOf } from "./tasks.ts";

/*
 * The use cases of the cases module: open a case for each report (a handler of report.received),
 * the inbox, one case, and handing a case to an officer.
 */

/** Every report opens its case (or finds it, when the event comes again): a burst of reports in one go. */
export function openCaseOnReport(platform: Pick<Platform, "domainEvents">): EventHandler<ReportReceived> {
  return {
    name: "cases.open-case",
    event: reportReceived,
    async handleMany({ tx, events }) {
      const tenantId = events[0].tenantId;
      const received = new Map(events.map((e) => [e.payload.reportId, e.payload]));
      // The case opens under the municipality's procedure, its first-response target included (`currentProcedureSql`).
      const opened = await openCasesFor(
        tx,
        tenantId,
        events.map(({ payload: r }) => ({
          reportId: r.reportId,
          number: r.caseNumber,
          channel: r.channel,
          mode: r.mode,
          immediateDanger: r.immediateDanger,
          forms: r.forms,
          motives: r.motives,
          place: r.place,
          affectedFunction: r.affectedFunction,
          at: r.receivedAt,
        })),
      );
      await platform.domainEvents.emitMany(
        tx,
        caseOpened,
        tenantId,
        opened.map(({ caseId, reportId }) => {
          const r = received.get(reportId) as ReportReceived;
          return {
            caseId,
            number: r.caseNumber,
            reportId,
            channel: r.channel,
            mode: r.mode,
            immediateDanger: r.immediateDanger,
            forms: r.forms,
            motives: r.motives,
            place: r.place,
            affectedFunction: r.affectedFunction,
          };
        }),
      );
    },
  };
}

export interface InboxRow extends InboxCaseRow {
  unreadMessages: number;
  policies: Record<"read" | "assign" | "work", boolean>;
}

export interface InboxPage {
  rows: InboxRow[];
  /** Acute danger nobody has responded to yet, oldest first: shown on top of the first page, whatever the view. */
  urgent: { number: string; openedAt: Date }[];
  /** How many match, counted up to COUNT_BOUND; `more`: beyond it. */
  total: number;
  more: boolean;
  query: InboxQuery;
  officers: { id: string; name: string }[];
  /** Today in Berlin, against which due dates are read. */
  today: string;
  now: Date;
}

/** A page of the inbox: the cases that match the query, each with what the actor may do with it. */
export async function inbox(
  platform: Pick<Platform, "db" | "clock">,
  actor: Actor,
  tenant: TenantRef,
  query: InboxQuery = DEFAULT_INBOX_QUERY,
  /** The page offers the office's officers for a bulk hand-over; the API and others need none. */
  opts: { officers: boolean } = { officers: true },
): Promise<InboxPage> {
  inboxPolicy.authorize(actor, "list", tenant);
  const now = platform.clock.now();
  const today = berlinDate(now);
  return withTenant(
    platform.db,
    tenant.id,
    async (tx) => {
      const { rows, total, more, urgent, officers } = await queryInbox(tx, tenant.id, actor.userId, query, now, today, {
        urgent: query.page === 1,
        officers: opts.officers,
      });
      const unread = await unreadMessagesByReport(
        tx,
        tenant.id,
        rows.flatMap((r) => r.reportIds),
      );
      const permitted = casePolicy
        .permitted(
          actor,
          "read",
          rows.map((r) => ({ ...r, tenantId: tenant.id, tenantKind: tenant.kind, closed: r.status === "closed" })),
        )
        .map((r) => ({
          ...r,
          unreadMessages: r.reportIds.reduce((n, id) => n + (unread.get(id) ?? 0), 0),
          policies: casePolicy.serialize(actor, r),
        }));
      return { rows: permitted, urgent, total, more, query, officers, today, now };
    },
    actor.userId,
  );
}

export interface CaseView extends CaseRow {
  policies: Record<"read" | "assign" | "work", boolean>;
  officers: { id: string; name: string }[];
  assessments: AssessmentRow[];
  tasks: TaskRow[];
  referrals: ReferralRow[];
  /** The alliance's partners a case may be referred to. */
  partners: { id: string; name: string }[];
  /** Who the alliance's matrix names for the case's stage, form and level. */
  responsible: Responsibilities;
  /** The latest request to close it: pending, released, or given back. */
  closure: ClosureRow | null;
  /** Legal holds that keep it from deletion (past and present). */
  holds: HoldRow[];
  notes: NoteRow[];
  /** Shares with leaders (with the person's consent), and the leaders the office may choose. */
  shares: ShareRow[];
  /** Closed: the first day the nightly run may delete it (a legal hold keeps it longer). */
  deletableFrom: string | null;
  leaders: { id: string; name: string }[];
  /** Cases the office linked to this one, and what it keeps of a perpetrator. */
  related: RelatedRow[];
  perpetrators: PerpetratorRow[];
}

/** One case, for someone allowed to read it; any other case answers like a missing one. */
export async function openCase(platform: Pick<Platform, "db" | "keyring" | "clock">, actor: Actor, tenant: TenantRef, number: string): Promise<CaseView> {
  checkCaseNumber(number);
  const kase = await withTenant(
    platform.db,
    tenant.id,
    async (tx) => {
      const row = await caseByNumber(tx, tenant.id, number);
      if (!row) throw new AppError("not_found");
      const ref = (await caseFacts(tx, tenant, [row.id])).get(row.id) as CaseRef;
      casePolicy.authorize(actor, "read", ref);
      const policies = casePolicy.serialize(actor, ref);
      return {
        ...row,
        policies,
        officers: policies.assign ? await activeOfficers(tx, tenant.id) : [],
        assessments: await assessmentsOf(tx, platform.keyring, tenant.id, row.id),
        tasks: await tasksOf(tx, platform.keyring, tenant.id, row.id, berlinDate(platform.clock.now())),
        closure: await latestClosure(tx, platform.keyring, tenant.id, row.id),
        notes: await notesOf(tx, platform.keyring, tenant.id, row.id),
        shares: await sharesOfCase(tx, tenant.id, row.id),
        related: await linksOf(tx, tenant.id, row.id),
        perpetrators: await perpetratorsOf(tx, platform.keyring, tenant.id, row.id),
        leaders: policies.work ? await leadersOf(tx, tenant.id) : [],
        deletableFrom: row.status === "closed" && row.closedAt ? await deletableFrom(tx, tenant.id, row.closedAt, row.closedReason !== null) : null,
        holds: await holdsOf(tx, platform.keyring, tenant.id, row.id, berlinDate(platform.clock.now())),
      };
    },
    actor.userId,
  );
  const form = kase.assessments.at(-1)?.form ?? null;
  const responsible = await whoIsResponsible(platform, tenant.id, { stage: kase.stage, form, level: kase.riskLevel });
  const { rows: referrals, partners } = await referralsOfCase(platform, tenant.id, kase.id);
  return { ...kase, responsible, referrals, partners };
}

export type AssignResult = { ok: true; assigneeId: string | null; changed: boolean } | { ok: false; error: "notAnOfficer" };

/**
 * Hands a case to a clearing officer of the municipality (or releases it, with null). A new case
 * taken on is in progress from then on, for the reporter too. Taking a case on oneself is the
 * office's first response; a colleague it is handed to hears of it (in the app and by mail) and
 * still has to respond.
 */
export async function assignCase(
  platform: Pick<Platform, "db" | "clock" | "domainEvents" | "mailer" | "config">,
  actor: Actor,
  tenant: TenantRef,
  number: string,
  assigneeId: string | null,
): Promise<AssignResult> {
  checkCaseNumber(number);
  const wanted = assigneeId?.toLowerCase() ?? null;
  const now = platform.clock.now();
  const result = await withTenant(
    platform.db,
    tenant.id,
    async (tx): Promise<AssignResult & { eventId?: string; mails?: string[] }> => {
      // Locked while the rule is checked and the lead changes: two officers taking the same case
      // at once do not both pass the check.
      const row = await caseByNumber(tx, tenant.id, number, { lock: true });
      if (!row) throw new AppError("not_found");
      const allowed = await casePolicy.allowedIds(actor, "assign", [row.id], (ids) => caseFacts(tx, tenant, ids));
      if (!allowed.has(row.id)) {
        // Who may read the case learns that it cannot be handed on; anyone else finds no case.
        const ref = (await caseFacts(tx, tenant, [row.id])).get(row.id) as CaseRef;
        casePolicy.authorize(actor, "read", ref);
        throw AppError.refused({ policy: casePolicy.name, action: "assign", tenantId: tenant.id });
      }
      if (wanted !== null && !(await activeOfficers(tx, tenant.id)).some((o) => o.id === wanted)) return { ok: false, error: "notAnOfficer" };
      if (wanted === row.assigneeId) return { ok: true, assigneeId: wanted, changed: false };
      const status = row.status === "received" && wanted !== null ? "in_progress" : row.status;
      await setAssignee(tx, tenant.id, row.id, wanted, status, now);
      if (wanted !== null && wanted === actor.userId) await markResponded(tx, tenant.id, row.id, now);
      const mails =
        wanted !== null && wanted !== actor.userId
          ? await notify(
              platform,
              tx,
              tenant.id,
              [wanted],
              { kind: "cases.notify.assigned", params: { caseNumber: number }, link: `/faelle/${number}` },
              { mail: true },
            )
          : [];
      if (status !== row.status) await setReporterStatus(tx, tenant.id, row.reportIds, status);
      await appendAudit(
        tx,
        { tenantId: tenant.id, actorId: actor.userId, action: "case.assigned", objectType: "case", objectId: row.id, details: { number, assigneeId: wanted } },
        now,
      );
      const eventId = await platform.domainEvents.emit(tx, caseAssigned, tenant.id, {
        caseId: row.id,
        number,
        assigneeId: wanted,
        previousAssigneeId: row.assigneeId,
      });
      return { ok: true, assigneeId: wanted, changed: true, eventId, mails };
    },
    actor.userId,
  );
  if (result.ok && result.mails) await platform.mailer.dispatch(result.mails);
  if (result.ok && result.eventId) platform.domainEvents.deliver(tenant.id, [result.eventId]);
  return result.ok ? { ok: true, assigneeId: result.assigneeId, changed: result.changed } : result;
}

export interface OfficeNotices {
  newReports: number;
  /** Of the new reports, those that said someone is in acute danger. */
  newInDanger: number;
  /** Reporters' messages the office has not opened yet. */
  unreadMessages: number;
  /** Reports arriving far above the usual rate (within the last day). */
  flood: { count: number; since: Date } | null;
}

/** What the clearing office should see first: new cases, unread answers, a flood. Null for others. */
export async function officeNotices(
  platform: Pick<Platform, "db"> & Parameters<typeof reportNotices>[0],
  actor: Actor | null,
  tenant: TenantRef,
): Promise<OfficeNotices | null> {
  if (!inboxPolicy.can(actor, "list", tenant)) return null;
  const [counts, fromReports] = await Promise.all([
    withTenant(platform.db, tenant.id, (tx) => newCaseCounts(tx, tenant.id)),
    reportNotices(platform, tenant.id),
  ]);
  return { newReports: counts.n, newInDanger: counts.danger, ...fromReports };
}

/** An answer to the reporter counts as the office's first response (if nothing came before). */
export async function noteAnswered(platform: Pick<Platform, "db" | "clock">, actor: Actor, tenant: TenantRef, number: string): Promise<void> {
  await withTenant(
    platform.db,
    tenant.id,
    async (tx) => {
      const row = await caseByNumber(tx, tenant.id, number);
      if (row) await markResponded(tx, tenant.id, row.id, platform.clock.now());
    },
    actor.userId,
  );
}
