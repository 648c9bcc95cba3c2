import { readFileSync } from "node:fs";
import { createServer as createHttpsServer } from "node:https";
import { once } from "node:events";
import type { AddressInfo, Socket } from "node:net";
import type { TLSSocket } from "node:tls";
import { afterEach, describe, expect, it } from "vitest";
import { createPushService, generateVapidKeys, type PushService, webPushProvider } from "../../src/node/index.js";
import { InvalidRequestError, MalformedAnswerError, PushTimeoutError } from "../../src/node/web-push/http1-errors.js";
import { http1Sender } from "../../src/node/web-push/http1-sender.js";
import type { PushRequest } from "../../src/node/web-push/request.js";
import { webPushMessageFor } from "../helpers/provider-message.js";
import { CREATED, scriptedHttpServer } from "../helpers/scripted-http-server.js";

const vapid = { subject: "mailto:ops@example.test", ...generateVapidKeys() };
const NODE = "5f2c0e1d9a8b7c6d5e4f3a2b1c0d9e8f";
// Self-signed for localhost and 127.0.0.1 (see test/consumer/support/tls-terminator.ts); it protects nothing.
const TLS_FOLDER = new URL("../consumer/support/tls/", import.meta.url);
const certificate = readFileSync(new URL("localhost.crt", TLS_FOLDER), "utf8");
const key = readFileSync(new URL("localhost.key", TLS_FOLDER), "utf8");

const closers: (() => Promise<void>)[] = [];
let service: PushService | undefined;
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
  await service?.close();
  service = undefined;
});

async function server(...args: Parameters<typeof scriptedHttpServer>) {
  const started = await scriptedHttpServer(...args);
  closers.push(started.close);
  return started;
}

function requestTo(url: string, headers: Record<string, string> = {}): PushRequest {
  const body = Buffer.from("an encrypted body");
  return { url, headers: { TTL: "60", "Content-Length": String(body.length), ...headers }, body };
}

const send = http1Sender({ timeout: 2000, maxSockets: 4 });

