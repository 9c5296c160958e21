import { createRequire } from "node:module";
import type { Bidi } from "bidi-js";
import bidiModule from "bidi-js";
import PDFDocument from "pdfkit";

/*
 * Tagged PDF documents with text in any of the reporting languages, Arabic included.
 *
 * pdfkit (with fontkit) shapes Arabic letters and lays out a run of Arabic text right to left, but
 * it does not order a line that mixes directions. So each paragraph goes through the Unicode
 * bidirectional algorithm (bidi-js) here: embedding levels for the paragraph, our own line breaks
 * on the logical text, then per line the visual order, drawn as runs from left to right. A
 * right-to-left run that holds Arabic letters is handed to fontkit in logical order (it reverses
 * the glyphs itself); one of only neutral characters is reversed here. Mirrored characters
 * ("(" in a right-to-left run) are swapped first: they look right, but text copied out of the PDF
 * carries the swapped bracket, since a glyph has one meaning in the font's map. Fonts are TTF files from npm: Noto Sans for Latin
 * and Cyrillic, Vazirmatn for Arabic; each run takes the font its script needs.
 */

const require = createRequire(import.meta.url);
const FONTS = {
  regular: require.resolve("@expo-google-fonts/noto-sans/400Regular/NotoSans_400Regular.ttf"),
  bold: require.resolve("@expo-google-fonts/noto-sans/700Bold/NotoSans_700Bold.ttf"),
  arabic: require.resolve("@expo-google-fonts/vazirmatn/400Regular/Vazirmatn_400Regular.ttf"),
  arabicBold: require.resolve("@expo-google-fonts/vazirmatn/700Bold/Vazirmatn_700Bold.ttf"),
};

// A CommonJS package whose types declare an ES default export: Node hands over module.exports, the factory itself.
const bidi = (bidiModule as unknown as () => Bidi)();
const ARABIC = /[\u0600-\u06FF\u0750-\u077F\u08A0-\u08FF\uFB50-\uFDFF\uFE70-\uFEFF]/;
/** Direction marks and isolates: they steer the algorithm, and no font has a glyph for them. */
const BIDI_CONTROLS = /[\u200E\u200F\u202A-\u202E\u2066-\u2069]/g;

export type Direction = "ltr" | "rtl";

/** More characters than any line can hold (a line is some 520 points, the narrowest glyph over 2). */
const CUT_WINDOW = 400;
/** Text, and the columns' colours: blue, and orange beside it (told apart also without red and green). */
const INK = "#1b1b1b";
const COLUMN_COLOURS = ["#26489e", "#b45309"];
/** A withheld column: a pale ground with grey hatching. */
const WITHHELD_FILL = "#f3f4f6";
const WITHHELD_LINE = "#9ca3af";

export interface TextStyle {
  size?: number;
  bold?: boolean;
  color?: string;
  /** Extra space on the line's start side (left in a left-to-right document, right otherwise). */
  indent?: number;
  /** Space kept free on the line's end side (beside a picture). */
  endIndent?: number;
  /** The paragraph's own direction where it differs from the document's (a German name on an Arabic page). */
  direction?: Direction | "auto";
  /** Space after the paragraph, in points. */
  after?: number;
}

interface Run {
  text: string;
  font: string;
  width: number;
  /** Where the run starts in the logical text: runs are written in reading order, placed in visual order. */
  at: number;
}

export interface PdfOptions {
  title: string;
  lang: string;
  direction: Direction;
  margin?: number;
  /** Every text size and the space after paragraphs times this: a little smaller to fit one page. */
  scale?: number;
  /** A page number at the foot of every page, "Seite {page} von {pages}" (none where not given). */
  pageLabel?: string;
}

/** A4 pages written top to bottom; structure elements tag every piece for screen readers. */
export class PdfWriter {
  readonly doc: PDFKit.PDFDocument;
  readonly direction: Direction;
  readonly margin: number;
  readonly scale: number;
  y: number;
  private pageCount = 1;
  private readonly root: PDFKit.PDFStructureElement;
  private readonly pageLabel: string | undefined;

  constructor(options: PdfOptions) {
    this.margin = options.margin ?? 42;
    this.scale = options.scale ?? 1;
    this.direction = options.direction;
    this.pageLabel = options.pageLabel;
    this.doc = new PDFDocument({
      // Kept until the end where each page is numbered "of" the last.
      bufferPages: options.pageLabel !== undefined,
      size: "A4",
      margin: this.margin,
      pdfVersion: "1.7",
      tagged: true,
      lang: options.lang,
      displayTitle: true,
      info: { Title: options.title, Creator: "KommA" },
      autoFirstPage: true,
    });
    this.root = this.doc.struct("Document");
    this.doc.addStructure(this.root);
    this.y = this.margin;
  }

