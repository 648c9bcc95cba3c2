/**
 * The relay alone against a loopback HTTP server that answers what each test tells it (P2S13, P2S14, P2S15):
 * the request it makes of a notification, and the error reply each answer (or none) becomes.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createPush2Relay, type Push2Relay, type Push2RelayOptions } from "../../src/node/index.js";
import { waitFor } from "../helpers/chain.js";
import { buildPush2Notification, bytesToBase64, type Element, type Push2NotificationContent, parseStanzaError, xml } from "../../src/protocol/index.js";

interface Received {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

let http: Server;
let origin: string;
let received: Received[];
/** How the server answers each request; `hold` never answers. */
let answer: (request: Received, response: ServerResponse) => void;
let relay: Push2Relay;
let replies: Element[];

beforeEach(async () => {
  received = [];
  replies = [];
  answer = (_request, response) => void response.writeHead(201).end();
  http = createServer((request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const entry = { method: request.method ?? "", path: request.url ?? "", headers: request.headers, body: Buffer.concat(chunks) };
      received.push(entry);
      answer(entry, response);
    });
  });
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  origin = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
});

afterEach(async () => {
  await relay?.close();
  http.closeAllConnections();
  await new Promise<void>((resolve) => http.close(() => resolve()));
});

function start(options: Partial<Push2RelayOptions> = {}): Push2Relay {
  relay = createPush2Relay({ jid: "relay.example.test", allowEndpoint: (url) => url.origin === origin, ...options });
  relay.connect((stanza) => void replies.push(stanza));
  return relay;
}

const PAYLOAD = Uint8Array.from({ length: 300 }, (_, index) => (index * 37) % 256);
// `<jwt key>` as mod_push2 writes it: standard base64, here with + and / in it.
const KEY = Uint8Array.from([0x04, ...Array.from({ length: 64 }, (_, index) => (index % 2 ? 0xfb : 0xff))]);

function notification(content: Partial<Push2NotificationContent> = {}, id = "n1", from = "example.test"): Element {
  const body = buildPush2Notification({ client: `${origin}/push/abc`, priority: "normal", payload: bytesToBase64(PAYLOAD), jwt: { token: "h.c.s", key: bytesToBase64(KEY) }, ...content });
  return xml("message", { from, to: "relay.example.test", id }, body);
}

function errorOf(reply: Element | undefined): [string | undefined, string] | undefined {
  if (!reply) return undefined;
  const error = parseStanzaError(reply);
  return [error.type, error.condition];
}

describe("the Push 2.0 relay's request", () => {
  it("POSTs the payload bytes as they are with VAPID (k in base64url), Content-Encoding, TTL and Urgency", async () => {
    start({ ttl: 600 });
    relay.receive(notification({ priority: "low" }));
    await relay.idle();
    expect(received).toHaveLength(1);
    const [request] = received;
    expect(request).toMatchObject({ method: "POST", path: "/push/abc" });
    expect(new Uint8Array(request!.body)).toEqual(PAYLOAD);
    expect(request!.headers).toMatchObject({ "content-encoding": "aes128gcm", ttl: "600", urgency: "low", authorization: `vapid t=h.c.s, k=${Buffer.from(KEY).toString("base64url")}` });
    expect(replies).toEqual([]);
  });

  it("priority high is Urgency high; notify-only is an empty POST without Content-Encoding or Authorization", async () => {
    start({ maxConcurrent: 1 });
    relay.receive(notification({ priority: "high" }, "n1"));
    relay.receive(notification({ payload: undefined, jwt: undefined }, "n2"));
    await relay.idle();
    expect(received.map((request) => request.headers.urgency)).toEqual(["high", "normal"]);
    expect(received[1]!.body.length).toBe(0);
    expect(received[1]!.headers["content-encoding"]).toBeUndefined();
    expect(received[1]!.headers.authorization).toBeUndefined();
  });
});

