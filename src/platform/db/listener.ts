import pg from "pg";
import { loggableError } from "../logging/loggable-error.ts";

/*
 * LISTEN needs a connection of its own: a pooled one is handed to other work between queries
 * and would miss notifications. This one is opened on the first `listen`, and when it breaks
 * (database restart, network) it is opened again with growing pauses. Notifications sent while
 * it was down are lost, so each listener hears `onGap` once it listens again and drops whatever
 * it holds that a lost message could have changed.
 */

export interface ChannelListener {
  onMessage(payload: string): void;
  onGap(): void;
}

export interface Listener {
  listen(channel: string, listener: ChannelListener): Promise<void>;
  close(): Promise<void>;
}

const FIRST_PAUSE_MS = 250;
const LONGEST_PAUSE_MS = 30_000;

export function createListener(connectionString: string): Listener {
  const channels = new Map<string, ChannelListener[]>();
  let client: pg.Client | null = null;
  let connecting: Promise<unknown> | null = null;
  let retry: NodeJS.Timeout | null = null;
  let pause = FIRST_PAUSE_MS;
  let closed = false;

  function report(err: unknown) {
    console.error("database listener:", JSON.stringify(loggableError(err)));
  }

  async function open(): Promise<pg.Client> {
    const c = new pg.Client({ connectionString });
    // Lost after it was in use: listen again. Errors before that fail `open` itself.
    const lost = (err?: unknown) => {
      if (client !== c) return;
      client = null;
      if (err) report(err);
      c.end().catch(() => {});
      scheduleReconnect();
    };
    c.on("notification", (n) => {
      for (const l of channels.get(n.channel) ?? []) l.onMessage(n.payload ?? "");
    });
    c.on("error", lost);
    c.on("end", () => lost());
    await c.connect();
    try {
      for (const channel of channels.keys()) await c.query(`listen ${c.escapeIdentifier(channel)}`);
    } catch (err) {
      await c.end().catch(() => {});
      throw err;
    }
    if (closed) {
      await c.end();
      throw new Error("listener closed");
    }
    client = c;
    pause = FIRST_PAUSE_MS;
    idle(c, true);
    return c;
  }

  /** Waiting for notifications alone keeps no process alive (a command that is done, a test whose boot failed). */
  function idle(c: pg.Client, yes: boolean) {
    const stream = (c as unknown as { connection?: { stream?: { ref?: () => void; unref?: () => void } } }).connection?.stream;
    if (yes) stream?.unref?.();
    else stream?.ref?.();
  }

  async function listenOn(c: pg.Client, channel: string) {
    idle(c, false);
    try {
      await c.query(`listen ${c.escapeIdentifier(channel)}`);
    } finally {
      idle(c, true);
    }
  }

  function scheduleReconnect() {
    if (closed || retry) return;
    retry = setTimeout(() => {
      retry = null;
      connecting = open()
        .then(() => {
          for (const list of channels.values()) for (const l of list) l.onGap();
        })
        .catch((err) => {
          if (!closed) report(err);
          pause = Math.min(pause * 2, LONGEST_PAUSE_MS);
          scheduleReconnect();
        })
        .finally(() => {
          connecting = null;
        });
    }, pause);
    // A process that is otherwise done does not stay alive for this.
    retry.unref();
  }

  return {
    async listen(channel, listener) {
      const known = channels.has(channel);
      channels.set(channel, [...(channels.get(channel) ?? []), listener]);
      if (known || closed) return;
      if (client) {
        // Failing here means the connection broke: its reconnect listens to every channel.
        await listenOn(client, channel).catch(report);
        return;
      }
      // The connection being opened (or opened now) listens to every channel known by then.
      if (!connecting && !retry) {
        connecting = open().finally(() => {
          connecting = null;
        });
      }
      try {
        await connecting;
        // Listening twice is harmless; missing a channel added while it opened is not.
        const opened = client as pg.Client | null;
        if (opened) await listenOn(opened, channel);
      } catch (err) {
        report(err);
        scheduleReconnect();
      }
    },
    async close() {
      closed = true;
      if (retry) clearTimeout(retry);
      retry = null;
      await connecting?.catch(() => {});
      const c = client;
      client = null;
      await c?.end().catch(() => {});
    },
  };
}