  get width(): number {
    return this.doc.page.width - 2 * this.margin;
  }

  get bottom(): number {
    return this.doc.page.height - this.margin;
  }

  /** Starts a new page unless `height` points still fit on this one. */
  ensureRoom(height: number): void {
    if (this.y + height <= this.bottom) return;
    this.doc.addPage();
    this.pageCount++;
    this.y = this.margin;
  }

  /**
   * Room for the next `height` points of a table or a list. Where that begins a page, the block's
   * `continued` line comes first ("Vorfälle nach Monat (Fortsetzung)"), so that a reader who turns
   * the page knows what goes on: decoration, since the heading is tagged where the block began.
   * Returns whether a page began.
   */
  keepRoom(height: number, continued?: string): boolean {
    if (this.y + height <= this.bottom) return false;
    this.ensureRoom(height);
    if (continued) {
      const style = this.scaled({ size: 9, bold: true, color: "#4d4d4d" });
      const lines = this.layout(continued, style, this.width);
      this.artifact(() => this.drawLines(lines, style));
      this.y += 3;
    }
    return true;
  }

  /** The height of one line of text in a style. */
  lineOf(style: TextStyle): number {
    return lineHeight(this.scaled(style));
  }

  /** A tagged element (H1, P, LI, …) whose content `draw` puts on the page. */
  tag(type: string, draw: () => void, parent: PDFKit.PDFStructureElement = this.root): void {
    parent.add(this.doc.struct(type, {}, draw));
  }

  /** A grouping element (Sect, L) to add tagged children to. */
  group(type: string, parent: PDFKit.PDFStructureElement = this.root): PDFKit.PDFStructureElement {
    const element = this.doc.struct(type);
    parent.add(element);
    return element;
  }

  /** Decoration (a box, a rule) that assistive technology skips. */
  artifact(draw: () => void): void {
    this.doc.markContent("Artifact", { type: "Layout" });
    draw();
    this.doc.endMarkedContent();
  }

  /** The height of a paragraph's text in a width, without drawing it. */
  measure(text: string, given: TextStyle = {}): number {
    const style = this.scaled(given);
    const width = this.lineWidth(style);
    return this.layout(text, style, width).length * lineHeight(style);
  }

  /** A paragraph of text under the structure element `type`, wrapped and ordered for its direction. */
  paragraph(text: string, given: TextStyle = {}, type = "P", parent: PDFKit.PDFStructureElement = this.root): void {
    const style = this.scaled(given);
    const lines = this.layout(text, style, this.lineWidth(style));
    const height = lineHeight(style);
    let start = 0;
    // One element per page the paragraph touches: marked content must not cross a page.
    while (start < lines.length) {
      this.ensureRoom(height);
      const fit = Math.max(1, Math.floor((this.bottom - this.y) / height));
      const part = lines.slice(start, start + fit);
      this.tag(type, () => this.drawLines(part, style), parent);
      start += part.length;
    }
    this.y += style.after ?? 0;
  }

  /**
   * A table with a header row: tagged Table, TR, TH and TD. The first column takes half the
   * width, the others share the rest; a cell's text wraps, and its row grows to hold it. On a
   * page it goes on to, its `continued` line and its header row come first.
   */
  table(head: string[], rows: string[][], given: TextStyle = {}, continued?: string): void {
    const style = this.scaled(given);
    const line = lineHeight(style);
    const first = this.width / 2;
    const other = head.length > 1 ? (this.width - first) / (head.length - 1) : 0;
    const table = this.group("Table");
    const row = (cells: string[], type: "TH" | "TD") => {
      const cellStyle = { ...style, bold: type === "TH" || style.bold };
      const laid = cells.map((text, i) => this.layout(text, cellStyle, (i === 0 ? first : other) - 6));
      const height = Math.max(1, ...laid.map((l) => l.length)) * line + 4;
      // On a new page the header row comes again.
      if (this.keepRoom(height, type === "TD" ? continued : undefined) && type === "TD") row(head, "TH");
      const tr = this.group("TR", table);
      laid.forEach((lines, i) => {
        const width = i === 0 ? first : other;
        const left = i === 0 ? this.margin : this.margin + first + (i - 1) * other;
        this.tag(
          i === 0 && type === "TD" ? "TH" : type,
          () => {
            this.doc.fillColor(style.color ?? "#1b1b1b");
            lines.forEach((runs, li) => {
              const total = runs.reduce((sum, r) => sum + r.width, 0);
              // Numbers (every column but the first) to the right.
              let x = i === 0 ? left : left + width - 6 - total;
              for (const run of [...runs].sort((a, b) => a.at - b.at)) {
                this.doc
                  .font(run.font)
                  .fontSize(style.size ?? 10)
                  .text(run.text, x, this.y + 2 + li * line, { lineBreak: false, features: [] });
                x += run.width;
              }
            });
          },
          tr,
        );
      });
      this.artifact(() => {
        this.doc
          .moveTo(this.margin, this.y + height)
          .lineTo(this.margin + this.width, this.y + height)
          .lineWidth(type === "TH" ? 0.8 : 0.3)
          .strokeColor("#6b7280")
          .stroke();
      });
      this.y += height;
    };
    row(head, "TH");
    for (const r of rows) row(r, "TD");
    this.y += style.after ?? 0;
  }

