import { createHash } from "node:crypto";
import pLimit from "p-limit";
import { dateFormat } from "../../platform/i18n/formats.ts";
import { type PublicLanguage, RTL_LANGUAGES, type Translate } from "../../platform/i18n/i18n.ts";
import { PdfWriter, type TextStyle } from "../../platform/pdf/pdf.ts";
import { qrPng } from "../../platform/ui/qr.ts";
import { languageName } from "./card-view.ts";
import type { CardContact, EmergencyCard } from "./commands.ts";
import { describeHours } from "./hours.ts";
import { displayPhone } from "./phone.ts";

/*
 * The emergency card as a PDF: the same sections as the page, for the counter's printer and for
 * sending on. Paper does not know the hour, so each contact shows its hours instead of "open now".
 */

/** Keeps a number left to right inside a right-to-left line (a first strong isolate, then pop). */
const ltr = (text: string) => `\u2066${text}\u2069`;

const RED = "#b00020";
const GREY = "#4a4a4a";

/**
 * Drawing a card takes a tenth of a second, and anyone may ask for a public one: the last cards
 * drawn are kept, by what they show (contacts, language, day), so asking again costs nothing.
 */
const drawn = new Map<string, Promise<Buffer>>();
const KEEP = 64;

export function emergencyCardPdf(card: EmergencyCard, lang: PublicLanguage, t: Translate, reportUrl: string): Promise<Buffer> {
  const day = dateFormat("en-CA", { timeZone: "Europe/Berlin" }).format(card.at);
  const contacts = Object.values(card.situations).map((list) => list.map(({ openNow: _, ...c }) => c));
  const key = createHash("sha256")
    .update(JSON.stringify([card.tenant, contacts, lang, day, reportUrl]))
    .digest("base64url");
  let pdf = drawn.get(key);
  if (!pdf) {
    pdf = draw(card, lang, t, reportUrl);
    pdf.catch(() => drawn.delete(key));
    if (drawn.size >= KEEP) drawn.delete(drawn.keys().next().value as string);
    drawn.set(key, pdf);
  }
  return pdf;
}

/** One card drawn at a time in this process: drawing takes the CPU, and the other requests must still be answered. */
const drawing = pLimit(1);

/**
 * The card on one page where a little smaller type allows it; a very large alliance continues on a
 * second. A card far longer than a page (three or more) is drawn once more at the smallest type only.
 */
function draw(card: EmergencyCard, lang: PublicLanguage, t: Translate, reportUrl: string): Promise<Buffer> {
  return drawing(async () => {
    const scales = [1, 0.92, 0.85, 0.78, 0.72];
    for (const scale of scales.slice(0, -1)) {
      const pdf = await drawAt(card, lang, t, reportUrl, scale);
      const bytes = await pdf.finish();
      if (pdf.pages === 1) return bytes;
      if (pdf.pages >= 3) break;
    }
    return (await drawAt(card, lang, t, reportUrl, scales[scales.length - 1])).finish();
  });
}

/** What the printed card says of a service: a few lines, not a brochure (the page has it all). */
const SERVICES_ON_PAPER = 240;

