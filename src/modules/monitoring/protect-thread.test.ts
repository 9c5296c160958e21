import assert from "node:assert/strict";
import { test } from "node:test";
import { rollupsOf } from "../../../tests/helpers/disclosure.ts";
import { protectInWorker, protectOwnInWorker } from "./protect-thread.ts";
import type { ReleasedYear } from "./release-worker.ts";

/*
 * The threads that protect tables: the national release's years take both of theirs for as long
 * as a sparse year takes; a municipality's first look in a month — someone waiting for the page —
 * is protected in a thread of its own meanwhile.
 */

/** A national year of many small figures: every Land, kind and month with a few cases. */
function sparseYear(seed: number): ReleasedYear {
  let state = seed;
  const next = () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
  const entries = [];
  for (let l = 1; l <= 16; l++)
    for (const kind of ["model", "platform"])
      for (let m = 1; m <= 11; m++) {
        const count = 1 + Math.floor(next() * 4);
        entries.push({
          month: `2026-${String(m).padStart(2, "0")}-01`,
          land: String(l).padStart(2, "0"),
          kind,
          place: ["town_hall", "online", "meeting"][Math.floor(next() * 3)],
          count,
          insults: Math.floor(next() * (count + 1)),
          closed: Math.floor(next() * (count + 1)),
        });
      }
  return { year: 2026, rows: rollupsOf(entries), through: "2027-01-01", national: true, known: [], hidden: [], largest: [] };
}

test("a municipality's first look is protected while the national release's years keep both of their threads busy", async () => {
  const done: string[] = [];
  // Two years at once, as a release of January holds the year gone by and the new one: both threads at work.
  const national = [1, 2].map((seed) =>
    protectInWorker([sparseYear(seed)]).then((years) => {
      done.push("national");
      return years;
    }),
  );
  const own: ReleasedYear = {
    year: 2026,
    rows: rollupsOf([{ month: "2026-03-01", land: "", kind: "", place: "online", count: 2, insults: 1, closed: 0 }]),
    through: "2026-12-01",
    national: false,
    known: [],
    hidden: [],
    largest: [],
  };
  const first = protectOwnInWorker(own).then((table) => {
    done.push("own");
    return table;
  });
  const [table, ...years] = await Promise.all([first, ...national]);
  assert.deepEqual(done, ["own", "national", "national"], "the page someone waits for does not queue behind the national release");
  assert.equal(years.flat().length, 2);
  assert.ok(table.withheld.length > 0, "the month of 2 cases is withheld");
});