  /**
   * Columns for one or two series (side by side, named in a legend above them), as a figure with
   * its description for assistive technology (the table beside it holds the figures). A value
   * withheld (null) is a low hatched mark, the same for each, marked with "×" (as on the page: a
   * column of the chart's full height read as a large figure).
   */
  columns(labels: readonly string[], series: readonly { name: string; values: readonly (number | null)[] }[], alt: string, given: TextStyle = {}): void {
    const style = this.scaled(given);
    const size = style.size ?? 9;
    const legend = series.length > 1 ? lineHeight(style) + 4 : 0;
    const chart = 120;
    const under = lineHeight(style) + 4;
    this.ensureRoom(legend + chart + under + (style.after ?? 0));
    const top = this.y + legend;
    const max = Math.max(1, ...series.flatMap((s) => s.values.map((v) => v ?? 0)));
    const slot = this.width / Math.max(1, labels.length);
    const group = Math.min(28 * series.length, slot * (series.length > 1 ? 0.8 : 0.6));
    const bar = group / series.length;
    const figure = this.doc.struct("Figure", { alt }, () => {
      this.doc.fontSize(size).fillColor(INK);
      let x = this.margin;
      series.forEach((s, si) => {
        if (series.length === 1) return;
        this.doc.rect(x, this.y + 1, size, size).fill(COLUMN_COLOURS[si]);
        this.doc.fillColor(INK).text(s.name, x + size + 4, this.y, { lineBreak: false });
        x += size + 4 + this.doc.widthOfString(s.name) + 16;
      });
      labels.forEach((label, i) => {
        const left = this.margin + i * slot + (slot - group) / 2;
        series.forEach((s, si) => {
          const value = s.values[i];
          const x = left + si * bar;
          if (value === null) {
            // A low hatched mark, as on the page: something is there, and the chart does not say how much.
            const h = 8;
            this.doc.save();
            this.doc.rect(x, top + chart - h, bar, h).clip();
            this.doc.rect(x, top + chart - h, bar, h).fill(WITHHELD_FILL);
            this.doc.lineWidth(0.6).strokeColor(WITHHELD_LINE);
            for (let d = -h; d < bar; d += 5)
              this.doc
                .moveTo(x + d, top + chart)
                .lineTo(x + d + h, top + chart - h)
                .stroke();
            this.doc.restore();
            this.doc.fillColor(INK).text("×", x - 4, top + chart - h - 11, { width: bar + 8, align: "center", lineBreak: false });
          } else {
            const h = ((chart - 14) * value) / max;
            this.doc.rect(x, top + chart - h, bar, h).fill(COLUMN_COLOURS[si]);
            this.doc.fillColor(INK).text(String(value), x - 6, top + chart - h - 11, { width: bar + 12, align: "center", lineBreak: false });
          }
        });
        this.doc.fillColor(INK).text(label, left - 8, top + chart + 3, { width: group + 16, align: "center", lineBreak: false });
      });
    });
    this.root.add(figure);
    this.y = top + chart + under + (style.after ?? 0);
  }

  /** The pages written so far. */
  get pages(): number {
    return this.pageCount;
  }

  private scaled(style: TextStyle): TextStyle {
    if (this.scale === 1) return style;
    return { ...style, size: (style.size ?? 10) * this.scale, after: (style.after ?? 0) * this.scale };
  }

