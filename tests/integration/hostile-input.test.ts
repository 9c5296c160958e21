import assert from "node:assert/strict";
import { readdirSync, statSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { PassThrough, Readable } from "node:stream";
import { after, before, describe, test } from "node:test";
import { sql } from "drizzle-orm";
import fc from "fast-check";
import type { FastifyInstance } from "fastify";
import sharp from "sharp";
import { isDataException, loggableError } from "../../src/platform/logging/loggable-error.ts";
import { Agent, createTenantFixture, createTestEnv, createUserFixture, type TenantFixture, type TestEnv } from "../helpers/app.ts";
import { DB_KINDS } from "../helpers/db.ts";
import { waitWhile } from "../helpers/wait.ts";

/** Every route and method the application answers, read from Fastify's own route tree. */
function routesOf(app: FastifyInstance): { method: string; path: string }[] {
  const found: { method: string; path: string }[] = [];
  const stack: { depth: number; path: string }[] = [];
  for (const line of app.printRoutes({ commonPrefix: false }).split("\n")) {
    const m = /^([│ ]*)(?:└──|├──) (\S+) \(([A-Z, ]+)\)/u.exec(line);
    if (!m) continue;
    const depth = m[1].length / 4;
    while (stack.length > depth) stack.pop();
    const parent = stack.at(-1)?.path ?? "";
    const segment = m[2];
    const path = parent === "" ? segment : segment.startsWith("/") ? `${parent.replace(/\/$/, "")}${segment}` : `${parent.replace(/\/$/, "")}/${segment}`;
    stack.push({ depth, path });
    for (const method of m[3].split(", ")) if (method !== "HEAD") found.push({ method, path });
  }
  return found;
}

const hostileText = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ maxLength: 40, unit: "binary" }),
  fc.constantFrom(
    "\u0000",
    "a\u0000b",
    "\u000b",
    "\u202e",
    "%00",
    "%0B",
    "%E2%80%AE",
    "%",
    "%%",
    "..",
    "../..",
    "\\",
    "//evil.example",
    "\t/evil",
    "😀",
    "x".repeat(300),
  ),
);
const hostileSegment = fc.oneof(
  fc.constantFrom("musterstadt-x", "MUS-2026-0001", "00000000-0000-0000-0000-000000000000", "gefahr", "beweise", "en", "A".repeat(43)),
  hostileText.map((s) => encodeURIComponent(s)),
  fc.constantFrom("%00", "%0B", "%E2%80%AE", "%C0%AF", "%FF", "a%2Fb"),
);
const headerValue = fc.oneof(fc.string({ maxLength: 60 }), fc.constantFrom("null", "http://[::1", "http://evil.example", "://", "\u00ff", "a".repeat(500)));
const boundary = "----komma-fuzz";
const body = fc.oneof(
  fc.constant(undefined),
  fc
    .dictionary(
      fc.oneof(fc.constantFrom("_csrf", "_aktion", "intent", "message", "email", "code", "roles", "zurueck"), fc.string({ maxLength: 10 })),
      hostileText,
      { maxKeys: 5 },
    )
    .map((d) => ({ type: "application/x-www-form-urlencoded", payload: new URLSearchParams(d as Record<string, string>).toString() })),
  fc.jsonValue({ maxDepth: 2 }).map((j) => ({ type: "application/json", payload: JSON.stringify(j) })),
  fc.string({ maxLength: 80 }).map((s) => ({ type: "application/json", payload: s })),
  fc.tuple(hostileText, fc.uint8Array({ maxLength: 300 }), fc.boolean(), fc.constantFrom("file", "intent", "code")).map(([name, bytes, closed, field]) => ({
    type: `multipart/form-data; boundary=${boundary}`,
    payload: Buffer.concat([
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${field}"; filename="${name.replace(/["\r\n]/g, "")}"\r\nContent-Type: image/jpeg\r\n\r\n`,
      ),
      Buffer.from(bytes),
      Buffer.from(closed ? `\r\n--${boundary}--\r\n` : ""),
    ]),
  })),
  fc.constantFrom(
    { type: "text/plain", payload: "hallo" },
    { type: "multipart/form-data", payload: "kaputt" },
    { type: "application/x-www-form-urlencoded", payload: "%%%&=&&a=%E0%A4%A" },
  ),
);

for (const kind of DB_KINDS) {
  describe(`hostile input (${kind})`, () => {
    let env: TestEnv;
    let tenant: TenantFixture;
    let officer: Agent;
    before(async () => {
      env = await createTestEnv(kind, {
        env: { REPORT_MAX_FILE_MB: "2", REPORT_MAX_UPLOAD_MB: "3", REPORT_MAX_EVIDENCE_MB: "3", REPORT_UPLOAD_BUDGET_MB: "6" },
      });
      tenant = await createTenantFixture(env, { slug: `musterstadt-${kind}`, name: "Musterstadt" });
      officer = new Agent(env.app);
      await officer.signIn(await createUserFixture(env, [{ tenantId: tenant.id, role: "clearing_officer" }], { totp: true }), env.clock);
    });
    after(() => env.close());

    test("a return address never leads to another site, and odd ones give no error", async () => {
      const agent = new Agent(env.app);
      for (const evil of [
        "/%09/evil.example/x",
        "/.//evil.example",
        "/..//evil.example/x",
        "//evil.example",
        "/%5Cevil.example",
        "https://evil.example",
        "/%0B/evil",
        "/%00/evil",
        "/%E2%80%AE/evil",
      ]) {
        const res = await agent.get(`/sprache/en?zurueck=${evil}`);
        assert.equal(res.statusCode, 303, evil);
        assert.equal(res.headers.location, "/", evil);
        const signIn = await agent.get(`/anmelden?weiter=${evil}`);
        assert.equal(signIn.statusCode, 200, evil);
        assert.doesNotMatch(signIn.body, /name="weiter" value="[^"]+"/, evil);
      }
      assert.equal((await agent.get("/sprache/en?zurueck=/faelle%3Fx%3D1")).headers.location, "/faelle?x=1");
    });

    test("a failed query is logged by its SQLSTATE, never with its text or parameters", async () => {
      const failed = await env.platform.db.execute(sql`select ${"erika.fiktiv@test.example"}::uuid`).catch((err: unknown) => err);
      const logged = JSON.stringify(loggableError(failed));
      assert.doesNotMatch(logged, /erika|select/i);
      assert.match(logged, /"sqlstate":"22P02"/);
      assert.equal(isDataException(failed), true);
    });

    test("control characters in a form are refused with a message and the input kept", async () => {
      const agent = new Agent(env.app);
      await agent.get("/barrierefreiheit");
      const res = await agent.post("/barrierefreiheit", { message: "Kontrast\u0000zu schwach", contact: "leserin@test.example" });
      assert.equal(res.statusCode, 400);
      assert.match(res.body, /unsichtbare Steuerzeichen/);
      assert.match(res.body, /leserin@test\.example/, "the input is kept");
      const stored = await env.platform.database.rawQuery("select count(*)::int as n from accessibility_feedback");
      assert.equal(stored.rows[0].n, 0);
    });

    test("damaged images and images over 100 megapixels are refused with a message", async () => {
      const agent = new Agent(env.app);
      await agent.get(`/${tenant.slug}/melden`);
      const start = await agent.post(`/${tenant.slug}/melden`, { sprache: "de" });
      const evidence = String(start.headers.location).replace(/gefahr\?/, "beweise?");
      const picture = sharp({ create: { width: 60, height: 40, channels: 3, background: "#284" } });
      for (const [name, data] of [
        ["kaputt.jpg", (await picture.clone().jpeg().toBuffer()).subarray(0, 150)],
        ["kaputt.gif", (await picture.clone().gif().toBuffer()).subarray(0, 40)],
        ["kaputt.webp", (await picture.clone().webp().toBuffer()).subarray(0, 40)],
      ] as const) {
        await agent.get(evidence);
        const res = await agent.postMultipart(evidence, { intent: "upload" }, [{ field: "file", name, data }]);
        assert.equal(res.statusCode, 400, name);
        assert.match(res.body, /lässt sich nicht öffnen/, name);
      }
      const huge = await sharp({ create: { width: 11_000, height: 10_000, channels: 3, background: "#000" } })
        .png({ compressionLevel: 9 })
        .toBuffer();
      await agent.get(evidence);
      const res = await agent.postMultipart(evidence, { intent: "upload" }, [{ field: "file", name: "riesig.png", data: huge }]);
      assert.equal(res.statusCode, 400);
      assert.match(res.body, /mehr als 100 Megapixel/);
    });

    test("uploads are capped as a whole, a body cut short is refused, and no file is left behind", async () => {
      const spool = () =>
        readdirSync(tmpdir())
          .filter((d) => d.startsWith("komma-uploads-"))
          .flatMap((d) => readdirSync(`${tmpdir()}/${d}`))
          .filter((f) => f.startsWith(`${process.pid}-`));
      const agent = new Agent(env.app);
      await agent.get(`/${tenant.slug}/melden`);
      const start = await agent.post(`/${tenant.slug}/melden`, { sprache: "de" });
      const evidence = String(start.headers.location).replace(/gefahr\?/, "beweise?");
      await agent.get(evidence);
      const tooMuch = await env.app.inject({
        method: "POST",
        url: evidence,
        headers: { "content-type": `multipart/form-data; boundary=${boundary}`, "content-length": String(4 * 1024 * 1024) },
        payload: `--${boundary}\r\n`,
      });
      assert.equal(tooMuch.statusCode, 413);
      // Without a declared length (a chunked body) the limit is counted while the files arrive.
      const pdf = Buffer.concat([Buffer.from("%PDF-1.4\n"), Buffer.alloc(1024 * 1024 + 5, 32)]);
      const form = new FormData();
      form.append("_csrf", agent.csrfToken());
      form.append("intent", "upload");
      for (const name of ["eins.pdf", "zwei.pdf", "drei.pdf"]) form.append("file", new Blob([new Uint8Array(pdf)], { type: "application/pdf" }), name);
      const encoded = new Response(form);
      const res = await env.app.inject({
        method: "POST",
        url: evidence,
        remoteAddress: agent.remoteAddress,
        headers: {
          "content-type": encoded.headers.get("content-type") as string,
          "sec-fetch-site": "same-origin",
          cookie: agent.cookieHeader(),
        },
        payload: Readable.from(Buffer.from(await encoded.arrayBuffer())),
      });
      assert.equal(res.statusCode, 400, "the third file passes the limit of the whole upload");
      assert.match(res.body, /drei\.pdf/);
      assert.match(res.body, /eins\.pdf/, "the files before it are taken");
      const cut = await env.app.inject({
        method: "POST",
        url: evidence,
        remoteAddress: agent.remoteAddress,
        headers: { "content-type": `multipart/form-data; boundary=${boundary}`, "sec-fetch-site": "same-origin", cookie: agent.cookieHeader() },
        payload: `--${boundary}\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${agent.csrfToken()}\r\n--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.jpg"\r\nContent-Type: image/jpeg\r\n\r\nabc`,
      });
      assert.equal(cut.statusCode, 400);
      assert.deepEqual(spool(), [], "every spooled file is gone once answered");
    });

    test("one report holds a limited amount of evidence, and one client may upload a limited amount an hour", async () => {
      const agent = new Agent(env.app);
      const pdf = Buffer.concat([Buffer.from("%PDF-1.4\n"), Buffer.alloc(1_200_000, 32)]);
      const upload = async (evidence: string, name: string) => {
        await agent.get(evidence);
        return agent.postMultipart(evidence, { intent: "upload" }, [{ field: "file", name, data: pdf }]);
      };
      const draft = async () => {
        await agent.get(`/${tenant.slug}/melden`);
        const start = await agent.post(`/${tenant.slug}/melden`, { sprache: "de" });
        return String(start.headers.location).replace(/gefahr\?/, "beweise?");
      };
      const first = await draft();
      assert.equal((await upload(first, "a.pdf")).statusCode, 200);
      assert.equal((await upload(first, "b.pdf")).statusCode, 200);
      const full = await upload(first, "c.pdf");
      assert.equal(full.statusCode, 400);
      assert.match(full.body, /„c\.pdf“ wurde nicht hinzugefügt: Zu dieser Meldung sind schon so viele Dateien/);
      const second = await draft();
      assert.equal((await upload(second, "d.pdf")).statusCode, 200);
      assert.equal((await upload(second, "e.pdf")).statusCode, 200, "4.8 MB so far this hour");
      const overBudget = await upload(await draft(), "f.pdf");
      assert.equal(overBudget.statusCode, 400, "the sixth megabyte and more: over the hour's budget");
      assert.match(overBudget.body, /„f\.pdf“ wurde nicht hinzugefügt/);
      assert.equal((await new Agent(env.app).get(`/${tenant.slug}/melden`)).statusCode, 200, "other clients are unaffected");
    });

    test("a file that could not be used is not kept: without the form's token before it, from someone the office does not know, beyond the hour's budget", async () => {
      const spool = () =>
        readdirSync(tmpdir())
          .filter((d) => d.startsWith("komma-uploads-"))
          .flatMap((d) => readdirSync(`${tmpdir()}/${d}`))
          .filter((f) => f.startsWith(`${process.pid}-`));
      const draft = async (agent: Agent) => {
        await agent.get(`/${tenant.slug}/melden`);
        const start = await agent.post(`/${tenant.slug}/melden`, { sprache: "de" });
        const evidence = String(start.headers.location).replace(/gefahr\?/, "beweise?");
        await agent.get(evidence);
        return evidence;
      };
      /*
       * Sends a form whose file is a megabyte that keeps coming: the head and the first 256 KB,
       * then (once the server has read them, or has answered) the rest. Says whether the answer
       * came before the body was done, and whether a file of it was on the spool meanwhile.
       */
      const upload = async (agent: Agent, url: string, withToken: boolean) => {
        // The files of earlier answers are removed once each was sent: from an empty spool.
        await waitWhile(() => spool().length > 0);
        const body = new PassThrough();
        const parts = [
          withToken ? `--${boundary}\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${agent.csrfToken()}\r\n` : "",
          `--${boundary}\r\nContent-Disposition: form-data; name="intent"\r\n\r\nupload\r\n`,
          `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="lang.pdf"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.4\n`,
        ].join("");
        body.write(Buffer.concat([Buffer.from(parts), Buffer.alloc(256 * 1024, 32)]));
        let answered = false;
        const response = env.app
          .inject({
            method: "POST",
            url,
            remoteAddress: agent.remoteAddress,
            headers: { "content-type": `multipart/form-data; boundary=${boundary}`, "sec-fetch-site": "same-origin", cookie: agent.cookieHeader() },
            payload: body,
          })
          .finally(() => {
            answered = true;
          });
        await waitWhile(() => !answered && body.readableLength > 0, 10_000, 10);
        let spooled = false;
        await waitWhile(
          () => {
            if (answered) return false;
            spooled = spool().length > 0;
            return !spooled;
          },
          2_000,
          10,
        );
        const answeredEarly = answered;
        if (!answered) body.end(Buffer.concat([Buffer.alloc(768 * 1024, 32), Buffer.from(`\r\n--${boundary}--\r\n`)]));
        else body.destroy();
        return { res: await response, answeredEarly, spooled };
      };

      const honest = new Agent(env.app);
      const kept = await upload(honest, await draft(honest), true);
      assert.equal(kept.spooled, true, "a file with the form's token before it is spooled as it arrives");
      assert.equal(kept.res.statusCode, 200);
      assert.match(kept.res.body, /lang\.pdf/);

      const forged = new Agent(env.app);
      const noToken = await upload(forged, await draft(forged), false);
      assert.equal(noToken.answeredEarly, true, "refused at the file's start, before the rest was read");
      assert.equal(noToken.res.statusCode, 403);
      assert.equal(noToken.spooled, false);

      const stranger = new Agent(env.app);
      await stranger.get("/anmelden");
      const office = await upload(stranger, "/faelle/MUS-2026-0001/beweise", true);
      assert.equal(office.answeredEarly, true, "someone not signed in is refused before the body is read");
      assert.equal(office.spooled, false);
      assert.ok(office.res.statusCode >= 300 && office.res.statusCode < 500, String(office.res.statusCode));

      // Six files of exactly the hour's six megabytes (two to a report, which holds three).
      const spent = new Agent(env.app);
      const pdf = (bytes: number) => Buffer.concat([Buffer.from("%PDF-1.4\n"), Buffer.alloc(bytes - 9, 32)]);
      const sizes = [1_200_000, 1_200_000, 1_200_000, 1_200_000, 1_200_000, 6 * 1024 * 1024 - 5 * 1_200_000];
      let evidence = "";
      for (const [i, size] of sizes.entries()) {
        if (i % 2 === 0) evidence = await draft(spent);
        else await spent.get(evidence);
        const res = await spent.postMultipart(evidence, { intent: "upload" }, [{ field: "file", name: `${i}.pdf`, data: pdf(size) }]);
        assert.equal(res.statusCode, 200, `${i}.pdf is within the hour's six megabytes`);
      }
      const beyond = await upload(spent, await draft(spent), true);
      assert.equal(beyond.spooled, false, "a client whose budget is spent has its bytes read and dropped");
      assert.equal(beyond.res.statusCode, 400);
      assert.match(beyond.res.body, /„lang\.pdf“ wurde nicht hinzugefügt/);
      assert.deepEqual(spool(), [], "every spooled file is gone once answered");
    });

    test("uploads in parallel, each never ending, write no more than the hour's budget; a client gone away leaves no file; the intake API spools no file at all", async () => {
      const spooledBytes = () =>
        readdirSync(tmpdir())
          .filter((d) => d.startsWith("komma-uploads-"))
          .flatMap((d) =>
            readdirSync(`${tmpdir()}/${d}`)
              .filter((f) => f.startsWith(`${process.pid}-`))
              .map((f) => statSync(`${tmpdir()}/${d}/${f}`, { throwIfNoEntry: false })?.size ?? 0),
          )
          .reduce((a, b) => a + b, 0);
      const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));
      const agent = new Agent(env.app);
      // Five reports' evidence steps, each sent a file of the per-file limit (2 MB) that never ends: 10 MB against a budget of 6.
      const bodies: PassThrough[] = [];
      const answers: Promise<{ statusCode: number }>[] = [];
      for (let i = 0; i < 5; i++) {
        await agent.get(`/${tenant.slug}/melden`);
        const start = await agent.post(`/${tenant.slug}/melden`, { sprache: "de" });
        const evidence = String(start.headers.location).replace(/gefahr\?/, "beweise?");
        await agent.get(evidence);
        const body = new PassThrough();
        body.write(
          Buffer.concat([
            Buffer.from(
              `--${boundary}\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${agent.csrfToken()}\r\n--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="endlos-${i}.pdf"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.4\n`,
            ),
            Buffer.alloc(2 * 1024 * 1024, 32),
          ]),
        );
        bodies.push(body);
        answers.push(
          env.app.inject({
            method: "POST",
            url: evidence,
            remoteAddress: agent.remoteAddress,
            headers: { "content-type": `multipart/form-data; boundary=${boundary}`, "sec-fetch-site": "same-origin", cookie: agent.cookieHeader() },
            payload: body,
          }),
        );
      }
      // Until the server has read what was sent and the spool holds still.
      // (Still for a tenth of a second, and something written: on a busy machine the writes may pause.)
      let before = -1;
      for (let still = 0, end = performance.now() + 15_000; performance.now() < end; ) {
        await wait(20);
        const now = spooledBytes();
        still = now === before && now > 0 ? still + 1 : 0;
        if (bodies.every((b) => b.readableLength === 0) && still >= 5) break;
        before = now;
      }
      const written = spooledBytes();
      assert.ok(written > 0, "the budget's part is written");
      assert.ok(written <= 6 * 1024 * 1024, `${written} bytes written, more than the hour's budget of 6 MB`);
      for (const b of bodies) b.end(`\r\n--${boundary}--\r\n`);
      for (const res of await Promise.all(answers)) assert.ok(res.statusCode < 500, String(res.statusCode));
      // (Removed once each answer is sent.)
      await waitWhile(() => spooledBytes() > 0);
      assert.equal(spooledBytes(), 0, "and nothing stays once answered");

      // A client that goes away before the answer leaves no file behind: a whole one and one cut short.
      await agent.get(`/${tenant.slug}/melden`);
      const fresh = new Agent(env.app);
      await fresh.get(`/${tenant.slug}/melden`);
      const start = await fresh.post(`/${tenant.slug}/melden`, { sprache: "de" });
      const step = String(start.headers.location).replace(/gefahr\?/, "beweise?");
      await fresh.get(step);
      const part = (name: string) =>
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.4\n${" ".repeat(300_000)}`;
      // Over a real connection, closed by the client mid-body (no answer is sent then).
      const origin = await env.app.listen({ port: 0, host: "127.0.0.1" });
      const going = request(new URL(step, origin), {
        method: "POST",
        headers: { "content-type": `multipart/form-data; boundary=${boundary}`, "sec-fetch-site": "same-origin", cookie: fresh.cookieHeader() },
      });
      going.on("error", () => {});
      going.write(`--${boundary}\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${fresh.csrfToken()}\r\n${part("ganz.pdf")}\r\n${part("halb.pdf")}`);
      // The whole first file, and of the second what the budget has taken so far (it takes 256 KB at a time).
      await waitWhile(() => spooledBytes() < 500_000);
      const whileOpen = spooledBytes();
      going.destroy();
      assert.ok(whileOpen >= 500_000, `both files on the spool while the request lasts (${whileOpen} bytes)`);
      await waitWhile(() => spooledBytes() > 0);
      assert.equal(spooledBytes(), 0, "nothing stays when the client goes away");

      // The intake API takes JSON: a multipart body is refused before a byte is read.
      const api = new PassThrough();
      api.write(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.pdf"\r\n\r\n${"x".repeat(100_000)}`);
      const refused = await Promise.race([
        env.app.inject({
          method: "POST",
          url: `/api/v1/tenants/${tenant.slug}/reports`,
          remoteAddress: "127.77.0.1",
          headers: { "content-type": `multipart/form-data; boundary=${boundary}` },
          payload: api,
        }),
        wait(5_000).then(() => null),
      ]);
      api.destroy();
      assert.equal(refused?.statusCode, 415, "answered at once, the body not read");
      assert.match(String(refused?.headers["content-type"]), /application\/problem\+json/);
      assert.equal(spooledBytes(), 0);
    });

    test("whatever intent a step of the reporting form receives, it answers the step, a redirect or a 400, never 5xx", async () => {
      const agent = new Agent(env.app);
      await agent.get(`/${tenant.slug}/melden`);
      const start = await agent.post(`/${tenant.slug}/melden`, { sprache: "de" });
      const base = String(start.headers.location).replace(/\/gefahr\?sprache=de$/, "");
      await agent.get(`${base}/gefahr`);
      const csrf = agent.csrfToken();
      const intent = fc.oneof(
        fc.constantFrom("next", "skip", "back", "upload", "link", "language:ar", "language:de", "remove:", "language:", ":", "next:", "back:x"),
        fc.uuid().map((id) => `remove:${id}`),
        hostileText.map((t) => `remove:${t}`),
        hostileText.map((t) => `language:${t}`),
        hostileText,
      );
      const statuses = new Map<number, number>();
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom("gefahr", "art", "vorfall", "personen", "folgen", "beweise", "pruefen"),
          fc.array(intent, { minLength: 0, maxLength: 2 }),
          fc.dictionary(fc.constantFrom("immediateDanger", "mode", "description", "url", "forms", "mailbox"), hostileText, { maxKeys: 3 }),
          fc.integer({ min: 1, max: 250 }),
          async (step, intents, fields, ip) => {
            const body = new URLSearchParams({ _csrf: csrf, ...fields });
            for (const i of intents) body.append("intent", i);
            const res = await env.app.inject({
              method: "POST",
              url: `${base}/${step}?sprache=de`,
              remoteAddress: `127.2.${ip}.${ip}`,
              headers: {
                "content-type": "application/x-www-form-urlencoded",
                "sec-fetch-site": "same-origin",
                cookie: agent.cookieHeader(),
              },
              payload: body.toString(),
            });
            statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1);
            assert.ok([200, 303, 400].includes(res.statusCode), `${step} ${intents.join(" + ")} answered ${res.statusCode}: ${res.body.slice(0, 300)}`);
          },
        ),
        { numRuns: 300 },
      );
      assert.ok((statuses.get(303) ?? 0) > 0 && (statuses.get(400) ?? 0) > 0, JSON.stringify([...statuses]));
    });

    test("no public route answers 5xx, whatever the path, headers and body", async () => {
      const routes = routesOf(env.app);
      assert.ok(routes.length > 40, `found ${routes.length} routes`);
      const statuses = new Map<number, number>();
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom(...routes),
          fc.array(hostileSegment, { minLength: 4, maxLength: 4 }),
          fc.option(fc.string({ maxLength: 40 }), { nil: undefined }),
          fc.record(
            { origin: headerValue, "sec-fetch-site": headerValue, cookie: headerValue, "accept-language": headerValue, authorization: headerValue },
            { requiredKeys: [] },
          ),
          body,
          fc.boolean(),
          fc.integer({ min: 1, max: 250 }),
          async (route, segments, query, headers, payload, signedIn, ip) => {
            let i = 0;
            const path = route.path.replace(/:[A-Za-z]+|\*/g, () => segments[i++ % segments.length]);
            const url = query === undefined ? path : `${path}?${encodeURIComponent(query)}=${encodeURIComponent(query)}`;
            const cookie = signedIn ? [...officer.cookies].map(([k, v]) => `${k}=${v}`).join("; ") : headers.cookie;
            const res = await env.app.inject({
              method: route.method as "GET",
              url,
              remoteAddress: `127.1.${ip}.${ip}`,
              headers: {
                ...headers,
                ...(cookie ? { cookie } : {}),
                ...(payload ? { "content-type": payload.type } : {}),
                ...(signedIn && payload ? { "x-csrf-token": officer.csrfToken() } : {}),
              },
              ...(payload && route.method !== "GET" ? { payload: payload.payload } : {}),
            });
            statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1);
            assert.ok(res.statusCode < 500, `${route.method} ${url} answered ${res.statusCode}: ${res.body.slice(0, 300)}`);
          },
        ),
        { numRuns: 3000 },
      );
      assert.ok((statuses.get(200) ?? 0) + (statuses.get(303) ?? 0) > 0, "some requests got through");
    });
  });
}
