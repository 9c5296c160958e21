import assert from "node:assert/strict";
import { test } from "node:test";
import { render } from "preact-render-to-string";
import { html } from "../../platform/ui/html.ts";
import { ColumnChart } from "./charts.ts";

/* The column chart's figures never run into each other: smaller where they are long, left to the table beside it where even that would not fit. */

const months = (text: (i: number) => string) =>
  Array.from({ length: 12 }, (_, i) => ({
    label: ["Jan", "Feb", "Mär", "Apr", "Mai", "Jun", "Jul", "Aug", "Sep", "Okt", "Nov", "Dez"][i],
    value: 10 + i,
    text: text(i),
  }));
const chart = (points: { label: string; value: number | null; text: string }[]) =>
  render(html`<${ColumnChart} id="c" title="Vorfälle nach Monat" labels=${points.map((p) => p.label)} series=${[{ name: "Vorfälle", columns: points }]} />`);
const figures = (svg: string) => [...svg.matchAll(/<text[^>]*class="([^"]*)"[^>]*>([^<]*)<\/text>/g)].map((m) => ({ cls: m[1], text: m[2] }));

test("a year's months of two-digit figures are written at full size above their columns", () => {
  const texts = figures(chart(months((i) => String(10 + i))));
  assert.deepEqual(
    texts.filter((t) => /^\d+$/.test(t.text)).map((t) => t.cls),
    Array(12).fill("komma-chart__tick"),
  );
});

test("four-digit figures of twelve months are written smaller, so that they do not run into each other", () => {
  const texts = figures(chart(months((i) => `1.2${i.toString().padStart(2, "0")}`)));
  assert.equal(texts.filter((t) => t.cls === "komma-chart__tick komma-chart__tick--small").length, 12);
});

test("five-digit figures of twelve months are left to the table; the months stay", () => {
  const texts = figures(chart(months((i) => `12.3${i.toString().padStart(2, "0")}`)));
  assert.deepEqual(
    texts.filter((t) => t.text.startsWith("12.")),
    [],
  );
  assert.deepEqual(
    texts.map((t) => t.text),
    ["Jan", "Feb", "Mär", "Apr", "Mai", "Jun", "Jul", "Aug", "Sep", "Okt", "Nov", "Dez"],
  );
});

test("no chart where every figure is withheld or 0: the table beside it says so, without an empty frame", () => {
  const withheld = months(() => "×").map((p) => ({ ...p, value: null }));
  assert.equal(chart(withheld), "");
  assert.match(chart([...withheld.slice(0, 11), { label: "Dez", value: 7, text: "7" }]), /<svg/);
  const zeros = months(() => "0").map((p) => ({ ...p, value: 0 }));
  assert.equal(chart(zeros), "");
  assert.equal(chart([...zeros.slice(0, 6), ...withheld.slice(6)]), "");
  assert.match(chart([...zeros.slice(0, 11), { label: "Dez", value: 1, text: "1" }]), /<svg/);
});

test("two series stand side by side under one month, named in a legend; a month withheld in one series still shows the other", () => {
  const incidents = months((i) => String(10 + i));
  const closed = months((i) => String(i)).map((p, i) => (i === 3 ? { ...p, value: null, text: "×" } : { ...p, value: i }));
  const svg = render(
    html`<${ColumnChart} id="c" title="Vorfälle und Abschlüsse" labels=${incidents.map((p) => p.label)} series=${[
      { name: "Vorfälle", columns: incidents },
      { name: "Abgeschlossene Fälle", columns: closed },
    ]} />`,
  );
  assert.match(svg, /<ul class="komma-legend" aria-hidden="true">.*Vorfälle.*Abgeschlossene Fälle.*<\/ul>/s);
  const fills = [...svg.matchAll(/<rect [^>]*fill="([^"]+)"/g)].map((m) => m[1]);
  // The legend's two swatches, then 12 incident columns and 11 closed ones (April's is withheld).
  assert.equal(fills.filter((c) => c === fills[0]).length, 1 + 12);
  assert.equal(fills.filter((c) => c === fills[1]).length, 1 + 11);
  assert.notEqual(fills[0], fills[1]);
  assert.deepEqual(figures(svg).filter((t) => t.text === "×").length, 1, "the withheld month says so above its empty place");
});

test("a chart of two series where every figure of both is withheld is not drawn, legend and all", () => {
  const withheld = months(() => "×").map((p) => ({ ...p, value: null }));
  const svg = render(
    html`<${ColumnChart} id="c" title="t" labels=${withheld.map((p) => p.label)} series=${[
      { name: "a", columns: withheld },
      { name: "b", columns: withheld },
    ]} />`,
  );
  assert.equal(svg, "");
});

