import { and, asc, eq } from "drizzle-orm";
import { z } from "zod";
import { appendAudit } from "../../platform/audit/audit.ts";
import type { Actor } from "../../platform/authz/policy.ts";
import { type Db, withTenant } from "../../platform/db/client.ts";
import { users } from "../../platform/db/schema.ts";
import type { EventHandler } from "../../platform/events/events.ts";
import { AppError } from "../../platform/http/errors.ts";
import { notify, notifyMany, peopleWithRoles } from "../../platform/notifications/notifications.ts";
import type { Platform } from "../../platform/platform.ts";
import { CONTROL_CHARACTERS_MESSAGE, withoutControlCharacters } from "../../platform/validation.ts";
import { INCIDENT_FORMS, type IncidentForm, type RiskLevel } from "../../platform/vocabulary.ts";
import { checkCaseNumber, type QuestionAnswered, questionAnswered, setReporterStatus } from "../reports/index.ts";
import { caseAssessed } from "./events.ts";
import { type CaseRef, casePolicy, type TenantRef } from "./policy.ts";
import { escalationRoles, procedureVersion } from "./procedure.ts";
import { type CaseRow, caseByNumber, caseFacts, markResponded } from "./repository.ts";
import { proposeRiskLevel, type RiskProposal, THREAT_CRITERIA, type ThreatCriterion } from "./risk.ts";
import { caseAssessments, cases } from "./schema.ts";

/*
 * The risk assessment of a case: the office ticks the threat criteria it sees, the rules propose
 * a level with their reasons, the officer confirms it or sets another with a justification. Every
 * assessment is kept; a case reaching level 2 or 3 alarms the roles the procedure names.
 */

const JUSTIFICATION_CONTEXT = "case_assessments.justification";

export const assessmentInput = z.object({
  form: z.enum(INCIDENT_FORMS, { error: "errors.cases.form" }),
  criteria: z.array(z.enum(THREAT_CRITERIA, { error: "errors.invalid" })).max(THREAT_CRITERIA.length),
  level: z
    .enum(["0", "1", "2", "3"], { error: "errors.cases.level" })
    .transform((l) => Number(l) as RiskLevel)
    .optional(),
  justification: z
    .string()
    .max(4000, { error: "errors.cases.justificationLong" })
    .refine(withoutControlCharacters, { error: CONTROL_CHARACTERS_MESSAGE })
    .transform((s) => s.trim()),
});
export type AssessmentInput = z.infer<typeof assessmentInput>;

/** What the form sends, as the schema reads it: a single ticked box arrives as a string. */
export function assessmentValues(body: unknown): Record<string, unknown> {
  const b = (body ?? {}) as Record<string, unknown>;
  const criteria = b.criteria === undefined ? [] : Array.isArray(b.criteria) ? b.criteria : [b.criteria];
  return { form: b.form, criteria, level: b.level === "" ? undefined : b.level, justification: typeof b.justification === "string" ? b.justification : "" };
}

export function proposalFor(input: Pick<AssessmentInput, "form" | "criteria">): RiskProposal {
  return proposeRiskLevel(input.form, new Set<ThreatCriterion>(input.criteria));
}

export type AssessResult = { ok: true; level: RiskLevel; proposal: RiskProposal } | { ok: false; field: "level" | "justification"; proposal: RiskProposal };

