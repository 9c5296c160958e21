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
  render(html`<${ColumnChart} id="c" title="Vorfälle nach Monat" points=${points} />`);
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

test("no chart where every figure is withheld: the table beside it says so, without an empty frame", () => {
  const withheld = months(() => "×").map((p) => ({ ...p, value: null }));
  assert.equal(chart(withheld), "");
  assert.match(chart([...withheld.slice(0, 11), { label: "Dez", value: 7, text: "7" }]), /<svg/);
});
