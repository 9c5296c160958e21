import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { Agent, createTestEnv, createUserFixture, type TestEnv } from "../helpers/app.ts";

/*
 * A municipality's public page is /{its short name}. Every other first path segment the
 * application serves must be reserved — by the platform or by the module whose routes use it
 * (the manifest's reservedPaths) — or a municipality could take it and shadow a page or be
 * shadowed by one. A module that adds a top-level path without reserving it fails here.
 */

describe("reserved paths (pglite)", () => {
  let env: TestEnv;
  before(async () => {
    env = await createTestEnv("pglite");
  });
  after(() => env.close());

  test("every first path segment the application serves is reserved", () => {
    const tree = env.app.printRoutes({ commonPrefix: false });
    // Entries directly under "/", e.g. "    ├── verwaltung/kommunen (GET, HEAD)".
    const top = [...tree.matchAll(/^ {4}[├└]── (\S+)/gm)].map((m) => m[1].split("/")[0]).filter((s) => s !== "*" && !s.startsWith(":"));
    assert.ok(top.includes("faelle") && top.includes("anmelden"), "the routes are found");
    const unreserved = [...new Set(top)].filter((segment) => !env.platform.reservedPaths.has(segment));
    assert.deepEqual(unreserved, []);
  });

  test("a municipality cannot take a reserved path as its short name", async () => {
    const national = await createUserFixture(env, [{ tenantId: env.platform.nationalTenant.id, role: "national_admin" }], { totp: true });
    const agent = new Agent(env.app);
    await agent.signIn(national, env.clock);
    for (const slug of ["faelle", "verwaltung", "start", "anmelden"]) {
      await agent.get("/verwaltung/kommunen/neu");
      const res = await agent.post("/verwaltung/kommunen/neu", { name: "Kollisionsstadt", slug, ags: "06999111", land: "06", kind: "platform" });
      assert.equal(res.statusCode, 400, slug);
      assert.match(res.body, /Dieser Kurzname ist schon vergeben/, slug);
      assert.match(res.body, /value="Kollisionsstadt"/, "the input is kept");
    }
  });
});