/** Records an assessment. A level other than the proposal needs a justification. */
export async function assessCase(
  platform: Pick<Platform, "db" | "clock" | "domainEvents" | "keyring">,
  actor: Actor,
  tenant: TenantRef,
  number: string,
  input: AssessmentInput,
): Promise<AssessResult> {
  checkCaseNumber(number);
  const proposal = proposalFor(input);
  if (input.level === undefined) return { ok: false, field: "level", proposal };
  const level = input.level;
  if (level !== proposal.level && input.justification === "") return { ok: false, field: "justification", proposal };
  const now = platform.clock.now();
  const eventId = await withTenant(
    platform.db,
    tenant.id,
    async (tx) => {
      const row = await caseByNumber(tx, tenant.id, number, { lock: true });
      if (!row) throw new AppError("not_found");
      await authorizeWork(tx, actor, tenant, row.id);
      const justification = input.justification === "" ? null : await platform.keyring.seal(tx, tenant.id, input.justification, JUSTIFICATION_CONTEXT);
      await tx.insert(caseAssessments).values({
        tenantId: tenant.id,
        caseId: row.id,
        form: input.form,
        criteria: input.criteria,
        proposedLevel: proposal.level,
        reasons: proposal.reasons,
        level,
        justification,
        assessedBy: actor.userId,
        assessedAt: now,
      });
      // The first assessment moves a new case on: it is being worked on, and measures come next.
      const stage = row.stage === "intake" || row.stage === "assessment" ? "measures" : row.stage;
      const status = row.status === "received" ? "in_progress" : row.status;
      await tx
        .update(cases)
        .set({ riskLevel: level, stage, status, updatedAt: now })
        .where(and(eq(cases.tenantId, tenant.id), eq(cases.id, row.id)));
      if (status !== row.status) await setReporterStatus(tx, tenant.id, row.reportIds, status);
      await markResponded(tx, tenant.id, row.id, now);
      await appendAudit(
        tx,
        {
          tenantId: tenant.id,
          actorId: actor.userId,
          action: "case.assessed",
          objectType: "case",
          objectId: row.id,
          details: { number, level, proposedLevel: proposal.level, overridden: level !== proposal.level },
        },
        now,
      );
      return platform.domainEvents.emit(tx, caseAssessed, tenant.id, {
        caseId: row.id,
        number,
        level,
        previousLevel: row.riskLevel,
        form: input.form,
        procedureVersion: row.procedureVersion,
        assessedBy: actor.userId,
      });
    },
    actor.userId,
  );
  // The alarm goes out before the officer sees the page again.
  await platform.domainEvents.deliver(tenant.id, [eventId]);
  return { ok: true, level, proposal };
}

/**
 * The case as its lead works on it, in one tenant transaction: found by its number (locked with
 * `lock`), allowed only to who may work on it (else 404 or 403 as authorizeWork answers).
 */
export async function caseToWorkOn(tx: Db, actor: Actor, tenant: TenantRef, number: string, opts: { lock?: boolean } = {}): Promise<CaseRow> {
  checkCaseNumber(number);
  const row = await caseByNumber(tx, tenant.id, number, opts);
  if (!row) throw new AppError("not_found");
  await authorizeWork(tx, actor, tenant, row.id);
  return row;
}

/** Only who may work on the case; who may merely read it learns that it is refused, anyone else finds nothing. */
export async function authorizeWork(tx: Db, actor: Actor, tenant: TenantRef, caseId: string): Promise<void> {
  const facts = (ids: readonly string[]) => caseFacts(tx, tenant, ids);
  if ((await casePolicy.allowedIds(actor, "work", [caseId], facts)).has(caseId)) return;
  casePolicy.authorize(actor, "read", (await facts([caseId])).get(caseId) as CaseRef);
  throw AppError.refused({ policy: casePolicy.name, action: "work", tenantId: tenant.id });
}

export interface AssessmentRow {
  form: IncidentForm;
  criteria: ThreatCriterion[];
  proposedLevel: RiskLevel;
  reasons: string[];
  level: RiskLevel;
  justification: string | null;
  assessedBy: string | null;
  assessedAt: Date;
}

