import { html } from "../../platform/ui/html.ts";

/* The Lagebild's charts, drawn on the server as SVG; the page puts the table of their figures beside them. */

const BLUE = "#26489e";

/**
 * Columns for a series, with its title for assistive technology (the table beside it holds the
 * figures): a withheld figure is marked "×", a missing one "–". A column's figure is written at
 * the largest size that fits its slot — also on a phone, where the chart is drawn smaller and its
 * text larger (komma.css) — and left to the table where even the smaller size would run into the
 * next (a national month of "12.345"). None where no figure is shown: an empty frame of "×"
 * would only push the table aside.
 */
export function ColumnChart({ id, title, points }: { id: string; title: string; points: { label: string; value: number | null; text: string }[] }) {
  if (points.every((p) => p.value === null)) return null;
  const width = 480;
  const height = 220;
  const top = 26;
  const bottom = 30;
  const max = Math.max(1, ...points.map((p) => p.value ?? 0));
  const slot = width / points.length;
  const bar = Math.min(36, slot * 0.62);
  const scale = (v: number) => ((height - top - bottom) * v) / max;
  // A digit is about 0.6 em wide, a separator half that; the sizes are those of a phone's screen (komma.css).
  const ems = Math.max(...points.map((p) => [...p.text].reduce((w, c) => w + (c === "." || c === "," ? 0.3 : 0.6), 0)));
  const fits = (px: number) => ems * px <= slot * 0.95;
  const valueClass = fits(20) ? "komma-chart__tick" : fits(14) ? "komma-chart__tick komma-chart__tick--small" : null;
  return html`<svg xmlns="http://www.w3.org/2000/svg" viewBox=${`0 0 ${width} ${height}`} width="100%" role="img" aria-labelledby=${id} class="komma-chart komma-chart--columns">
    <title id=${id}>${title}</title>
    <line x1="0" x2=${width} y1=${height - bottom} y2=${height - bottom} stroke="#6b7280" />
    ${points.map((p, i) => {
      const x = i * slot + (slot - bar) / 2;
      const h = p.value === null ? 0 : scale(p.value);
      return html`<g>
        ${p.value !== null && html`<rect x=${x} y=${height - bottom - h} width=${bar} height=${h} fill=${BLUE} />`}
        ${valueClass && html`<text x=${x + bar / 2} y=${height - bottom - h - 6} text-anchor="middle" class=${valueClass}>${p.text}</text>`}
        <text x=${x + bar / 2} y=${height - 9} text-anchor="middle" class="komma-chart__tick">${p.label}</text>
      </g>`;
    })}
  </svg>`;
}

/** A small bar for a table row (decorative: the number is in the row). */
export function ShareBar({ value, total }: { value: number | null; total: number | null }) {
  const width = value === null || !total ? 0 : Math.round((100 * value) / total);
  return html`<svg width="100" height="12" viewBox="0 0 100 12" aria-hidden="true" focusable="false" class="komma-share-bar"><rect width="100" height="12" fill="#e5e7eb" /><rect width=${Math.min(100, width)} height="12" fill=${BLUE} /></svg>`;
}
