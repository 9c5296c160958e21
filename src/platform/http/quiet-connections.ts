import type { Server } from "node:http";
import type { Socket } from "node:net";

/**
 * Closing the server closes the connections that carry no request: at once those that sent none
 * yet, and each one that does as soon as its answer has gone.
 *
 * Node's `server.close()` closes idle keep-alive connections itself, but counts a connection that
 * has sent nothing yet as busy (it watches such a connection for the headers' timeout; nodejs/node
 * issue 63452, mended in later lines than 24). A browser opens such connections ahead of a click
 * and keeps them for minutes: the shutdown then waited for them until its forced exit, which skips
 * closing the database, and a test's server for up to five minutes.
 */
export function closeQuietConnections(server: Server): { close(): void } {
  const sockets = new Set<Socket>();
  // Requests in progress per connection (more than one only where a client sends ahead).
  const busy = new Map<Socket, number>();
  let closing = false;

  server.on("connection", (socket: Socket) => {
    // Between the close and the moment the server stops listening: nothing more is taken.
    if (closing) {
      socket.destroy();
      return;
    }
    sockets.add(socket);
    socket.once("close", () => {
      sockets.delete(socket);
      busy.delete(socket);
    });
  });

  server.on("request", (req, res) => {
    const socket = req.socket;
    busy.set(socket, (busy.get(socket) ?? 0) + 1);
    res.once("close", () => {
      const left = (busy.get(socket) ?? 1) - 1;
      if (left > 0) {
        busy.set(socket, left);
        return;
      }
      busy.delete(socket);
      if (closing) socket.end();
    });
  });

  return {
    close() {
      closing = true;
      for (const socket of sockets) if (!busy.has(socket)) socket.destroy();
    },
  };
}