async function drawAt(card: EmergencyCard, lang: PublicLanguage, t: Translate, reportUrl: string, scale: number): Promise<PdfWriter> {
  const title = t("alliance.card.title", { tenant: card.tenant.name });
  const pdf = new PdfWriter({ title, lang, direction: RTL_LANGUAGES.includes(lang) ? "rtl" : "ltr", margin: 36, scale });

  pdf.paragraph(title, { size: 17, bold: true, after: 2 }, "H1");
  pdf.paragraph(t("alliance.card.lead"), { size: 10, color: GREY, after: 8 });

  // Immediate danger first, in a red frame.
  const danger = [
    { text: t("alliance.card.danger.title"), style: { size: 12, bold: true, color: RED }, type: "H2" },
    { text: t("alliance.card.danger.text"), style: { size: 10 }, type: "P" },
    {
      text: `${ltr("110")} ${t("alliance.card.danger.police")} · ${ltr("112")} ${t("alliance.card.danger.rescue")}`,
      style: { size: 12, bold: true },
      type: "P",
    },
  ] satisfies Array<{ text: string; style: TextStyle; type: string }>;
  const pad = 8;
  const boxHeight = danger.reduce((h, d) => h + pdf.measure(d.text, { ...d.style, indent: pad, endIndent: pad }), 0) + 2 * pad;
  pdf.ensureRoom(boxHeight);
  const top = pdf.y;
  pdf.artifact(() => {
    pdf.doc.save().lineWidth(2).strokeColor(RED).rect(pdf.margin, top, pdf.width, boxHeight).stroke().restore();
  });
  pdf.y += pad;
  const section = pdf.group("Sect");
  for (const d of danger) pdf.paragraph(d.text, { ...d.style, indent: pad, endIndent: pad }, d.type, section);
  section.end();
  pdf.y = top + boxHeight + 10;

  const seen = new Set<string>();
  situation(pdf, t, lang, {
    title: t("alliance.card.threat.title"),
    steps: ["1", "2", "3"].map((n) => t(`alliance.card.threat.step${n}`)),
    contacts: card.situations.threat,
    seen,
  });
  situation(pdf, t, lang, {
    title: t("alliance.card.online.title"),
    steps: ["1", "2", "3"].map((n) => t(`alliance.card.online.step${n}`)),
    contacts: card.situations.online,
    seen,
  });
  situation(pdf, t, lang, { title: t("alliance.card.support.title"), text: t("alliance.card.support.text"), contacts: card.situations.support, seen });

  // The way to the reporting form: words, the QR code and the address to type.
  const qrSize = 72;
  pdf.ensureRoom(qrSize + 40);
  const report = pdf.group("Sect");
  pdf.paragraph(t("alliance.card.report.title"), { size: 12, bold: true, after: 2 }, "H2", report);
  const qrTop = pdf.y;
  const png = await qrPng(reportUrl);
  const qrX = pdf.direction === "rtl" ? pdf.margin : pdf.margin + pdf.width - qrSize;
  pdf.tag("Figure", () => pdf.doc.image(png, qrX, qrTop, { width: qrSize, height: qrSize }), report);
  const side = { endIndent: qrSize + 12 };
  pdf.paragraph(t("alliance.card.report.text", { tenant: card.tenant.name }), { size: 10, ...side }, "P", report);
  pdf.paragraph(reportUrl, { size: 10, bold: true, direction: "ltr", ...side }, "P", report);
  report.end();
  pdf.y = Math.max(pdf.y, qrTop + qrSize) + 6;
  const date = dateFormat(lang, { dateStyle: "long", timeZone: "Europe/Berlin" }).format(card.at);
  pdf.paragraph(t("alliance.card.asOf", { date }), { size: 8, color: GREY });
  return pdf;
}

function situation(
  pdf: PdfWriter,
  t: Translate,
  lang: PublicLanguage,
  s: { title: string; steps?: string[]; text?: string; contacts: CardContact[]; seen: Set<string> },
): void {
  pdf.ensureRoom(60);
  const section = pdf.group("Sect");
  pdf.paragraph(s.title, { size: 12, bold: true, after: 2 }, "H2", section);
  if (s.text) pdf.paragraph(s.text, { size: 9.5, after: 3 }, "P", section);
  if (s.steps) {
    const list = pdf.group("L", section);
    s.steps.forEach((step, i) => {
      pdf.paragraph(`${ltr(`${i + 1}.`)} ${step}`, { size: 9.5, indent: 6 }, "LI", list);
    });
    list.end();
    pdf.y += 3;
  }
  if (s.contacts.length === 0) pdf.paragraph(t("alliance.card.noContacts"), { size: 9.5 }, "P", section);
  for (const c of s.contacts) {
    const again = s.seen.has(c.id);
    s.seen.add(c.id);
    const ways = [c.phone && ltr(displayPhone(c.phone)), !again && c.email && ltr(c.email)].filter(Boolean).join("  ·  ");
    const lines: Array<[string, TextStyle]> = [[c.name, { size: 10, bold: true, direction: "auto" }]];
    if (!again && c.services) {
      const services = c.services.length > SERVICES_ON_PAPER ? `${c.services.slice(0, SERVICES_ON_PAPER).trimEnd()}…` : c.services;
      lines.push([services, { size: 9, color: GREY, direction: "auto" }]);
    }
    if (ways) lines.push([ways, { size: 10 }]);
    if (!again) {
      const hours = c.hours.alwaysOpen
        ? t("alliance.hours.alwaysOpen")
        : describeHours(c.hours, lang)
            .map((l) => `${l.days} ${ltr(l.ranges)}`)
            .join("; ");
      const languages = c.languages.length > 0 ? `${t("alliance.card.languages")}: ${c.languages.map((l) => languageName(l, lang)).join(", ")}` : "";
      const details = [hours, languages].filter(Boolean).join("  ·  ");
      if (details) lines.push([details, { size: 9 }]);
    }
    pdf.ensureRoom(lines.reduce((h, [text, style]) => h + pdf.measure(text, { ...style, indent: 6 }), 0));
    const item = pdf.group("Div", section);
    for (const [text, style] of lines) pdf.paragraph(text, { ...style, indent: 6 }, "P", item);
    item.end();
    pdf.y += 3;
  }
  section.end();
  pdf.y += 4;
}
