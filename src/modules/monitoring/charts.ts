import { html } from "../../platform/ui/html.ts";

/* The Lagebild's charts, drawn on the server as SVG; the page puts the table of their figures beside them. */

const BLUE = "#26489e";

/** The second series' colour: orange beside blue, told apart also by those who do not see red and green. */
const ORANGE = "#b45309";
const COLOURS = [BLUE, ORANGE];

/** The height of a withheld figure's hatched mark, in the chart's units (its plot is 164 high). */
const WITHHELD_MARK = 12;

/** A column's figure: null where withheld or missing, and the text written above it ("12", "×", "–"). */
export interface Column {
  value: number | null;
  text: string;
  /** Withheld (not merely missing): drawn as a low hatched mark. */
  withheld?: boolean;
}

/**
 * Whether more of a chart's figures are withheld than shown above 0: its few columns would rise
 * out of a row of low marks and read as peaks (a leader's November of 6 beside ten months withheld
 * that hold 22), so the table beside it says it alone.
 */
export const mostlyWithheld = (columns: readonly Pick<Column, "value" | "withheld">[]) =>
  columns.filter((c) => c.withheld).length > columns.filter((c) => (c.value ?? 0) > 0).length;

type Mark = Pick<Column, "value" | "withheld">;

/** Whether `ColumnChart` draws these columns: some figure above 0 shown, and not mostly withheld. */
export const drawsChart = (columns: readonly Mark[]) => columns.some((c) => (c.value ?? 0) > 0) && !mostlyWithheld(columns);

/** Whether a chart of these columns is drawn with a withheld figure's hatched mark, which the legend then explains. */
export const marksWithheld = (columns: readonly Mark[]) => drawsChart(columns) && columns.some((c) => c.withheld);

/**
 * Columns for one or two series (side by side, with a legend), with the chart's title for
 * assistive technology (the table beside it holds the figures): a withheld figure is marked "×"
 * over a low hatched mark of one height for all (so that it is read neither as nothing nor as a
 * high value: a column of the chart's full height was), a missing one "–". Each column's figure is written at the largest size that fits its slot — also
 * on a phone, where the chart is drawn smaller and its text larger (komma.css) — and a series'
 * figures are left to the table where one of them would run into the next even at the smaller
 * size (a national month of "12.345"). A scale's values are written at the size of the labels. None
 * where no figure above 0 is shown (an empty frame of "×" and "0" would only push the table
 * aside), nor where more are withheld than shown (`mostlyWithheld`).
 */