describe("the HTTP/1.1 sender against scripted answers", () => {
  it("writes the request as one piece of HTTP/1.1: request line, Host, the headers, the body", async () => {
    const endpoint = await server((socket) => socket.write(CREATED));
    expect(await send(requestTo(`${endpoint.origin}/push/abc?x=1`, { Urgency: "high" }))).toEqual({ status: 201, retryAfter: undefined, reason: "" });
    const [request] = endpoint.requests;
    expect(request?.head).toBe(`POST /push/abc?x=1 HTTP/1.1\r\nHost: 127.0.0.1:${endpoint.port}\r\nTTL: 60\r\nContent-Length: 17\r\nUrgency: high`);
    expect(request?.body.toString()).toBe("an encrypted body");
  });

  it("honours Connection: close and HTTP/1.0 even when the service leaves the socket open", async () => {
    for (const answer of ["HTTP/1.1 201 Created\r\nConnection: close\r\nContent-Length: 0\r\n\r\n", "HTTP/1.0 201 Created\r\nContent-Length: 0\r\n\r\n"]) {
      const endpoint = await server((socket) => socket.write(answer));
      for (let count = 0; count < 3; count++) expect((await send(requestTo(`${endpoint.origin}/p`))).status).toBe(201);
      expect(endpoint.requests.map((request) => request.onConnection)).toEqual([1, 1, 1]);
      expect(endpoint.connections()).toBe(3);
    }
  });

  it("a Keep-Alive timeout too short to trust: the next request takes a new connection", async () => {
    const endpoint = await server((socket) => socket.write("HTTP/1.1 201 Created\r\nKeep-Alive: timeout=1\r\nContent-Length: 0\r\n\r\n"));
    for (let count = 0; count < 2; count++) expect((await send(requestTo(`${endpoint.origin}/p`))).status).toBe(201);
    expect(endpoint.connections()).toBe(2);
  });

  it("closes an idle connection when the service's Keep-Alive timeout (less a second) has passed", async () => {
    const endpoint = await server((socket) => socket.write("HTTP/1.1 201 Created\r\nKeep-Alive: timeout=2\r\nContent-Length: 0\r\n\r\n"));
    expect((await send(requestTo(`${endpoint.origin}/p`))).status).toBe(201);
    const [socket] = endpoint.sockets;
    // Ended by us, not by the server (which never closes): the end arrives as the peer's FIN.
    await once(socket as Socket, "end");
    expect((await send(requestTo(`${endpoint.origin}/p`))).status).toBe(201);
    expect(endpoint.connections()).toBe(2);
  });

  it("bytes after the answer: the connection is not used again", async () => {
    const endpoint = await server((socket) => socket.write(`${CREATED}HTTP/1.1 201 Created\r\n`));
    for (let count = 0; count < 2; count++) expect((await send(requestTo(`${endpoint.origin}/p`))).status).toBe(201);
    expect(endpoint.requests.map((request) => request.onConnection)).toEqual([1, 1]);
  });

  it("reads a chunked refusal (extensions, trailers) to its end: its body is the reason, the connection serves the next request", async () => {
    const endpoint = await server((socket, request) =>
      socket.write(request.onConnection === 1 ? "HTTP/1.1 400 Bad Request\r\nTransfer-Encoding: chunked\r\nRetry-After: 7\r\n\r\n6\r\n  TTL \r\n8;why=x\r\nmissing!\r\n0\r\nX-Trailer: yes\r\n\r\n" : CREATED),
    );
    expect(await send(requestTo(`${endpoint.origin}/p`))).toEqual({ status: 400, retryAfter: "7", reason: "TTL missing!" });
    expect((await send(requestTo(`${endpoint.origin}/p`))).status).toBe(201);
    expect(endpoint.connections()).toBe(1);
  });

  it("reads a body far over the kept bytes to its end and reuses the connection", async () => {
    const long = "x".repeat(100_000);
    const endpoint = await server((socket, request) => socket.write(request.onConnection === 1 ? `HTTP/1.1 500 Oops\r\nContent-Length: ${long.length}\r\n\r\n${long}` : CREATED));
    const answer = await send(requestTo(`${endpoint.origin}/p`));
    expect(answer.status).toBe(500);
    expect(answer.reason).toBe("x".repeat(200));
    expect((await send(requestTo(`${endpoint.origin}/p`))).status).toBe(201);
    expect(endpoint.connections()).toBe(1);
  });

  it("skips 100 Continue and 103 Early Hints before the answer", async () => {
    const endpoint = await server((socket) => socket.write(`HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\n${CREATED}`));
    expect((await send(requestTo(`${endpoint.origin}/p`))).status).toBe(201);
    expect((await send(requestTo(`${endpoint.origin}/p`))).status).toBe(201);
    expect(endpoint.connections()).toBe(1);
  });

  it("a body delimited by the close is read until then", async () => {
    const endpoint = await server((socket) => socket.end("HTTP/1.1 410 Gone\r\n\r\nsubscription expired"));
    expect(await send(requestTo(`${endpoint.origin}/p`))).toEqual({ status: 410, retryAfter: undefined, reason: "subscription expired" });
  });

  it.each([
    ["a truncated answer", "HTTP/1.1 201 Created\r\nContent-Length: 10\r\n\r\nabc"],
    ["garbage", "SSH-2.0-OpenSSH_9.6\r\n\r\n"],
    ["a bad chunk size", "HTTP/1.1 400 Bad\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n"],
    ["a chunk longer than its size", "HTTP/1.1 400 Bad\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nhello\r\n0\r\n\r\n"],
    ["two Content-Lengths", "HTTP/1.1 201 Created\r\nContent-Length: 0\r\nContent-Length: 5\r\n\r\nhello"],
    ["a folded header", "HTTP/1.1 201 Created\r\nX-A: b\r\n  c\r\nContent-Length: 0\r\n\r\n"],
    ["101 Switching Protocols", "HTTP/1.1 101 Switching Protocols\r\nUpgrade: h2c\r\n\r\n"],
    ["headers over 16 KiB", `HTTP/1.1 201 Created\r\n${"X-Padding: yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy\r\n".repeat(220)}Content-Length: 0\r\n\r\n`],
    ["endless headers", `HTTP/1.1 201 Created\r\n${"X-Padding: y\r\n".repeat(5000)}`],
  ])("%s: a MalformedAnswerError, the connection closed", async (_name, answer) => {
    const endpoint = await server((socket) => {
      socket.write(answer);
      // Left open unless the sender closes it: a truncated answer must end by our close, not the server's.
      if (answer.includes("Content-Length: 10")) socket.end();
    });
    await expect(send(requestTo(`${endpoint.origin}/p`))).rejects.toBeInstanceOf(MalformedAnswerError);
    // The next request cannot be read as the rest of the bad answer: it gets a connection of its own.
    await send(requestTo(`${endpoint.origin}/p`)).catch(() => {});
    expect(endpoint.connections()).toBe(2);
  });

  it("a header that could split the request: an InvalidRequestError, nothing sent", async () => {
    const endpoint = await server((socket) => socket.write(CREATED));
    for (const headers of [{ Topic: "a\r\nX-Evil: 1" } as Record<string, string>, { Topic: "a\nb" }, { Topic: "a\0b" }, { "Bad Name": "x" }, { "Content-Length": "3" }]) {
      await expect(send(requestTo(`${endpoint.origin}/p`, headers))).rejects.toBeInstanceOf(InvalidRequestError);
    }
    expect(endpoint.connections()).toBe(0);
  });

  it("a service that never answers: a PushTimeoutError, the connection destroyed", async () => {
    const endpoint = await server(() => {});
    const impatient = http1Sender({ timeout: 50, maxSockets: 1 });
    await expect(impatient(requestTo(`${endpoint.origin}/p`))).rejects.toBeInstanceOf(PushTimeoutError);
    await expect(impatient(requestTo(`${endpoint.origin}/p`))).rejects.toBeInstanceOf(PushTimeoutError);
    expect(endpoint.requests.map((request) => request.onConnection)).toEqual([1, 1]);
  });

  it("a reused connection the service drops without answering is retried once on a fresh one, not again", async () => {
    let dropping = false;
    const endpoint = await server((socket) => {
      if (dropping) socket.destroy();
      else socket.write(CREATED);
    });
    const single = http1Sender({ timeout: 2000, maxSockets: 1 });
    expect((await single(requestTo(`${endpoint.origin}/p`))).status).toBe(201);
    dropping = true;
    await expect(single(requestTo(`${endpoint.origin}/p`))).rejects.toThrow();
    // The first request, then the reused connection's and one retry on a fresh one.
    expect(endpoint.requests.map((request) => request.onConnection)).toEqual([1, 2, 1]);
  });

  it("a fresh connection the service drops is not retried at once", async () => {
    const endpoint = await server((socket) => socket.destroy());
    await expect(send(requestTo(`${endpoint.origin}/p`))).rejects.toThrow();
    expect(endpoint.requests).toHaveLength(1);
  });

  it("an IPv6 literal host", async () => {
    const endpoint = await server((socket) => socket.write(CREATED), "::1");
    expect((await send(requestTo(`${endpoint.origin}/p`))).status).toBe(201);
    expect(endpoint.requests[0]?.head).toContain(`\r\nHost: [::1]:${endpoint.port}\r\n`);
  });
});