describe("the Push 2.0 relay's answer to the server", () => {
  const table: [number, [string, string] | undefined][] = [
    [201, undefined],
    [404, ["cancel", "item-not-found"]],
    [410, ["cancel", "item-not-found"]],
    [429, ["wait", "resource-constraint"]],
    [500, ["wait", "service-unavailable"]],
    [503, ["wait", "service-unavailable"]],
    [400, ["modify", "bad-request"]],
    [401, ["auth", "not-authorized"]],
    [403, ["cancel", "forbidden"]],
    [413, ["modify", "policy-violation"]],
    [418, ["cancel", "undefined-condition"]],
  ];
  it.each(table)("status %i → %j", async (status, expected) => {
    answer = (_request, response) => void response.writeHead(status).end("why");
    start();
    relay.receive(notification({}, "n7"));
    await relay.idle();
    expect(errorOf(replies[0])).toEqual(expected);
    if (expected) expect(replies[0]!.attrs).toMatchObject({ type: "error", id: "n7", to: "example.test", from: "relay.example.test" });
  });

  it("no answer within the timeout, or no connection at all, is a wait", async () => {
    answer = () => undefined;
    start({ timeout: 50, allowEndpoint: () => true });
    relay.receive(notification({}, "slow"));
    relay.receive(notification({ client: "http://127.0.0.1:1/push/closed" }, "refused"));
    await relay.idle();
    const byId = Object.fromEntries(replies.map((reply) => [reply.attrs.id, errorOf(reply)]));
    expect(byId.slow).toEqual(["wait", "remote-server-timeout"]);
    expect(byId.refused).toEqual(["wait", "remote-server-timeout"]);
  });

  it("holds at most maxConcurrent requests and maxQueue waiting; the next gets wait/resource-constraint at once", async () => {
    const held: ServerResponse[] = [];
    answer = (_request, response) => void held.push(response);
    start({ maxConcurrent: 1, maxQueue: 1 });
    for (const id of ["a", "b", "c"]) relay.receive(notification({}, id));
    expect(relay.state()).toMatchObject({ inFlight: 1, queued: 1, retry: 1 });
    expect(replies.map((reply) => [reply.attrs.id, errorOf(reply)])).toEqual([["c", ["wait", "resource-constraint"]]]);
    await waitFor(() => held.length === 1, 3000, "the first request");
    held.shift()!.writeHead(201).end();
    await waitFor(() => held.length === 1, 3000, "the queued request");
    held.shift()!.writeHead(201).end();
    await relay.idle();
    expect(relay.state()).toMatchObject({ inFlight: 0, queued: 0, delivered: 2, retry: 1 });
  });

  it("refuses what it must not send: a plain-http endpoint by default, no URL, bad base64, another server", async () => {
    relay = createPush2Relay({ jid: "relay.example.test", servers: ["example.test"] });
    relay.connect((stanza) => void replies.push(stanza));
    relay.receive(notification({}, "http"));
    relay.receive(notification({ client: "not a url" }, "nourl"));
    relay.receive(notification({ client: "https://push.example.net/x", payload: "!!" }, "payload"));
    relay.receive(notification({}, "stranger", "evil.example"));
    await relay.idle();
    expect(received).toEqual([]);
    expect(replies.map((reply) => [reply.attrs.id, errorOf(reply)])).toEqual([
      ["http", ["modify", "bad-request"]],
      ["nourl", ["modify", "bad-request"]],
      ["payload", ["modify", "bad-request"]],
      ["stranger", ["cancel", "forbidden"]],
    ]);
  });

  it("ignores error messages and messages without a notification", async () => {
    start();
    relay.receive(xml("message", { type: "error", from: "example.test", id: "e" }, buildPush2Notification({ client: `${origin}/x`, priority: "normal" })));
    relay.receive(xml("message", { from: "example.test", id: "m" }, xml("body", {}, "hi")));
    await relay.idle();
    expect(received).toEqual([]);
    expect(replies).toEqual([]);
  });

  it("with a fetch passed, close() aborts what that fetch has in flight too", async () => {
    const aborted: unknown[] = [];
    const hanging = (_input: string, init?: RequestInit) =>
      new Promise<Response>((_resolve, reject) => {
        init?.signal?.addEventListener("abort", () => {
          aborted.push(init.signal?.reason);
          reject(init.signal?.reason);
        });
      });
    relay = createPush2Relay({ jid: "relay.example.test", allowEndpoint: () => true, timeout: 60_000, fetch: hanging });
    relay.connect((stanza) => void replies.push(stanza));
    relay.receive(notification({}, "inflight"));
    await relay.close();
    expect(aborted).toHaveLength(1);
    expect(replies.map((reply) => [reply.attrs.id, errorOf(reply)])).toEqual([["inflight", ["wait", "remote-server-timeout"]]]);
  });

  it("close() aborts what is in flight (wait) and turns later notifications away with wait/service-unavailable", async () => {
    answer = () => undefined;
    start();
    relay.receive(notification({}, "inflight"));
    await waitFor(() => received.length === 1, 3000, "the request");
    await relay.close();
    relay.receive(notification({}, "late"));
    expect(replies.map((reply) => [reply.attrs.id, errorOf(reply)])).toEqual([
      ["inflight", ["wait", "remote-server-timeout"]],
      ["late", ["wait", "service-unavailable"]],
    ]);
  });
});
