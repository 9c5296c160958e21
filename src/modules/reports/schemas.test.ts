import assert from "node:assert/strict";
import { test } from "node:test";
import { capturedInstant, stepInput, stepSchemas, urlEvidence, withScheme } from "./schemas.ts";

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

test("an address typed without https:// in a form is taken as https; a wrong scheme or no host stays as typed and is refused", () => {
  for (const [typed, taken] of [
    ["social.example/beitrag/42", "https://social.example/beitrag/42"],
    [" www.example.org ", "https://www.example.org"],
    ["forum.example:8443/t?id=7#antwort", "https://forum.example:8443/t?id=7#antwort"],
    ["//cdn.example/bild.png", "https://cdn.example/bild.png"],
    ["https://social.example/x", "https://social.example/x"],
    ["http://social.example/x", "http://social.example/x"],
  ]) {
    assert.equal(withScheme(typed), taken, typed);
    assert.ok(urlEvidence.safeParse({ url: withScheme(typed), capturedBy: "" }).success, typed);
  }
  for (const typed of [
    "htps://social.example/x",
    "ftp://social.example/x",
    "javascript:alert(1)",
    "mein profil",
    "social",
    "a@b.example",
    "",
    "localhost:8080/x",
  ]) {
    assert.equal(withScheme(typed), typed.trim(), typed);
    if (typed !== "") assert.equal(urlEvidence.safeParse({ url: withScheme(typed), capturedBy: "" }).success, false, typed);
  }
  // The step form's address fields the same way; a typed value that is not an address stays a mistake.
  const incident = (onlineUrl: string) =>
    stepSchemas.incident.safeParse(stepInput("incident", { description: "Drohung im Netz gegen die Bürgermeisterin.", forms: "insult", onlineUrl }));
  const done = incident("social.example/post/1");
  assert.ok(done.success);
  assert.equal((done.data as { onlineUrl?: string }).onlineUrl, "https://social.example/post/1");
  assert.equal(incident("htps://social.example/post/1").success, false);
});