  private lineWidth(style: TextStyle): number {
    return this.width - (style.indent ?? 0) - (style.endIndent ?? 0);
  }

  /** The finished document. */
  async finish(): Promise<Buffer> {
    const chunks: Buffer[] = [];
    const done = new Promise<Buffer>((resolve, reject) => {
      this.doc.on("data", (chunk: Buffer) => chunks.push(chunk));
      this.doc.on("end", () => resolve(Buffer.concat(chunks)));
      this.doc.on("error", reject);
    });
    this.root.end();
    if (this.pageLabel) this.numberPages(this.pageLabel);
    this.doc.end();
    return done;
  }

  /** "Seite 2 von 5" at the foot of each page, centred: pagination that assistive technology skips. */
  private numberPages(label: string): void {
    const { doc } = this;
    const { start, count } = doc.bufferedPageRange();
    for (let i = start; i < start + count; i++) {
      doc.switchToPage(i);
      const text = label.replace("{page}", String(i - start + 1)).replace("{pages}", String(count));
      const size = 8 * this.scale;
      // Below the bottom margin: without it pdfkit would take the line for an overflow and start a page.
      const bottom = doc.page.margins.bottom;
      doc.page.margins.bottom = 0;
      doc.markContent("Artifact", { type: "Pagination" });
      doc
        .font(FONTS.regular)
        .fontSize(size)
        .fillColor("#4d4d4d")
        .text(text, this.margin, doc.page.height - this.margin / 2 - size, { width: this.width, align: "center", lineBreak: false });
      doc.endMarkedContent();
      doc.page.margins.bottom = bottom;
    }
  }

  private drawLines(lines: Run[][], style: TextStyle): void {
    const { doc } = this;
    const size = style.size ?? 10;
    const indent = style.indent ?? 0;
    doc.fillColor(style.color ?? "#1b1b1b");
    for (const runs of lines) {
      const total = runs.reduce((sum, r) => sum + r.width, 0);
      let x = this.direction === "rtl" ? this.margin + this.width - indent - total : this.margin + indent;
      const placed = runs.map((run) => {
        const left = x;
        x += run.width;
        return { run, left };
      });
      // Written in reading order: text extraction (search, copy, screen readers) follows the content stream.
      placed.sort((a, b) => a.run.at - b.run.at);
      for (const { run, left } of placed) doc.font(run.font).fontSize(size).text(run.text, left, this.y, { lineBreak: false, features: [] });
      this.y += lineHeight(style);
    }
  }

  private readonly layouts = new Map<string, Run[][]>();

  /** Lines of runs in visual order, left to right; measured once and drawn from the same layout. */
  private layout(raw: string, style: TextStyle, width: number): Run[][] {
    const key = JSON.stringify([raw, style, width]);
    let lines = this.layouts.get(key);
    if (!lines) {
      lines = this.layoutAnew(raw, style, width);
      this.layouts.set(key, lines);
    }
    return lines;
  }

  private layoutAnew(raw: string, style: TextStyle, width: number): Run[][] {
    const text = raw.replace(/\s+/g, " ").trim();
    if (!text) return [];
    const direction = style.direction ?? this.direction;
    const levels = bidi.getEmbeddingLevels(text, direction === "auto" ? "auto" : direction);
    const mirrored = bidi.getMirroredCharactersMap(text, levels.levels);
    // Mirrored characters are all in the basic plane: swapping them keeps every index in place.
    const shown = Array.from({ length: text.length }, (_, i) => mirrored.get(i) ?? text[i]).join("");
    const lines: Run[][] = [];
    for (const [start, end] of this.breakLines(text, style, width)) {
      // The whole string comes back, with only this line's segments turned.
      const order = bidi.getReorderedIndices(text, levels, start, end).slice(start, end + 1);
      lines.push(this.runsOf(shown, levels.levels, order, style));
    }
    return lines;
  }

