import { createServer, type Socket } from "node:net";
import { StringDecoder } from "node:string_decoder";
import type { LinkAcceptor } from "../../sim/transport/link.js";
import type { ListenOptions, XmppListener } from "./listener.js";

/**
 * An RFC 6120 client-to-server listener (plain TCP, no STARTTLS: for tests and loopback). The
 * server offers SCRAM-SHA-1 on it, since the channel is not confidential.
 */
export async function listenTcp(server: LinkAcceptor, options: ListenOptions = {}): Promise<XmppListener> {
  const sockets = new Set<Socket>();
  const tcp = createServer((socket) => {
    sockets.add(socket);
    // A multi-byte character may be split between two chunks.
    const decoder = new StringDecoder("utf8");
    let open = true;
    const session = server.accept({
      framing: "rfc6120",
      secure: false,
      send: (data) => {
        if (open) socket.write(data);
      },
      close: () => {
        open = false;
        socket.end();
      },
    });
    socket.on("data", (chunk) => session.receive(decoder.write(chunk)));
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
  const address = tcp.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return {
    service: `xmpp://${host}:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        tcp.close(() => resolve());
      }),
  };
}
