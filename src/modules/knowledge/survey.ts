import { randomBytes } from "node:crypto";
import { and, desc, eq, sql } from "drizzle-orm";
import { appendAudit } from "../../platform/audit/audit.ts";
import { type Actor, NotFoundError } from "../../platform/authz/policy.ts";
import { endOfBerlinDay, isCalendarDate } from "../../platform/calendar.ts";
import { withTenant } from "../../platform/db/client.ts";
import { suppressSmall } from "../../platform/disclosure.ts";
import { one, type Values } from "../../platform/http/form-values.ts";
import type { Platform } from "../../platform/platform.ts";
import type { TenantRef } from "./library.ts";
import { municipalityOfLink } from "./links.ts";
import { surveyPolicy } from "./policy.ts";
import { surveyCounts, surveys } from "./schema.ts";

/*
 * The anonymous staff survey on experiences of racism and hostility ("nach innen"). A municipal
 * admin opens a survey and passes its link on inside the administration; whoever has the link
 * answers without signing in. An answer leaves no row of its own: it counts up how often each
 * option was chosen, nothing else — no time, no person, no address, no device, no free text.
 * Results are shown only once the survey has ended (so that watching the figures change while
 * someone answers reveals nothing), only from five answers on, and with every count below five
 * withheld: whoever holds the link could answer four times alike to single out a fifth answer.
 */

export const SURVEY_QUESTIONNAIRE = 1;
/** Results are shown only from this many answers on. */
export const SURVEY_MINIMUM = 5;

const HOW_OFTEN = ["never", "once", "several", "often", "no_answer"] as const;
const AGREE = ["yes", "rather_yes", "rather_no", "no", "no_answer"] as const;

/** The questions and their options (words under `knowledge.survey.q.<question>` and `knowledge.survey.o.<question>.<option>`). */
export const SURVEY_QUESTIONS: { key: string; options: readonly string[] }[] = [
  { key: "racism", options: HOW_OFTEN },
  { key: "hostility", options: HOW_OFTEN },
  { key: "witnessed", options: HOW_OFTEN },
  { key: "where", options: ["counter", "phone_mail", "online", "colleagues", "field", "none", "no_answer"] },
  { key: "knows", options: AGREE },
  { key: "backing", options: AGREE },
  { key: "reported", options: ["yes", "no_how", "no_other", "no_incident", "no_answer"] },
  { key: "training", options: ["yes", "maybe", "no", "no_answer"] },
];

export interface SurveyRow {
  id: string;
  tenantId: string;
  title: string;
  closesAt: Date;
  closedAt: Date | null;
  responses: number;
  createdAt: Date;
}

/** Open while it has neither been ended nor reached its closing time. */
export const isOpen = (s: Pick<SurveyRow, "closesAt" | "closedAt">, now: Date) => s.closedAt === null && s.closesAt > now;

