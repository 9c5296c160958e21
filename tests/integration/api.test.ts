import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { inTransaction } from "../../src/platform/db/client.ts";
import { apiTokens } from "../../src/platform/db/schema.ts";
import { Agent, createApiToken, createTenantFixture, createTestEnv, createUserFixture, type TenantFixture, type TestEnv } from "../helpers/app.ts";
import { DB_KINDS } from "../helpers/db.ts";

for (const kind of DB_KINDS) {
  describe(`JSON API (${kind})`, () => {
    let env: TestEnv;
    let own: TenantFixture;
    let other: TenantFixture;
    let adminToken: string;
    let nationalToken: string;
    before(async () => {
      env = await createTestEnv(kind);
      own = await createTenantFixture(env);
      other = await createTenantFixture(env);
      const admin = await createUserFixture(env, [{ tenantId: own.id, role: "municipal_admin" }], { totp: true });
      adminToken = await createApiToken(env, admin);
      const national = await createUserFixture(env, [{ tenantId: env.platform.nationalTenant.id, role: "national_admin" }], { totp: true });
      nationalToken = await createApiToken(env, national);
    });
    after(() => env.close());

    const call = (method: "GET" | "POST", url: string, token?: string, payload?: unknown) =>
      env.app.inject({ method, url, headers: token ? { authorization: `Bearer ${token}` } : {}, ...(payload ? { payload: payload as object } : {}) });

    test("without credentials the API answers 401 as an RFC 9457 problem", async () => {
      const res = await call("GET", "/api/v1/me");
      assert.equal(res.statusCode, 401);
      assert.match(String(res.headers["content-type"]), /^application\/problem\+json/);
      const body = res.json();
      assert.equal(body.status, 401);
      assert.equal(body.code, "unauthenticated");
      assert.equal(body.type, "http://localhost:3000/api/docs#problem-unauthenticated");
      assert.equal(typeof body.title, "string");
    });

    test("an unknown token is refused; a token answers with its person", async () => {
      const refused = await call("GET", "/api/v1/me", "komma_nicht-gueltig");
      assert.equal(refused.statusCode, 401);
      // Title and detail in one language: German unless the caller asks for English.
      assert.deepEqual([refused.json().title, refused.json().detail], ["Anmeldung nötig", "Der API-Token ist unbekannt, abgelaufen oder widerrufen."]);
      const english = await env.app.inject({
        method: "GET",
        url: "/api/v1/me",
        headers: { authorization: "Bearer komma_nicht-gueltig", "accept-language": "en" },
      });
      assert.equal(english.json().detail, "The API token is unknown, expired or revoked.");
      const me = await call("GET", "/api/v1/me", adminToken);
      assert.equal(me.statusCode, 200);
      assert.deepEqual(
        me.json().data.memberships.map((m: { role: string }) => m.role),
        ["municipal_admin"],
      );
    });

    test("a municipal admin lists the people of their municipality, with the policies that apply", async () => {
      const res = await call("GET", `/api/v1/tenants/${own.slug}/people`, adminToken);
      assert.equal(res.statusCode, 200);
      const body = res.json();
      assert.ok(Array.isArray(body.data) && body.data.length >= 1);
      assert.deepEqual(body.policies, { invite: true, changeRoles: true });
    });

    test("another municipality's records answer 404, exactly like a missing one", async () => {
      const foreign = await call("GET", `/api/v1/tenants/${other.slug}/people`, adminToken);
      const missing = await call("GET", "/api/v1/tenants/gibt-es-nicht/people", adminToken);
      assert.equal(foreign.statusCode, 404);
      assert.equal(missing.statusCode, 404);
      assert.equal(foreign.json().code, missing.json().code);
      assert.equal(foreign.json().title, missing.json().title);
      const invite = await call("POST", `/api/v1/tenants/${other.slug}/invitations`, adminToken, {
        email: "x@test.example",
        displayName: "X Y",
        roles: ["staff"],
      });
      assert.equal(invite.statusCode, 404);
    });

    test("a municipal admin cannot list all municipalities", async () => {
      assert.equal((await call("GET", "/api/v1/tenants", adminToken)).statusCode, 404);
    });

    test("a national admin lists and creates municipalities; invalid input gets field errors", async () => {
      const list = await call("GET", "/api/v1/tenants", nationalToken);
      assert.equal(list.statusCode, 200);
      assert.equal(list.json().policies.create, true);
      const bad = await call("POST", "/api/v1/tenants", nationalToken, { name: "X", slug: "Nicht Gültig", ags: "123", land: "06", kind: "model" });
      assert.equal(bad.statusCode, 400);
      const problem = bad.json();
      assert.equal(problem.code, "validation_failed");
      assert.deepEqual(Object.keys(problem.errors).sort(), ["ags", "name", "slug"]);
      const mismatch = await call("POST", "/api/v1/tenants", nationalToken, {
        name: "Neustadt am Beispiel",
        slug: "neustadt-beispiel",
        ags: "09911001",
        land: "06",
        kind: "model",
      });
      assert.equal(mismatch.statusCode, 400);
      assert.ok(mismatch.json().errors.ags, "AGS must start with the Land's code");
      const created = await call("POST", "/api/v1/tenants", nationalToken, {
        name: "Neustadt am Beispiel",
        slug: "neustadt-beispiel",
        ags: "06911001",
        land: "06",
        kind: "model",
      });
      assert.equal(created.statusCode, 201);
      assert.equal(created.json().data.slug, "neustadt-beispiel");
      const again = await call("POST", "/api/v1/tenants", nationalToken, {
        name: "Neustadt am Beispiel",
        slug: "neustadt-beispiel",
        ags: "06911001",
        land: "06",
        kind: "model",
      });
      assert.equal(again.statusCode, 409);
      assert.deepEqual(Object.keys(again.json().errors).sort(), ["ags", "slug"]);
    });

    test("sign-in is checked before the input: an anonymous caller with a bad body gets 401, no field errors", async () => {
      const res = await call("POST", "/api/v1/tenants", undefined, { name: ["x"] });
      assert.equal(res.statusCode, 401);
      assert.equal(res.json().errors, undefined);
    });

    test("a body of the wrong shape is a 400 problem, not a 500", async () => {
      const res = await env.app.inject({
        method: "POST",
        url: "/api/v1/tenants",
        headers: { authorization: `Bearer ${nationalToken}`, "content-type": "application/json" },
        payload: '{"name": 5',
      });
      assert.equal(res.statusCode, 400);
      assert.match(String(res.headers["content-type"]), /problem\+json/);
      const shape = await call("POST", "/api/v1/tenants", nationalToken, { name: ["x"] });
      assert.equal(shape.statusCode, 400);
      assert.equal(shape.json().code, "validation_failed");
    });

    test("an unknown API path is a 404 problem", async () => {
      const res = await call("GET", "/api/v1/gibt-es-nicht", adminToken);
      assert.equal(res.statusCode, 404);
      assert.equal(res.json().code, "not_found");
    });

    test("no API answer may be stored by a cache: personal data, errors and unknown paths alike", async () => {
      for (const res of [
        await call("GET", "/api/v1/me", adminToken),
        await call("GET", "/api/v1/me"),
        await call("GET", "/api/v1/gibt-es-nicht", adminToken),
      ]) {
        assert.equal(res.headers["cache-control"], "no-store", `${res.statusCode} ${res.body.slice(0, 80)}`);
      }
    });

    test("the API works with a browser session, and then needs the CSRF header for changes", async () => {
      const user = await createUserFixture(env, [{ tenantId: env.platform.nationalTenant.id, role: "national_admin" }], { totp: true });
      const agent = new Agent(env.app);
      await agent.signIn(user, env.clock);
      const me = await agent.get("/api/v1/me");
      assert.equal(me.statusCode, 200);
      await agent.get("/start");
      const cookie = [...agent.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
      const payload = { name: "Ohne Token", slug: "ohne-token", ags: "06911002", land: "06", kind: "platform" };
      const without = await env.app.inject({ method: "POST", url: "/api/v1/tenants", headers: { cookie }, payload });
      assert.equal(without.statusCode, 403);
      assert.equal(without.json().code, "csrf_failed");
      const withHeader = await env.app.inject({ method: "POST", url: "/api/v1/tenants", headers: { cookie, "x-csrf-token": agent.csrfToken() }, payload });
      assert.equal(withHeader.statusCode, 201);
    });

    test("a revoked token stops working at once", async () => {
      const user = await createUserFixture(env, [{ tenantId: own.id, role: "staff" }]);
      const agent = new Agent(env.app);
      await agent.signIn(user, env.clock);
      await agent.get("/konto/api-tokens");
      const created = await agent.post("/konto/api-tokens", { name: "Kurzlebig" });
      const token = /data-testid="api-token">([^<]+)</.exec(created.body)?.[1] as string;
      // The list says when it was made, until when it holds, and that no program has used it yet.
      const row = (body: string) => /data-table="api-tokens"[\s\S]*?<tbody[^>]*>([\s\S]*?)<\/tbody>/.exec(body)?.[1] ?? "";
      const cells = (body: string) =>
        [...row(body).matchAll(/<t[hd] class="kern-table__cell"[^>]*>([\s\S]*?)<\/t[hd]>/g)].map((m) => m[1].replace(/<[^>]+>/g, "").trim());
      const day = (d: Date) => new Intl.DateTimeFormat("de-DE", { dateStyle: "medium", timeZone: "Europe/Berlin" }).format(d);
      const today = day(env.clock.now());
      const inAYear = day(new Date(env.clock.now().getTime() + 365 * 24 * 3_600_000));
      assert.deepEqual(cells(created.body).slice(0, 5), ["Kurzlebig", own.name, today, inAYear, "noch nie"]);
      assert.equal((await call("GET", "/api/v1/me", token)).statusCode, 200);
      assert.equal(cells((await agent.get("/konto/api-tokens")).body)[4], today, "the day a program last used it");
      const listed = (await agent.get("/konto/api-tokens")).body;
      assert.doesNotMatch(listed, new RegExp(token), "the token itself is never shown again");
      // Creating comes first; the list with its buttons that revoke follows, under its own title.
      assert.ok(listed.indexOf('action="/konto/api-tokens"') < listed.indexOf("/widerrufen"), "the form to create before the buttons that revoke");
      assert.match(listed, /<caption class="kern-title">Ihre API-Zugänge<\/caption>/);
      const id = /action="\/konto\/api-tokens\/([0-9a-f-]{36})\/widerrufen"/.exec(created.body)?.[1] as string;
      await agent.post(`/konto/api-tokens/${id}/widerrufen`, {});
      assert.equal((await call("GET", "/api/v1/me", token)).statusCode, 401);
    });

    test("an account holds at most 20 valid tokens: the 21st is refused with the name kept, until one is revoked", async () => {
      const user = await createUserFixture(env, [{ tenantId: own.id, role: "staff" }]);
      const agent = new Agent(env.app);
      await agent.signIn(user, env.clock);
      await agent.get("/konto/api-tokens");
      // Nineteen made earlier (a revoked and an expired one do not count).
      await inTransaction(env.platform.db, {}, async (tx) => {
        const now = env.clock.now();
        const made = (i: number, extra: Record<string, unknown> = {}) => ({
          tokenHash: `hash-${user.id}-${i}`,
          userId: user.id,
          scopeTenantId: own.id,
          name: `Skript ${i}`,
          createdAt: now,
          expiresAt: new Date(now.getTime() + 86_400_000),
          ...extra,
        });
        await tx
          .insert(apiTokens)
          .values([...Array.from({ length: 19 }, (_, i) => made(i)), made(19, { revokedAt: now }), made(20, { expiresAt: new Date(now.getTime() - 1000) })]);
      });
      assert.match((await agent.post("/konto/api-tokens", { name: "Zwanzigster" })).body, /data-testid="api-token"/);
      const refused = await agent.post("/konto/api-tokens", { name: "Einundzwanzigster" });
      assert.equal(refused.statusCode, 400);
      assert.match(refused.body, /bereits 20 gültige API-Zugänge/);
      assert.match(refused.body, /value="Einundzwanzigster"/, "the name typed is kept");
      assert.doesNotMatch(refused.body, /data-testid="api-token"/);
      const id = /action="\/konto\/api-tokens\/([0-9a-f-]{36})\/widerrufen"/.exec(refused.body)?.[1] as string;
      await agent.post(`/konto/api-tokens/${id}/widerrufen`, {});
      assert.match((await agent.post("/konto/api-tokens", { name: "Einundzwanzigster" })).body, /data-testid="api-token"/, "after a revocation, one more");
    });

    test("the OpenAPI document lists the operations and the docs page renders it", async () => {
      const doc = (await call("GET", "/api/openapi.json")).json();
      assert.equal(doc.openapi, "3.1.0");
      for (const p of ["/api/v1/me", "/api/v1/tenants", "/api/v1/tenants/{slug}", "/api/v1/tenants/{slug}/people", "/api/v1/tenants/{slug}/invitations"]) {
        assert.ok(doc.paths[p], `${p} is documented`);
      }
      const page = await call("GET", "/api/docs");
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /GET \/api\/v1\/tenants/);
      assert.match(page.body, /id="problem-validation_failed"/);
    });
  });
}