describe("the HTTP/1.1 sender over TLS", () => {
  async function tlsEndpoint() {
    const seen: { servername: string | false | null; alpn: string | false | null }[] = [];
    const sockets = new Set<TLSSocket>();
    const tls = createHttpsServer({ key, cert: certificate, ALPNProtocols: ["http/1.1"] }, (request, response) => {
      const socket = request.socket as TLSSocket;
      seen.push({ servername: socket.servername, alpn: socket.alpnProtocol });
      request.resume();
      request.on("end", () => response.writeHead(201).end());
    });
    tls.on("secureConnection", (socket) => sockets.add(socket));
    await new Promise<void>((resolve) => tls.listen(0, "127.0.0.1", resolve));
    closers.push(() => new Promise<void>((resolve) => { tls.closeAllConnections(); tls.close(() => resolve()); }));
    return { port: (tls.address() as AddressInfo).port, seen, connections: () => sockets.size };
  }

  it("checks the certificate against the CA it is given, names the host by SNI (not an IP literal) and offers http/1.1 by ALPN", async () => {
    const endpoint = await tlsEndpoint();
    const trusting = http1Sender({ timeout: 2000, maxSockets: 2, tls: { ca: certificate } });
    for (let count = 0; count < 2; count++) expect((await trusting(requestTo(`https://localhost:${endpoint.port}/p`))).status).toBe(201);
    expect((await trusting(requestTo(`https://127.0.0.1:${endpoint.port}/p`))).status).toBe(201);
    expect(endpoint.seen).toEqual([
      { servername: "localhost", alpn: "http/1.1" },
      { servername: "localhost", alpn: "http/1.1" },
      { servername: false, alpn: "http/1.1" },
    ]);
    // localhost and 127.0.0.1 are two origins; each kept its one connection.
    expect(endpoint.connections()).toBe(2);
  });

  it("refuses a certificate nobody vouches for, by Node's default checks", async () => {
    const endpoint = await tlsEndpoint();
    await expect(send(requestTo(`https://localhost:${endpoint.port}/p`))).rejects.toThrow(/self.signed|certificate/i);
    expect(endpoint.seen).toEqual([]);
  });
});

