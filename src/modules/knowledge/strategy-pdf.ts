import type { Translate } from "../../platform/i18n/i18n.ts";
import { PdfWriter } from "../../platform/pdf/pdf.ts";
import type { Measure } from "./action-plan.ts";
import { STRATEGY_SECTIONS } from "./schema.ts";
import type { StrategyVersion } from "./strategy.ts";

/*
 * The strategy concept as a tagged PDF (headings, paragraphs and the action plan as a list, in the
 * reader's language), for the council, the alliance and the files.
 */

const GREY = "#4b5563";

export function strategyPdf(p: { t: Translate; lang: string; tenantName: string; version: StrategyVersion; plan: Measure[] }): Promise<Buffer> {
  const { t, lang, tenantName, version, plan } = p;
  const day = (d: Date) => new Intl.DateTimeFormat(lang, { dateStyle: "long", timeZone: "Europe/Berlin" }).format(d);
  const calendarDay = (iso: string) => new Intl.DateTimeFormat(lang, { dateStyle: "long", timeZone: "UTC" }).format(new Date(`${iso}T00:00:00Z`));
  const pdf = new PdfWriter({ title: version.title, lang, direction: "ltr" });
  const heading = (text: string) => {
    pdf.ensureRoom(60);
    pdf.paragraph(text, { size: 13, bold: true, after: 4 }, "H2");
  };

  pdf.paragraph(t("knowledge.strategy.of", { tenant: tenantName }), { size: 10, color: GREY, after: 2 });
  pdf.paragraph(version.title, { size: 17, bold: true, after: 2 }, "H1");
  pdf.paragraph(t("knowledge.strategy.versionTitle", { version: version.version, date: day(version.savedAt) }), { size: 10, color: GREY, after: 12 });

  for (const s of STRATEGY_SECTIONS) {
    heading(t(`knowledge.strategy.section.${s}`));
    const paragraphs = version.sections[s]
      .split(/\n[ \t]*\n/)
      .map((para) => para.replace(/\s+/g, " ").trim())
      .filter(Boolean);
    if (paragraphs.length === 0) pdf.paragraph(t("knowledge.strategy.empty"), { size: 10, color: GREY, after: 6 });
    for (const para of paragraphs) pdf.paragraph(para, { size: 10.5, after: 6 });
  }

  if (plan.length > 0) {
    heading(t("knowledge.plan.title"));
    for (const goal of [...new Set(plan.map((m) => m.goal))]) {
      pdf.ensureRoom(40);
      pdf.paragraph(t("knowledge.plan.goal", { goal }), { size: 11, bold: true, after: 3 }, "H3");
      const list = pdf.group("L");
      for (const m of plan.filter((x) => x.goal === goal)) {
        const facts = [m.owner, calendarDay(m.dueOn), t(`knowledge.plan.status.${m.status}`)].join(" · ");
        const progress = m.progress.replace(/\s+/g, " ").trim();
        pdf.paragraph(`${m.title} – ${facts}${progress ? ` – ${progress}` : ""}`, { size: 10, indent: 10, after: 4 }, "LI", list);
      }
    }
  }
  return pdf.finish();
}
