import assert from "node:assert/strict";
import { test } from "node:test";
import { dateFormat, numberFormat } from "./formats.ts";

test("a kept format writes what Intl's own writes, in each language", () => {
  const at = new Date("2026-12-24T17:30:00Z");
  for (const locale of ["de", "en", "de-DE", "en-GB", "ar", "tr"]) {
    const options: Intl.DateTimeFormatOptions = { dateStyle: "long", timeStyle: "short", timeZone: "Europe/Berlin" };
    assert.equal(dateFormat(locale, options).format(at), new Intl.DateTimeFormat(locale, options).format(at));
    assert.equal(dateFormat(locale, { timeZone: "Europe/Berlin" }).format(at), at.toLocaleDateString(locale, { timeZone: "Europe/Berlin" }));
    assert.equal(numberFormat(locale, { minimumFractionDigits: 1 }).format(1234.5), (1234.5).toLocaleString(locale, { minimumFractionDigits: 1 }));
  }
  assert.equal(dateFormat("de", { dateStyle: "long", timeZone: "Europe/Berlin" }).format(at), "24. Dezember 2026");
});

test("a format is made once per language and options, and another language or option is another format", () => {
  const once = dateFormat("de", { dateStyle: "medium", timeZone: "Europe/Berlin" });
  assert.equal(dateFormat("de", { dateStyle: "medium", timeZone: "Europe/Berlin" }), once);
  assert.notEqual(dateFormat("en", { dateStyle: "medium", timeZone: "Europe/Berlin" }), once);
  assert.notEqual(dateFormat("de", { dateStyle: "medium", timeZone: "UTC" }), once);
  assert.equal(numberFormat("de"), numberFormat("de"));
});
