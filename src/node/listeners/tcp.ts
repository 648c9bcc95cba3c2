import { createServer, type Socket } from "node:net";
import type { LinkAcceptor } from "../../sim/transport/link.js";
import { type ListenOptions, listenerPolicy, type XmppListener } from "./listener.js";

/** TCP keepalive probes start after this much silence, so that a vanished peer is noticed. */
const KEEPALIVE_DELAY = 60_000;
/** How long a closed connection may take to say goodbye before it is cut. */
const CLOSE_GRACE = 2_000;

/**
 * An RFC 6120 client-to-server listener (plain TCP, no STARTTLS: for tests and loopback). The
 * server offers SCRAM-SHA-1 on it, since the channel is not confidential. Bytes go to the server
 * as they arrive — it decodes UTF-8 itself, so invalid UTF-8 is a stream error, not U+FFFD.
 */
export async function listenTcp(server: LinkAcceptor, options: ListenOptions = {}): Promise<XmppListener> {
  const policy = listenerPolicy(options);
  const sockets = new Set<Socket>();
  const tcp = createServer((socket) => {
    sockets.add(socket);
    socket.setKeepAlive(true, KEEPALIVE_DELAY);
    let open = true;
    const session = server.accept({
      framing: "rfc6120",
      secure: false,
      admission: policy.admission,
      send: (data) => {
        if (!open) return;
        if (socket.writableLength > policy.maxBufferedOutput) {
          // A client that does not read cannot make the server hold its output without bound.
          socket.destroy();
          return;
        }
        socket.write(data);
        if (socket.writableLength > policy.pauseReadingAbove) socket.pause();
      },
      whenWritable: (ready) => {
        if (socket.writableLength <= policy.pauseReadingAbove) setImmediate(ready);
        else socket.once("drain", ready);
      },
      close: () => {
        open = false;
        // Read no more of a stream that has ended, and do not wait on a peer that never closes its side.
        socket.pause();
        socket.end();
        setTimeout(() => socket.destroy(), CLOSE_GRACE).unref();
      },
    });
    socket.on("drain", () => socket.resume());
    socket.on("data", (chunk) => session.receive(chunk));
    socket.on("error", () => socket.destroy());
    socket.on("close", () => {
      open = false;
      sockets.delete(socket);
      session.disconnected();
    });
  });
  const host = options.host ?? "127.0.0.1";
  await new Promise<void>((resolve, reject) => {
    tcp.once("error", reject);
    tcp.listen(options.port ?? 0, host, () => resolve());
  });
  // Failures after start-up (EMFILE under a connection flood) must not end the process.
  tcp.on("error", () => undefined);
  const address = tcp.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return {
    service: `xmpp://${host.includes(":") ? `[${host}]` : host}:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        tcp.close(() => resolve());
      }),
  };
}
