import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { berlinInstant } from "../../platform/calendar.ts";
import { agreementInput, decisionInput, meetingInput } from "./schemas.ts";

/*
 * The workspace's and the agreements' forms: whatever arrives, the answer is a value or a list of
 * field errors — never an exception (which would be a 500 and lose what was typed). Times are
 * Berlin's wall clock, summer and winter.
 */

const anyText = fc.oneof(
  fc.string({ maxLength: 30 }),
  fc.constantFrom(
    "",
    " ",
    "2027-01-20",
    "2027-02-30",
    "16:00",
    "24:00",
    "9",
    "zoom meeting 123",
    "javascript:alert(1)",
    "https://video.example/x",
    "\u0000",
    "\u202e",
  ),
);

test("any input to the meeting, decision and agreement forms gives a value or field errors", () => {
  fc.assert(
    fc.property(fc.record({ title: anyText, date: anyText, from: anyText, to: anyText, place: anyText, link: anyText, agenda: anyText }), (form) => {
      const r = meetingInput.safeParse(form);
      assert.ok(r.success || r.error.issues.every((i) => typeof i.message === "string" && i.path.length > 0));
    }),
    { numRuns: 500 },
  );
  fc.assert(
    fc.property(fc.record({ text: anyText, ownerId: anyText, due: anyText }), (form) => {
      const r = decisionInput.safeParse(form);
      assert.ok(r.success || r.error.issues.length > 0);
    }),
  );
  fc.assert(
    fc.property(fc.record({ title: anyText, validFrom: anyText, validUntil: anyText }), (form) => {
      const r = agreementInput.safeParse(form);
      assert.ok(r.success || r.error.issues.length > 0);
    }),
  );
});

test("a meeting's times are Berlin's wall clock, in winter and in summer", () => {
  assert.equal(berlinInstant("2027-01-20", "16:00").toISOString(), "2027-01-20T15:00:00.000Z");
  assert.equal(berlinInstant("2027-07-01", "16:00").toISOString(), "2027-07-01T14:00:00.000Z");
  assert.equal(berlinInstant("2027-03-28", "12:00").toISOString(), "2027-03-28T10:00:00.000Z", "the day summer time begins");
  const r = meetingInput.safeParse({ title: "Treffen", date: "2027-01-20", from: "16:00", to: "18:00", place: "", link: "video.example/raum", agenda: "" });
  assert.ok(r.success);
  assert.equal(r.data.link, "https://video.example/raum");
});
