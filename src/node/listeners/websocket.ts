import { WebSocketServer } from "ws";
import type { LinkAcceptor } from "../../sim/transport/link.js";
import { isLoopback, type ListenOptions, type XmppListener } from "./listener.js";

export interface WebSocketListenOptions extends ListenOptions {
  /** Default `/xmpp-websocket`, Prosody's path. */
  path?: string;
}

/** An RFC 7395 XMPP-over-WebSocket listener (the `xmpp` subprotocol), so browsers and other clients can connect. */
export async function listenWebSocket(server: LinkAcceptor, options: WebSocketListenOptions = {}): Promise<XmppListener> {
  const host = options.host ?? "127.0.0.1";
  const path = options.path ?? "/xmpp-websocket";
  const wss = new WebSocketServer({
    host,
    port: options.port ?? 0,
    path,
    handleProtocols: (protocols) => (protocols.has("xmpp") ? "xmpp" : false),
  });
  await new Promise<void>((resolve, reject) => {
    wss.once("listening", resolve);
    wss.once("error", reject);
  });

  wss.on("connection", (socket, request) => {
    let open = true;
    const session = server.accept({
      framing: "rfc7395",
      secure: isLoopback(request.socket.remoteAddress),
      send: (frame) => {
        if (open) socket.send(frame);
      },
      close: () => {
        open = false;
        socket.close(1000);
      },
    });
    socket.on("message", (data, isBinary) => {
      // RFC 7395 §3.2: every frame is a text frame holding one element.
      if (isBinary) socket.close(1003);
      else session.receive(data.toString());
    });
    socket.on("error", () => socket.terminate());
    socket.on("close", () => {
      open = false;
      session.disconnected();
    });
  });

  const address = wss.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return {
    service: `ws://${host === "::1" ? "[::1]" : host}:${port}${path}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of wss.clients) client.terminate();
        wss.close(() => resolve());
      }),
  };
}
