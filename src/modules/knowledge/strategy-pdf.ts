import { dateFormat } from "../../platform/i18n/formats.ts";
import type { Translate } from "../../platform/i18n/i18n.ts";
import { type FlowBlock, renderFlow } from "../../platform/pdf/flow.ts";
import type { Measure } from "./action-plan.ts";
import { STRATEGY_SECTIONS } from "./schema.ts";
import type { StrategyVersion } from "./strategy.ts";

/*
 * The strategy concept as a tagged PDF (headings, paragraphs and the action plan as a list, in the
 * reader's language), for the council, the alliance and the files. The texts are put together here;
 * the layout runs in a worker thread (`renderFlow`), since a long concept takes a while to set.
 */

const GREY = "#4b5563";
const oneLine = (s: string) => s.replace(/\s+/g, " ").trim();

export function strategyPdf(p: { t: Translate; lang: string; tenantName: string; version: StrategyVersion; plan: Measure[] }): Promise<Buffer> {
  const { t, lang, tenantName, version, plan } = p;
  const day = (d: Date) => dateFormat(lang, { dateStyle: "long", timeZone: "Europe/Berlin" }).format(d);
  const calendarDay = (iso: string) => dateFormat(lang, { dateStyle: "long", timeZone: "UTC" }).format(new Date(`${iso}T00:00:00Z`));
  const heading = (text: string): FlowBlock => ({ type: "H2", text, style: { size: 13, bold: true, after: 4 }, room: 60 });

  const blocks: FlowBlock[] = [
    { type: "P", text: t("knowledge.strategy.of", { tenant: tenantName }), style: { size: 10, color: GREY, after: 2 } },
    { type: "H1", text: version.title, style: { size: 17, bold: true, after: 2 } },
    {
      type: "P",
      text: `${t("knowledge.strategy.versionTitle", { version: version.version, date: day(version.savedAt) })} · ${
        version.publishedAt && version.visibility
          ? t("knowledge.strategy.publishedFor", { date: day(version.publishedAt), visibility: t(`knowledge.visibility.${version.visibility}`) })
          : t("knowledge.strategy.draftMark")
      }`,
      style: { size: 10, color: GREY, after: 12 },
    },
  ];
  for (const s of STRATEGY_SECTIONS) {
    blocks.push(heading(t(`knowledge.strategy.section.${s}`)));
    const paragraphs = version.sections[s]
      .split(/\n[ \t]*\n/)
      .map(oneLine)
      .filter(Boolean);
    if (paragraphs.length === 0) blocks.push({ type: "P", text: t("knowledge.strategy.empty"), style: { size: 10, color: GREY, after: 6 } });
    for (const para of paragraphs) blocks.push({ type: "P", text: para, style: { size: 10.5, after: 6 } });
  }
  if (plan.length > 0) {
    blocks.push(heading(t("knowledge.plan.title")));
    for (const goal of [...new Set(plan.map((m) => m.goal))]) {
      blocks.push({ type: "H3", text: t("knowledge.plan.goal", { goal }), style: { size: 11, bold: true, after: 3 }, room: 40 });
      blocks.push({
        type: "L",
        items: plan
          .filter((m) => m.goal === goal)
          .map((m) => {
            const facts = [m.owner, calendarDay(m.dueOn), t(`knowledge.plan.status.${m.status}`)].join(" · ");
            const progress = oneLine(m.progress);
            return { text: `${m.title} – ${facts}${progress ? ` – ${progress}` : ""}`, style: { size: 10, indent: 10, after: 4 } };
          }),
      });
    }
  }
  return renderFlow({ title: version.title, lang, direction: "ltr", blocks });
}
