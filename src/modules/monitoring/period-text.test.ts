import assert from "node:assert/strict";
import { test } from "node:test";
import { shortMonth } from "./period-text.ts";

test("a chart's months are named alike, three letters each: September is “Sep” in English, not “Sept”", () => {
  const months = Array.from({ length: 12 }, (_, i) => `2026-${String(i + 1).padStart(2, "0")}`);
  assert.deepEqual(
    months.map((m) => shortMonth("en", m)),
    ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"],
  );
  assert.deepEqual(
    months.map((m) => shortMonth("de", m)),
    ["Jan", "Feb", "Mär", "Apr", "Mai", "Jun", "Jul", "Aug", "Sep", "Okt", "Nov", "Dez"],
  );
});
