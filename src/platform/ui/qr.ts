import QRCode from "qrcode";

/*
 * QR codes: on the emergency card (to the report form) and on the projected live poll. Black on
 * white with the full quiet zone of four modules, because printed cards are scanned by old phones
 * in poor light; error correction M survives a crease or a coffee stain without making the code too
 * dense to print small.
 */

const OPTIONS = { errorCorrectionLevel: "M", margin: 4, color: { dark: "#000000ff", light: "#ffffffff" } } as const;

const escapeXml = (text: string) => text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] ?? c);

/**
 * An inline SVG for an HTML page. It carries only a viewBox, so CSS decides its size and it stays
 * sharp in print. role="img" with aria-label names it for screen readers (Safari's VoiceOver has
 * ignored a bare <title> on inline SVG); the <title> adds the tooltip and a name where ARIA is not read.
 */
export async function qrSvg(url: string, label: string): Promise<string> {
  const svg = await QRCode.toString(url, { ...OPTIONS, type: "svg" });
  const name = escapeXml(label);
  const open = /^<svg\b([^>]*)>/.exec(svg);
  if (!open || /\s(width|height)=/.test(open[1]) || !/\sviewBox=/.test(open[1])) throw new Error("qrcode's SVG output has changed");
  return `<svg${open[1]} role="img" aria-label="${name}"><title>${name}</title>${svg.slice(open[0].length)}`;
}

/** A PNG for the printable PDF: ten pixels per module, so each module is whole pixels and prints crisp. */
export async function qrPng(url: string): Promise<Buffer> {
  return QRCode.toBuffer(url, { ...OPTIONS, type: "png", scale: 10 });
}