describe("the provider over the HTTP/1.1 sender", () => {
  it.each([
    ["a truncated answer", "HTTP/1.1 201 Created\r\nContent-Length: 10\r\n\r\nabc"],
    ["garbage", "\0\0\0\0\r\n\r\n"],
    ["over-long headers", `HTTP/1.1 201 Created\r\n${"X: y\r\n".repeat(4000)}\r\n`],
    ["a bad chunk size", "HTTP/1.1 201 Created\r\nTransfer-Encoding: chunked\r\n\r\n-1\r\n"],
  ])("%s: transient, no crash", async (_name, answer) => {
    const endpoint = await server((socket) => {
      socket.write(answer);
      socket.end();
    });
    service = await createPushService();
    const minted = service.subscribe({ applicationServerKey: vapid.publicKey });
    const subscription = { ...minted, endpoint: minted.endpoint.replace(service.origin, endpoint.origin) };
    const provider = webPushProvider({ vapid, maxRetries: 1, initialRetryDelay: 1 });
    expect(await provider.send(webPushMessageFor(subscription, NODE, { messageCount: 1 }))).toEqual({ ok: false, reason: "transient" });
    // Retried after its back-off, as a network failure is.
    expect(endpoint.requests).toHaveLength(2);
  });

  it("delivers to the push-service simulator, which decrypts and verifies each push", async () => {
    service = await createPushService();
    const subscription = service.subscribe({ applicationServerKey: vapid.publicKey });
    const received: unknown[] = [];
    service.on("message", (message) => received.push(message));
    const provider = webPushProvider({ vapid });
    for (let count = 1; count <= 3; count++) expect(await provider.send(webPushMessageFor(subscription, NODE, { messageCount: count }))).toEqual({ ok: true });
    expect(received).toHaveLength(3);
  });
});

describe("closing the HTTP/1.1 sender", () => {
  it("fails what is in flight and what waits at once, not at the timeout, closes its connections, and refuses later sends", async () => {
    const endpoint = await server(() => undefined);
    const closable = http1Sender({ timeout: 60_000, maxSockets: 1 });
    const inFlight = closable(requestTo(`${endpoint.origin}/p`));
    const waiting = closable(requestTo(`${endpoint.origin}/q`));
    // Both settle, the order does not matter.
    const outcomes = Promise.allSettled([inFlight, waiting]);
    while (endpoint.requests.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    const [socket] = endpoint.sockets;
    const ended = once(socket as Socket, "close");
    closable.close();
    const [first, second] = await outcomes;
    expect(first).toMatchObject({ status: "rejected", reason: { message: "the sender was closed" } });
    expect(second).toMatchObject({ status: "rejected", reason: { message: "the sender was closed" } });
    await ended;
    await expect(closable(requestTo(`${endpoint.origin}/r`))).rejects.toThrow("the sender was closed");
    expect(endpoint.requests).toHaveLength(1);
  });
});
