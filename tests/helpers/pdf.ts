import { execFileSync } from "node:child_process";

/** The text of a PDF as poppler's pdftotext reads it (what a search or a screen reader finds), direction marks removed. */
export function pdfText(pdf: Buffer | Uint8Array): string {
  return execFileSync("pdftotext", ["-enc", "UTF-8", "-", "-"], { input: pdf })
    .toString("utf8")
    .replace(/[\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, "");
}

/** The number of pages (pdfinfo). */
export function pdfPages(pdf: Buffer | Uint8Array): number {
  const info = execFileSync("pdfinfo", ["-"], { input: pdf }).toString("utf8");
  return Number(/^Pages:\s+(\d+)/m.exec(info)?.[1]);
}

/** What pdfinfo tells of a PDF: its document information, or with "-meta" its XMP metadata. */
export function pdfInfo(pdf: Buffer | Uint8Array, ...flags: string[]): string {
  return execFileSync("pdfinfo", [...flags, "-"], { input: pdf }).toString("utf8");
}