  /** Greedy line breaks at spaces on the logical text; a word wider than the line is cut. */
  private breakLines(text: string, style: TextStyle, width: number): Array<[number, number]> {
    const lines: Array<[number, number]> = [];
    const space = this.widthOf(" ", style);
    const words = [...text.matchAll(/\S+/g)].map((m) => ({ start: m.index, end: m.index + m[0].length - 1 }));
    let lineStart = -1;
    let lineEnd = -1;
    let lineWidth = 0;
    for (const word of words) {
      // Each word is measured once; a line's width is the sum of its words and spaces.
      const w = this.widthOf(text.slice(word.start, Math.min(word.end, word.start + CUT_WINDOW) + 1), style);
      if (lineStart >= 0 && lineWidth + space + w <= width) {
        lineEnd = word.end;
        lineWidth += space + w;
        continue;
      }
      if (lineStart >= 0) lines.push([lineStart, lineEnd]);
      lineStart = word.start;
      lineEnd = word.end;
      lineWidth = w;
      // A word longer than the line (an address) is cut where it no longer fits: the longest
      // prefix that fits, found by halving, looking at no more characters than a line can hold.
      while (lineWidth > width && lineEnd > lineStart) {
        let lo = lineStart;
        let hi = Math.min(lineEnd - 1, lineStart + CUT_WINDOW);
        while (lo < hi) {
          const mid = (lo + hi + 1) >> 1;
          if (this.widthOf(text.slice(lineStart, mid + 1), style) <= width) lo = mid;
          else hi = mid - 1;
        }
        // Never between the two halves of a character outside the basic plane.
        if (lo > lineStart && /[\uD800-\uDBFF]/.test(text[lo])) lo--;
        lines.push([lineStart, lo]);
        lineStart = lo + 1;
        lineWidth = this.widthOf(text.slice(lineStart, Math.min(lineEnd, lineStart + CUT_WINDOW) + 1), style);
      }
    }
    if (lineStart >= 0) lines.push([lineStart, lineEnd]);
    return lines;
  }

  private runsOf(text: string, levels: Uint8Array, order: number[], style: TextStyle): Run[] {
    const runs: Run[] = [];
    let i = 0;
    while (i < order.length) {
      const level = levels[order[i]];
      const rtl = level % 2 === 1;
      let j = i + 1;
      while (j < order.length && levels[order[j]] === level && order[j] === order[j - 1] + (rtl ? -1 : 1)) j++;
      const from = rtl ? order[j - 1] : order[i];
      const to = rtl ? order[i] : order[j - 1];
      let piece = text.slice(from, to + 1).replace(BIDI_CONTROLS, "");
      // fontkit lays Arabic right to left itself; neutral characters in a right-to-left run are turned here.
      if (rtl && !ARABIC.test(piece)) piece = [...piece].reverse().join("");
      // Spaces at a run's edges are drawn on their own: inside an Arabic run, text extraction loses
      // the one where the direction changes.
      const lead = /^ */.exec(piece)?.[0].length ?? 0;
      const trail = /(?<! ) *$/.exec(piece.slice(lead))?.[0].length ?? 0;
      const core = piece.slice(lead, piece.length - trail);
      // In a right-to-left run the logical start is on the right.
      const [left, right] = rtl ? [trail, lead] : [lead, trail];
      if (left) runs.push(...this.scriptRuns(" ".repeat(left), style, false, rtl ? to - left + 1 : from));
      if (core) runs.push(...this.scriptRuns(core, style, rtl, from + lead));
      if (right) runs.push(...this.scriptRuns(" ".repeat(right), style, false, rtl ? from : to - right + 1));
      i = j;
    }
    return runs;
  }

  /** A piece split where the font must change (Arabic letters and the rest). */
  private scriptRuns(piece: string, style: TextStyle, rtl: boolean, at: number): Run[] {
    const parts = ARABIC.test(piece) && !rtl ? (piece.match(/[\u0600-\u06FF\uFB50-\uFEFF]+|[^\u0600-\u06FF\uFB50-\uFEFF]+/g) ?? [piece]) : [piece];
    let offset = 0;
    return parts.map((part) => {
      const font = fontFor(part, style);
      this.doc.font(font).fontSize(style.size ?? 10);
      const run = { text: part, font, width: this.doc.widthOfString(part, { features: [] }), at: at + offset };
      offset += part.length;
      return run;
    });
  }

  private widthOf(text: string, style: TextStyle): number {
    let width = 0;
    for (const part of text.replace(BIDI_CONTROLS, "").match(/[\u0600-\u06FF\uFB50-\uFEFF]+|[^\u0600-\u06FF\uFB50-\uFEFF]+/g) ?? []) {
      this.doc.font(fontFor(part, style)).fontSize(style.size ?? 10);
      width += this.doc.widthOfString(part, { features: [] });
    }
    return width;
  }
}

function fontFor(text: string, style: TextStyle): string {
  if (ARABIC.test(text)) return style.bold ? FONTS.arabicBold : FONTS.arabic;
  return style.bold ? FONTS.bold : FONTS.regular;
}

function lineHeight(style: TextStyle): number {
  return (style.size ?? 10) * 1.32;
}
