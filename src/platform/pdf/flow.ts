import { ThreadPool } from "../threads.ts";
import { type Direction, PdfWriter, type TextStyle } from "./pdf.ts";

/*
 * A document of flowing text — headings, paragraphs, lists — laid out off the main thread. Setting
 * long text (line breaks, bidirectional runs, glyph shaping) takes a second or more for a long
 * document; on the main thread it would hold up every other request meanwhile. The caller
 * describes the document in plain data (texts already in the reader's language); a worker lays it
 * out and hands back the PDF. At most two documents are laid out at a time; more wait their turn.
 * The threads stay for the next document (`ThreadPool`): a new one took more processor time to
 * start than a page of text takes to set.
 */

export type FlowBlock =
  | { type: "H1" | "H2" | "H3" | "P"; text: string; style: TextStyle; room?: number }
  | { type: "L"; items: { text: string; style: TextStyle }[] }
  | { type: "Table"; head: string[]; rows: string[][]; style: TextStyle }
  | { type: "Columns"; labels: string[]; series: { name: string; values: (number | null)[] }[]; alt: string; style: TextStyle };

export interface FlowDocument {
  title: string;
  lang: string;
  direction: Direction;
  blocks: FlowBlock[];
  /** Numbers the pages: "Seite {page} von {pages}". */
  pageLabel?: string;
  /** Where a list or a table goes on to a new page, its heading first: "{title} (Fortsetzung)". */
  continuedLabel?: string;
}

/** A paragraph of up to this many lines is kept on one page. */
const KEEP_WHOLE = 8;

/** Lays a document out with the PDF writer (in whatever thread calls it). */
export function layOut(spec: FlowDocument): Promise<Buffer> {
  const pdf = new PdfWriter({ title: spec.title, lang: spec.lang, direction: spec.direction, pageLabel: spec.pageLabel });
  // The heading a list or a table stands under: said again on a page it goes on to.
  let continued: string | undefined;
  // A paragraph of a few lines is not split across pages: it goes on to the next whole (a long one
  // begins where two of its lines fit).
  const kept = (block: FlowBlock | undefined) => {
    if (block?.type !== "P") return 0;
    const height = pdf.measure(block.text, block.style);
    return height <= KEEP_WHOLE * pdf.lineOf(block.style) ? height : 2 * pdf.lineOf(block.style);
  };
  for (const [i, block] of spec.blocks.entries()) {
    if (block.type === "L") {
      const list = pdf.group("L");
      for (const item of block.items) {
        pdf.keepRoom(pdf.lineOf(item.style), continued);
        pdf.paragraph(item.text, item.style, "LI", list);
      }
      continue;
    }
    if (block.type === "Table") {
      pdf.table(block.head, block.rows, block.style, continued);
      continue;
    }
    if (block.type === "Columns") {
      pdf.columns(block.labels, block.series, block.alt, block.style);
      continue;
    }
    if (block.type === "P") pdf.keepRoom(kept(block), continued);
    // A heading stays with the paragraph after it: it never ends a page alone.
    else pdf.ensureRoom(Math.max(block.room ?? 0, pdf.measure(block.text, block.style) + (block.style.after ?? 0) + kept(spec.blocks[i + 1])));
    pdf.paragraph(block.text, block.style, block.type);
    if (block.type !== "P" && spec.continuedLabel) continued = spec.continuedLabel.replace("{title}", block.text);
  }
  return pdf.finish();
}

/** The threads that lay documents out: two at a time, more wait their turn. */
const layout = new ThreadPool<FlowDocument, Uint8Array>(new URL("./flow-worker.ts", import.meta.url), { size: 2 });

/** The PDF of a document, laid out in a worker thread. */
export async function renderFlow(spec: FlowDocument): Promise<Buffer> {
  return Buffer.from(await layout.run(spec));
}
