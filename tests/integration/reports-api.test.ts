import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import fc from "fast-check";
import { FORMS, MODES, MOTIVES, PLACES } from "../../src/modules/reports/schemas.ts";
import { createTenantFixture, createTestEnv, type TenantFixture, type TestEnv } from "../helpers/app.ts";
import { DB_KINDS } from "../helpers/db.ts";

/** Inputs near the schema: right and wrong types, edge lengths, odd strings. */
const oddString = fc.oneof(
  fc.string({ maxLength: 30 }),
  fc.string({ minLength: 9, maxLength: 300, unit: "grapheme" }),
  fc.constantFrom("", " ", "\u0000", "<script>", "https://", "2026-02-30", "😀".repeat(5)),
);
const anyValue = fc.oneof(oddString, fc.integer(), fc.boolean(), fc.constant(null), fc.array(oddString, { maxLength: 3 }), fc.object({ maxDepth: 1 }));
const intakeArb = fc.record(
  {
    mode: fc.oneof(fc.constantFrom(...MODES), anyValue),
    description: fc.oneof(fc.string({ minLength: 10, maxLength: 400 }), anyValue),
    contactEmail: fc.oneof(fc.emailAddress(), anyValue),
    contactPhone: fc.oneof(fc.constantFrom("0611 123456", "+49 30 1234567"), anyValue),
    forms: fc.oneof(fc.subarray([...FORMS]), anyValue),
    motives: fc.oneof(fc.subarray([...MOTIVES]), anyValue),
    place: fc.oneof(fc.constantFrom(...PLACES), anyValue),
    occurredOn: fc.oneof(fc.constantFrom("2026-11-01", "2026-02-29", "1999-12-31"), anyValue),
    knownOn: fc.oneof(fc.constantFrom("2026-11-02"), anyValue),
    onlineUrl: fc.oneof(fc.webUrl(), anyValue),
    urls: fc.oneof(fc.array(fc.record({ url: fc.webUrl(), kind: fc.constantFrom("content", "profile") }), { maxLength: 3 }), anyValue),
    language: fc.oneof(fc.constantFrom("de", "ar", "tr"), anyValue),
  },
  { requiredKeys: [] },
);

for (const kind of DB_KINDS) {
  describe(`intake API (${kind})`, () => {
    let env: TestEnv;
    let tenant: TenantFixture;
    before(async () => {
      env = await createTestEnv(kind);
      tenant = await createTenantFixture(env, { slug: `api-${kind}`, name: "Apistadt" });
    });
    after(() => env.close());

    const submit = (payload: unknown, ip = "127.0.9.1") =>
      env.app.inject({ method: "POST", url: `/api/v1/tenants/${tenant.slug}/reports`, payload: payload as object, remoteAddress: ip });
    const count = async () =>
      Number(
        (
          await env.platform.database.rawQuery(
            "select (select count(*) from reports) + (select count(*) from evidence) + (select count(*) from report_contacts) as n",
          )
        ).rows[0].n,
      );

    test("an anonymous report through the API gets a case number and a receipt code", async () => {
      const res = await submit({
        mode: "anonymous",
        description: "Über die Schnittstelle gemeldet: Hasskommentare unter dem Beitrag der Stadt.",
        forms: ["incitement"],
        urls: [{ url: "https://social.example/p/1", kind: "content" }],
      });
      assert.equal(res.statusCode, 201);
      assert.equal(res.headers["set-cookie"], undefined, "an API reporter gets no cookie");
      const { data } = res.json();
      assert.match(data.caseNumber, /^API-2026-\d{4}$/);
      assert.match(data.receiptCode, /^[A-Z2-9]{4}(-[A-Z2-9]{4}){4}$/);
      const stored = await env.platform.database.rawQuery(
        "select r.channel, (select count(*)::int from evidence e where e.report_id = r.id and e.kind = 'url') as urls from reports r where case_number = $1",
        [data.caseNumber],
      );
      assert.deepEqual(stored.rows[0], { channel: "api", urls: 1 });
    });

    test("the answer that carries the receipt code may not be stored by any cache", async () => {
      const res = await submit({ mode: "anonymous", description: "Die Quittung darf in keinem Zwischenspeicher landen." });
      assert.equal(res.statusCode, 201);
      assert.ok(res.json().data.receiptCode);
      assert.equal(res.headers["cache-control"], "no-store");
    });

    test("invalid input answers a 400 problem with field errors and stores nothing", async () => {
      const before = await count();
      const res = await submit({ mode: "named", description: "zu kurz", contactEmail: "x" });
      assert.equal(res.statusCode, 400);
      assert.match(String(res.headers["content-type"]), /application\/problem\+json/);
      const body = res.json();
      assert.equal(body.code, "validation_failed");
      assert.deepEqual(Object.keys(body.errors).sort(), ["contactEmail", "description"]);
      assert.equal(await count(), before);
    });

    test("an anonymous report with contact data is refused with the field named, not stored without it", async () => {
      const before = await count();
      const res = await submit({ mode: "anonymous", description: "Drohung am Telefon, mit Rückrufnummer.", contactPhone: "+49 30 1234567" });
      assert.equal(res.statusCode, 400);
      assert.deepEqual(Object.keys(res.json().errors), ["contactPhone"]);
      assert.match(res.json().errors.contactPhone, /keine Kontaktdaten/);
      assert.equal(await count(), before);
    });

    test("a date in no year of ours (a mistyped 0026, a year 0) is a field error, here and in a URL's capture time", async () => {
      const before = await count();
      const res = await submit({
        mode: "anonymous",
        description: "Drohung am Telefon, das Datum vertippt.",
        occurredOn: "0026-11-20",
        urls: [{ url: "https://social.example/p/1", capturedAt: "0000-01-01T00:00:00Z" }],
      });
      assert.equal(res.statusCode, 400);
      assert.deepEqual(Object.keys(res.json().errors).sort(), ["occurredOn", "urls.0.capturedAt"]);
      assert.equal(await count(), before);
    });

    test("an unknown municipality is a 404 problem", async () => {
      const res = await env.app.inject({
        method: "POST",
        url: "/api/v1/tenants/gibt-es-nicht/reports",
        payload: { mode: "anonymous", description: "Eine Meldung ins Leere." },
      });
      assert.equal(res.statusCode, 404);
      assert.equal(res.json().code, "not_found");
    });

    test("property: no input yields a 500 or a partial report", async () => {
      let n = 0;
      await fc.assert(
        fc.asyncProperty(intakeArb, async (input) => {
          n++;
          const before = await count();
          const res = await submit(input, `127.0.10.${(n % 250) + 1}`);
          assert.ok([201, 400].includes(res.statusCode), `status ${res.statusCode} for ${JSON.stringify(input)}: ${res.body.slice(0, 200)}`);
          const after = await count();
          if (res.statusCode === 400) assert.equal(after, before, "a refused report leaves nothing behind");
          else {
            const id = res.json().data.caseNumber;
            const stored = await env.platform.database.rawQuery("select count(*)::int as n from reports where case_number = $1", [id]);
            assert.equal(stored.rows[0].n, 1);
          }
        }),
        { numRuns: 60 },
      );
    });

    test("the intake is documented in the OpenAPI document", async () => {
      const doc = (await env.app.inject({ method: "GET", url: "/api/openapi.json" })).json();
      assert.ok(doc.paths["/api/v1/tenants/{slug}/reports"].post);
    });
  });
}
