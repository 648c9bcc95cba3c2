import { createHash, randomBytes } from "node:crypto";
import { createServer, type Server, type Socket } from "node:net";
import { type Element, Parser } from "../../src/protocol/index.js";

/** One component connection as the fake server sees it. */
export interface FakeComponentConnection {
  /** Stanzas the component sent, in order. */
  readonly received: Element[];
  readonly authenticated: Promise<void>;
  send(stanza: Element | string): void;
  /** Resolves with the next stanza (from now on) the component sends that satisfies `match`. */
  next(match?: (stanza: Element) => boolean): Promise<Element>;
  /** Closes the TCP connection without a stream close, as a crashed server would. */
  drop(): void;
}

export interface FakeComponentServer {
  readonly service: string;
  readonly connections: FakeComponentConnection[];
  /** Resolves with the next connection that completes the handshake. */
  nextAuthenticated(): Promise<FakeComponentConnection>;
  close(): Promise<void>;
}

/**
 * A minimal XEP-0114 server on 127.0.0.1: answers the stream header, checks the handshake
 * against `secret` (a wrong one gets `not-authorized`, as Prosody and ejabberd answer), and
 * records what the component sends. `silent` servers accept TCP and never answer.
 */
export async function startFakeComponentServer(options: { domain: string; secret: string; silent?: boolean }): Promise<FakeComponentServer> {
  const connections: FakeComponentConnection[] = [];
  const sockets = new Set<Socket>();
  const authenticatedWaiters: ((connection: FakeComponentConnection) => void)[] = [];
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => undefined);
    if (options.silent) return;
    const connection = accept(socket, options.domain, options.secret);
    connections.push(connection);
    void connection.authenticated.then(
      () => authenticatedWaiters.shift()?.(connection),
      () => undefined,
    );
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return {
    service: `xmpp://127.0.0.1:${port}`,
    connections,
    nextAuthenticated: () => new Promise((resolve) => authenticatedWaiters.push(resolve)),
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

function accept(socket: Socket, domain: string, secret: string): FakeComponentConnection {
  const streamId = randomBytes(8).toString("hex");
  const received: Element[] = [];
  const waiters: { match: (stanza: Element) => boolean; resolve: (stanza: Element) => void }[] = [];
  const parser = new Parser();
  let settle: { resolve(): void; reject(error: Error): void } = { resolve() {}, reject() {} };
  const authenticated = new Promise<void>((resolve, reject) => {
    settle = { resolve, reject };
  });
  authenticated.catch(() => undefined);

  parser.on("start", () => {
    socket.write(`<?xml version='1.0'?><stream:stream xmlns:stream='http://etherx.jabber.org/streams' xmlns='jabber:component:accept' from='${domain}' id='${streamId}'>`);
  });
  parser.on("element", (element: Element) => {
    if (element.name === "handshake") {
      const expected = createHash("sha1").update(streamId + secret).digest("hex");
      if (element.text() === expected) {
        socket.write("<handshake/>");
        settle.resolve();
      } else {
        socket.end("<stream:error><not-authorized xmlns='urn:ietf:params:xml:ns:xmpp-streams'/></stream:error></stream:stream>");
        settle.reject(new Error("wrong secret"));
      }
      return;
    }
    received.push(element);
    const index = waiters.findIndex((waiter) => waiter.match(element));
    if (index >= 0) waiters.splice(index, 1)[0]!.resolve(element);
  });
  parser.on("end", () => socket.end("</stream:stream>"));
  parser.on("error", () => socket.destroy());
  socket.on("data", (data) => parser.write(data.toString("utf8")));

  return {
    received,
    authenticated,
    send: (stanza) => socket.write(stanza.toString()),
    next: (match = () => true) => new Promise((resolve) => waiters.push({ match, resolve })),
    drop: () => socket.destroy(),
  };
}
