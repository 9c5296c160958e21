import { randomBytes } from "node:crypto";
import type { Database } from "./db/client.ts";
import { loggableError } from "./logging/loggable-error.ts";

/*
 * Messages to every application process on the same database, for what a process keeps in
 * memory and another one can change: a municipality's cached public data, the active data key.
 * On PostgreSQL a message is a NOTIFY on one channel, heard by each process's own listening
 * connection; the sending process hands it to its own subscribers at once, so it behaves as
 * before, and skips its own echo. The embedded PGlite serves one process, so delivering in the
 * process is all there is to do. Subscribers must expect `null`: messages may have been lost
 * (the listening connection broke); drop everything that depends on them.
 */

/** A message's content (JSON, small: PostgreSQL takes up to 8000 bytes), or null after a gap. */
export type BroadcastHandler = (payload: Record<string, unknown> | null) => void;

export interface Broadcast {
  /** Tells every process (this one first). Call after the change committed. */
  publish(channel: string, payload: Record<string, unknown>): Promise<void>;
  /** Hears a channel's messages in this process; returns a function that stops hearing. */
  subscribe(channel: string, handler: BroadcastHandler): () => void;
  /** Resolves once this process hears other processes' messages (at once on PGlite). */
  ready(): Promise<void>;
}

/** The PostgreSQL channel every message travels on; the message names its own channel. */
export const NOTIFY_CHANNEL = "komma_broadcast";

export function createBroadcast(database: Pick<Database, "listen" | "rawQuery">): Broadcast {
  const handlers = new Map<string, Set<BroadcastHandler>>();
  // Tells this process's own messages apart when they come back through PostgreSQL.
  const origin = randomBytes(9).toString("base64url");
  let listening: Promise<void> | null = null;

  function deliver(channel: string, payload: Record<string, unknown> | null) {
    for (const handler of handlers.get(channel) ?? []) {
      try {
        handler(payload);
      } catch (err) {
        console.error("broadcast subscriber failed:", JSON.stringify(loggableError(err)));
      }
    }
  }

  function listen() {
    if (!database.listen || listening) return;
    listening = database.listen(NOTIFY_CHANNEL, {
      onMessage(text) {
        let message: { origin?: string; channel?: string; payload?: Record<string, unknown> };
        try {
          message = JSON.parse(text);
        } catch {
          return;
        }
        if (message.origin === origin || typeof message.channel !== "string") return;
        deliver(message.channel, message.payload ?? {});
      },
      onGap() {
        for (const channel of handlers.keys()) deliver(channel, null);
      },
    });
  }

  return {
    async publish(channel, payload) {
      deliver(channel, payload);
      if (database.listen) {
        await database.rawQuery("select pg_notify($1, $2)", [NOTIFY_CHANNEL, JSON.stringify({ origin, channel, payload })]);
      }
    },
    subscribe(channel, handler) {
      const set = handlers.get(channel) ?? new Set();
      set.add(handler);
      handlers.set(channel, set);
      listen();
      return () => set.delete(handler);
    },
    async ready() {
      listen();
      await listening;
    },
  };
}
