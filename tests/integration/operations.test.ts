import assert from "node:assert/strict";
import { once } from "node:events";
import { type AddressInfo, connect } from "node:net";
import { after, before, describe, test } from "node:test";
import { buildApp } from "../../src/app.ts";
import { Agent, createTenantFixture, createTestEnv, createUserFixture, type TestEnv } from "../helpers/app.ts";
import { until } from "../helpers/wait.ts";

const METRICS_TOKEN = "operator-metrics-token-0123456789";

describe("operations: health, metrics, headers and logs", () => {
  let env: TestEnv;
  before(async () => {
    env = await createTestEnv("pglite", { env: { METRICS_TOKEN } });
  });
  after(() => env.close());

  test("liveness and readiness answer for load balancers", async () => {
    const live = await env.app.inject({ method: "GET", url: "/health/live" });
    assert.equal(live.statusCode, 200);
    const ready = await env.app.inject({ method: "GET", url: "/health/ready" });
    assert.equal(ready.statusCode, 200);
    assert.deepEqual(ready.json(), { status: "ok" });
  });

  test("readiness turns away traffic while the process shuts down", async () => {
    let stopping = false;
    const app = await buildApp(env.platform, { logger: false, isShuttingDown: () => stopping });
    assert.equal((await app.inject({ method: "GET", url: "/health/ready" })).statusCode, 200);
    stopping = true;
    assert.equal((await app.inject({ method: "GET", url: "/health/ready" })).statusCode, 503);
    await app.close();
  });

  test("a shutdown closes at once a connection that sent nothing, and answers a request under way first", async () => {
    const app = await buildApp(env.platform, { logger: false });
    await app.listen({ port: 0, host: "127.0.0.1" });
    const { port } = app.server.address() as AddressInfo;
    // A browser's spare connection, opened ahead of a click: nothing sent on it.
    const spare = connect(port, "127.0.0.1");
    let spareClosed = false;
    spare.on("close", () => {
      spareClosed = true;
    });
    await once(spare, "connect");
    // A request under way: its head sent, its body not yet whole.
    const body = "email=a%40example.org&password=x";
    const underWay = connect(port, "127.0.0.1");
    await once(underWay, "connect");
    const arrived = once(app.server, "request");
    underWay.write(
      `POST /anmelden HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: ${body.length}\r\n\r\n${body.slice(0, 5)}`,
    );
    let answer = "";
    underWay.on("data", (chunk: Buffer) => {
      answer += chunk.toString("latin1");
    });
    const answered = once(underWay, "close");
    await arrived;

    const closed = app.close();
    await until("the server closed the spare connection", () => spareClosed);
    assert.equal(underWay.destroyed, false, "the request under way keeps its connection");
    underWay.write(body.slice(5));
    await answered;
    assert.match(answer, /^HTTP\/1\.1 [1-5]\d\d /, "the request under way is answered, not cut off");
    await closed;
  });

  test("what the router and the HTTP parser refuse is answered with a problem for the API, and the path is not echoed", async () => {
    const long = `/api/v1/tenants/${"a".repeat(600)}/cases`;
    for (const url of [long, "/api/v1/tenants/%00/cases/%FF"]) {
      const res = await env.app.inject({ method: "GET", url });
      assert.equal(res.statusCode, 400, url);
      assert.match(String(res.headers["content-type"]), /^application\/problem\+json/);
      assert.equal(res.json().code, "bad_request");
      assert.doesNotMatch(res.body, /aaaa|%00|%FF|tenants/, "nothing of the path comes back");
    }
    const page = await env.app.inject({ method: "GET", url: "/melden/%FF" });
    assert.equal(page.statusCode, 400);
    assert.match(String(page.headers["content-type"]), /^text\/plain/);
    assert.match(page.body, /Diese Adresse ist ungültig/);

    // A header Node's parser refuses (a control character) never reaches the app: answered on the socket.
    const app = await buildApp(env.platform, { logger: false });
    await app.listen({ port: 0, host: "127.0.0.1" });
    try {
      const { port } = app.server.address() as AddressInfo;
      const socket = connect(port, "127.0.0.1");
      await once(socket, "connect");
      let answer = "";
      socket.on("data", (chunk: Buffer) => {
        answer += chunk.toString("latin1");
      });
      socket.write("GET /api/v1/tenants/x/cases HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer \x01\x02\r\n\r\n");
      await once(socket, "close");
      assert.match(answer, /^HTTP\/1\.1 400 Bad Request\r\n/);
      assert.match(answer, /Content-Type: application\/problem\+json/);
      assert.match(answer, /\r\n\r\n\{"type":"about:blank","title":"Bad Request","status":400\}$/);

      // Sent in absolute form, as to a proxy: the API's answers all the same.
      for (const [target, status] of [
        ["http://127.0.0.1/api/v1/%zz", 400],
        ["http://127.0.0.1/api/v1/nirgends", 404],
      ] as const) {
        const proxied = connect(port, "127.0.0.1");
        await once(proxied, "connect");
        let reply = "";
        proxied.on("data", (chunk: Buffer) => {
          reply += chunk.toString("latin1");
        });
        proxied.write(`GET ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`);
        await once(proxied, "close");
        assert.match(reply, new RegExp(`^HTTP/1\\.1 ${status} `), target);
        assert.match(reply, /content-type: application\/problem\+json/i, target);
      }
    } finally {
      await app.close();
    }
  });

  test("metrics are for operators with the token only, and count requests by route pattern", async () => {
    assert.equal((await env.app.inject({ method: "GET", url: "/metrics" })).statusCode, 404);
    assert.equal((await env.app.inject({ method: "GET", url: "/metrics", headers: { authorization: "Bearer falsch" } })).statusCode, 404);
    await env.app.inject({ method: "GET", url: "/passwort-setzen/geheimes-token-das-nicht-in-metriken-gehoert" });
    const res = await env.app.inject({ method: "GET", url: "/metrics", headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /komma_http_requests_total\{method="GET",route="\/passwort-setzen\/:token",status="410"\} 1/);
    assert.doesNotMatch(res.body, /geheimes-token/);
    assert.match(res.body, /komma_process_resident_memory_bytes/);
  });

  test("pages carry a strict content security policy and the usual security headers", async () => {
    const res = await env.app.inject({ method: "GET", url: "/anmelden" });
    const csp = String(res.headers["content-security-policy"]);
    assert.match(csp, /default-src 'self'/);
    assert.match(csp, /script-src 'self'(;|$)/);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
    assert.match(csp, /frame-ancestors 'none'/);
    assert.equal(res.headers["x-content-type-options"], "nosniff");
    assert.equal(res.headers["referrer-policy"], "no-referrer");
    assert.equal(res.headers["cache-control"], "no-store");
    assert.doesNotMatch(res.body, /<script>|\son[a-z]+="/, "no inline scripts or event handlers");
    const cookies = ([] as string[]).concat(res.headers["set-cookie"] ?? []);
    assert.ok(cookies.every((c) => /HttpOnly/.test(c) && /SameSite=Lax/.test(c)));
  });

  test("redirects after language switch stay on this site", async () => {
    for (const evil of ["https://angreifer.example/", "//angreifer.example", "/\\angreifer.example"]) {
      const res = await env.app.inject({ method: "GET", url: `/sprache/en?zurueck=${encodeURIComponent(evil)}` });
      assert.equal(res.headers.location, "/", `${evil} is not followed`);
    }
    const ok = await env.app.inject({ method: "GET", url: "/sprache/en?zurueck=%2Fkonto" });
    assert.equal(ok.headers.location, "/konto");
  });

  test("logs name method, path and status, but no addresses, IPs, user agents or link tokens", async () => {
    const lines: string[] = [];
    const platform = { ...env.platform, config: { ...env.platform.config, logLevel: "info" as const } };
    const app = await buildApp(platform, { logStream: { write: (l: string) => lines.push(l) } });
    const tenant = await createTenantFixture(env);
    const user = await createUserFixture(env, [{ tenantId: tenant.id, role: "staff" }]);
    const agent = new Agent(app);
    await agent.signIn(user, env.clock);
    await agent.get(`/verwaltung/kommunen?q=${encodeURIComponent(user.email)}`);
    await agent.get("/passwort-setzen/AbCdEfGhIjKlMnOpQrStUvWxYz0123456789abcd");
    await agent.get(`/${encodeURIComponent(user.email)}/gibt-es-nicht`);
    // Typed where a route takes a parameter (a municipality's address, a link's token): its pattern is logged.
    await agent.get(`/${encodeURIComponent(user.email)}`);
    await agent.get(`/passwort-setzen/${encodeURIComponent(user.email)}`);
    await app.close();
    const log = lines.join("\n");
    assert.match(log, /"path":"\/anmelden"/);
    assert.match(log, /"statusCode":303/);
    assert.doesNotMatch(log, new RegExp(user.email.replace(/[.]/g, "\\.")));
    assert.doesNotMatch(log, /127\.0\.\d+\.\d+/);
    assert.doesNotMatch(log, /user-agent|lightMyRequest/i);
    assert.doesNotMatch(log, /AbCdEfGhIjKlMnOpQrStUvWxYz/);
    assert.match(log, /"path":"\(no route\)"/, "a path no route matches is not logged as typed");
    assert.match(log, /"path":"\/:slug"/, "a route's parameter is logged as its name");
  });
});