const columns = {
  id: surveys.id,
  tenantId: surveys.tenantId,
  title: surveys.title,
  closesAt: surveys.closesAt,
  closedAt: surveys.closedAt,
  responses: surveys.responses,
  createdAt: surveys.createdAt,
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const newToken = () => randomBytes(32).toString("base64url");

export type SurveyFormResult = { ok: true; title: string; closesAt: Date } | { ok: false; errors: Record<string, string> };

/** Title (3–200 characters) and closing day (tomorrow up to a year ahead; the survey ends at its end, Berlin time). */
export function readSurveyForm(values: Values, now: Date, t: (key: string) => string): SurveyFormResult {
  const title = one(values.title)
    .replace(/[\p{Cc}\p{Cf}]/gu, " ")
    .trim();
  const day = one(values.closesOn).trim();
  const errors: Record<string, string> = {};
  if ([...title].length < 3 || [...title].length > 200) errors.title = t("errors.knowledge.surveyTitle");
  const closesAt = isCalendarDate(day) ? endOfBerlinDay(day) : null;
  if (!closesAt || closesAt.getTime() <= now.getTime() || closesAt.getTime() > now.getTime() + 366 * 86_400_000)
    errors.closesOn = t("errors.knowledge.surveyCloses");
  return Object.keys(errors).length || !closesAt ? { ok: false, errors } : { ok: true, title, closesAt };
}

/** Opens a survey; returns it with its link's token (shown once, kept as a hash only). */
export async function openSurvey(
  platform: Pick<Platform, "db" | "clock" | "keyring">,
  actor: Actor,
  tenant: TenantRef,
  input: { title: string; closesAt: Date },
): Promise<{ id: string; token: string }> {
  surveyPolicy.authorize(actor, "manage", tenant);
  const now = platform.clock.now();
  const token = newToken();
  const id = await withTenant(
    platform.db,
    tenant.id,
    async (tx) => {
      const [row] = await tx
        .insert(surveys)
        .values({
          tenantId: tenant.id,
          title: input.title,
          questionnaire: SURVEY_QUESTIONNAIRE,
          tokenHash: platform.keyring.lookupHash("survey", token),
          closesAt: input.closesAt,
          createdBy: actor.userId,
          createdAt: now,
        })
        .returning({ id: surveys.id });
      await appendAudit(tx, { tenantId: tenant.id, actorId: actor.userId, action: "survey.opened", objectType: "survey", objectId: row.id }, now);
      return row.id;
    },
    actor.userId,
  );
  return { id, token };
}

/** A new link for an open survey (the old one stops working); returns its token. */
export async function renewSurveyLink(platform: Pick<Platform, "db" | "clock" | "keyring">, actor: Actor, tenant: TenantRef, id: string): Promise<string> {
  surveyPolicy.authorize(actor, "manage", tenant);
  const now = platform.clock.now();
  const token = newToken();
  await withTenant(
    platform.db,
    tenant.id,
    async (tx) => {
      const survey = await surveyIn(tx, tenant.id, id);
      if (!isOpen(survey, now)) throw new NotFoundError();
      await tx
        .update(surveys)
        .set({ tokenHash: platform.keyring.lookupHash("survey", token) })
        .where(and(eq(surveys.tenantId, tenant.id), eq(surveys.id, id)));
      await appendAudit(tx, { tenantId: tenant.id, actorId: actor.userId, action: "survey.link_renewed", objectType: "survey", objectId: id }, now);
    },
    actor.userId,
  );
  return token;
}

/** Ends a survey now; an ended survey does not open again. */
export async function closeSurvey(platform: Pick<Platform, "db" | "clock">, actor: Actor, tenant: TenantRef, id: string): Promise<void> {
  surveyPolicy.authorize(actor, "manage", tenant);
  const now = platform.clock.now();
  await withTenant(
    platform.db,
    tenant.id,
    async (tx) => {
      const survey = await surveyIn(tx, tenant.id, id);
      if (!isOpen(survey, now)) return;
      await tx
        .update(surveys)
        .set({ closedAt: now })
        .where(and(eq(surveys.tenantId, tenant.id), eq(surveys.id, id)));
      await appendAudit(tx, { tenantId: tenant.id, actorId: actor.userId, action: "survey.closed", objectType: "survey", objectId: id }, now);
    },
    actor.userId,
  );
}

async function surveyIn(tx: Parameters<Parameters<typeof withTenant>[2]>[0], tenantId: string, id: string): Promise<SurveyRow> {
  if (!UUID.test(id)) throw new NotFoundError();
  const [found] = await tx
    .select(columns)
    .from(surveys)
    .where(and(eq(surveys.tenantId, tenantId), eq(surveys.id, id)));
  if (!found) throw new NotFoundError();
  return found;
}

/** The municipality's surveys, newest first. */
export async function surveyList(platform: Pick<Platform, "db">, actor: Actor, tenant: TenantRef): Promise<SurveyRow[]> {
  surveyPolicy.authorize(actor, "results", tenant);
  return withTenant(
    platform.db,
    tenant.id,
    (tx) => tx.select(columns).from(surveys).where(eq(surveys.tenantId, tenant.id)).orderBy(desc(surveys.createdAt), desc(surveys.id)),
    actor.userId,
  );
}

export interface SurveyResults {
  survey: SurveyRow;
  open: boolean;
  /**
   * Per question, how often each option was chosen — null while open or below five answers; a
   * count below five (zero included) is null too, see `suppressSmall` in platform/disclosure.ts.
   */
  counts: Record<string, Record<string, number | null>> | null;
}

/** A survey and, once it has ended with at least five answers, its results. */
export async function surveyResults(platform: Pick<Platform, "db" | "clock">, actor: Actor, tenant: TenantRef, id: string): Promise<SurveyResults> {
  surveyPolicy.authorize(actor, "results", tenant);
  const now = platform.clock.now();
  return withTenant(
    platform.db,
    tenant.id,
    async (tx) => {
      const survey = await surveyIn(tx, tenant.id, id);
      const open = isOpen(survey, now);
      if (open || survey.responses < SURVEY_MINIMUM) return { survey, open, counts: null };
      const found = await tx
        .select({ question: surveyCounts.question, option: surveyCounts.option, count: surveyCounts.count })
        .from(surveyCounts)
        .where(and(eq(surveyCounts.tenantId, tenant.id), eq(surveyCounts.surveyId, id)));
      const raw: Record<string, Record<string, number>> = {};
      for (const q of SURVEY_QUESTIONS) raw[q.key] = Object.fromEntries(q.options.map((o) => [o, 0]));
      for (const r of found) if (raw[r.question] && r.option in raw[r.question]) raw[r.question][r.option] = r.count;
      const counts = Object.fromEntries(Object.entries(raw).map(([q, c]) => [q, suppressSmall(c)]));
      return { survey, open, counts };
    },
    actor.userId,
  );
}

/** The survey behind a link, for whoever holds it (no account), or null. */
export async function surveyByLink(
  platform: Pick<Platform, "db" | "keyring">,
  slug: string,
  token: string,
): Promise<{ tenantId: string; tenantName: string; survey: SurveyRow } | null> {
  if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return null;
  const tenant = await municipalityOfLink(platform, slug);
  if (!tenant) return null;
  const [survey] = await withTenant(platform.db, tenant.id, (tx) =>
    tx
      .select(columns)
      .from(surveys)
      .where(and(eq(surveys.tenantId, tenant.id), eq(surveys.tokenHash, platform.keyring.lookupHash("survey", token)))),
  );
  return survey ? { tenantId: tenant.id, tenantName: tenant.name, survey } : null;
}

export type SurveyAnswers = Record<string, string>;

/** The options chosen (questions left out are simply not counted); at least one, and each one of its question's. */
export function readSurveyAnswers(values: Values): { ok: true; answers: SurveyAnswers } | { ok: false; errors: Record<string, string>; kept: SurveyAnswers } {
  const answers: SurveyAnswers = {};
  const errors: Record<string, string> = {};
  for (const q of SURVEY_QUESTIONS) {
    const v = one(values[q.key]);
    if (v === "") continue;
    if (q.options.includes(v)) answers[q.key] = v;
    else errors[q.key] = "option";
  }
  if (Object.keys(errors).length) return { ok: false, errors, kept: answers };
  if (Object.keys(answers).length === 0) return { ok: false, errors: { [SURVEY_QUESTIONS[0].key]: "none" }, kept: answers };
  return { ok: true, answers };
}

/**
 * Counts an answer: the survey's number of answers and, per question answered, its option — in
 * one transaction, and nothing else (no audit entry, no event: either would tie a time and
 * perhaps a person to it). Returns false when the survey has ended meanwhile.
 */
export async function countAnswer(platform: Pick<Platform, "db" | "clock">, tenantId: string, surveyId: string, answers: SurveyAnswers): Promise<boolean> {
  const now = platform.clock.now();
  return withTenant(platform.db, tenantId, async (tx) => {
    const [counted] = await tx
      .update(surveys)
      .set({ responses: sql`${surveys.responses} + 1` })
      .where(and(eq(surveys.tenantId, tenantId), eq(surveys.id, surveyId), sql`${surveys.closedAt} is null`, sql`${surveys.closesAt} > ${now}`))
      .returning({ id: surveys.id });
    if (!counted) return false;
    const entries = Object.entries(answers);
    if (entries.length)
      await tx
        .insert(surveyCounts)
        .values(entries.map(([question, option]) => ({ tenantId, surveyId, question, option, count: 1 })))
        .onConflictDoUpdate({
          target: [surveyCounts.tenantId, surveyCounts.surveyId, surveyCounts.question, surveyCounts.option],
          set: { count: sql`${surveyCounts.count} + 1` },
        });
    return true;
  });
}