export function ColumnChart({
  id,
  title,
  labels,
  series,
  scale: range,
}: {
  id: string;
  title: string;
  labels: readonly string[];
  series: readonly { name: string; columns: readonly Column[] }[];
  /**
   * The ends of a scale the figures lie on (means of answers from 1 to 5): the columns rise from
   * its lowest value, not from 0, and a line marks each whole step with its value. Without it,
   * counts from 0 to the largest.
   */
  scale?: readonly [number, number];
}) {
  if (!drawsChart(series.flatMap((s) => s.columns))) return null;
  const width = 480;
  const height = 220;
  const top = 26;
  const bottom = 30;
  const [base, max] = range ?? [0, Math.max(1, ...series.flatMap((s) => s.columns.map((c) => c.value ?? 0)))];
  // A scale's values are written at the left, ending just before the columns.
  const axis = range ? 30 : 0;
  const slot = (width - axis) / labels.length;
  const group = Math.min(36 * series.length, slot * 0.62 + (series.length - 1) * slot * 0.12);
  const bar = group / series.length;
  const scale = (v: number) => ((height - top - bottom) * (v - base)) / (max - base);
  const steps = range ? Array.from({ length: Math.floor(max - base) }, (_, i) => base + i + 1) : [];
  // A digit is about 0.6 em wide, a separator half that; the sizes are those of a phone's screen (komma.css).
  const room = slot / series.length;
  const valueClass = (text: string) => {
    const ems = [...text].reduce((w, ch) => w + (ch === "." || ch === "," ? 0.3 : 0.6), 0);
    const fits = (px: number) => ems * px <= room * 0.95;
    return fits(20) ? "komma-chart__tick" : fits(14) ? "komma-chart__tick komma-chart__tick--small" : null;
  };
  // Where one figure of a series would run into the next even when smaller, the table beside it holds them all.
  const written = series.map((s) => s.columns.every((c) => valueClass(c.text) !== null));
  const anyWithheld = series.some((s) => s.columns.some((c) => c.withheld));
  const svg = html`<svg xmlns="http://www.w3.org/2000/svg" viewBox=${`0 0 ${width} ${height}`} width="100%" role="img" aria-labelledby=${id} class="komma-chart komma-chart--columns">
    <title id=${id}>${title}</title>
    ${anyWithheld && html`<defs><pattern id=${`${id}-withheld`} width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="6" height="6" fill="#f3f4f6" /><line x1="0" y1="0" x2="0" y2="6" stroke="#9ca3af" stroke-width="1.5" /></pattern></defs>`}
    <line x1=${axis} x2=${width} y1=${height - bottom} y2=${height - bottom} stroke="#6b7280" />
    ${range && html`<text x=${axis - 6} y=${height - bottom + 6} text-anchor="end" class="komma-chart__tick">${base}</text>`}
    ${steps.map(
      (v) => html`<line x1=${axis} x2=${width} y1=${height - bottom - scale(v)} y2=${height - bottom - scale(v)} stroke="#d1d5db" stroke-dasharray="4 4" />
        <text x=${axis - 6} y=${height - bottom - scale(v) + 6} text-anchor="end" class="komma-chart__tick">${v}</text>`,
    )}
    ${labels.map((label, i) => {
      const left = axis + i * slot + (slot - group) / 2;
      return html`<g>
        ${series.map((s, si) => {
          const c = s.columns[i];
          const x = left + si * bar;
          // A withheld figure is a low hatched mark, the same for each: something is there, and the chart does not say how much.
          const withheld = c.value === null && c.withheld === true;
          const h = c.value === null ? (withheld ? WITHHELD_MARK : 0) : scale(c.value);
          return html`${c.value !== null && html`<rect x=${x} y=${height - bottom - h} width=${bar} height=${h} fill=${COLOURS[si]} />`}
            ${withheld && html`<rect x=${x} y=${height - bottom - h} width=${bar} height=${h} fill=${`url(#${id}-withheld)`} stroke="#9ca3af" />`}
            ${written[si] && html`<text x=${x + bar / 2} y=${height - bottom - h - 6} text-anchor="middle" class=${valueClass(c.text)}>${c.text}</text>`}`;
        })}
        <text x=${left + group / 2} y=${height - 9} text-anchor="middle" class="komma-chart__tick">${label}</text>
      </g>`;
    })}
  </svg>`;
  if (series.length === 1) return svg;
  // The legend is for the eye; assistive technology reads the chart's title and the table.
  return html`<div>
    <ul class="komma-legend" aria-hidden="true">
      ${series.map(
        (s, si) =>
          html`<li><svg width="14" height="14" viewBox="0 0 14 14" focusable="false"><rect width="14" height="14" fill=${COLOURS[si]} /></svg> ${s.name}</li>`,
      )}
    </ul>
    ${svg}
  </div>`;
}

/** A small bar for a table row (decorative: the number is in the row). */
export function ShareBar({ value, total }: { value: number | null; total: number | null }) {
  const width = value === null || !total ? 0 : Math.round((100 * value) / total);
  return html`<svg width="100" height="12" viewBox="0 0 100 12" aria-hidden="true" focusable="false" class="komma-share-bar"><rect width="100" height="12" fill="#e5e7eb" /><rect width=${Math.min(100, width)} height="12" fill=${BLUE} /></svg>`;
}
