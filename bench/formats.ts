// Benchmark: a date or number format made on every call (`new Intl.DateTimeFormat`,
// `toLocaleDateString`) against one kept (src/platform/i18n/formats.ts). Prints figures only.
//
//   npm run bench:formats -- [--calls 20000]
import { parseArgs } from "node:util";
import { dateFormat, numberFormat } from "../src/platform/i18n/formats.ts";

const { values: args } = parseArgs({ options: { calls: { type: "string", default: "20000" } } });
const CALLS = Number(args.calls);
const at = new Date("2026-12-24T17:30:00Z");
const options: Intl.DateTimeFormatOptions = { dateStyle: "medium", timeStyle: "short", timeZone: "Europe/Berlin" };

function perCall(label: string, work: (i: number) => string): number {
  for (let i = 0; i < 1_000; i++) work(i); // warm-up
  const t0 = performance.now();
  let length = 0;
  for (let i = 0; i < CALLS; i++) length += work(i).length;
  const us = ((performance.now() - t0) * 1000) / CALLS;
  console.log(`${label.padEnd(46)} ${us.toFixed(2).padStart(8)} µs per call (${length > 0 ? "ok" : "empty"})`);
  return us;
}

const made = perCall("date, new Intl.DateTimeFormat per call", () => new Intl.DateTimeFormat("de", options).format(at));
const kept = perCall("date, dateFormat (kept)", () => dateFormat("de", options).format(at));
perCall("date, toLocaleDateString", () => at.toLocaleDateString("de-DE", { timeZone: "Europe/Berlin" }));
perCall("date, dateFormat for the same (kept)", () => dateFormat("de-DE", { timeZone: "Europe/Berlin" }).format(at));
perCall("number, toLocaleString", (i) => (i / 7).toLocaleString("de-DE", { minimumFractionDigits: 1, maximumFractionDigits: 1 }));
perCall("number, numberFormat (kept)", (i) => numberFormat("de-DE", { minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(i / 7));
// The inbox formats two dates per case; its page shows 50.
console.log(`a page of 50 cases, two dates each: ${((made * 100) / 1000).toFixed(1)} ms made per call, ${((kept * 100) / 1000).toFixed(2)} ms kept`);
