import { html, type ViewContext } from "../../platform/ui/html.ts";
import type { CaseView } from "./commands.ts";

/**
 * The case page's parts as links at its top: the page holds a case's whole work, and on a phone
 * the closure is many screens down. Each link names a part the page shows for this case; a test
 * checks every heading with an anchor has its link and every link its heading.
 */
export function CaseContents({ ctx, kase, joinedReports, feedback }: { ctx: ViewContext; kase: CaseView; joinedReports: boolean; feedback: boolean }) {
  const { t } = ctx;
  const parts: [string, string, boolean][] = [
    ["federfuehrung", t("cases.assignHeading"), true],
    ["angaben", t("office.content"), true],
    ["beweise", t("office.evidence"), true],
    ["postfach", t("office.messages"), true],
    ["risiko-titel", t("cases.risk.title"), true],
    ["massnahmen", t("cases.tasks.title"), true],
    ["entscheidungen", t("office.questions.title"), true],
    ["vermittlungen", t("cases.referrals.title"), true],
    ["fuehrung", t("cases.leaders.title"), kase.shares.length > 0 || kase.policies.work],
    ["meldungen", t("cases.join.title"), joinedReports || kase.policies.work],
    ["verbunden", t("cases.related.title"), true],
    ["notizen", t("cases.notes.title"), true],
    ["verlauf", t("cases.timeline.title"), true],
    ["abschluss", t("cases.closure.title"), !kase.closedReason],
    ["rueckmeldung", t("office.feedback.title"), !kase.closedReason && feedback],
    ["sperre", t("cases.holds.title"), kase.policies.read],
  ];
  return html`<nav aria-label=${t("cases.contents")} class="komma-contents">
    <p class="kern-label" aria-hidden="true">${t("cases.contents")}</p>
    <ul class="komma-inline-list">${parts.filter(([, , shown]) => shown).map(([id, label]) => html`<li><a class="kern-link" href=${`#${id}`}>${label}</a></li>`)}</ul>
  </nav>`;
}
