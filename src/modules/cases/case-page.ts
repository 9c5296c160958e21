import type { FastifyRequest } from "fastify";
import { type NavProvider, viewContext } from "../../platform/http/context.ts";
import { requireActor, requireTenant } from "../../platform/http/guards.ts";
import type { Platform } from "../../platform/platform.ts";
import { html } from "../../platform/ui/html.ts";
import { caseNumbersOf, readReport } from "../reports/index.ts";
import type { AssessmentDraft } from "./assessment-view.ts";
import { timelineOf } from "./case-file.ts";
import type { ClosureDraft } from "./closure-view.ts";
import { openCase } from "./commands.ts";
import type { HoldDraft } from "./retention-view.ts";
import type { TaskDraft } from "./tasks-view.ts";
import { CasePage } from "./views.ts";

/* The case page as every form on it renders it again: with that form's input and errors. */

export const tenantOf = (request: FastifyRequest) => {
  const t = requireTenant(request);
  return { id: t.id, slug: t.slug, name: t.name, kind: t.kind };
};
export const numberOf = (request: FastifyRequest) => (request.params as { caseNumber: string }).caseNumber;

/** What a form left on the case page: its input and errors, shown again. */
export interface CasePageExtra {
  errors?: Record<string, string>;
  reply?: string;
  handoverNote?: string;
  draft?: AssessmentDraft;
  taskDraft?: TaskDraft;
  tagsText?: string;
  questionDraft?: { values: Record<string, string>; errors: Record<string, string> };
  referralDraft?: { values: Record<string, string | string[]>; errors: Record<string, string> };
  closureDraft?: ClosureDraft;
  holdDraft?: HoldDraft;
  noteDraft?: { body: string; errors: Record<string, string> };
  leaderDraft?: { values: Record<string, string>; errors: Record<string, string> };
  relatedDraft?: { values: Record<string, string>; errors: Record<string, string> };
  joinDraft?: { values: Record<string, string>; errors: Record<string, string> };
}

export function casePageOf(platform: Platform, nav: NavProvider) {
  return async (request: FastifyRequest, extra: CasePageExtra = {}) => {
    const { actor } = requireActor(request);
    const tenant = tenantOf(request);
    const kase = await openCase(platform, actor, tenant, numberOf(request));
    // Reading the report is audited by the Meldestelle, as every read of a report.
    const report = await readReport(platform, actor, tenant, kase.number);
    const numbers = await caseNumbersOf(platform, tenant.id, { reportIds: kase.reportIds });
    const reportNumbers = [...numbers.reports.values()].filter((n) => n !== kase.number).sort();
    const timeline = await timelineOf(platform, actor, tenant.id, [kase.id, ...kase.reportIds, ...report.evidence.map((e) => e.id)]);
    return html`<${CasePage} ctx=${viewContext(request, nav)} kase=${kase} report=${report} me=${actor.userId} errors=${extra.errors} reply=${extra.reply} handoverNote=${extra.handoverNote} draft=${extra.draft} taskDraft=${extra.taskDraft} tagsText=${extra.tagsText} questionDraft=${extra.questionDraft} referralDraft=${extra.referralDraft} closureDraft=${extra.closureDraft} holdDraft=${extra.holdDraft} noteDraft=${extra.noteDraft} leaderDraft=${extra.leaderDraft} relatedDraft=${extra.relatedDraft} joinDraft=${extra.joinDraft} reportNumbers=${reportNumbers} timeline=${timeline} />`;
  };
}

/** The named fields of a form as strings: a field sent twice or not at all counts as empty. */
export function stringsOf(body: unknown, names: readonly string[]): Record<string, string> {
  const b = (body ?? {}) as Record<string, unknown>;
  return Object.fromEntries(names.map((n) => [n, typeof b[n] === "string" ? (b[n] as string) : ""]));
}

/** Field errors under the names of one of several forms on a page ("topic" → "askTopic"). */
export function prefixed(errors: Record<string, string>, prefix: string): Record<string, string> {
  return Object.fromEntries(Object.entries(errors).map(([k, v]) => [`${prefix}${k.charAt(0).toUpperCase()}${k.slice(1)}`, v]));
}
