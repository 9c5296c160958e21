import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { sql } from "drizzle-orm";
import { adoptPractice, givePracticeFeedback } from "../../src/modules/knowledge/adoption.ts";
import { PRACTICE_CORPUS } from "../../src/modules/knowledge/corpus.ts";
import { ownPractices, practicePage, savePractice, submitPractice, withdrawPractice } from "../../src/modules/knowledge/library.ts";
import { reviewPractice, reviewQueue } from "../../src/modules/knowledge/review.ts";
import { parseLibraryQuery, searchLibrary } from "../../src/modules/knowledge/search.ts";
import { type Actor, NotFoundError, type Role } from "../../src/platform/authz/policy.ts";
import { rows, withTenant } from "../../src/platform/db/client.ts";
import { createTenantFixture, createTestEnv, createUserFixture, type TenantFixture, type TestEnv } from "../helpers/app.ts";
import { DB_KINDS } from "../helpers/db.ts";

/*
 * Knowledge that travels: a model municipality writes a practice and submits it; nobody else sees
 * the draft or the practice in review but the national level, which gives it back once and then
 * publishes it; a network municipality adopts it as a copy of its own (linked to its origin, once)
 * and says whether it worked; the origin's municipality and the national level see who adopted it
 * and what they said, a third municipality does not — in code and in the database.
 */

