import type { LinkAcceptor } from "../../sim/transport/link.js";
import { isLoopback, type ListenOptions, listenerPolicy, type XmppListener } from "./listener.js";
import { optionalPeer } from "../optional-peer.js";

/** How long a closed connection may take to say goodbye before it is cut. */
const CLOSE_GRACE = 2_000;

export interface WebSocketListenOptions extends ListenOptions {
  /** Default `/xmpp-websocket`, Prosody's path. */
  path?: string;
}

/**
 * An RFC 7395 XMPP-over-WebSocket listener (the `xmpp` subprotocol), so browsers and other
 * clients can connect. Frames are capped at the server's stanza size limit; `ws` checks their
 * UTF-8 and closes the connection (1007) on invalid text.
 */
export async function listenWebSocket(server: LinkAcceptor, options: WebSocketListenOptions = {}): Promise<XmppListener> {
  const policy = listenerPolicy(options);
  const host = options.host ?? "127.0.0.1";
  const path = options.path ?? "/xmpp-websocket";
  const maxPayload = server.maxStanzaSize;
  const { WebSocketServer } = optionalPeer("ws", "listenWebSocket()");
  const wss = new WebSocketServer({
    host,
    port: options.port ?? 0,
    path,
    handleProtocols: (protocols) => (protocols.has("xmpp") ? "xmpp" : false),
    ...(maxPayload === undefined ? {} : { maxPayload }),
  });
  await new Promise<void>((resolve, reject) => {
    wss.once("listening", resolve);
    wss.once("error", reject);
  });
  wss.on("error", () => undefined);

  wss.on("connection", (socket, request) => {
    let open = true;
    /** Who waits for the output to go down (`whenWritable`). */
    let writable: Array<() => void> = [];
    const resumeWhenFlushed = (): void => {
      if (socket.bufferedAmount > policy.pauseReadingAbove) return;
      if (socket.isPaused) socket.resume();
      for (const ready of writable.splice(0)) ready();
    };
    const session = server.accept({
      framing: "rfc7395",
      secure: isLoopback(request.socket.remoteAddress),
      admission: policy.admission,
      send: (frame) => {
        if (!open) return;
        if (socket.bufferedAmount > policy.maxBufferedOutput) {
          socket.terminate();
          return;
        }
        socket.send(frame, resumeWhenFlushed);
        if (socket.bufferedAmount > policy.pauseReadingAbove) socket.pause();
      },
      whenWritable: (ready) => {
        if (socket.bufferedAmount <= policy.pauseReadingAbove) setImmediate(ready);
        else writable.push(ready);
      },
      close: () => {
        open = false;
        writable = [];
        // Read no more of a stream that has ended (frames still in flight would only be buffered), and cut a peer that does not close.
        socket.pause();
        socket.close(1000);
        setTimeout(() => socket.terminate(), CLOSE_GRACE).unref();
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
    service: `ws://${host.includes(":") ? `[${host}]` : host}:${port}${path}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of wss.clients) client.terminate();
        wss.close(() => resolve());
      }),
  };
}