/** The case's assessments, oldest first, justifications opened. */
export async function assessmentsOf(tx: Db, keyring: Platform["keyring"], tenantId: string, caseId: string): Promise<AssessmentRow[]> {
  const found = await tx
    .select({
      form: caseAssessments.form,
      criteria: caseAssessments.criteria,
      proposedLevel: caseAssessments.proposedLevel,
      reasons: caseAssessments.reasons,
      level: caseAssessments.level,
      justification: caseAssessments.justification,
      assessedBy: users.displayName,
      assessedAt: caseAssessments.assessedAt,
    })
    .from(caseAssessments)
    .leftJoin(users, eq(users.id, caseAssessments.assessedBy))
    .where(and(eq(caseAssessments.tenantId, tenantId), eq(caseAssessments.caseId, caseId)))
    .orderBy(asc(caseAssessments.seq));
  return Promise.all(
    found.map(async (r) => ({
      ...r,
      form: r.form as IncidentForm,
      criteria: r.criteria as ThreatCriterion[],
      proposedLevel: r.proposedLevel as RiskLevel,
      level: r.level as RiskLevel,
      justification: r.justification ? await keyring.openText(tx, tenantId, r.justification, JUSTIFICATION_CONTEXT) : null,
    })),
  );
}

/**
 * A case that reaches level 2 or 3 alarms the roles its procedure names, in the app and by mail,
 * with the case number only. A case assessed again at the same level alarms nobody anew; one
 * lowered from level 2 or 3 tells those who were alarmed that the alarm is over (or eased).
 */
export function escalateOnAssessment(platform: Pick<Platform, "mailer" | "config" | "clock">): EventHandler<z.infer<typeof caseAssessed.schema>> {
  return {
    name: "cases.escalate",
    event: caseAssessed,
    async handle({ tx, event, afterCommit }) {
      const { level, previousLevel, number, procedureVersion: version } = event.payload;
      const lowered = previousLevel !== null && previousLevel >= 2 && level < previousLevel;
      if (!lowered && (level < 2 || (previousLevel !== null && previousLevel >= level))) return;
      const procedure = await procedureVersion(tx, event.tenantId, version);
      const alarmed = escalationRoles(procedure, lowered ? (previousLevel as 2 | 3) : (level as 2 | 3));
      const people = (await peopleWithRoles(tx, event.tenantId, alarmed)).filter((p) => p !== event.payload.assessedBy);
      // The clearing office opens the case; everyone else (leaders, administration) cannot, and is
      // led to the start page with the office's contact instead of a page they may not see.
      const officers = new Set(await peopleWithRoles(tx, event.tenantId, ["clearing_officer"]));
      const mails = await notifyMany(
        platform,
        tx,
        event.tenantId,
        [
          {
            userIds: people.filter((p) => officers.has(p)),
            notice: { kind: lowered ? "cases.notify.lowered" : `cases.notify.level${level}`, params: { caseNumber: number, level }, link: `/faelle/${number}` },
          },
          {
            userIds: people.filter((p) => !officers.has(p)),
            notice: { kind: lowered ? "cases.notify.lowered" : `cases.notify.level${level}Others`, params: { caseNumber: number, level }, link: "/start" },
          },
        ],
        { mail: true },
      );
      afterCommit(() => platform.mailer.dispatch(mails));
    },
  };
}

/**
 * An answer of the affected person in the mailbox reaches whoever leads the case (else the whole
 * clearing office) in the app; the Meldestelle has mailed the office already. An answer the office
 * wrote down itself needs no notice.
 */
export function noticeOfDecision(platform: Pick<Platform, "mailer" | "config" | "clock">): EventHandler<QuestionAnswered> {
  return {
    name: "cases.notice-of-decision",
    event: questionAnswered,
    async handle({ tx, event }) {
      const { caseNumber, channel } = event.payload;
      if (channel !== "mailbox") return;
      const [row] = await tx
        .select({ assigneeId: cases.assigneeId })
        .from(cases)
        .where(and(eq(cases.tenantId, event.tenantId), eq(cases.number, caseNumber)));
      const people = row?.assigneeId ? [row.assigneeId] : await peopleWithRoles(tx, event.tenantId, ["clearing_officer"]);
      await notify(
        platform,
        tx,
        event.tenantId,
        people,
        { kind: "cases.notify.decision", params: { caseNumber }, link: `/faelle/${caseNumber}#entscheidungen` },
        { mail: false },
      );
    },
  };
}