test("means on a scale from 1 to 5 rise from 1, with a line at each step: a mean of 1 is no column, a 5 fills the chart", () => {
  const svg = render(
    html`<${ColumnChart}
      id="t"
      title="Rückmeldung nach Quartalen"
      labels=${["Q1", "Q2", "Q3"]}
      scale=${[1, 5]}
      series=${[
        {
          name: "Mittelwert",
          columns: [
            { value: 1, text: "1,0" },
            { value: 3, text: "3,0" },
            { value: 5, text: "5,0" },
          ],
        },
      ]}
    />`,
  );
  // The columns' heights (the hatching's pattern has a rect of its own, with no place).
  const heights = [...svg.matchAll(/<rect x=[^>]*height="([\d.]+)"/g)].map((m) => Number(m[1]));
  assert.equal(heights[0], 0);
  assert.equal(heights[1] * 2, heights[2], "3 is half way from 1 to 5");
  assert.equal(heights[2], 220 - 26 - 30, "5 reaches the top");
  assert.deepEqual(
    figures(svg)
      .filter((t) => /^\d$/.test(t.text))
      .map((t) => t.text),
    ["1", "2", "3", "4", "5"],
    "the scale's steps are named",
  );
  // At the size of the labels (legible on a phone), ending left of the first column: none is cut off at the chart's edge.
  const steps = [...svg.matchAll(/<text x="([\d.]+)"[^>]*text-anchor="end" class="([^"]*)">(\d)<\/text>/g)];
  assert.equal(steps.length, 5);
  const firstColumn = Number(/<rect x="([\d.]+)"/.exec(svg)?.[1]);
  for (const [, x, cls] of steps) {
    assert.equal(cls, "komma-chart__tick");
    assert.ok(Number(x) < firstColumn && Number(x) >= 20, `a step's value ends at ${x}, before the columns at ${firstColumn}, with room for its digit`);
  }
});

test("a withheld month is a low hatched mark, one height whatever the figures, not an empty place read as nothing nor a high column; a missing figure stays empty", () => {
  const marks = (scale: number) => {
    const points = months((i) => String(scale * (10 + i))).map((p, i) =>
      i === 3 || i === 7 ? { ...p, value: null, text: "×", withheld: true } : i === 4 ? { ...p, value: null, text: "–" } : p,
    );
    const svg = chart(points);
    const hatched = [...svg.matchAll(/<rect [^>]*y="([\d.]+)"[^>]*height="([\d.]+)"[^>]*fill="url\(#c-withheld\)"/g)].map((m) => ({
      y: Number(m[1]),
      height: Number(m[2]),
    }));
    return { svg, hatched };
  };
  const { svg, hatched } = marks(1);
  assert.equal(hatched.length, 2, "April's and August's, and not May's");
  const tallest = Math.max(...[...svg.matchAll(/<rect [^>]*height="([\d.]+)"[^>]*fill="#26489e"/g)].map((m) => Number(m[1])));
  for (const h of hatched) {
    assert.ok(h.height > 0 && h.height < tallest / 4, `a low mark (${h.height}), not a column as high as the figures (${tallest})`);
    assert.equal(h.y + h.height, 220 - 30, "standing on the axis");
  }
  assert.deepEqual(
    marks(1000).hatched.map((h) => h.height),
    hatched.map((h) => h.height),
    "the same height whatever the figures around it: it tells nothing",
  );
  assert.match(svg, /<pattern id="c-withheld"/);
  // Above each hatched mark, the mark "×".
  assert.equal(figures(svg).filter((t) => t.text === "×").length, 2);
});

test("each figure takes the largest size that fits it: a long word beside a short figure leaves the figure at full size", () => {
  const svg = render(
    html`<${ColumnChart} id="q" title="Rückmeldung nach Quartalen" labels=${["Q1", "Q2", "Q3", "Q4"]} scale=${[1, 5]} series=${[
      {
        name: "Mittelwert",
        columns: [
          { value: null, text: "–" },
          { value: 3.7, text: "3,7" },
          { value: 4.1, text: "4,1" },
          { value: null, text: "läuft noch" },
        ],
      },
    ]} />`,
  );
  const sizes = Object.fromEntries(figures(svg).map((t) => [t.text, t.cls]));
  assert.equal(sizes["3,7"], "komma-chart__tick");
  assert.equal(sizes["4,1"], "komma-chart__tick");
  assert.equal(sizes["läuft noch"], "komma-chart__tick komma-chart__tick--small");
});

test("a chart with more figures withheld than shown above 0 is left to its table: one shown month would read as a peak", () => {
  // A small municipality's year: November's 6 shown, eight months withheld that hold more than that, three 0.
  const year = months((i) => String(i)).map((p, i) =>
    i === 10 ? { ...p, value: 6, text: "6" } : [0, 4, 6].includes(i) ? { ...p, value: 0, text: "0" } : { ...p, value: null, text: "×", withheld: true },
  );
  assert.equal(chart(year), "");
  // Two months withheld among ten shown: drawn, with their marks.
  const most = months((i) => String(10 + i)).map((p, i) => (i < 2 ? { ...p, value: null, text: "×", withheld: true } : p));
  assert.match(chart(most), /<svg/);
});
