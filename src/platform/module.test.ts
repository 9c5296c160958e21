import assert from "node:assert/strict";
import { test } from "node:test";
import { demoOrder } from "./module.ts";

test("a module's demo data is made after the modules it builds on, otherwise in the listed order", () => {
  const modules = [{ name: "site" }, { name: "reports" }, { name: "cases", demoAfter: ["reports", "alliance"] }, { name: "alliance" }, { name: "admin" }];
  assert.deepEqual(
    demoOrder(modules).map((m) => m.name),
    ["site", "reports", "alliance", "cases", "admin"],
  );
  assert.deepEqual(
    demoOrder([{ name: "a", demoAfter: ["missing"] }]).map((m) => m.name),
    ["a"],
    "a module not installed is not waited for",
  );
  assert.throws(
    () =>
      demoOrder([
        { name: "a", demoAfter: ["b"] },
        { name: "b", demoAfter: ["a"] },
      ]),
    /wait for each other/,
  );
});