for (const kind of DB_KINDS) {
  describe(`library transfer (${kind})`, () => {
    let env: TestEnv;
    let model: TenantFixture;
    let network: TenantFixture;
    let third: TenantFixture;
    let author: Actor;
    let reviewer: Actor;
    let adopter: Actor;
    let thirdAdmin: Actor;
    const ref = (t: TenantFixture) => ({ id: t.id, kind: t.kind });

    before(async () => {
      env = await createTestEnv(kind);
      model = await createTenantFixture(env, { kind: "model", name: "Modellstadt Probe" });
      network = await createTenantFixture(env, { name: "Netzwerkgemeinde Probe" });
      third = await createTenantFixture(env, { name: "Drittgemeinde Probe" });
      const national = env.platform.nationalTenant.id;
      const actor = async (tenantId: string, role: Role): Promise<Actor> => ({
        userId: (await createUserFixture(env, [{ tenantId, role }])).id,
        memberships: [{ tenantId, role }],
        nationalTenantId: national,
      });
      author = await actor(model.id, "municipal_admin");
      reviewer = await actor(national, "national_admin");
      adopter = await actor(network.id, "municipal_admin");
      thirdAdmin = await actor(third.id, "municipal_admin");
    });
    after(() => env.close());

    test("written, reviewed (given back once, then published), adopted once, given feedback; the transfer is seen where it should be", async () => {
      const input = PRACTICE_CORPUS[2]; // Hausverbot
      const id = await savePractice(env.platform, author, ref(model), null, input);
      assert.equal(await submitPractice(env.platform, author, ref(model), id), "in_review");
      await assert.rejects(practicePage(env.platform, adopter, ref(network), id), NotFoundError, "in review: not for other municipalities");
      assert.deepEqual(
        (await reviewQueue(env.platform, reviewer)).map((p) => p.id),
        [id],
      );
      await assert.rejects(reviewPractice(env.platform, author, id, { approve: true }), NotFoundError, "the authors do not review themselves");

      await reviewPractice(env.platform, reviewer, id, { approve: false, note: "Bitte die Frist für das Hausverbot nennen." });
      const returned = (await ownPractices(env.platform, author, ref(model))).find((p) => p.id === id);
      assert.equal(returned?.status, "draft");
      assert.equal(returned?.reviewNote, "Bitte die Frist für das Hausverbot nennen.");
      await savePractice(env.platform, author, ref(model), id, { ...input, body: `${input.body} Es gilt höchstens ein Jahr.` });
      await submitPractice(env.platform, author, ref(model), id);
      await reviewPractice(env.platform, reviewer, id, { approve: true });

      const seen = await practicePage(env.platform, adopter, ref(network), id);
      assert.equal(seen.practice.status, "published");
      assert.equal(seen.practice.publishedVersion, 2);
      assert.deepEqual(seen.policies.adopt, true);
      assert.deepEqual(seen.adoptions, [], "who adopted it is not the adopter's to see");

      const { copyId, created } = await adoptPractice(env.platform, adopter, ref(network), id);
      assert.equal(created, true);
      assert.deepEqual(await adoptPractice(env.platform, adopter, ref(network), id), { copyId, created: false }, "adopted once");
      const copy = (await ownPractices(env.platform, adopter, ref(network))).find((p) => p.id === copyId);
      assert.equal(copy?.originId, id);
      assert.equal(copy?.originVersion, 2);
      assert.equal(copy?.originTenantName, "Modellstadt Probe");
      assert.equal(copy?.visibility, "internal", "a copy is the adopter's own, for itself until it decides otherwise");
      assert.match(copy?.body ?? "", /höchstens ein Jahr/);

      await assert.rejects(
        givePracticeFeedback(env.platform, thirdAdmin, ref(third), id, { score: 1, text: "" }),
        NotFoundError,
        "only who adopted it says whether it worked",
      );
      await givePracticeFeedback(env.platform, adopter, ref(network), id, { score: 3, text: "Erst" });
      await givePracticeFeedback(env.platform, adopter, ref(network), id, { score: 4, text: "Hat im Bürgerbüro geholfen." });

      for (const [who, where] of [
        [author, ref(model)],
        [reviewer, { id: env.platform.nationalTenant.id, kind: "national" as const }],
      ] as const) {
        const page = await practicePage(env.platform, who, where, id);
        assert.deepEqual(
          page.adoptions.map((a) => [a.tenantName, a.score, a.text]),
          [["Netzwerkgemeinde Probe", 4, "Hat im Bürgerbüro geholfen."]],
        );
      }
      const thirdView = await practicePage(env.platform, thirdAdmin, ref(third), id);
      assert.deepEqual(thirdView.adoptions, []);

      // The database holds the same lines: a third municipality's transaction sees no adoption or feedback.
      const counted = (tenantId: string) =>
        withTenant(env.platform.db, tenantId, (tx) =>
          rows<{ a: number; f: number }>(
            tx,
            sql`select (select count(*)::int from knowledge_adoptions) as a, (select count(*)::int from knowledge_feedback) as f`,
          ),
        );
      assert.deepEqual(await counted(third.id), [{ a: 0, f: 0 }]);
      assert.deepEqual(await counted(model.id), [{ a: 1, f: 1 }]);
      assert.deepEqual(await counted(env.platform.nationalTenant.id), [{ a: 1, f: 1 }]);

      // The search follows: withdrawn, the practice is found no more; published again, it is.
      const found = async () =>
        (await searchLibrary(env.platform, adopter, ref(network), parseLibraryQuery({ suche: "Hausverbot" }))).hits.some((h) => h.id === id);
      assert.equal(await found(), true);
      assert.equal((await practicePage(env.platform, adopter, ref(network), copyId)).originUpdate, null, "the origin has not changed yet");
      await withdrawPractice(env.platform, author, ref(model), id);
      assert.equal(await found(), false, "a withdrawn practice leaves the search");
      const latest = (await ownPractices(env.platform, author, ref(model))).find((p) => p.id === id);
      assert.ok(latest);
      await savePractice(env.platform, author, ref(model), id, { ...input, body: latest.body.replace("höchstens ein Jahr", "höchstens zwei Jahre") });
      await submitPractice(env.platform, author, ref(model), id);
      await reviewPractice(env.platform, reviewer, id, { approve: true });
      assert.equal(await found(), true);

      // The copy shows what its origin changed since the version it took, word by word.
      const update = (await practicePage(env.platform, adopter, ref(network), copyId)).originUpdate;
      assert.equal(update?.fromVersion, 2);
      assert.equal(update?.toVersion, 3);
      assert.equal(update?.title, null, "the title did not change");
      assert.deepEqual(
        update?.body?.filter((c) => c.added || c.removed).map((c) => [c.added ? "+" : "-", c.value]),
        [
          ["-", "ein"],
          ["+", "zwei"],
          ["-", "Jahr"],
          ["+", "Jahre"],
        ],
      );
    });

    test("a network municipality publishes for itself only; drafts stay in their workspace, also in the database", async () => {
      const id = await savePractice(env.platform, adopter, ref(network), null, { ...PRACTICE_CORPUS[6], visibility: "network" });
      await assert.rejects(
        submitPractice(env.platform, adopter, ref(network), id),
        NotFoundError,
        "beyond itself only through a model municipality or the national level",
      );
      const internal = await savePractice(env.platform, adopter, ref(network), null, { ...PRACTICE_CORPUS[7], visibility: "internal" });
      assert.equal(await submitPractice(env.platform, adopter, ref(network), internal), "published");
      await assert.rejects(practicePage(env.platform, thirdAdmin, ref(third), internal), NotFoundError);
      const visible = await withTenant(env.platform.db, third.id, (tx) =>
        rows<{ n: number }>(tx, sql`select count(*)::int as n from knowledge_practices where id in (${id}, ${internal})`),
      );
      assert.deepEqual(visible, [{ n: 0 }], "row-level security hides another municipality's drafts and internal practices");
      const searchable = await withTenant(env.platform.db, third.id, (tx) =>
        rows<{ n: number }>(tx, sql`select count(*)::int as n from knowledge_search where practice_id in (${id}, ${internal})`),
      );
      assert.deepEqual(searchable, [{ n: 0 }], "neither a draft nor an internal practice is in the search's table");
    });
  });
}
