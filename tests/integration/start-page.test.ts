import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { eq } from "drizzle-orm";
import { type Role, SECOND_FACTOR_ROLES } from "../../src/platform/authz/policy.ts";
import { inTransaction } from "../../src/platform/db/client.ts";
import { tenants } from "../../src/platform/db/schema.ts";
import { Agent, createTenantFixture, createTestEnv, createUserFixture, type TenantFixture, type TestEnv } from "../helpers/app.ts";
import { DB_KINDS } from "../helpers/db.ts";

/*
 * Roles whose modules do not exist yet land on a start page that says what KommA offers them
 * now and later, with the report button of their municipality, the emergency numbers and the
 * clearing office's contact, and no link to a page that does not exist.
 */

// role → [where the role is held, heading of its section]
const ROLES: Record<string, [where: "municipality" | "national", heading: string]> = {
  staff: ["municipality", "Was KommA Ihnen als Beschäftigte:r bietet"],
  leader: ["municipality", "Was KommA Ihnen als Führungskraft bietet"],
  alliance_partner: ["municipality", "Was KommA Ihnen als Allianzpartner bietet"],
  trainer: ["municipality", "Was KommA Ihnen als Trainer:in oder Coach bietet"],
  advisory_board: ["national", "Was KommA Ihnen als Mitglied des Projektbeirats bietet"],
};

for (const kind of DB_KINDS) {
  describe(`start page by role (${kind})`, () => {
    let env: TestEnv;
    let tenant: TenantFixture;
    const pages = new Map<string, { agent: Agent; body: string }>();

    before(async () => {
      env = await createTestEnv(kind);
      tenant = await createTenantFixture(env, { name: "Musterstadt" });
      await inTransaction(env.platform.db, {}, (tx) =>
        tx
          .update(tenants)
          .set({ contactPhone: "+49 6151 12-3456", contactEmail: "clearing@musterstadt.example", contactHours: "Mo–Fr 8–16 Uhr" })
          .where(eq(tenants.id, tenant.id)),
      );
      for (const [role, [where]] of Object.entries(ROLES)) {
        const user = await createUserFixture(env, [{ tenantId: where === "national" ? env.platform.nationalTenant.id : tenant.id, role: role as Role }], {
          totp: SECOND_FACTOR_ROLES.includes(role as Role),
        });
        const agent = new Agent(env.app);
        await agent.signIn(user, env.clock);
        pages.set(role, { agent, body: (await agent.get("/start")).body });
      }
    });
    after(() => env.close());

    test("each role finds what KommA offers it, now and later", () => {
      const actual = Object.fromEntries(
        Object.keys(ROLES).map((role) => [role, /<h2[^>]*id="rolle-[^"]+"[^>]*>([^<]+)<\/h2>/.exec(pages.get(role)?.body ?? "")?.[1]]),
      );
      assert.deepEqual(actual, Object.fromEntries(Object.entries(ROLES).map(([role, [, heading]]) => [role, heading])));
    });

    test("each role sees the emergency numbers, as links a phone calls; in a municipality also the report button and the clearing office's contact", () => {
      const actual: Record<string, [boolean, boolean, boolean]> = {};
      const expected: Record<string, [boolean, boolean, boolean]> = {};
      for (const [role, [where]] of Object.entries(ROLES)) {
        const body = pages.get(role)?.body ?? "";
        actual[role] = [
          body.includes('href="tel:110"') && body.includes('href="tel:112"'),
          body.includes(`href="/${tenant.slug}/melden"`),
          body.includes('href="tel:+496151123456"'),
        ];
        expected[role] = [true, where === "municipality", where === "municipality"];
      }
      assert.deepEqual(actual, expected);
      assert.match(pages.get("staff")?.body ?? "", /clearing@musterstadt\.example[\s\S]*Mo–Fr 8–16 Uhr/);
    });

    test("the public home page names 110 and 112 as links a phone calls", async () => {
      const home = await new Agent(env.app).get("/");
      assert.ok(home.body.includes('href="tel:110"') && home.body.includes('href="tel:112"'));
    });

    test("the public home page finds a municipality by part of its name, without case, accents or ß, and says when none matches", async () => {
      const weiss = await createTenantFixture(env, { name: "Weißenbrück an der Öhle" });
      const visitor = new Agent(env.app);
      const listed = (body: string) => [...body.matchAll(/<li lang="de"><a class="kern-link" href="\/([^"]+)">/g)].map((m) => m[1]);
      const home = await visitor.get("/");
      assert.ok(listed(home.body).includes(weiss.slug) && listed(home.body).includes(tenant.slug), "all of them without a search");
      assert.match(home.body, /<form method="get" action="\/#kommunen" role="search"/);
      for (const typed of ["weissenbrück", "WEISSENBRUECK".slice(0, 9), "ohle", " an der öhle "]) {
        const found = await visitor.get(`/?kommune=${encodeURIComponent(typed)}`);
        assert.equal(found.statusCode, 200);
        assert.deepEqual(listed(found.body), [weiss.slug], typed);
        assert.match(found.body, /1 Kommune gefunden für/);
      }
      const none = await visitor.get(`/?kommune=${encodeURIComponent("<Nirgendwo>")}`);
      assert.deepEqual(listed(none.body), []);
      assert.match(none.body, /Keine Kommune gefunden für „&lt;Nirgendwo>“/, "the search is shown as typed, escaped");
      assert.match(none.body, /value="&lt;Nirgendwo>"/, "and kept in the field");
      assert.match(none.body, /href="\/#kommunen">Alle Kommunen zeigen/);
    });

    test("every link on these start pages leads to a page that exists", async () => {
      const broken: string[] = [];
      for (const [role, { agent, body }] of pages) {
        for (const [, href] of body.matchAll(/href="(\/[^"]*)"/g)) {
          if (href.startsWith("/static/") || href.startsWith("/sprache/")) continue;
          const status = (await agent.get(href.replace(/&amp;/g, "&"))).statusCode;
          if (status >= 400) broken.push(`${role}: ${href} (${status})`);
        }
      }
      assert.deepEqual(broken, []);
    });
  });
}
