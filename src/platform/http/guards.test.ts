import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { safeLocalPath } from "./guards.ts";

test("own paths are kept as return addresses", () => {
  assert.equal(safeLocalPath("/start"), "/start");
  assert.equal(safeLocalPath("/faelle?seite=2#liste"), "/faelle?seite=2#liste");
  assert.equal(safeLocalPath("/musterstadt/melden?sprache=ar"), "/musterstadt/melden?sprache=ar");
});

test("addresses that a browser would follow to another site fall back", () => {
  for (const evil of [
    "//evil.example/x",
    "/.//evil.example",
    "/..//evil.example/x",
    "/a/..//evil.example",
    "/%2e//evil.example",
    "/\\evil.example/x",
    "/\t/evil.example/x",
    "/\n/evil.example/x",
    "/\r/evil.example",
    "/\u000b/evil.example",
    "/\u0000/evil.example",
    "/\u202e/evil.example",
    "/ /evil.example",
    "https://evil.example/",
    "javascript:alert(1)",
    "evil.example",
    "",
  ]) {
    assert.equal(safeLocalPath(evil, "/fallback"), "/fallback", JSON.stringify(evil));
  }
  assert.equal(safeLocalPath(undefined), "/");
  assert.equal(safeLocalPath(["/start"]), "/");
});

test("whatever comes in, the result is a path on this site that is safe in a Location header", () => {
  fc.assert(
    fc.property(
      fc.oneof(
        fc.string(),
        fc.string({ unit: "grapheme" }),
        fc.string().map((s) => `/${s}`),
      ),
      (input) => {
        const out = safeLocalPath(input, "/");
        assert.ok(out.startsWith("/") && !out.startsWith("//"), out);
        assert.equal(new URL(out, "https://komma.example").origin, "https://komma.example");
        assert.ok(!/[^\x21-\x7e]/.test(out), `only printable ASCII: ${JSON.stringify(out)}`);
      },
    ),
    { numRuns: 2000 },
  );
});
