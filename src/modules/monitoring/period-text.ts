import { dateFormat } from "../../platform/i18n/formats.ts";
import type { ViewContext } from "../../platform/ui/html.ts";
import type { Figures } from "./figures.ts";

/* What period the figures hold, in words: for the page and the yearly report alike. */

type Texts = { t: ViewContext["t"]; lang: string };

/**
 * A month's short name for a chart or a table: "Mär", "Sep". In English the American short names,
 * since British English writes "Sept", the one four-letter name among three-letter ones.
 */
export const shortMonth = (lang: string, month: string): string =>
  dateFormat(lang === "en" ? "en-US" : "de-DE", { month: "short", timeZone: "Europe/Berlin" }).format(new Date(`${month}-15T12:00:00Z`));

/** "Figures up to the end of November 2026, released on 1 December 2026", for the national figures or a municipality's own. */
export function releaseText(ctx: Texts, release: Figures["release"], own = false): string {
  if (!release) return ctx.t("monitoring.release.none");
  const [y, m] = release.month.split("-").map(Number);
  const through = `${m === 1 ? y - 1 : y}-${String(m === 1 ? 12 : m - 1).padStart(2, "0")}`;
  return ctx.t(own ? "monitoring.release.own" : "monitoring.release.as", {
    through: dateFormat(ctx.lang === "en" ? "en-GB" : "de-DE", {
      month: "long",
      year: "numeric",
      timeZone: "Europe/Berlin",
    }).format(new Date(`${through}-15T12:00:00Z`)),
    on: dateFormat(ctx.lang === "en" ? "en-GB" : "de-DE", {
      day: "numeric",
      month: "long",
      year: "numeric",
      timeZone: "Europe/Berlin",
    }).format(release.releasedAt),
  });
}

/** The month a year's sums reach to: the last of its quarters over. */
const lastMonthOver = (ctx: { lang: string }, f: Pick<Figures, "filter" | "quarters">) =>
  dateFormat(ctx.lang === "en" ? "en-GB" : "de-DE", {
    month: "long",
    timeZone: "Europe/Berlin",
  }).format(new Date(`${f.filter.year}-${String(f.quarters * 3).padStart(2, "0")}-15T12:00:00Z`));

/** "2026", "2. Quartal 2026", or a year under way by its quarters over: "2026, Januar bis September". */
export const periodLabel = (ctx: Texts, f: Pick<Figures, "filter" | "quarters">) =>
  f.filter.quarter !== 0
    ? `${ctx.t("monitoring.filter.quarterN", { n: f.filter.quarter })} ${f.filter.year}`
    : f.quarters > 0 && f.quarters < 4
      ? ctx.t("monitoring.period.yearThrough", { year: f.filter.year, month: lastMonthOver(ctx, f) })
      : String(f.filter.year);

/** What a period under way shows, and why: its months alone, or its sums over the quarters that are over. */
export function pendingText(ctx: Texts, f: Figures): { title: string; text: string } | null {
  const { t } = ctx;
  const why = t("monitoring.period.why");
  if (f.pending && f.filter.quarter !== 0)
    return { title: t("monitoring.period.pendingQuarterTitle", { quarter: periodLabel(ctx, f) }), text: `${t("monitoring.period.pendingQuarter")} ${why}` };
  if (f.pending) return { title: t("monitoring.period.pendingYearTitle"), text: `${t("monitoring.period.pendingYear")} ${why}` };
  if (f.filter.quarter === 0 && f.quarters < 4)
    return { title: t("monitoring.period.partialYearTitle", { month: lastMonthOver(ctx, f) }), text: `${t("monitoring.period.partialYear")} ${why}` };
  return null;
}
