import assert from "node:assert/strict";
import { test } from "node:test";
import { capturedInstant, urlEvidence } from "./schemas.ts";

/* When a link was saved: as a date picker sends it, or as a person types it where the browser has none. */

const capturedAt = (value: string) => urlEvidence.safeParse({ url: "https://forum.example/beitrag/1", capturedAt: value, capturedBy: "" });

test("a time typed as people write it is taken, as is the picker's; anything else is refused", () => {
  for (const typed of ["24.11.2026, 18:30", "24.11.2026 18:30", "4.1.2026, 8:05", "24.11.2026، 18:30"]) {
    const parsed = capturedAt(typed);
    assert.ok(parsed.success, typed);
  }
  assert.equal(capturedAt("24.11.2026, 18:30").data?.capturedAt, "2026-11-24T18:30");
  assert.equal(capturedAt("4.1.2026, 8:05").data?.capturedAt, "2026-01-04T08:05");
  assert.equal(capturedAt("2026-11-24T18:30").data?.capturedAt, "2026-11-24T18:30");
  for (const wrong of ["24.11.26, 18:30", "32.11.2026, 18:30", "gestern abend", "24.11.2026"]) assert.equal(capturedAt(wrong).success, false, wrong);
});

test("a time without an offset is Berlin's wall clock, in winter and in summer; one with an offset is taken as it is", () => {
  assert.equal(capturedInstant("2026-12-02T18:30").toISOString(), "2026-12-02T17:30:00.000Z");
  assert.equal(capturedInstant("2026-07-02T18:30:15").toISOString(), "2026-07-02T16:30:15.000Z");
  assert.equal(capturedInstant("2026-12-02T18:30:00Z").toISOString(), "2026-12-02T18:30:00.000Z");
  assert.equal(capturedInstant("2026-12-02T18:30:00+01:00").toISOString(), "2026-12-02T17:30:00.000Z");
});
