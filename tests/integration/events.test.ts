import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { sql } from "drizzle-orm";
import { z } from "zod";
import { startBackgroundWork, stopBackgroundWork } from "../../src/platform/boot.ts";
import { withTenant } from "../../src/platform/db/client.ts";
import { defineEvent, type EventHandler } from "../../src/platform/events/events.ts";
import { createTenantFixture, createTestEnv, type TenantFixture, type TestEnv } from "../helpers/app.ts";
import { DB_KINDS } from "../helpers/db.ts";
import { until } from "../helpers/wait.ts";

/*
 * Durable domain events: an event commits with the change that caused it or not at all, each
 * handler has its effect once however often the event is delivered, and a handler that keeps
 * failing is retried through the job queue and then shown to operators, without holding up the
 * other handlers of the event.
 */

const noticed = defineEvent("test.noticed", z.object({ n: z.number().int() }));
const tallied = defineEvent("test.tallied", z.object({ n: z.number().int() }));
const started = defineEvent("test.started", z.object({ n: z.number().int() }));
const followed = defineEvent("test.followed", z.object({ n: z.number().int() }));

for (const kind of DB_KINDS) {
  describe(`domain events (${kind})`, () => {
    let env: TestEnv;
    let tenant: TenantFixture;
    const seen: number[] = [];
    // The failing handler fails for the event of the failure test only (n = 3), until it is fixed.
    let brokenUntilFixed = true;
    const counting: EventHandler<{ n: number }> = {
      name: "test.count",
      event: noticed,
      async handle({ tx, event, afterCommit }) {
        // A real effect in the handler's transaction, and one outside it only once that committed.
        await tx.execute(sql`select 1`);
        afterCommit(async () => {
          seen.push(event.payload.n);
        });
      },
    };
    const failing: EventHandler<{ n: number }> = {
      name: "test.fail",
      event: noticed,
      retryLimit: 2,
      retryDelaySeconds: 0,
      async handle({ event }) {
        if (brokenUntilFixed && event.payload.n === 3) throw new Error("the partner system is down");
      },
    };

    // A handler that takes a burst in one go: each event once, however the burst was cut up.
    const batches: number[][] = [];
    const together: EventHandler<{ n: number }> = {
      name: "test.together",
      event: tallied,
      async handleMany({ events }) {
        batches.push(events.map((e) => e.payload.n));
      },
    };

    // A handler whose work emits an event of its own (as opening a case does), and the follow-up's handler.
    const transactions = new Map<string, string>();
    let followUpBroken = false;
    const starting: EventHandler<{ n: number }> = {
      name: "test.start",
      event: started,
      async handle({ tx, event, afterCommit }) {
        const [{ id }] = (await tx.execute(sql`select txid_current()::text as id`)).rows as { id: string }[];
        await env.platform.domainEvents.emit(tx, followed, event.tenantId, { n: event.payload.n });
        afterCommit(async () => {
          transactions.set(`start ${event.payload.n}`, id);
        });
      },
    };
    const following: EventHandler<{ n: number }> = {
      name: "test.follow",
      event: followed,
      async handle({ tx, event, afterCommit }) {
        if (followUpBroken) throw new Error("the follow-up fails");
        const [{ id }] = (await tx.execute(sql`select txid_current()::text as id`)).rows as { id: string }[];
        afterCommit(async () => {
          transactions.set(`follow ${event.payload.n}`, id);
        });
      },
    };

    before(async () => {
      env = await createTestEnv(kind);
      env.platform.domainEvents.subscribe(starting);
      env.platform.domainEvents.subscribe(following);
      env.platform.domainEvents.subscribe(counting);
      env.platform.domainEvents.subscribe(failing);
      env.platform.domainEvents.subscribe(together);
      tenant = await createTenantFixture(env);
    });
    after(async () => {
      await stopBackgroundWork(env.platform);
      await env.close();
    });

    test("an event commits with its change or not at all; each handler has it once however often it arrives", async () => {
      await assert.rejects(
        withTenant(env.platform.db, tenant.id, async (tx) => {
          await env.platform.domainEvents.emit(tx, noticed, tenant.id, { n: 1 });
          throw new Error("the change fails");
        }),
      );
      const id = await withTenant(env.platform.db, tenant.id, (tx) => env.platform.domainEvents.emit(tx, noticed, tenant.id, { n: 2 }));
      // Delivered at once, again (a second process, a retry) and by the drain.
      env.platform.domainEvents.deliver(tenant.id, [id]);
      env.platform.domainEvents.deliver(tenant.id, [id]);
      await env.platform.domainEvents.drain();
      assert.deepEqual(
        seen.filter((n) => n <= 2),
        [2],
        "the rolled-back event never arrives; the committed one has its effect once",
      );
      await assert.rejects(
        withTenant(env.platform.db, tenant.id, (tx) => env.platform.domainEvents.emit(tx, noticed, tenant.id, { n: 1.5 })),
        "a payload that does not fit the event's schema is refused at emit",
      );
    });

    test("a burst of events of one tenant reaches a batch handler together, each event once and in order within a delivery", async () => {
      const ids = await withTenant(env.platform.db, tenant.id, (tx) =>
        env.platform.domainEvents.emitMany(
          tx,
          tallied,
          tenant.id,
          [1, 2, 3, 4, 5, 6, 7].map((n) => ({ n })),
        ),
      );
      // Delivered as they come (one request each) and once more as a whole: two run at once, the rest wait and go together.
      const deliveries = ids.map((id) => env.platform.domainEvents.deliver(tenant.id, [id]));
      deliveries.push(env.platform.domainEvents.deliver(tenant.id, ids));
      await Promise.all(deliveries);
      // Two deliveries run at once, so batches may finish in either order; within one, the oldest comes first.
      assert.deepEqual(
        batches.flat().sort((a, b) => a - b),
        [1, 2, 3, 4, 5, 6, 7],
        "each event once",
      );
      for (const b of batches)
        assert.deepEqual(
          b,
          [...b].sort((x, y) => x - y),
          "oldest first within a delivery",
        );
      assert.ok(
        batches.some((b) => b.length > 1),
        `the waiting events went together (${JSON.stringify(batches)})`,
      );
      const { rows } = await env.platform.database.rawQuery("select count(*)::int as n from domain_events where id = any($1::uuid[]) and settled_at is null", [
        ids,
      ]);
      assert.equal(rows[0].n, 0, "each event is settled with its delivery");
    });

    test("what a handler emits is delivered with its cause, in the same transaction; a failing follow-up does not undo the cause", async () => {
      const id = await withTenant(env.platform.db, tenant.id, (tx) => env.platform.domainEvents.emit(tx, started, tenant.id, { n: 1 }));
      await env.platform.domainEvents.deliver(tenant.id, [id]);
      await env.platform.domainEvents.idle();
      assert.ok(transactions.get("start 1"), "the cause's handler ran");
      assert.equal(transactions.get("follow 1"), transactions.get("start 1"), "the follow-up ran in the cause's transaction, at once");
      const unsettled = async () =>
        (
          await env.platform.database.rawQuery(
            "select count(*)::int as n from domain_events where name in ('test.started', 'test.followed') and settled_at is null",
          )
        ).rows[0].n;
      assert.equal(await unsettled(), 0, "both settled");

      followUpBroken = true;
      const second = await withTenant(env.platform.db, tenant.id, (tx) => env.platform.domainEvents.emit(tx, started, tenant.id, { n: 2 }));
      await env.platform.domainEvents.deliver(tenant.id, [second]);
      await env.platform.domainEvents.idle();
      assert.ok(transactions.get("start 2"), "the cause stands although its follow-up failed");
      assert.equal(transactions.get("follow 2"), undefined);
      const failing = (await env.platform.domainEvents.failed()).filter((f) => f.handler === "test.follow");
      assert.deepEqual(
        failing.map((f) => f.status),
        ["retrying"],
        "the follow-up's failure is recorded for a retry",
      );
      followUpBroken = false;
      await env.platform.domainEvents.drain();
      assert.ok(transactions.get("follow 2"), "the retried follow-up went through");
      assert.equal(await unsettled(), 0);
    });

    test("a failing handler is retried through the job queue, then shown as failed; the others are not held up", async () => {
      const id = await withTenant(env.platform.db, tenant.id, (tx) => env.platform.domainEvents.emit(tx, noticed, tenant.id, { n: 3 }));
      env.platform.domainEvents.deliver(tenant.id, [id]);
      await env.platform.domainEvents.drain();
      assert.ok(seen.includes(3), "the working handler had the event at once");
      const first = (await env.platform.domainEvents.failed()).find((f) => f.eventId === id);
      assert.equal(first?.status, "retrying");
      assert.equal(first?.handler, "test.fail");
      assert.match(first?.lastError ?? "", /partner system is down/);

      await startBackgroundWork(env.platform);
      await env.platform.domainEvents.relay({ graceMs: 0 });
      await until("the delivery counts as failed", async () =>
        (await env.platform.domainEvents.failed()).some((f) => f.eventId === id && f.status === "failed"),
      );
      const failed = (await env.platform.domainEvents.failed()).find((f) => f.eventId === id);
      assert.ok((failed?.attempts ?? 0) >= 3, `tried the first time and twice more (${failed?.attempts})`);
      assert.equal(seen.filter((n) => n === 3).length, 1, "the working handler was not run again");

      // Another event goes through while the first one's failure waits for an operator.
      const next = await withTenant(env.platform.db, tenant.id, (tx) => env.platform.domainEvents.emit(tx, noticed, tenant.id, { n: 4 }));
      brokenUntilFixed = false;
      env.platform.domainEvents.deliver(tenant.id, [next]);
      await env.platform.domainEvents.drain();
      assert.ok(seen.includes(4));

      // The operator fixed the cause and retries what failed.
      assert.equal(await env.platform.domainEvents.retryFailed(), 1);
      await env.platform.domainEvents.relay({ graceMs: 0 });
      // Settling follows the last delivery as a step of its own: wait for both.
      await until("the retried delivery is done and every event settled", async () => {
        if ((await env.platform.domainEvents.failed()).length > 0) return false;
        const { rows } = await env.platform.database.rawQuery("select count(*)::int as n from domain_events where settled_at is null");
        return rows[0].n === 0;
      });
    });
  });
}
